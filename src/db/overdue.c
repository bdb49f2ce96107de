/* The waiting items by due date (review_db.h): the overdue figures of /metrics and the daily
 * summary's counts, read on the waiting states' partial indexes of sql/0029. */
#include <stdlib.h>
#include <string.h>

#include "db_exec.h"
#include "review_db.h"

// clang-format off
const struct db_stmt db_stmt_overdue_figures = {
    "overdue_figures",
    /* $1 today: every region's overdue items by kind, with the oldest one's due date */
    "SELECT coalesce(json_agg(json_build_object('region', region, 'kind', kind, 'overdue', n,"
    "  'oldest_days', $1::date - oldest) ORDER BY region, kind), '[]')::text FROM ("
    " SELECT region, 'claim' AS kind, count(*) AS n, min(review_due) AS oldest FROM claim"
    "  WHERE state IN ('submitted', 'resubmitted', 'in_review', 'appealed', 'objected') AND review_due < $1::date"
    "  GROUP BY region"
    " UNION ALL"
    " SELECT region, 'class_filing', count(*), min(deadline) FROM class"
    "  WHERE state = 'filed' AND deadline < $1::date GROUP BY region) s",
    1};

const struct db_stmt db_stmt_review_summary = {
    "review_summary",
    /* $1 regions csv (their districts too) $2 today $3 the last of the next working days */
    "WITH scope AS (SELECT code FROM region WHERE code = ANY (string_to_array($1, ','))"
    "   OR parent = ANY (string_to_array($1, ','))),"
    " items AS (SELECT region, 'claim' AS kind, review_due AS due FROM claim"
    "   WHERE state IN ('submitted', 'resubmitted', 'in_review', 'appealed', 'objected') AND region IN (SELECT code FROM scope)"
    "  UNION ALL"
    "  SELECT region, 'class_filing', deadline FROM class"
    "   WHERE state = 'filed' AND region IN (SELECT code FROM scope))"
    " SELECT coalesce(json_agg(json_build_object('region', region, 'kind', kind,"
    "  'waiting', waiting, 'overdue', overdue, 'due_today', due_today, 'due_soon', due_soon,"
    "  'oldest_overdue_days', oldest) ORDER BY region, kind), '[]')::text FROM ("
    "  SELECT region, kind, count(*) AS waiting,"
    "   count(*) FILTER (WHERE due < $2::date) AS overdue,"
    "   count(*) FILTER (WHERE due = $2::date) AS due_today,"
    "   count(*) FILTER (WHERE due > $2::date AND due <= $3::date) AS due_soon,"
    "   $2::date - min(due) FILTER (WHERE due < $2::date) AS oldest"
    "  FROM items GROUP BY region, kind) s",
    3};
// clang-format on

static enum db_rc json_row(struct db_conn *c, const struct db_stmt *s, const char *const *p,
                           json_t **out)
{
    enum db_rc rc;
    *out = NULL;
    PGresult *res = db_exec_row(c, s, p, true, &rc);
    if (!res)
        return rc;
    *out = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
    PQclear(res);
    return *out ? DB_OK : DB_HARD;
}

enum db_rc db_overdue_figures(struct db_conn *c, const char *today, json_t **rows)
{
    const char *p[] = {today};
    return json_row(c, &db_stmt_overdue_figures, p, rows);
}

enum db_rc db_review_summary(struct db_conn *c, const char *regions_csv, const char *today,
                             const char *soon_until, json_t **rows)
{
    const char *p[] = {regions_csv, today, soon_until};
    return json_row(c, &db_stmt_review_summary, p, rows);
}
