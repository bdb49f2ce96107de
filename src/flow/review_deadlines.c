/* The daily summary of the waiting items (claim.h): counted by due date against today and the
 * next working days on the calendar. */
#include "claim.h"

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
