/* The audit chain: append a row (the trigger links it), and verify every chain. */
#include <stdio.h>
#include <stdlib.h>

#include "ops.h"

const struct db_stmt db_stmt_audit_insert = {
    "audit_insert",
    "INSERT INTO audit (actor, action, object_kind, object_id, before, after, request_id)"
    " VALUES (nullif($1::bigint, 0), $2, $3, $4, $5::jsonb, $6::jsonb, $7)",
    7};

enum db_rc db_audit(struct db_conn *c, const struct db_audit_row *a)
{
    char actor[24];
    snprintf(actor, sizeof actor, "%lld", a->actor);
    const char *params[] = {actor,     a->action, a->object_kind, a->object_id,
                            a->before, a->after,  a->request_id};
    enum db_rc rc;
    PGresult *res = db_exec(c, &db_stmt_audit_insert, params, &rc);
    PQclear(res);
    return rc;
}

/* Rows whose link or hash is wrong, and chain heads that do not match their last row. */
static const char verify_sql[] =
    "WITH r AS ("
    "  SELECT a.*, lag(hash) OVER w AS real_prev, lag(seq) OVER w AS real_prev_seq"
    "    FROM audit a WINDOW w AS (PARTITION BY chain ORDER BY seq))"
    " SELECT chain, seq, id::text,"
    "        CASE WHEN seq <> coalesce(real_prev_seq, 0) + 1 THEN 'a row before it is missing'"
    "             WHEN prev_hash <> coalesce(real_prev, decode(repeat('00', 32), 'hex'))"
    "               THEN 'its link to the row before it is broken'"
    "             ELSE 'its content does not match its hash' END"
    "   FROM r"
    "  WHERE seq <> coalesce(real_prev_seq, 0) + 1"
    "     OR prev_hash <> coalesce(real_prev, decode(repeat('00', 32), 'hex'))"
    "     OR hash <> audit_digest(prev_hash, chain, seq, at, actor, action, object_kind,"
    "                             object_id, before, after, request_id)"
    " UNION ALL"
    " SELECT h.chain, h.seq, NULL, 'the chain head does not match its last row'"
    "   FROM audit_head h LEFT JOIN LATERAL ("
    "        SELECT seq, hash FROM audit WHERE audit.chain = h.chain ORDER BY seq DESC LIMIT 1"
    "   ) last ON true"
    "  WHERE h.seq <> coalesce(last.seq, 0) OR h.hash <> coalesce(last.hash, h.hash)"
    " ORDER BY 1, 2 LIMIT 100";

int db_audit_verify(PGconn *pg, FILE *out, long long *rows)
{
    PGresult *res = PQexec(pg, "SELECT count(*) FROM audit");
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        fprintf(out, "cannot read the audit log: %s", PQerrorMessage(pg));
        PQclear(res);
        return -1;
    }
    *rows = atoll(PQgetvalue(res, 0, 0));
    PQclear(res);
    res = PQexec(pg, verify_sql);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        fprintf(out, "cannot verify the audit log: %s", PQerrorMessage(pg));
        PQclear(res);
        return -1;
    }
    int n = PQntuples(res);
    for (int i = 0; i < n; i++)
        fprintf(out, "chain %s seq %s (id %s): %s\n", PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
                PQgetisnull(res, i, 2) ? "-" : PQgetvalue(res, i, 2), PQgetvalue(res, i, 3));
    PQclear(res);
    return n;
}
