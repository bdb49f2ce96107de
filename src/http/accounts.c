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

/* Lock the account; refused (DB_ABORT, the reply queued) when it is not what ok says. */
static enum db_rc lock_if(struct req *r, struct db_conn *c, struct admin_write *w,
                          bool (*ok)(const char *role, const char *state), enum sd_err refusal)
{
    char role[16], state[16];
    enum db_rc rc = db_account_lock(c, atoll(w->id), role, state);
    if (rc == DB_OK && !ok(role, state)) {
        reply_problem(r, refusal, NULL);
        return DB_ABORT;
    }
    return rc;
}

static bool active(const char *role, const char *state)
{
    return strcmp(state, "active") == 0;
}

static bool approver(const char *role, const char *state)
{
    return strcmp(role, "approver") == 0;
}

enum db_rc account_lock_active(struct req *r, struct db_conn *c, struct admin_write *w)
{
    return lock_if(r, c, w, active, SD_E_ACCOUNT_DISABLED);
}

enum db_rc account_lock_approver(struct req *r, struct db_conn *c, struct admin_write *w)
{
    return lock_if(r, c, w, approver, SD_E_ACCOUNT_NOT_APPROVER);
}

enum db_rc account_read(struct db_conn *c, const char *id, char **json)
{
    return db_account_get(c, atoll(id), json);
}
