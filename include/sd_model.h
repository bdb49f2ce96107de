#ifndef SD_MODEL_H
#define SD_MODEL_H

#include <stdbool.h>

#include "sr_ids.h"
#include "sr_vocab.h"

/* Roles are bits so that a route can allow several: SD_ROLE_X is 1u << SR_ROLE_X, one bit per
 * role of api/vocabulary.csv, in its order. */
enum sd_role {
#define SD_ROLE_BIT(x) SD_ROLE_##x = 1u << SR_ROLE_##x,
    SR_ROLE_EACH(SD_ROLE_BIT)
#undef SD_ROLE_BIT
};
#define SD_ROLES_ANY ((1u << SR_ROLE_COUNT) - 1u)

/* "applicant", "admin", ...; NULL for a value that is not exactly one role. */
const char *sd_role_name(unsigned role);

/* Parse a role name; false for anything else. */
bool sd_role_parse(const char *name, enum sd_role *out);

/* The rule module's role for a role bit (the one mapping between the two enums); false for a
 * value that is not exactly one role. */
bool sd_role_rule(unsigned role, enum sr_role *out);

/* The role bit of a rule-module role; 0 when out of range. */
unsigned sd_role_bit(enum sr_role role);

/* Is a role scoped to regions (tag "regions" of api/vocabulary.csv: approver, finance)? */
bool sd_role_regional(unsigned role);

#define SD_MAX_REGIONS 32
#define SD_REGION_LEN  SR_REGION_CODE_MAX
#define SD_SUBJECT_LEN 64

/* Who is calling: the token's identity, as stored. */
struct sd_principal {
    long long token_id;
    enum sd_role role;
    char subject[SD_SUBJECT_LEN + 1]; /* empty when the role has none */
    char subject_masked[19];          /* an applicant's ID number, masked; else empty */
    int nregions;                     /* approvers only */
    char regions[SD_MAX_REGIONS][SD_REGION_LEN + 1];
    char expires_at[32]; /* RFC 3339, UTC */
};

#endif
