/* The trainee's record (record_db.h): the person masked as profiles are (src/db/person.c), every
 * class whose live or finished roster holds them with the attendance and the completion result,
 * the certificate records the appraisal system sent for their ID number (0020), and every claim
 * for them that was ever submitted (a draft is not part of the record); with the regions of the
 * classes and claims, which decide the approvers who may read it. */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "db_exec.h"
#include "record_db.h"

#define TS(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

// clang-format off
const struct db_stmt db_stmt_person_record = {
    "person_record",
    /* $1 person id (0: by owner) $2 owner subject */
    "WITH p AS (SELECT * FROM person"
    "    WHERE id = $1::bigint OR ($1::bigint = 0 AND owner_subject = $2)),"
    " e AS (SELECT r.*, k.institution, k.policy_id, k.kind, k.occupation, k.level,"
    "    k.project_code, k.project_name, k.region, k.start_date, k.end_date, k.class_hours,"
    "    k.state, i.name AS institution_name, g.parent AS region_parent"
    "    FROM class_roster_entry r JOIN p ON p.id = r.person_id JOIN class k ON k.id = r.class_id"
    "    JOIN institution i ON i.credit_code = k.institution JOIN region g ON g.code = k.region"
    "    WHERE r.removed_at IS NULL),"
    " c AS (SELECT c.*, g.parent AS region_parent FROM claim c JOIN p ON p.id = c.person_id"
    "    JOIN region g ON g.code = c.region WHERE c.state <> 'draft')"
    " SELECT p.id, json_build_object("
    "  'person', json_build_object('person_ref', p.id, 'id_number_masked', p.id_masked,"
    "    'name', p.name),"
    "  'classes', (SELECT coalesce(json_agg(json_build_object('class_id', e.class_id,"
    "    'institution', e.institution, 'institution_name', e.institution_name,"
    "    'policy', e.policy_id, 'kind', e.kind, 'occupation', e.occupation, 'level', e.level,"
    "    'project', CASE WHEN e.project_code IS NULL THEN NULL"
    "      ELSE json_build_object('code', e.project_code, 'name', e.project_name) END,"
    "    'region', e.region, 'start_date', e.start_date::text, 'end_date', e.end_date::text,"
    "    'class_hours', e.class_hours, 'state', e.state, 'row', e.row_no,"
    "    'on_roster_since', " TS("e.added_at") ", 'attendance_hours', e.attendance_hours,"
    "    'passed', e.passed, 'completed_at', " TS("e.completed_at") ")"
    "    ORDER BY e.start_date, e.class_id), '[]') FROM e),"
    "  'certificates', (SELECT coalesce(json_agg(json_build_object('kind', x.kind,"
    "    'number', x.number, 'occupation', x.occupation, 'level', x.level,"
    "    'issue_date', x.issue_date::text, 'issuing_body', x.body_code, 'issuing_body_name',"
    "    b.name, 'status', x.status) ORDER BY x.issue_date, x.id), '[]')"
    "    FROM certificate_record x JOIN evaluation_body b ON b.credit_code = x.body_code"
    "    WHERE x.id_hash = p.id_hash),"
    "  'claims', (SELECT coalesce(json_agg(json_build_object('id', c.id, 'kind', c.kind,"
    "    'policy', c.policy_id, 'occupation', c.occupation, 'level', c.level,"
    "    'region', c.region, 'state', c.state, 'amount_fen', c.amount_fen, 'year', c.year,"
    "    'submitted_at', " TS("c.submitted_at") ") ORDER BY c.id), '[]') FROM c),"
    "  'generated_at', " TS("now()") ")::text,"
    " (SELECT coalesce(string_agg(DISTINCT x, ','), '') FROM (SELECT region FROM e"
    "    UNION SELECT region_parent FROM e UNION SELECT region FROM c"
    "    UNION SELECT region_parent FROM c) v (x) WHERE x IS NOT NULL)"
    " FROM p",
    2};
// clang-format on

enum db_rc db_person_record(struct db_conn *c, long long person_id, const char *owner_subject,
                            struct db_person_record *out)
{
    char id[24];
    snprintf(id, sizeof id, "%lld", person_id);
    const char *p[] = {id, owner_subject ? owner_subject : ""};
    enum db_rc rc;
    memset(out, 0, sizeof *out);
    PGresult *res = db_exec_row(c, &db_stmt_person_record, p, true, &rc);
    if (!res)
        return rc;
    out->person_id = atoll(PQgetvalue(res, 0, 0));
    out->json = strdup(PQgetvalue(res, 0, 1));
    out->regions = strdup(PQgetvalue(res, 0, 2));
    PQclear(res);
    if (out->json && out->regions)
        return DB_OK;
    db_person_record_free(out);
    return DB_HARD;
}

void db_person_record_free(struct db_person_record *r)
{
    free(r->json);
    free(r->regions);
    memset(r, 0, sizeof *r);
}
