/* API tier: the groundwork of disbursement (issue 14 "Disbursement"; sql/0037_payee_finance.sql;
 * api/openapi.yaml getFinanceReadiness, getFinanceFundingLines, importPayeeAccounts, putProfile's
 * payee_account).  A finance officer (财务人员) of Dinghai reads the payee readiness of the
 * district's approved and payable claims: each claim's payee is ready or listed with the reasons
 * it is not — no card account, a closed one, the holder's name or ID number not the person's, an
 * enterprise without a bank account — made by real data: the applicant's profile, the state's
 * import (which wins over the profile), the enterprise's registry entry.  Account and ID
 * numbers are masked in every reply and never in the log.  Finance reads only its regions
 * (another region is 404, its claims absent), a claim only once approved (never revealed), and
 * takes no approver step (403).  Funding lines are set with subsidyctl and read by finance.  The
 * claims are approved by an approver through the daemon; the notice period that makes approved
 * claims payable is built by another change in parallel, so the fixture moves some to payable by
 * SQL. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct th_pg pg;
static struct th_daemon d;
static char admin[64], approver[64], finance[64], finance_city[64], finance_jx[64], enterprise[64];
static int keys;

#define ENT "91330900MA28K1234U" /* registered in Dinghai as 舟山示范企业 */
/* A card account of the worker's own ID number (the %s) */
#define ACCOUNT(number, holder)                                                                    \
    "{\"bank_code\":\"ICBC\",\"bank_name\":\"工商银行舟山分行\",\"account_number\":\"" number      \
    "\",\"holder_name\":\"" holder "\",\"holder_id_number\":\"%s\"}"

struct worker {
    char token[64], id[19];
    long long claim;
};

static const char *key(void)
{
    static char k[32];
    snprintf(k, sizeof k, "k-%d", keys++);
    return k;
}

static void expect_status(struct th_reply r, long status)
{
    ck_assert_msg(r.status == status, "%ld (want %ld) %s", r.status, status, r.body);
    th_reply_free(&r);
}

/* A Dinghai worker named name with a profile; account_format, when not NULL, the JSON text of
 * its payee_account with a %s for the worker's ID number (ACCOUNT). */
static void new_worker(struct worker *w, const char *name, const char *account_format)
{
    static unsigned serial = 100;
    th_resident_id(w->id, "330902", 1990, serial++);
    th_token(&pg, "applicant", w->id, NULL, w->token);
    char body[1024], account[512] = "";
    if (account_format)
        snprintf(account, sizeof account, account_format, w->id);
    snprintf(body, sizeof body,
             "{\"id_number\":\"%s\",\"name\":\"%s\",\"hukou_region\":\"330902\"%s%s}", w->id, name,
             account_format ? ",\"payee_account\":" : "", account);
    expect_status(th_write(&d, "PUT", "/v1/profile", w->token, key(), body), 200);
}

static void approve(long long id)
{
    char path[64];
    snprintf(path, sizeof path, "/v1/claims/%lld/take", id);
    expect_status(th_write(&d, "POST", path, approver, key(), "{}"), 200);
    snprintf(path, sizeof path, "/v1/claims/%lld/approve", id);
    expect_status(th_write(&d, "POST", path, approver, key(), "{}"), 200);
}

/* A submitted electrician claim of token's; employee, when not NULL, the person an enterprise
 * claims for: the members "\"employee\":{...}," of the body. */
static long long electrician_claim(const char *token, const char *employee)
{
    static unsigned number = 1;
    char body[1024];
    snprintf(body, sizeof body,
             "{\"region\":\"330902\",\"submit\":true,%s\"claim\":{\"kind\":"
             "\"certificate_training\",\"occupation\":\"6-18-02-09\",\"level\":\"level3\","
             "\"certificate\":{\"kind\":\"qualification\",\"number\":\"PR-%u\",\"issue_date\":"
             "\"2020-06-30\"},\"actual_cost_fen\":200000}}",
             employee ? employee : "", number++);
    struct th_reply r = th_write(&d, "POST", "/v1/claims", token, key(), body);
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    long long id = json_integer_value(json_object_get(r.json, "id"));
    th_reply_free(&r);
    return id;
}

/* A worker's approved claim. */
static void approved_worker(struct worker *w, const char *name, const char *payee_account)
{
    new_worker(w, name, payee_account);
    w->claim = electrician_claim(w->token, NULL);
    approve(w->claim);
}

/* Move an approved claim on to payable (what the notice period will do; see the top). */
static void make_payable(long long id)
{
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE claim SET state = 'payable' WHERE id = %lld", id);
    free(th_sql(&pg, sql));
}

/* The claim's item of the readiness list of region as token reads it (every page), or NULL;
 * the caller decrefs. */
static json_t *item_of(const char *token, const char *query, long long claim)
{
    char path[160];
    long long after = 0;
    json_t *found = NULL;
    for (;;) {
        snprintf(path, sizeof path, "/v1/finance/readiness?%s&limit=3&after=%lld", query, after);
        struct th_reply r = th_http(&d, "GET", path, token, NULL, 0, NULL);
        ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
        json_t *items = json_object_get(r.json, "items"), *it;
        size_t i;
        json_array_foreach(items, i, it) if (json_integer_value(json_object_get(it, "claim_id")) ==
                                             claim) found = json_incref(it);
        json_t *next = json_object_get(r.json, "next_after");
        after = json_is_integer(next) ? json_integer_value(next) : 0;
        th_reply_free(&r);
        if (!after || found)
            return found;
    }
}

/* The reasons of the claim's item as "a,b" (static buffer); the item must be there. */
static const char *reasons_of(long long claim)
{
    static char out[160];
    json_t *it = item_of(finance, "region=330902", claim);
    ck_assert_msg(it != NULL, "claim %lld not listed", claim);
    out[0] = '\0';
    json_t *reasons = json_object_get(it, "reasons"), *x;
    size_t i;
    json_array_foreach(reasons, i, x) snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s",
                                               i ? "," : "", json_string_value(x));
    ck_assert(json_is_boolean(json_object_get(it, "ready")));
    ck_assert_int_eq(json_is_true(json_object_get(it, "ready")), out[0] == '\0');
    json_decref(it);
    return out;
}

static struct th_reply import(const char *records)
{
    char body[4096];
    snprintf(body, sizeof body, "{\"source\":\"舟山市社保卡金融账户 2026-12\",\"records\":[%s]}",
             records);
    return th_write(&d, "POST", "/v1/admin/payee-accounts", admin, key(), body);
}

START_TEST(a_ready_claim_and_the_account_masked_everywhere)
{
    struct worker w;
    approved_worker(&w, "赵一", ACCOUNT("6215580012345678", "赵一"));
    ck_assert_str_eq(reasons_of(w.claim), "");
    json_t *it = item_of(finance, "region=330902", w.claim), *a = json_object_get(it, "account");
    ck_assert_str_eq(json_string_value(json_object_get(a, "account_number_masked")), "****5678");
    ck_assert_str_eq(json_string_value(json_object_get(a, "source")), "profile");
    ck_assert_str_eq(json_string_value(json_object_get(a, "status")), "active");
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(it, "payee"), "kind")),
                     "person");
    ck_assert(json_is_false(json_object_get(it, "payable")));
    ck_assert_str_eq(json_string_value(json_object_get(it, "state")), "in_notice");
    json_decref(it);
    /* payable, it is marked so */
    make_payable(w.claim);
    it = item_of(finance, "region=330902", w.claim);
    ck_assert(json_is_true(json_object_get(it, "payable")));
    json_decref(it);
    /* the profile shows it masked; no reply and no log line holds the numbers */
    struct th_reply r = th_http(&d, "GET", "/v1/profile", w.token, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    a = json_object_get(r.json, "payee_account");
    ck_assert_str_eq(json_string_value(json_object_get(a, "account_number_masked")), "****5678");
    ck_assert(json_is_false(json_object_get(r.json, "payee_account_superseded")));
    ck_assert_ptr_null(strstr(r.body, "6215580012345678"));
    ck_assert_ptr_null(strstr(r.body, w.id));
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/finance/readiness?region=330902&limit=200", finance, NULL, 0, NULL);
    ck_assert_ptr_null(strstr(r.body, "6215580012345678"));
    ck_assert_ptr_null(strstr(r.body, w.id));
    th_reply_free(&r);
    ck_assert(!th_log_contains(&d, "6215580012345678"));
    ck_assert(!th_log_contains(&d, w.id));
    /* the database keeps it sealed */
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM payee_account WHERE account_sealed::text"
                                   " LIKE '%6215580012345678%' OR encode(account_sealed, 'escape')"
                                   " LIKE '%6215580012345678%'"),
                     0);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM audit WHERE action = 'person.profile'"
                                   " AND after::text LIKE '%****5678%'"),
                     1);
}
END_TEST

START_TEST(each_reason_a_payee_is_not_ready)
{
    char other_id[19];
    th_resident_id(other_id, "330902", 1985, 7);
    /* no account at all */
    struct worker none;
    approved_worker(&none, "钱二", NULL);
    ck_assert_str_eq(reasons_of(none.claim), "no_account");
    /* a holder name that is not the registered name (kept on the profile, readiness says so) */
    struct worker named;
    approved_worker(&named, "孙三", ACCOUNT("6215580000001111", "孙三丰"));
    ck_assert_str_eq(reasons_of(named.claim), "holder_name_mismatch");
    /* the state's record: closed, and another's ID number as holder */
    struct worker closed, other;
    approved_worker(&closed, "李四", NULL);
    approved_worker(&other, "周五", NULL);
    char records[2048];
    snprintf(records, sizeof records,
             "{\"id_number\":\"%s\",\"bank_code\":\"ABC\",\"bank_name\":\"农业银行\","
             "\"account_number\":\"6228480000002222\",\"holder_name\":\"李四\","
             "\"holder_id_number\":\"%s\",\"status\":\"closed\"},"
             "{\"id_number\":\"%s\",\"bank_code\":\"ABC\",\"bank_name\":\"农业银行\","
             "\"account_number\":\"6228480000003333\",\"holder_name\":\"周五\","
             "\"holder_id_number\":\"%s\"}",
             closed.id, closed.id, other.id, other_id);
    struct th_reply r = import(records);
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "added")), 2);
    th_reply_free(&r);
    ck_assert_str_eq(reasons_of(closed.claim), "account_closed");
    ck_assert_str_eq(reasons_of(other.claim), "holder_id_mismatch");
    /* ready=false lists them all, ready=true none of them */
    const long long not_ready[] = {none.claim, named.claim, closed.claim, other.claim};
    for (int i = 0; i < 4; i++) {
        json_t *it = item_of(finance, "region=330902&ready=false", not_ready[i]);
        ck_assert_ptr_nonnull(it);
        json_decref(it);
        ck_assert_ptr_null(item_of(finance, "region=330902&ready=true", not_ready[i]));
    }
    /* a held claim is not ready either, whatever its account */
    char sql[160];
    snprintf(sql, sizeof sql,
             "UPDATE claim SET payment_hold = 'certificate_revoked' WHERE id = %lld", closed.claim);
    free(th_sql(&pg, sql));
    ck_assert_str_eq(reasons_of(closed.claim), "payment_hold,account_closed");
}
END_TEST

START_TEST(the_import_wins_over_the_profile)
{
    struct worker w;
    char account[512], records[1024];
    approved_worker(&w, "吴六", ACCOUNT("6215580000004444", "吴六"));
    snprintf(records, sizeof records,
             "{\"id_number\":\"%s\",\"bank_code\":\"BOC\",\"bank_name\":\"中国银行\","
             "\"account_number\":\"6216610000005555\",\"holder_name\":\"吴六\","
             "\"holder_id_number\":\"%s\"}",
             w.id, w.id);
    expect_status(import(records), 200);
    /* the profile written again later does not displace it */
    char body[768];
    snprintf(account, sizeof account, ACCOUNT("6215580000006666", "吴六"), w.id);
    snprintf(body, sizeof body,
             "{\"id_number\":\"%s\",\"name\":\"吴六\",\"hukou_region\":\"330902\","
             "\"payee_account\":%s}",
             w.id, account);
    struct th_reply r = th_write(&d, "PUT", "/v1/profile", w.token, key(), body);
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    json_t *a = json_object_get(r.json, "payee_account");
    ck_assert_str_eq(json_string_value(json_object_get(a, "source")), "import");
    ck_assert_str_eq(json_string_value(json_object_get(a, "account_number_masked")), "****5555");
    ck_assert(json_is_true(json_object_get(r.json, "payee_account_superseded")));
    th_reply_free(&r);
    json_t *it = item_of(finance, "region=330902", w.claim);
    a = json_object_get(it, "account");
    ck_assert_str_eq(json_string_value(json_object_get(a, "source")), "import");
    ck_assert_str_eq(json_string_value(json_object_get(a, "bank_code")), "BOC");
    json_decref(it);
    /* the same export again changes nothing */
    r = import(records);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "unchanged")), 1);
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM audit WHERE action ="
                                   " 'payee_account.import'"),
                     th_count(&pg, "SELECT count(DISTINCT request_id) FROM audit WHERE action ="
                                   " 'payee_account.import'"));
}
END_TEST

START_TEST(bad_accounts_are_refused_and_nothing_is_stored)
{
    struct worker w;
    new_worker(&w, "郑七", NULL);
    long before = th_count(&pg, "SELECT count(*) FROM payee_account");
    char other_id[19], body[1024], account[512];
    th_resident_id(other_id, "330902", 1985, 8);
    /* another person's card */
    snprintf(account, sizeof account, ACCOUNT("6215580000007777", "郑七"), other_id);
    snprintf(body, sizeof body,
             "{\"id_number\":\"%s\",\"name\":\"郑七\",\"hukou_region\":\"330902\","
             "\"payee_account\":%s}",
             w.id, account);
    struct th_reply r = th_write(&d, "PUT", "/v1/profile", w.token, key(), body);
    const char *holder[] = {"payee_account.holder_id_number"};
    th_expect_fields(&r, 422, holder, 1);
    /* malformed fields, all named at once */
    snprintf(body, sizeof body,
             "{\"id_number\":\"%s\",\"name\":\"郑七\",\"hukou_region\":\"330902\","
             "\"payee_account\":{\"bank_code\":\"工行\",\"bank_name\":\"\",\"account_number\":"
             "\"62155800ABC\",\"holder_id_number\":\"%s\"}}",
             w.id, w.id);
    r = th_write(&d, "PUT", "/v1/profile", w.token, key(), body);
    const char *fields[] = {"payee_account.bank_code", "payee_account.bank_name",
                            "payee_account.account_number", "payee_account.holder_name"};
    th_expect_fields(&r, 422, fields, 4);
    /* a field the account does not have (status is the state's word, not the applicant's) */
    snprintf(body, sizeof body,
             "{\"id_number\":\"%s\",\"name\":\"郑七\",\"hukou_region\":\"330902\","
             "\"payee_account\":{\"bank_code\":\"ICBC\",\"bank_name\":\"工商银行\","
             "\"account_number\":\"6215580000007777\",\"holder_name\":\"郑七\","
             "\"holder_id_number\":\"%s\",\"status\":\"active\"}}",
             w.id, w.id);
    r = th_write(&d, "PUT", "/v1/profile", w.token, key(), body);
    const char *status[] = {"payee_account.status"};
    th_expect_fields(&r, 400, status, 1);
    /* an import with a bad record and a person twice: nothing of it written */
    char records[2048];
    snprintf(records, sizeof records,
             "{\"id_number\":\"%s\",\"bank_code\":\"ABC\",\"bank_name\":\"农业银行\","
             "\"account_number\":\"6228480000008888\",\"holder_name\":\"郑七\","
             "\"holder_id_number\":\"%s\"},"
             "{\"id_number\":\"%s\",\"bank_code\":\"ABC\",\"bank_name\":\"农业银行\","
             "\"account_number\":\"6228480000009999\",\"holder_name\":\"郑七\","
             "\"holder_id_number\":\"%s\",\"status\":\"lost\"}",
             w.id, w.id, w.id, w.id);
    r = import(records);
    const char *rows[] = {"records[1].id_number", "records[1].status"};
    th_expect_fields(&r, 422, rows, 2);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM payee_account"), before);
}
END_TEST

START_TEST(finance_reads_only_its_regions_and_decides_nothing)
{
    struct worker w;
    approved_worker(&w, "王八", NULL);
    /* its own district, and its city's officer through the city */
    json_t *it = item_of(finance, "region=330902", w.claim);
    ck_assert_ptr_nonnull(it);
    json_decref(it);
    it = item_of(finance_city, "region=330900", w.claim);
    ck_assert_ptr_nonnull(it);
    json_decref(it);
    /* another region: 404, and the claim in no list of it */
    const char *regions[] = {"330402", "330900", "999999"};
    for (int i = 0; i < 3; i++) {
        char path[96];
        snprintf(path, sizeof path, "/v1/finance/readiness?region=%s", regions[i]);
        struct th_reply r = th_http(&d, "GET", path, finance, NULL, 0, NULL);
        ck_assert_msg(r.status == 404, "%s: %ld %s", regions[i], r.status, r.body);
        ck_assert_int_eq(json_integer_value(json_object_get(r.json, "code")), 1000);
        th_reply_free(&r);
    }
    ck_assert_ptr_null(item_of(finance_jx, "region=330402", w.claim));
    struct th_reply r =
        th_http(&d, "GET", "/v1/finance/readiness?region=330902", finance_jx, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 404);
    th_reply_free(&r);
    /* the claim itself, once approved, to its region's officers and its city's; never revealed;
     * a claim still waiting for its decision is not theirs to read */
    char claim_path[64];
    snprintf(claim_path, sizeof claim_path, "/v1/claims/%lld", w.claim);
    struct th_reply c = th_http(&d, "GET", claim_path, finance, NULL, 0, NULL);
    ck_assert_msg(c.status == 200, "%ld %s", c.status, c.body);
    ck_assert_str_eq(json_string_value(json_object_get(c.json, "state")), "in_notice");
    ck_assert_ptr_null(strstr(c.body, w.id));
    th_reply_free(&c);
    expect_status(th_http(&d, "GET", claim_path, finance_city, NULL, 0, NULL), 200);
    expect_status(th_http(&d, "GET", claim_path, finance_jx, NULL, 0, NULL), 404);
    char reveal[80];
    snprintf(reveal, sizeof reveal, "%s?reveal=true", claim_path);
    expect_status(th_http(&d, "GET", reveal, finance, NULL, 0, NULL), 403);
    struct worker waiting;
    new_worker(&waiting, "冯九", NULL);
    snprintf(claim_path, sizeof claim_path, "/v1/claims/%lld",
             electrician_claim(waiting.token, NULL));
    expect_status(th_http(&d, "GET", claim_path, finance, NULL, 0, NULL), 404);
    /* no approver step: take, approve, reject, the queue */
    const char *steps[] = {"take", "approve", "reject", "return"};
    for (int i = 0; i < 4; i++) {
        char path[96];
        snprintf(path, sizeof path, "/v1/claims/%lld/%s", w.claim, steps[i]);
        r = th_write(&d, "POST", path, finance, key(), "{\"reason\":\"x\"}");
        ck_assert_msg(r.status == 403, "%s: %ld %s", steps[i], r.status, r.body);
        th_reply_free(&r);
    }
    r = th_http(&d, "GET", "/v1/review/claims", finance, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 403);
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM claim_event e JOIN token t ON t.id ="
                                   " e.actor WHERE t.role = 'finance'"),
                     0);
    /* and nobody else reads the finance routes */
    const char *others[] = {approver, admin, w.token};
    th_refused_to(&d, "/v1/finance/readiness?region=330902", others, 3);
    th_refused_to(&d, "/v1/finance/funding-lines?region=330902", others, 3);
    /* bad queries name their field */
    const struct th_bad_query bad[] = {{"ready=maybe&region=330902", "ready"},
                                       {"region=x", "region"},
                                       {"region=330902&limit=0", "limit"},
                                       {"", "region"}};
    th_bad_queries(&d, finance, "/v1/finance/readiness", bad, 4);
}
END_TEST

START_TEST(an_enterprise_is_paid_on_its_registered_bank_account)
{
    char id[19], employee[256];
    th_resident_id(id, "330902", 1988, 5);
    const char *ids[] = {id};
    ck_assert(th_insure(&d, admin, ENT, ids, 1, "2019-01-01"));
    snprintf(employee, sizeof employee,
             "\"employee\":{\"id_number\":\"%s\",\"name\":\"职工甲\",\"hukou_region\":\"330902\"},",
             id);
    long long claim = electrician_claim(enterprise, employee);
    approve(claim);
    ck_assert_str_eq(reasons_of(claim), "org_no_bank_account");
    json_t *it = item_of(finance, "region=330902", claim), *payee = json_object_get(it, "payee");
    ck_assert_str_eq(json_string_value(json_object_get(payee, "kind")), "enterprise");
    ck_assert_str_eq(json_string_value(json_object_get(payee, "credit_code")), ENT);
    ck_assert_str_eq(json_string_value(json_object_get(payee, "name")), "舟山示范企业");
    ck_assert(json_is_null(json_object_get(it, "account")));
    json_decref(it);
    /* a closed account under another name: both said */
    struct th_reply r =
        th_write(&d, "PUT", "/v1/admin/enterprises/" ENT, admin, key(),
                 "{\"name\":\"舟山示范企业\",\"region\":\"330902\",\"bank_account\":{\"bank_code\":"
                 "\"102342000011\",\"bank_name\":\"工商银行定海支行\",\"account_number\":"
                 "\"1207021109200012345\",\"holder_name\":\"舟山某公司\",\"status\":\"closed\"}}");
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    json_t *bank = json_object_get(r.json, "bank_account");
    ck_assert_str_eq(json_string_value(json_object_get(bank, "account_number_masked")), "****2345");
    ck_assert_ptr_null(strstr(r.body, "1207021109200012345"));
    th_reply_free(&r);
    ck_assert_str_eq(reasons_of(claim), "account_closed,holder_name_mismatch");
    /* the registered name, active: ready; a PUT without bank_account keeps it */
    expect_status(
        th_write(&d, "PUT", "/v1/admin/enterprises/" ENT, admin, key(),
                 "{\"name\":\"舟山示范企业\",\"region\":\"330902\",\"bank_account\":{\"bank_code\":"
                 "\"102342000011\",\"bank_name\":\"工商银行定海支行\",\"account_number\":"
                 "\"1207021109200012345\",\"holder_name\":\"舟山示范企业\"}}"),
        200);
    expect_status(th_write(&d, "PUT", "/v1/admin/enterprises/" ENT, admin, key(),
                           "{\"name\":\"舟山示范企业\",\"region\":\"330902\"}"),
                  200);
    ck_assert_str_eq(reasons_of(claim), "");
    ck_assert(!th_log_contains(&d, "1207021109200012345"));
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM audit WHERE action = 'enterprise.update'"
                                   " AND after::text LIKE '%****2345%'"),
                     3);
    /* a malformed bank account is refused, every field named, nothing changed */
    r = th_write(&d, "PUT", "/v1/admin/enterprises/" ENT, admin, key(),
                 "{\"name\":\"舟山示范企业\",\"region\":\"330902\",\"bank_account\":{\"bank_code\":"
                 "\"?\",\"bank_name\":\"工商银行\",\"account_number\":\"12\",\"holder_name\":\"\","
                 "\"status\":\"frozen\"}}");
    const char *fields[] = {"bank_account.bank_code", "bank_account.account_number",
                            "bank_account.holder_name", "bank_account.status"};
    th_expect_fields(&r, 422, fields, 4);
    ck_assert_str_eq(reasons_of(claim), "");
}
END_TEST

START_TEST(funding_lines_with_their_budgets)
{
    const char *set[] = {"funding",      "set",       "--region", "330902",
                         "--line",       "JYBZ-PX",   "--name",   "就业补助资金职业培训补贴",
                         "--payee-kind", "person",    "--year",   "2026",
                         "--budget-fen", "500000000", NULL};
    ck_assert_int_eq(th_subsidyctl(&pg, set, NULL), 0);
    ck_assert_int_eq(th_subsidyctl(&pg, set, NULL), 0); /* the same again: nothing new */
    set[13] = "650000000";
    ck_assert_int_eq(th_subsidyctl(&pg, set, NULL), 0);
    struct th_reply r = th_http(&d, "GET", "/v1/finance/funding-lines?region=330902&year=2026",
                                finance, NULL, 0, NULL);
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    json_t *items = json_object_get(r.json, "items"), *line = json_array_get(items, 0);
    ck_assert_int_eq(json_array_size(items), 1);
    ck_assert_str_eq(json_string_value(json_object_get(line, "code")), "JYBZ-PX");
    ck_assert_str_eq(json_string_value(json_object_get(line, "payee")), "person");
    ck_assert_int_eq(json_integer_value(json_object_get(line, "budget_fen")), 650000000);
    ck_assert_int_eq(json_integer_value(json_object_get(line, "committed_fen")), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(line, "remaining_fen")), 650000000);
    ck_assert_int_eq(json_integer_value(json_object_get(line, "version")), 2);
    th_reply_free(&r);
    /* both versions kept, each change audited once */
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM funding_line_version"), 2);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM audit WHERE action = 'funding_line.set'"),
                     2);
    /* another year: none; another region's officer: 404 */
    r = th_http(&d, "GET", "/v1/finance/funding-lines?region=330902&year=2025", finance, NULL, 0,
                NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 0);
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/finance/funding-lines?region=330902", finance_jx, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 404);
    th_reply_free(&r);
    /* refused: an unknown payee kind, a negative budget, an unknown region (nothing written) */
    const char *bad_kind[] = {
        "funding",      "set",  "--region", "330902", "--line",       "X", "--name", "x",
        "--payee-kind", "none", "--year",   "2026",   "--budget-fen", "1", NULL};
    ck_assert_int_eq(th_subsidyctl(&pg, bad_kind, NULL), 2);
    const char *negative[] = {
        "funding",      "set",    "--region", "330902", "--line",       "X",  "--name", "x",
        "--payee-kind", "person", "--year",   "2026",   "--budget-fen", "-1", NULL};
    ck_assert_int_eq(th_subsidyctl(&pg, negative, NULL), 2);
    const char *unknown[] = {
        "funding",      "set",    "--region", "999999", "--line",       "X", "--name", "x",
        "--payee-kind", "person", "--year",   "2026",   "--budget-fen", "1", NULL};
    ck_assert_int_eq(th_subsidyctl(&pg, unknown, NULL), 1);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM funding_line"), 1);
}
END_TEST

START_TEST(a_finance_account_has_regions_and_follows_them)
{
    /* a finance account needs regions, as an approver's */
    struct th_reply r = th_write(&d, "POST", "/v1/admin/accounts", admin, key(),
                                 "{\"name\":\"定海区财务陈某\",\"role\":\"finance\"}");
    const char *regions[] = {"regions"};
    th_expect_fields(&r, 422, regions, 1);
    r = th_write(&d, "POST", "/v1/admin/accounts", admin, key(),
                 "{\"name\":\"定海区财务陈某\",\"role\":\"finance\",\"regions\":[\"330902\"]}");
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    long long id = json_integer_value(json_object_get(r.json, "id"));
    th_reply_free(&r);
    char path[96];
    snprintf(path, sizeof path, "/v1/admin/accounts/%lld/tokens", id);
    r = th_write(&d, "POST", path, admin, key(), "{\"label\":\"陈某\",\"expires_in_days\":30}");
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    char token[64];
    snprintf(token, sizeof token, "%s", json_string_value(json_object_get(r.json, "token")));
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/me", token, NULL, 0, NULL);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "role")), "finance");
    th_reply_free(&r);
    expect_status(th_http(&d, "GET", "/v1/finance/readiness?region=330902", token, NULL, 0, NULL),
                  200);
    /* its regions moved to Jiaxing: Dinghai is no longer its to read, at the next request */
    snprintf(path, sizeof path, "/v1/admin/accounts/%lld", id);
    expect_status(th_write(&d, "PATCH", path, admin, key(), "{\"regions\":[\"330402\"]}"), 200);
    expect_status(th_http(&d, "GET", "/v1/finance/readiness?region=330902", token, NULL, 0, NULL),
                  404);
    expect_status(th_http(&d, "GET", "/v1/finance/readiness?region=330402", token, NULL, 0, NULL),
                  200);
    /* never without regions */
    r = th_write(&d, "PATCH", path, admin, key(), "{\"regions\":[]}");
    th_expect_fields(&r, 422, regions, 1);
}
END_TEST

START_TEST(the_import_as_csv_and_nothing_of_it_in_the_log)
{
    struct worker w;
    approved_worker(&w, "褚十", NULL);
    ck_assert_str_eq(reasons_of(w.claim), "no_account");
    char csv[512];
    snprintf(csv, sizeof csv,
             "id_number,bank_code,bank_name,account_number,holder_name,holder_id_number,status\n"
             "%s,CCB,建设银行,6217000010009999,褚十,%s,\n",
             w.id, w.id);
    struct th_reply r =
        th_post_csv(&d, "/v1/admin/payee-accounts?source=csv-2026-12", admin, key(), csv);
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "added")), 1);
    th_reply_free(&r);
    ck_assert_str_eq(reasons_of(w.claim), "");
    /* the audit row keeps the counts, not the numbers; the log has neither number */
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM audit WHERE after::text LIKE"
                                   " '%6217000010009999%'"),
                     0);
    ck_assert(!th_log_contains(&d, "6217000010009999"));
    ck_assert(!th_log_contains(&d, w.id));
}
END_TEST

int main(void)
{
    th_start(&pg, &d, NULL);
    th_occupations(&pg);
    th_token(&pg, "admin", NULL, NULL, admin);
    th_token(&pg, "approver", NULL, "330902", approver);
    th_token(&pg, "finance", NULL, "330902", finance);
    th_token(&pg, "finance", NULL, "330900", finance_city);
    th_token(&pg, "finance", NULL, "330402", finance_jx);
    th_token(&pg, "enterprise", ENT, NULL, enterprise);
    struct th_reply r = th_write(&d, "PUT", "/v1/admin/enterprises/" ENT, admin, "ent",
                                 "{\"name\":\"舟山示范企业\",\"region\":\"330902\"}");
    bool ok = r.status == 201 && th_electrician_catalog(&d, admin);
    if (!ok)
        fprintf(stderr, "set-up: %ld %s\n", r.status, r.body);
    th_reply_free(&r);
    if (!ok) {
        th_finish(&pg, &d);
        return 99;
    }
    Suite *s = suite_create("payee_readiness");
    TCase *tc = tcase_create("readiness");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, a_ready_claim_and_the_account_masked_everywhere);
    tcase_add_test(tc, each_reason_a_payee_is_not_ready);
    tcase_add_test(tc, the_import_wins_over_the_profile);
    tcase_add_test(tc, bad_accounts_are_refused_and_nothing_is_stored);
    tcase_add_test(tc, finance_reads_only_its_regions_and_decides_nothing);
    tcase_add_test(tc, an_enterprise_is_paid_on_its_registered_bank_account);
    tcase_add_test(tc, funding_lines_with_their_budgets);
    tcase_add_test(tc, a_finance_account_has_regions_and_follows_them);
    tcase_add_test(tc, the_import_as_csv_and_nothing_of_it_in_the_log);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    return failed || th_finish(&pg, &d) != 0 ? 1 : 0;
}
