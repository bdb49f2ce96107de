/* The notice settings (notice_db.h, sql/0036_notice.sql): the one in force for a claim, a new
 * versioned row, the list of them, and the days of a region's monthly list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_exec.h"
#include "notice_db.h"
#include "review_db.h"

/* The newest setting of the most specific scope for policy POLICY and region REGION (SQL
 * expressions): the region's own, its city's, the policy's. */
// clang-format off
#define NOTICE_SETTING_OF(POLICY, REGION)                                                          \
    "SELECT x.days, x.mode FROM notice_setting x WHERE x.policy_id = " POLICY                     \
    "  AND (x.region IS NULL OR x.region = " REGION                                               \
    "   OR x.region = (SELECT parent FROM region WHERE code = " REGION "))"                        \
    " ORDER BY CASE WHEN x.region = " REGION " THEN 0 WHEN x.region IS NOT NULL THEN 1 ELSE 2 END," \
    " x.id DESC LIMIT 1"

const struct db_stmt db_stmt_notice_setting_for = {
    "notice_setting_for",
    /* $1 claim id */
    "SELECT coalesce(s.days, 0), coalesce(s.mode, '') FROM claim c"
    " LEFT JOIN LATERAL (" NOTICE_SETTING_OF("c.policy_id", "c.region") ") s ON true"
    " WHERE c.id = $1::bigint",
    1};

const struct db_stmt db_stmt_notice_setting_set = {
    "notice_setting_set",
    /* $1 policy $2 region ('' every region) $3 days $4 mode $5 note */
    "WITH old AS (SELECT id, days, mode, note FROM notice_setting"
    "  WHERE policy_id = $1 AND coalesce(region, '') = $2 ORDER BY id DESC LIMIT 1),"
    " w AS (INSERT INTO notice_setting (policy_id, region, days, mode, note)"
    "  VALUES ($1, nullif($2, ''), $3::int, $4, nullif($5, '')) RETURNING *)"
    " SELECT json_build_object('id', w.id, 'policy', w.policy_id, 'region', w.region,"
    "   'days', w.days, 'mode', w.mode, 'note', w.note)::text,"
    "   (SELECT json_build_object('id', old.id, 'days', old.days, 'mode', old.mode,"
    "    'note', old.note)::text FROM old) FROM w",
    5};

const struct db_stmt db_stmt_notice_settings = {
    "notice_settings",
    /* $1 policy ('' all) */
    "SELECT coalesce(json_agg(json_build_object('id', s.id, 'policy', s.policy_id, 'region',"
    "  s.region, 'days', s.days, 'mode', s.mode, 'note', s.note, 'set_at',"
    "  to_char(s.set_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
    "  'in_force', s.id = s.top)"
    "  ORDER BY s.policy_id, s.region NULLS FIRST, s.id DESC), '[]')::text"
    " FROM (SELECT x.*, max(x.id) OVER (PARTITION BY x.policy_id, coalesce(x.region, '')) AS top"
    "  FROM notice_setting x WHERE $1 = '' OR x.policy_id = $1) s",
    1};

const struct db_stmt db_stmt_notice_monthly_days = {
    "notice_monthly_days",
    /* $1 region: the newest monthly setting of the region, else of its city (any policy) */
    "SELECT x.days FROM notice_setting x WHERE x.mode = 'monthly'"
    "  AND (x.region = $1 OR x.region = (SELECT parent FROM region WHERE code = $1))"
    " ORDER BY CASE WHEN x.region = $1 THEN 0 ELSE 1 END, x.id DESC LIMIT 1",
    1};
// clang-format on

enum db_rc db_notice_setting_for(struct db_conn *c, long long id,
                                 struct db_notice_setting_in_force *out)
{
    char idt[24];
    snprintf(idt, sizeof idt, "%lld", id);
    const char *p[] = {idt};
    enum db_rc rc;
    PGresult *res = db_exec_row(c, &db_stmt_notice_setting_for, p, false, &rc);
    if (!res)
        return rc;
    out->days = atoi(PQgetvalue(res, 0, 0));
    snprintf(out->mode, sizeof out->mode, "%s", PQgetvalue(res, 0, 1));
    PQclear(res);
    return DB_OK;
}

enum db_rc db_notice_setting_set(struct db_conn *c, const struct db_notice_setting *s, char **after,
                                 char **before)
{
    char days[16];
    snprintf(days, sizeof days, "%d", s->days);
    const char *p[] = {s->policy, s->region ? s->region : "", days, s->mode,
                       s->note ? s->note : ""};
    return db_setting_write(c, &db_stmt_notice_setting_set, p, after, before);
}

enum db_rc db_notice_settings(struct db_conn *c, const char *policy, char **json)
{
    const char *p[] = {policy ? policy : ""};
    enum db_rc rc;
    *json = NULL;
    PGresult *res = db_exec_row(c, &db_stmt_notice_settings, p, true, &rc);
    if (!res)
        return rc;
    *json = strdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    return *json ? DB_OK : DB_HARD;
}

enum db_rc db_notice_monthly_days(struct db_conn *c, const char *region, int *days)
{
    const char *p[] = {region};
    enum db_rc rc;
    PGresult *res = db_exec_row(c, &db_stmt_notice_monthly_days, p, true, &rc);
    if (!res)
        return rc;
    *days = atoi(PQgetvalue(res, 0, 0));
    PQclear(res);
    return DB_OK;
}
