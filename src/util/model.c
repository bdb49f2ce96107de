#include "sd_model.h"

#include <string.h>

static const struct {
    enum sd_role role;
    const char *name;
} roles[] = {
    {SD_ROLE_APPLICANT, "applicant"},
    {SD_ROLE_ENTERPRISE, "enterprise"},
    {SD_ROLE_INSTITUTION, "institution"},
    {SD_ROLE_APPROVER, "approver"},
    {SD_ROLE_ADMIN, "admin"},
};

const char *sd_role_name(unsigned role)
{
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        if (roles[i].role == role)
            return roles[i].name;
    return NULL;
}

bool sd_role_parse(const char *name, enum sd_role *out)
{
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        if (strcmp(roles[i].name, name) == 0) {
            *out = roles[i].role;
            return true;
        }
    return false;
}
