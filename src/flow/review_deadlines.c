/* The daily summary of the waiting items (claim.h): counted by due date against today and the
 * next working days on the calendar; the escalation of the overdue ones to the supervisor. */
#include "claim.h"
#include "class.h"

#include "review_db.h"
#include "sr_ids.h"

enum db_rc review_summary(struct db_conn *db, const char *regions_csv, int32_t today, int days,
                          json_t **out)
{
    char today_text[SR_DATE_STRLEN], until[SR_DATE_STRLEN];
    bool estimated = false;
    *out = NULL;
    sr_day_format(today, today_text);
    enum db_rc rc = review_due(db, today, days, until, &estimated);
    json_t *rows = NULL;
    if (rc == DB_OK)
        rc = db_review_summary(db, regions_csv, today_text, until, &rows);
    if (rc == DB_OK)
        *out = json_pack("{s:s, s:i, s:s, s:b, s:o}", "today", today_text, "working_days", days,
                         "due_soon_until", until, "due_soon_until_estimated", estimated, "items",
                         rows);
    return rc == DB_OK && !*out ? DB_HARD : rc;
}

struct escalation_run {
    const struct sd_principal *who; /* NULL: every supervisor */
    const char *request_id;
    int32_t today;
    int after_days;
    json_t *out;
};

static enum db_rc escalation_body(struct db_conn *db, void *cls)
{
    struct escalation_run *x = cls;
    json_decref(x->out);
    x->out = NULL;
    /* overdue by more than after_days working days: due before the after_days + 1-th working
     * day back from today (today counted when it is one) */
    int32_t due_by;
    enum db_rc rc = calendar_working_days_before(db, x->today, x->after_days + 1, &due_by);
    char due_text[SR_DATE_STRLEN];
    sr_day_format(due_by, due_text);
    int count = 0;
    long long token = x->who ? x->who->token_id : 0;
    if (rc == DB_OK)
        rc = db_escalate(db, token, due_text, token, x->request_id, &count);
    if (rc == DB_OK && x->who)
        rc = db_escalations(db, token, &x->out);
    else if (rc == DB_OK && !(x->out = json_pack("{s:s}", "due_by", due_text)))
        rc = DB_HARD;
    if (rc == DB_OK)
        json_object_set_new(x->out, "escalated_now", json_integer(count));
    return rc;
}

static enum db_rc escalation_run(struct db_conn *db, const struct sd_principal *who,
                                 const char *request_id, int32_t today, int after_days,
                                 json_t **out)
{
    struct escalation_run x = {who, request_id, today, after_days, NULL};
    enum db_rc rc = db_txn(db, escalation_body, &x);
    if (rc != DB_OK) {
        json_decref(x.out);
        x.out = NULL;
    }
    *out = x.out;
    return rc;
}

enum db_rc review_escalations(struct db_conn *db, const struct sd_principal *who,
                              const char *request_id, int32_t today, int after_days, json_t **out)
{
    return escalation_run(db, who, request_id, today, after_days, out);
}

enum db_rc review_escalate_all(struct db_conn *db, const char *request_id, int32_t today,
                               int after_days, json_t **out)
{
    return escalation_run(db, NULL, request_id, today, after_days, out);
}
