/* POST /v1/admin/payee-accounts: import the social security card financial accounts
 * (社保卡金融账户) as the social-insurance system exports them with its records, from JSON
 * ({source, records}) or CSV (the records; the source in the query): per person (id_number)
 * the bank, the account number, the holder's name and ID number, and the account's status
 * (active, closed).  The state's record wins over the profile's: a person's imported account is
 * the one payments use, whatever their profile says.  Every bad record and field is reported at
 * once and nothing is written; a person's account sent again unchanged adds nothing.  Account
 * and ID numbers are stored sealed (their keyed hash, masked forms) and never logged.  One
 * audit row per import, with its counts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csv.h"
#include "payee_body.h"

#define PAYEE_MAX_RECORDS 5000

struct import {
    const char *source;
    json_t *records; /* owned, as given */
};

/* Every record checked, and a person named twice refused (which would win?). */
static void check_records(struct req *r, const json_t *records)
{
    size_t i;
    json_t *row;
    json_array_foreach(records, i, row)
    {
        char prefix[32], field[64];
        snprintf(prefix, sizeof prefix, "records[%zu]", i);
        struct payee_account_in in;
        const char *id = NULL;
        payee_body_parse(&r->errors, prefix, row, PAYEE_IMPORT, &in, &id);
        for (size_t k = 0; id && k < i; k++) {
            const char *other =
                json_string_value(json_object_get(json_array_get(records, k), "id_number"));
            if (other && strcasecmp(other, id) == 0) {
                snprintf(field, sizeof field, "%s.id_number", prefix);
                req_field_error(r, field, SD_E_FIELD_CONFLICT, "同一人员在本次导入中重复",
                                "names a person this import names already");
                break;
            }
        }
    }
}

/* The records sealed for the database: [{id_hash, ..., holder_id_masked, status}]. */
static json_t *records_sealed(const json_t *records, long long actor)
{
    json_t *out = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(records, i, row)
    {
        struct payee_account_in in;
        const char *id = NULL;
        struct jerrors none = {0};
        payee_body_parse(&none, NULL, row, PAYEE_IMPORT, &in, &id);
        jerr_clear(&none);
        char canonical[19], hash[SD_PII_HASH_HEX];
        snprintf(canonical, sizeof canonical, "%s", id);
        if (canonical[17] == 'x')
            canonical[17] = 'X';
        sd_pii_id_hash(&pii_keys, canonical, hash);
        struct payee_account_sealed s;
        if (!out || !payee_account_seal(&pii_keys, &in, hash, actor, &s)) {
            json_decref(out);
            return NULL;
        }
        json_array_append_new(
            out, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id_hash", hash,
                           "bank_code", in.bank_code, "bank_name", in.bank_name, "account_sealed",
                           s.account_sealed, "account_masked", s.account_masked, "holder_name",
                           in.holder_name, "holder_id_hash", s.holder_id_hash, "holder_id_sealed",
                           s.holder_id_sealed, "holder_id_masked", s.holder_id_masked, "status",
                           s.w.status));
    }
    return out;
}

static enum db_rc store(struct req *r, struct db_conn *c, struct admin_write *w, const char *before,
                        char **after, json_t **reply)
{
    const struct import *x = w->cls;
    json_t *sealed = records_sealed(x->records, r->who.token_id);
    char *rows = sealed ? json_dumps(sealed, JSON_COMPACT) : NULL;
    json_decref(sealed);
    long added = 0, updated = 0;
    enum db_rc rc =
        rows ? db_payee_account_import(c, rows, x->source, r->who.token_id, &added, &updated)
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
    .kind = "payee_account", .change = store, .action = "payee_account.import", .status = 200};

void post_admin_payee_accounts(struct req *r)
{
    struct import x = {0};
    x.records = upload_rows(r, "records", PAYEE_MAX_RECORDS, &x.source);
    if (r->csv && x.records)
        csv_drop_empty(x.records);
    if (x.records)
        check_records(r, x.records);
    admin_idempotent(r, &how, x.source, &x, NULL);
    json_decref(x.records);
}
