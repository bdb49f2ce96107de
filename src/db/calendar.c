/* The working-day calendar: a year as JSON, its replacement, and the days of a range. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"
#include "db_exec.h"

const struct db_stmt db_stmt_calendar_year = {
    "calendar_year",
    "SELECT json_build_object('year', y.year, 'source', y.source, 'updated_at',"
    "       to_char(y.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
    "       'days', coalesce(json_agg(json_build_object('day', d.day::text, 'kind', d.kind,"
    "                                                   'name', d.name) ORDER BY d.day)"
    "                        FILTER (WHERE d.day IS NOT NULL), '[]'))::text"
    "  FROM calendar_year y LEFT JOIN calendar_day d ON d.year = y.year"
    " WHERE y.year = $1::int GROUP BY y.year, y.source, y.updated_at",
    1};
const struct db_stmt db_stmt_calendar_lock = {
    "calendar_lock", "SELECT 1 FROM calendar_year WHERE year = $1::int FOR UPDATE", 1};
const struct db_stmt db_stmt_calendar_upsert = {
    "calendar_upsert",
    "INSERT INTO calendar_year (year, source) VALUES ($1::int, $2)"
    " ON CONFLICT (year) DO UPDATE SET source = EXCLUDED.source, updated_at = now()",
    2};
const struct db_stmt db_stmt_calendar_clear = {"calendar_clear",
                                               "DELETE FROM calendar_day WHERE year = $1::int", 1};
const struct db_stmt db_stmt_calendar_fill = {
    "calendar_fill",
    "INSERT INTO calendar_day (day, year, kind, name)"
    " SELECT x.day::date, $1::int, x.kind, x.name"
    "   FROM json_to_recordset($2::json) AS x (day text, kind text, name text)",
    2};
const struct db_stmt db_stmt_calendar_range = {
    "calendar_range",
    "SELECT (day - '0001-01-01'::date + 1)::text, kind FROM calendar_day"
    " WHERE day BETWEEN $1::date AND $2::date ORDER BY day",
    2};
const struct db_stmt db_stmt_calendar_loaded = {
    "calendar_loaded",
    "SELECT count(*) = $2::int - $1::int + 1 FROM calendar_year"
    " WHERE year BETWEEN $1::int AND $2::int",
    2};

const struct db_stmt db_stmt_calendar_years = {"calendar_years",
                                               "SELECT year FROM calendar_year ORDER BY year", 0};

static void int_text(char *buf, size_t len, long long v)
{
    snprintf(buf, len, "%lld", v);
}

enum db_rc db_calendar_year(struct db_conn *c, int year, char **json)
{
    char y[16];
    int_text(y, sizeof y, year);
    const char *params[] = {y};
    enum db_rc rc;
    PGresult *res = db_exec_ro(c, &db_stmt_calendar_year, params, &rc);
    if (!res)
        return rc;
    *json = PQntuples(res) == 1 ? strdup(PQgetvalue(res, 0, 0)) : NULL;
    rc = PQntuples(res) == 1 ? (*json ? DB_OK : DB_HARD) : DB_NOT_FOUND;
    PQclear(res);
    return rc;
}

static enum db_rc run(struct db_conn *c, const struct db_stmt *s, const char *const *params)
{
    enum db_rc rc;
    PGresult *res = db_exec(c, s, params, &rc);
    PQclear(res);
    return rc;
}

enum db_rc db_calendar_replace(struct db_conn *c, int year, const char *source,
                               const char *days_json)
{
    char y[16];
    int_text(y, sizeof y, year);
    const char *p1[] = {y}, *p2[] = {y, source}, *p3[] = {y, days_json};
    enum db_rc rc = run(c, &db_stmt_calendar_upsert, p2);
    if (rc == DB_OK)
        rc = run(c, &db_stmt_calendar_clear, p1);
    if (rc == DB_OK)
        rc = run(c, &db_stmt_calendar_fill, p3);
    return rc;
}

enum db_rc db_calendar_lock(struct db_conn *c, int year)
{
    char y[16];
    int_text(y, sizeof y, year);
    const char *params[] = {y};
    return run(c, &db_stmt_calendar_lock, params);
}

enum db_rc db_calendar_range(struct db_conn *c, const char *from, const char *to,
                             struct db_day_list *out)
{
    const char *params[] = {from, to};
    enum db_rc rc;
    PGresult *res = db_exec_ro(c, &db_stmt_calendar_range, params, &rc);
    if (!res)
        return rc;
    out->nholidays = out->nworkdays = 0;
    for (int i = 0; i < PQntuples(res); i++) {
        int32_t day = (int32_t)atol(PQgetvalue(res, i, 0));
        if (PQgetvalue(res, i, 1)[0] == 'h' && out->nholidays < DB_MAX_CALENDAR_DAYS)
            out->holidays[out->nholidays++] = day;
        else if (PQgetvalue(res, i, 1)[0] == 'w' && out->nworkdays < DB_MAX_CALENDAR_DAYS)
            out->workdays[out->nworkdays++] = day;
    }
    PQclear(res);
    return DB_OK;
}

enum db_rc db_calendar_loaded(struct db_conn *c, int from_year, int to_year, bool *loaded)
{
    char a[16], b[16];
    int_text(a, sizeof a, from_year);
    int_text(b, sizeof b, to_year);
    const char *params[] = {a, b};
    enum db_rc rc;
    PGresult *res = db_exec_ro(c, &db_stmt_calendar_loaded, params, &rc);
    if (!res)
        return rc;
    *loaded = PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    return DB_OK;
}

enum db_rc db_calendar_years(struct db_conn *c, struct db_year_list *out)
{
    enum db_rc rc;
    PGresult *res = db_exec_ro(c, &db_stmt_calendar_years, NULL, &rc);
    if (!res)
        return rc;
    out->n = 0;
    for (int i = 0; i < PQntuples(res) && out->n < DB_MAX_CALENDAR_YEARS; i++)
        out->years[out->n++] = atoi(PQgetvalue(res, i, 0));
    PQclear(res);
    return DB_OK;
}
