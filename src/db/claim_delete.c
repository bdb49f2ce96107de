/* Claims: delete a draft.  The claim and its timeline rows go in one statement (nobody but the
 * owner ever saw them); the audit row of the deletion, with what the draft was, stays. */
#include <stdio.h>

#include "ops.h"
#include "db_exec.h"

const struct db_stmt db_stmt_claim_delete = {
    "claim_delete",
    /* $1 id $2 actor $3 request_id */
    "WITH e AS (DELETE FROM claim_event WHERE claim_id = $1::bigint"
    "  AND EXISTS (SELECT 1 FROM claim WHERE id = $1::bigint AND state = 'draft')),"
    " c AS (DELETE FROM claim WHERE id = $1::bigint AND state = 'draft' RETURNING *),"
    " a AS (INSERT INTO audit (actor, action, object_kind, object_id, before, after, request_id)"
    "  SELECT nullif($2::bigint, 0), 'claim.delete', 'claim', c.id::text,"
    "  jsonb_build_object('state', c.state, 'region', c.region, 'kind', c.kind, 'occupation',"
    "  c.occupation, 'level', c.level), NULL, $3 FROM c)"
    " SELECT c.id FROM c",
    3};

enum db_rc db_claim_delete(struct db_conn *c, long long id, long long actor, const char *request_id)
{
    char idt[24], a[24];
    snprintf(idt, sizeof idt, "%lld", id);
    snprintf(a, sizeof a, "%lld", actor);
    const char *p[] = {idt, a, request_id};
    enum db_rc rc;
    PQclear(db_exec_row(c, &db_stmt_claim_delete, p, false, &rc));
    return rc;
}
