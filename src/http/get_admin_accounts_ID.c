/* GET /v1/admin/accounts/{id}: one account with its tokens (ids, labels, times; never a secret
 * or a hash). */
#include <stdlib.h>

#include "handlers.h"
#include "ops.h"

void get_admin_accounts_ID(struct req *r)
{
    reply_by_id(r, db_account_get);
}
