/* A class as filed, with the first entry of its timeline, in one statement (class_db.h). */
#include <stdio.h>
#include <stdlib.h>

#include "class_db.h"
#include "db_exec.h"

// clang-format off
const struct db_stmt db_stmt_class_insert = {
    "class_insert",
    "WITH k AS (INSERT INTO class (institution, policy_id, occupation, level, catalog_id,"
    "    project_code, project_name, kind, region, start_date, end_date, class_hours, place,"
    "    teachers, capacity, payee, lead_days, filed_on, deadline, deadline_estimated, filed_by)"
    "  VALUES ($1, $2, nullif($3, ''), nullif($4, ''), nullif($5::bigint, 0), nullif($6, ''),"
    "    nullif($7, ''), $8, $9, $10::date, $11::date, $12::int, $13, $14::jsonb, $15::int, $16,"
    "    $17::int, $18::date, $19::date, $20::boolean, nullif($21::bigint, 0))"
    "  RETURNING id, guard_key),"
    " e AS (INSERT INTO class_event (class_id, actor, actor_role, action, to_state, request_id)"
    "  SELECT k.id, nullif($21::bigint, 0), $22, 'file', 'filed', $23 FROM k)"
    " SELECT id, guard_key FROM k",
    23};
// clang-format on

static const char *nz(const char *s)
{
    return s ? s : "";
}

enum db_rc db_class_insert(struct db_conn *c, const struct db_class_new *n, long long *id,
                           char *guard_key, size_t guard_len)
{
    char catalog[24], hours[16], capacity[16], lead[16], actor[24];
    snprintf(catalog, sizeof catalog, "%lld", n->catalog_id);
    snprintf(hours, sizeof hours, "%d", n->class_hours);
    snprintf(capacity, sizeof capacity, "%d", n->capacity);
    snprintf(lead, sizeof lead, "%d", n->lead_days);
    snprintf(actor, sizeof actor, "%lld", n->actor);
    const char *p[] = {n->institution,
                       n->policy,
                       nz(n->occupation),
                       nz(n->level),
                       catalog,
                       nz(n->project_code),
                       nz(n->project_name),
                       n->kind,
                       n->region,
                       n->start_date,
                       n->end_date,
                       hours,
                       n->place,
                       n->teachers_json,
                       capacity,
                       n->payee,
                       lead,
                       n->filed_on,
                       n->deadline,
                       n->deadline_estimated ? "true" : "false",
                       actor,
                       n->actor_role,
                       n->request_id};
    enum db_rc rc;
    PGresult *res = db_exec_row(c, &db_stmt_class_insert, p, false, &rc);
    if (!res)
        return rc;
    *id = atoll(PQgetvalue(res, 0, 0));
    snprintf(guard_key, guard_len, "%s", PQgetvalue(res, 0, 1));
    PQclear(res);
    return DB_OK;
}
