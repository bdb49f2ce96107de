#ifndef SD_CSV_H
#define SD_CSV_H

/*
 * A CSV reader for uploads (RFC 4180: commas, double-quoted fields with "" inside, CRLF or LF):
 * the first row names the columns, each further row becomes an object of strings keyed by them.
 * Rows of the wrong width and unterminated quotes are problems named "csv line N"; empty lines
 * are skipped, and so is a UTF-8 byte-order mark before the header.  Returns the array of row
 * objects (never NULL), or an empty one on problems.
 */

#include <jansson.h>

#include "jspec.h"

json_t *csv_rows(const char *text, struct jerrors *e, size_t max_rows);

/* Drop the empty cells of every row, so that a row table judges CSV and JSON alike (an empty
 * cell is a field not given). */
void csv_drop_empty(json_t *rows);

/* The items (objects) as CSV text for a spreadsheet: a UTF-8 byte-order mark, a header row of
 * columns (NULL-terminated), one CRLF line per item with its members' text or integers (empty
 * for any other).  Malloc'd, *len bytes. */
char *csv_from_items(const json_t *items, const char *const *columns, size_t *len);

#endif
