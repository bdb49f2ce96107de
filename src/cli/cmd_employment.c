/* subsidyctl employment import: the same checks and statement as
 * POST /v1/admin/employment-records, from a CSV file (参保记录); the ID numbers are kept as their
 * keyed hashes, so the command needs the token hashing key. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "ctl.h"
#include "employment_rows.h"
#include "ops.h"
#include "pii.h"

struct employment_import {
    const char *source, *rows_json;
    long records, added, updated;
};

static enum db_rc employment_import_body(struct db_conn *c, void *cls)
{
    struct employment_import *x = cls;
    enum db_rc rc = db_employment_import(c, x->rows_json, x->source, 0, &x->added, &x->updated);
    if (rc != DB_OK)
        return rc;
    json_t *counts = json_pack("{s:s, s:i, s:i, s:i, s:i}", "source", x->source, "records",
                               (int)x->records, "added", (int)x->added, "updated", (int)x->updated,
                               "unchanged", (int)(x->records - x->added - x->updated));
    return ctl_audit_counts(c, "employment.import", "employment_record", x->source, counts);
}

int cmd_employment_import(const struct ctl *g, int argc, char **argv)
{
    struct employment_import x = {0};
    int first = ctl_source_option(argc, argv, &x.source);
    if (first < 0)
        return 2;
    if (!x.source || !*x.source || strlen(x.source) > 200 || first + 1 != argc) {
        fprintf(stderr, "subsidyctl: employment import needs --source (1-200 characters) and "
                        "one CSV file\n");
        return 2;
    }
    struct jerrors errors = {.lang_en = true};
    json_t *rows = ctl_read_csv(argv[first], &errors, EMPLOYMENT_MAX_RECORDS);
    if (!rows)
        return 2;
    employment_rows_from_csv(rows);
    employment_rows_check(&errors, rows);
    if (json_array_size(rows) == 0 && jerr_count(&errors) == 0)
        jerr_add(&errors, "records", SD_E_FIELD_LENGTH, NULL, "at least one record");
    int rc = 0;
    if (jerr_count(&errors)) {
        ctl_print_problems(&errors, "imported");
        rc = 1;
    } else {
        struct sd_pii_keys keys;
        sd_pii_keys_derive(g->key, &keys);
        json_t *hashed = employment_rows_hashed(&keys, rows);
        sodium_memzero(&keys, sizeof keys);
        char *rows_json = hashed ? json_dumps(hashed, JSON_COMPACT) : NULL;
        json_decref(hashed);
        x.rows_json = rows_json;
        x.records = (long)json_array_size(rows);
        struct db_conn *db = rows_json ? ctl_worker_conn(g->conninfo) : NULL;
        enum db_rc dbrc = db ? db_txn(db, employment_import_body, &x) : DB_HARD;
        if (dbrc == DB_OK)
            printf("imported %ld employment records from %s: %ld added, %ld updated\n", x.records,
                   x.source, x.added, x.updated);
        else
            fprintf(stderr, "subsidyctl: not imported (database error %d)\n", (int)dbrc);
        rc = dbrc == DB_OK ? 0 : 1;
        free(rows_json);
    }
    jerr_clear(&errors);
    json_decref(rows);
    return rc;
}
