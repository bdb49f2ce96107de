/* The review days of a policy and region (review_db.h, sql/0029_review_deadlines.sql): the most
 * specific setting, and subsidyctl's write of one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_exec.h"
#include "review_db.h"

// clang-format off
const struct db_stmt db_stmt_review_days_for = {
    "review_days_for",
    /* $1 kind $2 policy $3 region: the region's own row, then its city's, then the policy's */
    "SELECT s.days FROM review_days s"
    " WHERE s.kind = $1 AND s.policy_id = $2"
    "   AND (s.region IS NULL OR s.region = $3"
    "        OR s.region = (SELECT parent FROM region WHERE code = $3))"
    " ORDER BY CASE WHEN s.region = $3 THEN 0 WHEN s.region IS NOT NULL THEN 1 ELSE 2 END"
    " LIMIT 1",
    3};

const struct db_stmt db_stmt_review_days_set = {
    "review_days_set",
    "WITH old AS (SELECT days, note FROM review_days"
    "  WHERE kind = $1 AND policy_id = $2 AND coalesce(region, '') = $3),"
    " w AS (INSERT INTO review_days AS o (kind, policy_id, region, days, note)"
    "  VALUES ($1, $2, nullif($3, ''), $4::int, nullif($5, ''))"
    "  ON CONFLICT (kind, policy_id, coalesce(region, '')) DO UPDATE SET days = EXCLUDED.days,"
    "    note = EXCLUDED.note, updated_at = now()"
    "  RETURNING o.kind, o.policy_id, o.region, o.days, o.note)"
    " SELECT json_build_object('kind', w.kind, 'policy', w.policy_id, 'region', w.region,"
    "   'days', w.days, 'note', w.note)::text,"
    "   (SELECT json_build_object('days', old.days, 'note', old.note)::text FROM old) FROM w",
    5};
// clang-format on

enum db_rc db_review_days_for(struct db_conn *c, const char *kind, const char *policy,
                              const char *region, int *days)
{
    const char *p[] = {kind, policy ? policy : "", region ? region : ""};
    enum db_rc rc;
    PGresult *res = db_exec_row(c, &db_stmt_review_days_for, p, true, &rc);
    if (!res)
        return rc;
    *days = atoi(PQgetvalue(res, 0, 0));
    PQclear(res);
    return DB_OK;
}

enum db_rc db_setting_write(struct db_conn *c, const struct db_stmt *s, const char *const *p,
                            char **after, char **before)
{
    enum db_rc rc;
    *after = *before = NULL;
    PGresult *res = db_exec_row(c, s, p, false, &rc);
    if (!res)
        return rc;
    *after = strdup(PQgetvalue(res, 0, 0));
    if (!PQgetisnull(res, 0, 1))
        *before = strdup(PQgetvalue(res, 0, 1));
    PQclear(res);
    return *after ? DB_OK : DB_HARD;
}

enum db_rc db_review_days_set(struct db_conn *c, const struct db_review_days *s, char **after,
                              char **before)
{
    char days[16];
    snprintf(days, sizeof days, "%d", s->days);
    const char *p[] = {s->kind, s->policy, s->region ? s->region : "", days,
                       s->note ? s->note : ""};
    return db_setting_write(c, &db_stmt_review_days_set, p, after, before);
}
