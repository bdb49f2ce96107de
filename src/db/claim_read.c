/* Claims, read: one claim with its timeline, a page of a caller's own claims, and everything the
 * rule module reads from the database when a claim is submitted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claim_sql.h"
#include "db_exec.h"
#include "ops.h"

/* The summary as the viewer whose role is parameter $N sees it. */
#define SUMMARY_FOR_VIEWER_1 CLAIM_SUMMARY_FOR("$1 = 'enterprise'")
#define SUMMARY_FOR_VIEWER_2 CLAIM_SUMMARY_FOR("$2 = 'enterprise'")

const struct db_stmt db_stmt_claim_get = {
    "claim_get",
    "SELECT (" SUMMARY_FOR_VIEWER_2 "::jsonb || jsonb_build_object('input', c.input, 'decision',"
    " c.decision, 'catalog_id', c.catalog_id, 'returned_before', c.returned_before,"
    " 'return_fixes', c.return_fixes,"
    " 'timeline', (SELECT coalesce(json_agg(json_build_object('id', e.id, 'at', " CLAIM_TS(
        "e.at") ", 'actor_role', e.actor_role,"
                /* which account acted: its id, and whose it is (an applicant's ID number
                   masked, an organisation's credit code) */
                " 'actor', CASE WHEN t.id IS NULL THEN NULL ELSE json_build_object('account_id',"
                " coalesce(t.account_id, s.id), 'subject', CASE WHEN t.role = 'applicant' THEN"
                " coalesce(t.subject_masked, s.subject_masked) ELSE t.subject END) END,"
                " 'action', e.action, 'from_state', e.from_state, "
                "'to_state',"
                " e.to_state, 'reason', e.reason, 'policy', CASE WHEN e.policy_id IS NULL THEN "
                "NULL ELSE"
                " json_build_object('id', e.policy_id, 'version', e.policy_version) END, "
                "'amount_fen',"
                " e.amount_fen, 'detail', e.detail) ORDER BY e.id), '[]') FROM claim_event e"
                " LEFT JOIN token t ON t.id "
                "= e.actor"
                " LEFT JOIN account s ON t.account_id IS NULL AND s.role = t.role AND s.subject ="
                " t.subject WHERE e.claim_id = c.id)))::text,"
                " c.owner_role, c.owner_subject, c.region, coalesce(r.parent, ''), p.id_sealed,"
                " coalesce(p.phone_sealed::text, ''), p.id,"
                " c.submitted_at IS NULL AND c.state IN ('draft', 'withdrawn'),"
                " coalesce(p.owner_subject, ''), c.state"
                " FROM claim c JOIN person p ON p.id = c.person_id JOIN region r ON r.code = "
                "c.region"
                " WHERE c.id = $1::bigint",
    2};

const struct db_stmt db_stmt_claim_list = {
    "claim_list",
    "SELECT " SUMMARY_FOR_VIEWER_1 "::text, c.id FROM claim c JOIN person p ON p.id = c.person_id"
    " WHERE ((c.owner_role = $1 AND c.owner_subject = $2) OR ($1 = 'applicant'"
    "   AND c.state <> 'draft' AND c.person_id = (SELECT id FROM person WHERE owner_subject = $2)))"
    "   AND ($3 = '' OR c.state = $3)"
    "   AND ($4::int = 0 OR c.year = $4::int) AND ($5 = '' OR c.kind = $5)"
    "   AND ($6::bigint = 0 OR c.id < $6::bigint)"
    " ORDER BY c.id DESC LIMIT $7::int",
    7};

/* The employment records on the event date ($8): the enterprises the person was insured with,
 * and the employer the rules use — the one the claim names ($7) when the records hold it, the
 * latest one when it names none, none when the records contradict it. */
/* who: the person's id, from $1 (db_claim_context) or from the keyed hash of the ID number in
 * $1, so that the statement can follow the one that adds the person in the same round trip
 * (db_person_employee_context).  Two statements rather than one with both, whose plan the
 * planner kept making anew. */
#define EMPLOYMENT_CTE(WHO)                                                                        \
    " WITH who AS (SELECT " WHO " AS id),"                                                         \
    " ins AS (SELECT er.credit_code, er.insured_from FROM employment_record er"                    \
    "   JOIN person p ON p.id_hash = er.id_hash WHERE p.id = (SELECT id FROM who) AND $8 <> ''"    \
    "   AND er.insured_from <= nullif($8, '')::date"                                               \
    "   AND (er.insured_to IS NULL OR er.insured_to >= nullif($8, '')::date)),"                    \
    " emp AS (SELECT i.credit_code, i.insured_from FROM ins i"                                     \
    "   WHERE CASE WHEN $7 = '' THEN true ELSE i.credit_code = $7 END"                             \
    "   ORDER BY i.insured_from DESC, i.credit_code LIMIT 1)"

/* Months of unemployment insurance up to the event date, periods with several employers counted
 * once. */
#define UI_MONTHS                                                                                  \
    "(SELECT coalesce(sum(extract(year FROM age(upper(u), lower(u))) * 12"                         \
    "   + extract(month FROM age(upper(u), lower(u)))), 0)::int"                                   \
    "  FROM (SELECT unnest(range_agg(daterange(er.insured_from,"                                   \
    "   least(coalesce(er.insured_to, nullif($8, '')::date), nullif($8, '')::date), '[]'))) u"     \
    "   FROM employment_record er JOIN person p ON p.id_hash = er.id_hash"                         \
    "   WHERE p.id = (SELECT id FROM who) AND $8 <> '' AND 'unemployment' = ANY (er.kinds)"        \
    "   AND er.insured_from <= nullif($8, '')::date) m)"

/* The person's earlier claims, the newest $10 of them, and how many there are; the catalog
 * version in force on the request's day ($11; migration 0016): its entry for the occupation and
 * level, or its year-wide figure; the employer's trade-friction listing and region; whether the
 * claim's occupation is in the reference list (none named: nothing to know); the employment. */
#define CLAIM_CONTEXT(WHO)                                                                         \
    EMPLOYMENT_CTE(WHO)                                                                            \
    " SELECT"                                                                                      \
    " (SELECT coalesce(json_agg(json_build_object('year', h.year, 'occupation',"                   \
    "   coalesce(h.occupation, ''), 'level', coalesce(h.level, ''), 'kind', h.kind, 'state',"      \
    "   h.state, 'renewal', coalesce((h.input #>> '{claim,renewal}')::boolean, false))), '[]')"    \
    "  ::text"                                                                                     \
    "  FROM (SELECT * FROM claim WHERE person_id = (SELECT id FROM who) AND id <> $2::bigint"      \
    "   AND state <> 'draft' ORDER BY id DESC LIMIT $10::int) h),"                                 \
    " (SELECT count(*) FROM claim WHERE person_id = (SELECT id FROM who) AND id <> $2::bigint"     \
    "   AND state <> 'draft'),"                                                                    \
    " (SELECT json_build_object('id', k.id, 'standard_fen', CASE WHEN $9::boolean THEN"            \
    "   k.year_standard_fen ELSE e.standard_fen END, 'shortage', coalesce(e.shortage, false),"     \
    "   'year', k.year, 'shortage_uplift_fen', coalesce(e.shortage_uplift_fen, 0))::text"          \
    "  FROM catalog k"                                                                             \
    "  LEFT JOIN catalog_entry e ON NOT $9::boolean AND e.catalog_id = k.id"                       \
    "   AND e.occupation = $5 AND e.level = $6"                                                    \
    "  WHERE k.id = catalog_in_force($3, $4::int, $11::date)"                                      \
    "   AND CASE WHEN $9::boolean THEN k.year_standard_fen IS NOT NULL"                            \
    "   ELSE e.catalog_id IS NOT NULL END),"                                                       \
    " (SELECT json_build_object('from', t.valid_from::text, 'to', coalesce(t.valid_to::text,"      \
    "   ''))::text FROM trade_friction t JOIN emp ON t.credit_code = emp.credit_code"              \
    "  WHERE t.valid_from <= nullif($8, '')::date"                                                 \
    "   AND (t.valid_to IS NULL OR t.valid_to >= nullif($8, '')::date)"                            \
    "  ORDER BY t.id DESC LIMIT 1),"                                                               \
    " (SELECT region FROM enterprise JOIN emp USING (credit_code)),"                               \
    " ($5 = '' OR EXISTS (SELECT 1 FROM occupation o WHERE o.code = $5)),"                         \
    " json_build_object('employers', (SELECT coalesce(json_agg(DISTINCT credit_code), '[]')"       \
    "   FROM ins), 'credit_code', (SELECT credit_code FROM emp), 'insured_from',"                  \
    "   (SELECT insured_from::text FROM emp), 'ui_months', " UI_MONTHS ")::text"

const struct db_stmt db_stmt_claim_context = {"claim_context", CLAIM_CONTEXT("$1::bigint"), 11};
const struct db_stmt db_stmt_claim_context_by_hash = {
    "claim_context_by_hash", CLAIM_CONTEXT("(SELECT id FROM person WHERE id_hash = $1::bytea)"),
    11};

static char *dup_value(PGresult *res, int col)
{
    return PQgetisnull(res, 0, col) ? NULL : strdup(PQgetvalue(res, 0, col));
}

enum db_rc db_claim_get(struct db_conn *c, long long id, const char *viewer_role,
                        struct db_claim_view *out)
{
    char idt[24];
    snprintf(idt, sizeof idt, "%lld", id);
    const char *p[] = {idt, viewer_role ? viewer_role : ""};
    enum db_rc rc;
    PGresult *res = db_exec_row(c, &db_stmt_claim_get, p, true, &rc);
    if (!res)
        return rc;
    memset(out, 0, sizeof *out);
    out->json = dup_value(res, 0);
    snprintf(out->owner_role, sizeof out->owner_role, "%s", PQgetvalue(res, 0, 1));
    snprintf(out->owner_subject, sizeof out->owner_subject, "%s", PQgetvalue(res, 0, 2));
    snprintf(out->region, sizeof out->region, "%s", PQgetvalue(res, 0, 3));
    snprintf(out->region_parent, sizeof out->region_parent, "%s", PQgetvalue(res, 0, 4));
    out->id_sealed = dup_value(res, 5);
    out->phone_sealed = dup_value(res, 6);
    out->person_id = atoll(PQgetvalue(res, 0, 7));
    out->never_submitted = PQgetvalue(res, 0, 8)[0] == 't';
    snprintf(out->person_owner, sizeof out->person_owner, "%s", PQgetvalue(res, 0, 9));
    snprintf(out->state, sizeof out->state, "%s", PQgetvalue(res, 0, 10));
    PQclear(res);
    return out->json && out->id_sealed && out->phone_sealed ? DB_OK : DB_HARD;
}

void db_claim_view_free(struct db_claim_view *v)
{
    free(v->json);
    free(v->id_sealed);
    free(v->phone_sealed);
    memset(v, 0, sizeof *v);
}

enum db_rc db_claim_list(struct db_conn *c, const struct db_claim_filter *f, struct db_page *out)
{
    char year[16], after[24];
    snprintf(year, sizeof year, "%d", f->year);
    snprintf(after, sizeof after, "%lld", f->after);
    const char *p[] = {f->owner_role, f->owner_subject,       f->state ? f->state : "",
                       year,          f->kind ? f->kind : "", after,
                       NULL /* the limit: db_page_exec's */};
    return db_page_exec(c, &db_stmt_claim_list, p, f->limit, DB_KEY_INT, out);
}

static void copy_member(char *out, size_t len, const json_t *obj, const char *key)
{
    snprintf(out, len, "%s", json_string_value(json_object_get(obj, key)) ?: "");
}

/* The history column: [{year, occupation, level, kind, state, renewal}], the newest first. */
static void history_read(const char *text, struct db_claim_context *out)
{
    json_t *list = json_loads(text, 0, NULL);
    size_t i;
    json_t *h;
    json_array_foreach(list, i, h)
    {
        if (out->history_len == DB_CLAIM_HISTORY_MAX)
            break;
        struct db_claim_history *e = &out->history[out->history_len++];
        e->year = (int)json_integer_value(json_object_get(h, "year"));
        copy_member(e->occupation, sizeof e->occupation, h, "occupation");
        copy_member(e->level, sizeof e->level, h, "level");
        copy_member(e->kind, sizeof e->kind, h, "kind");
        copy_member(e->state, sizeof e->state, h, "state");
        e->renewal = json_is_true(json_object_get(h, "renewal"));
    }
    json_decref(list);
}

/* The catalog column: {id, standard_fen, shortage, year, shortage_uplift_fen} or NULL. */
static void catalog_read(const char *text, struct db_claim_context *out)
{
    json_t *k = text ? json_loads(text, 0, NULL) : NULL;
    out->has_catalog = k != NULL;
    out->catalog_id = json_integer_value(json_object_get(k, "id"));
    out->standard_fen = json_integer_value(json_object_get(k, "standard_fen"));
    out->shortage = json_is_true(json_object_get(k, "shortage"));
    out->catalog_year = (int)json_integer_value(json_object_get(k, "year"));
    out->shortage_uplift_fen = json_integer_value(json_object_get(k, "shortage_uplift_fen"));
    json_decref(k);
}

/* The trade-friction column: {from, to ("" when open)} or NULL. */
static void trade_friction_read(const char *text, struct db_claim_context *out)
{
    json_t *k = text ? json_loads(text, 0, NULL) : NULL;
    out->trade_friction_listed = k != NULL;
    copy_member(out->trade_friction_from, sizeof out->trade_friction_from, k, "from");
    copy_member(out->trade_friction_to, sizeof out->trade_friction_to, k, "to");
    json_decref(k);
}

void db_claim_context_params(const struct db_claim_context_key *k, struct db_context_params *x)
{
    snprintf(x->person, sizeof x->person, "%lld", k->person_id);
    snprintf(x->claim, sizeof x->claim, "%lld", k->claim_id);
    snprintf(x->year, sizeof x->year, "%d", k->year);
    snprintf(x->history_max, sizeof x->history_max, "%d", DB_CLAIM_HISTORY_MAX);
    x->s = k->person_hash ? &db_stmt_claim_context_by_hash : &db_stmt_claim_context;
    const char *p[] = {k->person_hash ? k->person_hash : x->person,
                       x->claim,
                       k->policy_id,
                       x->year,
                       k->occupation ? k->occupation : "",
                       k->catalog_level ? k->catalog_level : "",
                       k->employer ? k->employer : "",
                       k->event_date ? k->event_date : "",
                       k->catalog_year_only ? "true" : "false",
                       x->history_max,
                       k->today};
    _Static_assert(sizeof p / sizeof p[0] == sizeof x->p / sizeof x->p[0], "claim_context's");
    memcpy(x->p, p, sizeof p);
}

enum db_rc db_claim_context_read(PGresult *res, struct db_claim_context *out)
{
    memset(out, 0, sizeof *out);
    history_read(PQgetvalue(res, 0, 0), out);
    out->history_total = atoll(PQgetvalue(res, 0, 1));
    catalog_read(PQgetisnull(res, 0, 2) ? NULL : PQgetvalue(res, 0, 2), out);
    trade_friction_read(PQgetisnull(res, 0, 3) ? NULL : PQgetvalue(res, 0, 3), out);
    snprintf(out->employer_region, sizeof out->employer_region, "%s",
             PQgetisnull(res, 0, 4) ? "" : PQgetvalue(res, 0, 4));
    out->occupation_known = PQgetvalue(res, 0, 5)[0] == 't';
    out->employment_json = dup_value(res, 6);
    PQclear(res);
    return out->employment_json ? DB_OK : DB_HARD;
}

enum db_rc db_claim_context(struct db_conn *c, const struct db_claim_context_key *k,
                            struct db_claim_context *out)
{
    struct db_context_params x;
    db_claim_context_params(k, &x);
    enum db_rc rc;
    PGresult *res = db_exec(c, x.s, x.p, &rc);
    return res ? db_claim_context_read(res, out) : rc;
}

void db_claim_context_free(struct db_claim_context *x)
{
    free(x->employment_json);
    x->employment_json = NULL;
}
