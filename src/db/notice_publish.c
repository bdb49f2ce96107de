/* A region's monthly notice list published (notice_db.h, sql/0036_notice.sql): one list per
 * region and period, whoever publishes it and however often. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claim_sql.h"
#include "notice_db.h"

// clang-format off
const struct db_stmt db_stmt_notice_publish = {
    "notice_publish",
    /* $1 region $2 period $3 starts $4 ends $5 days $6 request_id.  A second publish (or one
     * running at the same time: ON CONFLICT waits for the first) makes no list and moves no
     * claim; claims approved after the list wait for the next one. */
    "WITH l AS (INSERT INTO notice_list (region, period, starts, ends, days)"
    "  VALUES ($1, $2, $3::date, $4::date, $5::int) ON CONFLICT (region, period) DO NOTHING"
    "  RETURNING *),"
    " c AS (UPDATE claim k SET state = 'in_notice', notice_starts = l.starts,"
    "  notice_ends = l.ends, notice_period = l.period, notice_list_id = l.id, updated_at = now()"
    "  FROM l WHERE k.state = 'approved'"
    "  AND (k.region = $1 OR k.region IN (SELECT code FROM region WHERE parent = $1))"
    "  RETURNING k.*),"
    CLAIM_STEP_DETAIL("0", "'system'", "$6", "'open_notice'", "'approved'::text", "''",
                      "jsonb_build_object('list', c.notice_list_id, 'period', c.notice_period)")
    ","
    " la AS (INSERT INTO audit (actor, action, object_kind, object_id, before, after, request_id)"
    "  SELECT NULL, 'notice_list.publish', 'notice_list', l.id::text, NULL,"
    "  jsonb_build_object('region', l.region, 'period', l.period, 'starts', l.starts,"
    "  'ends', l.ends, 'claims', (SELECT count(*) FROM c)), $6 FROM l)"
    " SELECT coalesce((SELECT id FROM l), (SELECT id FROM notice_list WHERE region = $1"
    "  AND period = $2)), (SELECT count(*) FROM c), EXISTS (SELECT 1 FROM l)",
    6};
// clang-format on

enum db_rc db_notice_publish(struct db_conn *c, const struct db_notice_publish *s,
                             long long *list_id, int *added, bool *created)
{
    char days[16];
    snprintf(days, sizeof days, "%d", s->days);
    const char *p[] = {s->region, s->period, s->starts, s->ends, days, s->request_id};
    enum db_rc rc;
    PGresult *res = db_exec_row(c, &db_stmt_notice_publish, p, false, &rc);
    if (!res)
        return rc;
    *list_id = atoll(PQgetvalue(res, 0, 0));
    *added = atoi(PQgetvalue(res, 0, 1));
    *created = PQgetvalue(res, 0, 2)[0] == 't';
    PQclear(res);
    return DB_OK;
}
