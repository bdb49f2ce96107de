/* The one parser of a person object (person_json.h). */
#include "person_json.h"

#include <stdio.h>
#include <string.h>

#include "sr_ids.h"

#define NF(spec) (sizeof(spec) / sizeof((spec)[0]))

const char *const cj_person_region_fields[CJ_PERSON_REGIONS] = {
    "hukou_region", "residence_region", "employment_region", "unemployment_region",
    "training_region"};

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

void cj_field_name(char *out, size_t len, const char *prefix, const char *name)
{
    if (prefix)
        snprintf(out, len, "%s.%s", prefix, name);
    else
        snprintf(out, len, "%s", name);
}

/* The record shape's groups: [{group, evidence}], each group once. */
static void record_groups(struct jerrors *e, const char *prefix, struct cj_person_in *p)
{
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
        char item[48], field[64];
        snprintf(item, sizeof item, "groups[%zu]", i);
        cj_field_name(field, sizeof field, prefix, item);
        jspec_object(e, field, g, gspec, NF(gspec));
        enum sr_group bit;
        if (group && sr_group_parse(group, &bit)) {
            if (p->group_bits & (uint32_t)bit) {
                char gf[80];
                snprintf(gf, sizeof gf, "%s.group", field);
                jerr_add(e, gf, SD_E_FIELD_CONFLICT, "同一群体只能列一次",
                         "each group may be listed once");
            }
            p->group_bits |= (uint32_t)bit;
        }
    }
}

void cj_person_parse(struct jerrors *e, const char *prefix, const json_t *obj, int32_t today,
                     enum cj_person_shape shape, const struct jformat *region_format,
                     struct cj_person_in *p)
{
    memset(p, 0, sizeof *p);
    const bool record = shape == CJ_PERSON_RECORD;
    struct jfield spec[10] = {
        {.name = "id_number",
         .kind = JF_STRING,
         .required = true,
         .min = SR_ID_LEN,
         .max = SR_ID_LEN,
         .out = &p->id_number},
    };
    size_t n = 1;
    if (record) {
        spec[n++] = (struct jfield){.name = "name",
                                    .kind = JF_STRING,
                                    .required = true,
                                    .min = 1,
                                    .max = 50,
                                    .out = &p->name};
        spec[n++] = (struct jfield){.name = "phone",
                                    .kind = JF_STRING,
                                    .min = 11,
                                    .max = 11,
                                    .format = &phone_format,
                                    .out = &p->phone};
    }
    for (int i = 0; i < CJ_PERSON_REGIONS; i++) /* a zone's code is longer than 6 */
        spec[n++] = (struct jfield){.name = cj_person_region_fields[i],
                                    .kind = JF_STRING,
                                    .min = 6,
                                    .max = record ? 12 : 6,
                                    .format = region_format,
                                    .out = &p->regions[i]};
    spec[n++] = (struct jfield){.name = "groups",
                                .kind = record ? JF_OBJECT_LIST : JF_STRING_LIST,
                                .min = 0,
                                .max = SR_GROUP_BITS,
                                .format = record ? NULL : &group_format,
                                .out = &p->groups};
    spec[n++] = (struct jfield){
        .name = "past_retirement_age", .kind = JF_BOOL, .out = &p->past_retirement_age};
    jspec_object(e, prefix, obj, spec, n);
    if (p->id_number && sr_resident_id_check(p->id_number, today, NULL) != SR_ID_OK) {
        char field[64];
        cj_field_name(field, sizeof field, prefix, "id_number");
        jerr_add(e, field, SD_E_FIELD_FORMAT, "不是有效的公民身份号码（校验码或出生日期不符）",
                 "is not a valid resident ID number (check digit or birth date)");
    }
    if (record) {
        record_groups(e, prefix, p);
        return;
    }
    size_t i;
    json_t *g;
    json_array_foreach(p->groups, i, g)
    {
        enum sr_group bit;
        if (sr_group_parse(json_string_value(g), &bit))
            p->group_bits |= (uint32_t)bit;
    }
}
