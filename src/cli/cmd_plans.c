/* subsidyctl plans load DIR: the annex plan tables, one DIR/POLICY.csv per policy, each
 * replacing that policy's rows in one audited transaction. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "ctl.h"
#include "ops.h"
#include "sr_rules.h"

static bool digits(const char *s)
{
    return *s && strspn(s, "0123456789") == strlen(s);
}
static const struct jformat digits_format = {.ok = digits, .zh = "数字", .en = "digits"};

static const char *const dimensions[] = {"district", "department", NULL};

/* Check one annex file's rows: the policy column names the file's policy, the rest in range. */
static bool plan_rows_check(struct jerrors *e, const json_t *rows, const char *policy)
{
    size_t before = jerr_count(e), i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        char prefix[32];
        snprintf(prefix, sizeof prefix, "rows[%zu]", i);
        const char *pol = NULL, *dim = NULL, *region = NULL;
        const struct jfield spec[] = {
            {.name = "policy",
             .kind = JF_STRING,
             .required = true,
             .min = 1,
             .max = 63,
             .out = &pol},
            {.name = "annex", .kind = JF_STRING, .required = true, .min = 1, .max = 32},
            {.name = "dimension",
             .kind = JF_STRING,
             .required = true,
             .min = 1,
             .max = 16,
             .one_of = dimensions,
             .out = &dim},
            {.name = "unit_name", .kind = JF_STRING, .required = true, .min = 1, .max = 100},
            {.name = "region_code",
             .kind = JF_STRING,
             .required = true,
             .min = 0,
             .max = 12,
             .out = &region},
            {.name = "year",
             .kind = JF_STRING,
             .required = true,
             .min = 4,
             .max = 4,
             .format = &digits_format},
            {.name = "measure", .kind = JF_STRING, .required = true, .min = 1, .max = 32},
            {.name = "target",
             .kind = JF_STRING,
             .required = true,
             .min = 1,
             .max = 12,
             .format = &digits_format},
            {.name = "note", .kind = JF_STRING, .required = true, .min = 0, .max = 500},
        };
        jspec_object(e, prefix, row, spec, sizeof spec / sizeof spec[0]);
        char field[48];
        if (pol && strcmp(pol, policy) != 0) {
            snprintf(field, sizeof field, "%s.policy", prefix);
            jerr_add(e, field, SD_E_FIELD_CONFLICT, NULL, "is not the file's policy");
        }
        if (dim && region && (strcmp(dim, "district") == 0) != (region[0] != '\0')) {
            snprintf(field, sizeof field, "%s.region_code", prefix);
            jerr_add(e, field, SD_E_FIELD_CONFLICT, NULL,
                     "district rows have a region code, department rows none");
        }
    }
    return jerr_count(e) == before;
}

struct plan_load {
    const char *policy, *file;
    char *rows;
};

static enum db_rc plan_load_body(struct db_conn *c, void *cls)
{
    struct plan_load *x = cls;
    enum db_rc rc = db_plan_replace(c, x->policy, x->rows, x->file);
    if (rc == DB_OK) {
        json_t *after = json_pack("{s:s, s:s}", "policy", x->policy, "file", x->file);
        char *text = json_dumps(after, JSON_COMPACT);
        rc = ctl_audit(c, "plan.load", "plan", x->policy, NULL, text);
        free(text);
        json_decref(after);
    }
    return rc;
}

int cmd_plans_load(const struct ctl *g, int argc, char **argv)
{
    (void)argc;
    const char *dir = argv[1];
    struct sr_policy_set *set = ctl_load_policies(g->policies);
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "subsidyctl: cannot open %s\n", dir);
        sr_policy_set_free(set);
        return 2;
    }
    struct db_conn *db = ctl_worker_conn(g->conninfo);
    int failures = 0;
    struct dirent *ent;
    while ((ent = readdir(d))) {
        size_t n = strlen(ent->d_name);
        if (n < 5 || strcmp(ent->d_name + n - 4, ".csv") != 0)
            continue;
        char policy[64], path[1024];
        snprintf(policy, sizeof policy, "%.*s", (int)(n - 4), ent->d_name);
        snprintf(path, sizeof path, "%s/%s", dir, ent->d_name);
        if (!sr_policy_set_find(set, policy)) {
            fprintf(stderr, "%s: no policy %s\n", path, policy);
            failures++;
            continue;
        }
        struct jerrors errors = {.lang_en = true};
        json_t *rows = ctl_read_csv(path, &errors, 100000);
        if (!rows)
            rows = json_array();
        if (!plan_rows_check(&errors, rows, policy) || jerr_count(&errors)) {
            size_t i;
            json_t *e;
            json_array_foreach(errors.list, i, e)
            {
                fprintf(stderr, "%s: %s: %s\n", path,
                        json_string_value(json_object_get(e, "field")),
                        json_string_value(json_object_get(e, "message")));
            }
            failures++;
        } else {
            struct plan_load x = {policy, ent->d_name, json_dumps(rows, JSON_COMPACT)};
            enum db_rc rc = db_txn(db, plan_load_body, &x);
            if (rc == DB_OK)
                printf("%s: %zu plan rows loaded\n", policy, json_array_size(rows));
            else
                fprintf(stderr, "%s: not loaded (database error %d; unknown region code?)\n", path,
                        (int)rc),
                    failures++;
            free(x.rows);
        }
        jerr_clear(&errors);
        json_decref(rows);
    }
    closedir(d);
    sr_policy_set_free(set);
    return failures ? 1 : 0;
}
