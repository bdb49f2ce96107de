/* Small helpers shared by handlers. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claim_json.h"
#include "csv.h"
#include "handlers.h"
#include "ops.h"
#include "sr_ids.h"

bool param_id(const char *text, long long *id)
{
    if (!text[0] || text[0] == '0' || strspn(text, "0123456789") != strlen(text))
        return false;
    errno = 0;
    long long v = strtoll(text, NULL, 10);
    if (errno)
        return false;
    *id = v;
    return true;
}

bool req_path_id(struct req *r, long long *id)
{
    if (param_id(r->params[0], id))
        return true;
    reply_problem(r, SD_E_NOT_FOUND, NULL);
    return false;
}

json_t *csv_to_json(const char *csv)
{
    json_t *a = json_array();
    while (*csv) {
        size_t n = strcspn(csv, ",");
        json_array_append_new(a, json_stringn(csv, n));
        csv += n;
        if (*csv == ',')
            csv++;
    }
    return a;
}

bool credit_code_ok(const char *s)
{
    return sr_credit_code_check(s) == SR_ID_OK;
}

bool region_code_ok(const char *s)
{
    return sr_region_code_form(s) != SR_REGION_INVALID;
}

bool policy_id_ok(const char *s)
{
    return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(s);
}

bool date_text_ok(const char *s)
{
    int32_t d;
    return sr_day_parse(s, &d);
}

const struct jformat region_code_format = {
    .ok = region_code_ok,
    .zh = "区域代码：GB/T 2260 的 6 位数字（如 330902）或功能区代码（如 3309A1）",
    .en = "a region code: 6 digits of GB/T 2260 (e.g. 330902) or a functional zone (e.g. 3309A1)"};
const struct jformat policy_id_format = {
    .ok = policy_id_ok,
    .zh = "政策编号：小写字母、数字和 -（如 zhoushan-2019）",
    .en = "a policy id of lower-case letters, digits and - (e.g. zhoushan-2019)"};

/* The codes of csv that are not known regions (a JSON array; NULL with *rc set on failure). */
static json_t *unknown_regions(struct db_conn *db, const char *csv, enum db_rc *rc)
{
    json_t *missing = NULL;
    *rc = db_region_missing(db, csv, &missing);
    return missing;
}

enum db_rc check_region_exists(struct req *r, struct db_conn *db, const char *field,
                               const char *code)
{
    enum db_rc rc;
    json_t *missing = unknown_regions(db, code, &rc);
    for (size_t k = 0; k < json_array_size(missing); k++)
        req_field_error(r, field, SD_E_FIELD_REFERENCE, "无此区域代码", "no such region");
    json_decref(missing);
    return rc;
}

bool subject_ok(const char *s)
{
    return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.") ==
           strlen(s);
}

const struct jformat subject_format = {.ok = subject_ok,
                                       .zh = "由字母、数字和 . _ - 组成的标识",
                                       .en = "an identifier of letters, digits and . _ -"};

bool applicant_subject(struct req *r, const char *field, const char *id_number,
                       char subject[SD_SUBJECT_LEN + 1], char masked[19])
{
    char id[SR_ID_LEN + 1];
    sd_pii_subject(&pii_keys, id_number, id, subject, masked);
    if (strlen(id_number) == SR_ID_LEN && sr_resident_id_check(id, cj_today(), NULL) == SR_ID_OK)
        return true;
    req_field_error(r, field, SD_E_FIELD_FORMAT, "须为本人有效的公民身份号码",
                    "must be the person's valid resident ID number");
    return false;
}

/* Every region must exist; each unknown one is named. */
enum db_rc check_regions_exist(struct req *r, struct db_conn *db, const json_t *regions, char *csv,
                               size_t csvlen)
{
    size_t i;
    json_t *v;
    csv[0] = '\0';
    json_array_foreach(regions, i, v)
    {
        size_t used = strlen(csv);
        snprintf(csv + used, csvlen - used, "%s%s", i ? "," : "", json_string_value(v));
    }
    enum db_rc rc;
    json_t *missing = unknown_regions(db, csv, &rc), *code;
    size_t k;
    json_array_foreach(missing, k, code)
    {
        json_array_foreach(regions, i, v)
        {
            if (strcmp(json_string_value(v), json_string_value(code)) != 0)
                continue;
            char field[32];
            snprintf(field, sizeof field, "regions[%zu]", i);
            req_field_error(r, field, SD_E_FIELD_REFERENCE, "无此区域代码", "no such region");
            break;
        }
    }
    json_decref(missing);
    return rc;
}

void region_fields_csv(const char *const *codes, size_t n, char *csv, size_t len)
{
    csv[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        size_t used = strlen(csv);
        if (codes[i])
            snprintf(csv + used, len - used, "%s%s", used ? "," : "", codes[i]);
    }
}

void region_fields_errors(struct req *r, const char *const *fields, const char *const *codes,
                          size_t n, const json_t *missing)
{
    size_t k;
    json_t *code;
    json_array_foreach(missing, k, code)
    {
        for (size_t i = 0; i < n; i++)
            if (codes[i] && strcmp(codes[i], json_string_value(code)) == 0)
                req_field_error(r, fields[i], SD_E_FIELD_REFERENCE, "无此区域代码",
                                "no such region");
    }
}

enum db_rc check_region_fields(struct req *r, struct db_conn *db, const char *const *fields,
                               const char *const *codes, size_t n)
{
    char csv[512];
    region_fields_csv(codes, n, csv, sizeof csv);
    if (!csv[0])
        return DB_OK;
    enum db_rc rc;
    json_t *missing = unknown_regions(db, csv, &rc);
    region_fields_errors(r, fields, codes, n, missing);
    json_decref(missing);
    return rc;
}

void reply_list(struct req *r, struct db_page *page)
{
    reply_json(r, 200,
               json_pack("{s:o, s:o}", "items", page->items, "next_after", page->next_after));
    page->items = page->next_after = NULL;
}

enum db_rc req_audit(struct req *r, struct db_conn *c, const char *action, const char *kind,
                     const char *id, const char *before, const char *after)
{
    struct db_audit_row a = {.actor = r->who.token_id,
                             .action = action,
                             .object_kind = kind,
                             .object_id = id,
                             .before = before,
                             .after = after,
                             .request_id = r->id};
    return db_audit(c, &a);
}

static json_t *rows_of(struct req *r, const char *rows_name, long long max_rows,
                       const char **source, bool *preview)
{
    static const char *const tf[] = {"true", "false", NULL};
    const char *flag = NULL;
    const json_t *rows = NULL;
    const struct jfield spec[] = {
        jfield_source(source),
        {.name = rows_name,
         .kind = JF_OBJECT_LIST,
         .required = true,
         .min = 1,
         .max = max_rows,
         .out = &rows},
    };
    const struct jfield query[] = {
        jfield_source(source),
        {.name = "preview", .kind = JF_STRING, .min = 4, .max = 5, .one_of = tf, .out = &flag},
    };
    json_t *out;
    if (!r->csv) {
        if (preview)
            jspec_query(r, query + 1, 1);
        jspec_body(r, r->json, spec, sizeof spec / sizeof spec[0]);
        out = json_deep_copy(rows); /* the checks rewrite rows in place (canonical codes) */
    } else {
        jspec_query(r, query, preview ? 2 : 1); /* the source; the rows are the body */
        out = csv_rows(r->body, &r->errors, (size_t)max_rows);
        if (json_array_size(out) == 0 && jerr_count(&r->errors) == 0)
            req_field_error(r, rows_name, SD_E_FIELD_LENGTH, "至少一行", "at least one row");
    }
    if (preview)
        *preview = flag && strcmp(flag, "true") == 0;
    return out;
}

json_t *upload_rows(struct req *r, const char *rows_name, long long max_rows, const char **source)
{
    return rows_of(r, rows_name, max_rows, source, NULL);
}

json_t *upload_rows_preview(struct req *r, const char *rows_name, long long max_rows,
                            const char **source, bool *preview)
{
    return rows_of(r, rows_name, max_rows, source, preview);
}
