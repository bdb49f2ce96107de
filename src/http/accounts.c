/* Accounts as the admin writes see them (accounts.h). */
#include <stdlib.h>
#include <string.h>

#include "accounts.h"
#include "ops.h"

enum db_rc account_lock(struct req *r, struct db_conn *c, struct admin_write *w)
{
    char role[16], state[16];
    return db_account_lock(c, atoll(w->id), role, state);
}

enum db_rc account_lock_active(struct req *r, struct db_conn *c, struct admin_write *w)
{
    char role[16], state[16];
    enum db_rc rc = db_account_lock(c, atoll(w->id), role, state);
    if (rc == DB_OK && strcmp(state, "active") != 0) {
        reply_problem(r, SD_E_ACCOUNT_DISABLED, NULL);
        return DB_ABORT;
    }
    return rc;
}

enum db_rc account_read(struct db_conn *c, const char *id, char **json)
{
    return db_account_get(c, atoll(id), json);
}
