/* Employment records: the rows of an import, and what a claim takes from them (employment.h). */
#include "employment.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pii.h"

static const char *const insurance_kinds[] = {"pension", "medical",   "unemployment",
                                              "injury",  "maternity", NULL};

static bool insurance_kind_ok(const char *s)
{
    for (int i = 0; insurance_kinds[i]; i++)
        if (strcmp(s, insurance_kinds[i]) == 0)
            return true;
    return false;
}

static bool resident_id_ok(const char *s)
{
    return sr_resident_id_check(s, cj_today(), NULL) == SR_ID_OK;
}

/* The ID number as it is hashed: a final 'x' upper-cased. */
static void id_canonical(const char *id, char out[SR_ID_LEN + 1])
{
    snprintf(out, SR_ID_LEN + 1, "%s", id);
    if (out[17] == 'x')
        out[17] = 'X';
}

void employment_rows_from_csv(json_t *records)
{
    size_t i;
    json_t *row;
    json_array_foreach(records, i, row)
    {
        const char *key;
        json_t *v;
        void *tmp;
        json_object_foreach_safe(row, tmp, key, v)
        {
            if (!json_string_length(v))
                json_object_del(row, key);
        }
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
            {.name = "id_number",
             .kind = JF_STRING,
             .required = true,
             .min = SR_ID_LEN,
             .max = SR_ID_LEN,
             .valid = resident_id_ok,
             .out = &id},
            {.name = "credit_code",
             .kind = JF_STRING,
             .required = true,
             .min = 18,
             .max = 18,
             .valid = credit_code_ok,
             .out = &code},
            {.name = "insured_from",
             .kind = JF_STRING,
             .required = true,
             .min = 10,
             .max = 10,
             .valid = date_text_ok,
             .out = &from},
            {.name = "insured_to",
             .kind = JF_STRING,
             .min = 10,
             .max = 10,
             .valid = date_text_ok,
             .out = &to},
            {.name = "kinds",
             .kind = JF_STRING_LIST,
             .min = 0,
             .max = 5,
             .valid = insurance_kind_ok,
             .enum_like = true},
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

json_t *employment_rows_hashed(const json_t *records)
{
    json_t *out = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(records, i, row)
    {
        char id[SR_ID_LEN + 1], hash[SD_PII_HASH_HEX];
        id_canonical(json_string_value(json_object_get(row, "id_number")), id);
        sd_pii_id_hash(&pii_keys, id, hash);
        json_t *kinds = json_object_get(row, "kinds");
        json_array_append_new(out, json_pack("{s:s, s:O, s:O, s:O?, s:o}", "id_hash", hash,
                                             "credit_code", json_object_get(row, "credit_code"),
                                             "insured_from", json_object_get(row, "insured_from"),
                                             "insured_to", json_object_get(row, "insured_to"),
                                             "kinds", kinds ? json_incref(kinds) : json_array()));
    }
    return out;
}

/* ---- what a claim takes from the records ---- */

static bool in_list(const json_t *list, const char *code)
{
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v)
    {
        if (strcmp(json_string_value(v) ?: "", code) == 0)
            return true;
    }
    return false;
}

bool employment_apply(struct req *r, const char *owner_role, const char *named,
                      const char *event_date, const char *employment_json, struct cj_request *cr,
                      struct employment_used *used)
{
    memset(used, 0, sizeof *used);
    if (!event_date || !event_date[0])
        return true; /* nothing to look up on: the rules already refuse the claim for it */
    used->looked_up = true;
    json_t *k = json_loads(employment_json, 0, NULL);
    const json_t *employers = json_object_get(k, "employers");
    const char *code = json_string_value(json_object_get(k, "credit_code"));
    const char *from = json_string_value(json_object_get(k, "insured_from"));
    used->ui_months = (int)json_integer_value(json_object_get(k, "ui_months"));
    if (strcmp(owner_role, "enterprise") == 0 && !in_list(employers, named)) {
        char zh[160], en[160];
        snprintf(zh, sizeof zh, "参保记录中该人员在 %s 未在本企业参保", event_date);
        snprintf(en, sizeof en,
                 "the employment records do not show this person insured with the enterprise "
                 "on %s",
                 event_date);
        req_field_error(r, "employee", SD_E_FIELD_CONFLICT, zh, en);
        reply_field_errors(r, SD_E_NOT_INSURED_WITH_ENTERPRISE);
        json_decref(k);
        return false;
    }
    used->named_contradicted = named && !in_list(employers, named);
    struct sr_employer *em = &cr->employer;
    memset(em, 0, sizeof *em);
    em->trade_friction_from = em->trade_friction_to = em->hire_date = SR_NO_DATE;
    cr->has_employer = code != NULL;
    if (code) {
        snprintf(em->credit_code, sizeof em->credit_code, "%s", code);
        snprintf(used->credit_code, sizeof used->credit_code, "%s", code);
        snprintf(used->insured_from, sizeof used->insured_from, "%s", from ? from : "");
        em->ui_months = used->ui_months;
        if (from)
            sr_day_parse(from, &em->hire_date);
    }
    json_decref(k);
    return true;
}

void employment_problems(const struct employment_used *used, struct sr_result *res)
{
    if (!used->named_contradicted)
        return;
    if (res->problem_count == SR_MAX_PROBLEMS) {
        res->problems_truncated = true;
        res->problem_count--;
    }
    res->problems[res->problem_count++] = (struct sr_problem){
        .code = SR_P_COUNT, /* not the rule module's: the records' */
        .code_name = "employer_not_in_records",
        .field = "employer.credit_code",
        .section = "参保记录",
        .message_zh = "参保记录中该人员在事件日期未在这一企业参保，不能据此认定雇主",
        .message_en = "the employment records do not show the person insured with this "
                      "enterprise on the event date, so it is not taken as the employer"};
    res->eligible = false;
    res->amount_fen = 0;
}

void employment_trace(const struct employment_used *used, json_t *decision)
{
    json_t *trace = json_object_get(decision, "trace");
    if (!used->looked_up || !json_is_object(trace))
        return;
    json_object_set_new(trace, "employment",
                        json_pack("{s:s, s:s?, s:s?, s:i}", "basis", "employment_records",
                                  "credit_code", used->credit_code[0] ? used->credit_code : NULL,
                                  "insured_from", used->insured_from[0] ? used->insured_from : NULL,
                                  "ui_months", used->ui_months));
}
