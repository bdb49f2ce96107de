#ifndef SD_HTTP_CLASS_ATTENDANCE_H
#define SD_HTTP_CLASS_ATTENDANCE_H

/* What the attendance and inspection endpoints of a class share (class_attendance_body.c):
 * the formats of a time of day and of a sign-in's time, and the reply of a list read from a
 * class the caller may see.  Use cases: src/flow/class_attendance.h. */

#include "class_attendance.h"
#include "classes.h"

/* HH:MM, 00:00 to 23:59. */
extern const struct jformat class_time_format;
/* HH:MM or HH:MM:SS, optionally after YYYY-MM-DD and a space or T. */
extern const struct jformat class_signin_time_format;
/* Split a sign-in time (class_signin_time_format) into its date (date_out, "" when none) and
 * HH:MM:SS. */
void class_signin_time_split(const char *text, char date_out[11], char time_out[9]);

/* The rows of an upload by row number: a CSV text (text/csv, an optional BOM; each row given to
 * fix when not NULL, which renames its Chinese headers and types its cells) or the JSON body's
 * array `list` (1 to max objects); problems in r->errors.  A new array (caller decrefs). */
json_t *class_upload_rows(struct req *r, const char *list, size_t max, void (*fix)(json_t *row));
/* The checked rows of an upload: an array of json_array_size(rows) elements of size bytes (zeroed;
 * the caller frees it), check(r, row, n, out, cls) called for each object row n (from 1), a type
 * problem named list[n] for any other; NULL (named) when there are more than max, or out of
 * memory. */
void *class_rows_each(struct req *r, const char *list, const json_t *rows, size_t max, size_t size,
                      void (*check)(struct req *r, json_t *row, int n, void *out, void *cls),
                      void *cls);
/* Rename a CSV row's headers to the JSON names: names[k] is {header, name}, n of them; a name the
 * row gives already is kept. */
void class_csv_rename(json_t *row, const char *const (*names)[2], size_t n);
/* Name field when id is the same person as one of the n rows before it (id_at(rows, j) the
 * ID number of row j counted from 0, NULL when it has none). */
void class_same_person_check(struct req *r, const char *field, const char *id, int n,
                             const char *(*id_at)(const void *rows, int j), const void *rows);

/* GET /v1/classes/{id}/...: 200 {items} with list(db, id) for whoever may see the class. */
void class_reply_list(struct req *r,
                      enum db_rc (*list)(struct db_conn *c, long long id, json_t **items));
/* The same, as CSV of columns (NULL-terminated; csv_from_items) when Accept names text/csv. */
void class_reply_list_csv(struct req *r,
                          enum db_rc (*list)(struct db_conn *c, long long id, json_t **items),
                          const char *const *columns);

#endif
