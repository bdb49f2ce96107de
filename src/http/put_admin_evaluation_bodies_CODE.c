/* PUT /v1/admin/evaluation-bodies/{code}: an admin registers an evaluation body (评价机构: an
 * appraisal centre, a recognised enterprise or another body that issues certificates) under
 * its unified social credit code, or updates its name, region, kind and status (normal or
 * suspended).  201 on create, 200 on update; idempotent by key; audited with before and after. */
#include "registry.h"

void put_admin_evaluation_bodies_CODE(struct req *r)
{
    registry_put(r, &evaluation_body_registry);
}
