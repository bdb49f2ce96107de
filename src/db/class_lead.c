/* The filing lead time of a policy, a region or both (class_db.h, sql/0021_classes.sql): set
 * by the department with subsidyctl class-lead set. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "class_db.h"
#include "db_exec.h"

// clang-format off
const struct db_stmt db_stmt_class_lead_set = {
    "class_lead_set",
    "WITH old AS (SELECT days FROM class_filing_lead"
    "              WHERE policy_id IS NOT DISTINCT FROM nullif($1, '')"
    "                AND region IS NOT DISTINCT FROM nullif($2, '')),"
    " w AS (INSERT INTO class_filing_lead AS f (policy_id, region, days, note)"
    "  VALUES (nullif($1, ''), nullif($2, ''), $3::int, nullif($4, ''))"
    "  ON CONFLICT (policy_id, region) DO UPDATE SET days = EXCLUDED.days, note = EXCLUDED.note"
    "  RETURNING f.policy_id, f.region, f.days, f.note)"
    " SELECT json_build_object('policy', w.policy_id, 'region', w.region, 'days', w.days,"
    "   'note', w.note)::text,"
    "   (SELECT json_build_object('days', old.days)::text FROM old) FROM w",
    4};
// clang-format on

enum db_rc db_class_lead_set(struct db_conn *c, const char *policy, const char *region, int days,
                             const char *note, char **after, char **before)
{
    char d[16];
    snprintf(d, sizeof d, "%d", days);
    const char *p[] = {policy ? policy : "", region ? region : "", d, note ? note : ""};
    enum db_rc rc;
    *after = *before = NULL;
    PGresult *res = db_exec_row(c, &db_stmt_class_lead_set, p, false, &rc);
    if (!res)
        return rc;
    *after = strdup(PQgetvalue(res, 0, 0));
    if (!PQgetisnull(res, 0, 1))
        *before = strdup(PQgetvalue(res, 0, 1));
    PQclear(res);
    return *after ? DB_OK : DB_HARD;
}
