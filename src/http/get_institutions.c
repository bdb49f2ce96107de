/* GET /v1/institutions?region=&status=&after=&limit=: training institutions with their status,
 * keyset pages by credit code; any role reads them. */
#include "registry.h"

void get_institutions(struct req *r)
{
    registry_list(r, &institution_registry);
}
