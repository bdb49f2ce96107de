/* Certificates: find or create a submitted claim's certificate and tie the claim to it. */
#include <stdio.h>
#include <string.h>

#include "ops.h"
#include "db_exec.h"

const struct db_stmt db_stmt_certificate_bind = {
    "certificate_bind",
    /* $1 kind $2 number $3 person $4 claim.  The no-op update on conflict returns the row
     * another transaction inserted and locks it, so claims on one certificate queue here; a
     * second live claim of the same kind fails claim_certificate_once. */
    "WITH k AS (INSERT INTO certificate AS k (kind, number, person_id)"
    "  VALUES ($1, upper(btrim($2)), $3::bigint)"
    "  ON CONFLICT (kind, number, (coalesce(issuer, ''))) DO UPDATE SET kind = k.kind"
    "  RETURNING id, person_id),"
    " u AS (UPDATE claim SET certificate_id = k.id FROM k"
    "  WHERE claim.id = $4::bigint AND k.person_id = $3::bigint RETURNING claim.id)"
    " SELECT (k.person_id = $3::bigint)::text FROM k",
    4};

enum db_rc db_certificate_bind(struct db_conn *c, const char *kind, const char *number,
                               long long person_id, long long claim_id,
                               enum db_certificate_outcome *outcome)
{
    char person[24], claim[24];
    snprintf(person, sizeof person, "%lld", person_id);
    snprintf(claim, sizeof claim, "%lld", claim_id);
    const char *params[] = {kind, number, person, claim};
    enum db_rc rc;
    *outcome = DB_CERTIFICATE_BOUND;
    PGresult *res = db_exec_row(c, &db_stmt_certificate_bind, params, false, &rc);
    if (rc == DB_UNIQUE && strcmp(db_last_constraint(c), "claim_certificate_once") == 0) {
        *outcome = DB_CERTIFICATE_USED;
        return DB_OK;
    }
    if (!res)
        return rc;
    if (strcmp(PQgetvalue(res, 0, 0), "true") != 0)
        *outcome = DB_CERTIFICATE_HELD_BY_OTHER;
    PQclear(res);
    return DB_OK;
}
