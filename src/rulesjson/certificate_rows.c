/* The records of a certificate import (certificate_rows.h). */
#include "certificate_rows.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claim_json.h"
#include "employment_rows.h"
#include "occupation.h"
#include "sr_ids.h"

static const char *const statuses[] = {"valid", "revoked", NULL};

void certificate_number_canonical(json_t *row)
{
    const char *n = json_string_value(json_object_get(row, "number"));
    if (!n)
        return;
    char buf[80];
    n += strspn(n, " \t");
    snprintf(buf, sizeof buf, "%s", n);
    size_t len = strlen(buf);
    while (len && (buf[len - 1] == ' ' || buf[len - 1] == '\t'))
        buf[--len] = '\0';
    for (char *p = buf; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    json_object_set_new(row, "number", json_string(buf));
}

static const char *member(const json_t *row, const char *key)
{
    return json_string_value(json_object_get(row, key));
}

/* Is (kind, number) of record i already in an earlier record? */
static bool repeated(const json_t *records, size_t i, const char *kind, const char *number)
{
    for (size_t k = 0; k < i; k++) {
        const json_t *o = json_array_get(records, k);
        if (!strcmp(kind, member(o, "kind") ?: "") && !strcmp(number, member(o, "number") ?: ""))
            return true;
    }
    return false;
}

bool certificate_rows_check(struct jerrors *e, json_t *records)
{
    size_t before = jerr_count(e), i;
    json_t *row;
    json_array_foreach(records, i, row)
    {
        char prefix[32], field[64];
        snprintf(prefix, sizeof prefix, "records[%zu]", i);
        certificate_number_canonical(row);
        occupation_canonical_member(row, "occupation");
        if (!strcmp(member(row, "level") ?: "", "none"))
            json_object_del(row, "level"); /* "no level", as a claim says it */
        const char *kind = NULL, *number = NULL;
        const struct jfield spec[] = {
            rows_text("id_number", &cj_resident_id_format, SR_ID_LEN, SR_ID_LEN, true, NULL),
            rows_text("kind", &cj_cert_kind_format, 1, 40, true, &kind),
            rows_text("number", &cj_code_format, 1, SR_CERT_NUMBER_LEN - 1, true, &number),
            rows_text("occupation", &occupation_format, 1, 16, false, NULL),
            rows_text("level", &cj_level_format, 1, 40, false, NULL),
            rows_text("issue_date", &cj_date_format, 10, 10, true, NULL),
            rows_text("body_code", &cj_credit_code_format, 18, 18, true, NULL),
            {.name = "status",
             .kind = JF_STRING,
             .required = true,
             .min = 1,
             .max = 8,
             .one_of = statuses},
        };
        jspec_object(e, prefix, row, spec, sizeof spec / sizeof spec[0]);
        if (kind && number && !strcmp(kind, "none")) {
            snprintf(field, sizeof field, "%s.kind", prefix);
            jerr_add(e, field, SD_E_FIELD_ENUM, "须为证书类别", "must name a kind of certificate");
        } else if (kind && number && repeated(records, i, kind, number)) {
            snprintf(field, sizeof field, "%s.number", prefix);
            jerr_add(e, field, SD_E_FIELD_CONFLICT, "同一证书类别与编号在文件中重复",
                     "repeats a kind and number given earlier in the file");
        }
    }
    return jerr_count(e) == before;
}

json_t *certificate_rows_hashed(const struct sd_pii_keys *keys, const json_t *records)
{
    json_t *out = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(records, i, row)
    {
        char hash[SD_PII_HASH_HEX];
        rows_id_hash(keys, member(row, "id_number"), hash);
        json_t *copy = json_deep_copy(row);
        json_object_del(copy, "id_number");
        json_object_set_new(copy, "id_hash", json_string(hash));
        json_array_append_new(out, copy);
    }
    return out;
}
