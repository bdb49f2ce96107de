/* Appeal (复议) of a rejected claim (review_db.h, sql/0032_claim_appeal.sql): what the timeline
 * says of its rejection and appeal, the appeal written, and the quota place an overturn takes
 * again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claim_sql.h"
#include "review_db.h"

// clang-format off
const struct db_stmt db_stmt_claim_appeal_facts = {
    "claim_appeal_facts",
    /* $1 id (locked by the caller) $2 the acting token $3 appeal days $4 today (YYYY-MM-DD):
     * the latest rejection (its event id, the last day to appeal it counted from its day in
     * Asia/Shanghai, whether today is within), whether the claim was appealed before, and
     * whether the rejection was made by the acting token's account (or by the token itself);
     * the claim's policy (for the appeal's review deadline) */
    "WITH r AS (SELECT e.id, e.actor, ((e.at AT TIME ZONE 'Asia/Shanghai')::date + $3::int) AS last"
    "  FROM claim_event e WHERE e.claim_id = $1::bigint AND e.action = 'reject'"
    "  ORDER BY e.id DESC LIMIT 1)"
    " SELECT coalesce((SELECT id FROM r), 0), coalesce((SELECT last::text FROM r), ''),"
    " coalesce((SELECT $4::date <= last FROM r), false),"
    " EXISTS (SELECT 1 FROM claim_event e WHERE e.claim_id = $1::bigint AND e.action = 'appeal'),"
    " coalesce((SELECT r.actor = $2::bigint OR coalesce(ta.account_id = tb.account_id, false)"
    "  FROM r LEFT JOIN token ta ON ta.id = r.actor LEFT JOIN token tb ON tb.id = $2::bigint), false),"
    " (SELECT coalesce(policy_id, '') FROM claim WHERE id = $1::bigint)",
    4};

const struct db_stmt db_stmt_claim_appeal = {
    "claim_appeal",
    /* $1 id $2 actor $3 request_id $4 detail {decision, reason} $5 review_due $6 estimated:
     * back in the queue as appealed, held by nobody, with a new deadline */
    "WITH c AS (UPDATE claim SET state = 'appealed', review_due = $5::date,"
    "  review_due_estimated = $6::boolean, assigned_token = NULL, assigned_until = NULL,"
    "  updated_at = now() WHERE id = $1::bigint AND state = 'rejected' RETURNING *),"
    CLAIM_STEP_DETAIL("$2", "c.owner_role", "$3", "'appeal'", "'rejected'::text", "''", "$4::jsonb")
    " SELECT " CLAIM_SUMMARY "::text FROM c JOIN person p ON p.id = c.person_id",
    6};

const struct db_stmt db_stmt_claim_quota_retake = {
    "claim_quota_retake",
    /* $1 id (locked) $2 places a year: the place of its year taken again when the claim counts;
     * false when the year's places are used up */
    "WITH c AS (SELECT person_id, year, counts_quota FROM claim WHERE id = $1::bigint),"
    " q AS (INSERT INTO claim_quota AS q (person_id, year, used)"
    "  SELECT person_id, year, 1 FROM c WHERE counts_quota"
    "  ON CONFLICT (person_id, year) DO UPDATE SET used = q.used + 1"
    "  WHERE q.used < $2::int RETURNING 1)"
    " SELECT NOT c.counts_quota OR EXISTS (SELECT 1 FROM q) FROM c",
    2};
// clang-format on

enum db_rc db_claim_appeal_facts(struct db_conn *c, long long id, long long actor, int days,
                                 const char *today, struct db_claim_appeal_facts *out)
{
    char idt[24], a[24], d[16];
    snprintf(idt, sizeof idt, "%lld", id);
    snprintf(a, sizeof a, "%lld", actor);
    snprintf(d, sizeof d, "%d", days);
    const char *p[] = {idt, a, d, today};
    enum db_rc rc;
    memset(out, 0, sizeof *out);
    PGresult *res = db_exec_row(c, &db_stmt_claim_appeal_facts, p, false, &rc);
    if (!res)
        return rc;
    out->rejection_event = atoll(PQgetvalue(res, 0, 0));
    snprintf(out->last_day, sizeof out->last_day, "%s", PQgetvalue(res, 0, 1));
    out->within = PQgetvalue(res, 0, 2)[0] == 't';
    out->appealed_before = PQgetvalue(res, 0, 3)[0] == 't';
    out->rejected_by_actor = PQgetvalue(res, 0, 4)[0] == 't';
    snprintf(out->policy, sizeof out->policy, "%s", PQgetvalue(res, 0, 5));
    PQclear(res);
    return DB_OK;
}

enum db_rc db_claim_appeal(struct db_conn *c, const struct db_claim_appeal_step *s, char **json)
{
    char idt[24], actor[24];
    snprintf(idt, sizeof idt, "%lld", s->id);
    snprintf(actor, sizeof actor, "%lld", s->actor);
    const char *p[] = {idt,           actor,
                       s->request_id, s->detail_json,
                       s->review_due, s->review_due_estimated ? "true" : "false"};
    enum db_rc rc;
    *json = NULL;
    PGresult *res = db_exec_row(c, &db_stmt_claim_appeal, p, false, &rc);
    if (!res)
        return rc;
    *json = strdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    return *json ? DB_OK : DB_HARD;
}

enum db_rc db_claim_quota_retake(struct db_conn *c, long long id, int per_year, bool *taken)
{
    char idt[24], n[16];
    snprintf(idt, sizeof idt, "%lld", id);
    snprintf(n, sizeof n, "%d", per_year);
    const char *p[] = {idt, n};
    enum db_rc rc;
    *taken = false;
    PGresult *res = db_exec_row(c, &db_stmt_claim_quota_retake, p, false, &rc);
    if (!res)
        return rc;
    *taken = PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    return DB_OK;
}
