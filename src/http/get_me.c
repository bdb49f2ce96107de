/* GET /v1/me: who the presented token is (an applicant's subject, the ID number, masked). */
#include "handlers.h"

void get_me(struct req *r)
{
    json_t *regions = json_array();
    for (int i = 0; i < r->who.nregions; i++)
        json_array_append_new(regions, json_string(r->who.regions[i]));
    reply_json(r, 200,
               json_pack("{s:I, s:s, s:s?, s:o, s:s}", "token_id", (json_int_t)r->who.token_id,
                         "role", sd_role_name(r->who.role), "subject",
                         r->who.subject_masked[0] ? r->who.subject_masked
                         : r->who.subject[0]      ? r->who.subject
                                                  : NULL,
                         "regions", regions, "expires_at", r->who.expires_at));
}
