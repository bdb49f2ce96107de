#ifndef SD_DB_EXEC_H
#define SD_DB_EXEC_H

/*
 * The statement runner and the libpq handles, for the files of src/db only: libpq is seen in
 * src/db and nowhere above it (src/http, src/flow and src/cli get typed results, db.h, ops.h,
 * page.h).  Every operation file includes this.
 */

#include <libpq-fe.h>
#include <stdio.h>

#include "db.h"
#include "page.h"

/*
 * Run a prepared statement with text parameters.  Returns the result (caller PQclear()s it) or
 * NULL with *rc set.  Statements marked read-only are retried once on a fresh connection when
 * the old one turns out to be dead outside a transaction.
 */
PGresult *db_exec(struct db_conn *c, const struct db_stmt *s, const char *const *params,
                  enum db_rc *rc);

/* As db_exec for a statement expected to give exactly one row: NULL with *rc = DB_NOT_FOUND
 * when it gives none.  read_only as db_exec_ro. */
PGresult *db_exec_row(struct db_conn *c, const struct db_stmt *s, const char *const *params,
                      bool read_only, enum db_rc *rc);

/* As db_exec, for statements that are safe to repeat after a lost connection. */
PGresult *db_exec_ro(struct db_conn *c, const struct db_stmt *s, const char *const *params,
                     enum db_rc *rc);

/*
 * Up to DB_EXEC_MANY_MAX statements in one round trip (libpq pipeline mode), run in order: a
 * later one sees what an earlier one wrote, but not its result, so a statement that needs an
 * earlier one's row finds it by a key the caller knows.  out[i] gets statement i's result (the
 * caller PQclear()s each) when all succeeded; else every out[i] is NULL and the first failure
 * is returned (in a transaction, which the failure aborts).  BEGIN and the transaction's guard
 * travel in front when they open it.
 */
#define DB_EXEC_MANY_MAX 6
enum db_rc db_exec_many(struct db_conn *c, size_t n, const struct db_stmt *const *s,
                        const char *const *const *params, PGresult **out);

/* region_missing's rows (codes) as a JSON array into *missing; takes res. */
enum db_rc db_region_missing_read(PGresult *res, json_t **missing);
extern const struct db_stmt db_stmt_region_missing, db_stmt_enterprise_get;

struct db_claim_context_key;
struct db_claim_context;
/* claim_context's parameters (claim_read.c), formatted into x, and its row read into out
 * (takes res): for db_claim_context and the round trip of db_person_employee_context. */
struct db_context_params {
    const struct db_stmt *s; /* by id, or by the person's hash */
    char person[24], claim[24], year[16], history_max[16];
    const char *p[11];
};
void db_claim_context_params(const struct db_claim_context_key *k, struct db_context_params *x);
enum db_rc db_claim_context_read(PGresult *res, struct db_claim_context *out);

/* Classify a failed result (or a NULL one) on connection c. */
enum db_rc db_classify(struct db_conn *c, const PGresult *res);

/* Plain libpq handle, for the migration runner and tests only. */
PGconn *db_pg(struct db_conn *c);

/*
 * Compare the schema_migration table with the migrations this build carries.  Returns true when
 * every one is applied (and sets *current); otherwise false with the first missing migration
 * (or the reason) in msg.  Runs unprepared, on any connection.
 */
bool db_schema_check(PGconn *pg, int *current, char *msg, size_t msglen);

/* Apply the missing migrations in order, each in its own transaction, under an advisory lock;
 * report each applied one on out.  False with the reason in err on failure. */
bool db_migrate(PGconn *pg, FILE *out, char *err, size_t errlen);

/* Check every chain of the audit log (run as the schema owner): writes one line per broken row
 * or head to out and returns how many (0 = intact), -1 when it cannot read the log; *rows gets
 * the number of rows. */
int db_audit_verify(PGconn *pg, FILE *out, long long *rows);

/* The page of rows (item as JSON text, key) fetched with limit + 1: the first limit of them. */
enum db_rc db_page_from_rows(const PGresult *res, int limit, enum db_page_key key,
                             struct db_page *out);

/* For src/db list operations: run s, whose rows are (item as JSON text, key) and whose last
 * parameter is the row limit, with limit + 1 rows asked for (params[nparams - 1] is filled in
 * here); the page holds the first limit of them. */
enum db_rc db_page_exec(struct db_conn *c, const struct db_stmt *s, const char **params, int limit,
                        enum db_page_key key, struct db_page *out);

/* For src/db queues: a page statement (rows as db_page_exec's, keys text, limit + 1 asked for by
 * the caller's parameters) and a counts statement (one row, JSON text) run with the same
 * parameters in one round trip: the page into *page, the counts parsed into *counts. */
enum db_rc db_page_and_counts(struct db_conn *c, const struct db_stmt *const s[2],
                              const char *const *params, int limit, struct db_page *page,
                              json_t **counts);

/* For src/db: a statement's single row and column, JSON text, parsed (NULL when it is not
 * JSON); DB_NOT_FOUND without a row. */
enum db_rc db_json_exec(struct db_conn *c, const struct db_stmt *s, const char *const *params,
                        json_t **out);

/* For src/db imports: run s with ($1 rows as JSON, $2 source, $3 actor token id or 0) whose one
 * row holds two counts, into *first and *second (employment.c). */
enum db_rc db_import_counts(struct db_conn *c, const struct db_stmt *s, const char *rows_json,
                            const char *source, long long actor, long *first, long *second);

#endif
