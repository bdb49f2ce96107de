#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"
#include "db_exec.h"

/* A token of an account takes role, subject and regions from the account as it is now (one
 * round trip: the joins, not a second query); a disabled account's token counts as revoked, and
 * so does every other token of the account's subject (a subject belongs to one account). */
#define TOKEN_SELECT                                                                               \
    "SELECT t.id, coalesce(a.role, t.role),"                                                       \
    "       coalesce(CASE WHEN a.id IS NULL THEN t.subject ELSE a.subject END, ''),"               \
    "       array_to_string(coalesce(a.regions, t.regions), ','),"                                 \
    "       to_char(t.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"           \
    "       t.revoked_at IS NOT NULL OR coalesce(a.status = 'disabled', false)"                    \
    "        OR coalesce(s.status = 'disabled', false),"                                           \
    "       t.expires_at <= now(),"                                                                \
    "       coalesce(CASE WHEN a.id IS NULL THEN t.subject_masked ELSE a.subject_masked END, '')"  \
    "  FROM token t LEFT JOIN account a ON a.id = t.account_id"                                    \
    "  LEFT JOIN account s ON t.account_id IS NULL AND s.role = t.role AND s.subject = t.subject"

const struct db_stmt db_stmt_token_by_hash = {"token_by_hash",
                                              TOKEN_SELECT " WHERE t.hash = $1::bytea", 1};
/* a review job's worker acts as the approver whose token recorded the job (review_job.c) */
const struct db_stmt db_stmt_token_by_id = {"token_by_id", TOKEN_SELECT " WHERE t.id = $1::bigint",
                                            1};

static void split_regions(const char *csv, struct sd_principal *who)
{
    who->nregions = 0;
    while (*csv && who->nregions < SD_MAX_REGIONS) {
        size_t n = strcspn(csv, ",");
        if (n > SD_REGION_LEN)
            n = SD_REGION_LEN;
        memcpy(who->regions[who->nregions], csv, n);
        who->regions[who->nregions++][n] = '\0';
        csv += strcspn(csv, ",");
        if (*csv == ',')
            csv++;
    }
}

/* The token row res holds into who and state; takes res. */
static enum db_rc token_read(PGresult *res, struct sd_principal *who, enum db_token_state *state)
{
    enum db_rc rc = DB_OK;
    if (PQntuples(res) != 1) {
        PQclear(res);
        return DB_NOT_FOUND;
    }
    memset(who, 0, sizeof *who);
    who->token_id = atoll(PQgetvalue(res, 0, 0));
    if (!sd_role_parse(PQgetvalue(res, 0, 1), &who->role))
        rc = DB_HARD;
    snprintf(who->subject, sizeof who->subject, "%s", PQgetvalue(res, 0, 2));
    split_regions(PQgetvalue(res, 0, 3), who);
    snprintf(who->subject_masked, sizeof who->subject_masked, "%s", PQgetvalue(res, 0, 7));
    snprintf(who->expires_at, sizeof who->expires_at, "%s", PQgetvalue(res, 0, 4));
    *state = PQgetvalue(res, 0, 5)[0] == 't'   ? DB_TOKEN_REVOKED
             : PQgetvalue(res, 0, 6)[0] == 't' ? DB_TOKEN_EXPIRED
                                               : DB_TOKEN_ACTIVE;
    PQclear(res);
    return rc;
}

enum db_rc db_token_by_hash(struct db_conn *c, const uint8_t hash[SD_TOKEN_HASH_LEN],
                            struct sd_principal *who, enum db_token_state *state)
{
    char hex[2 + 2 * SD_TOKEN_HASH_LEN + 1] = "\\x";
    sd_hex(hash, SD_TOKEN_HASH_LEN, hex + 2);
    const char *params[] = {hex};
    enum db_rc rc;
    PGresult *res = db_exec_ro(c, &db_stmt_token_by_hash, params, &rc);
    return res ? token_read(res, who, state) : rc;
}

enum db_rc db_token_by_id(struct db_conn *c, long long id, struct sd_principal *who,
                          enum db_token_state *state)
{
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", id);
    const char *params[] = {ids};
    enum db_rc rc;
    PGresult *res = db_exec(c, &db_stmt_token_by_id, params, &rc);
    return res ? token_read(res, who, state) : rc;
}
