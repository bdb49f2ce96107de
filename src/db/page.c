/* Keyset pages and JSON values read from statements: the one place rows become JSON. */
#include <stdio.h>
#include <stdlib.h>

#include "page.h"
#include "db_exec.h"

void db_page_free(struct db_page *p)
{
    json_decref(p->items);
    json_decref(p->next_after);
    p->items = p->next_after = NULL;
}

enum db_rc db_page_from_rows(const PGresult *res, int limit, enum db_page_key key,
                             struct db_page *out)
{
    int n = PQntuples(res);
    bool more = n > limit;
    if (more)
        n = limit;
    out->items = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(out->items, json_loads(PQgetvalue(res, i, 0), 0, NULL));
    if (!more)
        out->next_after = json_null();
    else if (key == DB_KEY_INT)
        out->next_after = json_integer(atoll(PQgetvalue(res, n - 1, 1)));
    else
        out->next_after = json_string(PQgetvalue(res, n - 1, 1));
    if (!out->items || !out->next_after) {
        db_page_free(out);
        return DB_HARD;
    }
    return DB_OK;
}

enum db_rc db_page_exec(struct db_conn *c, const struct db_stmt *s, const char **params, int limit,
                        enum db_page_key key, struct db_page *out)
{
    char lim[16];
    snprintf(lim, sizeof lim, "%d", limit + 1);
    params[s->nparams - 1] = lim;
    out->items = out->next_after = NULL;
    enum db_rc rc;
    PGresult *res = db_exec_ro(c, s, params, &rc);
    if (!res)
        return rc;
    rc = db_page_from_rows(res, limit, key, out);
    PQclear(res);
    return rc;
}

enum db_rc db_json_exec(struct db_conn *c, const struct db_stmt *s, const char *const *params,
                        json_t **out)
{
    enum db_rc rc;
    *out = NULL;
    PGresult *res = db_exec_ro(c, s, params, &rc);
    if (!res)
        return rc;
    rc = PQntuples(res) == 1 ? DB_OK : DB_NOT_FOUND;
    if (rc == DB_OK)
        *out = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
    PQclear(res);
    return rc;
}

enum db_rc db_page_and_counts(struct db_conn *c, const struct db_stmt *const s[2],
                              const char *const *params, int limit, struct db_page *page,
                              json_t **counts)
{
    const char *const *both[] = {params, params};
    PGresult *res[2];
    *counts = NULL;
    page->items = page->next_after = NULL;
    enum db_rc rc = db_exec_many(c, 2, s, both, res);
    if (rc != DB_OK)
        return rc;
    rc = db_page_from_rows(res[0], limit, DB_KEY_TEXT, page);
    if (rc == DB_OK && PQntuples(res[1]) == 1)
        *counts = json_loads(PQgetvalue(res[1], 0, 0), 0, NULL);
    if (rc == DB_OK && !*counts) {
        db_page_free(page);
        rc = DB_HARD;
    }
    PQclear(res[0]);
    PQclear(res[1]);
    return rc;
}
