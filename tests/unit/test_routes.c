/* Unit: the route table.  Every route declares who may call it (S5), patterns are well formed
 * and unique, and the router finds what the table says. */
#include <check.h>
#include <string.h>

#include "http.h"

START_TEST(every_route_declares_a_policy)
{
    ck_assert_int_gt(routes_count, 0);
    for (size_t i = 0; i < routes_count; i++) {
        const struct route *rt = &routes[i];
        ck_assert_msg(rt->auth == AUTH_NONE || rt->auth == AUTH_TOKEN,
                      "%s %s declares no auth mode", rt->method, rt->pattern);
        if (rt->auth == AUTH_TOKEN)
            ck_assert_msg(rt->roles != 0 && (rt->roles & ~(unsigned)SD_ROLES_ANY) == 0,
                          "%s %s: token route with no or unknown roles", rt->method, rt->pattern);
        else
            ck_assert_msg(rt->roles == 0, "%s %s: public route with roles", rt->method,
                          rt->pattern);
        ck_assert_ptr_nonnull(rt->handler);
    }
}
END_TEST

START_TEST(public_routes_are_the_known_few)
{
    /* a new public route must be added here on purpose; those that read the database (the
     * public lists, issue 12) are rate-limited, the probes are not */
    const struct {
        const char *pattern;
        bool rate_limited;
    } allowed[] = {{"/v1/health", false},
                   {"/v1/ready", false},
                   {"/v1/version", false},
                   {"/metrics", false},
                   {"/v1/public/institution-lists", true},
                   {"/v1/public/institutions", true},
                   {"/v1/public/projects", true},
                   {"/v1/public/notices", true}};
    for (size_t i = 0; i < routes_count; i++) {
        ck_assert_msg(routes[i].auth == AUTH_NONE || !routes[i].rate_limited,
                      "%s: only a public route is rate-limited", routes[i].pattern);
        if (routes[i].auth != AUTH_NONE)
            continue;
        bool known = false;
        for (size_t k = 0; k < sizeof allowed / sizeof allowed[0]; k++)
            known = known || (strcmp(routes[i].pattern, allowed[k].pattern) == 0 &&
                              routes[i].rate_limited == allowed[k].rate_limited);
        ck_assert_msg(known && strcmp(routes[i].method, "GET") == 0,
                      "unexpected public route %s %s", routes[i].method, routes[i].pattern);
    }
}
END_TEST

START_TEST(patterns_well_formed_and_unique)
{
    const char *methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
    for (size_t i = 0; i < routes_count; i++) {
        const struct route *rt = &routes[i];
        ck_assert_msg(rt->pattern[0] == '/', "%s", rt->pattern);
        ck_assert_msg(strstr(rt->pattern, "//") == NULL, "%s", rt->pattern);
        bool method_ok = false;
        for (size_t k = 0; k < 5; k++)
            method_ok = method_ok || strcmp(rt->method, methods[k]) == 0;
        ck_assert_msg(method_ok, "%s", rt->method);
        if (rt->body)
            ck_assert_msg(strcmp(rt->method, "GET") != 0 && strcmp(rt->method, "DELETE") != 0,
                          "%s %s takes a body", rt->method, rt->pattern);
        for (size_t j = i + 1; j < routes_count; j++)
            ck_assert_msg(strcmp(rt->method, routes[j].method) != 0 ||
                              strcmp(rt->pattern, routes[j].pattern) != 0,
                          "duplicate route %s %s", rt->method, rt->pattern);
    }
}
END_TEST

START_TEST(router_matches_table)
{
    struct req r;
    char allow[128];
    memset(&r, 0, sizeof r);
    ck_assert_int_eq(router_match(&r, "GET", "/v1/health", allow, sizeof allow), ROUTE_FOUND);
    ck_assert_str_eq(r.route->pattern, "/v1/health");
    ck_assert_int_eq(router_match(&r, "HEAD", "/v1/health", allow, sizeof allow), ROUTE_FOUND);
    ck_assert_int_eq(router_match(&r, "DELETE", "/v1/tokens/42", allow, sizeof allow), ROUTE_FOUND);
    ck_assert_int_eq(r.nparams, 1);
    ck_assert_str_eq(r.params[0], "42");
    ck_assert_int_eq(router_match(&r, "PATCH", "/v1/tokens", allow, sizeof allow), ROUTE_NO_METHOD);
    ck_assert_str_eq(allow, "POST, GET");
    ck_assert_int_eq(router_match(&r, "GET", "/v1/tokens/", allow, sizeof allow), ROUTE_NO_PATH);
    ck_assert_int_eq(router_match(&r, "GET", "/v1/healthz", allow, sizeof allow), ROUTE_NO_PATH);
    ck_assert_int_eq(router_match(&r, "GET", "/v1/health/", allow, sizeof allow), ROUTE_NO_PATH);
    ck_assert_int_eq(router_match(&r, "DELETE", "/v1/tokens/a b", allow, sizeof allow),
                     ROUTE_BAD_PARAM);
    ck_assert_int_eq(router_match(&r, "DELETE", "/v1/tokens/42/x", allow, sizeof allow),
                     ROUTE_NO_PATH);
}
END_TEST

START_TEST(error_registry_lookups)
{
    ck_assert_int_eq(sd_err_lookup(SD_E_NOT_FOUND)->http_status, 404);
    ck_assert_str_eq(sd_err_lookup(SD_E_DB_UNAVAILABLE)->name, "db_unavailable");
    ck_assert_int_eq(sd_err_lookup((enum sd_err)4242)->code, SD_E_INTERNAL);
    for (size_t i = 1; i < sd_err_count; i++)
        ck_assert_int_lt(sd_err_table[i - 1].code, sd_err_table[i].code);
}
END_TEST

START_TEST(json_depth_scan)
{
    ck_assert(json_depth_ok("{\"a\":[1,{\"b\":2}]}", 17, 3));
    ck_assert(!json_depth_ok("[[[[1]]]]", 9, 3));
    /* brackets inside strings do not count, escaped quotes do not end strings */
    ck_assert(json_depth_ok("{\"a\":\"[[[[\\\"[[[[\"}", 18, 2));
}
END_TEST

START_TEST(token_shape_and_hash)
{
    struct sd_token_key key;
    memset(key.bytes, 7, sizeof key.bytes);
    char tok[SD_TOKEN_LEN + 1];
    uint8_t h1[SD_TOKEN_HASH_LEN], h2[SD_TOKEN_HASH_LEN];
    sd_token_new(&key, tok, h1);
    ck_assert_int_eq(strlen(tok), SD_TOKEN_LEN);
    ck_assert(strncmp(tok, "sdt_", 4) == 0);
    ck_assert(sd_token_hash(&key, tok, strlen(tok), h2));
    ck_assert_mem_eq(h1, h2, sizeof h1);
    key.bytes[0] ^= 1; /* another key, another hash */
    ck_assert(sd_token_hash(&key, tok, strlen(tok), h2));
    ck_assert(memcmp(h1, h2, sizeof h1) != 0);
    ck_assert(!sd_token_hash(&key, "sdt_short", 9, h2));
    tok[10] = '/';
    ck_assert(!sd_token_hash(&key, tok, strlen(tok), h2));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("routes");
    TCase *tc = tcase_create("table");
    tcase_add_test(tc, every_route_declares_a_policy);
    tcase_add_test(tc, public_routes_are_the_known_few);
    tcase_add_test(tc, patterns_well_formed_and_unique);
    tcase_add_test(tc, router_matches_table);
    tcase_add_test(tc, error_registry_lookups);
    tcase_add_test(tc, json_depth_scan);
    tcase_add_test(tc, token_shape_and_hash);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
