/* Process inspections (过程检查) of a class by approvers of its region (class_attendance_db.h,
 * sql/0023): recorded with their timeline entry, listed oldest first. */
#include <stdio.h>

#include "class_attendance_db.h"
#include "db_exec.h"

#define TS(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
// clang-format off
#define INSPECTION_JSON                                                                            \
    "json_build_object('id', n.id, 'class_id', n.class_id, 'date', n.day::text,"                   \
    " 'findings', n.findings, 'result', n.result, 'evidence', n.evidence,"                         \
    " 'created_at', " TS("n.created_at") ")"

const struct db_stmt db_stmt_class_inspection_insert = {
    "class_inspection_insert",
    /* $1 class $2 day $3 findings $4 result $5 evidence $6 state $7 actor $8 actor role
     * $9 request */
    "WITH n AS (INSERT INTO class_inspection (class_id, day, findings, result, evidence,"
    "   created_by)"
    "   VALUES ($1::bigint, $2::date, $3, $4, nullif($5, ''), nullif($7::bigint, 0))"
    "   RETURNING *),"
    " ev AS (INSERT INTO class_event (class_id, actor, actor_role, action, from_state, to_state,"
    "   detail, request_id)"
    "   SELECT $1::bigint, nullif($7::bigint, 0), $8, 'inspection', $6, $6,"
    "     jsonb_build_object('inspection_id', n.id, 'result', n.result), $9 FROM n)"
    " SELECT " INSPECTION_JSON "::text FROM n",
    9};
const struct db_stmt db_stmt_class_inspections = {
    "class_inspections",
    "SELECT coalesce(json_agg(" INSPECTION_JSON " ORDER BY n.id), '[]')::text"
    " FROM class_inspection n WHERE n.class_id = $1::bigint",
    1};
// clang-format on

enum db_rc db_class_inspection_insert(struct db_conn *c, const struct db_class_inspection_new *n,
                                      json_t **out)
{
    char cid[24], actor[24];
    snprintf(cid, sizeof cid, "%lld", n->class_id);
    snprintf(actor, sizeof actor, "%lld", n->actor);
    const char *p[] = {
        cid,      n->day, n->findings,   n->result,    n->evidence ? n->evidence : "",
        n->state, actor,  n->actor_role, n->request_id};
    return db_json_exec(c, &db_stmt_class_inspection_insert, p, out);
}

enum db_rc db_class_inspections(struct db_conn *c, long long id, json_t **items)
{
    return db_class_json_by_id(c, &db_stmt_class_inspections, id, items);
}
