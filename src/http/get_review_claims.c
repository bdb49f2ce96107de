/* GET /v1/review/claims: an approver's queue — the claims awaiting a decision in the approver's
 * regions (a city's approver sees its districts), by deadline (承诺时限, the default) or by
 * submission time, a keyset page at a time (after = the cursor next_after gave: stable while
 * claims arrive), with the counts by state and the overdue count for the same filters.  Filters:
 * state (one; by default submitted, resubmitted, in review and appealed: an appeal's item shows
 * it, and whether the caller made the rejection), kind, policy, enterprise (the
 * employer's credit code), amount_min/amount_max (fen), submitted_from/submitted_to (days, both
 * kept), due_before, overdue=true, sampled=true|false (in the 告知承诺 sample or not; each item
 * says why it is in it).  Persons masked (name and ID number): the detail view's
 * audited reveal shows them in full. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claims.h"
#include "review_db.h"
#include "sr_ids.h"

#define WAITING "submitted,resubmitted,in_review,appealed"

static bool read_filters(struct req *r, struct db_review_filter *f, char *key, size_t keylen)
{
    static const char *const sorts[] = {"deadline", "submitted", NULL};
    static const char *const tf[] = {"true", "false", NULL};
    const char *sort = NULL, *overdue = NULL, *after = NULL;
    long long limit = 50, min = -1, max = -1;
    const struct jfield spec[] = {
        jfield_state(&f->states_csv, sr_claim_state_values),
        {.name = "kind", .kind = JF_STRING, .min = 1, .max = 40, .out = &f->kind},
        jfield_policy(&f->policy, false),
        {.name = "enterprise",
         .kind = JF_STRING,
         .min = 18,
         .max = 18,
         .format = &cj_credit_code_format,
         .out = &f->employer},
        {.name = "amount_min", .kind = JF_INT, .min = 0, .max = 1000000000000LL, .out = &min},
        {.name = "amount_max", .kind = JF_INT, .min = 0, .max = 1000000000000LL, .out = &max},
        jfield_date("submitted_from", &f->submitted_from, false),
        jfield_date("submitted_to", &f->submitted_to, false),
        jfield_date("due_before", &f->due_before, false),
        {.name = "overdue", .kind = JF_STRING, .min = 4, .max = 5, .one_of = tf, .out = &overdue},
        {.name = "sampled",
         .kind = JF_STRING,
         .min = 4,
         .max = 5,
         .one_of = tf,
         .out = &f->sampled},
        {.name = "sort", .kind = JF_STRING, .min = 1, .max = 9, .one_of = sorts, .out = &sort},
        {.name = "after", .kind = JF_STRING, .min = 3, .max = 40, .out = &after},
        jfield_limit(&limit),
    };
    if (!jspec_query(r, spec, sizeof spec / sizeof spec[0]))
        return false;
    f->by_submission = sort && strcmp(sort, "submitted") == 0;
    f->overdue_only = overdue && strcmp(overdue, "true") == 0;
    f->amount_min = min;
    f->amount_max = max;
    f->limit = (int)limit;
    enum sr_kind kind;
    if (f->kind && !sr_kind_parse(f->kind, &kind))
        req_field_error(r, "kind", SD_E_FIELD_ENUM, NULL, NULL);
    if (min >= 0 && max >= 0 && max < min)
        req_field_error(r, "amount_max", SD_E_FIELD_RANGE, "不能小于 amount_min",
                        "must not be less than amount_min");
    if (f->submitted_from && f->submitted_to && strcmp(f->submitted_to, f->submitted_from) < 0)
        req_field_error(r, "submitted_to", SD_E_FIELD_RANGE, "不能早于 submitted_from",
                        "must not be before submitted_from");
    if (after && !review_cursor_read(after, f->by_submission, key, keylen, &f->after_id))
        req_field_error(r, "after", SD_E_FIELD_FORMAT,
                        "应为上一页 next_after 的原值（与 sort 一致）",
                        "must be the next_after of the previous page, with the same sort");
    f->after_key = after ? key : "";
    return jerr_count(&r->errors) == 0;
}

void get_review_claims(struct req *r)
{
    char regions[SD_MAX_REGIONS * (SD_REGION_LEN + 1) + 1], today[SR_DATE_STRLEN], key[24];
    principal_regions_csv(&r->who, regions, sizeof regions);
    sr_day_format(cj_today(), today);
    struct db_review_filter f = {
        .regions_csv = regions, .today = today, .caller_token = r->who.token_id};
    if (!read_filters(r, &f, key, sizeof key)) {
        reply_field_errors(r, SD_E_BAD_QUERY);
        return;
    }
    if (!f.states_csv)
        f.states_csv = WAITING;
    struct db_conn *db = req_db(r);
    if (!db)
        return;
    struct db_page page = {0};
    json_t *counts = NULL;
    enum db_rc rc = db_review_claims(db, &f, &page, &counts);
    reply_queue(r, rc, &page, counts);
}
