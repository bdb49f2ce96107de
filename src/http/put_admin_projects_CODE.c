/* PUT /v1/admin/projects/{code}: an admin publishes a project of the project list (项目制培训:
 * Zhoushan 二(九) 公布项目清单, Ningbo 五(二) and 五(三)) — its policy and region, name, class
 * hours, the standard per trainee in fen and the institutions admitted to run it — or updates
 * it (status withdrawn takes it off the published list).  Every bad field in one reply: a policy
 * that does not exist, a region that does not or lies outside the policy's city, an institution
 * not registered or named twice.  201 on publishing, 200 on an update; idempotent by key;
 * audited with before and after (project.publish, project.update). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claims.h" /* flow_rule_region */
#include "project_db.h"

static const char *const statuses[] = {"published", "withdrawn", NULL};

static enum db_rc lock(struct req *r, struct db_conn *c, struct admin_write *w)
{
    return db_project_lock(c, w->id);
}

static enum db_rc change(struct req *r, struct db_conn *c, struct admin_write *w,
                         const char *before, char **after, json_t **reply)
{
    return db_project_put(c, w->cls);
}

static const struct admin_change project_write = {.kind = "project",
                                                  .lock = lock,
                                                  .read = db_project_get,
                                                  .change = change,
                                                  .action = "project.update",
                                                  .action_new = "project.publish",
                                                  .status = 200,
                                                  .status_new = 201};

/* The policy exists and the region lies in its city. */
static void check_policy(struct req *r, const char *policy_id, const char *region)
{
    const struct sr_policy *pol = policy_id ? sr_policy_set_find(policy_set, policy_id) : NULL;
    if (policy_id && !pol)
        req_field_error(r, "policy", SD_E_FIELD_REFERENCE, "没有该政策", "no such policy");
    if (pol && region && !sr_region_within(flow_rule_region(region), sr_policy_region(pol)))
        req_field_error(r, "region", SD_E_FIELD_CONFLICT, "地区不在该政策的适用范围内",
                        "the region is outside the policy's area");
}

/* Each institution a credit code, named once, and registered. */
static enum db_rc check_institutions(struct req *r, struct db_conn *db, const json_t *list)
{
    size_t i;
    const json_t *v;
    char field[40];
    bool formed = true;
    json_array_foreach(list, i, v)
    {
        snprintf(field, sizeof field, "institutions[%zu]", i);
        const char *code = json_string_value(v);
        bool twice = false;
        for (size_t j = 0; j < i; j++)
            twice = twice || json_equal(v, json_array_get(list, j));
        if (!code || !credit_code_ok(code))
            req_field_error(r, field, SD_E_FIELD_FORMAT, "不是统一社会信用代码",
                            "not a unified social credit code");
        else if (twice)
            req_field_error(r, field, SD_E_FIELD_CONFLICT, "同一机构列了两次",
                            "the institution is named twice");
        formed = formed && code && credit_code_ok(code) && !twice;
    }
    if (!list || !formed) /* the look-up names indexes of a list that is whole */
        return DB_OK;
    char *text = json_dumps(list, JSON_COMPACT);
    json_t *unknown = NULL;
    enum db_rc rc = text ? db_project_unknown_institutions(db, text, &unknown) : DB_HARD;
    free(text);
    json_array_foreach(unknown, i, v)
    {
        snprintf(field, sizeof field, "institutions[%lld]", (long long)json_integer_value(v));
        req_field_error(r, field, SD_E_FIELD_REFERENCE, "该培训机构未登记",
                        "no such institution is registered");
    }
    json_decref(unknown);
    return rc;
}

void put_admin_projects_CODE(struct req *r)
{
    const char *code = r->params[0];
    if (strlen(code) < 1 || strlen(code) > 40 || !subject_ok(code)) {
        reply_problem(r, SD_E_NOT_FOUND, NULL);
        return;
    }
    char today[SR_DATE_STRLEN];
    sr_day_format(cj_today(), today);
    struct db_project_put p = {.code = code, .status = "published", .published_on = today};
    const json_t *institutions = NULL;
    const struct jfield spec[] = {
        jfield_policy(&p.policy, true),
        jfield_region("region", &p.region, true),
        {.name = "name", .kind = JF_STRING, .required = true, .min = 1, .max = 100, .out = &p.name},
        {.name = "class_hours",
         .kind = JF_INT,
         .required = true,
         .min = 1,
         .max = 10000,
         .out = &p.class_hours},
        {.name = "standard_fen",
         .kind = JF_INT,
         .required = true,
         .min = 1,
         .max = 100000000,
         .out = &p.standard_fen},
        {.name = "institutions",
         .kind = JF_STRING_LIST,
         .required = true,
         .min = 1,
         .max = 100,
         .out = &institutions},
        {.name = "status",
         .kind = JF_STRING,
         .min = 1,
         .max = 16,
         .one_of = statuses,
         .out = &p.status},
    };
    jspec_body(r, r->json, spec, sizeof spec / sizeof spec[0]);
    check_policy(r, p.policy, p.region);
    struct db_conn *db = req_db(r);
    if (!db)
        return;
    enum db_rc rc = p.region ? check_region_exists(r, db, "region", p.region) : DB_OK;
    if (rc == DB_OK)
        rc = check_institutions(r, db, institutions);
    if (rc != DB_OK) {
        reply_db(r, rc);
        return;
    }
    char *list = institutions ? json_dumps(institutions, JSON_COMPACT) : NULL;
    p.institutions_json = list ? list : "[]";
    admin_idempotent(r, &project_write, code, &p, NULL);
    free(list);
}
