#ifndef SD_HTTP_RECORD_H
#define SD_HTTP_RECORD_H

/* The trainee's record endpoints (record.c; the use case: src/flow/trainee_record.h). */

#include "handlers.h"
#include "trainee_record.h"

/* Reply the record of the calling applicant (person_ref 0) or, for an approver, of person
 * person_ref: JSON, or the printable page for Accept: text/html; 404 as the use case says. */
void record_reply(struct req *r, long long person_ref);

#endif
