#include <stdio.h>
#include <stdlib.h>

#include "ops.h"
#include "db_exec.h"

const struct db_stmt db_stmt_token_insert = {
    "token_insert",
    "INSERT INTO token (hash, role, subject, regions, label, created_by, expires_at,"
    "                   subject_masked)"
    " VALUES ($1::bytea, $2, $3, string_to_array($4, ','), $5, nullif($6::bigint, 0),"
    "         now() + make_interval(days => $7::int), $8)"
    " RETURNING id, to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')",
    8};

enum db_rc db_token_insert(struct db_conn *c, const struct db_token_new *t, long long *id,
                           char expires_at[32])
{
    char hex[2 + 2 * SD_TOKEN_HASH_LEN + 1] = "\\x";
    char by[24], ttl[16];
    sd_hex(t->hash, SD_TOKEN_HASH_LEN, hex + 2);
    snprintf(by, sizeof by, "%lld", t->created_by);
    snprintf(ttl, sizeof ttl, "%d", t->ttl_days);
    const char *params[] = {hex, sd_role_name(t->role), t->subject, t->regions_csv, t->label, by,
                            ttl, t->subject_masked};
    enum db_rc rc;
    PGresult *res = db_exec(c, &db_stmt_token_insert, params, &rc);
    if (!res)
        return rc;
    *id = atoll(PQgetvalue(res, 0, 0));
    snprintf(expires_at, 32, "%s", PQgetvalue(res, 0, 1));
    PQclear(res);
    return DB_OK;
}
