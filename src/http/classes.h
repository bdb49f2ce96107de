#ifndef SD_CLASSES_H
#define SD_CLASSES_H

/*
 * What the class endpoints share: a roster from a JSON array or a CSV text (every bad row and
 * field named by row number, duplicates inside the upload listed), the preview switch, and the
 * reply of a refused roster.  Use cases: src/flow/class.h.
 */

#include "class.h"
#include "claims.h"

/* A roster as parsed: rows borrow from json (kept until class_roster_free). */
struct class_roster {
    json_t *json;
    struct class_roster_in in;
};
/* Check the rows (an array of {id_number, name}); problems go to r->errors under
 * "roster[N].field", N the row number counted from 1. */
void class_roster_from_json(struct req *r, const json_t *rows, int32_t today,
                            struct class_roster *out);
/* The same for a CSV text (UTF-8, optional BOM, a header row naming id_number or 身份证号 and
 * name or 姓名); row 1 is the first line after the header. */
void class_roster_from_csv(struct req *r, const char *text, int32_t today,
                           struct class_roster *out);
void class_roster_free(struct class_roster *x);

/* The id_number field of a trainee's row (18 characters, required). */
struct jfield class_id_number_field(const char **out);
/* Name field when id is not a valid resident ID number (unless field has a problem already). */
void class_id_number_check(struct req *r, const char *field, const char *id, int32_t today);
/* The same person: the same 18 characters, the check character x and X alike. */
bool class_same_id(const char *a, const char *b);

/* ?preview=true|false (with the other query fields of spec); false after replying 400. */
bool class_preview_query(struct req *r, bool *preview);

/* Reply 422 with every field error: roster_invalid when only roster rows are wrong, else
 * whole_code; members name the bad rows.  False when there is none. */
bool class_reply_field_errors(struct req *r, enum sd_err whole_code);

/* GET /v1/classes/{id}...: the class when the caller may see it (else 404 queued, and false);
 * get reads it. */
bool class_read_visible(struct req *r, struct db_conn *db, long long *id,
                        enum db_rc (*get)(struct db_conn *c, long long id, struct db_class_view *v),
                        struct db_class_view *v);

/* POST /v1/classes/{id}/{accept,reject,start,cancel} (class_step.c): the body checked, then
 * the step under the Idempotency-Key. */
void class_step(struct req *r, enum sr_class_action action);

#endif
