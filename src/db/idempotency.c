/* Idempotency keys: take a (caller, key) in the transaction of the effect, or find the reply
 * stored by the first request with it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"
#include "db_exec.h"

/* A row when no committed request holds (caller, key), after waiting for the key's lock
 * (migration 0019): the transaction's guard. */
const struct db_stmt db_stmt_idem_claim = {"idem_claim", "SELECT 1 WHERE idempotency_free($1, $2)",
                                           2};
const struct db_stmt db_stmt_idem_find = {
    "idem_find",
    "SELECT request_hash = $3::bytea, status, reply FROM idempotency"
    " WHERE caller = $1 AND key = $2",
    3};
const struct db_stmt db_stmt_idem_store = {
    "idem_store",
    "INSERT INTO idempotency (caller, key, route, request_hash, status, reply)"
    " VALUES ($1, $2, $3, $4::bytea, $5::int, $6)",
    6};

enum db_rc db_idem_guard(struct db_conn *c, const char *caller, const char *key)
{
    const char *params[] = {caller, key};
    return db_txn_guard(c, &db_stmt_idem_claim, params);
}

enum db_rc db_idem_find(struct db_conn *c, const char *caller, const char *key,
                        const char *hash_hex, bool *same, int *status, char **reply)
{
    const char *params[] = {caller, key, hash_hex};
    enum db_rc rc;
    PGresult *res = db_exec_ro(c, &db_stmt_idem_find, params, &rc);
    if (!res)
        return rc;
    if (PQntuples(res) != 1) {
        PQclear(res);
        return DB_NOT_FOUND;
    }
    *same = PQgetvalue(res, 0, 0)[0] == 't';
    *status = atoi(PQgetvalue(res, 0, 1));
    *reply = strdup(PQgetvalue(res, 0, 2));
    PQclear(res);
    return *reply ? DB_OK : DB_HARD;
}

enum db_rc db_idem_store(struct db_conn *c, const char *caller, const char *key, const char *route,
                         const char *hash_hex, int status, const char *reply)
{
    char st[16];
    snprintf(st, sizeof st, "%d", status);
    const char *params[] = {caller, key, route, hash_hex, st, reply};
    return db_exec_deferred(c, &db_stmt_idem_store, params); /* sent with the COMMIT */
}
