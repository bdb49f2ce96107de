/* What a claim takes from the employment records (employment.h). */
#include "employment.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

void employment_apply(struct jerrors *e, const char *owner_role, const char *named,
                      const char *event_date, const char *employment_json, struct cj_request *cr,
                      struct employment_used *used)
{
    memset(used, 0, sizeof *used);
    if (!event_date || !event_date[0] || !cr->has_person)
        return; /* nothing to look up on: the date or the person is already a problem */
    used->looked_up = true;
    json_t *k = json_loads(employment_json, 0, NULL);
    const json_t *employers = json_object_get(k, "employers");
    const char *code = json_string_value(json_object_get(k, "credit_code"));
    const char *from = json_string_value(json_object_get(k, "insured_from"));
    used->ui_months = (int)json_integer_value(json_object_get(k, "ui_months"));
    if (strcmp(owner_role, "enterprise") == 0 && (!named || !in_list(employers, named))) {
        char zh[160], en[160];
        snprintf(zh, sizeof zh, "参保记录中该人员在 %s 未在本企业参保", event_date);
        snprintf(en, sizeof en,
                 "the employment records do not show this person insured with the enterprise "
                 "on %s",
                 event_date);
        jerr_add(e, "employee", SD_E_FIELD_CONFLICT, zh, en);
        used->not_insured = true;
    }
    used->named_contradicted = !used->not_insured && named && !in_list(employers, named);
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
}

void employment_problems(const struct employment_used *used, struct sr_result *res)
{
    if (!used->named_contradicted)
        return;
    flow_problem_add(res, SR_P_EMPLOYER_NOT_IN_RECORDS, "employer.credit_code");
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
