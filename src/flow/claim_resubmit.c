/* The owner resubmits a claim returned for correction (claim.h): it must differ from the claim
 * as returned in at least one of the fields the return named, and is then judged and written
 * as a submission, back in the review queue as resubmitted (最多跑一次: it cannot be returned
 * again). */
#include "claim.h"

#include "review_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The value at path (a field of the claim's body: "claim.certificate.number", "items[0].x") in
 * input, or NULL when there is none; *outside when the path is not in the stored input (the
 * person's profile, say), which the owner fixes elsewhere. */
static const json_t *at_path(const json_t *input, const char *path, bool *outside)
{
    const json_t *v = input;
    char name[128];
    *outside = false;
    for (const char *p = path; v && *p;) {
        size_t n = strcspn(p, ".[");
        if (n >= sizeof name)
            return NULL;
        if (n > 0) {
            memcpy(name, p, n);
            name[n] = '\0';
            if (v == input && strcmp(name, "region") != 0 && strcmp(name, "claim") != 0 &&
                strcmp(name, "employer") != 0) {
                *outside = true;
                return NULL;
            }
            v = json_object_get(v, name);
            p += n;
        }
        if (*p == '[') {
            char *end;
            long i = strtol(p + 1, &end, 10);
            if (*end != ']' || i < 0)
                return NULL;
            v = json_array_get(v, (size_t)i);
            p = end + 1;
        }
        if (*p == '.')
            p++;
    }
    return v;
}

/* Did the owner change any field the return named (or one outside the stored input)? */
static bool fixes_touched(const json_t *fixes, const json_t *returned, const json_t *now)
{
    size_t i;
    json_t *fix;
    json_array_foreach(fixes, i, fix)
    {
        const char *field = json_string_value(json_object_get(fix, "field"));
        bool outside = false, unused;
        const json_t *before = field ? at_path(returned, field, &outside) : NULL;
        const json_t *after = field ? at_path(now, field, &unused) : NULL;
        if (outside || !json_equal(before, after))
            return true;
    }
    return json_array_size(fixes) == 0;
}

enum db_rc flow_claim_resubmit(const struct flow_caller *c, struct db_conn *db,
                               const struct flow_args *args, struct flow_result *res)
{
    long long id = args->id;
    struct db_claim_locked k;
    char *fixes_text = NULL, *returned_text = NULL;
    enum db_rc rc = claim_lock_owned(c, db, id, &k, res);
    if (rc == DB_OK)
        rc = claim_may(c, &k, SR_CLAIM_RESUBMIT, res);
    if (rc == DB_OK) {
        rc = db_claim_resubmit_prepare(db, id, &fixes_text, &returned_text);
        if (rc != DB_OK)
            rc = flow_db(res, rc);
    }
    json_t *input = rc == DB_OK ? json_loads(k.input_json, 0, NULL) : NULL;
    json_t *fixes = rc == DB_OK ? json_loads(fixes_text, 0, NULL) : NULL;
    json_t *returned = rc == DB_OK ? json_loads(returned_text, 0, NULL) : NULL;
    if (rc == DB_OK && (!input || !fixes || !returned))
        rc = flow_db(res, DB_HARD);
    if (rc == DB_OK && !fixes_touched(fixes, returned, input)) {
        char detail[64];
        snprintf(detail, sizeof detail,
                 c->errors->lang_en ? "%zu field(s) to fix" : "共 %zu 处需补正",
                 json_array_size(fixes));
        rc = flow_refuse(res, SD_E_RESUBMISSION_UNCHANGED, detail,
                         json_pack("{s:O}", "fixes", fixes));
    }
    if (rc == DB_OK)
        rc = claim_submit_locked(c, db, id, &k, input, res);
    json_decref(input);
    json_decref(fixes);
    json_decref(returned);
    free(fixes_text);
    free(returned_text);
    free(k.input_json);
    return rc;
}
