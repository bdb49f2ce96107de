/* The sampling settings of 告知承诺 claims (review_db.h, sql/0033_commitment_sampling.sql): a new
 * versioned row with a fresh random seed, and the list of them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_exec.h"
#include "review_db.h"

// clang-format off
const struct db_stmt db_stmt_sampling_setting_set = {
    "sampling_setting_set",
    /* $1 policy $2 region ('' every region) $3 percent_bp $4 above_fen $5 note; the seed from
     * PostgreSQL's strong random source (two v4 UUIDs hashed: 32 bytes) */
    "WITH old AS (SELECT id, percent_bp, above_fen, note FROM sampling_setting"
    "  WHERE policy_id = $1 AND coalesce(region, '') = $2 ORDER BY id DESC LIMIT 1),"
    " w AS (INSERT INTO sampling_setting (policy_id, region, percent_bp, above_fen, seed, note)"
    "  VALUES ($1, nullif($2, ''), $3::int, $4::bigint,"
    "  sha256(uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid())), nullif($5, ''))"
    "  RETURNING *)"
    " SELECT json_build_object('id', w.id, 'policy', w.policy_id, 'region', w.region,"
    "   'percent_bp', w.percent_bp, 'above_fen', w.above_fen, 'seed', encode(w.seed, 'hex'),"
    "   'note', w.note)::text,"
    "   (SELECT json_build_object('id', old.id, 'percent_bp', old.percent_bp, 'above_fen',"
    "    old.above_fen, 'note', old.note)::text FROM old) FROM w",
    5};

const struct db_stmt db_stmt_sampling_settings = {
    "sampling_settings",
    /* $1 policy ('' all); every row, newest first within a scope, each saying whether it is the
     * one in force for its scope */
    "SELECT coalesce(json_agg(json_build_object('id', s.id, 'policy', s.policy_id, 'region',"
    "  s.region, 'percent_bp', s.percent_bp, 'above_fen', s.above_fen, 'seed',"
    "  encode(s.seed, 'hex'), 'note', s.note, 'created_at',"
    "  to_char(s.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
    "  'in_force', s.id = s.top)"
    "  ORDER BY s.policy_id, s.region NULLS FIRST, s.id DESC), '[]')::text"
    " FROM (SELECT x.*, max(x.id) OVER (PARTITION BY x.policy_id, coalesce(x.region, '')) AS top"
    "  FROM sampling_setting x WHERE $1 = '' OR x.policy_id = $1) s",
    1};
// clang-format on

enum db_rc db_sampling_setting_set(struct db_conn *c, const struct db_sampling_setting *s,
                                   char **after, char **before)
{
    char bp[16], fen[24];
    snprintf(bp, sizeof bp, "%d", s->percent_bp);
    snprintf(fen, sizeof fen, "%lld", s->above_fen);
    const char *p[] = {s->policy, s->region ? s->region : "", bp, fen, s->note ? s->note : ""};
    return db_setting_write(c, &db_stmt_sampling_setting_set, p, after, before);
}

enum db_rc db_sampling_settings(struct db_conn *c, const char *policy, char **json)
{
    const char *p[] = {policy ? policy : ""};
    enum db_rc rc;
    *json = NULL;
    PGresult *res = db_exec_row(c, &db_stmt_sampling_settings, p, true, &rc);
    if (!res)
        return rc;
    *json = strdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    return *json ? DB_OK : DB_HARD;
}
