#include "claim_json.h"
#include "person_json.h"

#include "occupation.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- format checks used by the field tables ---- */

static bool date_ok(const char *s)
{
    int32_t d;
    return sr_day_parse(s, &d);
}

static bool region_ok(const char *s)
{
    return sr_region_code_form(s) == SR_REGION_GB2260;
}

static bool code_ok(const char *s)
{
    return strspn(s, "0123456789-ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_.") ==
           strlen(s);
}

const struct jformat cj_date_format = {
    .ok = date_ok, .zh = " YYYY-MM-DD 格式的有效日期", .en = "a valid date as YYYY-MM-DD"};

static bool credit_code_ok(const char *s)
{
    return sr_credit_code_check(s) == SR_ID_OK;
}
const struct jformat cj_credit_code_format = {
    .ok = credit_code_ok,
    .zh = " 18 位统一社会信用代码（GB 32100，校验码正确）",
    .en = "an 18-character unified social credit code (GB 32100) with a correct check character"};

static bool resident_id_ok(const char *s)
{
    return sr_resident_id_check(s, cj_today(), NULL) == SR_ID_OK;
}
const struct jformat cj_resident_id_format = {
    .ok = resident_id_ok,
    .zh = " 18 位公民身份号码（GB 11643，校验码与出生日期正确）",
    .en =
        "an 18-character resident ID number (GB 11643) with a correct check digit and birth date"};

static const struct jformat region_format = {
    .ok = region_ok,
    .zh = " 6 位数字的行政区划代码（GB/T 2260，如 330902）",
    .en = "a 6-digit region code (GB/T 2260, e.g. 330902)"};
const struct jformat cj_code_format = {.ok = code_ok,
                                       .zh = "由字母、数字和 - _ . 组成的代码",
                                       .en = "a code of letters, digits and - _ ."};

/* A field format of a vocabulary of the rule module: fmt with linkage (static or none). */
#define ENUM_FORMAT_AS(linkage, name, fmt, type, parse, list)                                      \
    static bool name##_ok(const char *s)                                                           \
    {                                                                                              \
        type v;                                                                                    \
        return parse(s, &v);                                                                       \
    }                                                                                              \
    linkage const struct jformat fmt = {.ok = name##_ok, .values = list};
#define ENUM_FORMAT(name, type, parse, list)                                                       \
    ENUM_FORMAT_AS(static, name, name##_format, type, parse, list)
ENUM_FORMAT_AS(, level, cj_level_format, enum sr_level, sr_level_parse, sr_level_list)
ENUM_FORMAT_AS(, cert_kind, cj_cert_kind_format, enum sr_cert_kind, sr_cert_kind_parse,
               sr_cert_kind_list)
ENUM_FORMAT(kind, enum sr_kind, sr_kind_parse, sr_kind_list)
ENUM_FORMAT(variant, enum sr_variant, sr_variant_parse, sr_variant_list)
ENUM_FORMAT(payee, enum sr_payee, sr_payee_parse, sr_payee_list)
ENUM_FORMAT(issuer, enum sr_issuer, sr_issuer_parse, sr_issuer_list)
ENUM_FORMAT(state, enum sr_claim_state, sr_claim_state_parse, sr_claim_state_list)

static int32_t day_of(const char *s)
{
    int32_t d = SR_NO_DATE;
    if (s)
        sr_day_parse(s, &d);
    return d;
}

static void copy(char *dst, size_t len, const char *src)
{
    snprintf(dst, len, "%s", src ? src : "");
}

/* The stored spelling of an occupation already checked by its format ("" when none). */
static void canonical_occupation(char dst[SR_OCCUPATION_LEN], const char *src)
{
    char code[SR_OCCUPATION_CODE_LEN];
    copy(dst, SR_OCCUPATION_LEN, sr_occupation_canonical(src, code) ? code : "");
}

#define NF(spec)   (sizeof(spec) / sizeof((spec)[0]))
#define MONEY      .kind = JF_INT, .min = 0, .max = SR_MONEY_MAX
#define DATE       .kind = JF_STRING, .min = 10, .max = 10, .format = &cj_date_format
#define REGION     .kind = JF_STRING, .min = 6, .max = 6, .format = &region_format
#define ENUM(name) .kind = JF_STRING, .min = 1, .max = 40, .format = &name##_format

/* ---- the parts of a request ---- */

static void parse_catalog(struct jerrors *e, const json_t *obj, struct sr_catalog_entry *c)
{
    const char *occupation = NULL, *level = NULL;
    long long year = 0, standard = 0, uplift = 0;
    bool shortage = false;
    const struct jfield spec[] = {
        /* an entry for a year only (a living standard, say) has no occupation or level */
        {.name = "occupation",
         .kind = JF_STRING,
         .min = 1,
         .max = SR_OCCUPATION_LEN - 1,
         .format = &occupation_format,
         .out = &occupation},
        {.name = "level", ENUM(cj_level), .out = &level},
        {.name = "year", .kind = JF_INT, .required = true, .min = 2000, .max = 2100, .out = &year},
        {.name = "standard_fen", MONEY, .required = true, .out = &standard},
        {.name = "shortage", .kind = JF_BOOL, .out = &shortage},
        {.name = "shortage_uplift_fen", MONEY, .out = &uplift},
    };
    jspec_object(e, "catalog", obj, spec, NF(spec));
    canonical_occupation(c->occupation, occupation);
    if (level)
        sr_level_parse(level, &c->level);
    c->year = (int)year;
    c->standard_fen = standard;
    c->shortage = shortage;
    c->shortage_uplift_fen = uplift;
}

static void parse_person(struct jerrors *e, const json_t *obj, int32_t today, struct sr_person *p)
{
    struct cj_person_in in;
    cj_person_parse(e, "person", obj, today, CJ_PERSON_RULES, &region_format, &in);
    copy(p->id_number, sizeof p->id_number, in.id_number);
    int32_t *regions[CJ_PERSON_REGIONS] = {&p->hukou_region, &p->residence_region,
                                           &p->employment_region, &p->unemployment_region,
                                           &p->training_region};
    for (int i = 0; i < CJ_PERSON_REGIONS; i++)
        *regions[i] = in.regions[i] ? atoi(in.regions[i]) : 0;
    p->groups = in.group_bits;
    p->past_retirement_age = in.past_retirement_age;
}

static void parse_employer(struct jerrors *e, const json_t *obj, struct sr_employer *m)
{
    const char *code = NULL, *from = NULL, *to = NULL, *hired = NULL;
    bool listed = false;
    long long ui = 0;
    const struct jfield spec[] = {
        {.name = "credit_code",
         .kind = JF_STRING,
         .required = true,
         .min = SR_ID_LEN,
         .max = SR_ID_LEN,
         .out = &code},
        {.name = "trade_friction_listed", .kind = JF_BOOL, .out = &listed},
        {.name = "trade_friction_from", DATE, .out = &from},
        {.name = "trade_friction_to", DATE, .out = &to},
        {.name = "ui_months", .kind = JF_INT, .min = 0, .max = 600, .out = &ui},
        {.name = "hire_date", DATE, .out = &hired},
    };
    jspec_object(e, "employer", obj, spec, NF(spec));
    if (code && sr_credit_code_check(code) != SR_ID_OK)
        jerr_add(e, "employer.credit_code", SD_E_FIELD_FORMAT,
                 "不是有效的统一社会信用代码（校验码不符）",
                 "is not a valid unified social credit code (check character)");
    copy(m->credit_code, sizeof m->credit_code, code);
    m->trade_friction_listed = listed;
    m->trade_friction_from = day_of(from);
    m->trade_friction_to = day_of(to);
    m->ui_months = (int32_t)ui;
    m->hire_date = day_of(hired);
}

static void parse_certificate(struct jerrors *e, const json_t *obj, struct sr_certificate *c)
{
    const char *kind = NULL, *number = NULL, *issued = NULL, *issuer = NULL;
    const struct jfield spec[] = {
        {.name = "kind", ENUM(cj_cert_kind), .required = true, .out = &kind},
        {.name = "number",
         .kind = JF_STRING,
         .min = 1,
         .max = SR_CERT_NUMBER_LEN - 1,
         .format = &cj_code_format,
         .out = &number},
        {.name = "issue_date", DATE, .out = &issued},
        {.name = "issuer", ENUM(issuer), .out = &issuer},
    };
    jspec_object(e, "claim.certificate", obj, spec, NF(spec));
    if (kind)
        sr_cert_kind_parse(kind, &c->kind);
    copy(c->number, sizeof c->number, number);
    c->issue_date = day_of(issued);
    if (issuer)
        sr_issuer_parse(issuer, &c->issuer);
}

static void parse_claim(struct jerrors *e, const json_t *obj, struct sr_claim *c)
{
    const char *kind = NULL, *variant = NULL, *occupation = NULL, *level = NULL, *start = NULL,
               *end = NULL, *payee = NULL;
    const json_t *certificate = NULL;
    bool renewal = false, out_of_province = false, commitment = false;
    long long hours = 0, days = 0, months = 0, semesters = 0, years = 0, cost = 0, fee = 0,
              advance = 0;
    const struct jfield spec[] = {
        {.name = "kind", ENUM(kind), .required = true, .out = &kind},
        {.name = "variant", ENUM(variant), .out = &variant},
        {.name = "occupation",
         .kind = JF_STRING,
         .min = 1,
         .max = SR_OCCUPATION_LEN - 1,
         .format = &occupation_format,
         .out = &occupation},
        {.name = "level", ENUM(cj_level), .out = &level},
        {.name = "certificate", .kind = JF_OBJECT, .out = &certificate},
        {.name = "renewal", .kind = JF_BOOL, .out = &renewal},
        {.name = "training_start", DATE, .out = &start},
        {.name = "training_end", DATE, .out = &end},
        {.name = "class_hours", .kind = JF_INT, .min = 0, .max = 10000, .out = &hours},
        {.name = "training_days", .kind = JF_INT, .min = 0, .max = 3660, .out = &days},
        {.name = "months", .kind = JF_INT, .min = 0, .max = 600, .out = &months},
        {.name = "semesters", .kind = JF_INT, .min = 0, .max = 20, .out = &semesters},
        {.name = "years", .kind = JF_INT, .min = 0, .max = 10, .out = &years},
        {.name = "actual_cost_fen", MONEY, .out = &cost},
        {.name = "enterprise_fee_fen", MONEY, .out = &fee},
        {.name = "out_of_province", .kind = JF_BOOL, .out = &out_of_province},
        {.name = "advance_pct", .kind = JF_INT, .min = 0, .max = 100, .out = &advance},
        {.name = "payee", ENUM(payee), .out = &payee},
        {.name = "commitment", .kind = JF_BOOL, .out = &commitment},
    };
    jspec_object(e, "claim", obj, spec, NF(spec));
    if (kind)
        sr_kind_parse(kind, &c->kind);
    if (variant)
        sr_variant_parse(variant, &c->variant);
    canonical_occupation(c->occupation, occupation);
    if (level)
        sr_level_parse(level, &c->level);
    if (certificate)
        parse_certificate(e, certificate, &c->certificate);
    c->renewal = renewal;
    c->commitment = commitment;
    c->training_start = day_of(start);
    c->training_end = day_of(end);
    if (c->training_start && c->training_end && c->training_end < c->training_start)
        jerr_add(e, "claim.training_end", SD_E_FIELD_CONFLICT, "结束日期早于开始日期",
                 "is before training_start");
    c->class_hours = (int32_t)hours;
    c->training_days = (int32_t)days;
    c->months = (int32_t)months;
    c->semesters = (int32_t)semesters;
    c->years = (int32_t)years;
    c->actual_cost_fen = cost;
    c->enterprise_fee_fen = fee;
    c->out_of_province = out_of_province;
    c->advance_pct = (int32_t)advance;
    if (payee)
        sr_payee_parse(payee, &c->payee);
}

static void parse_history_entry(struct jerrors *e, const char *prefix, const json_t *obj,
                                struct sr_history_entry *h)
{
    const char *occupation = NULL, *level = NULL, *kind = NULL, *variant = NULL, *state = NULL;
    long long year = 0;
    bool renewal = false;
    const struct jfield spec[] = {
        {.name = "year", .kind = JF_INT, .required = true, .min = 2000, .max = 2100, .out = &year},
        {.name = "occupation",
         .kind = JF_STRING,
         .min = 1,
         .max = SR_OCCUPATION_LEN - 1,
         .format = &occupation_format,
         .out = &occupation},
        {.name = "level", ENUM(cj_level), .out = &level},
        {.name = "kind", ENUM(kind), .required = true, .out = &kind},
        {.name = "variant", ENUM(variant), .out = &variant},
        {.name = "state", ENUM(state), .required = true, .out = &state},
        {.name = "renewal", .kind = JF_BOOL, .out = &renewal},
    };
    jspec_object(e, prefix, obj, spec, NF(spec));
    h->year = (int)year;
    canonical_occupation(h->occupation, occupation);
    if (level)
        sr_level_parse(level, &h->level);
    if (kind)
        sr_kind_parse(kind, &h->kind);
    if (variant)
        sr_variant_parse(variant, &h->variant);
    if (state)
        sr_claim_state_parse(state, &h->state);
    h->renewal = renewal;
}

int32_t cj_day_of(time_t t)
{
    time_t local = t + CJ_UTC_OFFSET_S;
    struct tm tm;
    gmtime_r(&local, &tm);
    return sr_day_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int32_t cj_today(void)
{
    return cj_day_of(time(NULL));
}

bool cj_parse(struct jerrors *e, const json_t *obj, int32_t today_default, struct cj_request *req)
{
    memset(req, 0, sizeof *req);
    size_t before = jerr_count(e);
    const char *policy = NULL, *region = NULL, *today = NULL;
    const json_t *catalog = NULL, *person = NULL, *employer = NULL, *claim = NULL, *history = NULL;
    const struct jfield spec[] = {
        {.name = "policy",
         .kind = JF_STRING,
         .min = 1,
         .max = CJ_POLICY_ID_LEN - 1,
         .format = &cj_code_format,
         .out = &policy},
        {.name = "region", REGION, .out = &region},
        {.name = "today", DATE, .out = &today},
        {.name = "catalog", .kind = JF_OBJECT, .out = &catalog},
        {.name = "person", .kind = JF_OBJECT, .out = &person},
        {.name = "employer", .kind = JF_OBJECT, .out = &employer},
        {.name = "claim", .kind = JF_OBJECT, .required = true, .out = &claim},
        {.name = "history",
         .kind = JF_OBJECT_LIST,
         .min = 0,
         .max = CJ_MAX_HISTORY,
         .out = &history},
    };
    jspec_object(e, NULL, obj, spec, NF(spec));
    bool has_policy = json_object_get(obj, "policy") != NULL;
    bool has_region = json_object_get(obj, "region") != NULL;
    if (has_policy == has_region)
        jerr_add(e, has_policy ? "region" : "policy",
                 has_policy ? SD_E_FIELD_CONFLICT : SD_E_FIELD_REQUIRED,
                 "须给出 policy 或 region 之一（不可同时给出）",
                 "give either policy or region, not both");
    copy(req->policy_id, sizeof req->policy_id, policy);
    req->region = region ? atoi(region) : 0;
    req->today = today ? day_of(today) : today_default;
    if (catalog) {
        req->has_catalog = true;
        parse_catalog(e, catalog, &req->catalog);
    }
    if (person) {
        req->has_person = true;
        parse_person(e, person, req->today, &req->person);
    }
    if (employer) {
        req->has_employer = true;
        parse_employer(e, employer, &req->employer);
    }
    if (claim)
        parse_claim(e, claim, &req->claim);
    size_t i;
    json_t *h;
    json_array_foreach(history, i, h)
    {
        char prefix[32];
        snprintf(prefix, sizeof prefix, "history[%zu]", i);
        parse_history_entry(e, prefix, h, &req->history[i]);
        req->history_len = i + 1;
    }
    return jerr_count(e) == before;
}

const struct sr_policy *cj_policy(const struct sr_policy_set *set, const struct cj_request *req,
                                  struct jerrors *e)
{
    if (req->policy_id[0]) {
        const struct sr_policy *p = sr_policy_set_find(set, req->policy_id);
        if (!p)
            jerr_add(e, "policy", SD_E_FIELD_REFERENCE, "没有这一政策", "no such policy");
        return p;
    }
    const char *field = req->claim.certificate.issue_date ? "claim.certificate.issue_date"
                        : req->claim.training_end         ? "claim.training_end"
                                                          : NULL;
    int32_t day = req->claim.certificate.issue_date ? req->claim.certificate.issue_date
                  : req->claim.training_end         ? req->claim.training_end
                                                    : req->today;
    const struct sr_policy *p = sr_policy_set_find_for(set, req->region, day);
    if (p || !req->region)
        return p;
    /* Without a policy in force on the claim's date, the region's own policy still says what
     * else the claim lacks: it is judged by that one too, beside the problem with the date. */
    p = sr_policy_set_find_for_region(set, req->region);
    if (!p)
        jerr_add(e, "region", SD_E_FIELD_REFERENCE, "该地区没有适用的补贴政策",
                 "no policy of this service covers this region");
    else if (field && !jerr_has_field(e, field))
        jerr_add(e, field, SD_E_FIELD_CONFLICT, "该地区在此日期没有施行中的补贴政策",
                 "no policy is in force for this region on this date");
    else if (!field) /* a draft without its dates: they choose the policy, so they are missing */
        jerr_add(e, "claim.certificate.issue_date", SD_E_FIELD_REQUIRED,
                 "须填写发证日期（或培训结束日期 claim.training_end），据此确定适用的政策",
                 "give the certificate's issue date (or claim.training_end): it decides which "
                 "policy applies");
    return p;
}

json_t *cj_other_problems(const struct jerrors *e, const struct sr_result *res)
{
    json_t *decision = cj_result(res);
    json_t *all = json_object_get(decision, "problems"), *out = json_array();
    size_t i, k;
    json_t *p, *err;
    json_array_foreach(all, i, p)
    {
        const char *field = json_string_value(json_object_get(p, "field"));
        bool said = false;
        json_array_foreach(e->list, k, err)
        {
            const char *f = json_string_value(json_object_get(err, "field"));
            if (field && f && (jfield_within(field, f) || jfield_within(f, field)))
                said = true;
        }
        if (!said)
            json_array_append(out, p);
    }
    json_decref(decision);
    return out;
}

json_t *cj_judge(const struct sr_policy_set *set, struct jerrors *e, const json_t *obj,
                 int32_t today, json_t **problems)
{
    *problems = NULL;
    struct cj_request *req = malloc(sizeof *req);
    struct sr_result *res = malloc(sizeof *res);
    json_t *decision = NULL;
    if (!req || !res)
        goto done;
    size_t before = jerr_count(e);
    cj_parse(e, obj, today, req);
    const struct sr_policy *policy = cj_policy(set, req, e);
    if (policy) {
        struct sr_input in;
        cj_input(req, &in);
        sr_evaluate(policy, &in, res);
    }
    if (jerr_count(e) == before && policy)
        decision = cj_result(res);
    else
        *problems = policy ? cj_other_problems(e, res) : json_array();
done:
    free(req);
    free(res);
    return decision;
}

void cj_input(const struct cj_request *req, struct sr_input *in)
{
    *in = (struct sr_input){
        .catalog = req->has_catalog ? &req->catalog : NULL,
        .person = req->has_person ? &req->person : NULL,
        .employer = req->has_employer ? &req->employer : NULL,
        .claim = &req->claim,
        .history = req->history,
        .history_len = req->history_len,
        .today = req->today,
    };
}

static json_t *date_json(int32_t day)
{
    char buf[SR_DATE_STRLEN];
    if (day == SR_NO_DATE)
        return json_null();
    sr_day_format(day, buf);
    return json_string(buf);
}

static json_t *catalog_json(const struct sr_catalog_entry *c)
{
    return json_pack("{s:s, s:s?, s:i, s:I, s:b, s:I}", "occupation", c->occupation, "level",
                     sr_level_name(c->level), "year", c->year, "standard_fen",
                     (json_int_t)c->standard_fen, "shortage", c->shortage, "shortage_uplift_fen",
                     (json_int_t)c->shortage_uplift_fen);
}

/* Each duration limit that cut the units paid, as a step the approver reads. */
static json_t *unit_caps_json(const struct sr_trace *t)
{
    json_t *caps = json_array();
    for (int i = 0; i < t->unit_cap_count; i++) {
        const struct sr_unit_cap *c = &t->unit_caps[i];
        char zh[160], en[160];
        sr_unit_cap_text(t, i, true, zh, sizeof zh);
        sr_unit_cap_text(t, i, false, en, sizeof en);
        json_array_append_new(caps, json_pack("{s:s, s:s?, s:i, s:s, s:s}", "reason", c->reason,
                                              "section", c->section, "limit", c->limit,
                                              "message_zh", zh, "message_en", en));
    }
    return caps;
}

static json_t *uplift_choice_json(const struct sr_trace *t)
{
    if (!t->uplift_compared)
        return json_null();
    return json_pack("{s:I, s:I, s:I, s:s}", "base_fen", (json_int_t)t->base_fen,
                     "shortage_uplift_fen", (json_int_t)t->shortage_uplift_fen, "policy_uplift_fen",
                     (json_int_t)t->policy_uplift_fen, "paid",
                     t->uplift_id ? "policy_uplift" : "shortage_uplift");
}

static json_t *trace_json(const struct sr_trace *t)
{
    json_t *j = json_pack(
        "{s:s?, s:i, s:s?, s:s?, s:s?, s:o, s:s?, s:o, s:s?, s:i, s:I, s:I, s:i, s:I}", "policy_id",
        t->policy_id, "policy_version", t->policy_version, "rule_id", t->rule_id, "rule_section",
        t->rule_section, "formula", t->formula, "event_date", date_json(t->event_date),
        "date_basis", t->date_basis, "catalog",
        t->catalog_used ? catalog_json(&t->catalog) : json_null(), "unit", t->unit, "units",
        t->units, "rate_fen", (json_int_t)t->rate_fen, "standard_fen", (json_int_t)t->standard_fen,
        "fee_share_pct", t->fee_share_pct, "fee_share_fen", (json_int_t)t->fee_share_fen);
    json_t *uplift = t->uplift_id ? json_pack("{s:s, s:s?, s:i, s:I}", "id", t->uplift_id,
                                              "section", t->uplift_section, "pct", t->uplift_pct,
                                              "fen", (json_int_t)t->uplift_fen)
                                  : json_null();
    json_t *rest =
        json_pack("{s:o, s:s?, s:I, s:I, s:b, s:I, s:I, s:s?, s:i, s:I, s:i}", "uplift", uplift,
                  "uplift_note", t->uplift_note, "cap_fen", (json_int_t)t->cap_fen, "limit_fen",
                  (json_int_t)t->limit_fen, "by_actual", t->by_actual, "actual_cost_fen",
                  (json_int_t)t->actual_cost_fen, "computed_fen", (json_int_t)t->computed_fen,
                  "rounding", t->rounding, "advance_pct", t->advance_pct, "advance_fen",
                  (json_int_t)t->advance_fen, "quota_used", t->quota_used);
    json_object_update(j, rest);
    json_decref(rest);
    json_object_set_new(j, "units_claimed", json_integer(t->units_claimed));
    json_object_set_new(j, "unit_caps", unit_caps_json(t));
    json_object_set_new(j, "uplift_choice", uplift_choice_json(t));
    return j;
}

json_t *cj_result(const struct sr_result *r)
{
    json_t *problems = json_array();
    for (size_t i = 0; i < r->problem_count; i++) {
        const struct sr_problem *p = &r->problems[i];
        json_t *item = json_pack("{s:s, s:s?, s:s?, s:s, s:s}", "code", p->code_name, "field",
                                 p->field, "section", p->section, "message_zh", p->message_zh,
                                 "message_en", p->message_en);
        if (p->has_allowed)
            json_object_set_new(item, "allowed", json_string(r->allowed));
        json_array_append_new(problems, item);
    }
    char explain[512];
    sr_result_explain(r, explain, sizeof explain);
    return json_pack("{s:b, s:I, s:o, s:b, s:o, s:s}", "eligible", r->eligible, "amount_fen",
                     (json_int_t)r->amount_fen, "problems", problems, "problems_truncated",
                     r->problems_truncated, "trace", trace_json(&r->trace), "explain", explain);
}
