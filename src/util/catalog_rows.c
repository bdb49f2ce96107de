/* The rows of a catalog upload, checked the same way for the API and subsidyctl. */
#include "catalog_rows.h"

#include "occupation.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const levels[] = {
    "special_ability",   "level5", "level4", "level3", "level2", "level1", "training_pass",
    "special_operation", NULL};

/* CSV cells are text: make numbers and yes/no of the columns that hold them, drop empty ones. */
void catalog_rows_from_csv(json_t *entries)
{
    static const char *const ints[] = {"standard_fen", "shortage_uplift_fen", "apprentice_tier_fen",
                                       "position_month_fen", "project_hours_cap"};
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

/* The shortage uplift is the part of a shortage entry's standard above its base: it leaves a
 * base above zero (Ningbo 四(四) pays the larger single uplift on that base). */
static void check_uplift(struct jerrors *e, const char *prefix, long long standard, bool shortage,
                         long long uplift)
{
    char field[64];
    snprintf(field, sizeof field, "%s.shortage_uplift_fen", prefix);
    if (uplift > 0 && !shortage)
        jerr_add(e, field, SD_E_FIELD_CONFLICT, "只有紧缺条目（shortage 为真）才有紧缺上浮",
                 "only a shortage entry (shortage true) has a shortage uplift");
    else if (uplift > 0 && standard >= 0 && uplift >= standard)
        jerr_add(e, field, SD_E_FIELD_RANGE, "须小于补贴标准 standard_fen（基准 = 标准 − 上浮）",
                 "must be less than standard_fen (base = standard - uplift)");
}

/* Every entry against its table, its occupation rewritten canonical; (occupation, level) once. */
bool catalog_rows_check(struct jerrors *e, json_t *entries)
{
    size_t before = jerr_count(e), i;
    json_t *row;
    json_array_foreach(entries, i, row)
    {
        char prefix[32];
        snprintf(prefix, sizeof prefix, "entries[%zu]", i);
        occupation_canonical_member(row, "occupation");
        const char *occupation = NULL, *level = NULL;
        long long standard = -1, uplift = 0;
        bool shortage = false;
        const struct jfield spec[] = {
            {.name = "occupation",
             .kind = JF_STRING,
             .required = true,
             .min = 1,
             .max = 31,
             .format = &occupation_format,
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
             .max = CATALOG_MAX_FEN,
             .out = &standard},
            {.name = "shortage", .kind = JF_BOOL, .out = &shortage},
            {.name = "shortage_uplift_fen",
             .kind = JF_INT,
             .min = 0,
             .max = CATALOG_MAX_FEN,
             .out = &uplift},
            {.name = "apprentice_tier_fen", .kind = JF_INT, .min = 0, .max = CATALOG_MAX_FEN},
            {.name = "position_month_fen", .kind = JF_INT, .min = 0, .max = CATALOG_MAX_FEN},
            {.name = "project_hours_cap", .kind = JF_INT, .min = 0, .max = 10000},
        };
        jspec_object(e, prefix, row, spec, sizeof spec / sizeof spec[0]);
        check_uplift(e, prefix, standard, shortage, uplift);
        if (!occupation || !level)
            continue;
        for (size_t k = 0; k < i; k++) {
            json_t *o = json_array_get(entries, k);
            if (!strcmp(occupation, json_string_value(json_object_get(o, "occupation")) ?: "") &&
                !strcmp(level, json_string_value(json_object_get(o, "level")) ?: "")) {
                char field[48];
                snprintf(field, sizeof field, "%s.level", prefix);
                jerr_add(e, field, SD_E_FIELD_CONFLICT, "同一职业与等级重复",
                         "repeats an occupation and level");
                break;
            }
        }
    }
    return jerr_count(e) == before;
}

void catalog_rows_require(struct jerrors *e, const json_t *entries, bool has_year_standard,
                          const char *figure_name)
{
    if (!entries || json_array_size(entries) > 0 || has_year_standard || jerr_count(e) > 0)
        return;
    char zh[96], en[96];
    snprintf(zh, sizeof zh, "至少一条，或给出 %s", figure_name);
    snprintf(en, sizeof en, "at least one entry, or %s", figure_name);
    jerr_add(e, "entries", SD_E_FIELD_LENGTH, zh, en);
}
