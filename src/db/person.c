/* People: an applicant's own profile, and the employees an enterprise claims for.  A person is
 * found by the keyed hash of the ID number; ID number and phone arrive sealed (pii.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"
#include "db_exec.h"

#define TS(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
#define PROFILE                                                                                    \
    "json_build_object('id_number_masked', p.id_masked, 'name', p.name, 'phone_masked',"           \
    " p.phone_masked, 'hukou_region', p.hukou_region, 'residence_region', p.residence_region,"     \
    " 'employment_region', p.employment_region, 'unemployment_region',"                            \
    " p.unemployment_region, 'training_region', p.training_region, 'groups', p.groups,"            \
    " 'past_retirement_age', p.past_retirement_age, 'created_at', " TS(                            \
        "p.created_at") ", 'updated_at', " TS("p.updated_at") ")::text"

/* Columns of a person as the rule module needs them (person_read). */
#define PERSON_COLS                                                                                \
    "p.id, " PROFILE ", p.id_sealed, p.phone_sealed, p.hukou_region, p.residence_region,"          \
    " p.employment_region, p.unemployment_region, p.training_region, p.groups::text,"              \
    " p.past_retirement_age"

const struct db_stmt db_stmt_person_put = {
    "person_put",
    "INSERT INTO person AS p (id_hash, id_sealed, id_masked, name, phone_sealed, phone_masked,"
    "  owner_subject, hukou_region, residence_region, employment_region, unemployment_region,"
    "  training_region, groups, past_retirement_age)"
    " VALUES ($1::bytea, $2::bytea, $3, $4, nullif($5, '')::bytea, nullif($6, ''), $7,"
    "  nullif($8, ''), nullif($9, ''), nullif($10, ''), nullif($11, ''), nullif($12, ''),"
    "  $13::jsonb, $14::boolean)"
    " ON CONFLICT (id_hash) DO UPDATE SET name = EXCLUDED.name,"
    "  phone_sealed = EXCLUDED.phone_sealed, phone_masked = EXCLUDED.phone_masked,"
    "  owner_subject = EXCLUDED.owner_subject, hukou_region = EXCLUDED.hukou_region,"
    "  residence_region = EXCLUDED.residence_region,"
    "  employment_region = EXCLUDED.employment_region,"
    "  unemployment_region = EXCLUDED.unemployment_region,"
    "  training_region = EXCLUDED.training_region, groups = EXCLUDED.groups,"
    "  past_retirement_age = EXCLUDED.past_retirement_age, updated_at = now()"
    " WHERE p.owner_subject IS NULL OR p.owner_subject = EXCLUDED.owner_subject"
    " RETURNING " PERSON_COLS,
    14};
const struct db_stmt db_stmt_person_by_owner = {
    "person_by_owner", "SELECT " PERSON_COLS " FROM person p WHERE p.owner_subject = $1", 1};
const struct db_stmt db_stmt_person_by_id = {
    "person_by_id", "SELECT " PERSON_COLS " FROM person p WHERE p.id = $1::bigint", 1};
/* An employee: the existing person of that ID number (whose data stays as it is), or a new one
 * without an owner, as a whole row (the rule module reads it next).  A row inserted by a
 * concurrent transaction after this statement's snapshot gives no row: retry. */
const struct db_stmt db_stmt_person_employee = {
    "person_employee",
    "WITH ins AS (INSERT INTO person (id_hash, id_sealed, id_masked, name, phone_sealed,"
    "  phone_masked, hukou_region, residence_region, employment_region, unemployment_region,"
    "  training_region, groups, past_retirement_age)"
    "  VALUES ($1::bytea, $2::bytea, $3, $4, nullif($5, '')::bytea, nullif($6, ''),"
    "  nullif($7, ''), nullif($8, ''), nullif($9, ''), nullif($10, ''), nullif($11, ''),"
    "  $12::jsonb, $13::boolean)"
    "  ON CONFLICT (id_hash) DO NOTHING RETURNING *)"
    " SELECT " PERSON_COLS " FROM ins p"
    " UNION ALL SELECT " PERSON_COLS " FROM person p WHERE p.id_hash = $1::bytea",
    13};

static const char *nz(const char *s)
{
    return s ? s : "";
}

static char *dup_col(PGresult *res, int col)
{
    return strdup(PQgetisnull(res, 0, col) ? "" : PQgetvalue(res, 0, col));
}

/* The person of row 0 of res, in the columns of PERSON_COLS; takes res. */
static enum db_rc person_read(PGresult *res, struct db_person *out)
{
    memset(out, 0, sizeof *out);
    out->id = atoll(PQgetvalue(res, 0, 0));
    out->profile_json = dup_col(res, 1);
    out->id_sealed = dup_col(res, 2);
    out->phone_sealed = dup_col(res, 3);
    for (int i = 0; i < 5; i++)
        snprintf(out->regions[i], sizeof out->regions[i], "%s",
                 PQgetisnull(res, 0, 4 + i) ? "" : PQgetvalue(res, 0, 4 + i));
    out->groups_json = dup_col(res, 9);
    out->past_retirement_age = PQgetvalue(res, 0, 10)[0] == 't';
    PQclear(res);
    if (out->profile_json && out->id_sealed && out->phone_sealed && out->groups_json)
        return DB_OK;
    db_person_free(out);
    return DB_HARD;
}

void db_person_free(struct db_person *p)
{
    free(p->profile_json);
    free(p->id_sealed);
    free(p->phone_sealed);
    free(p->groups_json);
    memset(p, 0, sizeof *p);
}

enum db_rc db_person_put(struct db_conn *c, const struct db_person_write *w, struct db_person *out,
                         enum db_person_put_outcome *outcome)
{
    const char *params[] = {w->id_hash,          w->id_sealed,
                            w->id_masked,        w->name,
                            nz(w->phone_sealed), nz(w->phone_masked),
                            w->owner_subject,    nz(w->regions[0]),
                            nz(w->regions[1]),   nz(w->regions[2]),
                            nz(w->regions[3]),   nz(w->regions[4]),
                            w->groups_json,      w->past_retirement_age ? "true" : "false"};
    enum db_rc rc;
    memset(out, 0, sizeof *out);
    *outcome = DB_PERSON_PUT_DONE;
    PGresult *res = db_exec_row(c, &db_stmt_person_put, params, false, &rc);
    if (rc == DB_NOT_FOUND) { /* the upsert's WHERE: the row is another applicant's */
        *outcome = DB_PERSON_PUT_HELD_BY_OTHER;
        return DB_OK;
    }
    if (rc == DB_UNIQUE) { /* person.owner_subject is UNIQUE: one profile each */
        *outcome = DB_PERSON_PUT_ID_CHANGED;
        return DB_OK;
    }
    return res ? person_read(res, out) : rc;
}

enum db_rc db_person_by_owner(struct db_conn *c, const char *subject, struct db_person *out)
{
    const char *params[] = {subject};
    enum db_rc rc;
    PGresult *res = db_exec_row(c, &db_stmt_person_by_owner, params, true, &rc);
    return res ? person_read(res, out) : rc;
}

enum db_rc db_person_by_id(struct db_conn *c, long long id, struct db_person *out)
{
    char idt[24];
    snprintf(idt, sizeof idt, "%lld", id);
    const char *params[] = {idt};
    enum db_rc rc;
    PGresult *res = db_exec_row(c, &db_stmt_person_by_id, params, true, &rc);
    return res ? person_read(res, out) : rc;
}

static void employee_params(const struct db_person_write *w, const char *params[13])
{
    const char *p[] = {w->id_hash,
                       w->id_sealed,
                       w->id_masked,
                       w->name,
                       nz(w->phone_sealed),
                       nz(w->phone_masked),
                       nz(w->regions[0]),
                       nz(w->regions[1]),
                       nz(w->regions[2]),
                       nz(w->regions[3]),
                       nz(w->regions[4]),
                       w->groups_json,
                       w->past_retirement_age ? "true" : "false"};
    memcpy(params, p, sizeof p);
}

static enum db_rc employee_read(PGresult *res, struct db_person *out)
{
    if (PQntuples(res) < 1) { /* inserted by a concurrent transaction: retry */
        PQclear(res);
        return DB_SOFT;
    }
    return person_read(res, out);
}

enum db_rc db_person_employee(struct db_conn *c, const struct db_person_write *w,
                              struct db_person *out)
{
    const char *params[13];
    employee_params(w, params);
    enum db_rc rc;
    PGresult *res = db_exec(c, &db_stmt_person_employee, params, &rc);
    return res ? employee_read(res, out) : rc;
}

enum db_rc db_person_employee_context(struct db_conn *c, const struct db_person_write *w,
                                      const struct db_claim_context_key *k, struct db_person *out,
                                      struct db_claim_context *ctx)
{
    const char *employee[13];
    employee_params(w, employee);
    struct db_context_params x;
    struct db_claim_context_key by_hash = *k;
    by_hash.person_id = 0;
    by_hash.person_hash = w->id_hash;
    db_claim_context_params(&by_hash, &x);
    const struct db_stmt *s[] = {&db_stmt_person_employee, x.s};
    const char *const *params[] = {employee, x.p};
    PGresult *res[2];
    enum db_rc rc = db_exec_many(c, 2, s, params, res);
    if (rc != DB_OK)
        return rc;
    rc = employee_read(res[0], out);
    if (rc != DB_OK) {
        PQclear(res[1]);
        return rc;
    }
    rc = db_claim_context_read(res[1], ctx);
    if (rc != DB_OK)
        db_person_free(out);
    return rc;
}
