/* GET /v1/review/claims: an approver's queue — the claims awaiting a decision in the approver's
 * regions (a city's approver sees its districts), by deadline (承诺时限, the default) or by
 * submission time, a keyset page at a time (after = the cursor next_after gave: stable while
 * claims arrive), with the counts by state and the overdue count for the same filters.  Filters:
 * state (one; by default submitted, resubmitted, in review, appealed and objected), kind, policy,
 * enterprise (the employer's credit code), amount_min/amount_max (fen),
 * submitted_from/submitted_to (days, both kept), due_before, overdue=true, sampled=true|false.
 * Persons masked (name and ID number): the detail view's audited reveal shows them in full. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claims.h"
#include "review_db.h"
#include "sr_ids.h"

#define WAITING "submitted,resubmitted,in_review,appealed,objected"

void get_review_claims(struct req *r)
{
    char regions[SD_MAX_REGIONS * (SD_REGION_LEN + 1) + 1], today[SR_DATE_STRLEN], key[24];
    principal_regions_csv(&r->who, regions, sizeof regions);
    sr_day_format(cj_today(), today);
    struct db_review_filter f = {
        .regions_csv = regions, .today = today, .limit = 50, .caller_token = r->who.token_id};
    if (!review_filter_read(r, NULL, NULL, sr_claim_state_values, &f, key, sizeof key)) {
        reply_field_errors(r, SD_E_BAD_QUERY);
        return;
    }
    if (!f.states_csv)
        f.states_csv = WAITING;
    struct db_conn *db = req_db(r);
    if (!db)
        return;
    struct db_page page = {0};
    json_t *counts = NULL;
    enum db_rc rc = db_review_claims(db, &f, &page, &counts);
    reply_queue(r, rc, &page, counts);
}
