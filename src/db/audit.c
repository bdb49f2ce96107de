/* The audit chain: append a row (unchained: sql/0015), link the committed rows into their
 * chains (audit_chain), and verify every chain. */
#include <stdio.h>
#include <stdlib.h>

#include "ops.h"
#include "db_exec.h"

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
    return db_exec_deferred(c, &db_stmt_audit_insert, params); /* sent with the COMMIT */
}

const struct db_stmt db_stmt_audit_chain = {"audit_chain", "SELECT audit_chain($1::int)", 1};

enum db_rc db_audit_chain(struct db_conn *c, int max_rows, int *chained)
{
    char max[16];
    snprintf(max, sizeof max, "%d", max_rows);
    const char *params[] = {max};
    enum db_rc rc;
    PGresult *res = db_exec_row(c, &db_stmt_audit_chain, params, false, &rc);
    if (!res)
        return rc;
    *chained = atoi(PQgetvalue(res, 0, 0));
    PQclear(res);
    return DB_OK;
}

/* Chained rows whose link or hash is wrong, and chain heads that do not match their last row.
 * A row's digest is 0003's up to its chain's v2_from and 0015's (which covers its id) from
 * there on; rows not yet chained (seq NULL) are not in any chain yet. */
// clang-format off
static const char verify_sql[] =
    "WITH r AS ("
    "  SELECT a.*, h.v2_from, lag(a.hash) OVER w AS real_prev, lag(a.seq) OVER w AS real_prev_seq"
    "    FROM audit a JOIN audit_head h ON h.chain = a.chain WHERE a.seq IS NOT NULL"
    "  WINDOW w AS (PARTITION BY a.chain ORDER BY a.seq))"
    " SELECT chain, seq, id::text,"
    "        CASE WHEN seq <> coalesce(real_prev_seq, 0) + 1 THEN 'a row before it is missing'"
    "             WHEN prev_hash <> coalesce(real_prev, decode(repeat('00', 32), 'hex'))"
    "               THEN 'its link to the row before it is broken'"
    "             ELSE 'its content does not match its hash' END"
    "   FROM r"
    "  WHERE seq <> coalesce(real_prev_seq, 0) + 1"
    "     OR prev_hash <> coalesce(real_prev, decode(repeat('00', 32), 'hex'))"
    "     OR hash IS DISTINCT FROM CASE WHEN seq >= v2_from"
    "          THEN audit_digest_v2(prev_hash, id, chain, seq, at, actor, action, object_kind,"
    "                               object_id, before, after, request_id)"
    "          ELSE audit_digest(prev_hash, chain, seq, at, actor, action, object_kind,"
    "                            object_id, before, after, request_id) END"
    " UNION ALL"
    " SELECT h.chain, h.seq, NULL, 'the chain head does not match its last row'"
    "   FROM audit_head h LEFT JOIN LATERAL ("
    "        SELECT seq, hash FROM audit"
    "         WHERE audit.chain = h.chain AND audit.seq IS NOT NULL ORDER BY seq DESC LIMIT 1"
    "   ) last ON true"
    "  WHERE h.seq <> coalesce(last.seq, 0) OR h.hash <> coalesce(last.hash, h.hash)"
    " ORDER BY 1, 2 LIMIT 100";

/* How far the chains have reached: rows not chained yet, the last chained row. */
static const char reach_sql[] =
    "SELECT count(*), count(*) FILTER (WHERE seq IS NULL),"
    "       (SELECT id::text FROM audit WHERE seq IS NOT NULL ORDER BY id DESC LIMIT 1),"
    "       (SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM audit"
    "         WHERE seq IS NOT NULL ORDER BY id DESC LIMIT 1)"
    "  FROM audit";
// clang-format on

static PGresult *query(PGconn *pg, FILE *out, const char *what, const char *sql)
{
    PGresult *res = PQexec(pg, sql);
    if (PQresultStatus(res) == PGRES_TUPLES_OK)
        return res;
    fprintf(out, "cannot %s: %s", what, PQerrorMessage(pg));
    PQclear(res);
    return NULL;
}

int db_audit_verify(PGconn *pg, FILE *out, long long *rows)
{
    /* the rows committed so far are chained first (as the daemon's background step would) */
    PGresult *res = query(pg, out, "chain the audit log", "SELECT audit_chain(2147483647)");
    if (!res)
        return -1;
    PQclear(res);
    if (!(res = query(pg, out, "verify the audit log", verify_sql)))
        return -1;
    int n = PQntuples(res);
    for (int i = 0; i < n; i++)
        fprintf(out, "chain %s seq %s (id %s): %s\n", PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
                PQgetisnull(res, i, 2) ? "-" : PQgetvalue(res, i, 2), PQgetvalue(res, i, 3));
    PQclear(res);
    if (!(res = query(pg, out, "read the audit log", reach_sql)))
        return -1;
    *rows = atoll(PQgetvalue(res, 0, 0));
    fprintf(out, "chained up to id %s (%s); %s rows not chained yet\n",
            PQgetisnull(res, 0, 2) ? "-" : PQgetvalue(res, 0, 2),
            PQgetisnull(res, 0, 3) ? "-" : PQgetvalue(res, 0, 3), PQgetvalue(res, 0, 1));
    PQclear(res);
    return n;
}
