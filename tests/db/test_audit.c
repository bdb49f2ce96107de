/* DB tier: the audit log chained after commit (sql/0015).  Rows are inserted unchained (the
 * service's transactions take no chain lock), db_audit_chain links the committed ones, one
 * caller at a time, and the verifier finds a change of any column of a chained row and says how
 * far the chains have reached. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_exec.h"
#include "harness.h"
#include "ops.h"

static struct th_pg pg;

extern const struct db_stmt db_stmt_audit_insert, db_stmt_audit_chain;
const struct db_stmt *const db_statements[] = {&db_stmt_audit_insert, &db_stmt_audit_chain, NULL};

static enum db_rc three_rows(struct db_conn *c, void *cls)
{
    (void)cls;
    static const char *const objects[] = {"2030", "2031", "2032"};
    for (size_t i = 0; i < 3; i++) {
        struct db_audit_row a = {7,    "calendar.put", "calendar_year", objects[i],
                                 NULL, "{\"n\":1}",    "req-audit"};
        enum db_rc rc = db_audit(c, &a);
        if (rc != DB_OK)
            return rc;
    }
    return DB_OK;
}

/* db_audit_verify on conn (as the owner): its status and its output. */
static int verify(PGconn *conn, char *out, size_t len)
{
    FILE *f = tmpfile();
    ck_assert_ptr_nonnull(f);
    long long rows = 0;
    int broken = db_audit_verify(conn, f, &rows);
    rewind(f);
    size_t n = fread(out, 1, len - 1, f);
    out[n] = '\0';
    fclose(f);
    return broken;
}

START_TEST(rows_are_chained_after_commit)
{
    struct db_config cfg = {pg.app_conninfo, 3, 5000, 10000, 50};
    db_configure(&cfg);
    struct db_conn *c = db_thread_conn();
    ck_assert_ptr_nonnull(c);
    ck_assert_int_eq(db_txn(c, three_rows, NULL), DB_OK);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM audit WHERE seq IS NULL"), 3);
    /* another chainer at work (its lock held): this one returns at once, having done nothing */
    PGconn *other = PQconnectdb(pg.owner_conninfo);
    ck_assert_int_eq(PQstatus(other), CONNECTION_OK);
    PQclear(PQexec(other, "BEGIN"));
    PQclear(PQexec(other, "SELECT pg_advisory_xact_lock(hashtext('subsidyd audit_chain'))"));
    int chained = -1;
    ck_assert_int_eq(db_audit_chain(c, 5000, &chained), DB_OK);
    ck_assert_int_eq(chained, 0);
    PQclear(PQexec(other, "COMMIT"));
    ck_assert_int_eq(db_audit_chain(c, 5000, &chained), DB_OK);
    ck_assert_int_eq(chained, 3);
    ck_assert_int_eq(db_audit_chain(c, 5000, &chained), DB_OK);
    ck_assert_int_eq(chained, 0);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM audit WHERE seq IS NULL"), 0);
    db_thread_close();

    char out[4096];
    ck_assert_int_eq(verify(other, out, sizeof out), 0);
    ck_assert_msg(strstr(out, "; 0 rows not chained yet"), "%s", out);
    /* a change of any column of a chained row is found */
    static const char *const tamper[] = {
        "id = DEFAULT",
        "chain = (chain + 1) % 16",
        "seq = seq + 100",
        "at = at + interval '1 microsecond'",
        "actor = 8",
        "action = 'calendar.gone'",
        "object_kind = 'calendar_day'",
        "object_id = '2039'",
        "before = '{}'",
        "after = '{\"n\":2}'",
        "request_id = 'req-other'",
        "prev_hash = sha256('x')",
        "hash = sha256('x')",
    };
    for (size_t i = 0; i < sizeof tamper / sizeof *tamper; i++) {
        char sql[256];
        snprintf(sql, sizeof sql,
                 "UPDATE audit SET %s WHERE id = (SELECT min(id) + 1 FROM audit"
                 " WHERE request_id = 'req-audit')",
                 tamper[i]);
        PQclear(PQexec(other, "BEGIN"));
        PGresult *res = PQexec(other, sql);
        ck_assert_msg(PQresultStatus(res) == PGRES_COMMAND_OK, "%s: %s", tamper[i],
                      PQerrorMessage(other));
        PQclear(res);
        ck_assert_msg(verify(other, out, sizeof out) > 0, "%s not found: %s", tamper[i], out);
        PQclear(PQexec(other, "ROLLBACK"));
    }
    ck_assert_int_eq(verify(other, out, sizeof out), 0);
    PQfinish(other);
}
END_TEST

int main(void)
{
    th_pg_start(&pg);
    Suite *s = suite_create("audit");
    TCase *tc = tcase_create("chain");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, rows_are_chained_after_commit);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    th_pg_destroy(&pg);
    return failed ? 1 : 0;
}
