/* Walking the approvers' queues (harness.h): every page of a keyset list, and its counts as
 * one text an SQL query can give too. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

void th_queue_ids(struct th_daemon *d, const char *token, const char *path, const char *query,
                  int limit, char *out, size_t len, json_t **counts)
{
    char after[64] = "";
    size_t used = 0;
    out[0] = '\0';
    for (int pages = 0;; pages++) {
        ck_assert_int_lt(pages, 200);
        char url[512];
        snprintf(url, sizeof url, "%s?limit=%d%s%s%s", path, limit, query,
                 after[0] ? "&after=" : "", after);
        struct th_reply r = th_http(d, "GET", url, token, NULL, 0, NULL);
        ck_assert_msg(r.status == 200, "%s: %ld %s", url, r.status, r.body);
        size_t i;
        json_t *item;
        json_array_foreach(json_object_get(r.json, "items"), i, item)
        {
            used += (size_t)snprintf(out + used, len - used, "%s%lld", used ? "," : "",
                                     (long long)json_integer_value(json_object_get(item, "id")));
            ck_assert_int_lt(used, len - 1);
        }
        if (counts && pages == 0)
            *counts = json_incref(json_object_get(r.json, "counts"));
        json_t *next = json_object_get(r.json, "next_after");
        after[0] = '\0';
        if (json_is_string(next))
            snprintf(after, sizeof after, "%s", json_string_value(next));
        th_reply_free(&r);
        if (!after[0])
            return;
    }
}

void th_counts_text(const json_t *counts, char *out, size_t len)
{
    const char *names[32];
    size_t n = 0, used = 0;
    const char *k;
    json_t *v, *by_state = json_object_get(counts, "by_state");
    json_object_foreach(by_state, k, v)
    {
        ck_assert_int_lt(n, 32);
        names[n++] = k;
    }
    for (size_t x = 1; x < n; x++) /* in name order, as SQL's ORDER BY state */
        for (size_t y = x; y > 0 && strcmp(names[y - 1], names[y]) > 0; y--) {
            const char *t = names[y];
            names[y] = names[y - 1];
            names[y - 1] = t;
        }
    out[0] = '\0';
    for (size_t x = 0; x < n; x++)
        used +=
            (size_t)snprintf(out + used, len - used, "%s%s=%lld", x ? "," : "", names[x],
                             (long long)json_integer_value(json_object_get(by_state, names[x])));
    snprintf(out + used, len - used, ";%lld",
             (long long)json_integer_value(json_object_get(counts, "overdue")));
}

void th_bad_queries(struct th_daemon *d, const char *token, const char *path,
                    const struct th_bad_query *bad, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char url[256];
        snprintf(url, sizeof url, "%s?%s", path, bad[i].query);
        struct th_reply r = th_http(d, "GET", url, token, NULL, 0, NULL);
        ck_assert_msg(r.status == 400, "%s: %ld", url, r.status);
        ck_assert_msg(th_problem_has_field(&r, bad[i].field), "%s: %s", url, r.body);
        th_reply_free(&r);
    }
}

void th_refused_to(struct th_daemon *d, const char *path, const char *const *tokens, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct th_reply r = th_http(d, "GET", path, tokens[i], NULL, 0, NULL);
        ck_assert_msg(r.status == 403, "%s, token %zu: %ld", path, i, r.status);
        th_reply_free(&r);
    }
    struct th_reply r = th_http(d, "GET", path, NULL, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 401);
    th_reply_free(&r);
}
