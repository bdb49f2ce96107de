/* Escalation of overdue items to their region's supervisor (review_db.h,
 * sql/0029_review_deadlines.sql): the supervisor's setting, recording the new escalations once,
 * and the supervisor's list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_exec.h"
#include "review_db.h"

// clang-format off
#define WAITING_ITEMS                                                                              \
    " SELECT 'claim' AS kind, c.id, c.region, c.review_due AS due FROM claim c"                    \
    "  WHERE c.state IN ('submitted', 'resubmitted', 'in_review', 'appealed')"                                 \
    " UNION ALL SELECT 'class_filing', k.id, k.region, k.deadline FROM class k"                    \
    "  WHERE k.state = 'filed'"
/* the supervisor of an item's region, else of its city */
#define SUPERVISOR(region)                                                                         \
    "coalesce((SELECT s.account_id FROM region_supervisor s WHERE s.region = " region "),"         \
    " (SELECT s.account_id FROM region_supervisor s JOIN region g ON g.parent = s.region"          \
    "  WHERE g.code = " region "))"

const struct db_stmt db_stmt_region_supervisor_set = {
    "region_supervisor_set",
    /* $1 region $2 account: an active approver of the region or of its city */
    "WITH old AS (SELECT account_id FROM region_supervisor WHERE region = $1),"
    " ok AS (SELECT a.id FROM account a, region g WHERE a.id = $2::bigint AND g.code = $1"
    "   AND a.role = 'approver' AND a.status = 'active'"
    "   AND (g.code = ANY (a.regions) OR g.parent = ANY (a.regions))),"
    " w AS (INSERT INTO region_supervisor AS o (region, account_id) SELECT $1, id FROM ok"
    "  ON CONFLICT (region) DO UPDATE SET account_id = EXCLUDED.account_id, updated_at = now()"
    "  RETURNING o.region, o.account_id)"
    " SELECT json_build_object('region', w.region, 'account', w.account_id)::text,"
    "   (SELECT json_build_object('account', old.account_id)::text FROM old) FROM w",
    2};

const struct db_stmt db_stmt_escalate = {
    "escalate",
    /* $1 token: the caller's account's items (NULL: every supervisor's, subsidyctl review
     * escalate) due on or before $2 (overdue by more than the working days), not escalated
     * before */
    "WITH w AS (INSERT INTO review_escalation (kind, object_id, region, due, supervisor)"
    "  SELECT i.kind, i.id, i.region, i.due, i.sup FROM (SELECT j.*, " SUPERVISOR("j.region")
    "   AS sup FROM (" WAITING_ITEMS ") j) i"
    "   WHERE i.due <= $2::date AND i.sup IS NOT NULL AND ($1::bigint IS NULL OR i.sup ="
    "    (SELECT account_id FROM token WHERE id = $1::bigint AND account_id IS NOT NULL))"
    "  ON CONFLICT DO NOTHING RETURNING kind, object_id, region, due, supervisor)"
    " SELECT kind, object_id::text, json_build_object('region', region, 'due', due::text,"
    "  'supervisor', supervisor)::text FROM w ORDER BY kind, object_id",
    2};

const struct db_stmt db_stmt_escalations = {
    "escalations",
    /* $1 token: the regions its account supervises and the escalations still waiting */
    "WITH me AS (SELECT account_id FROM token WHERE id = $1::bigint AND account_id IS NOT NULL)"
    " SELECT json_build_object('regions', (SELECT coalesce(json_agg(s.region ORDER BY s.region),"
    "   '[]') FROM region_supervisor s, me WHERE s.account_id = me.account_id),"
    " 'items', (SELECT coalesce(json_agg(json_build_object('kind', e.kind, 'id', e.object_id,"
    "   'region', e.region, 'due', e.due::text, 'escalated_at',"
    "   to_char(e.escalated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))"
    "   ORDER BY e.due, e.kind, e.object_id), '[]')"
    "  FROM review_escalation e JOIN me ON e.supervisor = me.account_id"
    "  JOIN (" WAITING_ITEMS ") i ON i.kind = e.kind AND i.id = e.object_id))::text",
    1};
// clang-format on

enum db_rc db_region_supervisor_set(struct db_conn *c, const char *region, long long account,
                                    char **after, char **before)
{
    char id[24];
    snprintf(id, sizeof id, "%lld", account);
    const char *p[] = {region, id};
    return db_setting_write(c, &db_stmt_region_supervisor_set, p, after, before);
}

enum db_rc db_escalate(struct db_conn *c, long long token, const char *due_by, long long actor,
                       const char *request_id, int *count)
{
    char tok[24];
    snprintf(tok, sizeof tok, "%lld", token);
    const char *p[] = {token > 0 ? tok : NULL, due_by};
    enum db_rc rc;
    *count = 0;
    PGresult *res = db_exec(c, &db_stmt_escalate, p, &rc);
    if (!res)
        return rc;
    for (int i = 0; rc == DB_OK && i < PQntuples(res); i++) {
        const struct db_audit_row a = {.actor = actor,
                                       .action = "review.escalate",
                                       .object_kind = PQgetvalue(res, i, 0),
                                       .object_id = PQgetvalue(res, i, 1),
                                       .after = PQgetvalue(res, i, 2),
                                       .request_id = request_id};
        rc = db_audit(c, &a);
    }
    if (rc == DB_OK)
        *count = PQntuples(res);
    PQclear(res);
    return rc;
}

enum db_rc db_escalations(struct db_conn *c, long long token, json_t **out)
{
    char tok[24];
    snprintf(tok, sizeof tok, "%lld", token);
    const char *p[] = {tok};
    enum db_rc rc;
    *out = NULL;
    PGresult *res = db_exec_row(c, &db_stmt_escalations, p, false, &rc);
    if (!res)
        return rc;
    *out = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
    PQclear(res);
    return *out ? DB_OK : DB_HARD;
}
