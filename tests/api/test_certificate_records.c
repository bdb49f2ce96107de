/* API tier: certificate records from the appraisal system (证书记录, issue 12) — JSON and CSV
 * (UTF-8 with a byte-order mark) imports; every bad row and field named at once by row, the
 * records repeated in the file, bodies that are not registered evaluation bodies and
 * occupations not listed, and nothing written; a preview that answers the same and writes
 * nothing; re-imports that change nothing, or only what changed (a certificate revoked); ID
 * numbers kept only as their keyed hash; audit rows; a claim's certificate joined to its
 * record; subsidyctl certificates load with the same checks. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct th_pg pg;
static struct th_daemon d;
static char admin[64], worker[64], id_a[19], id_b[19];

#define BODY_ZS "12330900MB0000010X" /* registered */
#define BODY_NO "12330400MB00000205" /* a valid code, not registered */
#define HEADER  "id_number,kind,number,occupation,level,issue_date,body_code,status\n"
#define BOM     "\xEF\xBB\xBF"

static struct th_reply import_csv(const char *key, const char *query, const char *csv)
{
    char path[256];
    snprintf(path, sizeof path, "/v1/admin/certificate-records?%s", query);
    return th_post_csv(&d, path, admin, key, csv);
}

static long records(void)
{
    return th_count(&pg, "SELECT count(*) FROM certificate_record");
}

static long imports(void)
{
    return th_count(&pg, "SELECT count(*) FROM audit WHERE action = 'certificate.import'");
}

static void expect_counts(struct th_reply *r, long inserted, long changed, long unchanged)
{
    ck_assert_msg(r->status == 200, "%ld %s", r->status, r->body);
    ck_assert_int_eq(json_integer_value(json_object_get(r->json, "inserted")), inserted);
    ck_assert_int_eq(json_integer_value(json_object_get(r->json, "changed")), changed);
    ck_assert_int_eq(json_integer_value(json_object_get(r->json, "unchanged")), unchanged);
}

/* Two good records of id_a and id_b (the second revoked when revoked is true). */
static void good_json(char *out, size_t len, const char *source, bool revoked)
{
    snprintf(out, len,
             "{\"source\":\"%s\",\"records\":["
             "{\"id_number\":\"%s\",\"kind\":\"qualification\",\"number\":\" zs-2020-001 \","
             "\"occupation\":\"6-18-2-4\",\"level\":\"level4\",\"issue_date\":\"2020-06-30\","
             "\"body_code\":\"" BODY_ZS "\",\"status\":\"valid\"},"
             "{\"id_number\":\"%s\",\"kind\":\"special_ability\",\"number\":\"ZS-2020-002\","
             "\"issue_date\":\"2020-07-31\",\"body_code\":\"" BODY_ZS "\",\"status\":\"%s\"}]}",
             source, id_a, id_b, revoked ? "revoked" : "valid");
}

START_TEST(json_import_reimport_and_revocation)
{
    char body[2048];
    good_json(body, sizeof body, "鉴定系统 2020-07", false);
    struct th_reply r = th_write(&d, "POST", "/v1/admin/certificate-records", admin, "ci-1", body);
    expect_counts(&r, 2, 0, 0);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "records")), 2);
    char *first = strdup(r.body);
    th_reply_free(&r);
    r = th_write(&d, "POST", "/v1/admin/certificate-records", admin, "ci-1", body); /* replay */
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(r.body, first);
    ck_assert_str_eq(th_header(&r, "idempotent-replayed"), "true");
    th_reply_free(&r);
    free(first);
    ck_assert_int_eq(records(), 2);
    ck_assert_int_eq(imports(), 1);
    /* stored as the records are known: number trimmed and upper-case, occupation canonical,
     * the ID number only as its keyed hash (of the person's, when they register) */
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM certificate_record WHERE number ="
                                   " 'ZS-2020-001' AND occupation = '6-18-02-04'"
                                   " AND level = 'level4' AND status = 'valid'"
                                   " AND revoked_at IS NULL AND body_code = '" BODY_ZS "'"),
                     1);
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM certificate_record r WHERE r::text LIKE '%%%s%%'"
             " OR r::text LIKE '%%%s%%'",
             id_a, id_b);
    ck_assert_int_eq(th_count(&pg, sql), 0);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM certificate_record r JOIN person p"
                                   " ON p.id_hash = r.id_hash WHERE r.number = 'ZS-2020-001'"),
                     1);

    /* the same export again, under another key: nothing changes */
    r = th_write(&d, "POST", "/v1/admin/certificate-records", admin, "ci-2", body);
    expect_counts(&r, 0, 0, 2);
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM certificate_record"
                                   " WHERE updated_at <> created_at"),
                     0);
    /* the second certificate revoked by the appraisal system: one changed, stored revoked */
    good_json(body, sizeof body, "鉴定系统 2020-08", true);
    r = th_write(&d, "POST", "/v1/admin/certificate-records", admin, "ci-3", body);
    expect_counts(&r, 0, 1, 1);
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM certificate_record WHERE number ="
                                   " 'ZS-2020-002' AND status = 'revoked' AND revoked_at"
                                   " IS NOT NULL AND source = '鉴定系统 2020-08'"),
                     1);
    ck_assert_int_eq(imports(), 3);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM audit WHERE action = 'certificate.import'"
                                   " AND after->>'changed' = '1' AND after->>'unchanged' = '1'"),
                     1);

    /* a claim on the first certificate meets its record */
    r = th_write(
        &d, "POST", "/v1/claims", worker, "claim-1",
        "{\"region\":\"330902\",\"submit\":true,\"claim\":{\"kind\":\"certificate_training\","
        "\"occupation\":\"6-18-02-04\",\"level\":\"level4\",\"certificate\":{\"kind\":"
        "\"qualification\",\"number\":\"ZS-2020-001\",\"issue_date\":\"2020-06-30\"},"
        "\"actual_cost_fen\":160000}}");
    ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
    long long claim = json_integer_value(json_object_get(r.json, "id"));
    th_reply_free(&r);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM claim_certificate_record WHERE claim_id = %lld"
             " AND status = 'valid' AND body_code = '" BODY_ZS "'",
             claim);
    ck_assert_int_eq(th_count(&pg, sql), 1);
}
END_TEST

START_TEST(csv_mixed_rows_all_named_nothing_written)
{
    long before = records(), audits = imports();
    char csv[2048], bad_id[19];
    snprintf(bad_id, sizeof bad_id, "%.17s0", id_a);
    if (strcmp(bad_id, id_a) == 0)
        bad_id[17] = '1';
    snprintf(csv, sizeof csv,
             BOM HEADER "%s,qualification,CSV-001,6-18-02-04,level4,2021-03-01," BODY_ZS ",valid\n"
                        "%s,qualification,CSV-002,6-18-02-04,level4,2021-03-01," BODY_ZS ",valid\n"
                        "%s,diploma,CSV-003,6-18-02-04,level9,2021-02-30," BODY_ZS ",lost\n"
                        "%s,qualification,CSV-004,9-99-99-99,,2021-03-01," BODY_NO ",valid\n"
                        "%s,qualification, csv-001,,,2021-03-01," BODY_ZS ",valid\n"
                        "%s,qualification,,,,,,\n",
             id_a, bad_id, id_b, id_b, id_b, id_b);
    struct th_reply r = import_csv("csv-bad", "source=csv-2021-03", csv);
    const char *fields[] = {
        "records[1].id_number",  "records[2].kind",      "records[2].level",
        "records[2].issue_date", "records[2].status",    "records[3].occupation",
        "records[3].body_code",  "records[4].number",    "records[5].number",
        "records[5].issue_date", "records[5].body_code", "records[5].status"};
    size_t nf = sizeof fields / sizeof fields[0];
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "errors")), nf);
    char *first = strdup(r.body);
    th_expect_fields(&r, 422, fields, nf);
    ck_assert_int_eq(records(), before);
    ck_assert_int_eq(imports(), audits);

    /* a preview says the same, without a key, and writes nothing */
    r = import_csv(NULL, "source=csv-2021-03&preview=true", csv);
    ck_assert_int_eq(r.status, 422);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "errors")), nf);
    th_reply_free(&r);
    free(first);

    /* the good rows alone: previewed (counted, nothing kept), then imported */
    snprintf(csv, sizeof csv,
             BOM HEADER "%s,qualification,CSV-001,6-18-02-04,level4,2021-03-01," BODY_ZS
                        ",valid\r\n"
                        "%s,safety,CSV-005,,,2021-03-02," BODY_ZS ",revoked\r\n",
             id_a, id_b);
    r = import_csv(NULL, "source=csv-2021-03&preview=true", csv);
    expect_counts(&r, 2, 0, 0);
    ck_assert(json_is_true(json_object_get(r.json, "dry_run")));
    th_reply_free(&r);
    ck_assert_int_eq(records(), before);
    ck_assert_int_eq(imports(), audits);
    r = import_csv("csv-good", "source=csv-2021-03", csv);
    expect_counts(&r, 2, 0, 0);
    th_reply_free(&r);
    ck_assert_int_eq(records(), before + 2);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM certificate_record WHERE number ="
                                   " 'CSV-005' AND status = 'revoked' AND occupation IS NULL"),
                     1);
    r = import_csv("csv-again", "source=csv-2021-03", csv);
    expect_counts(&r, 0, 0, 2);
    th_reply_free(&r);
    ck_assert_int_eq(imports(), audits + 2);
}
END_TEST

START_TEST(refusals)
{
    char body[2048];
    good_json(body, sizeof body, "x", false);
    struct th_reply r =
        th_write(&d, "POST", "/v1/admin/certificate-records", worker, "ci-forbidden", body);
    ck_assert_int_eq(r.status, 403);
    th_reply_free(&r);
    r = th_write(&d, "POST", "/v1/admin/certificate-records", admin, "ci-empty",
                 "{\"source\":\"\",\"records\":[]}");
    const char *empty[] = {"source", "records"};
    th_expect_fields(&r, 422, empty, 2);
    r = import_csv("csv-nosrc", "preview=maybe", HEADER);
    const char *query[] = {"source", "preview"};
    th_expect_fields(&r, 422, query, 2);
    r = th_write(&d, "POST", "/v1/admin/certificate-records", admin, "ci-extra",
                 "{\"source\":\"x\",\"records\":[{\"id_number\":\"x\",\"colour\":\"red\"}]}");
    ck_assert_int_ge(r.status, 400);
    ck_assert(th_problem_has_field(&r, "records[0].colour"));
    th_reply_free(&r);
}
END_TEST

START_TEST(subsidyctl_load)
{
    char path[300], csv[1024];
    snprintf(path, sizeof path, "%s/certificates.csv", pg.dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    snprintf(csv, sizeof csv,
             BOM HEADER "%s,qualification,CTL-001,6-18-02-04,level3,2022-01-10," BODY_ZS ",valid\n",
             id_a);
    fputs(csv, f);
    fclose(f);
    long before = records();
    const char *args[] = {"--token-key-file", pg.key_file, "certificates", "load", path, NULL};
    ck_assert_int_eq(th_subsidyctl(&pg, args, NULL), 0);
    ck_assert_int_eq(records(), before + 1);
    ck_assert_int_eq(th_subsidyctl(&pg, args, NULL), 0); /* again: nothing changes */
    ck_assert_int_eq(records(), before + 1);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM certificate_record r JOIN person p"
                                   " ON p.id_hash = r.id_hash WHERE r.number = 'CTL-001'"),
                     1);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM audit WHERE action ="
                                   " 'certificate.import' AND after->>'unchanged' = '1'"
                                   " AND object_id = 'certificates.csv'"),
                     1);
    /* a body not registered: refused, nothing written */
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    snprintf(csv, sizeof csv,
             HEADER "%s,qualification,CTL-002,6-18-02-04,level3,2022-01-10," BODY_NO ",valid\n",
             id_a);
    fputs(csv, f);
    fclose(f);
    ck_assert_int_eq(th_subsidyctl(&pg, args, NULL), 1);
    ck_assert_int_eq(records(), before + 1);
}
END_TEST

int main(void)
{
    th_start(&pg, &d, NULL);
    th_occupations(&pg);
    th_token(&pg, "admin", NULL, NULL, admin);
    th_resident_id(id_a, "330902", 1990, 21);
    th_resident_id(id_b, "330902", 1988, 22);
    th_token(&pg, "applicant", id_a, NULL, worker);
    struct th_reply r = th_write(&d, "PUT", "/v1/admin/evaluation-bodies/" BODY_ZS, admin, "body",
                                 "{\"name\":\"舟山市职业技能鉴定中心\",\"region\":\"330902\","
                                 "\"kind\":\"appraisal_centre\"}");
    bool ok = r.status == 201 && th_profile(&d, worker, id_a, "330902");
    th_reply_free(&r);
    if (!ok) {
        th_finish(&pg, &d);
        return 99;
    }
    Suite *s = suite_create("certificate_records");
    TCase *tc = tcase_create("certificate_records");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, json_import_reimport_and_revocation);
    tcase_add_test(tc, csv_mixed_rows_all_named_nothing_written);
    tcase_add_test(tc, refusals);
    tcase_add_test(tc, subsidyctl_load);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    return failed || th_finish(&pg, &d) != 0 ? 1 : 0;
}
