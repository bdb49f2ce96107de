/* Certificate records (证书记录): an import of the appraisal system's export, one statement,
 * and the look-up of what its rows refer to.  A record sent again (same kind and number) is
 * updated in place when it differs, so an export re-sent changes nothing twice. */
#include <stdio.h>
#include <stdlib.h>

#include "ops.h"
#include "db_exec.h"

// clang-format off
#define ROWS                                                                                      \
    " jsonb_to_recordset($1::jsonb) AS x (id_hash text, kind text, number text, occupation text," \
    "   level text, issue_date date, body_code text, status text)"

const struct db_stmt db_stmt_certificate_import = {
    "certificate_import",
    /* $1 [{id_hash, kind, number, occupation, level, issue_date, body_code, status}]
     * $2 source $3 actor */
    "WITH w AS (INSERT INTO certificate_record AS cr (id_hash, kind, number, occupation, level,"
    "   issue_date, body_code, status, revoked_at, source, imported_by)"
    "  SELECT decode(substr(x.id_hash, 3), 'hex'), x.kind, x.number, x.occupation, x.level,"
    "   x.issue_date, x.body_code, x.status,"
    "   CASE WHEN x.status = 'revoked' THEN now() END, $2, nullif($3::bigint, 0)"
    "  FROM" ROWS
    "  ON CONFLICT (kind, number) DO UPDATE SET"
    "   id_hash = EXCLUDED.id_hash, occupation = EXCLUDED.occupation, level = EXCLUDED.level,"
    "   issue_date = EXCLUDED.issue_date, body_code = EXCLUDED.body_code,"
    "   status = EXCLUDED.status, revoked_at = CASE WHEN EXCLUDED.status = 'valid' THEN NULL"
    "     ELSE coalesce(cr.revoked_at, now()) END,"
    "   source = EXCLUDED.source, updated_at = now(), imported_by = EXCLUDED.imported_by"
    "  WHERE (cr.id_hash, cr.occupation, cr.level, cr.issue_date, cr.body_code, cr.status)"
    "   IS DISTINCT FROM (EXCLUDED.id_hash, EXCLUDED.occupation, EXCLUDED.level,"
    "   EXCLUDED.issue_date, EXCLUDED.body_code, EXCLUDED.status)"
    "  RETURNING (xmax = 0) AS added)"
    " SELECT count(*) FILTER (WHERE added), count(*) FILTER (WHERE NOT added) FROM w",
    3};

const struct db_stmt db_stmt_certificate_refs = {
    "certificate_refs",
    /* the 0-based rows whose body is not registered or whose occupation is not listed */
    "SELECT coalesce(json_agg(json_build_object('row', n - 1, 'body', b, 'occupation', o)"
    "        ORDER BY n), '[]')::text"
    "  FROM (SELECT n,"
    "        NOT EXISTS (SELECT 1 FROM evaluation_body e WHERE e.credit_code = r->>'body_code') AS b,"
    "        r->>'occupation' IS NOT NULL"
    "        AND NOT EXISTS (SELECT 1 FROM occupation p WHERE p.code = r->>'occupation') AS o"
    "        FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t (r, n)) u"
    " WHERE b OR o",
    1};
// clang-format on

enum db_rc db_certificate_import(struct db_conn *c, const char *records_json, const char *source,
                                 long long actor, long *added, long *changed)
{
    return db_import_counts(c, &db_stmt_certificate_import, records_json, source, actor, added,
                            changed);
}

enum db_rc db_certificate_refs_unknown(struct db_conn *c, const char *records_json,
                                       json_t **unknown)
{
    const char *p[] = {records_json};
    return db_json_exec(c, &db_stmt_certificate_refs, p, unknown);
}
