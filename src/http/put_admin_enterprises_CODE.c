/* PUT /v1/admin/enterprises/{code}: an admin registers an enterprise under its unified social
 * credit code, or updates its name and region.  201 on create, 200 on update; idempotent by
 * key; audited with before and after. */
#include "registry.h"

void put_admin_enterprises_CODE(struct req *r)
{
    registry_put(r, &enterprise_registry);
}
