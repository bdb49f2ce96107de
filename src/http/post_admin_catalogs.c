/* POST /v1/admin/catalogs: publish a new catalog version for a policy and year, from JSON
 * ({policy, year, effective_from, source, entries}) or CSV (entries; the rest in the query).
 * Every bad entry and field is reported at once and nothing is written; a published version
 * is immutable, and a newer one supersedes it from its effective date. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "handlers.h"
#include "ops.h"
#include "sr_ids.h"

#define MAX_ENTRIES 5000

static const char *const levels[] = {
    "special_ability",   "level5", "level4", "level3", "level2", "level1", "training_pass",
    "special_operation", NULL};

static bool date_ok(const char *s)
{
    int32_t d;
    return sr_day_parse(s, &d);
}

static bool policy_id_ok(const char *s)
{
    return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(s);
}

static bool occupation_ok(const char *s)
{
    return strspn(s, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz._-") ==
           strlen(s);
}

struct upload {
    const char *policy, *effective_from, *source;
    long long year;
    json_t *entries; /* owned */
};

/* CSV cells are text: make numbers and yes/no of the columns that hold them, drop empty ones. */
static void coerce_csv(json_t *entries)
{
    static const char *const ints[] = {"standard_fen", "apprentice_tier_fen", "position_month_fen",
                                       "project_hours_cap"};
    size_t i;
    json_t *e;
    json_array_foreach(entries, i, e)
    {
        for (size_t k = 0; k < sizeof ints / sizeof ints[0]; k++) {
            const char *v = json_string_value(json_object_get(e, ints[k]));
            char *end = NULL;
            if (v && !*v)
                json_object_del(e, ints[k]);
            else if (v && (strtoll(v, &end, 10), *end == '\0'))
                json_object_set_new(e, ints[k], json_integer(strtoll(v, NULL, 10)));
        }
        const char *b = json_string_value(json_object_get(e, "shortage"));
        if (b && !*b)
            json_object_del(e, "shortage");
        else if (b && (!strcmp(b, "true") || !strcmp(b, "1") || !strcmp(b, "是")))
            json_object_set_new(e, "shortage", json_true());
        else if (b && (!strcmp(b, "false") || !strcmp(b, "0") || !strcmp(b, "否")))
            json_object_set_new(e, "shortage", json_false());
    }
}

/* Every entry against its table; (occupation, level) once. */
static void check_entries(struct req *r, const json_t *entries)
{
    size_t i;
    json_t *e;
    json_array_foreach(entries, i, e)
    {
        char prefix[32];
        snprintf(prefix, sizeof prefix, "entries[%zu]", i);
        const char *occupation = NULL, *level = NULL;
        const struct jfield spec[] = {
            {.name = "occupation",
             .kind = JF_STRING,
             .required = true,
             .min = 1,
             .max = 31,
             .valid = occupation_ok,
             .out = &occupation},
            {.name = "occupation_name", .kind = JF_STRING, .required = true, .min = 1, .max = 100},
            {.name = "level",
             .kind = JF_STRING,
             .required = true,
             .min = 1,
             .max = 20,
             .one_of = levels,
             .out = &level},
            {.name = "standard_fen",
             .kind = JF_INT,
             .required = true,
             .min = 0,
             .max = 1000000000000LL},
            {.name = "shortage", .kind = JF_BOOL},
            {.name = "apprentice_tier_fen", .kind = JF_INT, .min = 0, .max = 1000000000000LL},
            {.name = "position_month_fen", .kind = JF_INT, .min = 0, .max = 1000000000000LL},
            {.name = "project_hours_cap", .kind = JF_INT, .min = 0, .max = 10000},
        };
        jspec_object(&r->errors, prefix, e, spec, sizeof spec / sizeof spec[0]);
        if (!occupation || !level)
            continue;
        for (size_t k = 0; k < i; k++) {
            json_t *o = json_array_get(entries, k);
            if (!strcmp(occupation, json_string_value(json_object_get(o, "occupation")) ?: "") &&
                !strcmp(level, json_string_value(json_object_get(o, "level")) ?: "")) {
                char field[48];
                snprintf(field, sizeof field, "%s.level", prefix);
                req_field_error(r, field, SD_E_FIELD_CONFLICT, "同一职业与等级重复",
                                "repeats an occupation and level");
                break;
            }
        }
    }
}

static enum db_rc publish(struct req *r, struct db_conn *c, void *cls, unsigned *status,
                          json_t **reply)
{
    struct upload *u = cls;
    char *entries = json_dumps(u->entries, JSON_COMPACT);
    struct db_catalog_new n = {.policy = u->policy,
                               .effective_from = u->effective_from,
                               .source = u->source,
                               .year = (int)u->year,
                               .entry_count = (int)json_array_size(u->entries),
                               .entries_json = entries,
                               .published_by = r->who.token_id};
    long long id = 0;
    char *meta = NULL;
    enum db_rc rc = entries ? db_catalog_publish(c, &n, &id) : DB_HARD;
    if (rc == DB_OK)
        rc = db_catalog_get(c, id, &meta);
    if (rc == DB_OK) {
        char idtext[24];
        snprintf(idtext, sizeof idtext, "%lld", id);
        struct db_audit_row a = {.actor = r->who.token_id,
                                 .action = "catalog.publish",
                                 .object_kind = "catalog",
                                 .object_id = idtext,
                                 .after = meta,
                                 .request_id = r->id};
        rc = db_audit(c, &a);
    }
    if (rc == DB_OK) {
        *status = 201;
        *reply = json_loads(meta, 0, NULL);
    }
    free(entries);
    free(meta);
    return rc;
}

void post_admin_catalogs(struct req *r)
{
    struct upload u = {0};
    const json_t *entries = NULL;
    struct jfield spec[] = {
        {.name = "policy",
         .kind = JF_STRING,
         .required = true,
         .min = 1,
         .max = 63,
         .valid = policy_id_ok,
         .out = &u.policy},
        {.name = "year",
         .kind = JF_INT,
         .required = true,
         .min = 2000,
         .max = 2100,
         .out = &u.year},
        {.name = "effective_from",
         .kind = JF_STRING,
         .required = true,
         .min = 10,
         .max = 10,
         .valid = date_ok,
         .out = &u.effective_from},
        {.name = "source",
         .kind = JF_STRING,
         .required = true,
         .min = 1,
         .max = 200,
         .out = &u.source},
        {.name = "entries",
         .kind = JF_OBJECT_LIST,
         .required = true,
         .min = 1,
         .max = MAX_ENTRIES,
         .out = &entries},
    };
    if (r->csv) {
        jspec_query(r, spec, 4); /* the metadata; the entries are the body */
        u.entries = csv_rows(r->body, &r->errors, MAX_ENTRIES);
        coerce_csv(u.entries);
    } else {
        jspec_body(r, r->json, spec, sizeof spec / sizeof spec[0]);
        u.entries = json_incref((json_t *)entries);
    }
    if (u.policy && !sr_policy_set_find(policy_set, u.policy))
        req_field_error(r, "policy", SD_E_FIELD_REFERENCE, "没有这一政策", "no such policy");
    if (u.entries)
        check_entries(r, u.entries);
    if (u.entries && json_array_size(u.entries) == 0 && jerr_count(&r->errors) == 0)
        req_field_error(r, "entries", SD_E_FIELD_LENGTH, "至少一条", "at least one entry");
    if (!reply_field_errors(r, SD_E_VALIDATION_FAILED))
        idempotent(r, publish, &u);
    json_decref(u.entries);
}
