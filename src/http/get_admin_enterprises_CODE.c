/* GET /v1/admin/enterprises/{code}: one enterprise with its trade-friction listings. */
#include "registry.h"

void get_admin_enterprises_CODE(struct req *r)
{
    registry_get(r, &enterprise_registry);
}
