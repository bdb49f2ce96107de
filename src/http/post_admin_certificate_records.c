/* POST /v1/admin/certificate-records[?preview=true]: import certificate records (证书记录) as
 * the appraisal system exports them, from JSON ({source, records}) or CSV (UTF-8, optional
 * byte-order mark, a header row; the source in the query).  Every bad record and field — a
 * body that is not a registered evaluation body and an occupation not listed among them — is
 * reported at once, with the records repeated in the file, and nothing is written; a record
 * already held (same kind and number) is updated where it differs, so an export sent again
 * changes nothing (the reply counts inserted, changed, unchanged).  A preview answers the same
 * without writing.  ID numbers are stored only as their keyed hash and never logged.  One audit
 * row per import, with its counts. */
#include <stdio.h>
#include <stdlib.h>

#include "certificate.h"
#include "csv.h"
#include "handlers.h"

struct import {
    const char *source;
    json_t *records; /* owned, as given (canonical numbers and occupations) */
};

static enum db_rc store(struct req *r, struct db_conn *c, struct admin_write *w, const char *before,
                        char **after, json_t **reply)
{
    const struct import *x = w->cls;
    struct certificate_counts n;
    enum db_rc rc = certificate_import(c, &pii_keys, x->records, x->source, r->who.token_id, &n);
    if (rc != DB_OK)
        return rc;
    *reply = certificate_counts_json(x->source, &n);
    return admin_counts(*reply, after);
}

static const struct admin_change how = {
    .kind = "certificate_record", .change = store, .action = "certificate.import", .status = 200};

void post_admin_certificate_records(struct req *r)
{
    struct import x = {0};
    bool preview = false;
    x.records = upload_rows_preview(r, "records", CERTIFICATE_MAX_RECORDS, &x.source, &preview);
    if (r->csv)
        csv_drop_empty(x.records);
    if (x.records) {
        certificate_rows_check(&r->errors, x.records);
        struct db_conn *db = req_db(r);
        enum db_rc rc = db ? certificate_rows_known(db, &r->errors, x.records) : DB_OK;
        if (!db || rc != DB_OK) {
            if (db)
                reply_db(r, rc);
            json_decref(x.records);
            return;
        }
    }
    if (preview)
        admin_dry_run(r, &how, x.source, &x);
    else
        admin_idempotent(r, &how, x.source, &x, NULL);
    json_decref(x.records);
}
