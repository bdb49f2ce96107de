/* What a class filing is checked against (class_db.h), in one statement: the institution's
 * status, a black-list entry valid on the filing day, the filing lead time of the policy and
 * region, and the catalog in force with the class's occupation and level. */
#include <stdlib.h>
#include <string.h>

#include "class_db.h"
#include "db_exec.h"

// clang-format off
const struct db_stmt db_stmt_class_context = {
    "class_context",
    /* $1 institution $2 policy $3 region $4 start year $5 occupation $6 level $7 filing day */
    "SELECT i.status,"
    "  (SELECT json_build_object('id', l.id, 'list', l.list, 'reason', l.reason,"
    "          'valid_from', l.valid_from::text, 'valid_to', l.valid_to::text)::text"
    "     FROM institution_list_entry l"
    "    WHERE l.credit_code = i.credit_code AND l.list = 'black'"
    "      AND l.valid_from <= $7::date AND (l.valid_to IS NULL OR l.valid_to >= $7::date)"
    "    ORDER BY l.id DESC LIMIT 1),"
    "  (SELECT coalesce(max(f.days), 0) FROM class_filing_lead f"
    "    WHERE (f.policy_id IS NULL OR f.policy_id = $2)"
    "      AND (f.region IS NULL OR f.region = $3"
    "           OR f.region = (SELECT r.parent FROM region r WHERE r.code = $3))),"
    "  k.id,"
    "  EXISTS (SELECT 1 FROM catalog_entry e"
    "           WHERE e.catalog_id = k.id AND e.occupation = $5 AND e.level = $6)"
    " FROM institution i"
    " LEFT JOIN LATERAL (SELECT catalog_in_force($2, $4::int, $7::date) AS id) k ON true"
    " WHERE i.credit_code = $1",
    7};
// clang-format on

enum db_rc db_class_context(struct db_conn *c, const char *institution, const char *policy,
                            const char *region, int year, const char *occupation, const char *level,
                            const char *on, struct db_class_context *out)
{
    char y[16];
    snprintf(y, sizeof y, "%d", year);
    const char *p[] = {institution,        policy, region, y, occupation ? occupation : "",
                       level ? level : "", on};
    memset(out, 0, sizeof *out);
    enum db_rc rc;
    PGresult *res = db_exec_ro(c, &db_stmt_class_context, p, &rc);
    if (!res)
        return rc;
    if (PQntuples(res) == 1) {
        out->institution_found = true;
        snprintf(out->institution_status, sizeof out->institution_status, "%s",
                 PQgetvalue(res, 0, 0));
        if (!PQgetisnull(res, 0, 1))
            out->black_entry_json = strdup(PQgetvalue(res, 0, 1));
        out->lead_days = atoi(PQgetvalue(res, 0, 2));
        out->catalog_id = PQgetisnull(res, 0, 3) ? 0 : atoll(PQgetvalue(res, 0, 3));
        out->in_catalog = PQgetvalue(res, 0, 4)[0] == 't';
    }
    PQclear(res);
    return DB_OK;
}

void db_class_context_free(struct db_class_context *x)
{
    free(x->black_entry_json);
    x->black_entry_json = NULL;
}
