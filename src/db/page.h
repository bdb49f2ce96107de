#ifndef SD_DB_PAGE_H
#define SD_DB_PAGE_H

/* One keyset page of a list, built in src/db from the rows and owned by the caller. */

#include <jansson.h>
#include <stdbool.h>

#include "db.h"

struct db_page {
    json_t *items;      /* the page's items, an array (owned) */
    json_t *next_after; /* the last item's key when more follow (integer or string), else null
                         * (owned) */
};

/* Release what a page holds (a zeroed page is fine). */
void db_page_free(struct db_page *p);

/* How a list's rows give the keyset key. */
enum db_page_key { DB_KEY_INT, DB_KEY_TEXT };

/* The page of rows (item as JSON text, key) fetched with limit + 1: the first limit of them. */
enum db_rc db_page_from_rows(const PGresult *res, int limit, enum db_page_key key,
                             struct db_page *out);

/* For src/db list operations: run s, whose rows are (item as JSON text, key) and whose last
 * parameter is the row limit, with limit + 1 rows asked for (params[nparams - 1] is filled in
 * here); the page holds the first limit of them. */
enum db_rc db_page_exec(struct db_conn *c, const struct db_stmt *s, const char **params, int limit,
                        enum db_page_key key, struct db_page *out);

/* For src/db: a statement's single row and column, JSON text, parsed (NULL when it is not
 * JSON); DB_NOT_FOUND without a row. */
enum db_rc db_json_exec(struct db_conn *c, const struct db_stmt *s, const char *const *params,
                        json_t **out);

#endif
