#ifndef SD_PERSON_JSON_H
#define SD_PERSON_JSON_H

/*
 * The one parser of a person object, for both of its shapes: the person of a precheck request
 * (what the rule module reads: ID number, regions, group names) and the person the service
 * keeps — an applicant's profile or an enterprise's employee — which adds a name, a phone, and
 * each group with its evidence.  Every bad field is named at once (jspec.h).
 */

#include <jansson.h>
#include <stdint.h>

#include "jspec.h"
#include "sr_rules.h"

#define CJ_PERSON_REGIONS 5

enum cj_person_shape {
    CJ_PERSON_RULES,  /* precheck: groups are names */
    CJ_PERSON_RECORD, /* profile, employee: name required, phone, groups [{group, evidence}] */
};

/* A person object as given (strings borrowed from the JSON). */
struct cj_person_in {
    const char *id_number, *name, *phone;
    const char *regions[CJ_PERSON_REGIONS]; /* hukou, residence, employment, unemployment,
                                               training */
    const json_t *groups;                   /* as given */
    uint32_t group_bits;                    /* the groups named, as enum sr_group bits */
    bool past_retirement_age;
};
/* The region fields' names, in the order of regions[]. */
extern const char *const cj_person_region_fields[CJ_PERSON_REGIONS];

/* Check obj (a person of shape) into p; problems go to e, named under prefix ("person",
 * "employee") or bare when NULL.  today: for the ID number's birth date; region_format: what a
 * region code looks like (whether it exists is the database's say). */
void cj_person_parse(struct jerrors *e, const char *prefix, const json_t *obj, int32_t today,
                     enum cj_person_shape shape, const struct jformat *region_format,
                     struct cj_person_in *p);
/* prefix.name, or name when prefix is NULL. */
void cj_field_name(char *out, size_t len, const char *prefix, const char *name);

#endif
