/* GET /v1/review/classes: an approver's queue of class filings — the classes of the approver's
 * regions (a city's approver sees its districts) waiting for an approver's step: filed ones for
 * acceptance (accept or reject), assessed ones for closing — by deadline (承诺时限, the default)
 * or by filing time, a keyset page at a time (after = the cursor next_after gave), with the
 * counts by state and the overdue count for the same filters.  Filters: state (filed or
 * assessed; both by default), kind, policy, institution (credit code), filed_from/filed_to
 * (days, both kept), due_before, overdue=true.  The steps themselves are
 * POST /v1/classes/{id}/accept | reject | close. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classes.h"
#include "review_db.h"
#include "sr_ids.h"

#define WAITING "filed,assessed"

static bool read_filters(struct req *r, struct db_review_class_filter *f, char *key, size_t keylen)
{
    static const char *const sorts[] = {"deadline", "filed", NULL};
    static const char *const states[] = {"filed", "assessed", NULL};
    static const char *const tf[] = {"true", "false", NULL};
    const char *sort = NULL, *overdue = NULL, *after = NULL;
    long long limit = 50;
    const struct jfield spec[] = {
        jfield_state(&f->states_csv, states),
        {.name = "kind",
         .kind = JF_STRING,
         .min = 1,
         .max = 40,
         .one_of = sr_class_kind_values,
         .out = &f->kind},
        jfield_policy(&f->policy, false),
        {.name = "institution",
         .kind = JF_STRING,
         .min = 18,
         .max = 18,
         .format = &cj_credit_code_format,
         .out = &f->institution},
        jfield_date("filed_from", &f->filed_from, false),
        jfield_date("filed_to", &f->filed_to, false),
        jfield_date("due_before", &f->due_before, false),
        {.name = "overdue", .kind = JF_STRING, .min = 4, .max = 5, .one_of = tf, .out = &overdue},
        {.name = "sort", .kind = JF_STRING, .min = 1, .max = 8, .one_of = sorts, .out = &sort},
        {.name = "after", .kind = JF_STRING, .min = 3, .max = 40, .out = &after},
        jfield_limit(&limit),
    };
    if (!jspec_query(r, spec, sizeof spec / sizeof spec[0]))
        return false;
    f->by_filing = sort && strcmp(sort, "filed") == 0;
    f->overdue_only = overdue && strcmp(overdue, "true") == 0;
    f->limit = (int)limit;
    if (f->filed_from && f->filed_to && strcmp(f->filed_to, f->filed_from) < 0)
        req_field_error(r, "filed_to", SD_E_FIELD_RANGE, "不能早于 filed_from",
                        "must not be before filed_from");
    if (after && !review_cursor_read(after, f->by_filing, key, keylen, &f->after_id))
        req_field_error(r, "after", SD_E_FIELD_FORMAT,
                        "应为上一页 next_after 的原值（与 sort 一致）",
                        "must be the next_after of the previous page, with the same sort");
    f->after_key = after ? key : "";
    return jerr_count(&r->errors) == 0;
}

void get_review_classes(struct req *r)
{
    char regions[SD_MAX_REGIONS * (SD_REGION_LEN + 1) + 1], today[SR_DATE_STRLEN], key[24];
    principal_regions_csv(&r->who, regions, sizeof regions);
    sr_day_format(cj_today(), today);
    struct db_review_class_filter f = {.regions_csv = regions, .today = today};
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
    enum db_rc rc = db_review_classes(db, &f, &page, &counts);
    reply_queue(r, rc, &page, counts);
}
