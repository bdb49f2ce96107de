/* Every prepared statement, prepared on each new connection.  A new operation adds its line. */
#include "db.h"

extern const struct db_stmt db_stmt_schema_version, db_stmt_token_by_hash, db_stmt_token_insert,
    db_stmt_token_revoke, db_stmt_token_list, db_stmt_token_count_admins, db_stmt_region_missing;

const struct db_stmt *const db_statements[] = {
    &db_stmt_schema_version, &db_stmt_token_by_hash,
    &db_stmt_token_insert,   &db_stmt_token_revoke,
    &db_stmt_token_list,     &db_stmt_token_count_admins,
    &db_stmt_region_missing, NULL,
};
