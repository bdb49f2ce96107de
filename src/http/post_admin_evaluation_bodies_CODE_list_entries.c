/* POST /v1/admin/evaluation-bodies/{code}/list-entries: an admin puts an evaluation body on the
 * red or black list (reason, from, optionally to).  Entries are never changed; idempotent by
 * key; audited with the body before and after. */
#include "registry.h"

void post_admin_evaluation_bodies_CODE_list_entries(struct req *r)
{
    registry_list_entry(r, &evaluation_body_registry);
}
