/* GET /v1/persons/{id}/record: a trainee's record (培训档案) by person reference (the
 * person_ref of roster entries and of the record itself), for an approver of a region one of
 * the person's classes or claims is in; anyone else, and a malformed id, gets 404.  Audited. */
#include "record.h"

void get_persons_ID_record(struct req *r)
{
    long long id;
    if (!param_id(r->params[0], &id)) {
        reply_problem(r, SD_E_NOT_FOUND, NULL);
        return;
    }
    record_reply(r, id);
}
