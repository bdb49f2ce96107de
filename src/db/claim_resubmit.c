/* The owner's resubmission of a returned claim (review_db.h): what the return named, and the
 * claim's quota place given back before the resubmission's judgement takes one again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_exec.h"
#include "review_db.h"

// clang-format off
const struct db_stmt db_stmt_claim_resubmit_prepare = {
    "claim_resubmit_prepare",
    /* $1 id (locked by the caller): the place of the year it was judged for given back (the
     * resubmission takes one for the year judged now, perhaps another); the list of what to
     * fix and the input the claim was returned with */
    "WITH g AS (UPDATE claim_quota q SET used = q.used - 1 FROM claim c"
    "  WHERE c.id = $1::bigint AND q.person_id = c.person_id AND q.year = c.year"
    "  AND c.counts_quota AND claim_state_live(c.state) RETURNING 1)"
    " SELECT coalesce(return_fixes, '[]'::jsonb)::text, coalesce(returned_input, input)::text"
    " FROM claim WHERE id = $1::bigint",
    1};
// clang-format on

enum db_rc db_claim_resubmit_prepare(struct db_conn *c, long long id, char **fixes_json,
                                     char **returned_input_json)
{
    char idt[24];
    snprintf(idt, sizeof idt, "%lld", id);
    const char *p[] = {idt};
    enum db_rc rc;
    *fixes_json = *returned_input_json = NULL;
    PGresult *res = db_exec_row(c, &db_stmt_claim_resubmit_prepare, p, false, &rc);
    if (!res)
        return rc;
    *fixes_json = strdup(PQgetvalue(res, 0, 0));
    *returned_input_json = strdup(PQgetvalue(res, 0, 1));
    PQclear(res);
    return *fixes_json && *returned_input_json ? DB_OK : DB_HARD;
}
