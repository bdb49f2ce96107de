#ifndef SD_FLOW_PERSON_H
#define SD_FLOW_PERSON_H

/* A person object as the profile and an enterprise's employee give it (parsed by
 * cj_person_parse, shape CJ_PERSON_RECORD), sealed for the database, and a person row as the
 * rule module sees it. */

#include "flow.h"
#include "payee_db.h"
#include "person_json.h"

/* A person ready for the database: hashed, sealed and masked (pii.h). */
struct person_sealed {
    char hash[SD_PII_HASH_HEX];
    char id_sealed[SD_PII_SEALED_HEX], phone_sealed[SD_PII_SEALED_HEX];
    char id_masked[19], phone_masked[32];
    char *groups_json;
    struct db_person_write w;
    /* a profile's payee account (PUT /v1/profile payee_account, sealed), or NULL: kept as it
     * is */
    const struct db_payee_account_write *payee;
};
void person_seal(const struct sd_pii_keys *keys, const struct cj_person_in *p,
                 const char *owner_subject, struct person_sealed *s);
void person_sealed_free(struct person_sealed *s);

/* The person as the rule module sees them, from their row; false when the sealed ID number
 * does not open (our bug). */
bool person_to_rules(const struct sd_pii_keys *keys, const struct db_person *row,
                     struct sr_person *p);

#endif
