/* The review queue's filters (claims.h), read from the query of GET /v1/review/claims or from
 * the "filter" object of a review job's selection by one table, so that a job names exactly the
 * claims the queue lists for the same filters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claims.h"
#include "review_db.h"
#include "sr_ids.h"

static void filter_error(struct req *r, const char *prefix, const char *field, enum sd_err code,
                         const char *zh, const char *en)
{
    char name[64];
    snprintf(name, sizeof name, "%s%s%s", prefix ? prefix : "", prefix ? "." : "", field);
    req_field_error(r, name, code, zh, en);
}

bool review_filter_read(struct req *r, const json_t *obj, const char *prefix,
                        const char *const *states, struct db_review_filter *f, char *key,
                        size_t keylen)
{
    static const char *const sorts[] = {"deadline", "submitted", NULL};
    static const char *const tf[] = {"true", "false", NULL};
    const char *sort = NULL, *overdue = NULL, *after = NULL;
    long long limit = f->limit, min = -1, max = -1;
    bool overdue_flag = false, sampled_flag = false;
    const struct jfield spec[] = {
        jfield_state(&f->states_csv, states),
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
        /* a query's overdue is text, a body's a boolean */
        obj ? (struct jfield){.name = "overdue", .kind = JF_BOOL, .out = &overdue_flag}
            : (struct jfield){.name = "overdue",
                              .kind = JF_STRING,
                              .min = 4,
                              .max = 5,
                              .one_of = tf,
                              .out = &overdue},
        obj ? (struct jfield){.name = "sampled", .kind = JF_BOOL, .out = &sampled_flag}
            : (struct jfield){.name = "sampled",
                              .kind = JF_STRING,
                              .min = 4,
                              .max = 5,
                              .one_of = tf,
                              .out = &f->sampled},
        /* a page of the queue; a job takes every claim the filters name */
        {.name = "sort", .kind = JF_STRING, .min = 1, .max = 9, .one_of = sorts, .out = &sort},
        {.name = "after", .kind = JF_STRING, .min = 3, .max = 40, .out = &after},
        jfield_limit(&limit),
    };
    size_t n = sizeof spec / sizeof spec[0];
    if (obj)
        jspec_object(&r->errors, prefix, obj, spec, n - 3);
    else if (!jspec_query(r, spec, n))
        return false;
    f->by_submission = sort && strcmp(sort, "submitted") == 0;
    f->overdue_only = overdue_flag || (overdue && strcmp(overdue, "true") == 0);
    if (obj && json_object_get(obj, "sampled"))
        f->sampled = sampled_flag ? "true" : "false";
    f->amount_min = min;
    f->amount_max = max;
    f->has_amount_min = min >= 0;
    f->has_amount_max = max >= 0;
    f->limit = (int)limit;
    enum sr_kind kind;
    if (f->kind && !sr_kind_parse(f->kind, &kind))
        filter_error(r, prefix, "kind", SD_E_FIELD_ENUM, NULL, NULL);
    if (min >= 0 && max >= 0 && max < min)
        filter_error(r, prefix, "amount_max", SD_E_FIELD_RANGE, "不能小于 amount_min",
                     "must not be less than amount_min");
    if (f->submitted_from && f->submitted_to && strcmp(f->submitted_to, f->submitted_from) < 0)
        filter_error(r, prefix, "submitted_to", SD_E_FIELD_RANGE, "不能早于 submitted_from",
                     "must not be before submitted_from");
    if (after && !review_cursor_read(after, f->by_submission, key, keylen, &f->after_id))
        filter_error(r, prefix, "after", SD_E_FIELD_FORMAT,
                     "应为上一页 next_after 的原值（与 sort 一致）",
                     "must be the next_after of the previous page, with the same sort");
    f->after_key = after ? key : "";
    return jerr_count(&r->errors) == 0;
}
