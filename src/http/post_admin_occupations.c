/* POST /v1/admin/occupations: an admin loads the reference list of occupations (国家职业分类大典)
 * that catalogs and claims must use, from JSON ({source, occupations: [{code, name}]}) or CSV
 * (columns code, name; source in the query).  Codes are stored canonical (6-18-2-4 is
 * 6-18-02-04); a code already listed keeps its place and takes the new name.  Every bad row in
 * one 422; idempotent by key; audited. */
#include <stdio.h>
#include <stdlib.h>

#include "csv.h"
#include "handlers.h"
#include "occupation.h"
#include "ops.h"

#define MAX_OCCUPATIONS 5000 /* the 2022 edition has 1,639 occupations */

struct import {
    const char *source;
    json_t *rows; /* owned */
};

static enum db_rc import(struct req *r, struct db_conn *c, struct admin_write *w,
                         const char *before, char **after, json_t **reply)
{
    const struct import *x = w->cls;
    char *rows = json_dumps(x->rows, JSON_COMPACT);
    int added = 0, renamed = 0;
    enum db_rc rc = rows ? db_occupation_import(c, rows, x->source, &added, &renamed) : DB_HARD;
    free(rows);
    if (rc != DB_OK)
        return rc;
    *reply = json_pack("{s:s, s:I, s:i, s:i}", "source", x->source, "count",
                       (json_int_t)json_array_size(x->rows), "added", added, "renamed", renamed);
    return admin_counts(*reply, after);
}

static const struct admin_change how = {
    .kind = "occupation", .change = import, .action = "occupation.import", .status = 200};

void post_admin_occupations(struct req *r)
{
    struct import x = {0};
    x.rows = upload_rows(r, "occupations", MAX_OCCUPATIONS, &x.source);
    if (x.rows)
        occupation_rows_check(&r->errors, "occupations", x.rows);
    admin_idempotent(r, &how, "list", &x, NULL);
    json_decref(x.rows);
}
