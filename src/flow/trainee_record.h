#ifndef SD_FLOW_TRAINEE_RECORD_H
#define SD_FLOW_TRAINEE_RECORD_H

/* The trainee's record (培训档案, Ningbo 五(一)): every class, attendance, completion result,
 * certificate and claim of one person, keyed by the keyed hash of the ID number (the person
 * row), for the person and for the approvers of the regions involved (person_record.c). */

#include "flow.h"
#include "record_db.h"

/* The record of the calling applicant (person_ref 0) or, for an approver, of person person_ref:
 * 200 with the record; 404 when there is none, or the approver's regions hold none of its
 * classes and claims.  Each read is audited (person.record), as a reveal is. */
enum db_rc flow_person_record(const struct flow_caller *c, struct db_conn *db, long long person_ref,
                              struct flow_result *res);

#endif
