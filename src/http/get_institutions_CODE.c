/* GET /v1/institutions/{code}: one training institution with its status and red/black list
 * entries; any role reads it. */
#include "registry.h"

void get_institutions_CODE(struct req *r)
{
    registry_get(r, &institution_registry);
}
