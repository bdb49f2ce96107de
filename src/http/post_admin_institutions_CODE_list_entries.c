/* POST /v1/admin/institutions/{code}/list-entries: an admin puts a training institution on the
 * red or black list (reason, from, optionally to).  A black-listed institution cannot file
 * classes in that period.  Entries are never changed; idempotent by key; audited with the
 * institution before and after. */
#include "registry.h"

void post_admin_institutions_CODE_list_entries(struct req *r)
{
    registry_list_entry(r, &institution_registry);
}
