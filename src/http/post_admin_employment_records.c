/* POST /v1/admin/employment-records: import employment records (参保记录) as the
 * social-insurance system exports them, from JSON ({source, records}) or CSV (the records; the
 * source in the query).  Every bad record and field is reported at once and nothing is written;
 * a record already held (same person, enterprise and insured_from) is updated, so an export
 * sent again adds nothing.  ID numbers are stored only as their keyed hash and never logged.
 * One audit row per import, with its counts. */
#include <stdio.h>
#include <stdlib.h>

#include "csv.h"
#include "employment.h"

struct import {
    const char *source;
    json_t *records; /* owned, as given */
};

static enum db_rc store(struct req *r, struct db_conn *c, struct admin_write *w, const char *before,
                        char **after, json_t **reply)
{
    const struct import *x = w->cls;
    json_t *hashed = employment_rows_hashed(&pii_keys, x->records);
    char *rows = hashed ? json_dumps(hashed, JSON_COMPACT) : NULL;
    json_decref(hashed);
    long added = 0, updated = 0;
    enum db_rc rc =
        rows ? db_employment_import(c, rows, x->source, r->who.token_id, &added, &updated)
             : DB_HARD;
    free(rows);
    if (rc != DB_OK)
        return rc;
    long total = (long)json_array_size(x->records);
    *reply =
        json_pack("{s:s, s:i, s:i, s:i, s:i}", "source", x->source, "records", (int)total, "added",
                  (int)added, "updated", (int)updated, "unchanged", (int)(total - added - updated));
    return admin_counts(*reply, after);
}

static const struct admin_change how = {
    .kind = "employment_record", .change = store, .action = "employment.import", .status = 200};

void post_admin_employment_records(struct req *r)
{
    struct import x = {0};
    x.records = upload_rows(r, "records", EMPLOYMENT_MAX_RECORDS, &x.source);
    if (r->csv)
        employment_rows_from_csv(x.records);
    if (x.records)
        employment_rows_check(&r->errors, x.records);
    admin_idempotent(r, &how, x.source, &x, NULL);
    json_decref(x.records);
}
