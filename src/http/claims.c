/* What the claim and profile endpoints share (claims.h). */
#include "claims.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include <stdatomic.h>
#include <time.h>

#include "claim_json.h"
#include "employment.h"
#include "log.h"
#include "occupation.h"
#include "sr_calendar.h"

#define NF(spec) (sizeof(spec) / sizeof((spec)[0]))

static const char *const region_fields[PERSON_REGIONS] = {"hukou_region", "residence_region",
                                                          "employment_region",
                                                          "unemployment_region", "training_region"};

/* ---- the person object ---- */

static bool phone_ok(const char *s)
{
    return strlen(s) == 11 && s[0] == '1' && s[1] >= '3' && s[1] <= '9' &&
           strspn(s, "0123456789") == 11;
}

static const struct jformat phone_format = {.ok = phone_ok,
                                            .zh = " 11 位手机号码（如 13812345678）",
                                            .en = "an 11-digit mobile number (e.g. 13812345678)"};

static bool group_ok(const char *s)
{
    enum sr_group g;
    return sr_group_parse(s, &g);
}
static const struct jformat group_format = {.ok = group_ok, .values = sr_group_list};

static void field_name(char *out, size_t len, const char *prefix, const char *name)
{
    if (prefix)
        snprintf(out, len, "%s.%s", prefix, name);
    else
        snprintf(out, len, "%s", name);
}

void person_parse(struct req *r, const char *prefix, const json_t *obj, struct person_in *p)
{
    memset(p, 0, sizeof *p);
    const struct jfield spec[] = {
        {.name = "id_number",
         .kind = JF_STRING,
         .required = true,
         .min = SR_ID_LEN,
         .max = SR_ID_LEN,
         .out = &p->id_number},
        {.name = "name", .kind = JF_STRING, .required = true, .min = 1, .max = 50, .out = &p->name},
        {.name = "phone",
         .kind = JF_STRING,
         .min = 11,
         .max = 11,
         .format = &phone_format,
         .out = &p->phone},
        {.name = "hukou_region",
         .kind = JF_STRING,
         .min = 6,
         .max = 12,
         .format = &region_code_format,
         .out = &p->regions[0]},
        {.name = "residence_region",
         .kind = JF_STRING,
         .min = 6,
         .max = 12,
         .format = &region_code_format,
         .out = &p->regions[1]},
        {.name = "employment_region",
         .kind = JF_STRING,
         .min = 6,
         .max = 12,
         .format = &region_code_format,
         .out = &p->regions[2]},
        {.name = "unemployment_region",
         .kind = JF_STRING,
         .min = 6,
         .max = 12,
         .format = &region_code_format,
         .out = &p->regions[3]},
        {.name = "training_region",
         .kind = JF_STRING,
         .min = 6,
         .max = 12,
         .format = &region_code_format,
         .out = &p->regions[4]},
        {.name = "groups",
         .kind = JF_OBJECT_LIST,
         .min = 0,
         .max = SR_GROUP_BITS,
         .out = &p->groups},
        {.name = "past_retirement_age", .kind = JF_BOOL, .out = &p->past_retirement_age},
    };
    jspec_object(&r->errors, prefix, obj, spec, NF(spec));
    char field[64];
    if (p->id_number && sr_resident_id_check(p->id_number, cj_today(), NULL) != SR_ID_OK) {
        field_name(field, sizeof field, prefix, "id_number");
        req_field_error(r, field, SD_E_FIELD_FORMAT,
                        "不是有效的公民身份号码（校验码或出生日期不符）",
                        "is not a valid resident ID number (check digit or birth date)");
    }
    uint32_t seen = 0;
    size_t i;
    json_t *g;
    json_array_foreach(p->groups, i, g)
    {
        const char *group = NULL, *evidence = NULL;
        const struct jfield gspec[] = {
            {.name = "group",
             .kind = JF_STRING,
             .required = true,
             .min = 1,
             .max = 40,
             .format = &group_format,
             .out = &group},
            {.name = "evidence",
             .kind = JF_STRING,
             .required = true,
             .min = 1,
             .max = 200,
             .out = &evidence},
        };
        char item[48];
        snprintf(item, sizeof item, "groups[%zu]", i);
        field_name(field, sizeof field, prefix, item);
        jspec_object(&r->errors, field, g, gspec, NF(gspec));
        enum sr_group bit;
        if (group && sr_group_parse(group, &bit)) {
            if (seen & (uint32_t)bit) {
                char gf[80];
                snprintf(gf, sizeof gf, "%s.group", field);
                req_field_error(r, gf, SD_E_FIELD_CONFLICT, "同一群体只能列一次",
                                "each group may be listed once");
            }
            seen |= (uint32_t)bit;
        }
    }
}

enum db_rc person_check_regions(struct req *r, struct db_conn *db, const char *prefix,
                                const struct person_in *p)
{
    char names[PERSON_REGIONS][64];
    const char *fields[PERSON_REGIONS];
    for (int i = 0; i < PERSON_REGIONS; i++) {
        field_name(names[i], sizeof names[i], prefix, region_fields[i]);
        fields[i] = names[i];
    }
    return check_region_fields(r, db, fields, p->regions, PERSON_REGIONS);
}

void person_seal(const struct person_in *p, const char *owner_subject, struct person_sealed *s)
{
    memset(s, 0, sizeof *s);
    char id[SR_ID_LEN + 1];
    snprintf(id, sizeof id, "%s", p->id_number);
    if (id[17] == 'x')
        id[17] = 'X';
    sd_pii_id_hash(&pii_keys, id, s->hash);
    sd_pii_seal(&pii_keys, id, s->id_sealed);
    sd_pii_mask_id(id, s->id_masked);
    if (p->phone) {
        sd_pii_seal(&pii_keys, p->phone, s->phone_sealed);
        sd_pii_mask_phone(p->phone, s->phone_masked);
    }
    s->groups_json =
        p->groups ? json_dumps(p->groups, JSON_COMPACT | JSON_PRESERVE_ORDER) : strdup("[]");
    s->w = (struct db_person_write){.id_hash = s->hash,
                                    .id_sealed = s->id_sealed,
                                    .id_masked = s->id_masked,
                                    .name = p->name,
                                    .phone_sealed = p->phone ? s->phone_sealed : NULL,
                                    .phone_masked = p->phone ? s->phone_masked : NULL,
                                    .owner_subject = owner_subject,
                                    .groups_json = s->groups_json ? s->groups_json : "[]",
                                    .past_retirement_age = p->past_retirement_age};
    memcpy(s->w.regions, p->regions, sizeof s->w.regions);
}

void person_sealed_free(struct person_sealed *s)
{
    free(s->groups_json);
    s->groups_json = NULL;
}

/* ---- reveals ---- */

bool reveal_query(struct req *r, bool *reveal)
{
    static const char *const tf[] = {"true", "false", NULL};
    const char *v = NULL;
    const struct jfield spec[] = {
        {.name = "reveal", .kind = JF_STRING, .min = 4, .max = 5, .one_of = tf, .out = &v},
    };
    if (!jspec_query(r, spec, NF(spec))) {
        reply_field_errors(r, SD_E_BAD_QUERY);
        return false;
    }
    *reveal = v && strcmp(v, "true") == 0;
    return true;
}

struct reveal {
    struct req *r;
    const char *person;
};

static enum db_rc reveal_audit(struct db_conn *c, void *cls)
{
    struct reveal *x = cls;
    return req_audit(x->r, c, "person.reveal", "person", x->person, NULL, NULL);
}

enum db_rc reveal_person(struct req *r, struct db_conn *db, long long person_id,
                         const char *id_sealed, const char *phone_sealed, json_t *obj)
{
    char id[64], phone[64] = "", pid[24];
    if (!sd_pii_open(&pii_keys, id_sealed, id, sizeof id) ||
        (phone_sealed[0] && !sd_pii_open(&pii_keys, phone_sealed, phone, sizeof phone)))
        return DB_HARD;
    snprintf(pid, sizeof pid, "%lld", person_id);
    struct reveal x = {.r = r, .person = pid};
    enum db_rc rc = db_txn(db, reveal_audit, &x);
    if (rc == DB_OK) {
        json_object_set_new(obj, "id_number", json_string(id));
        json_object_set_new(obj, "phone", phone[0] ? json_string(phone) : json_null());
    }
    sodium_memzero(id, sizeof id);
    sodium_memzero(phone, sizeof phone);
    return rc;
}

/* ---- the claim body ---- */

void claim_body_parse(struct req *r, const json_t *body, bool create, struct claim_in *in)
{
    memset(in, 0, sizeof *in);
    bool is_enterprise = r->who.role == SD_ROLE_ENTERPRISE;
    struct jfield spec[6] = {
        {.name = "region",
         .kind = JF_STRING,
         .required = true,
         .min = 6,
         .max = 12,
         .format = &region_code_format,
         .out = &in->region},
        {.name = "claim", .kind = JF_OBJECT, .required = true, .out = &in->claim},
        {.name = "employer", .kind = JF_OBJECT, .out = &in->employer},
    };
    size_t n = 3;
    /* only where they apply: an unknown field otherwise */
    if (create && is_enterprise)
        spec[n++] = (struct jfield){
            .name = "employee", .kind = JF_OBJECT, .required = true, .out = &in->employee};
    if (create) {
        spec[n++] = (struct jfield){.name = "submit", .kind = JF_BOOL, .out = &in->submit};
        spec[n++] = (struct jfield){.name = "dry_run", .kind = JF_BOOL, .out = &in->dry_run};
    }
    jspec_object(&r->errors, NULL, body, spec, n);
    if (in->claim) {
        /* the rule module's own checks of the claim object (kinds, levels, dates, amounts) */
        struct cj_request *cr = malloc(sizeof *cr);
        json_t *probe = json_pack("{s:s, s:O}", "region", "330000", "claim", in->claim);
        if (cr && probe)
            cj_parse(&r->errors, probe, cj_today(), cr);
        json_decref(probe);
        free(cr);
    }
    const char *payee = json_string_value(json_object_get(in->claim, "payee"));
    const char *own = is_enterprise ? "enterprise" : "person";
    if (payee && strcmp(payee, own) != 0)
        req_field_error(r, "claim.payee", SD_E_FIELD_CONFLICT,
                        is_enterprise ? "企业申领的补贴付给企业" : "个人申领的补贴付给本人",
                        is_enterprise ? "an enterprise's claim is paid to the enterprise"
                                      : "a worker's claim is paid to the worker");
    if (in->employer) {
        const struct jfield espec[] = {
            {.name = "credit_code",
             .kind = JF_STRING,
             .required = !is_enterprise,
             .min = 18,
             .max = 18,
             .format = &cj_credit_code_format,
             .out = &in->employer_code},
            {.name = "ui_months", .kind = JF_INT, .min = 0, .max = 600, .out = &in->ui_months},
            {.name = "hire_date",
             .kind = JF_STRING,
             .min = 10,
             .max = 10,
             .format = &cj_date_format,
             .out = &in->hire_date},
        };
        jspec_object(&r->errors, "employer", in->employer, espec, NF(espec));
        if (is_enterprise && in->employer_code && strcmp(in->employer_code, r->who.subject) != 0)
            req_field_error(r, "employer.credit_code", SD_E_FIELD_CONFLICT,
                            "企业只能为本企业职工申领",
                            "an enterprise claims for its own employees");
    }
    if (in->employee)
        person_parse(r, "employee", in->employee, &in->emp);
}

json_t *claim_input(const struct req *r, const struct claim_in *in)
{
    /* the payee follows from who claims: a worker is paid, an enterprise is paid */
    json_t *claim = json_deep_copy(in->claim);
    occupation_canonical_member(claim, "occupation"); /* one spelling stored: 6-18-02-04 */
    if (claim && !json_object_get(claim, "payee"))
        json_object_set_new(
            claim, "payee",
            json_string(r->who.role == SD_ROLE_ENTERPRISE ? "enterprise" : "person"));
    json_t *j = json_pack("{s:s, s:o}", "region", in->region, "claim", claim);
    if (j && in->employer)
        json_object_set(j, "employer", (json_t *)in->employer);
    return j;
}

void claim_input_read(const json_t *input, struct claim_in *in)
{
    memset(in, 0, sizeof *in);
    in->region = json_string_value(json_object_get(input, "region"));
    in->claim = json_object_get(input, "claim");
    in->employer = json_object_get(input, "employer");
    if (in->employer) {
        in->employer_code = json_string_value(json_object_get(in->employer, "credit_code"));
        in->ui_months = json_integer_value(json_object_get(in->employer, "ui_months"));
        in->hire_date = json_string_value(json_object_get(in->employer, "hire_date"));
    }
}

/* ---- who sees what ---- */

bool claim_owned(const struct req *r, const char *owner_role, const char *owner_subject)
{
    const char *role = sd_role_name(r->who.role);
    return role && strcmp(role, owner_role) == 0 && r->who.subject[0] &&
           strcmp(r->who.subject, owner_subject) == 0;
}

bool claim_visible(const struct req *r, const char *owner_role, const char *owner_subject,
                   const char *region, const char *region_parent, bool never_submitted)
{
    if (r->who.role != SD_ROLE_APPROVER || never_submitted)
        return claim_owned(r, owner_role, owner_subject);
    for (int i = 0; i < r->who.nregions; i++)
        if (strcmp(r->who.regions[i], region) == 0 ||
            (region_parent[0] && strcmp(r->who.regions[i], region_parent) == 0))
            return true;
    return false;
}

bool claim_about_caller(const struct req *r, const char *person_owner, const char *state)
{
    return r->who.role == SD_ROLE_APPLICANT && r->who.subject[0] &&
           strcmp(person_owner, r->who.subject) == 0 && strcmp(state, "draft") != 0;
}

enum db_rc claim_lock_owned(struct req *r, struct db_conn *c, long long id,
                            struct db_claim_locked *out)
{
    memset(out, 0, sizeof *out);
    enum db_rc rc = db_claim_lock(c, id, out);
    if (rc == DB_OK && !claim_owned(r, out->owner_role, out->owner_subject))
        rc = DB_NOT_FOUND;
    if (rc == DB_NOT_FOUND) {
        reply_problem(r, SD_E_NOT_FOUND, NULL);
        return DB_ABORT;
    }
    return rc;
}

enum db_rc claim_lock_draft(struct req *r, struct db_conn *c, long long id,
                            struct db_claim_locked *out)
{
    enum db_rc rc = claim_lock_owned(r, c, id, out);
    if (rc == DB_OK && strcmp(out->state, "draft") != 0) {
        reply_problem(r, SD_E_CLAIM_STATE_CONFLICT, NULL);
        return DB_ABORT;
    }
    return rc;
}

static enum sr_role rule_role(unsigned role)
{
    switch (role) {
    case SD_ROLE_APPLICANT:
        return SR_ROLE_APPLICANT;
    case SD_ROLE_ENTERPRISE:
        return SR_ROLE_ENTERPRISE;
    case SD_ROLE_INSTITUTION:
        return SR_ROLE_INSTITUTION;
    case SD_ROLE_APPROVER:
        return SR_ROLE_APPROVER;
    default:
        return SR_ROLE_ADMIN;
    }
}

enum db_rc claim_may(struct req *r, const struct db_claim_locked *k, enum sr_claim_action action,
                     enum sr_claim_state *to_state)
{
    enum sr_claim_state from;
    if (sr_claim_state_parse(k->state, &from) &&
        sr_claim_transition(from, action, rule_role(r->who.role), k->returned_before, to_state) ==
            SR_TRANSITION_OK)
        return DB_OK;
    char detail[96];
    snprintf(detail, sizeof detail, r->lang_en ? "the claim is %s" : "申领当前状态为 %s", k->state);
    reply_problem(r, SD_E_CLAIM_STATE_CONFLICT, detail);
    return DB_ABORT;
}

/* ---- the review deadline ---- */

/* Each worker keeps the calendar of the coming months, reloaded every few minutes or when this
 * daemon replaced a year, so that a submission does not pay a query for it (admins replace a
 * year rarely). */
#define CAL_RELOAD_S 300

struct cal_cache {
    struct db_day_list days;
    struct db_year_list years; /* loaded */
    int32_t from, to;
    time_t loaded_at;
    unsigned long generation;
    bool valid;
    int warned[8]; /* years warned about as not loaded, by this worker */
};
static _Thread_local struct cal_cache cal_cache; /* about 8 KiB per worker */
static _Atomic unsigned long cal_generation;

void claims_calendar_changed(void)
{
    atomic_fetch_add(&cal_generation, 1);
}

bool calendar_year_loaded(const struct db_year_list *years, int year)
{
    for (size_t i = 0; i < years->n; i++)
        if (years->years[i] == year)
            return true;
    return false;
}

/* A deadline over a year without its calendar is an estimate (its weekends only): say so in
 * the log once per worker and year, not per claim. */
static void warn_not_loaded(struct cal_cache *k, int year)
{
    size_t i = 0;
    while (i < sizeof k->warned / sizeof k->warned[0] && k->warned[i] && k->warned[i] != year)
        i++;
    if (i < sizeof k->warned / sizeof k->warned[0] && k->warned[i] == year)
        return;
    memmove(k->warned + 1, k->warned, sizeof k->warned - sizeof k->warned[0]);
    k->warned[0] = year;
    log_warn("calendar not loaded",
             json_pack("{s:i, s:s}", "year", year, "effect",
                       "review deadlines over this year are estimated: weekends only"));
}

static enum db_rc review_due(struct db_conn *c, int32_t today, char out[SR_DATE_STRLEN],
                             bool *estimated)
{
    struct cal_cache *k = &cal_cache;
    int32_t horizon = today + (int32_t)config.review_days * 2 + 60;
    time_t now = time(NULL);
    unsigned long generation = atomic_load(&cal_generation);
    if (!k->valid || now - k->loaded_at > CAL_RELOAD_S || today < k->from || horizon > k->to ||
        generation != k->generation) {
        char from[SR_DATE_STRLEN], to[SR_DATE_STRLEN];
        sr_day_format(today, from);
        sr_day_format(today + 400, to);
        enum db_rc rc = db_calendar_range(c, from, to, &k->days);
        if (rc == DB_OK)
            rc = db_calendar_years(c, &k->years);
        if (rc != DB_OK)
            return rc;
        k->from = today;
        k->to = today + 400;
        k->loaded_at = now;
        k->generation = generation;
        k->valid = true;
    }
    struct sr_calendar cal = {k->days.holidays, k->days.nholidays, k->days.workdays,
                              k->days.nworkdays};
    int32_t due = sr_add_working_days(&cal, today, (int)config.review_days);
    sr_day_format(due, out);
    int y0, y1;
    sr_day_to_ymd(today, &y0, NULL, NULL);
    sr_day_to_ymd(due, &y1, NULL, NULL);
    *estimated = false;
    for (int y = y0; y <= y1; y++)
        if (!calendar_year_loaded(&k->years, y)) {
            *estimated = true;
            warn_not_loaded(k, y);
        }
    return DB_OK;
}

/* ---- the submission ---- */

/* Region code for the rule module: a functional zone ("3309A1") counts as its city. */
static int32_t rule_region(const char *code)
{
    if (!code)
        return 0;
    if (strspn(code, "0123456789") == strlen(code))
        return atoi(code);
    char city[7];
    snprintf(city, sizeof city, "%.4s00", code);
    return atoi(city);
}

/* The person as the rule module sees them, from their row. */
static bool person_from_row(PGresult *row, struct sr_person *p)
{
    memset(p, 0, sizeof *p);
    if (!sd_pii_open(&pii_keys, PQgetvalue(row, 0, DB_PERSON_ID_SEALED), p->id_number,
                     sizeof p->id_number))
        return false;
    int32_t *regions[PERSON_REGIONS] = {&p->hukou_region, &p->residence_region,
                                        &p->employment_region, &p->unemployment_region,
                                        &p->training_region};
    for (int i = 0; i < PERSON_REGIONS; i++)
        if (!PQgetisnull(row, 0, DB_PERSON_REGIONS + i))
            *regions[i] = rule_region(PQgetvalue(row, 0, DB_PERSON_REGIONS + i));
    json_t *groups = json_loads(PQgetvalue(row, 0, DB_PERSON_GROUPS), 0, NULL);
    size_t i;
    json_t *g;
    json_array_foreach(groups, i, g)
    {
        enum sr_group bit;
        if (sr_group_parse(json_string_value(json_object_get(g, "group")), &bit))
            p->groups |= (uint32_t)bit;
    }
    json_decref(groups);
    p->past_retirement_age = PQgetvalue(row, 0, DB_PERSON_RETIRED)[0] == 't';
    return true;
}

static void history_from_json(const char *text, struct cj_request *cr)
{
    json_t *list = json_loads(text, 0, NULL);
    size_t i;
    json_t *h;
    json_array_foreach(list, i, h)
    {
        if (cr->history_len == CJ_MAX_HISTORY)
            break;
        struct sr_history_entry *e = &cr->history[cr->history_len++];
        memset(e, 0, sizeof *e);
        e->year = (int)json_integer_value(json_array_get(h, 0));
        snprintf(e->occupation, sizeof e->occupation, "%s",
                 json_string_value(json_array_get(h, 1)));
        sr_level_parse(json_string_value(json_array_get(h, 2)), &e->level);
        sr_kind_parse(json_string_value(json_array_get(h, 3)), &e->kind);
        sr_claim_state_parse(json_string_value(json_array_get(h, 4)), &e->state);
        e->renewal = json_is_true(json_array_get(h, 5));
    }
    json_decref(list);
}

/* The codes that are a conflict with what the person already has, rather than a fault of the
 * claim: a 409 when they are the only problems. */
static enum sd_err conflict_code(enum sr_problem_code code)
{
    switch (code) {
    case SR_P_QUOTA_YEAR_EXHAUSTED:
        return SD_E_QUOTA_YEAR_EXHAUSTED;
    case SR_P_DUPLICATE_OCCUPATION_LEVEL:
    case SR_P_ALREADY_GRANTED_ONCE:
        return SD_E_DUPLICATE_OCCUPATION_LEVEL;
    case SR_P_ONCE_A_YEAR_USED:
    case SR_P_GRADUATE_SKILL_SUBSIDY_USED:
    case SR_P_GRADUATE_ENTREPRENEURSHIP_SUBSIDY_USED:
        return SD_E_ONCE_A_YEAR_USED;
    default:
        return SD_E_CLAIM_NOT_ELIGIBLE;
    }
}

static void reply_not_granted(struct req *r, const struct sr_result *res,
                              const struct employment_used *used)
{
    enum sd_err code =
        res->problem_count ? conflict_code(res->problems[0].code) : SD_E_CLAIM_NOT_ELIGIBLE;
    for (size_t i = 1; i < res->problem_count; i++)
        if (conflict_code(res->problems[i].code) != code)
            code = SD_E_CLAIM_NOT_ELIGIBLE;
    json_t *decision = cj_result(res);
    employment_trace(used, decision);
    char detail[64];
    snprintf(detail, sizeof detail, r->lang_en ? "%zu problem(s)" : "共 %zu 处问题",
             res->problem_count);
    reply_problem_with(r, code, detail,
                       json_pack("{s:O, s:o}", "problems", json_object_get(decision, "problems"),
                                 "decision", decision));
}

enum db_rc claim_conflict(struct req *r, struct db_conn *c, enum db_rc rc)
{
    if (rc == DB_NOT_FOUND) {
        reply_problem(r, SD_E_QUOTA_YEAR_EXHAUSTED, NULL);
        return DB_ABORT;
    }
    if (rc == DB_UNIQUE) {
        const char *name = db_last_constraint(c);
        reply_problem(r,
                      strcmp(name, "claim_once_per_year") == 0 ? SD_E_ONCE_A_YEAR_USED
                                                               : SD_E_DUPLICATE_OCCUPATION_LEVEL,
                      NULL);
        return DB_ABORT;
    }
    return rc;
}

/* Without the person's row (their own fields are wrong, and named), what the rule module says
 * of "the person" is only that it has none. */
static void drop_person_problems(json_t *problems, bool has_person)
{
    for (size_t i = json_array_size(problems); !has_person && i-- > 0;) {
        const char *field =
            json_string_value(json_object_get(json_array_get(problems, i), "field"));
        if (field && jfield_within(field, "person"))
            json_array_remove(problems, i);
    }
}

/* The employer: the one named, or the enterprise itself for its own claims. */
static const char *claim_employer(const struct submission *s, const struct claim_in *in)
{
    if (in->employer_code)
        return in->employer_code;
    return strcmp(s->owner_role, "enterprise") == 0 ? s->owner_subject : NULL;
}

/* Everything one judgement needs, on the heap (the history alone is several KiB). */
struct judgement {
    struct cj_request cr;
    struct sr_result result;
    struct db_claim_context ctx;
    struct employment_used employment;
    long long catalog_id;
};

/* Judge s->input on the person's row and what the database holds; NULL policy with a queued
 * reply when the request cannot be judged. */
static enum db_rc judge(struct req *r, struct db_conn *c, const struct submission *s,
                        const struct claim_in *in, struct judgement *j,
                        const struct sr_policy **policy)
{
    *policy = NULL;
    /* A body with field problems is still judged on whatever parsed, so that its one reply
     * names everything to fix; the claim object's own problems are already among them. */
    bool faulty = jerr_count(&r->errors) > 0;
    PGresult *row = s->person;
    enum db_rc rc = row || !s->person_id ? DB_OK : db_person_by_id(c, s->person_id, &row);
    if (rc != DB_OK)
        return rc == DB_NOT_FOUND ? DB_HARD : rc;
    char region[8];
    snprintf(region, sizeof region, "%d", (int)rule_region(in->region));
    json_t *probe = json_pack("{s:s, s:O}", "region", region, "claim", in->claim);
    struct jerrors again = {.lang_en = r->lang_en};
    if (probe) /* a stored draft that no longer parses (the claim object's rules changed) is
                  named field by field */
        cj_parse(faulty ? &again : &r->errors, probe, cj_today(), &j->cr);
    jerr_clear(&again);
    json_decref(probe);
    bool person_ok = !row || person_from_row(row, &j->cr.person);
    if (row && row != s->person)
        PQclear(row);
    if (!probe)
        return DB_HARD;
    if (!person_ok) {
        log_bug("a sealed ID number does not open", json_pack("{s:s}", "request_id", r->id));
        return DB_HARD;
    }
    j->cr.has_person = row != NULL; /* none: an employee whose own fields are wrong */
    const struct sr_policy *p = cj_policy(policy_set, &j->cr, &r->errors);
    if (!p) {
        reply_field_errors(r, SD_E_VALIDATION_FAILED);
        return DB_ABORT;
    }
    const char *employer = claim_employer(s, in);
    if (employer) {
        j->cr.has_employer = true;
        snprintf(j->cr.employer.credit_code, sizeof j->cr.employer.credit_code, "%s", employer);
        j->cr.employer.ui_months = (int32_t)in->ui_months;
        j->cr.employer.hire_date = SR_NO_DATE;
        if (in->hire_date)
            sr_day_parse(in->hire_date, &j->cr.employer.hire_date);
        j->cr.employer.trade_friction_from = j->cr.employer.trade_friction_to = SR_NO_DATE;
    }
    /* a first pass tells which year, catalog entry and listing date the claim turns on */
    struct sr_input si;
    cj_input(&j->cr, &si);
    sr_evaluate(p, &si, &j->result);
    const struct sr_trace *t = &j->result.trace;
    char event_date[SR_DATE_STRLEN] = "";
    if (t->event_date != SR_NO_DATE)
        sr_day_format(t->event_date, event_date);
    const struct db_claim_context_key key = {
        .person_id = s->person_id,
        .claim_id = s->claim_id,
        .policy_id = sr_policy_id(p),
        .year = t->event_year,
        .occupation = j->cr.claim.occupation,
        .catalog_level = t->catalog_level ? sr_level_name(t->catalog_level) : NULL,
        .catalog_year_only = t->catalog_year_only,
        .employer = employer,
        .event_date = event_date,
    };
    rc = db_claim_context(c, &key, &j->ctx);
    if (rc != DB_OK)
        return rc;
    /* the employer is the records' on the event date, not the body's word */
    employment_apply(r, s->owner_role, employer, event_date, j->ctx.employment_json, &j->cr,
                     &j->employment);
    if (j->ctx.catalog_json) {
        json_t *k = json_loads(j->ctx.catalog_json, 0, NULL);
        j->catalog_id = json_integer_value(json_array_get(k, 0));
        j->cr.has_catalog = true;
        struct sr_catalog_entry *e = &j->cr.catalog;
        snprintf(e->occupation, sizeof e->occupation, "%s", j->cr.claim.occupation);
        e->level = t->catalog_level;
        e->standard_fen = json_integer_value(json_array_get(k, 1));
        e->shortage = json_is_true(json_array_get(k, 2));
        e->year = (int)json_integer_value(json_array_get(k, 3));
        e->shortage_uplift_fen = json_integer_value(json_array_get(k, 4));
        json_decref(k);
    }
    if (j->ctx.trade_friction_json) {
        json_t *k = json_loads(j->ctx.trade_friction_json, 0, NULL);
        j->cr.employer.trade_friction_listed = true;
        sr_day_parse(json_string_value(json_array_get(k, 0)), &j->cr.employer.trade_friction_from);
        const char *to = json_string_value(json_array_get(k, 1));
        if (to && to[0])
            sr_day_parse(to, &j->cr.employer.trade_friction_to);
        json_decref(k);
    }
    if (j->ctx.employer_region && !j->cr.person.employment_region &&
        strcmp(s->owner_role, "enterprise") == 0)
        j->cr.person.employment_region = rule_region(j->ctx.employer_region);
    history_from_json(j->ctx.history_json, &j->cr);
    cj_input(&j->cr, &si);
    sr_evaluate(p, &si, &j->result);
    employment_problems(&j->employment, &j->result);
    *policy = p;
    return claim_occupation_known(c, j->cr.claim.occupation, &j->result);
}

enum db_rc claim_submit(struct req *r, struct db_conn *c, const struct submission *s,
                        unsigned *status, json_t **reply)
{
    struct claim_in in;
    claim_input_read(s->input, &in);
    char *input_text = json_dumps(s->input, JSON_COMPACT | JSON_PRESERVE_ORDER);
    struct judgement *j = calloc(1, sizeof *j);
    char *decision_text = NULL, *json = NULL;
    json_t *decision = NULL;
    enum db_rc rc = input_text && j ? DB_OK : DB_HARD;
    const struct sr_policy *policy = NULL;
    if (rc == DB_OK && s->submit)
        rc = judge(r, c, s, &in, j, &policy);
    if (rc == DB_OK && jerr_count(&r->errors) > 0) { /* field problems and the rules' others */
        json_t *problems = cj_other_problems(&r->errors, &j->result);
        drop_person_problems(problems, j->cr.has_person);
        reply_field_errors_with(r,
                                j->employment.not_insured ? SD_E_NOT_INSURED_WITH_ENTERPRISE
                                                          : SD_E_VALIDATION_FAILED,
                                json_pack("{s:o}", "problems", problems));
        rc = DB_ABORT;
    }
    if (rc == DB_OK && s->submit && !j->result.eligible) {
        reply_not_granted(r, &j->result, &j->employment);
        rc = DB_ABORT;
    }
    struct db_claim_write w = {.actor = r->who.token_id,
                               .request_id = r->id,
                               .owner_role = s->owner_role,
                               .owner_subject = s->owner_subject,
                               .person_id = s->person_id,
                               .region = in.region,
                               .employer = claim_employer(s, &in),
                               .kind = json_string_value(json_object_get(in.claim, "kind")),
                               .occupation =
                                   json_string_value(json_object_get(in.claim, "occupation")),
                               .level = json_string_value(json_object_get(in.claim, "level")),
                               .input_json = input_text,
                               .employee_name = s->employee_name,
                               .submit = s->submit};
    char due[SR_DATE_STRLEN] = "";
    if (rc == DB_OK && s->submit) {
        const struct sr_trace *t = &j->result.trace;
        decision = cj_result(&j->result);
        employment_trace(&j->employment, decision);
        if (j->employment.looked_up)
            w.employer = j->employment.credit_code[0] ? j->employment.credit_code : NULL;
        decision_text = json_dumps(decision, JSON_COMPACT | JSON_PRESERVE_ORDER);
        rc = decision_text ? review_due(c, cj_today(), due, &w.review_due_estimated) : DB_HARD;
        w.year = t->event_year;
        w.per_year = t->per_year;
        w.counts_quota = t->counts_quota;
        w.unique_occupation_level = t->unique_occupation_level;
        w.same_key = t->same_key;
        w.once_per_year = t->once_per_year;
        w.policy_id = sr_policy_id(policy);
        w.policy_version = sr_policy_version(policy);
        w.catalog_id = t->catalog_used ? j->catalog_id : 0;
        w.amount_fen = j->result.amount_fen;
        w.decision_json = decision_text;
        w.review_due = due;
    }
    if (rc == DB_OK)
        rc = s->claim_id ? db_claim_submit(c, s->claim_id, s->from_state, &w, &json)
                         : db_claim_insert(c, &w, &json);
    rc = claim_conflict(r, c, rc);
    if (rc == DB_OK && s->submit) /* a certificate is paid once: one more statement */
        rc = claim_certificate_bind(r, c, json, s->person_id, &j->cr.claim.certificate);
    if (rc == DB_OK) {
        *reply = json_loads(json, 0, NULL);
        json_object_set(*reply, "decision", decision ? decision : json_null());
        *status = s->claim_id ? 200 : 201;
    }
    json_decref(decision);
    free(json);
    free(decision_text);
    free(input_text);
    if (j)
        db_claim_context_free(&j->ctx);
    free(j);
    return rc;
}
