/* One step of a class's life (class_db.h): its state moved and, when the step names one, the
 * deadline of the next step, with the timeline entry in the same statement.  The state is
 * compared too, so that a step decided on a stale read writes nothing. */
#include <stdio.h>

#include "class_db.h"
#include "db_exec.h"

// clang-format off
const struct db_stmt db_stmt_class_step = {
    "class_step",
    /* $1 class $2 from $3 to $4 action $5 reason $6 detail $7 deadline $8 estimated
     * $9 actor $10 actor role $11 request */
    "WITH up AS (UPDATE class SET state = $3, updated_at = now(),"
    "    deadline = coalesce($7::date, deadline),"
    "    deadline_estimated = CASE WHEN $7::date IS NULL THEN deadline_estimated"
    "                              ELSE $8::boolean END"
    "  WHERE id = $1::bigint AND state = $2 RETURNING id)"
    " INSERT INTO class_event (class_id, actor, actor_role, action, from_state, to_state, reason,"
    "   detail, deadline, request_id)"
    " SELECT id, nullif($9::bigint, 0), $10, $4, $2, $3, $5, $6::jsonb, $7::date, $11 FROM up"
    " RETURNING id",
    11};
// clang-format on

enum db_rc db_class_step(struct db_conn *c, const struct db_class_step *s)
{
    char id[24], actor[24];
    snprintf(id, sizeof id, "%lld", s->class_id);
    snprintf(actor, sizeof actor, "%lld", s->actor);
    const char *p[] = {
        id,        s->from,        s->to,        s->action,
        s->reason, s->detail_json, s->deadline,  s->deadline_estimated ? "true" : "false",
        actor,     s->actor_role,  s->request_id};
    enum db_rc rc;
    PGresult *res = db_exec_row(c, &db_stmt_class_step, p, false, &rc);
    if (!res)
        return rc == DB_NOT_FOUND ? DB_SOFT : rc; /* the state moved under us: run again */
    PQclear(res);
    return DB_OK;
}
