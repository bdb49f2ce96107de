/* API tier: what the audit log must hold and what its verifier must find (issue 11, "First,
 * tests that would notice"):
 * - a full ID number is shown to the person and to approvers only, never to an enterprise (403,
 *   nothing revealed, nothing audited), and every reveal writes its audit row (S10, masking);
 * - PUT /v1/profile writes its audit row: action, object, actor, request, masked content;
 * - the audit digest covers every column of a row: each one changed in turn behind the
 *   service's back (as the schema owner), `subsidyctl audit verify` fails and names the row. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static struct th_pg pg;
static struct th_daemon d;
static char admin[64], enterprise[64], person[64], approver[64];
static char person_no[19];
static long long claim_id;

#define ENT "91330900MA28K1234U"

static long long token_id(const char *token)
{
    struct th_reply r = th_http(&d, "GET", "/v1/me", token, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    long long id = json_integer_value(json_object_get(r.json, "token_id"));
    th_reply_free(&r);
    return id;
}

/* The person id of an applicant's profile, by the token's subject. */
static long long person_of(const char *token)
{
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT p.id FROM person p JOIN token t ON t.subject = p.owner_subject"
             " WHERE t.id = %lld",
             token_id(token));
    return th_count(&pg, sql);
}

static long reveals(void)
{
    return th_count(&pg, "SELECT count(*) FROM audit WHERE action = 'person.reveal'");
}

/* Exactly one audit row of action about person object_id by the token, and for request_id
 * when given. */
static void assert_audited(const char *action, long long object_id, const char *token,
                           const char *request_id)
{
    char sql[400];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM audit WHERE action = '%s' AND object_kind = 'person'"
             " AND object_id = '%lld' AND actor = %lld AND ('%s' = '' OR request_id = '%s')",
             action, object_id, token_id(token), request_id ? request_id : "",
             request_id ? request_id : "");
    if (th_count(&pg, sql) != 1) {
        char *rows = th_sql(&pg, "SELECT string_agg(concat_ws(' ', action, object_kind, object_id,"
                                 " actor, request_id), '; ') FROM audit");
        ck_abort_msg("no %s row for person %lld by token %lld, request %s: %s", action, object_id,
                     token_id(token), request_id ? request_id : "-", rows);
    }
}

/* ---- reveals ---- */

START_TEST(enterprise_never_reveals)
{
    long before = reveals();
    char path[96];
    snprintf(path, sizeof path, "/v1/claims/%lld?reveal=true", claim_id);
    struct th_reply r = th_http(&d, "GET", path, enterprise, NULL, 0, NULL);
    ck_assert_msg(r.status == 403, "%ld %s", r.status, r.body);
    ck_assert_ptr_null(strstr(r.body, person_no));
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/profile?reveal=true", enterprise, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 403);
    th_reply_free(&r);
    ck_assert_int_eq(reveals(), before);
    /* the enterprise still reads its own claim, masked */
    snprintf(path, sizeof path, "/v1/claims/%lld", claim_id);
    r = th_http(&d, "GET", path, enterprise, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_ptr_null(strstr(r.body, person_no));
    ck_assert_ptr_null(json_object_get(json_object_get(r.json, "person"), "id_number"));
    th_reply_free(&r);
    ck_assert_int_eq(reveals(), before);
}
END_TEST

START_TEST(person_and_approver_reveal_audited)
{
    long long pid = person_of(person);
    char path[96];
    snprintf(path, sizeof path, "/v1/claims/%lld?reveal=true", claim_id);
    const char *viewers[] = {person, approver};
    for (int i = 0; i < 2; i++) {
        long before = reveals();
        struct th_reply r = th_http(&d, "GET", path, viewers[i], NULL, 0, NULL);
        ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
        ck_assert_str_eq(
            json_string_value(json_object_get(json_object_get(r.json, "person"), "id_number")),
            person_no);
        ck_assert_int_eq(reveals(), before + 1);
        char rid[64]; /* th_header's buffer is the next call's */
        snprintf(rid, sizeof rid, "%s", th_header(&r, "x-request-id"));
        assert_audited("person.reveal", pid, viewers[i], rid);
        th_reply_free(&r);
    }
    long before = reveals();
    struct th_reply r = th_http(&d, "GET", "/v1/profile?reveal=true", person, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "id_number")), person_no);
    ck_assert_int_eq(reveals(), before + 1);
    th_reply_free(&r);
}
END_TEST

/* ---- the profile's own row ---- */

START_TEST(profile_put_audited)
{
    char id[19], token[64], body[200];
    th_resident_id(id, "330902", 1993, 77);
    th_token(&pg, "applicant", id, NULL, token);
    const char *names[] = {"王某", "王某某"};
    for (int i = 0; i < 2; i++) { /* registered, then changed */
        char key[16];
        snprintf(key, sizeof key, "pf-a-%d", i);
        snprintf(body, sizeof body,
                 "{\"id_number\":\"%s\",\"name\":\"%s\",\"hukou_region\":\"330902\"}", id,
                 names[i]);
        struct th_reply r = th_write(&d, "PUT", "/v1/profile", token, key, body);
        ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
        long long pid = person_of(token);
        char rid[64], sql[300];
        snprintf(rid, sizeof rid, "%s", th_header(&r, "x-request-id"));
        th_reply_free(&r);
        assert_audited("person.profile", pid, token, rid);
        /* what it records is the profile, masked */
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM audit WHERE request_id = '%s' AND after->>'name' = '%s'"
                 " AND position('%s' IN after::text) = 0 AND after::text LIKE '%%%.6s%%'",
                 rid, names[i], id, id);
        ck_assert_int_eq(th_count(&pg, sql), 1);
    }
}
END_TEST

/* ---- the digest covers every column ---- */

/* How each column of a row is changed; id is the row's address, not its content. */
static const struct {
    const char *column, *change;
} tampers[] = {
    {"chain", "(SELECT g FROM generate_series(0, 15) g WHERE g <> audit.chain AND NOT EXISTS"
              " (SELECT 1 FROM audit b WHERE b.chain = g AND b.seq = audit.seq) LIMIT 1)"},
    {"seq", "seq + 1000000"},
    {"at", "at + interval '1 second'"},
    {"actor", "coalesce(actor, 0) + 1"},
    {"action", "action || 'x'"},
    {"object_kind", "object_kind || 'x'"},
    {"object_id", "object_id || 'x'"},
    {"before", "coalesce(before, '{}') || '{\"forged\": 1}'"},
    {"after", "coalesce(after, '{}') || '{\"forged\": 1}'"},
    {"request_id", "coalesce(request_id, '') || 'x'"},
    {"prev_hash", "sha256(prev_hash)"},
    {"hash", "sha256(hash)"},
};

/* Run the verifier; its exit status, and whether its report names row id. */
static int verify(long long id, bool *named)
{
    const char *args[] = {"audit", "verify", NULL};
    char out[300], line[512], needle[40];
    snprintf(out, sizeof out, "%s/verify.out", pg.dir);
    int rc = th_subsidyctl(&pg, args, out);
    snprintf(needle, sizeof needle, "(id %lld)", id);
    *named = false;
    FILE *f = fopen(out, "r");
    while (f && fgets(line, sizeof line, f))
        *named = *named || strstr(line, needle) != NULL;
    if (f)
        fclose(f);
    return rc;
}

START_TEST(digest_covers_every_column)
{
    /* a row with every column given (actor, before, after, request id): the withdrawal of a
     * claim, by the person */
    char path[96];
    snprintf(path, sizeof path, "/v1/claims/%lld/withdraw", claim_id);
    struct th_reply r = th_write(&d, "POST", path, person, "wd-audit", "{\"reason\":\"测试\"}");
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    th_reply_free(&r);
    char sql[400];
    snprintf(sql, sizeof sql,
             "SELECT id FROM audit WHERE action = 'claim.withdraw' AND object_id = '%lld'",
             claim_id);
    long long id = th_count(&pg, sql);
    ck_assert_int_gt(id, 0);
    /* whenever the row is linked into its chain, the log is intact once it is */
    bool named = false;
    int rc = 1;
    for (int i = 0; i < 100 && (rc = verify(id, &named)) != 0; i++)
        usleep(100000);
    ck_assert_int_eq(rc, 0);
    /* every column of the table is either changed below or the row's address */
    long columns = th_count(&pg, "SELECT count(*) FROM information_schema.columns"
                                 " WHERE table_schema = 'public' AND table_name = 'audit'");
    ck_assert_msg(columns == (long)(sizeof tampers / sizeof tampers[0]) + 1,
                  "audit has %ld columns: change the new one below too", columns);
    snprintf(sql, sizeof sql, "CREATE TABLE audit_saved AS SELECT * FROM audit WHERE id = %lld",
             id);
    free(th_sql(&pg, sql));
    for (size_t i = 0; i < sizeof tampers / sizeof tampers[0]; i++) {
        const char *col = tampers[i].column;
        snprintf(sql, sizeof sql, "UPDATE audit SET %s = %s WHERE id = %lld", col,
                 tampers[i].change, id);
        free(th_sql(&pg, sql));
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM audit a JOIN audit_saved s USING (id)"
                 " WHERE a.%s IS DISTINCT FROM s.%s",
                 col, col);
        ck_assert_msg(th_count(&pg, sql) == 1, "%s was not changed", col);
        rc = verify(id, &named);
        ck_assert_msg(rc == 1, "a change of %s: verify exits %d", col, rc);
        ck_assert_msg(named, "a change of %s: the verifier does not name row %lld", col, id);
        snprintf(sql, sizeof sql,
                 "UPDATE audit a SET %s = s.%s FROM audit_saved s WHERE a.id = s.id", col, col);
        free(th_sql(&pg, sql));
        ck_assert_msg(verify(id, &named) == 0, "restoring %s", col);
    }
    free(th_sql(&pg, "DROP TABLE audit_saved"));
}
END_TEST

int main(void)
{
    th_start(&pg, &d, NULL);
    th_occupations(&pg);
    th_token(&pg, "admin", NULL, NULL, admin);
    th_token(&pg, "enterprise", ENT, NULL, enterprise);
    th_token(&pg, "approver", NULL, "330900", approver);
    th_resident_id(person_no, "330902", 1989, 42);
    th_token(&pg, "applicant", person_no, NULL, person);
    const char *insured[] = {person_no};
    bool ok = th_enterprise(&d, admin, ENT, "330902") &&
              th_profile(&d, person, person_no, "330902") &&
              th_insure(&d, admin, ENT, insured, 1, "2019-01-01");
    /* the enterprise's claim about the person, submitted */
    char body[1024];
    snprintf(body, sizeof body,
             "{\"region\":\"330902\",\"submit\":true,\"employee\":{\"id_number\":\"%s\","
             "\"name\":\"员工\"},\"claim\":{\"kind\":\"certificate_training\",\"occupation\":"
             "\"6-18-02-04\",\"level\":\"level4\",\"certificate\":{\"kind\":\"qualification\","
             "\"number\":\"AUDIT-1\",\"issue_date\":\"2021-03-01\"},\"actual_cost_fen\":100000}}",
             person_no);
    struct th_reply r = th_write(&d, "POST", "/v1/claims", enterprise, "audit-claim", body);
    if (r.status != 201)
        fprintf(stderr, "claim: %ld %s\n", r.status, r.body), ok = false;
    claim_id = r.json ? json_integer_value(json_object_get(r.json, "id")) : 0;
    th_reply_free(&r);
    if (!ok) {
        th_finish(&pg, &d);
        return 99;
    }
    Suite *s = suite_create("audit");
    TCase *tc = tcase_create("audit");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, enterprise_never_reveals);
    tcase_add_test(tc, person_and_approver_reveal_audited);
    tcase_add_test(tc, profile_put_audited);
    tcase_add_test(tc, digest_covers_every_column);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    return failed || th_finish(&pg, &d) != 0 ? 1 : 0;
}
