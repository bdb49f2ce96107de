/* A claim's stored input (claim.h). */
#include "claim.h"

#include <string.h>

#include "occupation.h"

json_t *claim_input(const struct flow_caller *c, const struct claim_in *in)
{
    /* the payee follows from who claims: a worker is paid, an enterprise is paid */
    json_t *claim = json_deep_copy(in->claim);
    occupation_canonical_member(claim, "occupation"); /* one spelling stored: 6-18-02-04 */
    if (claim && !json_object_get(claim, "payee"))
        json_object_set_new(
            claim, "payee",
            json_string(c->who->role == SD_ROLE_ENTERPRISE ? "enterprise" : "person"));
    json_t *j = json_pack("{s:s, s:o}", "region", in->region, "claim", claim);
    if (j && in->employer)
        json_object_set(j, "employer", (json_t *)in->employer);
    return j;
}

void claim_input_read(const json_t *input, struct claim_in *in)
{
    memset(in, 0, sizeof *in);
    in->region = json_string_value(json_object_get(input, "region"));
    in->claim = json_object_get(input, "claim");
    in->employer = json_object_get(input, "employer");
    if (in->employer) {
        in->employer_code = json_string_value(json_object_get(in->employer, "credit_code"));
        in->ui_months = json_integer_value(json_object_get(in->employer, "ui_months"));
        in->hire_date = json_string_value(json_object_get(in->employer, "hire_date"));
    }
}
