/* DB tier: the schema of commitment sampling (sql/0033_commitment_sampling.sql).  The draw
 * function agrees with the rule written another way (the first four bytes of the sha256 of
 * seed || ':' || claim id, as a big-endian unsigned number, mod 10000) for 2000 claim ids, and its
 * sampled share at 1000 bp is near 10%; a setting's percentage, amount and seed are checked; the
 * service's role may read the settings but never write one (settings are versioned by
 * subsidyctl, each set a new row). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct th_pg pg;

static PGresult *exec_ok(PGconn *c, const char *sql)
{
    PGresult *res = PQexec(c, sql);
    ck_assert_msg(PQresultStatus(res) == PGRES_TUPLES_OK || PQresultStatus(res) == PGRES_COMMAND_OK,
                  "%s: %s", sql, PQerrorMessage(c));
    return res;
}

static const char *sqlstate(PGconn *c, const char *sql)
{
    static char state[6];
    PGresult *res = PQexec(c, sql);
    const char *s = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    snprintf(state, sizeof state, "%s", s ? s : "00000");
    PQclear(res);
    return state;
}

START_TEST(draw_is_reproducible_and_uniform)
{
    PGconn *c = th_pg_super(&pg);
    // clang-format off
    PGresult *res = exec_ok(c,
        "WITH d AS ("
        "  SELECT i, sampling_draw('\\x000102030405060708090a0b0c0d0e0f"
        "101112131415161718191a1b1c1d1e1f'::bytea, i) AS v,"
        "         sha256('\\x000102030405060708090a0b0c0d0e0f"
        "101112131415161718191a1b1c1d1e1f'::bytea || ':'::bytea || i::text::bytea) AS h"
        "    FROM generate_series(1, 2000) i)"
        "SELECT count(*) FILTER (WHERE v <> ((get_byte(h, 0)::bigint << 24) | (get_byte(h, 1) << 16)"
        "                                     | (get_byte(h, 2) << 8) | get_byte(h, 3)) % 10000),"
        "       count(*) FILTER (WHERE v NOT BETWEEN 0 AND 9999),"
        "       count(*) FILTER (WHERE v < 1000)"
        "  FROM d");
    // clang-format on
    ck_assert_str_eq(PQgetvalue(res, 0, 0), "0");
    ck_assert_str_eq(PQgetvalue(res, 0, 1), "0");
    int sampled = atoi(PQgetvalue(res, 0, 2));
    /* 2000 draws at 10%: mean 200, sd about 13.4; 5 sd either side */
    ck_assert_msg(sampled > 133 && sampled < 267, "sampled %d of 2000 at 1000 bp", sampled);
    PQclear(res);
    PQfinish(c);
}
END_TEST

START_TEST(settings_are_checked_and_read_only_to_the_service)
{
    PGconn *c = th_pg_super(&pg);
    PQclear(exec_ok(c, "INSERT INTO sampling_setting (policy_id, percent_bp, above_fen, seed)"
                       " VALUES ('ningbo-2024', 500, 300000, sha256('seed'::bytea))"));
    ck_assert_str_eq(
        sqlstate(c, "INSERT INTO sampling_setting (policy_id, percent_bp, above_fen, seed)"
                    " VALUES ('ningbo-2024', 10001, 0, sha256('seed'::bytea))"),
        "23514");
    ck_assert_str_eq(
        sqlstate(c, "INSERT INTO sampling_setting (policy_id, percent_bp, above_fen, seed)"
                    " VALUES ('ningbo-2024', 100, -1, sha256('seed'::bytea))"),
        "23514");
    ck_assert_str_eq(
        sqlstate(c, "INSERT INTO sampling_setting (policy_id, percent_bp, above_fen, seed)"
                    " VALUES ('ningbo-2024', 100, 0, '\\x00'::bytea)"),
        "23514");
    PQfinish(c);
    PGconn *app = PQconnectdb(pg.app_conninfo);
    ck_assert_int_eq(PQstatus(app), CONNECTION_OK);
    PGresult *res = exec_ok(app, "SELECT count(*) FROM sampling_setting");
    ck_assert_str_eq(PQgetvalue(res, 0, 0), "1");
    PQclear(res);
    ck_assert_str_eq(sqlstate(app, "UPDATE sampling_setting SET percent_bp = 0"), "42501");
    ck_assert_str_eq(
        sqlstate(app, "INSERT INTO sampling_setting (policy_id, percent_bp, above_fen, seed)"
                      " VALUES ('ningbo-2024', 0, 0, '\\x00'::bytea)"),
        "42501");
    ck_assert_str_eq(sqlstate(app, "UPDATE claim_sample SET sampled = false"), "42501");
    PQfinish(app);
}
END_TEST

int main(void)
{
    th_pg_start(&pg);
    Suite *s = suite_create("sampling");
    TCase *tc = tcase_create("sampling");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, draw_is_reproducible_and_uniform);
    tcase_add_test(tc, settings_are_checked_and_read_only_to_the_service);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    th_pg_destroy(&pg);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
