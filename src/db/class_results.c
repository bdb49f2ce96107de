/* Assessment results (考核鉴定) of a class (class_db.h, sql/0030_class_results.sql): what an
 * upload is checked against, in one statement; the results written; the acceptance receipt of
 * the upload; the results as the class's readers see them (masked). */
#include <stdio.h>
#include <stdlib.h>

#include "class_db.h"
#include "db_exec.h"

#define TS(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

// clang-format off
const struct db_stmt db_stmt_class_results_check = {
    "class_results_check",
    "SELECT coalesce(json_agg(json_build_object('row', x.row, 'entry', r.id,"
    "  'passed', coalesce(r.passed, false), 'body_found', b.credit_code IS NOT NULL,"
    "  'body_suspended', coalesce(b.status = 'suspended', false),"
    "  'body_black_listed', EXISTS (SELECT 1 FROM evaluation_body_list_entry l"
    "     WHERE l.credit_code = b.credit_code AND l.list = 'black' AND l.valid_from <= x.issue_date"
    "       AND (l.valid_to IS NULL OR l.valid_to >= x.issue_date)),"
    "  'used', EXISTS (SELECT 1 FROM certificate ct JOIN claim cl ON cl.certificate_id = ct.id"
    "     WHERE ct.kind = x.kind AND ct.number = x.number AND claim_state_live(cl.state))"
    "   OR EXISTS (SELECT 1 FROM class_result cr WHERE cr.kind = x.kind AND cr.number = x.number))"
    "  ORDER BY x.row), '[]')::text"
    " FROM jsonb_to_recordset($2::jsonb) AS x (row int, id_hash text, kind text, number text,"
    "      body text, issue_date date)"
    " LEFT JOIN person p ON p.id_hash = x.id_hash::bytea"
    " LEFT JOIN class_roster_entry r ON r.person_id = p.id AND r.class_id = $1::bigint"
    "      AND r.removed_at IS NULL"
    " LEFT JOIN evaluation_body b ON b.credit_code = x.body",
    2};
const struct db_stmt db_stmt_class_results_write = {
    "class_results_write",
    "INSERT INTO class_result (class_id, entry_id, row_no, kind, number, level, issue_date,"
    "  body_code, held, hold_reason, recorded_by)"
    " SELECT $1::bigint, x.entry, x.row, x.kind, x.number, x.level, x.issue_date, x.body,"
    "  x.hold_reason IS NOT NULL, x.hold_reason, nullif($3::bigint, 0)"
    " FROM jsonb_to_recordset($2::jsonb) AS x (entry bigint, row int, kind text, number text,"
    "      level text, issue_date date, body text, hold_reason text)"
    /* another upload's certificate committed since the check: that row is not written */
    " ON CONFLICT (kind, number) DO NOTHING RETURNING row_no",
    3};
const struct db_stmt db_stmt_class_results_receipt = {
    "class_results_receipt",
    "SELECT json_build_object('receipt_no', 'JD' ||"
    "  to_char(min(cr.recorded_at) AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') ||"
    "  lpad(k.id::text, 8, '0'), 'class_id', k.id, 'institution', k.institution,"
    "  'institution_name', i.name, 'occupation', k.occupation, 'level', k.level,"
    "  'project_name', k.project_name, 'received_at', " TS("min(cr.recorded_at)") ","
    "  'received', json_build_object('results', count(cr.id),"
    "    'held', count(cr.id) FILTER (WHERE cr.held)),"
    "  'state', k.state, 'next_step', 'close', 'deadline', k.deadline::text,"
    "  'deadline_estimated', k.deadline_estimated)::text"
    " FROM class k JOIN institution i ON i.credit_code = k.institution"
    " JOIN class_result cr ON cr.class_id = k.id"
    " WHERE k.id = $1::bigint GROUP BY k.id, i.name",
    1};
const struct db_stmt db_stmt_class_results = {
    "class_results",
    "SELECT coalesce(json_agg(json_build_object('row', cr.row_no,"
    "  'id_number_masked', p.id_masked, 'name', " DB_MASK_NAME("r.name") ", 'kind', cr.kind,"
    "  'number', cr.number, 'level', cr.level, 'issue_date', cr.issue_date::text,"
    "  'issuing_body', cr.body_code, 'issuing_body_name', b.name, 'held', cr.held,"
    "  'hold_reason', cr.hold_reason, 'recorded_at', " TS("cr.recorded_at") ")"
    "  ORDER BY cr.row_no), '[]')::text"
    " FROM class_result cr JOIN class_roster_entry r ON r.id = cr.entry_id"
    " JOIN person p ON p.id = r.person_id JOIN evaluation_body b ON b.credit_code = cr.body_code"
    " WHERE cr.class_id = $1::bigint",
    1};
// clang-format on

enum db_rc db_class_results_check(struct db_conn *c, long long id, const char *rows_json,
                                  json_t **items)
{
    char idt[24];
    snprintf(idt, sizeof idt, "%lld", id);
    const char *p[] = {idt, rows_json};
    return db_json_exec(c, &db_stmt_class_results_check, p, items);
}

static int by_row(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

enum db_rc db_class_results_write(struct db_conn *c, long long id, const char *results_json,
                                  long long actor, struct db_rows_written *w)
{
    char idt[24], actort[24];
    snprintf(idt, sizeof idt, "%lld", id);
    snprintf(actort, sizeof actort, "%lld", actor);
    const char *p[] = {idt, results_json, actort};
    *w = (struct db_rows_written){0};
    enum db_rc rc;
    PGresult *res = db_exec(c, &db_stmt_class_results_write, p, &rc);
    if (!res)
        return rc;
    size_t n = (size_t)PQntuples(res);
    w->rows = n ? malloc(n * sizeof *w->rows) : NULL;
    if (n && !w->rows) {
        PQclear(res);
        return DB_HARD;
    }
    for (size_t i = 0; i < n; i++)
        w->rows[i] = strtol(PQgetvalue(res, (int)i, 0), NULL, 10);
    w->n = n;
    PQclear(res);
    qsort(w->rows, n, sizeof *w->rows, by_row);
    return DB_OK;
}

bool db_rows_written_has(const struct db_rows_written *w, long row)
{
    return w->n && bsearch(&row, w->rows, w->n, sizeof *w->rows, by_row) != NULL;
}

enum db_rc db_class_results_receipt(struct db_conn *c, long long id, json_t **receipt)
{
    char idt[24];
    snprintf(idt, sizeof idt, "%lld", id);
    const char *p[] = {idt};
    return db_json_exec(c, &db_stmt_class_results_receipt, p, receipt);
}

enum db_rc db_class_results(struct db_conn *c, long long id, json_t **items)
{
    char idt[24];
    snprintf(idt, sizeof idt, "%lld", id);
    const char *p[] = {idt};
    return db_json_exec(c, &db_stmt_class_results, p, items);
}
