#ifndef SD_MODEL_H
#define SD_MODEL_H

#include <stdbool.h>

/* Roles are bits so that a route can allow several. */
enum sd_role {
    SD_ROLE_APPLICANT = 1u << 0,
    SD_ROLE_ENTERPRISE = 1u << 1,
    SD_ROLE_INSTITUTION = 1u << 2,
    SD_ROLE_APPROVER = 1u << 3,
    SD_ROLE_ADMIN = 1u << 4,
};
#define SD_ROLES_ANY                                                                               \
    (SD_ROLE_APPLICANT | SD_ROLE_ENTERPRISE | SD_ROLE_INSTITUTION | SD_ROLE_APPROVER |             \
     SD_ROLE_ADMIN)

/* "applicant", "admin", ...; NULL for a value that is not exactly one role. */
const char *sd_role_name(unsigned role);

/* Parse a role name; false for anything else. */
bool sd_role_parse(const char *name, enum sd_role *out);

#define SD_MAX_REGIONS 32
#define SD_REGION_LEN  12
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
