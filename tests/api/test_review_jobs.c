/* API tier: bulk review jobs (POST /v1/review/jobs, GET /v1/review/jobs/{id}[/items], POST
 * /v1/review/jobs/{id}/cancel; issue 13 "Decisions"; api/openapi.yaml reviewJobCreate).
 * Zhoushan workers' certificate training claims, a few made through the API and hundreds more
 * copied from them with SQL in the test's own database (copies of one worker's claim: rejecting
 * them needs no judgement, approving them is refused as the judgement's answer changed, the
 * worker already holding a live claim of that occupation and level).  Each set is marked by an
 * employer's credit code, which the job's filter names.  Asserted: the items judged one by one
 * by the single decision's step (decided, held by a colleague, answer changed), each item's
 * answer against the claim in the database; another approver deciding a claim of a running job
 * (no lock on the set); a daemon killed with SIGKILL in the middle of a job and started again
 * finishing it, every claim decided exactly once (timeline rows); a replay of the POST is the
 * same job; cancel; the approver's token revoked failing the rest of the job; every refusal. */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

static struct th_pg pg;
static struct th_daemon d;
static char admin[64], approver[64], colleague[64], elsewhere[64];
static unsigned employers = 10;
static const char *const daemon_args[] = {"--review-job-max-items", "400", "--review-job-poll",
                                          "50", NULL};

/* A new Dinghai worker's submitted electrician claim: its id. */
static long long waiting_claim(void)
{
    static unsigned serial = 700;
    char id_number[19];
    return th_electrician_claim(&d, &pg, 1991, serial++, "J", id_number);
}

/* n copies of claim id, waiting, counting no quota place and no "once" rule. */
static void copies(long long id, int n)
{
    char sql[1024];
    snprintf(sql, sizeof sql,
             "INSERT INTO claim (owner_role, owner_subject, person_id, region, employer, kind,"
             " occupation, level, state, input, year, counts_quota, unique_occupation_level,"
             " once_per_year, policy_id, policy_version, catalog_id, amount_fen, decision,"
             " review_due, submitted_at)"
             " SELECT owner_role, owner_subject, person_id, region, employer, kind, occupation,"
             " level, state, input, year, false, false, false, policy_id, policy_version,"
             " catalog_id, amount_fen, decision, review_due, submitted_at"
             " FROM claim, generate_series(1, %d) WHERE id = %lld",
             n, id);
    free(th_sql(&pg, sql));
}

/* Mark the claims with ids >= first (and those of list, when given) with a new employer's
 * credit code, into code: the set a job's filter names. */
static void mark_set(long long first, const char *list, char code[19])
{
    th_credit_code(code, "330902", employers++);
    char sql[512];
    snprintf(sql, sizeof sql, "UPDATE claim SET employer = '%s' WHERE id >= %lld%s%s%s", code,
             first, list ? " OR id IN (" : "", list ? list : "", list ? ")" : "");
    free(th_sql(&pg, sql));
}

static long long max_claim(void)
{
    char *v = th_sql(&pg, "SELECT coalesce(max(id), 0) FROM claim");
    long long id = atoll(v);
    free(v);
    return id;
}

/* A worker's claim and n copies of it, marked into code (with the claim copied when with_base):
 * the first copy's id. */
static long long copied_set(int n, bool with_base, char code[19])
{
    long long base = waiting_claim();
    long long first_copy = max_claim() + 1;
    copies(base, n);
    char list[24];
    snprintf(list, sizeof list, "%lld", base);
    mark_set(first_copy, with_base ? list : NULL, code);
    return first_copy;
}

static long long post_job(const char *token, const char *key, const char *body,
                          struct th_reply *out)
{
    *out = th_write(&d, "POST", "/v1/review/jobs", token, key, body);
    ck_assert_msg(out->status == 202, "%ld %s", out->status, out->body);
    return json_integer_value(json_object_get(out->json, "id"));
}

static struct th_reply get_job(long long id, const char *token)
{
    char path[64];
    snprintf(path, sizeof path, "/v1/review/jobs/%lld", id);
    return th_http(&d, "GET", path, token, NULL, 0, NULL);
}

/* Wait (up to 120 s) until job id's state is no longer queued or running; its reply. */
static struct th_reply finished(long long id)
{
    for (int waited = 0; waited < 1200; waited++) {
        struct th_reply r = get_job(id, approver);
        ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
        const char *state = json_string_value(json_object_get(r.json, "state"));
        if (strcmp(state, "queued") != 0 && strcmp(state, "running") != 0)
            return r;
        th_reply_free(&r);
        struct timespec ts = {0, 100000000L};
        nanosleep(&ts, NULL);
    }
    ck_abort_msg("job %lld did not finish", id);
    return (struct th_reply){0};
}

static long field(const struct th_reply *r, const char *name)
{
    return (long)json_integer_value(json_object_get(r->json, name));
}

static long count_of(const char *fmt, long long a)
{
    char sql[512];
    snprintf(sql, sizeof sql, fmt, a, a, a);
    return th_count(&pg, sql);
}

/* Every item of job id through its pages (limit 7): each answer checked against its claim in
 * the database; *problems the number of refused items with code want_code. */
static long walk_items(long long id, long want_code, long *problems)
{
    long seen = 0, last = 0;
    char after[32] = "0";
    *problems = 0;
    for (int pages = 0; pages < 1000; pages++) {
        char path[128];
        snprintf(path, sizeof path, "/v1/review/jobs/%lld/items?limit=7&after=%s", id, after);
        struct th_reply r = th_http(&d, "GET", path, approver, NULL, 0, NULL);
        ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
        size_t i;
        json_t *item;
        json_array_foreach(json_object_get(r.json, "items"), i, item)
        {
            long long claim = json_integer_value(json_object_get(item, "claim_id"));
            ck_assert_int_gt(claim, last); /* in claim order, none twice */
            last = (long)claim;
            seen++;
            const char *outcome = json_string_value(json_object_get(item, "outcome"));
            const json_t *answer = json_object_get(item, "answer");
            char sql[160];
            snprintf(sql, sizeof sql, "SELECT state FROM claim WHERE id = %lld", claim);
            char *state = th_sql(&pg, sql);
            if (strcmp(outcome, "approved") == 0 || strcmp(outcome, "rejected") == 0) {
                /* an approval opens the claim's notice in its transaction (issue 14) */
                const char *now = strcmp(outcome, "approved") == 0 ? "in_notice" : outcome;
                ck_assert_str_eq(state, now);
                ck_assert_str_eq(
                    json_string_value(json_object_get(json_object_get(answer, "claim"), "state")),
                    now);
            } else if (strcmp(outcome, "refused") == 0) {
                long code = (long)json_integer_value(
                    json_object_get(json_object_get(answer, "problem"), "code"));
                if (code == want_code)
                    ++*problems;
            }
            free(state);
        }
        json_t *next = json_object_get(r.json, "next_after");
        if (!json_is_integer(next)) {
            th_reply_free(&r);
            return seen;
        }
        snprintf(after, sizeof after, "%lld", (long long)json_integer_value(next));
        th_reply_free(&r);
    }
    ck_abort_msg("too many pages");
    return seen;
}

START_TEST(each_item_is_judged_on_its_own)
{
    long long a = waiting_claim(), b = waiting_claim(), held = waiting_claim();
    long long first_copy = max_claim() + 1;
    copies(a, 20);
    char list[96], code[19], body[256], path[64];
    snprintf(list, sizeof list, "%lld,%lld,%lld", a, b, held);
    mark_set(first_copy, list, code);
    snprintf(path, sizeof path, "/v1/claims/%lld/take", held);
    struct th_reply r = th_write(&d, "POST", path, colleague, "take-held", "{}");
    ck_assert_int_eq(r.status, 200);
    th_reply_free(&r);
    snprintf(body, sizeof body,
             "{\"action\":\"approve\",\"reason\":\"批量\",\"selection\":{\"filter\":"
             "{\"enterprise\":\"%s\"}}}",
             code);
    long long id = post_job(approver, "job-1", body, &r);
    ck_assert_int_eq(field(&r, "total"), 23);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "state")), "queued");
    char location[64];
    snprintf(location, sizeof location, "/v1/review/jobs/%lld", id);
    ck_assert_str_eq(th_header(&r, "Location"), location);
    th_reply_free(&r);
    r = finished(id);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "state")), "done");
    ck_assert_int_eq(field(&r, "done"), 23);
    ck_assert_int_eq(field(&r, "approved"), 1);
    ck_assert_int_eq(field(&r, "refused"), 22);
    ck_assert_int_eq(field(&r, "pending"), 0);
    ck_assert(json_is_string(json_object_get(r.json, "finished_at")));
    th_reply_free(&r);
    long problems = 0;
    ck_assert_int_eq(walk_items(id, 4302, &problems), 23);
    /* the copies, and the claim copied: judged again, the worker holds another live claim of
     * the same occupation and level */
    ck_assert_int_eq(problems, 21);
    walk_items(id, 4301, &problems);
    ck_assert_int_eq(problems, 1); /* the colleague holds it */
    /* the database: the approval once, taken first; the refused ones as they were */
    ck_assert_int_eq(count_of("SELECT count(*) FROM claim_event WHERE claim_id = %lld AND"
                              " action = 'approve'",
                              b),
                     1);
    ck_assert_int_eq(count_of("SELECT count(*) FROM claim_event WHERE claim_id = %lld AND"
                              " action = 'approve'",
                              a),
                     0);
    ck_assert_int_eq(count_of("SELECT count(*) FROM audit WHERE object_kind = 'claim' AND"
                              " object_id = '%lld' AND action IN ('claim.take', 'claim.approve')",
                              b),
                     2);
    ck_assert_int_eq(count_of("SELECT count(*) FROM claim WHERE id >= %lld AND state ="
                              " 'submitted' AND id < %lld + 20",
                              first_copy),
                     20);
    ck_assert_int_eq(count_of("SELECT count(*) FROM audit WHERE action = 'review_job.create' AND"
                              " object_id = '%lld'",
                              id),
                     1);
    /* a colleague of the region reads it; an approver of another city does not */
    r = get_job(id, colleague);
    ck_assert_int_eq(r.status, 200);
    th_reply_free(&r);
    r = get_job(id, elsewhere);
    ck_assert_int_eq(r.status, 404);
    th_reply_free(&r);
    /* ended: nothing to cancel */
    snprintf(path, sizeof path, "/v1/review/jobs/%lld/cancel", id);
    r = th_write(&d, "POST", path, approver, "cancel-done", "{}");
    ck_assert_msg(r.status == 409, "%ld %s", r.status, r.body);
    ck_assert_int_eq(field(&r, "code"), 4352);
    th_reply_free(&r);
}
END_TEST

#define BIG 300

START_TEST(a_job_killed_half_way_finishes_after_a_restart)
{
    char code[19], body[256];
    long long first_copy = copied_set(BIG, true, code);
    snprintf(body, sizeof body,
             "{\"action\":\"reject\",\"reason\":\"材料不实\",\"reason_codes\":"
             "[\"documents_false\"],\"selection\":{\"filter\":{\"enterprise\":\"%s\"}}}",
             code);
    struct th_reply r;
    long long id = post_job(approver, "job-big", body, &r);
    ck_assert_int_eq(field(&r, "total"), BIG + 1);
    th_reply_free(&r);
    char decided_sql[160];
    snprintf(decided_sql, sizeof decided_sql,
             "SELECT count(*) FROM review_job_item WHERE job_id = %lld AND outcome <> 'pending'",
             id);
    long decided = 0;
    for (int waited = 0; (decided = th_count(&pg, decided_sql)) < 20 && waited < 12000; waited++) {
        struct timespec ts = {0, 5000000L};
        nanosleep(&ts, NULL);
    }
    ck_assert_int_ge(decided, 20);
    /* while the job runs, a colleague decides a claim of its set: nothing holds the set */
    long long last = first_copy + BIG - 1;
    char path[64];
    snprintf(path, sizeof path, "/v1/claims/%lld/take", last);
    r = th_write(&d, "POST", path, colleague, "take-last", "{}");
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    ck_assert_double_lt(r.seconds, 2.0);
    th_reply_free(&r);
    snprintf(path, sizeof path, "/v1/claims/%lld/reject", last);
    r = th_write(&d, "POST", path, colleague, "reject-last",
                 "{\"reason\":\"重复\",\"reason_codes\":[\"duplicate\"]}");
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    th_reply_free(&r);
    ck_assert_int_eq(th_daemon_stop(&d, SIGKILL), 128 + SIGKILL);
    long at_kill = th_count(&pg, decided_sql);
    ck_assert_msg(at_kill < BIG, "all %d decided before the kill", BIG);
    th_daemon_start(&d, &pg, daemon_args);
    r = finished(id);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "state")), "done");
    ck_assert_int_eq(field(&r, "rejected"), BIG);
    ck_assert_int_eq(field(&r, "refused"), 1); /* the colleague's: decided before */
    th_reply_free(&r);
    long problems = 0;
    ck_assert_int_eq(walk_items(id, 4004, &problems), BIG + 1);
    ck_assert_int_eq(problems, 1);
    /* every claim of the set rejected exactly once, on its timeline and in the audit */
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM (SELECT c.id FROM claim c LEFT JOIN claim_event e ON"
             " e.claim_id = c.id AND e.action = 'reject' WHERE c.employer = '%s'"
             " GROUP BY c.id HAVING count(e.id) = 1) x",
             code);
    ck_assert_int_eq(th_count(&pg, sql), BIG + 1);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM audit a JOIN claim c ON a.object_kind = 'claim' AND"
             " a.object_id = c.id::text WHERE a.action = 'claim.reject' AND c.employer = '%s'",
             code);
    ck_assert_int_eq(th_count(&pg, sql), BIG + 1);
}
END_TEST

START_TEST(a_replay_is_the_same_job_and_a_cancel_stops_the_rest)
{
    char code[19], body[256], path[64];
    long long first_copy = copied_set(BIG, false, code);
    snprintf(body, sizeof body,
             "{\"action\":\"reject\",\"reason\":\"x\",\"reason_codes\":[\"other\"],"
             "\"selection\":{\"filter\":{\"enterprise\":\"%s\",\"state\":\"submitted\"}}}",
             code);
    struct th_reply first;
    long long id = post_job(approver, "job-cancel", body, &first);
    snprintf(path, sizeof path, "/v1/review/jobs/%lld/cancel", id);
    struct th_reply r = th_write(&d, "POST", path, approver, "cancel-1", "{}");
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "state")), "cancelled");
    long cancelled = field(&r, "cancelled"), done = field(&r, "done");
    ck_assert_int_gt(cancelled, 0);
    ck_assert_int_eq(cancelled + done, BIG);
    th_reply_free(&r);
    /* nothing more is decided: the cancelled items' claims wait still */
    struct timespec ts = {0, 500000000L};
    nanosleep(&ts, NULL);
    r = get_job(id, approver);
    ck_assert_int_eq(field(&r, "done"), done);
    th_reply_free(&r);
    ck_assert_int_eq(count_of("SELECT count(*) FROM claim WHERE id >= %lld AND state ="
                              " 'submitted'",
                              first_copy),
                     cancelled);
    ck_assert_int_eq(count_of("SELECT count(*) FROM audit WHERE action = 'review_job.cancel' AND"
                              " object_id = '%lld'",
                              id),
                     1);
    /* a replay of the POST: the same job, byte for byte; no second job */
    struct th_reply again = th_write(&d, "POST", "/v1/review/jobs", approver, "job-cancel", body);
    ck_assert_int_eq(again.status, 202);
    ck_assert_str_eq(again.body, first.body);
    ck_assert_ptr_nonnull(th_header(&again, "Idempotent-Replayed"));
    th_reply_free(&again);
    th_reply_free(&first);
    ck_assert_int_eq(count_of("SELECT count(*) FROM review_job WHERE id >= %lld", id), 1);
    /* cancelled before: the same answer; another approver's cancel of it: 404 */
    r = th_write(&d, "POST", path, approver, "cancel-2", "{}");
    ck_assert_int_eq(r.status, 200);
    th_reply_free(&r);
    r = th_write(&d, "POST", path, elsewhere, "cancel-3", "{}");
    ck_assert_int_eq(r.status, 404);
    th_reply_free(&r);
    /* the items of one outcome */
    snprintf(path, sizeof path, "/v1/review/jobs/%lld/items?outcome=cancelled&limit=200", id);
    r = th_http(&d, "GET", path, approver, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_eq((long)json_array_size(json_object_get(r.json, "items")),
                     cancelled < 200 ? cancelled : 200);
    th_reply_free(&r);
}
END_TEST

START_TEST(the_approvers_token_revoked_fails_the_rest)
{
    char token[64];
    th_token(&pg, "approver", NULL, "330902", token);
    char code[19], body[256], sql[160];
    long long first_copy = copied_set(BIG, false, code);
    snprintf(body, sizeof body,
             "{\"action\":\"reject\",\"reason\":\"x\",\"reason_codes\":[\"other\"],"
             "\"selection\":{\"filter\":{\"enterprise\":\"%s\"}}}",
             code);
    struct th_reply r;
    long long id = post_job(token, "job-revoked", body, &r);
    th_reply_free(&r);
    snprintf(sql, sizeof sql,
             "UPDATE token SET revoked_at = now() WHERE id = (SELECT token_id FROM review_job"
             " WHERE id = %lld)",
             id);
    free(th_sql(&pg, sql));
    r = finished(id);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "state")), "failed");
    ck_assert_int_eq(field(&r, "failure"), 2001);
    long failed = field(&r, "failed");
    ck_assert_int_gt(failed, 0);
    ck_assert_int_eq(failed + field(&r, "done"), BIG);
    th_reply_free(&r);
    ck_assert_int_eq(count_of("SELECT count(*) FROM claim WHERE id >= %lld AND state ="
                              " 'submitted'",
                              first_copy),
                     failed);
    char path[96];
    snprintf(path, sizeof path, "/v1/review/jobs/%lld/items?outcome=failed&limit=1", id);
    r = th_http(&d, "GET", path, approver, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    const json_t *item = json_array_get(json_object_get(r.json, "items"), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(
                         json_object_get(json_object_get(item, "answer"), "problem"), "code")),
                     2001);
    th_reply_free(&r);
}
END_TEST

START_TEST(two_daemons_share_a_job_and_a_sigterm_waits_for_its_item)
{
    char code[19], body[256], sql[512];
    copied_set(BIG, true, code);
    struct th_daemon second;
    th_daemon_start(&second, &pg, daemon_args);
    snprintf(body, sizeof body,
             "{\"action\":\"reject\",\"reason\":\"x\",\"reason_codes\":[\"other\"],"
             "\"selection\":{\"filter\":{\"enterprise\":\"%s\"}}}",
             code);
    struct th_reply r;
    long long id = post_job(approver, "job-two", body, &r);
    th_reply_free(&r);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM review_job_item WHERE job_id = %lld AND outcome <> 'pending'",
             id);
    for (int waited = 0; th_count(&pg, sql) < 40 && waited < 12000; waited++) {
        struct timespec ts = {0, 5000000L};
        nanosleep(&ts, NULL);
    }
    /* the second stops in the middle: between two items, a clean exit */
    ck_assert_int_eq(th_daemon_stop(&second, SIGTERM), 0);
    r = finished(id);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "state")), "done");
    ck_assert_int_eq(field(&r, "rejected"), BIG + 1);
    ck_assert_int_eq(field(&r, "refused"), 0);
    th_reply_free(&r);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM (SELECT c.id FROM claim c JOIN claim_event e ON"
             " e.claim_id = c.id AND e.action = 'reject' WHERE c.employer = '%s'"
             " GROUP BY c.id HAVING count(*) = 1) x",
             code);
    ck_assert_int_eq(th_count(&pg, sql), BIG + 1);
}
END_TEST

START_TEST(a_class_names_the_claims_on_its_certificates)
{
    long long in_class[2] = {waiting_claim(), waiting_claim()}, outside = waiting_claim();
    /* an assessed class of two trainees, its results the certificates of the first two claims */
    char inst[19], body_code[19], sql[2048];
    th_credit_code(inst, "330902", 900);
    th_credit_code(body_code, "330902", 901);
    ck_assert(th_institution(&d, admin, inst, "330902", "normal"));
    snprintf(sql, sizeof sql,
             "INSERT INTO evaluation_body (credit_code, name, region, kind)"
             " VALUES ('%s', '某鉴定站', '330902', 'appraisal_centre')",
             body_code);
    free(th_sql(&pg, sql));
    snprintf(sql, sizeof sql,
             "INSERT INTO class (institution, policy_id, occupation, level, kind, region,"
             "  start_date, end_date, class_hours, place, teachers, capacity, payee, state,"
             "  lead_days, filed_on, filed_at, deadline)"
             " VALUES ('%s', 'zhoushan-2019', '6-18-02-09', 'level3', 'qualification', '330902',"
             "  date '2020-03-01', date '2020-05-30', 120, '某路 1 号', '[]', 30, 'person',"
             "  'assessed', 0, date '2020-02-01', now(), date '2020-02-10') RETURNING id",
             inst);
    char *class_text = th_sql(&pg, sql);
    long long class_id = atoll(class_text);
    free(class_text);
    for (int i = 0; i < 2; i++) {
        snprintf(sql, sizeof sql,
                 "WITH e AS (INSERT INTO class_roster_entry (class_id, person_id, row_no, name,"
                 "  guard_key) SELECT %lld, c.person_id, %d, '学员', 'jobs-test' FROM claim c"
                 "  WHERE c.id = %lld RETURNING id)"
                 " INSERT INTO class_result (class_id, entry_id, row_no, kind, number, level,"
                 "  issue_date, body_code, held) SELECT %lld, e.id, %d, ce.kind, ce.number,"
                 "  'level3', date '2020-06-30', '%s', false FROM e, claim c"
                 "  JOIN certificate ce ON ce.id = c.certificate_id WHERE c.id = %lld",
                 class_id, i + 1, in_class[i], class_id, i + 1, body_code, in_class[i]);
        free(th_sql(&pg, sql));
    }
    snprintf(sql, sizeof sql, "{\"action\":\"approve\",\"selection\":{\"class_id\":%lld}}",
             class_id);
    struct th_reply r;
    long long id = post_job(approver, "job-class", sql, &r);
    ck_assert_int_eq(field(&r, "total"), 2);
    th_reply_free(&r);
    r = finished(id);
    ck_assert_int_eq(field(&r, "approved"), 2);
    th_reply_free(&r);
    char path[96];
    snprintf(path, sizeof path, "/v1/review/jobs/%lld/items", id);
    r = th_http(&d, "GET", path, approver, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    for (int i = 0; i < 2; i++)
        ck_assert_int_eq(
            json_integer_value(json_object_get(
                json_array_get(json_object_get(r.json, "items"), (size_t)i), "claim_id")),
            in_class[i]);
    th_reply_free(&r);
    ck_assert_int_eq(
        count_of("SELECT count(*) FROM claim WHERE id = %lld AND state = 'in_notice'", in_class[1]),
        1);
    ck_assert_int_eq(
        count_of("SELECT count(*) FROM claim WHERE id = %lld AND state = 'submitted'", outside), 1);
}
END_TEST

START_TEST(a_claim_held_locked_does_not_stall_the_job)
{
    char code[19], body[256], sql[160];
    long long first_copy = copied_set(5, true, code);
    /* someone holds a claim of the set locked, longer than the daemon's lock_timeout */
    PGconn *holder = th_pg_super(&pg);
    snprintf(sql, sizeof sql, "SELECT id FROM claim WHERE id = %lld FOR UPDATE", first_copy + 2);
    PQclear(PQexec(holder, "BEGIN"));
    PGresult *res = PQexec(holder, sql);
    ck_assert_int_eq(PQresultStatus(res), PGRES_TUPLES_OK);
    PQclear(res);
    snprintf(body, sizeof body,
             "{\"action\":\"reject\",\"reason\":\"x\",\"reason_codes\":[\"other\"],"
             "\"selection\":{\"filter\":{\"enterprise\":\"%s\"}}}",
             code);
    struct th_reply r;
    long long id = post_job(approver, "job-locked", body, &r);
    th_reply_free(&r);
    r = finished(id);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "state")), "done");
    ck_assert_int_eq(field(&r, "rejected"), 5);
    ck_assert_int_eq(field(&r, "refused"), 1);
    th_reply_free(&r);
    PQclear(PQexec(holder, "ROLLBACK"));
    PQfinish(holder);
    long problems = 0;
    ck_assert_int_eq(walk_items(id, 5002, &problems), 6);
    ck_assert_int_eq(problems, 1); /* db_timeout: that claim alone, to decide again later */
    ck_assert_int_eq(count_of("SELECT count(*) FROM claim WHERE id = %lld AND state = 'submitted'",
                              first_copy + 2),
                     1);
}
END_TEST

START_TEST(bad_requests_are_refused)
{
    const struct {
        const char *body, *field;
        long status;
    } bad[] = {
        {"{}", "action", 422},
        {"{\"action\":\"approve\"}", "selection", 422},
        {"{\"action\":\"take\",\"selection\":{\"class_id\":1}}", "action", 422},
        {"{\"action\":\"approve\",\"selection\":{}}", "selection", 422},
        {"{\"action\":\"approve\",\"selection\":{\"class_id\":1,\"filter\":{}}}", "selection", 422},
        {"{\"action\":\"approve\",\"selection\":{\"class_id\":0}}", "selection.class_id", 422},
        {"{\"action\":\"approve\",\"selection\":{\"filter\":{\"state\":\"approved\"}}}",
         "selection.filter.state", 422},
        {"{\"action\":\"approve\",\"selection\":{\"filter\":{\"kind\":\"nope\"}}}",
         "selection.filter.kind", 422},
        {"{\"action\":\"approve\",\"selection\":{\"filter\":{\"amount_min\":5,"
         "\"amount_max\":1}}}",
         "selection.filter.amount_max", 422},
        {"{\"action\":\"approve\",\"selection\":{\"filter\":{\"limit\":5}}}",
         "selection.filter.limit", 400},
        {"{\"action\":\"reject\",\"reason_codes\":[\"other\"],\"selection\":{\"class_id\":1}}",
         "reason", 422},
        {"{\"action\":\"reject\",\"reason\":\"x\",\"selection\":{\"class_id\":1}}", "reason_codes",
         422},
        {"{\"action\":\"approve\",\"status\":\"approved\",\"selection\":{\"class_id\":1}}",
         "status", 400},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char key[32];
        snprintf(key, sizeof key, "bad-%zu", i);
        struct th_reply r = th_write(&d, "POST", "/v1/review/jobs", approver, key, bad[i].body);
        ck_assert_msg(r.status == bad[i].status, "%zu: %ld %s", i, r.status, r.body);
        ck_assert_msg(th_problem_has_field(&r, bad[i].field), "%zu: %s", i, r.body);
        th_reply_free(&r);
    }
    long jobs = th_count(&pg, "SELECT count(*) FROM review_job");
    /* a selection that names nothing, and one that names more than --review-job-max-items */
    struct th_reply r = th_write(&d, "POST", "/v1/review/jobs", approver, "empty",
                                 "{\"action\":\"approve\",\"selection\":{\"class_id\":999999}}");
    ck_assert_msg(r.status == 422, "%ld %s", r.status, r.body);
    ck_assert_int_eq(field(&r, "code"), 4351);
    th_reply_free(&r);
    char code[19], body[256];
    long long first_copy = copied_set(400, true, code);
    snprintf(body, sizeof body,
             "{\"action\":\"approve\",\"selection\":{\"filter\":{\"enterprise\":\"%s\"}}}", code);
    r = th_write(&d, "POST", "/v1/review/jobs", approver, "too-large", body);
    ck_assert_msg(r.status == 422, "%ld %s", r.status, r.body);
    ck_assert_int_eq(field(&r, "code"), 4350);
    ck_assert_int_eq(field(&r, "count"), 401);
    ck_assert_int_eq(field(&r, "max_items"), 400);
    th_reply_free(&r);
    /* an approver of another city: none of these claims is theirs, so nothing to do */
    r = th_write(&d, "POST", "/v1/review/jobs", elsewhere, "too-large-elsewhere", body);
    ck_assert_msg(r.status == 422, "%ld %s", r.status, r.body);
    ck_assert_int_eq(field(&r, "code"), 4351);
    th_reply_free(&r);
    ck_assert_int_eq(th_count(&pg, "SELECT count(*) FROM review_job"), jobs);
    ck_assert_int_eq(count_of("SELECT count(*) FROM claim WHERE id >= %lld AND state ="
                              " 'submitted'",
                              first_copy),
                     400);
    /* without a key; another role */
    const char *json_only[] = {"Content-Type: application/json", NULL};
    r = th_http(&d, "POST", "/v1/review/jobs", approver, body, -1, json_only);
    ck_assert_int_eq(r.status, 400);
    th_reply_free(&r);
    r = th_write(&d, "POST", "/v1/review/jobs", admin, "admin-job", body);
    ck_assert_int_eq(r.status, 403);
    th_reply_free(&r);
    const char *const paths[] = {"/v1/review/jobs/1", "/v1/review/jobs/1/items"};
    const char *const others[] = {admin};
    for (size_t i = 0; i < 2; i++)
        th_refused_to(&d, paths[i], others, 1);
    /* unknown jobs and malformed queries */
    r = get_job(99999999LL, approver);
    ck_assert_int_eq(r.status, 404);
    th_reply_free(&r);
    r = th_write(&d, "POST", "/v1/review/jobs/99999999/cancel", approver, "cancel-none", "{}");
    ck_assert_int_eq(r.status, 404);
    th_reply_free(&r);
    r = th_http(&d, "GET", "/v1/review/jobs/99999999/items", approver, NULL, 0, NULL);
    ck_assert_int_eq(r.status, 404);
    th_reply_free(&r);
    const struct th_bad_query queries[] = {{"outcome=nope", "outcome"},
                                           {"limit=0", "limit"},
                                           {"after=-1", "after"},
                                           {"sort=x", "sort"}};
    th_bad_queries(&d, approver, "/v1/review/jobs/1/items", queries, 4);
    r = th_write(&d, "POST", "/v1/review/jobs/1/cancel", approver, "cancel-body",
                 "{\"state\":\"done\"}");
    ck_assert_int_eq(r.status, 400);
    th_reply_free(&r);
}
END_TEST

int main(void)
{
    th_start(&pg, &d, daemon_args);
    th_occupations(&pg);
    th_token(&pg, "admin", NULL, NULL, admin);
    th_token(&pg, "approver", NULL, "330902", approver);
    th_token(&pg, "approver", NULL, "330902", colleague);
    th_token(&pg, "approver", NULL, "330212", elsewhere);
    if (!th_electrician_catalog(&d, admin)) {
        th_finish(&pg, &d);
        return 99;
    }
    Suite *s = suite_create("review_jobs");
    TCase *tc = tcase_create("jobs");
    tcase_set_timeout(tc, 280);
    tcase_add_test(tc, each_item_is_judged_on_its_own);
    tcase_add_test(tc, a_job_killed_half_way_finishes_after_a_restart);
    tcase_add_test(tc, a_replay_is_the_same_job_and_a_cancel_stops_the_rest);
    tcase_add_test(tc, the_approvers_token_revoked_fails_the_rest);
    tcase_add_test(tc, two_daemons_share_a_job_and_a_sigterm_waits_for_its_item);
    tcase_add_test(tc, a_class_names_the_claims_on_its_certificates);
    tcase_add_test(tc, a_claim_held_locked_does_not_stall_the_job);
    tcase_add_test(tc, bad_requests_are_refused);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    return failed || th_finish(&pg, &d) != 0 ? 1 : 0;
}
