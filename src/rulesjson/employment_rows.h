#ifndef SD_EMPLOYMENT_ROWS_H
#define SD_EMPLOYMENT_ROWS_H

/* The records of an employment import (参保记录), checked the same way for the API and
 * subsidyctl, from JSON or CSV.  Here rather than in src/util because the checks are the rule
 * module's (resident ID, credit code, dates). */

#include <jansson.h>

#include "jspec.h"
#include "pii.h"

#define EMPLOYMENT_MAX_RECORDS 5000

/* CSV cells are text: "kinds" is a list separated by ";" (or "|"), an empty insured_to is
 * "still insured"; empty cells are dropped so that the row table judges CSV and JSON alike. */
void employment_rows_from_csv(json_t *records);
/* Check every record into e, naming fields records[i].name (resident ID, credit code, dates
 * and their order, kinds; each person, enterprise and insured_from once).  True when there was
 * no problem. */
bool employment_rows_check(struct jerrors *e, const json_t *records);
/* The records as the database takes them: the ID number replaced by its keyed hash (the
 * number itself is never stored or logged).  New reference. */
json_t *employment_rows_hashed(const struct sd_pii_keys *keys, const json_t *records);
/* A text field of an import's row: name, format, length min to max, required or not, value in
 * *out (may be NULL).  Shared by the certificate records. */
struct jfield rows_text(const char *name, const struct jformat *format, long long min,
                        long long max, bool required, const char **out);
/* The keyed hash of a (checked) ID number as the imports store it: a final 'x' upper-cased
 * first, so that it matches person.id_hash.  Shared by the certificate records. */
void rows_id_hash(const struct sd_pii_keys *keys, const char *id, char hash[SD_PII_HASH_HEX]);

#endif
