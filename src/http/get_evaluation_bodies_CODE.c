/* GET /v1/evaluation-bodies/{code}: one evaluation body with its kind, status and red/black
 * list entries; any role reads it. */
#include "registry.h"

void get_evaluation_bodies_CODE(struct req *r)
{
    registry_get(r, &evaluation_body_registry);
}
