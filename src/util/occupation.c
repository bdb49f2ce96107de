#include "occupation.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sr_ids.h"

static bool occupation_ok(const char *s)
{
    char out[SR_OCCUPATION_CODE_LEN];
    return sr_occupation_canonical(s, out);
}

const struct jformat occupation_format = {
    .ok = occupation_ok,
    .zh = "国家职业分类大典的职业编码 N-NN-NN-NN（大类 1-8，如 6-18-02-04；6-18-2-4 亦可）",
    .en = "an occupation code of the national classification as N-NN-NN-NN (major group 1-8, "
          "e.g. 6-18-02-04; 6-18-2-4 is read the same)"};

void occupation_canonical_member(json_t *obj, const char *field)
{
    char out[SR_OCCUPATION_CODE_LEN];
    if (sr_occupation_canonical(json_string_value(json_object_get(obj, field)), out))
        json_object_set_new(obj, field, json_string(out));
}

bool occupation_rows_check(struct jerrors *e, const char *prefix, json_t *rows)
{
    size_t before = jerr_count(e), i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        char at[48];
        snprintf(at, sizeof at, "%s[%zu]", prefix, i);
        occupation_canonical_member(row, "code");
        const char *code = NULL;
        const struct jfield spec[] = {
            {.name = "code",
             .kind = JF_STRING,
             .required = true,
             .min = 1,
             .max = 31,
             .format = &occupation_format,
             .out = &code},
            {.name = "name", .kind = JF_STRING, .required = true, .min = 1, .max = 100},
        };
        if (!jspec_object(e, at, row, spec, sizeof spec / sizeof spec[0]) || !code)
            continue;
        for (size_t k = 0; k < i; k++)
            if (!strcmp(code, json_string_value(json_object_get(json_array_get(rows, k), "code"))
                                  ?: "")) {
                char field[64];
                snprintf(field, sizeof field, "%s.code", at);
                jerr_add(e, field, SD_E_FIELD_CONFLICT, "与前面一行的职业编码重复",
                         "repeats the code of an earlier row");
                break;
            }
    }
    return jerr_count(e) == before;
}

char *occupation_codes_csv(const json_t *rows, const char *field)
{
    size_t n = json_array_size(rows), len = 0;
    char *csv = malloc(n * SR_OCCUPATION_CODE_LEN + 1);
    if (!csv)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        char code[SR_OCCUPATION_CODE_LEN];
        sr_occupation_canonical(json_string_value(json_object_get(json_array_get(rows, i), field)),
                                code);
        len += (size_t)sprintf(csv + len, "%s%s", i ? "," : "", code);
    }
    csv[len] = '\0';
    return csv;
}

void occupation_unknown_add(struct jerrors *e, const char *prefix, size_t index, const char *field)
{
    char name[64];
    if (prefix)
        snprintf(name, sizeof name, "%s[%zu].%s", prefix, index, field);
    else
        snprintf(name, sizeof name, "%s", field);
    jerr_add(e, name, SD_E_FIELD_REFERENCE,
             "不在职业参考目录中（管理员导入的国家职业分类大典职业）",
             "is not in the reference list of occupations (the national classification's "
             "occupations an admin loads)");
}
