/* The daemon's role bits and the rule module's roles are one list (api/vocabulary.csv): a bit's
 * position is the sr_role. */
#include "sd_model.h"

bool sd_role_rule(unsigned role, enum sr_role *out)
{
    for (int i = 0; i < SR_ROLE_COUNT; i++)
        if (role == 1u << i) {
            *out = (enum sr_role)i;
            return true;
        }
    return false;
}

unsigned sd_role_bit(enum sr_role role)
{
    return (unsigned)role < SR_ROLE_COUNT ? 1u << role : 0;
}

bool sd_role_regional(unsigned role)
{
    enum sr_role r;
    size_t n = 0;
    const struct sr_term *t = sr_vocab_terms(SR_VOCAB_ROLE, &n);
    return sd_role_rule(role, &r) && (size_t)r < n && (t[r].tags & SR_TAG_REGIONS);
}

const char *sd_role_name(unsigned role)
{
    enum sr_role r;
    return sd_role_rule(role, &r) ? sr_role_name(r) : NULL;
}

bool sd_role_parse(const char *name, enum sd_role *out)
{
    enum sr_role r;
    if (!sr_role_parse(name, &r))
        return false;
    *out = (enum sd_role)sd_role_bit(r);
    return true;
}
