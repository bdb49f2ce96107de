#ifndef SD_DB_RECORD_H
#define SD_DB_RECORD_H

/* The trainee's record (培训档案, Ningbo 五(一)): everything the service holds of one person's
 * training, read in one statement (person_record.c). */

#include "ops.h"

struct db_person_record {
    long long person_id;
    char *json;    /* {person, classes, certificates, claims, generated_at}, masked (malloc'd) */
    char *regions; /* the regions involved, with their parents: "330902,330900" (malloc'd) */
};
/* The record of person person_id, or (person_id 0) of the applicant owner_subject registered;
 * DB_NOT_FOUND when there is no such person. */
enum db_rc db_person_record(struct db_conn *c, long long person_id, const char *owner_subject,
                            struct db_person_record *out);
void db_person_record_free(struct db_person_record *r);

#endif
