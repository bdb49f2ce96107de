#ifndef SD_DB_OPS_H
#define SD_DB_OPS_H

/* The database operations, one file each under src/db/. */

#include <stdint.h>

#include "db.h"
#include "sd_model.h"
#include "token.h"

/* ---- schema (schema.c) ---- */

/*
 * Compare the schema_migration table with the migrations this build carries.  Returns true when
 * every one is applied (and sets *current); otherwise false with the first missing migration
 * (or the reason) in msg.  Runs unprepared, on any connection.
 */
bool db_schema_check(PGconn *pg, int *current, char *msg, size_t msglen);

/* Apply the missing migrations in order, each in its own transaction, under an advisory lock;
 * report each applied one on out.  False with the reason in err on failure. */
bool db_migrate(PGconn *pg, FILE *out, char *err, size_t errlen);

/* Highest applied migration version (prepared; for /v1/ready). */
enum db_rc db_schema_version(struct db_conn *c, int *version);

/* ---- tokens ---- */

enum db_token_state { DB_TOKEN_ACTIVE, DB_TOKEN_REVOKED, DB_TOKEN_EXPIRED };

/* The principal behind a token hash (token_select_by_hash.c); DB_NOT_FOUND when unknown. */
enum db_rc db_token_by_hash(struct db_conn *c, const uint8_t hash[SD_TOKEN_HASH_LEN],
                            struct sd_principal *who, enum db_token_state *state);

struct db_token_new {
    const uint8_t *hash;
    enum sd_role role;
    const char *subject;     /* NULL when none */
    const char *regions_csv; /* "330902,330903" or "" */
    const char *label;
    long long created_by; /* 0 when created by the CLI */
    int ttl_days;
};

/* Insert a token (token_insert.c); fills its id and expiry. */
enum db_rc db_token_insert(struct db_conn *c, const struct db_token_new *t, long long *id,
                           char expires_at[32]);

/* Revoke a token now (token_revoke.c); revoking twice keeps the first time.  DB_NOT_FOUND when
 * there is no such token. */
enum db_rc db_token_revoke(struct db_conn *c, long long id);

/* One page of tokens with id > after, ascending (token_list.c); caller PQclear()s *res.
 * Columns: id, role, subject, regions (csv), label, created_at, expires_at, revoked_at. */
enum db_rc db_token_list(struct db_conn *c, long long after, int limit, PGresult **res);

/* Number of live admin tokens (token_count_admins.c). */
enum db_rc db_token_count_admins(struct db_conn *c, long long *n);

/* ---- reference data ---- */

/* The codes of codes_csv that are not known regions, in the order given (region_missing.c);
 * caller PQclear()s *res. */
enum db_rc db_region_missing(struct db_conn *c, const char *codes_csv, PGresult **res);

#endif
