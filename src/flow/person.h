#ifndef SD_FLOW_PERSON_H
#define SD_FLOW_PERSON_H

/* A person object as the profile and an enterprise's employee give it, sealed for the
 * database, and a person row as the rule module sees it. */

#include "flow.h"

#define PERSON_REGIONS 5

/* A person object as given (borrowed from the JSON it was parsed from). */
struct person_in {
    const char *id_number, *name, *phone;
    const char *regions[PERSON_REGIONS]; /* hukou, residence, employment, unemployment, training */
    const json_t *groups;                /* [{"group", "evidence"}] */
    bool past_retirement_age;
};
/* The names of the five region fields, in the order of person_in.regions. */
extern const char *const person_region_fields[PERSON_REGIONS];

/* Check a person object into p; problems go to e, named under prefix ("employee") or bare when
 * NULL.  today: for the ID number's birth date; region_format: what a region code looks like
 * (its existence is checked against the database apart). */
void person_parse(struct jerrors *e, const char *prefix, const json_t *obj, int32_t today,
                  const struct jformat *region_format, struct person_in *p);
/* prefix.name, or name when prefix is NULL. */
void person_field_name(char *out, size_t len, const char *prefix, const char *name);

/* A person ready for the database: hashed, sealed and masked (pii.h). */
struct person_sealed {
    char hash[SD_PII_HASH_HEX];
    char id_sealed[SD_PII_SEALED_HEX], phone_sealed[SD_PII_SEALED_HEX];
    char id_masked[19], phone_masked[32];
    char *groups_json;
    struct db_person_write w;
};
void person_seal(const struct sd_pii_keys *keys, const struct person_in *p,
                 const char *owner_subject, struct person_sealed *s);
void person_sealed_free(struct person_sealed *s);

/* The person as the rule module sees them, from their row; false when the sealed ID number
 * does not open (our bug). */
bool person_to_rules(const struct sd_pii_keys *keys, const struct db_person *row,
                     struct sr_person *p);

#endif
