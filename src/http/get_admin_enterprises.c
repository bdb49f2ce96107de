/* GET /v1/admin/enterprises?region=&after=&limit=: registered enterprises, keyset pages by
 * credit code. */
#include "registry.h"

void get_admin_enterprises(struct req *r)
{
    registry_list(r, &enterprise_registry);
}
