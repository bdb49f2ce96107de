/* subsidyctl policies and evaluate: the policy files, and judging a claim offline as
 * POST /v1/precheck does. */
#include <stdlib.h>
#include <string.h>

#include "claim_json.h"
#include "ctl.h"
#include "sr_rules.h"

int cmd_policies(const struct ctl *g, int argc, char **argv)
{
    (void)argc, (void)argv;
    struct sr_policy_set *set = ctl_load_policies(g->policies);
    for (size_t i = 0; i < sr_policy_set_count(set); i++) {
        const struct sr_policy *p = sr_policy_set_at(set, i);
        char from[SR_DATE_STRLEN], to[SR_DATE_STRLEN];
        sr_day_format(sr_policy_effective_from(p), from);
        sr_day_format(sr_policy_effective_to(p), to);
        printf("%s v%d  region %d  %s .. %s  %s\n  source: %s\n", sr_policy_id(p),
               sr_policy_version(p), (int)sr_policy_region(p), from, to, sr_policy_title(p),
               sr_policy_source(p));
        for (size_t k = 0; k < sr_policy_reading_count(p); k++)
            printf("  reading: %s\n", sr_policy_reading(p, k));
    }
    sr_policy_set_free(set);
    return 0;
}

int cmd_evaluate(const struct ctl *g, int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : NULL;
    FILE *f = path && strcmp(path, "-") != 0 ? fopen(path, "rb") : stdin;
    if (!f) {
        fprintf(stderr, "subsidyctl: cannot open %s\n", path);
        return 2;
    }
    json_error_t jerr;
    json_t *obj = json_loadf(f, JSON_REJECT_DUPLICATES, &jerr);
    if (f != stdin)
        fclose(f);
    if (!obj || !json_is_object(obj)) {
        fprintf(stderr, "subsidyctl: not a JSON object: %s (line %d)\n", obj ? "" : jerr.text,
                jerr.line);
        json_decref(obj);
        return 2;
    }
    struct sr_policy_set *set = ctl_load_policies(g->policies);
    struct jerrors errors = {.lang_en = g->lang_en};
    json_t *problems = NULL;
    json_t *out = cj_judge(set, &errors, obj, cj_today(), &problems);
    int rc = out ? (json_is_true(json_object_get(out, "eligible")) ? 0 : 1) : 2;
    if (!out) /* every bad field and whatever the rules find in the rest, at once */
        out = json_pack("{s:O, s:o}", "errors", errors.list ? errors.list : json_array(),
                        "problems", problems ? problems : json_array());
    json_dumpf(out, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    putchar('\n');
    json_decref(out);
    jerr_clear(&errors);
    json_decref(obj);
    sr_policy_set_free(set);
    return rc;
}
