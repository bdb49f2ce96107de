/* API tier: accounts (administration issue) — create, read with its tokens, keyset pages with
 * filters, change name, regions and status, issue tokens of an account; a token of an account
 * acts with the account's role and regions as they are now, and stops at once when the account
 * is disabled; every bad field in one reply, admin-only routes, idempotent replays (a token's
 * secret is never replayed), key reuse, audit rows with before and after. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct th_pg pg;
static struct th_daemon d;
static char admin[64], applicant[64];

static const char *problem_name(const struct th_reply *r)
{
    return json_string_value(json_object_get(r->json, "name"));
}

/* Create an account; returns its id. */
static long long create(const char *key, const char *body)
{
    struct th_reply r = th_write(&d, "POST", "/v1/admin/accounts", admin, key, body);
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    long long id = json_integer_value(json_object_get(r.json, "id"));
    th_reply_free(&r);
    return id;
}

static json_t *me(const char *token, long *status)
{
    struct th_reply r = th_http(&d, "GET", "/v1/me", token, NULL, 0, NULL);
    *status = r.status;
    json_t *j = json_incref(r.json);
    th_reply_free(&r);
    return j;
}

START_TEST(create_get_list)
{
    const char *body =
        "{\"name\":\"定海区审核员王某\",\"role\":\"approver\",\"regions\":[\"330902\"]}";
    struct th_reply r = th_write(&d, "POST", "/v1/admin/accounts", admin, "acc-1", body);
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    long long id = json_integer_value(json_object_get(r.json, "id"));
    ck_assert_int_gt(id, 0);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "role")), "approver");
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "status")), "active");
    ck_assert(json_is_null(json_object_get(r.json, "subject")));
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "tokens")), 0);
    char *first = strdup(r.body);
    th_reply_free(&r);
    /* replay: byte for byte, one account */
    r = th_write(&d, "POST", "/v1/admin/accounts", admin, "acc-1", body);
    ck_assert_int_eq(r.status, 201);
    ck_assert_str_eq(r.body, first);
    ck_assert_str_eq(th_header(&r, "idempotent-replayed"), "true");
    th_reply_free(&r);
    free(first);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM account"), 1);
    /* the same key with another request */
    r = th_write(&d, "POST", "/v1/admin/accounts", admin, "acc-1",
                 "{\"name\":\"别人\",\"role\":\"admin\"}");
    ck_assert_int_eq(r.status, 422);
    ck_assert_str_eq(problem_name(&r), "idempotency_key_reused");
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM audit WHERE action = 'account.create'"
                                   " AND object_kind = 'account' AND before IS NULL"
                                   " AND after->>'role' = 'approver'"),
                     1);

    long long ent = create("acc-2", "{\"name\":\"舟山某船舶修造有限公司经办人\",\"role\":"
                                    "\"enterprise\",\"subject\":\"91330900MA28K1234U\"}");
    create("acc-3", "{\"name\":\"系统管理员\",\"role\":\"admin\",\"regions\":[]}");

    char path[96];
    snprintf(path, sizeof path, "/v1/admin/accounts/%lld", ent);
    r = th_http(&d, "GET", path, admin, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "subject")), "91330900MA28K1234U");
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/admin/accounts/999999", admin, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 404);
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/admin/accounts/abc", admin, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 404);
    th_reply_free(&r);

    /* keyset pages and filters */
    r = th_http(&d, "GET", "/v1/admin/accounts?limit=2", admin, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "next_after")), ent);
    th_reply_free(&r);
    snprintf(path, sizeof path, "/v1/admin/accounts?limit=2&after=%lld", ent);
    r = th_http(&d, "GET", path, admin, NULL, 0, NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 1);
    ck_assert(json_is_null(json_object_get(r.json, "next_after")));
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/admin/accounts?role=approver&region=330902&status=active", admin,
                NULL, 0, NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(
                         json_array_get(json_object_get(r.json, "items"), 0), "id")),
                     id);
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/admin/accounts?region=330903", admin, NULL, 0, NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 0);
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/admin/accounts?status=disabled", admin, NULL, 0, NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 0);
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/admin/accounts?role=boss&status=gone&region=x&limit=0&colour=red",
                admin, NULL, 0, NULL);
    const char *bad[] = {"role", "status", "region", "limit", "colour"};
    th_expect_fields(&r, 400, bad, 5);
}
END_TEST

START_TEST(token_follows_account)
{
    long long id = create("tok-acc", "{\"name\":\"普陀区审核员李某\",\"role\":\"approver\","
                                     "\"regions\":[\"330903\"]}");
    char path[96], tpath[96];
    snprintf(path, sizeof path, "/v1/admin/accounts/%lld", id);
    snprintf(tpath, sizeof tpath, "/v1/admin/accounts/%lld/tokens", id);
    const char *body = "{\"label\":\"李某的令牌\",\"expires_in_days\":30}";
    struct th_reply r = th_write(&d, "POST", tpath, admin, "tok-1", body);
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    char token[64];
    snprintf(token, sizeof token, "%s", json_string_value(json_object_get(r.json, "token")));
    ck_assert_int_eq(strncmp(token, "sdt_", 4), 0);
    long long token_id = json_integer_value(json_object_get(r.json, "id"));
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "account_id")), id);
    th_reply_free(&r);
    /* a replay is the same reply without the secret, which is kept nowhere */
    r = th_write(&d, "POST", tpath, admin, "tok-1", body);
    ck_assert_int_eq(r.status, 201);
    ck_assert_str_eq(th_header(&r, "idempotent-replayed"), "true");
    ck_assert_ptr_null(json_object_get(r.json, "token"));
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "id")), token_id);
    ck_assert_ptr_null(strstr(r.body, token));
    th_reply_free(&r);
    char sql[320];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM token WHERE account_id = %lld", id);
    ck_assert_int_eq(th_count(&pg, sql), 1);
    ck_assert_int_eq(
        th_count(&pg, "SELECT count(*) FROM idempotency WHERE reply::text LIKE '%sdt\\_%'"), 0);

    long status;
    json_t *j = me(token, &status);
    ck_assert_int_eq(status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(j, "role")), "approver");
    ck_assert_int_eq(json_array_size(json_object_get(j, "regions")), 1);
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(j, "regions"), 0)), "330903");
    json_decref(j);

    /* the account lists its tokens, never their secrets or hashes */
    r = th_http(&d, "GET", path, admin, NULL, 0, NULL);
    json_t *tokens = json_object_get(r.json, "tokens");
    ck_assert_int_eq(json_array_size(tokens), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(tokens, 0), "id")),
                     token_id);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(tokens, 0), "label")),
                     "李某的令牌");
    ck_assert_ptr_null(json_object_get(json_array_get(tokens, 0), "hash"));
    ck_assert_ptr_null(strstr(r.body, token));
    th_reply_free(&r);

    /* new regions are seen at the next request */
    r = th_write(&d, "PATCH", path, admin, "tok-2", "{\"regions\":[\"330902\",\"330903\"]}");
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "regions")), 2);
    th_reply_free(&r);
    j = me(token, &status);
    ck_assert_int_eq(json_array_size(json_object_get(j, "regions")), 2);
    json_decref(j);
    /* the token list shows the account's regions as they are now, as authentication does */
    char list[64];
    snprintf(list, sizeof list, "/v1/tokens?after=%lld&limit=1", token_id - 1);
    r = th_http(&d, "GET", list, admin, NULL, 0, NULL);
    json_t *listed = json_array_get(json_object_get(r.json, "items"), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(listed, "id")), token_id);
    ck_assert_int_eq(json_array_size(json_object_get(listed, "regions")), 2);
    th_reply_free(&r);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM audit WHERE action = 'account.update' AND object_id = '%lld'"
             " AND jsonb_array_length(before->'regions') = 1"
             " AND jsonb_array_length(after->'regions') = 2",
             id);
    ck_assert_int_eq(th_count(&pg, sql), 1);

    /* disabled: its token is refused at once, and no token can be issued */
    r = th_write(&d, "PATCH", path, admin, "tok-3", "{\"status\":\"disabled\",\"name\":\"李某\"}");
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "status")), "disabled");
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/me", token, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 401);
    ck_assert_str_eq(problem_name(&r), "token_invalid");
    th_reply_free(&r);
    r = th_write(&d, "POST", tpath, admin, "tok-4", "{}");
    ck_assert_int_eq(r.status, 409);
    ck_assert_str_eq(problem_name(&r), "account_disabled");
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, sql), 1);
    r = th_write(&d, "PATCH", path, admin, "tok-5", "{\"status\":\"active\"}");
    ck_assert_int_eq(r.status, 200);
    th_reply_free(&r);
    /* a PATCH that changes nothing (empty, or the values it has) is 200 with no audit row */
    char audits[160];
    snprintf(audits, sizeof audits,
             "SELECT count(*) FROM audit WHERE action = 'account.update' AND object_id = '%lld'",
             id);
    long updates = th_count(&pg, audits);
    r = th_write(&d, "PATCH", path, admin, "tok-noop-1", "{}");
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "status")), "active");
    th_reply_free(&r);
    r = th_write(&d, "PATCH", path, admin, "tok-noop-2",
                 "{\"status\":\"active\",\"name\":\"李某\"}");
    ck_assert_int_eq(r.status, 200);
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, audits), updates);
    j = me(token, &status);
    ck_assert_int_eq(status, 200);
    json_decref(j);
    /* the refused request kept nothing: its key is free for the same request */
    r = th_write(&d, "POST", tpath, admin, "tok-4", "{}");
    ck_assert_int_eq(r.status, 201);
    th_reply_free(&r);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM audit WHERE action = 'account.token_create'"
             " AND object_id = '%lld' AND jsonb_array_length(after->'tokens') = 2",
             id);
    ck_assert_int_eq(th_count(&pg, sql), 1);

    /* an account's non-admin token is refused admin routes */
    long long app = create("tok-app", "{\"name\":\"张某\",\"role\":\"applicant\","
                                      "\"subject\":\"330902199001011238\"}");
    snprintf(tpath, sizeof tpath, "/v1/admin/accounts/%lld/tokens", app);
    r = th_write(&d, "POST", tpath, admin, "tok-6", "{\"label\":\"张某\"}");
    ck_assert_int_eq(r.status, 201);
    snprintf(token, sizeof token, "%s", json_string_value(json_object_get(r.json, "token")));
    th_reply_free(&r);
    j = me(token, &status);
    ck_assert_str_eq(json_string_value(json_object_get(j, "subject")), "330902********1238");
    json_decref(j);
    r = th_http(&d, "GET", "/v1/admin/accounts", token, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 403);
    th_reply_free(&r);
}
END_TEST

static long long token_id_of(const char *token)
{
    long status;
    json_t *j = me(token, &status);
    ck_assert_int_eq(status, 200);
    long long id = json_integer_value(json_object_get(j, "token_id"));
    json_decref(j);
    return id;
}

/* A subject belongs to one account; disabling it stops every token of the subject, also those
 * issued by POST /v1/tokens; issuing and revoking tokens is audited. */
START_TEST(subject_is_one_account)
{
#define SUBJ_ENT "91330900MA28K9999T"
    long long id = create("one-1", "{\"name\":\"某企业\",\"role\":\"enterprise\","
                                   "\"subject\":\"" SUBJ_ENT "\"}");
    struct th_reply r = th_write(&d, "POST", "/v1/admin/accounts", admin, "one-2",
                                 "{\"name\":\"冒名企业\",\"role\":\"enterprise\","
                                 "\"subject\":\"" SUBJ_ENT "\"}");
    ck_assert_msg(r.status == 409, "%ld %s", r.status, r.body);
    ck_assert_str_eq(problem_name(&r), "subject_taken");
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "code")), 2010);
    ck_assert(th_problem_has_field(&r, "subject"));
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM account WHERE subject = '" SUBJ_ENT "'"),
                     1);
    /* the same subject under another role is another subject */
    create("one-3", "{\"name\":\"某机构\",\"role\":\"institution\","
                    "\"subject\":\"" SUBJ_ENT "\"}");

    /* a token issued for the subject without the account */
    r = th_json(&d, "POST", "/v1/tokens", admin,
                "{\"role\":\"enterprise\",\"subject\":\"" SUBJ_ENT "\",\"label\":\"旁路\"}");
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    char token[64], sql[256];
    snprintf(token, sizeof token, "%s", json_string_value(json_object_get(r.json, "token")));
    long long tid = json_integer_value(json_object_get(r.json, "id"));
    th_reply_free(&r);
    ck_assert_int_eq(token_id_of(token), tid);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM audit WHERE action = 'token.create' AND object_kind = 'token'"
             " AND object_id = '%lld' AND before IS NULL AND after->>'subject' = '" SUBJ_ENT "'"
             " AND NOT after ? 'token'",
             tid);
    ck_assert_int_eq(th_count(&pg, sql), 1);

    /* disabled: that token stops at its next request, and no new one is issued */
    char path[96];
    snprintf(path, sizeof path, "/v1/admin/accounts/%lld", id);
    r = th_write(&d, "PATCH", path, admin, "one-4", "{\"status\":\"disabled\"}");
    ck_assert_int_eq(r.status, 200);
    th_reply_free(&r);
    long status;
    json_decref(me(token, &status));
    ck_assert_int_eq(status, 401);
    long tokens = th_count(&pg, "SELECT count(*) FROM token");
    r = th_json(&d, "POST", "/v1/tokens", admin,
                "{\"role\":\"enterprise\",\"subject\":\"" SUBJ_ENT "\"}");
    ck_assert_msg(r.status == 409, "%ld %s", r.status, r.body);
    ck_assert_str_eq(problem_name(&r), "account_disabled");
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM token"), tokens);
    /* the institution of the same code is another account: its subject still gets tokens */
    r = th_json(&d, "POST", "/v1/tokens", admin,
                "{\"role\":\"institution\",\"subject\":\"" SUBJ_ENT "\"}");
    ck_assert_int_eq(r.status, 201);
    th_reply_free(&r);
    /* enabled again, it works again */
    r = th_write(&d, "PATCH", path, admin, "one-5", "{\"status\":\"active\"}");
    ck_assert_int_eq(r.status, 200);
    th_reply_free(&r);
    ck_assert_int_eq(token_id_of(token), tid);

    /* revoked: audited once, however often it is revoked */
    char tpath[64];
    snprintf(tpath, sizeof tpath, "/v1/tokens/%lld", tid);
    for (int i = 0; i < 2; i++) {
        r = th_http(&d, "DELETE", tpath, admin, NULL, 0, NULL);
        ck_assert_int_eq(r.status, 204);
        th_reply_free(&r);
    }
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM audit WHERE action = 'token.revoke' AND object_kind = 'token'"
             " AND object_id = '%lld' AND before->'revoked_at' = 'null'::jsonb"
             " AND after->>'revoked_at' IS NOT NULL",
             tid);
    ck_assert_int_eq(th_count(&pg, sql), 1);
    json_decref(me(token, &status));
    ck_assert_int_eq(status, 401);
#undef SUBJ_ENT
}
END_TEST

/* subsidyctl makes applicant tokens as the API does: a valid ID number, stored hashed and
 * masked; anything else is refused and nothing is stored. */
START_TEST(cli_applicant_subject)
{
    long before = th_count(&pg, "SELECT count(*) FROM token");
    const char *bad[] = {"--token-key-file", pg.key_file, "token", "create", "--role",
                         "applicant",        "--subject", "w-1",   NULL};
    ck_assert_int_eq(th_subsidyctl(&pg, bad, NULL), 2);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM token"), before);
    const char *good[] = {
        "--token-key-file", pg.key_file,          "token", "create", "--role", "applicant",
        "--subject",        "33090219800101002x", NULL};
    ck_assert_int_eq(th_subsidyctl(&pg, good, NULL), 0);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM token WHERE subject ~ '^[0-9a-f]{64}$'"
                                   " AND subject_masked = '330902********002X'"),
                     1);
}
END_TEST

START_TEST(bad_fields)
{
    struct th_reply r = th_write(&d, "POST", "/v1/admin/accounts", admin, "bad-1", "{}");
    const char *req[] = {"name", "role"};
    th_expect_fields(&r, 422, req, 2);
    r = th_write(&d, "POST", "/v1/admin/accounts", admin, "bad-2",
                 "{\"name\":\"\",\"role\":\"boss\",\"subject\":\"a b\",\"regions\":[\"33\"]}");
    const char *all[] = {"name", "role", "subject", "regions[0]"};
    th_expect_fields(&r, 422, all, 4);
    r = th_write(&d, "POST", "/v1/admin/accounts", admin, "bad-3",
                 "{\"name\":\"x\",\"role\":\"approver\"}");
    const char *regions[] = {"regions"};
    th_expect_fields(&r, 422, regions, 1);
    r = th_write(&d, "POST", "/v1/admin/accounts", admin, "bad-4",
                 "{\"name\":\"x\",\"role\":\"applicant\",\"regions\":[\"330902\"]}");
    const char *both[] = {"regions", "subject"};
    th_expect_fields(&r, 422, both, 2);
    r = th_write(&d, "POST", "/v1/admin/accounts", admin, "bad-5",
                 "{\"name\":\"x\",\"role\":\"approver\",\"regions\":[\"330902\",\"999999\"]}");
    const char *unknown_region[] = {"regions[1]"};
    th_expect_fields(&r, 422, unknown_region, 1);
    r = th_write(&d, "POST", "/v1/admin/accounts", admin, "bad-6",
                 "{\"name\":\"x\",\"role\":\"admin\",\"status\":\"active\"}");
    const char *status[] = {"status"};
    th_expect_fields(&r, 400, status, 1);
    const char *h[] = {"Content-Type: application/json", NULL};
    r = th_http(&d, "POST", "/v1/admin/accounts", admin, "{\"name\":\"x\",\"role\":\"admin\"}", -1,
                h);
    ck_assert_int_eq(r.status, 400);
    ck_assert_str_eq(problem_name(&r), "idempotency_key_required");
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM account WHERE name = 'x'"), 0);

    long long apv = create("bad-apv", "{\"name\":\"审核员\",\"role\":\"approver\","
                                      "\"regions\":[\"330902\"]}");
    long long app = create("bad-app", "{\"name\":\"申请人\",\"role\":\"applicant\","
                                      "\"subject\":\"330902199001011246\"}");
    char path[96];
    snprintf(path, sizeof path, "/v1/admin/accounts/%lld", apv);
    r = th_write(&d, "PATCH", path, admin, "bad-7", "{\"role\":\"admin\",\"subject\":\"x\"}");
    const char *fixed[] = {"role", "subject"};
    th_expect_fields(&r, 400, fixed, 2);
    r = th_write(&d, "PATCH", path, admin, "bad-8",
                 "{\"name\":\"\",\"status\":\"gone\",\"regions\":[]}");
    const char *patch[] = {"name", "status", "regions"};
    th_expect_fields(&r, 422, patch, 3);
    r = th_write(&d, "PATCH", path, admin, "bad-9", "{\"regions\":[\"999999\"]}");
    const char *missing[] = {"regions[0]"};
    th_expect_fields(&r, 422, missing, 1);
    snprintf(path, sizeof path, "/v1/admin/accounts/%lld", app);
    r = th_write(&d, "PATCH", path, admin, "bad-10", "{\"regions\":[\"330902\"]}");
    th_expect_fields(&r, 422, regions, 1);
    r = th_write(&d, "PATCH", "/v1/admin/accounts/999999", admin, "bad-11", "{\"name\":\"x\"}");
    ck_assert_int_eq(r.status, 404);
    th_reply_free(&r);
    snprintf(path, sizeof path, "/v1/admin/accounts/%lld/tokens", app);
    char body[400];
    snprintf(body, sizeof body, "{\"label\":\"%0201d\",\"expires_in_days\":0,\"role\":\"admin\"}",
             0);
    r = th_write(&d, "POST", path, admin, "bad-12", body);
    const char *tok[] = {"label", "expires_in_days", "role"};
    th_expect_fields(&r, 400, tok, 3);
    r = th_write(&d, "POST", path, admin, "bad-13", "{\"expires_in_days\":3651}");
    const char *days[] = {"expires_in_days"};
    th_expect_fields(&r, 422, days, 1);
    r = th_write(&d, "POST", "/v1/admin/accounts/999999/tokens", admin, "bad-14", "{}");
    ck_assert_int_eq(r.status, 404);
    th_reply_free(&r);
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM audit WHERE object_id IN ('%lld', '%lld')"
             " AND action <> 'account.create'",
             apv, app);
    ck_assert_int_eq(th_count(&pg, sql), 0);
}
END_TEST

START_TEST(admin_routes_refuse_other_roles)
{
    struct {
        const char *method, *path, *body;
    } routes[] = {
        {"POST", "/v1/admin/accounts", "{\"name\":\"x\",\"role\":\"admin\"}"},
        {"GET", "/v1/admin/accounts", NULL},
        {"GET", "/v1/admin/accounts/1", NULL},
        {"PATCH", "/v1/admin/accounts/1", "{\"name\":\"x\"}"},
        {"POST", "/v1/admin/accounts/1/tokens", "{}"},
    };
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        struct th_reply r = routes[i].body ? th_write(&d, routes[i].method, routes[i].path,
                                                      applicant, "forbidden", routes[i].body)
                                           : th_http(&d, routes[i].method, routes[i].path,
                                                     applicant, NULL, 0, NULL);
        ck_assert_msg(r.status == 403, "%s %s: %ld", routes[i].method, routes[i].path, r.status);
        th_reply_free(&r);
        r = th_http(&d, routes[i].method, routes[i].path, NULL, NULL, 0, NULL);
        ck_assert_msg(r.status == 401, "%s %s: %ld", routes[i].method, routes[i].path, r.status);
        th_reply_free(&r);
    }
}
END_TEST

/* Last: it revokes the suite's own admin token.  subsidyctl --if-no-admin (the set-up's first
 * admin) counts an admin account's live token, but not once the account is disabled. */
START_TEST(first_admin_check_follows_accounts)
{
    long long id = create("acc-adm", "{\"name\":\"管理员乙\",\"role\":\"admin\"}");
    char path[96];
    snprintf(path, sizeof path, "/v1/admin/accounts/%lld/tokens", id);
    struct th_reply r = th_write(&d, "POST", path, admin, "acc-adm-t", "{\"label\":\"乙\"}");
    ck_assert_int_eq(r.status, 201);
    th_reply_free(&r);
    free(th_sql(&pg, "UPDATE token SET revoked_at = now()"
                     " WHERE account_id IS NULL AND role = 'admin'"));
    const char *first[] = {"--token-key-file", pg.key_file, "token",         "create",
                           "--role",           "admin",     "--if-no-admin", NULL};
    long before = th_count(&pg, "SELECT count(*) FROM token");
    ck_assert_int_eq(th_subsidyctl(&pg, first, NULL), 0);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM token"), before); /* one exists */
    char sql[96];
    snprintf(sql, sizeof sql, "UPDATE account SET status = 'disabled' WHERE id = %lld", id);
    free(th_sql(&pg, sql));
    ck_assert_int_eq(th_subsidyctl(&pg, first, NULL), 0);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM token"), before + 1);
}
END_TEST

int main(void)
{
    th_start(&pg, &d, NULL);
    th_token(&pg, "admin", NULL, NULL, admin);
    th_token(&pg, "applicant", "330902199001011238", NULL, applicant);
    Suite *s = suite_create("accounts");
    TCase *tc = tcase_create("accounts");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, create_get_list);
    tcase_add_test(tc, token_follows_account);
    tcase_add_test(tc, subject_is_one_account);
    tcase_add_test(tc, cli_applicant_subject);
    tcase_add_test(tc, bad_fields);
    tcase_add_test(tc, admin_routes_refuse_other_roles);
    tcase_add_test(tc, first_admin_check_follows_accounts);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    return failed || th_finish(&pg, &d) != 0 ? 1 : 0;
}
