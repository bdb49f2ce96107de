#ifndef SD_DB_PAGE_H
#define SD_DB_PAGE_H

/* One keyset page of a list, built in src/db from the rows and owned by the caller. */

#include <jansson.h>
#include <stdbool.h>

#include "db.h"

struct db_page {
    json_t *items;      /* the page's items, an array (owned) */
    json_t *next_after; /* the last item's key when more follow (integer or string), else null
                         * (owned) */
};

/* Release what a page holds (a zeroed page is fine). */
void db_page_free(struct db_page *p);

/* How a list's rows give the keyset key. */
enum db_page_key { DB_KEY_INT, DB_KEY_TEXT };

#endif
