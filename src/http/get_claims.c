/* GET /v1/claims: the caller's own claims, newest first, filtered by state, year and kind;
 * keyset pages (after = the last id of the previous page).  Personal data is masked. */
#include "claims.h"

void get_claims(struct req *r)
{
    struct db_claim_filter f = {.owner_role = sd_role_name(r->who.role),
                                .owner_subject = r->who.subject};
    long long year = 0, after = 0, limit = 50;
    const struct jfield spec[] = {
        jfield_state(&f.state, sr_claim_state_values),
        {.name = "kind", .kind = JF_STRING, .min = 1, .max = 40, .out = &f.kind},
        jfield_year(&year),
        {.name = "after", .kind = JF_INT, .min = 1, .max = 9000000000000000000LL, .out = &after},
        {.name = "limit", .kind = JF_INT, .min = 1, .max = config.max_page_size, .out = &limit},
    };
    if (!jspec_query(r, spec, sizeof spec / sizeof spec[0])) {
        reply_field_errors(r, SD_E_BAD_QUERY);
        return;
    }
    enum sr_kind kind;
    if (f.kind && !sr_kind_parse(f.kind, &kind)) {
        req_field_error(r, "kind", SD_E_FIELD_ENUM, NULL, NULL);
        reply_field_errors(r, SD_E_BAD_QUERY);
        return;
    }
    f.year = (int)year;
    f.after = after;
    f.limit = (int)limit;
    struct db_conn *db = req_db(r);
    if (!db)
        return;
    struct db_page page = {0};
    enum db_rc rc = db_claim_list(db, &f, &page);
    reply_list_rc(r, rc, &page);
}
