/* Transitional: reply_page() over (json text, key) rows, for get_claims.c until db_claim_list
 * returns a struct db_page (then this file goes; issue 11, "Typed results"). */
#include "handlers.h"
#include "ops.h"

void reply_page(struct req *r, PGresult *res, int limit, bool int_key)
{
    struct db_page page;
    if (db_page_from_rows(res, limit, int_key ? DB_KEY_INT : DB_KEY_TEXT, &page) != DB_OK)
        reply_db(r, DB_HARD);
    else
        reply_list(r, &page);
}
