/* Who holds a claim in review (review_db.h): the holder gives it back, a supervisor gives it to
 * another approver of the region. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claim_sql.h"
#include "review_db.h"

// clang-format off
const struct db_stmt db_stmt_claim_assignee = {
    "claim_assignee",
    /* $1 token id $2 region $3 its city ('' none): an approver's token, live, of an active
     * account, acting in the region */
    "SELECT count(*) FROM token t WHERE t.id = $1::bigint AND t.role = 'approver'"
    " AND t.revoked_at IS NULL AND t.expires_at > now()"
    " AND t.regions && ARRAY[$2, nullif($3, '')]::text[]"
    " AND NOT EXISTS (SELECT 1 FROM account a WHERE a.id = t.account_id"
    "  AND a.status <> 'active')",
    3};

const struct db_stmt db_stmt_claim_assign = {
    "claim_assign",
    /* $1 id $2 from state $3 the token holding it now (0: none) $4 actor $5 request_id
     * $6 action $7 minutes, when the hold had expired $8 detail $9 reason.  A hold that has not expired
     * keeps its expiry.  An appealed claim stays appealed (held or not), the others are in
     * review after it. */
    "WITH c AS (UPDATE claim SET state = CASE WHEN state = 'appealed' THEN 'appealed'"
    "   ELSE 'in_review' END, updated_at = now(),"
    "  assigned_token = nullif($3::bigint, 0),"
    "  assigned_until = CASE WHEN $3::bigint = 0 THEN NULL"
    "   WHEN assigned_until > now() THEN assigned_until"
    "   ELSE now() + $7::int * interval '1 minute' END"
    "  WHERE id = $1::bigint AND state = $2 RETURNING *),"
    CLAIM_STEP_DETAIL("$4", "'approver'", "$5", "$6", "$2::text", "$9", "nullif($8, '')::jsonb")
    " SELECT " CLAIM_SUMMARY_FOR("false") "::text FROM c JOIN person p ON p.id = c.person_id",
    9};
// clang-format on

enum db_rc db_claim_assignee_ok(struct db_conn *c, long long token, const char *region,
                                const char *parent, bool *ok)
{
    char t[24];
    snprintf(t, sizeof t, "%lld", token);
    const char *p[] = {t, region, parent};
    enum db_rc rc;
    *ok = false;
    PGresult *res = db_exec_row(c, &db_stmt_claim_assignee, p, false, &rc);
    if (!res)
        return rc;
    *ok = atoll(PQgetvalue(res, 0, 0)) > 0;
    PQclear(res);
    return DB_OK;
}

enum db_rc db_claim_assign(struct db_conn *c, const struct db_claim_assign_step *s, char **json)
{
    char idt[24], holder[24], actor[24], minutes[16];
    snprintf(idt, sizeof idt, "%lld", s->id);
    snprintf(holder, sizeof holder, "%lld", s->holder);
    snprintf(actor, sizeof actor, "%lld", s->actor);
    snprintf(minutes, sizeof minutes, "%d", s->assign_minutes);
    const char *p[] = {idt,
                       s->from_state,
                       holder,
                       actor,
                       s->request_id,
                       s->action,
                       minutes,
                       s->detail_json ? s->detail_json : "",
                       s->reason ? s->reason : ""};
    enum db_rc rc;
    *json = NULL;
    PGresult *res = db_exec_row(c, &db_stmt_claim_assign, p, false, &rc);
    if (!res)
        return rc;
    *json = strdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    return *json ? DB_OK : DB_HARD;
}
