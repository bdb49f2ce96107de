/* Sessions of a running class and their sign-ins (class_attendance_db.h, sql/0023): a session
 * inserted only when it overlaps no other session of the class (the class's row lock, taken
 * first, makes the check and the insert one step), each write with its timeline entry. */
#include <stdio.h>

#include "class_attendance_db.h"
#include "db_exec.h"

#define TS(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
// clang-format off
#define SESSION_JSON                                                                               \
    "json_build_object('id', s.id, 'class_id', s.class_id, 'date', s.day::text,"                   \
    " 'start_time', to_char(s.starts_at, 'HH24:MI'), 'end_time', to_char(s.ends_at, 'HH24:MI'),"   \
    " 'mode', s.mode, 'hours', s.hours, 'topic', s.topic,"                                         \
    " 'signins', (SELECT count(*) FROM class_signin g WHERE g.session_id = s.id),"                 \
    " 'created_at', " TS("s.created_at") ")"

const struct db_stmt db_stmt_class_session_insert = {
    "class_session_insert",
    /* $1 class $2 day $3 start $4 end $5 mode $6 hours $7 topic $8 state $9 actor
     * $10 actor role $11 request */
    "WITH clash AS (SELECT s.id, s.day, s.starts_at, s.ends_at FROM class_session s"
    "   WHERE s.class_id = $1::bigint AND s.day = $2::date"
    "     AND s.starts_at < $4::time AND s.ends_at > $3::time ORDER BY s.starts_at LIMIT 1),"
    " ins AS (INSERT INTO class_session (class_id, day, starts_at, ends_at, mode, hours, topic,"
    "   created_by)"
    "   SELECT $1::bigint, $2::date, $3::time, $4::time, $5, $6::int, nullif($7, ''),"
    "     nullif($9::bigint, 0) WHERE NOT EXISTS (SELECT 1 FROM clash) RETURNING id),"
    " ev AS (INSERT INTO class_event (class_id, actor, actor_role, action, from_state, to_state,"
    "   detail, request_id)"
    "   SELECT $1::bigint, nullif($9::bigint, 0), $10, 'session', $8, $8,"
    "     jsonb_build_object('session_id', ins.id, 'date', $2::text, 'mode', $5), $11 FROM ins)"
    " SELECT json_build_object('id', (SELECT id FROM ins), 'clash',"
    "   (SELECT json_build_object('id', id, 'date', day::text,"
    "      'start_time', to_char(starts_at, 'HH24:MI'), 'end_time', to_char(ends_at, 'HH24:MI'))"
    "      FROM clash))::text",
    11};
const struct db_stmt db_stmt_class_session_get = {
    "class_session_get",
    "SELECT " SESSION_JSON "::text FROM class_session s"
    " WHERE s.id = $2::bigint AND s.class_id = $1::bigint",
    2};
const struct db_stmt db_stmt_class_sessions = {
    "class_sessions",
    "SELECT coalesce(json_agg(" SESSION_JSON " ORDER BY s.day, s.starts_at, s.id), '[]')::text"
    " FROM class_session s WHERE s.class_id = $1::bigint",
    1};
const struct db_stmt db_stmt_class_session_signed = {
    "class_session_signed",
    "SELECT coalesce(json_agg(g.entry_id ORDER BY g.entry_id), '[]')::text"
    " FROM class_signin g WHERE g.session_id = $1::bigint",
    1};
const struct db_stmt db_stmt_class_signins_write = {
    "class_signins_write",
    /* $1 class $2 session $3 rows $4 state $5 actor $6 actor role $7 request */
    "WITH ins AS (INSERT INTO class_signin (session_id, entry_id, signed_at, method, evidence,"
    "   created_by)"
    "   SELECT $2::bigint, x.entry, x.at::time, x.method, x.evidence, nullif($5::bigint, 0)"
    "     FROM jsonb_to_recordset($3::jsonb) AS x (entry bigint, at text, method text,"
    "                                            evidence text)"
    "   RETURNING id)"
    " INSERT INTO class_event (class_id, actor, actor_role, action, from_state, to_state, detail,"
    "   request_id)"
    " SELECT $1::bigint, nullif($5::bigint, 0), $6, 'signin', $4, $4,"
    "   jsonb_build_object('session_id', $2::bigint, 'signins', (SELECT count(*) FROM ins)), $7"
    " RETURNING id",
    7};
// clang-format on

enum db_rc db_class_session_insert(struct db_conn *c, const struct db_class_session_new *s,
                                   long long *id, json_t **clash)
{
    char cid[24], hours[16], actor[24];
    snprintf(cid, sizeof cid, "%lld", s->class_id);
    snprintf(hours, sizeof hours, "%d", s->hours);
    snprintf(actor, sizeof actor, "%lld", s->actor);
    const char *p[] = {
        cid,      s->day, s->starts_at,  s->ends_at,   s->mode, hours, s->topic ? s->topic : "",
        s->state, actor,  s->actor_role, s->request_id};
    json_t *out = NULL;
    *id = 0;
    *clash = NULL;
    enum db_rc rc = db_json_exec(c, &db_stmt_class_session_insert, p, &out);
    if (rc != DB_OK)
        return rc;
    if (!out)
        return DB_HARD;
    *id = json_integer_value(json_object_get(out, "id"));
    json_t *k = json_object_get(out, "clash");
    if (json_is_object(k))
        *clash = json_incref(k);
    json_decref(out);
    return DB_OK;
}

enum db_rc db_class_session_get(struct db_conn *c, long long id, long long sid, json_t **out)
{
    char a[24], b[24];
    snprintf(a, sizeof a, "%lld", id);
    snprintf(b, sizeof b, "%lld", sid);
    const char *p[] = {a, b};
    return db_json_exec(c, &db_stmt_class_session_get, p, out);
}

enum db_rc db_class_json_by_id(struct db_conn *c, const struct db_stmt *s, long long id,
                               json_t **out)
{
    char a[24];
    snprintf(a, sizeof a, "%lld", id);
    const char *p[] = {a};
    return db_json_exec(c, s, p, out);
}

enum db_rc db_class_sessions(struct db_conn *c, long long id, json_t **items)
{
    return db_class_json_by_id(c, &db_stmt_class_sessions, id, items);
}

enum db_rc db_class_session_signed(struct db_conn *c, long long sid, json_t **entries)
{
    return db_class_json_by_id(c, &db_stmt_class_session_signed, sid, entries);
}

enum db_rc db_class_signins_write(struct db_conn *c, const struct db_class_signins *w)
{
    char cid[24], sid[24], actor[24];
    snprintf(cid, sizeof cid, "%lld", w->class_id);
    snprintf(sid, sizeof sid, "%lld", w->session_id);
    snprintf(actor, sizeof actor, "%lld", w->actor);
    const char *p[] = {cid, sid, w->rows_json, w->state, actor, w->actor_role, w->request_id};
    enum db_rc rc;
    PGresult *res = db_exec_row(c, &db_stmt_class_signins_write, p, false, &rc);
    if (!res)
        return rc;
    PQclear(res);
    return DB_OK;
}
