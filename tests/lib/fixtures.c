/* The test data every api test builds on: the occupation list, valid ID numbers, insured
 * employees, registered enterprises, profiles, keyed writes and racing ones, a claim's steps and
 * what they answer, row counts, the fields a refusal names (harness.h). */
#include "harness.h"

#include <check.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void th_occupations(struct th_pg *pg)
{
    static const char *const files[] = {"sql/ref/occupations.csv", "tests/lib/occupations.csv"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", th_source_root(), files[i]);
        const char *args[] = {"occupations", "load", path, NULL};
        if (th_subsidyctl(pg, args, NULL) != 0) {
            fprintf(stderr, "harness: subsidyctl occupations load %s failed\n", path);
            exit(99);
        }
    }
}

struct th_reply th_write(struct th_daemon *d, const char *method, const char *path,
                         const char *token, const char *key, const char *body)
{
    char hkey[200];
    snprintf(hkey, sizeof hkey, "Idempotency-Key: %s", key);
    const char *h[] = {"Content-Type: application/json", hkey, NULL};
    return th_http(d, method, path, token, body, -1, h);
}

struct th_reply th_claim_step(struct th_daemon *d, long long id, const char *step,
                              const char *token, const char *body, const char *key)
{
    static atomic_int fresh;
    char path[96], k[32];
    snprintf(path, sizeof path, "/v1/claims/%lld/%s", id, step);
    snprintf(k, sizeof k, "th-step-%d", atomic_fetch_add(&fresh, 1));
    return th_write(d, "POST", path, token, key ? key : k, body);
}

void th_expect(struct th_reply r, long status, long code, const char *state)
{
    ck_assert_msg(r.status == status, "%ld (want %ld) %s", r.status, status, r.body);
    if (code)
        ck_assert_int_eq(json_integer_value(json_object_get(r.json, "code")), code);
    if (state)
        ck_assert_str_eq(json_string_value(json_object_get(r.json, "state")), state);
    th_reply_free(&r);
}

void th_resident_id(char out[19], const char *region, int birth_year, unsigned serial)
{
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    char buf[48];
    snprintf(buf, sizeof buf, "%.6s%04d%02u%02u%03u", region, birth_year % 10000,
             1 + serial / 28000 % 12, 1 + serial / 1000 % 28, serial % 1000);
    memcpy(out, buf, 17);
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (out[i] - '0') * w[i];
    out[17] = "10X98765432"[sum % 11];
    out[18] = '\0';
}

/* One import of at most 1000 records. */
static bool insure_some(struct th_daemon *d, const char *admin_token, const char *credit_code,
                        const char *const *ids, int n, const char *from)
{
    static int calls;
    size_t cap = 128 + (size_t)n * 160, len = 0;
    char *body = malloc(cap), key[64];
    if (!body)
        return false;
    len += (size_t)snprintf(body, cap, "{\"source\":\"test export\",\"records\":[");
    for (int i = 0; i < n; i++)
        len += (size_t)snprintf(body + len, cap - len,
                                "%s{\"id_number\":\"%s\",\"credit_code\":\"%s\","
                                "\"insured_from\":\"%s\",\"kinds\":[\"pension\",\"medical\","
                                "\"unemployment\"]}",
                                i ? "," : "", ids[i], credit_code, from);
    snprintf(body + len, cap - len, "]}");
    snprintf(key, sizeof key, "th-insure-%d-%d", (int)getpid(), __atomic_fetch_add(&calls, 1, 0));
    struct th_reply r = th_write(d, "POST", "/v1/admin/employment-records", admin_token, key, body);
    bool ok = r.status == 200;
    if (!ok)
        fprintf(stderr, "th_insure: %ld %.300s\n", r.status, r.body);
    th_reply_free(&r);
    free(body);
    return ok;
}

bool th_insure(struct th_daemon *d, const char *admin_token, const char *credit_code,
               const char *const *ids, int n, const char *from)
{
    for (int i = 0; i < n; i += 1000)
        if (!insure_some(d, admin_token, credit_code, ids + i, n - i < 1000 ? n - i : 1000, from))
            return false;
    return true;
}

/* One PUT that must succeed with want; its failure on stderr. */
static bool put_ok(struct th_daemon *d, const char *path, const char *token, const char *body,
                   long want)
{
    static int calls;
    char key[64];
    snprintf(key, sizeof key, "th-put-%d-%d", (int)getpid(), __atomic_fetch_add(&calls, 1, 0));
    struct th_reply r = th_write(d, "PUT", path, token, key, body);
    bool ok = r.status == want;
    if (!ok)
        fprintf(stderr, "PUT %s: %ld %.300s\n", path, r.status, r.body);
    th_reply_free(&r);
    return ok;
}

bool th_enterprise(struct th_daemon *d, const char *admin_token, const char *credit_code,
                   const char *region)
{
    char path[96], body[160];
    snprintf(path, sizeof path, "/v1/admin/enterprises/%s", credit_code);
    snprintf(body, sizeof body, "{\"name\":\"测试企业 %s\",\"region\":\"%s\"}", credit_code,
             region);
    return put_ok(d, path, admin_token, body, 201);
}

bool th_profile(struct th_daemon *d, const char *token, const char *id_number,
                const char *hukou_region)
{
    char body[200];
    snprintf(body, sizeof body,
             "{\"id_number\":\"%s\",\"name\":\"申请人\",\"hukou_region\":\"%s\"}", id_number,
             hukou_region);
    return put_ok(d, "/v1/profile", token, body, 200);
}

static void *shoot(void *arg)
{
    struct th_shot *s = arg;
    s->reply = th_write(s->daemon, s->method, s->path, s->token, s->key, s->body);
    return NULL;
}

void th_write_all(struct th_shot *shots, int n)
{
    pthread_t t[64];
    if (n > 64) {
        fprintf(stderr, "harness: th_write_all: more than 64 writes\n");
        exit(99); /* meson: hard error */
    }
    for (int i = 0; i < n; i++)
        pthread_create(&t[i], NULL, shoot, &shots[i]);
    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
}

long th_count(struct th_pg *pg, const char *sql)
{
    char *v = th_sql(pg, sql);
    long n = atol(v);
    free(v);
    return n;
}

void th_expect_fields(struct th_reply *r, long status, const char *const *fields, size_t n)
{
    ck_assert_msg(r->status == status, "%ld %s", r->status, r->body);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(th_problem_has_field(r, fields[i]), "%s not named: %s", fields[i], r->body);
    th_reply_free(r);
}

struct th_reply th_post_csv(struct th_daemon *d, const char *path, const char *token,
                            const char *key, const char *csv)
{
    char hkey[160];
    snprintf(hkey, sizeof hkey, "Idempotency-Key: %s", key ? key : "");
    const char *h[] = {"Content-Type: text/csv", key ? hkey : NULL, NULL};
    return th_http(d, "POST", path, token, csv, -1, h);
}

void th_credit_code(char out[19], const char *region, unsigned serial)
{
    static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    static const int w[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    char buf[32];
    snprintf(buf, sizeof buf, "12%.6sMB%07u", region, serial % 10000000u);
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (int)(strchr(alphabet, buf[i]) - alphabet) * w[i];
    int check = (31 - sum % 31) % 31;
    memcpy(out, buf, 17);
    out[17] = alphabet[check];
    out[18] = '\0';
}

bool th_institution(struct th_daemon *d, const char *admin_token, const char *credit_code,
                    const char *region, const char *status)
{
    char path[96], body[200];
    snprintf(path, sizeof path, "/v1/admin/institutions/%s", credit_code);
    snprintf(body, sizeof body,
             "{\"name\":\"测试培训学校 %s <&>\",\"region\":\"%s\",\"status\":\"%s\"}", credit_code,
             region, status);
    return put_ok(d, path, admin_token, body, 201);
}

bool th_class_catalog(struct th_daemon *d, const char *admin_token, const char *policy, int year,
                      const char *occupations, const char *level)
{
    char key[160], body[1600], entries[1200] = "";
    snprintf(key, sizeof key, "class-cat-%s-%d-%s", policy, year, level);
    for (const char *o = occupations; *o;) {
        size_t n = strcspn(o, ","), used = strlen(entries);
        snprintf(entries + used, sizeof entries - used,
                 "%s{\"occupation\":\"%.*s\",\"occupation_name\":\"测试职业\","
                 "\"level\":\"%s\",\"standard_fen\":100000}",
                 used ? "," : "", (int)n, o, level);
        o += n + (o[n] == ',');
    }
    snprintf(body, sizeof body,
             "{\"policy\":\"%s\",\"year\":%d,\"effective_from\":\"%d-01-01\","
             "\"source\":\"测试目录\",\"entries\":[%s]}",
             policy, year, year - 1, entries);
    struct th_reply r = th_write(d, "POST", "/v1/admin/catalogs", admin_token, key, body);
    bool ok = r.status == 201;
    if (!ok)
        fprintf(stderr, "harness: catalog: %ld %s\n", r.status, r.body);
    th_reply_free(&r);
    return ok;
}

void th_class_body(char *out, size_t len, const char *occupation, const char *start_date,
                   int capacity, const char *roster_json)
{
    snprintf(out, len,
             "{\"policy\":\"zhoushan-2019\",\"kind\":\"qualification\",\"occupation\":\"%s\","
             "\"level\":\"level4\",\"region\":\"330902\",\"start_date\":\"%s\","
             "\"end_date\":\"2027-12-31\",\"class_hours\":120,\"place\":\"定海区某路 1 号\","
             "\"teachers\":[{\"name\":\"王老师\"}],\"capacity\":%d,\"payee\":\"person\","
             "\"roster\":%s}",
             occupation, start_date, capacity, roster_json);
}

long long th_class_file(struct th_daemon *d, const char *token, const char *key, const char *body)
{
    struct th_reply r = th_write(d, "POST", "/v1/classes", token, key, body);
    long long id = r.status == 201 ? json_integer_value(json_object_get(r.json, "id")) : 0;
    if (!id)
        fprintf(stderr, "harness: class: %ld %s\n", r.status, r.body);
    th_reply_free(&r);
    return id;
}

bool th_electrician_catalog(struct th_daemon *d, const char *admin_token)
{
    struct th_reply r =
        th_write(d, "POST", "/v1/admin/catalogs", admin_token, "catalog",
                 "{\"policy\":\"zhoushan-2019\",\"year\":2020,\"effective_from\":"
                 "\"2020-06-01\",\"source\":\"舟山市2020年目录\",\"entries\":[{"
                 "\"occupation\":\"6-18-02-09\",\"occupation_name\":\"电工\","
                 "\"level\":\"level3\",\"standard_fen\":140000,\"shortage\":true}]}");
    bool ok = r.status == 201;
    if (!ok)
        fprintf(stderr, "catalog: %ld %s\n", r.status, r.body);
    th_reply_free(&r);
    return ok;
}

long long th_electrician_claim(struct th_daemon *d, struct th_pg *pg, int birth_year,
                               unsigned serial, const char *number_prefix, char id_number[19])
{
    char token[64], body[768], key[48];
    th_resident_id(id_number, "330902", birth_year, serial);
    th_token(pg, "applicant", id_number, NULL, token);
    ck_assert(th_profile(d, token, id_number, "330902"));
    snprintf(body, sizeof body,
             "{\"region\":\"330902\",\"submit\":true,\"claim\":{\"kind\":"
             "\"certificate_training\",\"occupation\":\"6-18-02-09\",\"level\":\"level3\","
             "\"certificate\":{\"kind\":\"qualification\",\"number\":\"%s-%u\",\"issue_date\":"
             "\"2020-06-30\"},\"actual_cost_fen\":200000}}",
             number_prefix, serial + 1);
    snprintf(key, sizeof key, "claim-%s-%u", number_prefix, serial);
    struct th_reply r = th_write(d, "POST", "/v1/claims", token, key, body);
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    long long id = json_integer_value(json_object_get(r.json, "id"));
    th_reply_free(&r);
    return id;
}

bool th_calendar_years(struct th_daemon *d, struct th_pg *pg, const char *admin_token,
                       const char *sql_format, int first, int last, const char *key_prefix)
{
    for (int y = first; y <= last; y++) {
        char sql[2048], path[64], key[64];
        snprintf(sql, sizeof sql, sql_format, y, y);
        char *text = th_sql(pg, sql), *bar = strrchr(text, '|');
        *bar = '\0';
        snprintf(path, sizeof path, "/v1/admin/calendar/%s", bar + 1);
        snprintf(key, sizeof key, "Idempotency-Key: %s-%d", key_prefix, y);
        const char *h[] = {"Content-Type: application/json", key, NULL};
        struct th_reply r = th_http(d, "PUT", path, admin_token, text, -1, h);
        bool ok = r.status == 200;
        if (!ok)
            fprintf(stderr, "calendar: %ld %s\n", r.status, r.body);
        th_reply_free(&r);
        free(text);
        if (!ok)
            return false;
    }
    return true;
}
