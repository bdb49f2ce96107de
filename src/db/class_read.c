/* Reading classes (class_db.h): one with its timeline, a page of them, the live roster
 * (masked), the acceptance receipt, and the lock a roster change takes first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "class_db.h"
#include "class_sql.h"
#include "db_exec.h"

#define TS(col)    CLASS_TS(col)
#define RECEIPT_NO CLASS_RECEIPT_NO
#define LIVE_COUNT CLASS_LIVE_COUNT
// clang-format off
const struct db_stmt db_stmt_class_lock = {
    "class_lock",
    "SELECT k.institution, k.region, coalesce(g.parent, ''), k.state, k.start_date::text,"
    "  k.guard_key, k.capacity, k.end_date::text, k.class_hours, k.policy_id, k.kind"
    "  FROM class k JOIN region g ON g.code = k.region WHERE k.id = $1::bigint FOR UPDATE OF k",
    1};
const struct db_stmt db_stmt_class_get = {
    "class_get",
    "SELECT " CLASS_JSON ", 'timeline', (SELECT coalesce(json_agg(json_build_object('at', "
    TS("e.at") ", 'actor_role', e.actor_role, 'action', e.action, 'from_state', e.from_state,"
    "  'to_state', e.to_state, 'reason', e.reason, 'detail', e.detail,"
    "  'deadline', e.deadline::text) ORDER BY e.id), '[]')"
    "  FROM class_event e WHERE e.class_id = k.id), 'signals', class_signals_json(k.id))::text,"
    " k.institution, k.region, coalesce(g.parent, '')"
    " FROM class k JOIN region g ON g.code = k.region WHERE k.id = $1::bigint",
    1};
const struct db_stmt db_stmt_class_roster = {
    "class_roster",
    "SELECT coalesce(json_agg(json_build_object('row', r.row_no, 'person',"
    "  json_build_object('id_number_masked', p.id_masked, 'name', " DB_MASK_NAME("r.name") "),"
    "  'person_ref', r.person_id, 'added_at', " TS("r.added_at") ","
    "  'attendance_hours', r.attendance_hours,"
    "  'passed', r.passed, 'signals', roster_entry_signals(r.id)) ORDER BY r.row_no, r.id),"
    "  '[]')::text"
    " FROM class_roster_entry r JOIN person p ON p.id = r.person_id"
    " WHERE r.class_id = $1::bigint AND r.removed_at IS NULL",
    1};
const struct db_stmt db_stmt_class_receipt = {
    "class_receipt",
    "SELECT json_build_object('receipt_no', " RECEIPT_NO ", 'class_id', k.id,"
    "  'institution', k.institution, 'institution_name', i.name, 'region', k.region,"
    "  'region_name', g.name, 'received_at', " TS("k.filed_at") ","
    "  'received', json_build_object('class_filing', 1, 'roster_entries', " LIVE_COUNT ","
    "    'roster_changes', (SELECT count(*) FROM class_event e WHERE e.class_id = k.id"
    "                        AND e.action = 'roster') - 1),"
    "  'state', k.state, 'next_step', 'accept', 'deadline', k.deadline::text,"
    "  'deadline_estimated', k.deadline_estimated, 'start_date', k.start_date::text,"
    "  'occupation', k.occupation, 'level', k.level, 'project_name', k.project_name)::text,"
    "  k.institution, k.region, coalesce(g.parent, '')"
    " FROM class k JOIN institution i ON i.credit_code = k.institution"
    " JOIN region g ON g.code = k.region WHERE k.id = $1::bigint",
    1};
const struct db_stmt db_stmt_class_list = {
    "class_list",
    /* $1 institution $2 regions csv $3 state $4 policy $5 year $6 after $7 limit */
    "SELECT " CLASS_JSON ")::text, k.id FROM class k JOIN region g ON g.code = k.region"
    " WHERE ($1 = '' OR k.institution = $1)"
    "   AND ($2 = '-' OR k.region = ANY (string_to_array($2, ','))"
    "        OR g.parent = ANY (string_to_array($2, ',')))"
    "   AND ($3 = '' OR k.state = $3) AND ($4 = '' OR k.policy_id = $4)"
    "   AND ($5::int = 0 OR extract(year FROM k.start_date) = $5::int)"
    "   AND ($6::bigint = 0 OR k.id < $6::bigint)"
    " ORDER BY k.id DESC LIMIT $7::int",
    7};
// clang-format on

static void copy(char *out, size_t len, const PGresult *res, int col)
{
    snprintf(out, len, "%s", PQgetvalue(res, 0, col));
}

enum db_rc db_class_lock(struct db_conn *c, long long id, struct db_class_locked *out)
{
    char idt[24];
    snprintf(idt, sizeof idt, "%lld", id);
    const char *p[] = {idt};
    enum db_rc rc;
    memset(out, 0, sizeof *out);
    PGresult *res = db_exec_row(c, &db_stmt_class_lock, p, false, &rc);
    if (!res)
        return rc;
    copy(out->institution, sizeof out->institution, res, 0);
    copy(out->region, sizeof out->region, res, 1);
    copy(out->region_parent, sizeof out->region_parent, res, 2);
    copy(out->state, sizeof out->state, res, 3);
    copy(out->start_date, sizeof out->start_date, res, 4);
    copy(out->guard_key, sizeof out->guard_key, res, 5);
    out->capacity = atoi(PQgetvalue(res, 0, 6));
    copy(out->end_date, sizeof out->end_date, res, 7);
    out->class_hours = atoi(PQgetvalue(res, 0, 8));
    copy(out->policy, sizeof out->policy, res, 9);
    copy(out->kind, sizeof out->kind, res, 10);
    PQclear(res);
    return DB_OK;
}

/* A row (JSON text, institution, region, parent) into v. */
static enum db_rc view_exec(struct db_conn *c, const struct db_stmt *s, long long id,
                            struct db_class_view *v)
{
    char idt[24];
    snprintf(idt, sizeof idt, "%lld", id);
    const char *p[] = {idt};
    enum db_rc rc;
    memset(v, 0, sizeof *v);
    PGresult *res = db_exec_row(c, s, p, true, &rc);
    if (!res)
        return rc;
    v->json = strdup(PQgetvalue(res, 0, 0));
    copy(v->institution, sizeof v->institution, res, 1);
    copy(v->region, sizeof v->region, res, 2);
    copy(v->region_parent, sizeof v->region_parent, res, 3);
    PQclear(res);
    return v->json ? DB_OK : DB_HARD;
}

enum db_rc db_class_get(struct db_conn *c, long long id, struct db_class_view *out)
{
    return view_exec(c, &db_stmt_class_get, id, out);
}

enum db_rc db_class_receipt(struct db_conn *c, long long id, struct db_class_view *out)
{
    return view_exec(c, &db_stmt_class_receipt, id, out);
}

void db_class_view_free(struct db_class_view *v)
{
    free(v->json);
    v->json = NULL;
}

enum db_rc db_class_roster(struct db_conn *c, long long id, json_t **items)
{
    char idt[24];
    snprintf(idt, sizeof idt, "%lld", id);
    const char *p[] = {idt};
    return db_json_exec(c, &db_stmt_class_roster, p, items);
}

enum db_rc db_class_list(struct db_conn *c, const struct db_class_filter *f, struct db_page *out)
{
    char year[16], after[24];
    snprintf(year, sizeof year, "%d", f->year);
    snprintf(after, sizeof after, "%lld", f->after);
    const char *p[] = {f->institution ? f->institution : "",
                       f->regions_csv ? f->regions_csv : "-",
                       f->state ? f->state : "",
                       f->policy ? f->policy : "",
                       year,
                       after,
                       NULL};
    return db_page_exec(c, &db_stmt_class_list, p, f->limit, DB_KEY_INT, out);
}
