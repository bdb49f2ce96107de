/* PUT /v1/admin/institutions/{code}: an admin registers a training institution under its
 * unified social credit code, or updates its name, region and status (normal or suspended; a
 * suspended institution cannot file classes).  201 on create, 200 on update; idempotent by
 * key; audited with before and after. */
#include "registry.h"

void put_admin_institutions_CODE(struct req *r)
{
    registry_put(r, &institution_registry);
}
