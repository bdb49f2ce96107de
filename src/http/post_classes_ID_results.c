/* POST /v1/classes/{id}/results: the class's institution records the assessment results
 * (考核鉴定 / 等级认定) of a completed class — per trainee who passed completion the
 * certificate's kind, number, level, issue date and issuing evaluation body — as JSON
 * ({"results": [{id_number, kind, number, level, issue_date, body_code}]}) or as the CSV sheet
 * (text/csv, those headers or 身份证号,证书类别,证书编号,等级,发证日期,评价机构代码).  Every bad
 * row and field by row number, nothing written when anything is wrong; ?preview=true answers
 * the same without writing.  The reply is the upload's acceptance receipt (受理回执), as JSON
 * or with Accept: text/html a printable page (receipt_page.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certificate_rows.h"
#include "claim_json.h"
#include "class_attendance_http.h"
#include "receipt_page.h"

#define ROWS_MAX 1000 /* the largest capacity of a class (sql/0021_classes.sql) */

static const char *id_at(const void *rows, int j)
{
    return ((const struct class_certificate *)rows)[j].id_number;
}

/* Name field when kind and number are those of one of the n rows before. */
static void same_certificate_check(struct req *r, const char *field,
                                   const struct class_certificate *rows, int n)
{
    const struct class_certificate *t = &rows[n];
    for (int j = 0; t->kind && t->number && j < n; j++)
        if (rows[j].kind && rows[j].number && strcmp(rows[j].kind, t->kind) == 0 &&
            strcmp(rows[j].number, t->number) == 0) {
            char zh[64], en[64];
            snprintf(zh, sizeof zh, "与第 %d 行的证书类别与编号相同", j + 1);
            snprintf(en, sizeof en, "the same certificate as row %d", j + 1);
            req_field_error(r, field, SD_E_CERTIFICATE_ALREADY_USED, zh, en);
            return;
        }
}

static void check_row(struct req *r, json_t *row, int n, int32_t today,
                      struct class_certificate *rows)
{
    struct class_certificate *t = &rows[n - 1];
    char prefix[32], field[64];
    snprintf(prefix, sizeof prefix, "results[%d]", n);
    if (json_is_string(json_object_get(row, "number")))
        certificate_number_canonical(row);
    const struct jfield spec[] = {
        class_id_number_field(&t->id_number),
        {.name = "kind",
         .kind = JF_STRING,
         .required = true,
         .min = 1,
         .max = 40,
         .format = &cj_cert_kind_format,
         .out = &t->kind},
        {.name = "number",
         .kind = JF_STRING,
         .required = true,
         .min = 1,
         .max = SR_CERT_NUMBER_LEN - 1,
         .format = &cj_code_format,
         .out = &t->number},
        {.name = "level",
         .kind = JF_STRING,
         .required = true,
         .min = 1,
         .max = 40,
         .format = &cj_level_format,
         .out = &t->level},
        jfield_date("issue_date", &t->issue_date, true),
        {.name = "body_code",
         .kind = JF_STRING,
         .required = true,
         .min = 18,
         .max = 18,
         .format = &cj_credit_code_format,
         .out = &t->body},
    };
    t->row = n;
    jspec_object(&r->errors, prefix, row, spec, sizeof spec / sizeof spec[0]);
    snprintf(field, sizeof field, "%s.id_number", prefix);
    class_id_number_check(r, field, t->id_number, today);
    class_same_person_check(r, field, t->id_number, n - 1, id_at, rows);
    snprintf(field, sizeof field, "%s.kind", prefix);
    if (t->kind && strcmp(t->kind, "none") == 0)
        req_field_error(r, field, SD_E_FIELD_ENUM, "须为证书类别",
                        "must name a kind of certificate");
    snprintf(field, sizeof field, "%s.level", prefix);
    if (t->level && strcmp(t->level, "none") == 0)
        req_field_error(r, field, SD_E_FIELD_ENUM, "须为证书等级", "must name a level");
    snprintf(field, sizeof field, "%s.number", prefix);
    same_certificate_check(r, field, rows, n - 1);
    int32_t issued;
    snprintf(field, sizeof field, "%s.issue_date", prefix);
    if (t->issue_date && sr_day_parse(t->issue_date, &issued) && issued > today)
        req_field_error(r, field, SD_E_FIELD_RANGE, "发证日期晚于今天", "after today");
}

/* A CSV row's Chinese headers as the JSON names. */
static void csv_names(json_t *row)
{
    static const char *const names[][2] = {
        {"身份证号", "id_number"},
        {"身份证号码", "id_number"},
        {"证书类别", "kind"},
        {"证书编号", "number"},
        {"等级", "level"},
        {"发证日期", "issue_date"},
        {"评价机构代码", "body_code"},
        {"评价机构统一社会信用代码", "body_code"},
    };
    class_csv_rename(row, names, sizeof names / sizeof names[0]);
}

static void check_one(struct req *r, json_t *row, int n, void *out, void *cls)
{
    check_row(r, row, n, *(const int32_t *)cls, out);
}

static void check_rows(struct req *r, json_t *rows, int32_t today, struct class_results_in *in)
{
    size_t n = json_array_size(rows);
    if (n == 0 && jerr_count(&r->errors) == 0) {
        req_field_error(r, "results", SD_E_FIELD_REQUIRED, "至少 1 行", "at least one row");
        return;
    }
    in->rows = class_rows_each(r, "results", rows, ROWS_MAX, sizeof *in->rows, check_one, &today);
    in->n = in->rows ? n : 0;
}

static char *receipt_html(const json_t *k, size_t *len)
{
    static const struct receipt_line lines[] = {
        {"职业 Occupation", "occupation"},
        {"等级 Level", "level"},
        {"项目 Project", "project_name"},
        {"受理时间 Received at", "received_at"},
        {"收到考核鉴定结果 Results received", "received.results"},
        {"待核查（评价机构暂停或列入黑榜）Held for review", "received.held"},
        {"当前状态 State", "state"},
        {"下一步 Next step", "next_step"},
        {"办理时限 Deadline", "deadline"},
    };
    return receipt_page(k, "考核鉴定结果受理回执", lines, sizeof lines / sizeof lines[0], len);
}

void post_classes_ID_results(struct req *r)
{
    struct call call = req_call(r, flow_class_results);
    struct class_results_in in = {0};
    call.args.in.results = &in;
    if (!call_path_id(r, &call))
        return;
    bool preview = false;
    if (!class_preview_query(r, &preview))
        return;
    json_t *rows = class_upload_rows(r, "results", ROWS_MAX, csv_names);
    check_rows(r, rows, call.caller.today, &in);
    r->page = receipt_html;
    if (jerr_count(&r->errors) > 0)
        reply_field_errors(r, SD_E_RESULTS_INVALID);
    else if (req_db(r))
        (preview ? call_dry_run : call_keyed)(r, &call);
    free(in.rows);
    json_decref(rows);
}
