/* GET /v1/evaluation-bodies?region=&status=&after=&limit=: evaluation bodies with their kind
 * and status, keyset pages by credit code; any role reads them. */
#include "registry.h"

void get_evaluation_bodies(struct req *r)
{
    registry_list(r, &evaluation_body_registry);
}
