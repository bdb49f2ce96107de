/* The person object: parsed, sealed, and read back for the rule module (person.h). */
#include "person.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sr_ids.h"

#define NF(spec) (sizeof(spec) / sizeof((spec)[0]))

const char *const person_region_fields[PERSON_REGIONS] = {"hukou_region", "residence_region",
                                                          "employment_region",
                                                          "unemployment_region", "training_region"};

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

void person_field_name(char *out, size_t len, const char *prefix, const char *name)
{
    if (prefix)
        snprintf(out, len, "%s.%s", prefix, name);
    else
        snprintf(out, len, "%s", name);
}

void person_parse(struct jerrors *e, const char *prefix, const json_t *obj, int32_t today,
                  const struct jformat *region_format, struct person_in *p)
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
         .format = region_format,
         .out = &p->regions[0]},
        {.name = "residence_region",
         .kind = JF_STRING,
         .min = 6,
         .max = 12,
         .format = region_format,
         .out = &p->regions[1]},
        {.name = "employment_region",
         .kind = JF_STRING,
         .min = 6,
         .max = 12,
         .format = region_format,
         .out = &p->regions[2]},
        {.name = "unemployment_region",
         .kind = JF_STRING,
         .min = 6,
         .max = 12,
         .format = region_format,
         .out = &p->regions[3]},
        {.name = "training_region",
         .kind = JF_STRING,
         .min = 6,
         .max = 12,
         .format = region_format,
         .out = &p->regions[4]},
        {.name = "groups",
         .kind = JF_OBJECT_LIST,
         .min = 0,
         .max = SR_GROUP_BITS,
         .out = &p->groups},
        {.name = "past_retirement_age", .kind = JF_BOOL, .out = &p->past_retirement_age},
    };
    jspec_object(e, prefix, obj, spec, NF(spec));
    char field[64];
    if (p->id_number && sr_resident_id_check(p->id_number, today, NULL) != SR_ID_OK) {
        person_field_name(field, sizeof field, prefix, "id_number");
        jerr_add(e, field, SD_E_FIELD_FORMAT, "不是有效的公民身份号码（校验码或出生日期不符）",
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
        person_field_name(field, sizeof field, prefix, item);
        jspec_object(e, field, g, gspec, NF(gspec));
        enum sr_group bit;
        if (group && sr_group_parse(group, &bit)) {
            if (seen & (uint32_t)bit) {
                char gf[80];
                snprintf(gf, sizeof gf, "%s.group", field);
                jerr_add(e, gf, SD_E_FIELD_CONFLICT, "同一群体只能列一次",
                         "each group may be listed once");
            }
            seen |= (uint32_t)bit;
        }
    }
}

void person_seal(const struct sd_pii_keys *keys, const struct person_in *p,
                 const char *owner_subject, struct person_sealed *s)
{
    memset(s, 0, sizeof *s);
    char id[SR_ID_LEN + 1];
    snprintf(id, sizeof id, "%s", p->id_number);
    if (id[17] == 'x')
        id[17] = 'X';
    sd_pii_id_hash(keys, id, s->hash);
    sd_pii_seal(keys, id, s->id_sealed);
    sd_pii_mask_id(id, s->id_masked);
    if (p->phone) {
        sd_pii_seal(keys, p->phone, s->phone_sealed);
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

bool person_to_rules(const struct sd_pii_keys *keys, const struct db_person *row,
                     struct sr_person *p)
{
    memset(p, 0, sizeof *p);
    if (!sd_pii_open(keys, row->id_sealed, p->id_number, sizeof p->id_number))
        return false;
    int32_t *regions[PERSON_REGIONS] = {&p->hukou_region, &p->residence_region,
                                        &p->employment_region, &p->unemployment_region,
                                        &p->training_region};
    for (int i = 0; i < PERSON_REGIONS; i++)
        if (row->regions[i][0])
            *regions[i] = flow_rule_region(row->regions[i]);
    json_t *groups = json_loads(row->groups_json, 0, NULL);
    size_t i;
    json_t *g;
    json_array_foreach(groups, i, g)
    {
        enum sr_group bit;
        if (sr_group_parse(json_string_value(json_object_get(g, "group")), &bit))
            p->groups |= (uint32_t)bit;
    }
    json_decref(groups);
    p->past_retirement_age = row->past_retirement_age;
    return true;
}
