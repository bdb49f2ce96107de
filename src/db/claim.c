/* Claims: create (as a draft or submitted), edit a draft, submit, withdraw.  Each change, its
 * timeline row, its audit row and the quota place it takes or gives back are one statement, so
 * they commit together and cost one round trip. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claim_sql.h"
#include "db_exec.h"
#include "log.h"
#include "ops.h"

/* Parameters $1..$14 of a submission, shared by insert and submit. */
#define DECIDED_PARAMS 14

/* The head of a submission's statement: the quota place when counts, then the certificate (kind,
 * number) of person $2; and its tail: the summary (with the hold the sample's trigger sets after
 * the statement, when drawn: CLAIM_SAMPLE's s), and whether the certificate is another's. */
#define WRITE_HEAD(counts, kind, number)                                                           \
    "WITH" CLAIM_QUOTA(counts, "$2", "$3", "$4") "," CLAIM_CERTIFICATE(kind, number, "$2") ","
#define WRITE_TAIL                                                                                 \
    " SELECT CASE WHEN EXISTS (SELECT 1 FROM s WHERE s.sampled) THEN jsonb_set(" CLAIM_SUMMARY     \
    "::jsonb, '{payment_hold}', '\"commitment_sample\"')::text ELSE " CLAIM_SUMMARY                \
    "::text END, " CLAIM_CERTIFICATE_HELD("$2") " FROM c JOIN person p ON p.id = c.person_id"

// clang-format off
const struct db_stmt db_stmt_claim_insert = {
    "claim_insert",
    /* $1 counts $2 person $3 year $4 per_year $5 unique_ol $6 once $7 policy $8 version
     * $9 catalog $10 amount $11 decision $12 review_due $13 submit $14 same_key; $15 owner_role
     * $16 owner_subject $17 region $18 employer $19 kind $20 occupation $21 level $22 input
     * $23 actor $24 request_id $25 employee_name $26 review_due_estimated $27 certificate kind
     * $28 certificate number $29 commitment (告知承诺制: the sample drawn).  The quota place is taken (q, in the WHERE) before the
     * certificate is locked (k, in the row), as when they were two statements. */
    WRITE_HEAD("($13::boolean AND $1::boolean)", "$27", "$28")
    " c AS (INSERT INTO claim (owner_role, owner_subject, person_id, region, employer, kind,"
    "  occupation, level, state, input, year, counts_quota, unique_occupation_level,"
    "  once_per_year, same_key, policy_id, policy_version, catalog_id, amount_fen, decision,"
    "  review_due, submitted_at, employee_name, review_due_estimated, certificate_id, commitment)"
    "  SELECT $15, $16, $2::bigint, $17, nullif($18, ''), $19, nullif($20, ''), nullif($21, ''),"
    "  CASE WHEN $13::boolean THEN 'submitted' ELSE 'draft' END, $22::jsonb,"
    "  nullif($3::int, 0), $1::boolean, $5::boolean, $6::boolean, nullif($14, ''), nullif($7, ''),"
    "  nullif($8, '')::int, nullif($9, '')::bigint, nullif($10, '')::bigint,"
    "  nullif($11, '')::jsonb, nullif($12, '')::date,"
    "  CASE WHEN $13::boolean THEN now() END, nullif($25, ''), $26::boolean,"
    "  " CLAIM_CERTIFICATE_ID("$2") ", $29::boolean"
    "  WHERE NOT ($13::boolean AND $1::boolean) OR EXISTS (SELECT 1 FROM q) RETURNING *),"
    CLAIM_SAMPLE("$29") ","
    CLAIM_STEP("$23", "$24", "CASE WHEN $13::boolean THEN 'submit' ELSE 'create' END",
               "NULL::text", "''")
    WRITE_TAIL,
    29};

const struct db_stmt db_stmt_claim_submit = {
    "claim_submit",
    /* $1..$14 as above; $15 claim id, $16 state it must be in (a draft is submitted, a returned
     * claim resubmitted), $17 actor, $18 request_id,
     * $19 review_due_estimated, $20 certificate kind, $21 certificate number, $22 commitment */
    WRITE_HEAD("$1", "$20", "$21")
    " c AS (UPDATE claim SET state = CASE WHEN $16 = 'returned' THEN 'resubmitted'"
    "  ELSE 'submitted' END, year = $3::int, counts_quota = $1::boolean,"
    "  unique_occupation_level = $5::boolean, once_per_year = $6::boolean,"
    "  same_key = nullif($14, ''), policy_id = $7,"
    "  policy_version = $8::int, catalog_id = nullif($9, '')::bigint,"
    "  amount_fen = $10::bigint, decision = $11::jsonb, review_due = $12::date,"
    "  review_due_estimated = $19::boolean, submitted_at = now(), updated_at = now(),"
    "  commitment = $22::boolean,"
    "  certificate_id = " CLAIM_CERTIFICATE_ID("$2")
    "  WHERE id = $15::bigint AND state = $16 AND $13::boolean"
    "  AND (NOT $1::boolean OR EXISTS (SELECT 1 FROM q)) RETURNING *),"
    CLAIM_SAMPLE("$22") ","
    CLAIM_STEP("$17", "$18", "CASE WHEN $16 = 'returned' THEN 'resubmit' ELSE 'submit' END",
               "$16::text", "''")
    WRITE_TAIL,
    22};
// clang-format on

const struct db_stmt db_stmt_claim_edit = {
    "claim_edit",
    /* $1 id $2 region $3 employer $4 kind $5 occupation $6 level $7 input $8 actor
     * $9 request_id */
    "WITH c AS (UPDATE claim SET region = $2, employer = nullif($3, ''), kind = $4,"
    "  occupation = nullif($5, ''), level = nullif($6, ''), input = $7::jsonb,"
    "  updated_at = now() WHERE id = $1::bigint AND state IN ('draft', 'returned')"
    "  RETURNING *)," CLAIM_STEP("$8", "$9", "'edit'", "c.state",
                                 "''") " SELECT " CLAIM_SUMMARY
                                       "::text FROM c JOIN person p ON p.id = c.person_id",
    9};

const struct db_stmt db_stmt_claim_withdraw = {
    "claim_withdraw",
    /* $1 id $2 state it must be in $3 reason $4 actor $5 request_id $6 actor's role */
    "WITH c AS (UPDATE claim SET state = 'withdrawn', updated_at = now()"
    "  WHERE id = $1::bigint AND state = $2 RETURNING *),"
    " g AS (UPDATE claim_quota q SET used = q.used - 1 FROM c"
    "  WHERE q.person_id = c.person_id AND q.year = c.year AND c.counts_quota"
    "  AND claim_state_live($2))," CLAIM_STEP_BY(
        "$4", "$6", "$5", "'withdraw'", "$2::text",
        "$3") " SELECT " CLAIM_SUMMARY_FOR("$6 = 'enterprise'") "::text FROM c JOIN person p ON "
                                                                "p.id = c.person_id",
    6};

const struct db_stmt db_stmt_claim_lock = {
    "claim_lock",
    "SELECT c.owner_role, c.owner_subject, c.person_id, c.state, c.input::text, c.region,"
    " coalesce(c.employer, ''), c.returned_before, coalesce(r.parent, ''),"
    " coalesce(p.owner_subject, '')"
    " FROM claim c JOIN region r ON r.code = c.region JOIN person p ON p.id = c.person_id"
    " WHERE c.id = $1::bigint FOR UPDATE OF c",
    1};

static const char *text_or_empty(const char *s)
{
    return s ? s : "";
}

/* The certificate to tie a submitted claim to: its kind, "" for none. */
static const char *certificate_kind(const struct db_claim_write *w)
{
    return w->submit && w->certificate_kind && w->certificate_number && w->certificate_number[0]
               ? w->certificate_kind
               : "";
}

/* Run a claim change; its summary into *json.  DB_NOT_FOUND when it changed nothing. */
static enum db_rc claim_change(struct db_conn *c, const struct db_stmt *s, const char *const *p,
                               char **json)
{
    enum db_rc rc;
    PGresult *res = db_exec_row(c, s, p, false, &rc);
    if (!res)
        return rc;
    *json = strdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    return *json ? DB_OK : DB_HARD;
}

/* Run an insert or a submission: its conflicts by name. */
static enum db_rc claim_write(struct db_conn *c, const struct db_stmt *s, const char *const *p,
                              char **json, enum db_claim_write_outcome *outcome)
{
    *outcome = DB_CLAIM_WRITTEN;
    *json = NULL;
    enum db_rc rc;
    PGresult *res = db_exec_row(c, s, p, false, &rc);
    if (rc == DB_NOT_FOUND) { /* the quota CTE took no place: the only condition left */
        *outcome = DB_CLAIM_QUOTA_EXHAUSTED;
        return DB_OK;
    }
    if (rc == DB_UNIQUE) { /* a rule the indexes hold; any other index is a bug of ours */
        const char *index = db_last_constraint(c);
        if (strcmp(index, "claim_once_per_year") == 0)
            *outcome = DB_CLAIM_ONCE_A_YEAR_USED;
        else if (strcmp(index, "claim_certificate_once") == 0)
            *outcome = DB_CLAIM_CERTIFICATE_USED;
        else if (strcmp(index, "claim_same_key") == 0)
            *outcome = DB_CLAIM_SAME_OCCUPATION_LEVEL;
        else {
            log_bug("a claim's write broke an index no rule names",
                    json_pack("{s:s}", "constraint", index));
            return DB_HARD;
        }
        return DB_OK;
    }
    if (!res)
        return rc;
    if (PQgetvalue(res, 0, 1)[0] == 't')
        *outcome = DB_CLAIM_CERTIFICATE_HELD_BY_OTHER;
    else
        *json = strdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    return *outcome != DB_CLAIM_WRITTEN || *json ? DB_OK : DB_HARD;
}

/* Text of the fourteen decided parameters, kept in buf. */
struct decided_text {
    char person[24], year[16], per_year[16], version[16], catalog[24], amount[24];
};

static void decided_params(const struct db_claim_write *w, struct decided_text *b,
                           const char *p[DECIDED_PARAMS])
{
    snprintf(b->person, sizeof b->person, "%lld", w->person_id);
    snprintf(b->year, sizeof b->year, "%d", w->year);
    snprintf(b->per_year, sizeof b->per_year, "%d", w->per_year);
    snprintf(b->version, sizeof b->version, "%d", w->policy_version);
    snprintf(b->catalog, sizeof b->catalog, "%lld", w->catalog_id);
    snprintf(b->amount, sizeof b->amount, "%lld", w->amount_fen);
    const bool s = w->submit;
    p[0] = w->counts_quota ? "true" : "false";
    p[1] = b->person;
    p[2] = b->year; /* 0 for a draft: the quota CTE casts it either way */
    p[3] = b->per_year;
    p[4] = w->unique_occupation_level ? "true" : "false";
    p[5] = w->once_per_year ? "true" : "false";
    p[6] = s ? text_or_empty(w->policy_id) : "";
    p[7] = s ? b->version : "";
    p[8] = s && w->catalog_id ? b->catalog : "";
    p[9] = s ? b->amount : "";
    p[10] = s ? text_or_empty(w->decision_json) : "";
    p[11] = s ? text_or_empty(w->review_due) : "";
    p[12] = s ? "true" : "false";
    p[13] = s && w->unique_occupation_level ? text_or_empty(w->same_key) : "";
}

enum db_rc db_claim_insert(struct db_conn *c, const struct db_claim_write *w, char **json,
                           enum db_claim_write_outcome *outcome)
{
    struct decided_text b;
    char actor[24];
    snprintf(actor, sizeof actor, "%lld", w->actor);
    const char *p[29];
    decided_params(w, &b, p);
    const char *rest[] = {w->owner_role,
                          w->owner_subject,
                          w->region,
                          text_or_empty(w->employer),
                          w->kind,
                          text_or_empty(w->occupation),
                          text_or_empty(w->level),
                          w->input_json,
                          actor,
                          w->request_id,
                          text_or_empty(w->employee_name),
                          w->submit && w->review_due_estimated ? "true" : "false",
                          certificate_kind(w),
                          text_or_empty(w->certificate_number),
                          w->commitment ? "true" : "false"};
    memcpy(p + DECIDED_PARAMS, rest, sizeof rest);
    return claim_write(c, &db_stmt_claim_insert, p, json, outcome);
}

enum db_rc db_claim_submit(struct db_conn *c, long long id, const char *from_state,
                           const struct db_claim_write *w, char **json,
                           enum db_claim_write_outcome *outcome)
{
    struct decided_text b;
    char actor[24], idt[24];
    snprintf(actor, sizeof actor, "%lld", w->actor);
    snprintf(idt, sizeof idt, "%lld", id);
    const char *p[22];
    decided_params(w, &b, p);
    p[14] = idt;
    p[15] = from_state;
    p[16] = actor;
    p[17] = w->request_id;
    p[18] = w->review_due_estimated ? "true" : "false";
    p[19] = certificate_kind(w);
    p[20] = text_or_empty(w->certificate_number);
    p[21] = w->commitment ? "true" : "false";
    return claim_write(c, &db_stmt_claim_submit, p, json, outcome);
}

enum db_rc db_claim_edit(struct db_conn *c, long long id, const struct db_claim_write *w,
                         char **json)
{
    char actor[24], idt[24];
    snprintf(actor, sizeof actor, "%lld", w->actor);
    snprintf(idt, sizeof idt, "%lld", id);
    const char *p[] = {idt,
                       w->region,
                       text_or_empty(w->employer),
                       w->kind,
                       text_or_empty(w->occupation),
                       text_or_empty(w->level),
                       w->input_json,
                       actor,
                       w->request_id};
    return claim_change(c, &db_stmt_claim_edit, p, json);
}

enum db_rc db_claim_withdraw(struct db_conn *c, long long id, const char *from_state,
                             const char *reason, long long actor, const char *actor_role,
                             const char *request_id, char **json)
{
    char a[24], idt[24];
    snprintf(a, sizeof a, "%lld", actor);
    snprintf(idt, sizeof idt, "%lld", id);
    const char *p[] = {idt, from_state, text_or_empty(reason), a, request_id, actor_role};
    return claim_change(c, &db_stmt_claim_withdraw, p, json);
}

enum db_rc db_claim_lock(struct db_conn *c, long long id, struct db_claim_locked *out)
{
    char idt[24];
    snprintf(idt, sizeof idt, "%lld", id);
    const char *p[] = {idt};
    enum db_rc rc;
    PGresult *res = db_exec_row(c, &db_stmt_claim_lock, p, false, &rc);
    if (!res)
        return rc;
    rc = db_claim_locked_read(res, out);
    PQclear(res);
    return rc;
}

enum db_rc db_claim_locked_read(const PGresult *res, struct db_claim_locked *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->owner_role, sizeof out->owner_role, "%s", PQgetvalue(res, 0, 0));
    snprintf(out->owner_subject, sizeof out->owner_subject, "%s", PQgetvalue(res, 0, 1));
    out->person_id = atoll(PQgetvalue(res, 0, 2));
    snprintf(out->state, sizeof out->state, "%s", PQgetvalue(res, 0, 3));
    out->input_json = strdup(PQgetvalue(res, 0, 4));
    snprintf(out->region, sizeof out->region, "%s", PQgetvalue(res, 0, 5));
    snprintf(out->employer, sizeof out->employer, "%s", PQgetvalue(res, 0, 6));
    out->returned_before = PQgetvalue(res, 0, 7)[0] == 't';
    snprintf(out->region_parent, sizeof out->region_parent, "%s", PQgetvalue(res, 0, 8));
    snprintf(out->person_owner, sizeof out->person_owner, "%s", PQgetvalue(res, 0, 9));
    return out->input_json ? DB_OK : DB_HARD;
}
