/* The person object sealed, and read back for the rule module (person.h). */
#include "person.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sr_ids.h"

void person_seal(const struct sd_pii_keys *keys, const struct cj_person_in *p,
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
    int32_t *regions[CJ_PERSON_REGIONS] = {&p->hukou_region, &p->residence_region,
                                           &p->employment_region, &p->unemployment_region,
                                           &p->training_region};
    for (int i = 0; i < CJ_PERSON_REGIONS; i++)
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
