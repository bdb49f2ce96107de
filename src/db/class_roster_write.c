/* A class's roster replaced by a new list of trainees (class_db.h): first the roster-stuffing
 * look-up (the persons on another live class of the same occupation and level, or project),
 * then one statement adds the persons not yet known, removes the entries no longer named,
 * keeps the others and writes the timeline entry.  The unique index class_roster_stuffing
 * (sql/0021_classes.sql) stops a filing racing this one; the transaction then runs again and
 * the look-up names the class that won. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "class_db.h"
#include "db_exec.h"

#define ENTRIES                                                                                    \
    "jsonb_to_recordset($3::jsonb) AS x (row int, id_hash text, id_sealed text, id_masked text,"   \
    " name text)"

// clang-format off
const struct db_stmt db_stmt_roster_conflicts = {
    "roster_conflicts",
    "SELECT coalesce(json_agg(json_build_object('row', x.row, 'id_number_masked', x.id_masked,"
    "         'name', " DB_MASK_NAME("x.name") ", 'class_id', r.class_id) ORDER BY x.row), '[]')::text"
    "  FROM " ENTRIES
    "  JOIN person p ON p.id_hash = decode(substr(x.id_hash, 3), 'hex')"
    "  JOIN class_roster_entry r ON r.person_id = p.id AND r.guard_key = $2"
    "   AND r.live AND r.removed_at IS NULL AND r.class_id <> $1::bigint",
    3};

const struct db_stmt db_stmt_roster_write = {
    "roster_write",
    /* $1 class $2 guard key $3 entries $4 actor $5 actor role $6 action $7 state $8 request */
    "WITH x AS (SELECT x.row, decode(substr(x.id_hash, 3), 'hex') AS h,"
    "    decode(substr(x.id_sealed, 3), 'hex') AS s, x.id_masked, x.name FROM " ENTRIES "),"
    " ins AS (INSERT INTO person (id_hash, id_sealed, id_masked, name)"
    "    SELECT h, s, id_masked, name FROM x ON CONFLICT (id_hash) DO NOTHING"
    "    RETURNING id, id_hash),"
    " ppl AS (SELECT x.row, x.name, coalesce(ins.id, p.id) AS person_id FROM x"
    "    LEFT JOIN ins ON ins.id_hash = x.h LEFT JOIN person p ON p.id_hash = x.h),"
    " rem AS (UPDATE class_roster_entry r SET removed_at = now(), removed_by = nullif($4::bigint, 0)"
    "    WHERE r.class_id = $1::bigint AND r.removed_at IS NULL"
    "      AND r.person_id NOT IN (SELECT person_id FROM ppl WHERE person_id IS NOT NULL)"
    "    RETURNING r.id),"
    " kept AS (UPDATE class_roster_entry r SET row_no = ppl.row FROM ppl"
    "    WHERE r.class_id = $1::bigint AND r.removed_at IS NULL AND r.person_id = ppl.person_id"
    "    RETURNING r.id),"
    " added AS (INSERT INTO class_roster_entry (class_id, person_id, row_no, name, guard_key,"
    "    added_by)"
    "    SELECT $1::bigint, ppl.person_id, ppl.row, ppl.name, $2, nullif($4::bigint, 0) FROM ppl"
    "     WHERE ppl.person_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM class_roster_entry r"
    "        WHERE r.class_id = $1::bigint AND r.removed_at IS NULL"
    "          AND r.person_id = ppl.person_id)"
    "    RETURNING id),"
    " counts AS (SELECT (SELECT count(*) FROM added) AS added, (SELECT count(*) FROM rem) AS removed,"
    "    (SELECT count(*) FROM kept) AS kept),"
    " ev AS (INSERT INTO class_event (class_id, actor, actor_role, action, from_state, to_state,"
    "    detail, request_id)"
    "    SELECT $1::bigint, nullif($4::bigint, 0), $5, $6, $7, $7,"
    "      jsonb_build_object('added', added, 'removed', removed, 'kept', kept), $8 FROM counts)"
    " SELECT (SELECT count(*) FROM ppl WHERE person_id IS NULL),"
    "   json_build_object('added', added, 'removed', removed, 'kept', kept,"
    "     'live', added + kept)::text FROM counts",
    8};
// clang-format on

enum db_rc db_roster_write(struct db_conn *c, const struct db_roster_write *w,
                           enum db_roster_outcome *outcome, json_t **conflicts, json_t **counts)
{
    char id[24], actor[24];
    snprintf(id, sizeof id, "%lld", w->class_id);
    snprintf(actor, sizeof actor, "%lld", w->actor);
    *outcome = DB_ROSTER_WRITTEN;
    *conflicts = *counts = NULL;
    const char *q[] = {id, w->guard_key, w->entries_json};
    json_t *found = NULL;
    enum db_rc rc = db_json_exec(c, &db_stmt_roster_conflicts, q, &found);
    if (rc != DB_OK)
        return rc;
    if (json_array_size(found) > 0) {
        *outcome = DB_ROSTER_STUFFING;
        *conflicts = found;
        return DB_OK;
    }
    json_decref(found);
    const char *p[] = {id,        w->guard_key, w->entries_json, actor, w->actor_role,
                       w->action, w->state,     w->request_id};
    PGresult *res = db_exec_row(c, &db_stmt_roster_write, p, false, &rc);
    if (rc == DB_UNIQUE && strcmp(db_last_constraint(c), "class_roster_stuffing") == 0)
        return DB_SOFT; /* a racing filing won: run again, the look-up names it */
    if (!res)
        return rc;
    /* a person inserted by a racing transaction after this statement's snapshot: run again */
    rc = atol(PQgetvalue(res, 0, 0)) > 0 ? DB_SOFT : DB_OK;
    if (rc == DB_OK) {
        *counts = json_loads(PQgetvalue(res, 0, 1), 0, NULL);
        rc = *counts ? DB_OK : DB_HARD;
    }
    PQclear(res);
    return rc;
}
