#ifndef SD_CATALOG_ROWS_H
#define SD_CATALOG_ROWS_H

/* The rows of a catalog upload, checked the same way for the API and subsidyctl. */

#include <jansson.h>

#include "jspec.h"

#define CATALOG_MAX_ENTRIES 5000
#define CATALOG_MAX_FEN     1000000000000LL /* any standard or figure, in fen */

/* CSV cells are text: turn the number and yes/no columns into JSON numbers and booleans and
 * drop empty cells, so that the row table below judges CSV and JSON alike. */
void catalog_rows_from_csv(json_t *entries);

/* Check every entry (fields, bounds, levels; each occupation and level once) into e, naming
 * fields entries[i].name; a valid occupation is rewritten in its canonical spelling
 * (6-18-2-4 becomes 6-18-02-04).  True when there was no problem. */
bool catalog_rows_check(struct jerrors *e, json_t *entries);

/* A version needs at least one entry or its year-wide figure; when it has neither (and nothing
 * else is wrong yet) the problem goes on "entries", naming figure_name as the alternative. */
void catalog_rows_require(struct jerrors *e, const json_t *entries, bool has_year_standard,
                          const char *figure_name);

#endif
