/* Employment records (参保记录): an import of the social-insurance system's export, one
 * statement.  A record sent again (same person, enterprise and insured_from) is updated in place
 * when it differs, so an export re-sent changes nothing twice. */
#include <stdio.h>
#include <stdlib.h>

#include "ops.h"
#include "db_exec.h"

const struct db_stmt db_stmt_employment_import = {
    "employment_import",
    /* $1 [{id_hash, credit_code, insured_from, insured_to, kinds}] $2 source $3 actor */
    "WITH w AS (INSERT INTO employment_record AS er (id_hash, credit_code, insured_from,"
    "  insured_to, kinds, source, imported_by)"
    "  SELECT decode(substr(x.id_hash, 3), 'hex'), x.credit_code, x.insured_from, x.insured_to,"
    "  coalesce(x.kinds, '{}'), $2, nullif($3::bigint, 0)"
    "  FROM jsonb_to_recordset($1::jsonb) AS x (id_hash text, credit_code text, insured_from date,"
    "   insured_to date, kinds text[])"
    "  ON CONFLICT (id_hash, credit_code, insured_from) DO UPDATE SET"
    "  insured_to = EXCLUDED.insured_to, kinds = EXCLUDED.kinds, source = EXCLUDED.source,"
    "  updated_at = now(), imported_by = EXCLUDED.imported_by"
    "  WHERE (er.insured_to, er.kinds) IS DISTINCT FROM (EXCLUDED.insured_to, EXCLUDED.kinds)"
    "  RETURNING (xmax = 0) AS added)"
    " SELECT count(*) FILTER (WHERE added), count(*) FILTER (WHERE NOT added) FROM w",
    3};

enum db_rc db_import_counts(struct db_conn *c, const struct db_stmt *s, const char *rows_json,
                            const char *source, long long actor, long *first, long *second)
{
    char by[24];
    snprintf(by, sizeof by, "%lld", actor);
    const char *p[] = {rows_json, source, by};
    enum db_rc rc;
    PGresult *res = db_exec(c, s, p, &rc);
    if (!res)
        return rc;
    *first = atol(PQgetvalue(res, 0, 0));
    *second = atol(PQgetvalue(res, 0, 1));
    PQclear(res);
    return DB_OK;
}

enum db_rc db_employment_import(struct db_conn *c, const char *records_json, const char *source,
                                long long actor, long *added, long *updated)
{
    return db_import_counts(c, &db_stmt_employment_import, records_json, source, actor, added,
                            updated);
}
