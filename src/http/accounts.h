#ifndef SD_HTTP_ACCOUNTS_H
#define SD_HTTP_ACCOUNTS_H

/* The account an admin write changes (accounts.c), for struct admin_write: w->id is its id. */

#include "handlers.h"

/* Lock the account's row; DB_NOT_FOUND when there is none. */
enum db_rc account_lock(struct req *r, struct db_conn *c, struct admin_write *w);
/* The same, and a 409 (DB_ABORT) when the account is disabled. */
enum db_rc account_lock_active(struct req *r, struct db_conn *c, struct admin_write *w);
/* The same, and a 409 (DB_ABORT) when it is not an approver's account. */
enum db_rc account_lock_approver(struct req *r, struct db_conn *c, struct admin_write *w);
/* The account with its tokens as JSON text (malloc'd); DB_NOT_FOUND when there is none. */
enum db_rc account_read(struct db_conn *c, const char *id, char **json);

#endif
