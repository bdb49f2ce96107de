/* A page of the public notice list (notice_db.h, sql/0036_notice.sql): the claims of a region
 * (and its districts) in notice or objected, of one period, by id. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_exec.h"
#include "notice_db.h"

// clang-format off
const struct db_stmt db_stmt_notice_public = {
    "notice_public",
    /* $1 region $2 period $3 after id $4 limit.  The institution: the one whose class's
     * assessment gave the claim's certificate (class_result, 0030), when there is one.  The
     * name is the person's, masked by the caller; the ID number only in its masked form. */
    "SELECT json_build_object('claim_id', c.id, 'state', c.state, 'region', c.region,"
    "  'name', p.name, 'id_number_masked', p.id_masked, 'occupation', c.occupation,"
    "  'occupation_name', (SELECT o.name FROM occupation o WHERE o.code = c.occupation),"
    "  'level', c.level, 'kind', c.kind, 'institution', (SELECT i.name FROM certificate k"
    "   JOIN class_result r ON r.kind = k.kind AND r.number = k.number"
    "   JOIN class cl ON cl.id = r.class_id JOIN institution i ON i.credit_code = cl.institution"
    "   WHERE k.id = c.certificate_id LIMIT 1),"
    "  'amount_fen', c.amount_fen, 'notice_starts', c.notice_starts::text,"
    "  'notice_ends', c.notice_ends::text)::text, c.id"
    " FROM claim c JOIN person p ON p.id = c.person_id"
    " WHERE c.state IN ('in_notice', 'objected') AND c.notice_period = $2"
    "  AND (c.region = $1 OR c.region IN (SELECT code FROM region WHERE parent = $1))"
    "  AND c.id > $3::bigint ORDER BY c.id LIMIT $4::int",
    4};
// clang-format on

enum db_rc db_notice_public(struct db_conn *c, const char *region, const char *period,
                            long long after, int limit, struct db_page *out)
{
    char a[24];
    snprintf(a, sizeof a, "%lld", after);
    const char *params[] = {region, period, a, NULL};
    return db_page_exec(c, &db_stmt_notice_public, params, limit, DB_KEY_INT, out);
}
