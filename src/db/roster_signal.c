/* Roster signals (class_db.h, sql/0025_roster_signals.sql): a class's signals replaced after its
 * roster was written.  The trainees' person rows are locked first, in id order, and the signals
 * are read by the next statement: under READ COMMITTED that statement's snapshot sees every
 * filing that held one of those persons and committed, so of two filings racing for a person
 * the later one always writes the signal naming the other. */
#include <stdio.h>
#include <stdlib.h>

#include "class_db.h"
#include "db_exec.h"

// clang-format off
const struct db_stmt db_stmt_roster_signal_lock = {
    "roster_signal_lock",
    "SELECT count(*) FROM (SELECT p.id FROM person p WHERE p.id IN (SELECT r.person_id"
    "  FROM class_roster_entry r WHERE r.class_id = $1::bigint AND r.removed_at IS NULL)"
    "  ORDER BY p.id FOR NO KEY UPDATE OF p) l",
    1};

const struct db_stmt db_stmt_roster_signal_write = {
    "roster_signal_write",
    /* $1 class $2 per-row signals [{row, kind, detail}] $3 students not covered $4 their detail */
    "WITH k AS (SELECT id, institution, start_date, end_date FROM class WHERE id = $1::bigint),"
    " mine AS (SELECT r.id, r.person_id, r.row_no FROM class_roster_entry r"
    "    WHERE r.class_id = $1::bigint AND r.removed_at IS NULL AND r.live),"
    " del AS (DELETE FROM roster_signal WHERE class_id = $1::bigint OR other_class_id = $1::bigint),"
    " pairs AS (SELECT m.id AS entry_id, o.id AS other_entry_id, oc.id AS other_class_id,"
    "    oc.institution <> k.institution AS other_institution,"
    "    greatest(k.start_date, oc.start_date) AS overlap_from,"
    "    least(k.end_date, oc.end_date) AS overlap_to,"
    "    greatest(date_trunc('month', k.start_date), date_trunc('month', oc.start_date)) AS m_from,"
    "    least(date_trunc('month', k.end_date), date_trunc('month', oc.end_date)) AS m_to"
    "    FROM mine m CROSS JOIN k"
    "    JOIN class_roster_entry o ON o.person_id = m.person_id AND o.class_id <> $1::bigint"
    "     AND o.live AND o.removed_at IS NULL"
    "    JOIN class oc ON oc.id = o.class_id),"
    " sig AS (SELECT entry_id, 'overlapping_dates' AS kind, other_class_id, other_entry_id,"
    "      jsonb_build_object('overlap_from', overlap_from::text, 'overlap_to', overlap_to::text)"
    "      AS detail FROM pairs WHERE overlap_from <= overlap_to"
    "    UNION ALL SELECT entry_id, 'several_institutions', other_class_id, other_entry_id,"
    "      jsonb_build_object('month', to_char(m_from, 'YYYY-MM')) FROM pairs"
    "     WHERE other_institution AND m_from <= m_to"
    "    UNION ALL SELECT m.id, x.kind, NULL, NULL, x.detail"
    "      FROM jsonb_to_recordset($2::jsonb) AS x (row int, kind text, detail jsonb)"
    "      JOIN mine m ON m.row_no = x.row"
    "    UNION ALL SELECT m.id, 'student_not_covered', NULL, NULL, $4::jsonb"
    "      FROM mine m JOIN person p ON p.id = m.person_id"
    "     WHERE $3::boolean AND p.groups @> '[{\"group\": \"graduating_student\"}]'),"
    " ins AS (INSERT INTO roster_signal (class_id, entry_id, kind, other_class_id,"
    "    other_entry_id, detail)"
    "    SELECT $1::bigint, entry_id, kind, other_class_id, other_entry_id, detail FROM sig"
    "    RETURNING 1)"
    " SELECT count(*) FROM ins",
    4};
// clang-format on

enum db_rc db_roster_signals_write(struct db_conn *c, const struct db_roster_signals *s,
                                   long long *count)
{
    char id[24];
    snprintf(id, sizeof id, "%lld", s->class_id);
    const char *l[] = {id};
    enum db_rc rc;
    PGresult *res = db_exec_row(c, &db_stmt_roster_signal_lock, l, false, &rc);
    if (!res)
        return rc;
    PQclear(res);
    const char *p[] = {id, s->row_signals_json, s->students_not_covered ? "true" : "false",
                       s->student_detail_json};
    res = db_exec_row(c, &db_stmt_roster_signal_write, p, false, &rc);
    if (!res)
        return rc;
    *count = atoll(PQgetvalue(res, 0, 0));
    PQclear(res);
    return DB_OK;
}
