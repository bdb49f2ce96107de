/* POST /v1/classes: an institution files a class (开班备案) with its roster (a JSON array
 * "roster", or the CSV sheet as text in "roster_csv").  Every bad field and roster row in one
 * reply; refused for a suspended or black-listed institution (403 with the entry), an
 * occupation and level not in the catalog in force, a filing later than the lead time, roster
 * stuffing (409 naming rows and classes), a roster over capacity (src/flow/class_file.c).
 * Idempotent by key; ?preview=true answers the same without writing or using the key. */
#include <string.h>

#include "classes.h"
#include "occupation.h"

/* The fields that depend on each other: an occupation and level, or a project (and a project
 * class has a project); the end not before the start; a payee named. */
static void check_together(struct req *r, struct class_filing *in, const json_t *project)
{
    bool project_kind = in->kind && strcmp(in->kind, "project") == 0;
    if (project_kind && !project)
        req_field_error(r, "project", SD_E_FIELD_REQUIRED, "项目制培训须填写项目",
                        "a project-based class names its project");
    if (!project_kind && project)
        req_field_error(r, "project", SD_E_FIELD_CONFLICT, "只有项目制培训填写项目",
                        "only a project-based class names a project");
    if (!project_kind && !in->occupation)
        req_field_error(r, "occupation", SD_E_FIELD_REQUIRED, NULL, NULL);
    if (!project_kind && !in->level)
        req_field_error(r, "level", SD_E_FIELD_REQUIRED, NULL, NULL);
    if (project_kind && (in->occupation || in->level))
        req_field_error(r, in->occupation ? "occupation" : "level", SD_E_FIELD_CONFLICT,
                        "项目制培训不填写职业和等级",
                        "a project-based class has no occupation and level");
    if (in->level && strcmp(in->level, "none") == 0)
        req_field_error(r, "level", SD_E_FIELD_ENUM, NULL, NULL);
    if (in->payee && strcmp(in->payee, "none") == 0)
        req_field_error(r, "payee", SD_E_FIELD_ENUM, NULL, NULL);
    if (in->start_date && in->end_date && strcmp(in->end_date, in->start_date) < 0 &&
        !jerr_has_field(&r->errors, "end_date") && !jerr_has_field(&r->errors, "start_date"))
        req_field_error(r, "end_date", SD_E_FIELD_CONFLICT, "结束日期早于开班日期",
                        "ends before it starts");
    if (in->policy && !jerr_has_field(&r->errors, "policy") &&
        !sr_policy_set_find(policy_set, in->policy))
        req_field_error(r, "policy", SD_E_FIELD_REFERENCE, "没有该政策", "no such policy");
}

static void parse(struct req *r, struct class_filing *in, const json_t **project,
                  const json_t **roster, const char **roster_csv)
{
    occupation_canonical_member(r->json, "occupation");
    const struct jfield spec[] = {
        jfield_policy(&in->policy, true),
        {.name = "kind",
         .kind = JF_STRING,
         .required = true,
         .min = 1,
         .max = 32,
         .one_of = sr_class_kind_values,
         .out = &in->kind},
        {.name = "occupation",
         .kind = JF_STRING,
         .min = 1,
         .max = 31,
         .format = &occupation_format,
         .out = &in->occupation},
        {.name = "level",
         .kind = JF_STRING,
         .min = 1,
         .max = 32,
         .one_of = sr_level_values,
         .out = &in->level},
        {.name = "project", .kind = JF_OBJECT, .out = project},
        jfield_region("region", &in->region, true),
        jfield_date("start_date", &in->start_date, true),
        jfield_date("end_date", &in->end_date, true),
        {.name = "class_hours",
         .kind = JF_INT,
         .required = true,
         .min = 1,
         .max = 10000,
         .out = &in->class_hours},
        {.name = "place",
         .kind = JF_STRING,
         .required = true,
         .min = 1,
         .max = 200,
         .out = &in->place},
        {.name = "teachers",
         .kind = JF_OBJECT_LIST,
         .required = true,
         .min = 1,
         .max = 50,
         .out = &in->teachers},
        {.name = "capacity",
         .kind = JF_INT,
         .required = true,
         .min = 1,
         .max = 1000,
         .out = &in->capacity},
        {.name = "payee",
         .kind = JF_STRING,
         .required = true,
         .min = 1,
         .max = 16,
         .one_of = sr_payee_values,
         .out = &in->payee},
        {.name = "roster", .kind = JF_OBJECT_LIST, .min = 0, .max = 1000, .out = roster},
        {.name = "roster_csv",
         .kind = JF_STRING,
         .min = 1,
         .max = 200000,
         .out = roster_csv,
         .lines = true},
    };
    jspec_body(r, r->json, spec, sizeof spec / sizeof spec[0]);
    if (*project) {
        const struct jfield pspec[] = {
            {.name = "code",
             .kind = JF_STRING,
             .required = true,
             .min = 1,
             .max = 40,
             .format = &subject_format,
             .out = &in->project_code},
            {.name = "name",
             .kind = JF_STRING,
             .required = true,
             .min = 1,
             .max = 100,
             .out = &in->project_name},
        };
        jspec_object(&r->errors, "project", *project, pspec, 2);
    }
    size_t i;
    const json_t *t;
    json_array_foreach(in->teachers, i, t)
    {
        char prefix[32];
        snprintf(prefix, sizeof prefix, "teachers[%zu]", i);
        const char *name = NULL, *qualification = NULL;
        const struct jfield tspec[] = {
            {.name = "name",
             .kind = JF_STRING,
             .required = true,
             .min = 1,
             .max = 50,
             .out = &name},
            {.name = "qualification",
             .kind = JF_STRING,
             .min = 1,
             .max = 100,
             .out = &qualification},
        };
        jspec_object(&r->errors, prefix, t, tspec, 2);
    }
    if (*roster && *roster_csv)
        req_field_error(r, "roster_csv", SD_E_FIELD_CONFLICT, "花名册只能以一种格式提交",
                        "send the roster once: roster or roster_csv");
    check_together(r, in, *project);
}

void post_classes(struct req *r)
{
    struct call call = req_call(r, flow_class_file);
    struct class_filing in = {.accept_days = (int)config.class_accept_days};
    call.args.in.filing = &in;
    bool preview = false;
    if (!class_preview_query(r, &preview))
        return;
    const json_t *project = NULL, *roster = NULL;
    const char *roster_csv = NULL;
    parse(r, &in, &project, &roster, &roster_csv);
    struct class_roster list = {0};
    if (roster_csv)
        class_roster_from_csv(r, roster_csv, call.caller.today, &list);
    else
        class_roster_from_json(r, roster, call.caller.today, &list);
    in.roster = list.in;
    struct db_conn *db = req_db(r);
    enum db_rc rc = DB_OK;
    if (db && in.region && !jerr_has_field(&r->errors, "region"))
        rc = check_region_exists(r, db, "region", in.region);
    if (db && rc != DB_OK)
        reply_db(r, rc);
    else if (db && !class_reply_field_errors(r, SD_E_VALIDATION_FAILED))
        (preview ? call_dry_run : call_keyed)(r, &call);
    class_roster_free(&list);
}
