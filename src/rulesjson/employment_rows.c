/* The records of an employment import (employment_rows.h). */
#include "employment_rows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claim_json.h"
#include "csv.h"
#include "sr_calendar.h"
#include "sr_ids.h"

static const char *const insurance_kinds[] = {"pension", "medical",   "unemployment",
                                              "injury",  "maternity", NULL};

static bool insurance_kind_ok(const char *s)
{
    for (int i = 0; insurance_kinds[i]; i++)
        if (strcmp(s, insurance_kinds[i]) == 0)
            return true;
    return false;
}

static void insurance_kind_list(char *buf, size_t len)
{
    buf[0] = '\0';
    for (int i = 0; insurance_kinds[i]; i++)
        snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", i ? ", " : "", insurance_kinds[i]);
}

static const struct jformat insurance_kind_format = {.ok = insurance_kind_ok,
                                                     .values = insurance_kind_list};

/* The ID number as it is hashed: a final 'x' upper-cased. */
static void id_canonical(const char *id, char out[SR_ID_LEN + 1])
{
    snprintf(out, SR_ID_LEN + 1, "%s", id);
    if (out[17] == 'x')
        out[17] = 'X';
}

void rows_id_hash(const struct sd_pii_keys *keys, const char *id, char hash[SD_PII_HASH_HEX])
{
    char canonical[SR_ID_LEN + 1];
    id_canonical(id, canonical);
    sd_pii_id_hash(keys, canonical, hash);
}

void employment_rows_from_csv(json_t *records)
{
    csv_drop_empty(records);
    size_t i;
    json_t *row;
    json_array_foreach(records, i, row)
    {
        const char *kinds = json_string_value(json_object_get(row, "kinds"));
        if (!kinds)
            continue;
        json_t *list = json_array();
        char *copy = strdup(kinds), *save = NULL;
        for (char *k = copy ? strtok_r(copy, ";|", &save) : NULL; k;
             k = strtok_r(NULL, ";|", &save)) {
            k += strspn(k, " ");
            k[strcspn(k, " ")] = '\0';
            if (*k)
                json_array_append_new(list, json_string(k));
        }
        free(copy);
        json_object_set_new(row, "kinds", list);
    }
}

struct jfield rows_text(const char *name, const struct jformat *format, long long min,
                        long long max, bool required, const char **out)
{
    return (struct jfield){.name = name,
                           .kind = JF_STRING,
                           .required = required,
                           .min = min,
                           .max = max,
                           .format = format,
                           .out = out};
}

bool employment_rows_check(struct jerrors *e, const json_t *records)
{
    size_t before = jerr_count(e), i;
    json_t *row;
    json_array_foreach(records, i, row)
    {
        char prefix[32], field[64];
        snprintf(prefix, sizeof prefix, "records[%zu]", i);
        const char *id = NULL, *code = NULL, *from = NULL, *to = NULL;
        const struct jfield spec[] = {
            rows_text("id_number", &cj_resident_id_format, SR_ID_LEN, SR_ID_LEN, true, &id),
            rows_text("credit_code", &cj_credit_code_format, 18, 18, true, &code),
            rows_text("insured_from", &cj_date_format, 10, 10, true, &from),
            rows_text("insured_to", &cj_date_format, 10, 10, false, &to),
            {.name = "kinds",
             .kind = JF_STRING_LIST,
             .min = 0,
             .max = 5,
             .format = &insurance_kind_format},
        };
        bool ok = jspec_object(e, prefix, row, spec, sizeof spec / sizeof spec[0]);
        if (to && from && strcmp(to, from) < 0) {
            snprintf(field, sizeof field, "%s.insured_to", prefix);
            jerr_add(e, field, SD_E_FIELD_CONFLICT, "不能早于 insured_from",
                     "must not be before insured_from");
        }
        if (!ok || !id || !code || !from)
            continue;
        char mine[SR_ID_LEN + 1], theirs[SR_ID_LEN + 1];
        id_canonical(id, mine);
        for (size_t k = 0; k < i; k++) {
            const json_t *o = json_array_get(records, k);
            const char *oid = json_string_value(json_object_get(o, "id_number"));
            if (!oid || strlen(oid) != SR_ID_LEN)
                continue;
            id_canonical(oid, theirs);
            if (!strcmp(mine, theirs) &&
                !strcmp(code, json_string_value(json_object_get(o, "credit_code")) ?: "") &&
                !strcmp(from, json_string_value(json_object_get(o, "insured_from")) ?: "")) {
                snprintf(field, sizeof field, "%s.insured_from", prefix);
                jerr_add(e, field, SD_E_FIELD_CONFLICT, "同一人员、企业与参保起始日期重复",
                         "repeats a person, enterprise and insured_from");
                break;
            }
        }
    }
    return jerr_count(e) == before;
}

json_t *employment_rows_hashed(const struct sd_pii_keys *keys, const json_t *records)
{
    json_t *out = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(records, i, row)
    {
        char hash[SD_PII_HASH_HEX];
        rows_id_hash(keys, json_string_value(json_object_get(row, "id_number")), hash);
        json_t *kinds = json_object_get(row, "kinds");
        json_array_append_new(out, json_pack("{s:s, s:O, s:O, s:O?, s:o}", "id_hash", hash,
                                             "credit_code", json_object_get(row, "credit_code"),
                                             "insured_from", json_object_get(row, "insured_from"),
                                             "insured_to", json_object_get(row, "insured_to"),
                                             "kinds", kinds ? json_incref(kinds) : json_array()));
    }
    return out;
}
