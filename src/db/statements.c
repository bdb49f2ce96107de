/* Every prepared statement, prepared on each new connection.  A new operation adds its line. */
#include "db.h"

extern const struct db_stmt db_stmt_schema_version, db_stmt_token_by_hash, db_stmt_token_insert,
    db_stmt_token_revoke, db_stmt_token_list, db_stmt_token_count_admins, db_stmt_region_missing,
    db_stmt_audit_insert, db_stmt_idem_claim, db_stmt_idem_find, db_stmt_idem_store,
    db_stmt_calendar_year, db_stmt_calendar_lock, db_stmt_calendar_upsert, db_stmt_calendar_clear,
    db_stmt_calendar_fill, db_stmt_calendar_range, db_stmt_calendar_loaded, db_stmt_catalog_lock,
    db_stmt_catalog_insert, db_stmt_catalog_fill, db_stmt_catalog_get, db_stmt_catalog_list,
    db_stmt_catalog_entries;

/* clang-format off */
const struct db_stmt *const db_statements[] = {
    &db_stmt_schema_version,
    &db_stmt_token_by_hash,
    &db_stmt_token_insert,
    &db_stmt_token_revoke,
    &db_stmt_token_list,
    &db_stmt_token_count_admins,
    &db_stmt_region_missing,
    &db_stmt_audit_insert,
    &db_stmt_idem_claim,
    &db_stmt_idem_find,
    &db_stmt_idem_store,
    &db_stmt_calendar_year,
    &db_stmt_calendar_lock,
    &db_stmt_calendar_upsert,
    &db_stmt_calendar_clear,
    &db_stmt_calendar_fill,
    &db_stmt_calendar_range,
    &db_stmt_calendar_loaded,
    &db_stmt_catalog_lock,
    &db_stmt_catalog_insert,
    &db_stmt_catalog_fill,
    &db_stmt_catalog_get,
    &db_stmt_catalog_list,
    &db_stmt_catalog_entries,
    NULL,
};
/* clang-format on */
