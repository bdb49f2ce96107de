/* API tier: employment records (参保记录, issue 6 §3) — imported by an admin from JSON or CSV
 * (every bad row named at once, nothing written; sent again it updates, never duplicates;
 * audited; ID numbers only as their keyed hash); a claim's employer looked up in them on its
 * event date (an enterprise claims only for its insured employees; the trade-friction uplift
 * follows the records, not the body); the person sees, reads and may withdraw what an
 * enterprise filed about them; an enterprise never learns the name a person registered. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct th_pg pg;
static struct th_daemon d;
static char admin[64], enterprise[64], worker[64], listed_worker[64], employee_worker[64],
    jx_enterprise[64];

#define ENT_ZS     "91330900MA28K1234U" /* the enterprise claiming, registered */
#define ENT_LISTED "91330900MA28K2222U" /* registered, on the trade-friction list */
#define ENT_OTHER  "91330900MA28K3333W" /* not registered; someone else's employer */
#define ENT_JX     "91330400MA28K44444" /* registered in Jiaxing */
#define ZS_CLAIM(no)                                                                               \
    "{\"kind\":\"certificate_training\",\"occupation\":\"6-18-02-04\",\"level\":\"level4\","       \
    "\"certificate\":{\"kind\":\"qualification\",\"number\":\"" no "\",\"issue_date\":"            \
    "\"2020-06-30\"},\"actual_cost_fen\":160000}"

static char worker_id[19], listed_id[19], employee_id[19];

static long code_of(const struct th_reply *r)
{
    return r->json ? (long)json_integer_value(json_object_get(r->json, "code")) : -1;
}

static bool has_rule_problem(const struct th_reply *r, const char *code, const char *field)
{
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(r->json, "problems"), i, p)
    {
        if (strcmp(json_string_value(json_object_get(p, "code")) ?: "", code) == 0 &&
            (!field || strcmp(json_string_value(json_object_get(p, "field")) ?: "", field) == 0))
            return true;
    }
    return false;
}

static struct th_reply import_json(const char *key, const char *body)
{
    return th_write(&d, "POST", "/v1/admin/employment-records", admin, key, body);
}

static struct th_reply import_csv(const char *key, const char *source, const char *csv)
{
    char path[256];
    snprintf(path, sizeof path, "/v1/admin/employment-records?source=%s", source);
    return th_post_csv(&d, path, admin, key, csv);
}

static long count_records(void)
{
    return th_count(&pg, "SELECT count(*) FROM employment_record");
}

static long long id_of(const struct th_reply *r)
{
    return json_integer_value(json_object_get(r->json, "id"));
}

/* ---- the import ---- */

START_TEST(json_bad_rows_all_named_nothing_written)
{
    long before = count_records();
    long audit = th_count(&pg, "SELECT count(*) FROM audit");
    char body[2048];
    snprintf(
        body, sizeof body,
        "{\"source\":\"舟山社保 2020-07\",\"records\":["
        "{\"id_number\":\"%s\",\"credit_code\":\"" ENT_ZS "\",\"insured_from\":\"2019-01-01\"},"
        "{\"id_number\":\"330902199001011230\",\"credit_code\":\"" ENT_ZS "\","
        "\"insured_from\":\"2019-01-01\"},"
        "{\"id_number\":\"%s\",\"credit_code\":\"91330900MA28K1234X\","
        "\"insured_from\":\"2019-02-30\"},"
        "{\"id_number\":\"%s\",\"credit_code\":\"" ENT_ZS "\",\"insured_from\":\"2019-05-01\","
        "\"insured_to\":\"2019-04-01\",\"kinds\":[\"pension\",\"holiday\"]},"
        "{\"id_number\":\"%s\",\"credit_code\":\"" ENT_ZS "\",\"insured_from\":\"2019-01-01\"},"
        "{\"credit_code\":\"" ENT_ZS "\",\"insured_from\":\"2019-01-01\"}]}",
        worker_id, worker_id, worker_id, worker_id);
    struct th_reply r = import_json("imp-bad", body);
    ck_assert_msg(r.status == 422, "%ld %s", r.status, r.body);
    ck_assert(th_problem_has_field(&r, "records[1].id_number"));
    ck_assert(th_problem_has_field(&r, "records[2].credit_code"));
    ck_assert(th_problem_has_field(&r, "records[2].insured_from"));
    ck_assert(th_problem_has_field(&r, "records[3].insured_to"));
    ck_assert(th_problem_has_field(&r, "records[3].kinds[1]"));
    ck_assert(th_problem_has_field(&r, "records[4].insured_from")); /* repeats records[0] */
    ck_assert(th_problem_has_field(&r, "records[5].id_number"));
    ck_assert(!th_problem_has_field(&r, "records[0].id_number"));
    ck_assert_ptr_null(strstr(r.body, worker_id));
    th_reply_free(&r);
    ck_assert_int_eq(count_records(), before);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM audit"), audit);
    r = import_json("imp-bad-2", "{\"records\":[]}");
    ck_assert_int_eq(r.status, 422);
    ck_assert(th_problem_has_field(&r, "source"));
    ck_assert(th_problem_has_field(&r, "records"));
    th_reply_free(&r);
    /* admins only */
    r = th_write(&d, "POST", "/v1/admin/employment-records", enterprise, "imp-ent",
                 "{\"source\":\"x\",\"records\":[]}");
    ck_assert_int_eq(r.status, 403);
    th_reply_free(&r);
}
END_TEST

START_TEST(csv_bad_rows_named_then_good_import_audited)
{
    long before = count_records();
    char csv[1024], csv_id[19];
    th_resident_id(csv_id, "330902", 1990, 14);
    snprintf(csv, sizeof csv,
             "id_number,credit_code,insured_from,insured_to,kinds\n"
             "%s," ENT_OTHER ",2018-01-01,2018-12-31,pension;unemployment\n"
             "330902199001011230," ENT_OTHER ",2018-01-01,,pension\n"
             "%s," ENT_OTHER ",2018-13-01,,dental\n",
             worker_id, worker_id);
    struct th_reply r = import_csv("csv-bad", "csv-2020-07", csv);
    ck_assert_msg(r.status == 422, "%ld %s", r.status, r.body);
    ck_assert(th_problem_has_field(&r, "records[1].id_number"));
    ck_assert(th_problem_has_field(&r, "records[2].insured_from"));
    ck_assert(th_problem_has_field(&r, "records[2].kinds[0]"));
    ck_assert(!th_problem_has_field(&r, "records[0].kinds"));
    th_reply_free(&r);
    ck_assert_int_eq(count_records(), before);
    /* the source is required */
    r = import_csv("csv-nosrc", "", "id_number,credit_code,insured_from\n");
    ck_assert_int_eq(r.status, 422);
    th_reply_free(&r);

    snprintf(csv, sizeof csv,
             "id_number,credit_code,insured_from,insured_to,kinds\r\n"
             "%s," ENT_OTHER ",2018-01-01,2018-12-31,pension;unemployment\r\n"
             "%s," ENT_OTHER ",2019-03-01,,pension|medical\r\n",
             worker_id, csv_id);
    r = import_csv("csv-good", "csv-2020-07", csv);
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "added")), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "updated")), 0);
    th_reply_free(&r);
    ck_assert_int_eq(count_records(), before + 2);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM employment_record WHERE kinds ="
                                   " '{pension,unemployment}' AND insured_to = '2018-12-31'"),
                     1);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM audit WHERE action ="
                                   " 'employment.import' AND object_id = 'csv-2020-07' AND"
                                   " (after->>'added')::int = 2"),
                     1);
    /* the number itself is nowhere: not in the table, not in the log */
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM employment_record WHERE position('%s' IN"
             " encode(id_hash, 'escape')) > 0 OR source LIKE '%%%s%%'",
             worker_id, worker_id);
    ck_assert_int_eq(th_count(&pg, sql), 0);
    ck_assert(!th_log_contains(&d, worker_id));
}
END_TEST

START_TEST(sent_again_updates_never_duplicates)
{
    char id[19], body[512];
    th_resident_id(id, "330902", 1991, 40);
    snprintf(body, sizeof body,
             "{\"source\":\"first\",\"records\":[{\"id_number\":\"%s\",\"credit_code\":\"" ENT_OTHER
             "\",\"insured_from\":\"2020-01-01\",\"insured_to\":null,\"kinds\":[\"pension\"]}]}",
             id);
    struct th_reply r = import_json("again-1", body);
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "added")), 1);
    th_reply_free(&r);
    long n = count_records();
    /* the same export again: nothing changes */
    snprintf(
        body, sizeof body,
        "{\"source\":\"second\",\"records\":[{\"id_number\":\"%s\",\"credit_code\":\"" ENT_OTHER
        "\",\"insured_from\":\"2020-01-01\",\"kinds\":[\"pension\"]}]}",
        id);
    r = import_json("again-2", body);
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "added")), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "unchanged")), 1);
    th_reply_free(&r);
    /* a later export: the person left, and had unemployment insurance */
    snprintf(body, sizeof body,
             "{\"source\":\"third\",\"records\":[{\"id_number\":\"%s\",\"credit_code\":\"" ENT_OTHER
             "\",\"insured_from\":\"2020-01-01\",\"insured_to\":\"2020-06-30\","
             "\"kinds\":[\"pension\",\"unemployment\"]}]}",
             id);
    r = import_json("again-3", body);
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "updated")), 1);
    th_reply_free(&r);
    ck_assert_int_eq(count_records(), n);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM employment_record WHERE source = 'third'"
                                   " AND insured_to = '2020-06-30'"),
                     1);
    /* the key replays */
    r = import_json("again-3", body);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(th_header(&r, "idempotent-replayed"), "true");
    th_reply_free(&r);
}
END_TEST

/* subsidyctl employment import: the same checks; its records find the people the daemon keys. */
START_TEST(subsidyctl_imports_the_same_records)
{
    char id[19], path[512], csv[512];
    th_resident_id(id, "330902", 1993, 5);
    snprintf(path, sizeof path, "%s/employment.csv", pg.dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "id_number,credit_code,insured_from,kinds\n%s," ENT_ZS ",2019-13-01,pension\n", id);
    fclose(f);
    const char *args[] = {"--token-key-file", pg.key_file,   "employment", "import",
                          "--source",         "ctl-2020-07", path,         NULL};
    long before = count_records();
    ck_assert_int_eq(th_subsidyctl(&pg, args, NULL), 1);
    ck_assert_int_eq(count_records(), before);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "id_number,credit_code,insured_from,kinds\n%s," ENT_ZS ",2019-01-01,pension\n", id);
    fclose(f);
    ck_assert_int_eq(th_subsidyctl(&pg, args, NULL), 0);
    ck_assert_int_eq(count_records(), before + 1);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM audit WHERE action = 'employment.import'"
                                   " AND object_id = 'ctl-2020-07'"),
                     1);
    /* the enterprise may now claim for them */
    snprintf(csv, sizeof csv,
             "{\"region\":\"330902\",\"submit\":true,\"employee\":{\"id_number\":\"%s\","
             "\"name\":\"员工\",\"hukou_region\":\"330902\"},\"claim\":" ZS_CLAIM("CTL-1") "}",
             id);
    struct th_reply r = th_write(&d, "POST", "/v1/claims", enterprise, "ctl-1", csv);
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    th_reply_free(&r);
}
END_TEST

/* ---- claims look the employer up ---- */

START_TEST(enterprise_claims_only_for_insured_employees)
{
    long claims = th_count(&pg, "SELECT count(*) FROM claim");
    long quota = th_count(&pg, "SELECT coalesce(sum(used), 0) FROM claim_quota");
    long people = th_count(&pg, "SELECT count(*) FROM person");
    /* the worker's only record is with another enterprise, ended 2018: not this one's employee */
    char body[1024];
    snprintf(body, sizeof body,
             "{\"region\":\"330902\",\"submit\":true,\"employee\":{\"id_number\":\"%s\","
             "\"name\":\"冒领\",\"hukou_region\":\"330902\"},\"claim\":" ZS_CLAIM("NI-1") "}",
             worker_id);
    struct th_reply r = th_write(&d, "POST", "/v1/claims", enterprise, "ni-1", body);
    ck_assert_msg(r.status == 422, "%ld %s", r.status, r.body);
    ck_assert_int_eq(code_of(&r), 4020);
    ck_assert(th_problem_has_field(&r, "employee"));
    th_reply_free(&r);
    /* someone no record names at all */
    char stranger[19];
    th_resident_id(stranger, "330902", 1992, 7);
    snprintf(body, sizeof body,
             "{\"region\":\"330902\",\"submit\":true,\"employee\":{\"id_number\":\"%s\","
             "\"name\":\"路人\",\"hukou_region\":\"330902\"},\"claim\":" ZS_CLAIM("NI-2") "}",
             stranger);
    r = th_write(&d, "POST", "/v1/claims", enterprise, "ni-2", body);
    ck_assert_int_eq(r.status, 422);
    ck_assert_int_eq(code_of(&r), 4020);
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM claim"), claims);
    ck_assert_int_eq(th_count(&pg, "SELECT coalesce(sum(used), 0) FROM claim_quota"), quota);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM person"), people);
    /* insured with it, but only from after the certificate's date */
    char late[19];
    th_resident_id(late, "330902", 1992, 8);
    const char *ids[] = {late};
    ck_assert(th_insure(&d, admin, ENT_ZS, ids, 1, "2020-07-01"));
    snprintf(body, sizeof body,
             "{\"region\":\"330902\",\"submit\":true,\"employee\":{\"id_number\":\"%s\","
             "\"name\":\"新人\",\"hukou_region\":\"330902\"},\"claim\":" ZS_CLAIM("NI-3") "}",
             late);
    r = th_write(&d, "POST", "/v1/claims", enterprise, "ni-3", body);
    ck_assert_int_eq(code_of(&r), 4020);
    th_reply_free(&r);
    /* a draft is not judged, so not checked yet; submitting it is */
    snprintf(body, sizeof body,
             "{\"region\":\"330902\",\"employee\":{\"id_number\":\"%s\","
             "\"name\":\"新人\",\"hukou_region\":\"330902\"},\"claim\":" ZS_CLAIM("NI-4") "}",
             late);
    r = th_write(&d, "POST", "/v1/claims", enterprise, "ni-4", body);
    ck_assert_int_eq(r.status, 201);
    char path[96];
    snprintf(path, sizeof path, "/v1/claims/%lld/submit", id_of(&r));
    th_reply_free(&r);
    r = th_write(&d, "POST", path, enterprise, "ni-4s", NULL);
    ck_assert_int_eq(code_of(&r), 4020);
    th_reply_free(&r);
}
END_TEST

START_TEST(named_listed_employer_without_records_is_a_problem)
{
    /* the worker names the listed enterprise; the records show no such employment */
    long claims = th_count(&pg, "SELECT count(*) FROM claim");
    struct th_reply r = th_write(&d, "POST", "/v1/claims", worker, "tf-word",
                                 "{\"region\":\"330902\",\"submit\":true,\"employer\":"
                                 "{\"credit_code\":\"" ENT_LISTED "\",\"ui_months\":60},"
                                 "\"claim\":" ZS_CLAIM("TF-W") "}");
    ck_assert_msg(r.status == 422, "%ld %s", r.status, r.body);
    ck_assert_int_eq(code_of(&r), 4000);
    ck_assert(has_rule_problem(&r, "employer_not_in_records", "employer.credit_code"));
    json_t *trace = json_object_get(json_object_get(r.json, "decision"), "trace");
    ck_assert_ptr_null(json_object_get(json_object_get(trace, "uplift"), "pct"));
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM claim"), claims);
}
END_TEST

START_TEST(insured_employee_of_listed_enterprise_gets_the_uplift_unasked)
{
    /* the body names no employer: the records do */
    struct th_reply r = th_write(&d, "POST", "/v1/claims", listed_worker, "tf-rec",
                                 "{\"region\":\"330902\",\"submit\":true,"
                                 "\"claim\":" ZS_CLAIM("TF-R") "}");
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    json_t *trace = json_object_get(json_object_get(r.json, "decision"), "trace");
    ck_assert_msg(json_integer_value(json_object_get(json_object_get(trace, "uplift"), "pct")) ==
                      30,
                  "%s", r.body);
    json_t *emp = json_object_get(trace, "employment");
    ck_assert_str_eq(json_string_value(json_object_get(emp, "credit_code")), ENT_LISTED);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "employer")), ENT_LISTED);
    /* 1,200 yuan + 30 % = 1,560 yuan, under the actual 1,600 */
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "amount_fen")), 156000);
    th_reply_free(&r);
}
END_TEST

/* Jiaxing 三(一): a special-operation certificate needs a year of unemployment insurance in the
 * city, counted from the records (overlaps once), whatever the body says. */
START_TEST(jiaxing_counts_unemployment_insurance_from_the_records)
{
    struct th_reply r =
        th_write(&d, "POST", "/v1/admin/catalogs", admin, "jx-cat",
                 "{\"policy\":\"jiaxing-2019\",\"year\":2020,\"effective_from\":\"2020-01-01\","
                 "\"source\":\"嘉兴市2020年目录\",\"entries\":[{\"occupation\":\"6-29-03-01\","
                 "\"occupation_name\":\"电工作业\",\"level\":\"level5\",\"standard_fen\":80000}]}");
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    th_reply_free(&r);
    /* a year and a half of unemployment insurance (two overlapping records, counted once), and six
     * months */
    char long_id[19], short_id[19], body[1536];
    th_resident_id(long_id, "330402", 1988, 1);
    th_resident_id(short_id, "330402", 1988, 2);
    snprintf(body, sizeof body,
             "{\"source\":\"嘉兴社保 2020-07\",\"records\":["
             "{\"id_number\":\"%s\",\"credit_code\":\"" ENT_JX "\",\"insured_from\":\"2019-01-01\","
             "\"kinds\":[\"pension\",\"unemployment\"]},"
             "{\"id_number\":\"%s\",\"credit_code\":\"" ENT_OTHER
             "\",\"insured_from\":\"2019-03-01\","
             "\"insured_to\":\"2019-08-31\",\"kinds\":[\"unemployment\"]},"
             "{\"id_number\":\"%s\",\"credit_code\":\"" ENT_JX "\",\"insured_from\":\"2018-01-01\","
             "\"kinds\":[\"pension\"]},"
             "{\"id_number\":\"%s\",\"credit_code\":\"" ENT_JX "\",\"insured_from\":\"2020-01-01\","
             "\"kinds\":[\"unemployment\"]}]}",
             long_id, long_id, short_id, short_id);
    r = import_json("jx-rec", body);
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    th_reply_free(&r);
#define JX_CLAIM(id, no, months)                                                                   \
    snprintf(                                                                                      \
        body, sizeof body,                                                                         \
        "{\"region\":\"330402\",\"submit\":true,\"employee\":{\"id_number\":\"%s\","               \
        "\"name\":\"员工\",\"hukou_region\":\"330402\"},\"employer\":{\"credit_code\":\"" ENT_JX   \
        "\",\"ui_months\":" months "},\"claim\":{\"kind\":\"special_operation\","                  \
        "\"occupation\":\"6-29-03-01\",\"level\":\"special_operation\",\"certificate\":"           \
        "{\"kind\":\"special_operation\",\"number\":\"" no "\",\"issue_date\":"                    \
        "\"2020-06-30\"}}}",                                                                       \
        id)
    JX_CLAIM(long_id, "JX-UI-1", "0");
    r = th_write(&d, "POST", "/v1/claims", jx_enterprise, "jx-1", body);
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "amount_fen")), 80000);
    json_t *emp = json_object_get(json_object_get(json_object_get(r.json, "decision"), "trace"),
                                  "employment");
    ck_assert_int_eq(json_integer_value(json_object_get(emp, "ui_months")), 18);
    ck_assert_str_eq(json_string_value(json_object_get(emp, "insured_from")), "2019-01-01");
    th_reply_free(&r);
    /* six months, though the body claims two years */
    JX_CLAIM(short_id, "JX-UI-2", "24");
    r = th_write(&d, "POST", "/v1/claims", jx_enterprise, "jx-2", body);
    ck_assert_msg(r.status == 422, "%ld %s", r.status, r.body);
    ck_assert(has_rule_problem(&r, "unemployment_insurance_too_short", "employer.ui_months"));
    emp = json_object_get(json_object_get(json_object_get(r.json, "decision"), "trace"),
                          "employment");
    ck_assert_int_eq(json_integer_value(json_object_get(emp, "ui_months")), 6);
    th_reply_free(&r);
#undef JX_CLAIM
}
END_TEST

/* ---- the person sees what is filed about them ---- */

START_TEST(person_reads_and_withdraws_the_enterprises_claim)
{
    char body[1024];
    snprintf(body, sizeof body,
             "{\"region\":\"330902\",\"submit\":true,\"employee\":{\"id_number\":\"%s\","
             "\"name\":\"企业所写\",\"hukou_region\":\"330902\"},\"claim\":" ZS_CLAIM("PS-1") "}",
             employee_id);
    struct th_reply r = th_write(&d, "POST", "/v1/claims", enterprise, "ps-1", body);
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    long long id = id_of(&r);
    /* no name oracle: the enterprise sees the name it sent, never the registered one */
    ck_assert_ptr_null(strstr(r.body, "本人登记"));
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(r.json, "person"), "name")),
                     "企业所写");
    th_reply_free(&r);
    char path[96];
    snprintf(path, sizeof path, "/v1/claims/%lld", id);
    r = th_http(&d, "GET", path, enterprise, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_ptr_null(strstr(r.body, "本人登记"));
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/claims?limit=200", enterprise, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_ptr_null(strstr(r.body, "本人登记"));
    th_reply_free(&r);

    /* the person lists it, marked as filed by the enterprise */
    r = th_http(&d, "GET", "/v1/claims?limit=200", employee_worker, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    json_t *found = NULL, *it;
    size_t i;
    json_array_foreach(json_object_get(r.json, "items"), i, it)
    {
        if (json_integer_value(json_object_get(it, "id")) == id)
            found = it;
    }
    ck_assert_msg(found != NULL, "%s", r.body);
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(found, "filed_by"), "role")),
                     "enterprise");
    ck_assert_str_eq(
        json_string_value(json_object_get(json_object_get(found, "filed_by"), "credit_code")),
        ENT_ZS);
    ck_assert_ptr_null(strstr(r.body, employee_id));
    th_reply_free(&r);
    /* and reads it, masked */
    r = th_http(&d, "GET", path, employee_worker, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(
        json_string_value(json_object_get(json_object_get(r.json, "filed_by"), "role")),
        "enterprise");
    ck_assert_ptr_null(strstr(r.body, employee_id));
    th_reply_free(&r);
    /* read-only: the enterprise's draft fields stay the enterprise's */
    r = th_write(&d, "PATCH", path, employee_worker, "ps-patch",
                 "{\"region\":\"330902\",\"claim\":" ZS_CLAIM("PS-1") "}");
    ck_assert_int_eq(r.status, 404);
    th_reply_free(&r);
    /* another applicant sees nothing */
    r = th_http(&d, "GET", path, worker, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 404);
    th_reply_free(&r);
    char wd[96];
    snprintf(wd, sizeof wd, "/v1/claims/%lld/withdraw", id);
    r = th_write(&d, "POST", wd, worker, "ps-wd-other", "{}");
    ck_assert_int_eq(r.status, 404);
    th_reply_free(&r);

    /* the person withdraws it: the quota place comes back, the timeline names both */
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT used FROM claim_quota q JOIN claim c ON c.person_id = q.person_id"
             " AND c.year = q.year WHERE c.id = %lld",
             id);
    long used = th_count(&pg, sql);
    r = th_write(&d, "POST", wd, employee_worker, "ps-wd", "{\"reason\":\"我没有参加这次培训\"}");
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "state")), "withdrawn");
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, sql), used - 1);
    r = th_http(&d, "GET", path, enterprise, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    json_t *timeline = json_object_get(r.json, "timeline");
    ck_assert_int_eq(json_array_size(timeline), 2);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(timeline, 0), "actor_role")),
                     "enterprise");
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(timeline, 1), "actor_role")),
                     "applicant");
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(timeline, 1), "action")),
                     "withdraw");
    /* and which account: the enterprise by its code, the person by their masked ID number */
    const json_t *by_ent = json_object_get(json_array_get(timeline, 0), "actor");
    const json_t *by_person = json_object_get(json_array_get(timeline, 1), "actor");
    ck_assert_str_eq(json_string_value(json_object_get(by_ent, "subject")), ENT_ZS);
    char masked[19];
    snprintf(masked, sizeof masked, "%.6s********%s", employee_id, employee_id + 14);
    ck_assert_str_eq(json_string_value(json_object_get(by_person, "subject")), masked);
    ck_assert_ptr_null(strstr(r.body, employee_id));
    ck_assert_ptr_null(strstr(r.body, "本人登记"));
    th_reply_free(&r);
    /* once withdrawn, again is a 409 */
    r = th_write(&d, "POST", wd, employee_worker, "ps-wd-2", "{}");
    ck_assert_int_eq(r.status, 409);
    th_reply_free(&r);
}
END_TEST

int main(void)
{
    th_start(&pg, &d, NULL);
    th_occupations(&pg);
    th_token(&pg, "admin", NULL, NULL, admin);
    th_token(&pg, "enterprise", ENT_ZS, NULL, enterprise);
    th_token(&pg, "enterprise", ENT_JX, NULL, jx_enterprise);
    th_resident_id(worker_id, "330902", 1990, 11);
    th_resident_id(listed_id, "330902", 1990, 12);
    th_resident_id(employee_id, "330902", 1990, 13);
    /* an applicant is the person of their ID number */
    th_token(&pg, "applicant", worker_id, NULL, worker);
    th_token(&pg, "applicant", listed_id, NULL, listed_worker);
    th_token(&pg, "applicant", employee_id, NULL, employee_worker);
    bool ok = true;
    const char *setup[][4] = {
        {"PUT", "/v1/admin/enterprises/" ENT_ZS, "ent-1",
         "{\"name\":\"舟山示范企业\",\"region\":\"330902\"}"},
        {"PUT", "/v1/admin/enterprises/" ENT_LISTED, "ent-2",
         "{\"name\":\"舟山外贸企业\",\"region\":\"330902\"}"},
        {"PUT", "/v1/admin/enterprises/" ENT_JX, "ent-3",
         "{\"name\":\"嘉兴制造企业\",\"region\":\"330402\"}"},
        {"POST", "/v1/admin/trade-friction", "tf",
         "{\"credit_code\":\"" ENT_LISTED
         "\",\"valid_from\":\"2019-06-01\",\"source\":\"舟政办发〔2019〕1号\"}"},
    };
    for (size_t i = 0; i < sizeof setup / sizeof setup[0]; i++) {
        struct th_reply r = th_write(&d, setup[i][0], setup[i][1], admin, setup[i][2], setup[i][3]);
        if (r.status != 200 && r.status != 201)
            fprintf(stderr, "%s: %ld %s\n", setup[i][1], r.status, r.body), ok = false;
        th_reply_free(&r);
    }
    struct {
        char *token;
        const char *id, *name;
    } profiles[] = {{worker, worker_id, "张三"},
                    {listed_worker, listed_id, "李四"},
                    {employee_worker, employee_id, "本人登记"}};
    for (int i = 0; i < 3; i++) {
        char body[256], key[16];
        snprintf(body, sizeof body,
                 "{\"id_number\":\"%s\",\"name\":\"%s\",\"hukou_region\":\"330902\"}",
                 profiles[i].id, profiles[i].name);
        snprintf(key, sizeof key, "pf-%d", i);
        struct th_reply r = th_write(&d, "PUT", "/v1/profile", profiles[i].token, key, body);
        if (r.status != 200)
            fprintf(stderr, "profile: %ld %s\n", r.status, r.body), ok = false;
        th_reply_free(&r);
    }
    const char *listed[] = {listed_id}, *employed[] = {employee_id};
    ok = ok && th_insure(&d, admin, ENT_LISTED, listed, 1, "2019-01-01") &&
         th_insure(&d, admin, ENT_ZS, employed, 1, "2019-01-01");
    if (!ok) {
        th_finish(&pg, &d);
        return 99;
    }
    Suite *s = suite_create("employment");
    TCase *tc = tcase_create("employment");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, json_bad_rows_all_named_nothing_written);
    tcase_add_test(tc, csv_bad_rows_named_then_good_import_audited);
    tcase_add_test(tc, sent_again_updates_never_duplicates);
    tcase_add_test(tc, subsidyctl_imports_the_same_records);
    tcase_add_test(tc, enterprise_claims_only_for_insured_employees);
    tcase_add_test(tc, named_listed_employer_without_records_is_a_problem);
    tcase_add_test(tc, insured_employee_of_listed_enterprise_gets_the_uplift_unasked);
    tcase_add_test(tc, jiaxing_counts_unemployment_insurance_from_the_records);
    tcase_add_test(tc, person_reads_and_withdraws_the_enterprises_claim);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    return failed || th_finish(&pg, &d) != 0 ? 1 : 0;
}
