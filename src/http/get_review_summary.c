/* GET /v1/review/summary: an approver's daily summary (承诺时限) — per region of theirs (a
 * city's: its districts too) and kind (claim, class_filing) the items waiting, overdue, due
 * today and due in the next `days` working days (default 3); JSON, or CSV for a spreadsheet
 * (UTF-8 with a BOM) when Accept names text/csv. */
#include <stdlib.h>

#include "claims.h"
#include "csv.h"
#include "sr_ids.h"

void get_review_summary(struct req *r)
{
    long long days = 3;
    const struct jfield spec[] = {
        {.name = "days", .kind = JF_INT, .min = 1, .max = 20, .out = &days},
    };
    if (!req_query(r, spec, sizeof spec / sizeof spec[0]))
        return;
    struct db_conn *db = req_db(r);
    if (!db)
        return;
    char regions[SD_MAX_REGIONS * (SD_REGION_LEN + 1) + 1];
    principal_regions_csv(&r->who, regions, sizeof regions);
    json_t *summary = NULL;
    enum db_rc rc = review_summary(db, regions, cj_today(), (int)days, &summary);
    if (rc != DB_OK) {
        reply_db(r, rc);
        return;
    }
    if (!req_wants_csv(r)) {
        reply_json(r, 200, summary);
        return;
    }
    static const char *const columns[] = {
        "region", "kind", "waiting", "overdue", "due_today", "due_soon", "oldest_overdue_days",
        NULL};
    size_t len;
    char *text = csv_from_items(json_object_get(summary, "items"), columns, &len);
    json_decref(summary);
    if (!text) {
        reply_problem(r, SD_E_INTERNAL, NULL);
        return;
    }
    reply_csv(r, text, len, NULL);
}
