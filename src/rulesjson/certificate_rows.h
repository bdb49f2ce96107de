#ifndef SD_CERTIFICATE_ROWS_H
#define SD_CERTIFICATE_ROWS_H

/* The records of a certificate import (证书记录, issue 12) as the appraisal system exports
 * them, checked the same way for the API and subsidyctl, from JSON or CSV: per record the
 * holder's ID number, the certificate's kind and number, occupation, level, issue date, the
 * issuing evaluation body's credit code and the status (valid or revoked).  What the checks need
 * from the database (the body registered, the occupation listed) is src/flow/certificate.h. */

#include <jansson.h>

#include "jspec.h"
#include "pii.h"

#define CERTIFICATE_MAX_RECORDS 5000

/* Check every record into e, naming fields records[i].name (records[0] is the first row after
 * a CSV header); numbers are rewritten trimmed and upper-case and occupations canonical, as
 * they are stored; each kind and number once in the file.  True when there was no problem. */
bool certificate_rows_check(struct jerrors *e, json_t *records);
/* Member "number" of row (a string) rewritten as certificate (0014) keeps it: trimmed,
 * upper-case. */
void certificate_number_canonical(json_t *row);
/* The records as the database takes them: the ID number replaced by its keyed hash (the number
 * itself is never stored or logged).  New reference. */
json_t *certificate_rows_hashed(const struct sd_pii_keys *keys, const json_t *records);

#endif
