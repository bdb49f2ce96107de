/* POST /v1/admin/regions: an admin adds a functional zone (功能区) that has no GB/T 2260 code:
 * a code of the project's own, the city's four digits, "A" and a number (3309A3), under that
 * city.  Idempotent by key; audited. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "ops.h"

static bool zone_code_ok(const char *s)
{
    size_t n = strlen(s);
    return n >= 6 && n <= 12 && strspn(s, "0123456789") == 4 && s[4] == 'A' &&
           strspn(s + 5, "0123456789") == n - 5;
}
static const struct jformat zone_code_format = {
    .ok = zone_code_ok,
    .zh = "功能区代码：所属城市代码前 4 位、A 和数字（如 3309A1）",
    .en = "a zone code: the city's first 4 digits, A and a number (e.g. 3309A1)"};

struct zone {
    const char *code, *name, *parent;
};

static enum db_rc insert(struct req *r, struct db_conn *c, struct admin_write *w,
                         const char *before, char **after, json_t **reply)
{
    const struct zone *z = w->cls;
    enum db_zone_insert_outcome outcome;
    enum db_rc rc = db_zone_insert(c, z->code, z->name, z->parent, &outcome, after);
    if (rc == DB_OK && outcome == DB_ZONE_CODE_TAKEN) {
        req_field_error(r, "code", SD_E_FIELD_CONFLICT, "该代码已存在", "exists already");
        reply_field_errors(r, SD_E_VALIDATION_FAILED);
        return DB_ABORT;
    }
    return rc;
}

static const struct admin_change how = {
    .kind = "region", .change = insert, .action = "region.create", .status = 201};

void post_admin_regions(struct req *r)
{
    struct zone z = {0};
    const struct jfield spec[] = {
        {.name = "code",
         .kind = JF_STRING,
         .required = true,
         .min = 6,
         .max = 12,
         .format = &zone_code_format,
         .out = &z.code},
        {.name = "name", .kind = JF_STRING, .required = true, .min = 1, .max = 64, .out = &z.name},
        {.name = "parent",
         .kind = JF_STRING,
         .required = true,
         .min = 6,
         .max = 6,
         .out = &z.parent},
    };
    jspec_body(r, r->json, spec, sizeof spec / sizeof spec[0]);
    struct db_conn *db = req_db(r);
    if (!db)
        return;
    if (z.parent) {
        char kind[32];
        enum db_rc rc = db_region_kind(db, z.parent, kind);
        if (rc == DB_NOT_FOUND || (rc == DB_OK && strcmp(kind, "city") != 0))
            req_field_error(r, "parent", SD_E_FIELD_REFERENCE, "须为已有的地级市区划代码",
                            "must be the code of a city");
        else if (rc != DB_OK) {
            reply_db(r, rc);
            return;
        }
        if (z.code && strncmp(z.code, z.parent, 4) != 0)
            req_field_error(r, "code", SD_E_FIELD_CONFLICT, "须以所属城市代码的前四位开头",
                            "must start with the city's first four digits");
    }
    admin_idempotent(r, &how, z.code, &z, NULL);
}
