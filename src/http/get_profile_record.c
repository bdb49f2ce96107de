/* GET /v1/profile/record: the applicant's own trainee record (培训档案, Ningbo 五(一)) — every
 * class, attendance, completion result, certificate and subsidy — masked as the profile is;
 * Accept: text/html for a printable page.  404 before the profile exists. */
#include "record.h"

void get_profile_record(struct req *r)
{
    record_reply(r, 0);
}
