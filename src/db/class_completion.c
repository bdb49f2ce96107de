/* Completion (结业) of a class (class_db.h): the live roster's entries with what matches an
 * uploaded trainee (the keyed hash of the ID number), and the results written onto them. */
#include <stdio.h>

#include "class_db.h"
#include "db_exec.h"

// clang-format off
const struct db_stmt db_stmt_class_roster_keys = {
    "class_roster_keys",
    "SELECT coalesce(json_agg(json_build_object('entry', r.id, 'row', r.row_no,"
    "  'id_hash', '\\x' || encode(p.id_hash, 'hex'), 'id_number_masked', p.id_masked,"
    "  'name', " DB_MASK_NAME("r.name") ") ORDER BY r.row_no, r.id), '[]')::text"
    " FROM class_roster_entry r JOIN person p ON p.id = r.person_id"
    " WHERE r.class_id = $1::bigint AND r.removed_at IS NULL",
    1};
const struct db_stmt db_stmt_class_completion_write = {
    "class_completion_write",
    "UPDATE class_roster_entry r SET attendance_hours = x.hours, passed = x.passed,"
    "  completed_at = now()"
    "  FROM jsonb_to_recordset($2::jsonb) AS x (entry bigint, hours int, passed boolean)"
    " WHERE r.id = x.entry AND r.class_id = $1::bigint AND r.removed_at IS NULL",
    2};
// clang-format on

enum db_rc db_class_roster_keys(struct db_conn *c, long long id, json_t **items)
{
    char idt[24];
    snprintf(idt, sizeof idt, "%lld", id);
    const char *p[] = {idt};
    return db_json_exec(c, &db_stmt_class_roster_keys, p, items);
}

enum db_rc db_class_completion_write(struct db_conn *c, long long id, const char *results_json)
{
    char idt[24];
    snprintf(idt, sizeof idt, "%lld", id);
    const char *p[] = {idt, results_json};
    enum db_rc rc;
    PGresult *res = db_exec(c, &db_stmt_class_completion_write, p, &rc);
    if (!res)
        return rc;
    PQclear(res);
    return DB_OK;
}
