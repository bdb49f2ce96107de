/* API tier: GET /v1/review/claims, an approver's queue (api/openapi.yaml, listReviewClaims;
 * issue 13 "Queues").  Claims of four districts of two cities in every state are put in the
 * database; each approver's queue under every combination of its filters and both sorts must be
 * exactly what an independent SQL query over the same table says (the claims of the approver's
 * regions and their districts, in deadline or submission order), page by page, with the counts
 * by state and overdue for the same filters; the cursor stays stable while claims arrive; every
 * malformed query is a 400 naming its field; other roles are refused. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct th_pg pg;
static struct th_daemon d;

/* approvers: a district of Zhoushan, the city of Zhoushan, two districts of Ningbo */
enum { APPROVERS = 3 };
static const char *const approver_regions[APPROVERS] = {"330902", "330900", "330212,330203"};
static char approver[APPROVERS][64];
static char applicant[64], institution[64];

#define ENT_A "91330900MA28K1234U"
#define ENT_B "91330900MA28K56780"

/* 160 claims of 160 persons: regions 330902, 330903 (Zhoushan), 330212, 330203 (Ningbo) and
 * 330205 (Ningbo, no approver here); every state but draft; two kinds, three policies, two
 * employers and none; amounts, submission times and deadlines spread so that the filters cut
 * the set in different places. */
static void make_claims(void)
{
    free(th_sql(&pg,
                "INSERT INTO person (id_hash, id_sealed, id_masked, name)"
                " SELECT sha256(int8send(i)), '\\x00', '330902********' || lpad(i::text, 4, '0'),"
                "  '测试' || i FROM generate_series(1, 161) i"));
    free(th_sql(
        &pg,
        "INSERT INTO claim (owner_role, owner_subject, person_id, region, employer, kind, state,"
        "  input, year, policy_id, policy_version, amount_fen, decision, review_due,"
        "  submitted_at, returned_before, commitment)"
        " SELECT 'enterprise', '" ENT_A "', p.id,"
        "  (ARRAY['330902','330903','330212','330203','330205'])[i % 5 + 1],"
        "  (ARRAY['" ENT_A "','" ENT_B "',NULL])[i % 3 + 1],"
        "  (ARRAY['certificate_training','safety_training'])[i % 2 + 1],"
        "  (ARRAY['submitted','resubmitted','in_review','approved','rejected','submitted',"
        "   'in_review','withdrawn','appealed'])[i % 9 + 1],"
        "  '{}', 2026, (ARRAY['zhoushan-2019','ningbo-2023','jiaxing-2024'])[i % 3 + 1], 1,"
        "  (i * 7919) % 300000,"
        "  jsonb_build_object('eligible', i % 4 <> 0, 'amount_fen', (i * 7919) % 300000,"
        "   'explain', 'rule ' || i, 'problems', CASE WHEN i % 4 = 0 THEN"
        "   '[{\"code\": \"quota_exhausted\"}]'::jsonb ELSE '[]'::jsonb END),"
        "  date '2026-11-20' + (i * 37) % 30,"
        "  timestamptz '2026-11-01 08:00+08' + i * interval '7 hours', i % 6 = 0, i % 4 = 1"
        " FROM generate_series(1, 160) i JOIN person p ON p.id_hash = sha256(int8send(i))"));
    /* the commitment claims' draws: a quarter sampled at random, a quarter for having no setting
     * in force, half not sampled (the trigger holds the sampled ones) */
    free(th_sql(&pg, "INSERT INTO sampling_setting (policy_id, percent_bp, above_fen, seed)"
                     " SELECT 'ningbo-2023', 1000, 500000, sha256('\\x01'::bytea)"
                     " WHERE NOT EXISTS (SELECT 1 FROM sampling_setting)"));
    free(th_sql(&pg, "INSERT INTO claim_sample (claim_id, setting_id, draw, percent_bp, above_fen,"
                     "  sampled, reasons)"
                     " SELECT c.id, CASE WHEN k % 3 <> 0 THEN t.id END,"
                     "  CASE WHEN k % 3 <> 0 THEN (k * 37) % 2000 END,"
                     "  CASE WHEN k % 3 <> 0 THEN 1000 END, CASE WHEN k % 3 <> 0 THEN 500000 END,"
                     "  k % 3 = 0 OR (k * 37) % 2000 < 1000,"
                     "  CASE WHEN k % 3 = 0 THEN 'no_setting'"
                     "   WHEN (k * 37) % 2000 < 1000 THEN 'random' END"
                     /* k: the claim's number i of the insert above (its person's), not its id,
                      * which depends on the claims earlier tests made */
                     " FROM claim c JOIN person p ON p.id = c.person_id,"
                     "  LATERAL (SELECT substr(p.name, 3)::int AS k) n,"
                     "  (SELECT min(id) AS id FROM sampling_setting) t"
                     " WHERE c.commitment AND NOT EXISTS (SELECT 1 FROM claim_sample s"
                     "  WHERE s.claim_id = c.id)"));
}

/* What SQL says the queue holds, an independent reading of the contract: ids, comma-separated,
 * in the sort's order. */
static char *expected(int a, const char *where, bool by_submission)
{
    char sql[2048];
    snprintf(sql, sizeof sql,
             "SELECT coalesce(string_agg(c.id::text, ',' ORDER BY %s, c.id), '')"
             " FROM claim c JOIN region g ON g.code = c.region"
             " WHERE (c.region = ANY (string_to_array('%s', ','))"
             "        OR g.parent = ANY (string_to_array('%s', ',')))"
             "   AND %s",
             by_submission ? "c.submitted_at" : "c.review_due", approver_regions[a],
             approver_regions[a], where);
    return th_sql(&pg, sql);
}

static void queue(int a, const char *query, int limit, char *out, size_t len, json_t **counts)
{
    th_queue_ids(&d, approver[a], "/v1/review/claims", query, limit, out, len, counts);
}

/* counts.by_state and counts.overdue against one SQL count for the same filters. */
static void check_counts(int a, const char *where, json_t *counts, const char *q)
{
    char sql[4096], got[512] = "";
    snprintf(sql, sizeof sql,
             "SELECT coalesce((SELECT string_agg(state || '=' || n, ',' ORDER BY state)"
             "  FROM (SELECT c.state, count(*) AS n FROM claim c JOIN region g ON g.code = c.region"
             "  WHERE (c.region = ANY (string_to_array('%s', ','))"
             "   OR g.parent = ANY (string_to_array('%s', ','))) AND %s GROUP BY c.state) s), '')"
             " || ';' || (SELECT count(*) FROM claim c JOIN region g ON g.code = c.region"
             "  WHERE (c.region = ANY (string_to_array('%s', ','))"
             "   OR g.parent = ANY (string_to_array('%s', ','))) AND %s"
             "   AND c.review_due < (now() AT TIME ZONE 'Asia/Shanghai')::date)",
             approver_regions[a], approver_regions[a], where, approver_regions[a],
             approver_regions[a], where);
    char *want = th_sql(&pg, sql);
    th_counts_text(counts, got, sizeof got);
    ck_assert_msg(strcmp(got, want) == 0, "approver %d, ?%s: counts %s, want %s", a, q, got, want);
    free(want);
}

START_TEST(queue_is_exactly_the_regions_claims_in_order)
{
    make_claims();
    struct filter {
        const char *query, *sql;
    };
    static const struct filter states[] = {
        {"", "'submitted','resubmitted','in_review','appealed'"},
        {"&state=in_review", "'in_review'"},
        {"&state=appealed", "'appealed'"},
        {"&state=approved", "'approved'"},
    };
    static const struct filter others[] = {
        {"", "true"},
        {"&kind=safety_training", "c.kind = 'safety_training'"},
        {"&policy=ningbo-2023", "c.policy_id = 'ningbo-2023'"},
        {"&enterprise=" ENT_B, "c.employer = '" ENT_B "'"},
        {"&amount_min=100000&amount_max=200000", "c.amount_fen BETWEEN 100000 AND 200000"},
        {"&submitted_from=2026-11-10&submitted_to=2026-11-20",
         "c.submitted_at >= timestamptz '2026-11-10 00:00+08'"
         " AND c.submitted_at < timestamptz '2026-11-21 00:00+08'"},
        {"&due_before=2026-12-01", "c.review_due < date '2026-12-01'"},
        {"&overdue=true", "c.review_due < (now() AT TIME ZONE 'Asia/Shanghai')::date"},
        {"&kind=certificate_training&amount_min=50000", "c.kind = 'certificate_training'"
                                                        " AND c.amount_fen >= 50000"},
        {"&sampled=true", "c.id IN (SELECT claim_id FROM claim_sample WHERE sampled)"},
        {"&sampled=false", "c.id NOT IN (SELECT claim_id FROM claim_sample WHERE sampled)"},
        {"&sampled=true&kind=safety_training", "c.kind = 'safety_training'"
                                               " AND c.id IN (SELECT claim_id FROM claim_sample"
                                               " WHERE sampled)"},
    };
    int checked = 0, nonempty = 0;
    for (int a = 0; a < APPROVERS; a++)
        for (size_t s = 0; s < sizeof states / sizeof states[0]; s++)
            for (size_t o = 0; o < sizeof others / sizeof others[0]; o++)
                for (int sort = 0; sort < 2; sort++) {
                    char q[256], where[1024], got[4096], paged[4096];
                    snprintf(q, sizeof q, "%s%s%s", states[s].query, others[o].query,
                             sort ? "&sort=submitted" : "");
                    snprintf(where, sizeof where, "c.state IN (%s) AND %s", states[s].sql,
                             others[o].sql);
                    char *want = expected(a, where, sort);
                    json_t *counts = NULL;
                    queue(a, q, 200, got, sizeof got, &counts);
                    ck_assert_msg(strcmp(got, want) == 0, "approver %d, ?%s:\n got  %s\n want %s",
                                  a, q, got, want);
                    queue(a, q, 7, paged, sizeof paged, NULL);
                    ck_assert_msg(strcmp(paged, want) == 0, "approver %d, ?%s by 7:\n got  %s", a,
                                  q, paged);
                    if (!sort) /* the same counts for either sort */
                        check_counts(a, where, counts, q);
                    json_decref(counts);
                    nonempty += want[0] != '\0';
                    free(want);
                    checked++;
                }
    ck_assert_int_eq(checked, APPROVERS * 4 * (int)(sizeof others / sizeof others[0]) * 2);
    ck_assert_int_gt(nonempty, checked * 3 / 4);
}
END_TEST

/* An item is what a reviewer decides on: masked person, amount, deadline, the rule's answer in
 * short, whether it was returned before. */
START_TEST(items_show_what_a_reviewer_needs_masked)
{
    make_claims();
    struct th_reply r = th_http(&d, "GET", "/v1/review/claims?limit=1", approver[0], NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    json_t *item = json_array_get(json_object_get(r.json, "items"), 0);
    long long id = json_integer_value(json_object_get(item, "id"));
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT left(p.name, 1) || repeat('*', char_length(p.name) - 1) || '|' || p.id_masked "
             "|| '|' || c.amount_fen || '|' || c.review_due"
             " || '|' || c.returned_before::text FROM claim c JOIN person p ON p.id = c.person_id"
             " WHERE c.id = %lld",
             id);
    char *row = th_sql(&pg, sql), shown[256];
    json_t *person = json_object_get(item, "person"), *dec = json_object_get(item, "decision");
    snprintf(shown, sizeof shown, "%s|%s|%lld|%s|%s",
             json_string_value(json_object_get(person, "name")),
             json_string_value(json_object_get(person, "id_number_masked")),
             (long long)json_integer_value(json_object_get(item, "amount_fen")),
             json_string_value(json_object_get(item, "review_due")),
             json_is_true(json_object_get(item, "returned_before")) ? "true" : "false");
    /* the name masked: its first character, then one * for each other */
    ck_assert_str_eq(shown, row);
    ck_assert_ptr_null(strstr(r.body, "测试"));
    ck_assert_ptr_nonnull(strstr(r.body, "\"explain\":\"rule "));
    ck_assert(json_is_boolean(json_object_get(dec, "eligible")));
    ck_assert(json_is_array(json_object_get(dec, "problems")));
    ck_assert(json_is_boolean(json_object_get(item, "overdue")));
    ck_assert_ptr_null(strstr(r.body, "\"input\""));
    free(row);
    th_reply_free(&r);
    /* why a claim is in the sample: the reasons, the draw, the setting's figures */
    r = th_http(&d, "GET", "/v1/review/claims?sampled=true&limit=200", approver[0], NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    size_t i;
    int random = 0;
    json_array_foreach(json_object_get(r.json, "items"), i, item)
    {
        json_t *sample = json_object_get(item, "sample");
        const char *reasons = json_string_value(json_object_get(sample, "reasons"));
        ck_assert_msg(reasons != NULL, "%s", r.body);
        ck_assert_str_eq(json_string_value(json_object_get(item, "payment_hold")),
                         "commitment_sample");
        snprintf(sql, sizeof sql,
                 "SELECT reasons || '|' || coalesce(draw::text, '-') || '|' ||"
                 " coalesce(percent_bp::text, '-') || '|' || coalesce(above_fen::text, '-')"
                 " FROM claim_sample WHERE claim_id = %lld",
                 (long long)json_integer_value(json_object_get(item, "id")));
        row = th_sql(&pg, sql);
        json_t *draw = json_object_get(sample, "draw"), *bp = json_object_get(sample, "percent_bp"),
               *above = json_object_get(sample, "above_fen");
        char d1[24] = "-", d2[24] = "-", d3[24] = "-";
        if (json_is_integer(draw))
            snprintf(d1, sizeof d1, "%lld", (long long)json_integer_value(draw));
        if (json_is_integer(bp))
            snprintf(d2, sizeof d2, "%lld", (long long)json_integer_value(bp));
        if (json_is_integer(above))
            snprintf(d3, sizeof d3, "%lld", (long long)json_integer_value(above));
        snprintf(shown, sizeof shown, "%s|%s|%s|%s", reasons, d1, d2, d3);
        ck_assert_str_eq(shown, row);
        free(row);
        random += strcmp(reasons, "random") == 0;
    }
    ck_assert_int_gt(random, 0);
    th_reply_free(&r);
    /* a claim not in the sample shows none */
    r = th_http(&d, "GET", "/v1/review/claims?sampled=false&limit=1", approver[0], NULL, 0, NULL);
    ck_assert_int_eq(r.status, 200);
    item = json_array_get(json_object_get(r.json, "items"), 0);
    ck_assert(json_is_null(json_object_get(item, "sample")));
    th_reply_free(&r);
}
END_TEST

/* The cursor is stable while claims arrive: a claim with an earlier deadline added between two
 * pages does not shift the second page (no item twice, none skipped of those that were there). */
START_TEST(cursor_is_stable_under_inserts)
{
    make_claims();
    struct th_reply p1 =
        th_http(&d, "GET", "/v1/review/claims?limit=5", approver[1], NULL, 0, NULL);
    ck_assert_int_eq(p1.status, 200);
    const char *next = json_string_value(json_object_get(p1.json, "next_after"));
    ck_assert_ptr_nonnull(next);
    free(th_sql(&pg, "INSERT INTO claim (owner_role, owner_subject, person_id, region, kind, state,"
                     " input, year, policy_id, amount_fen, decision, review_due, submitted_at)"
                     " SELECT 'enterprise', '" ENT_A "', p.id, '330902', 'safety_training',"
                     " 'submitted', '{}', 2026, 'zhoushan-2019', 1, '{}', date '2026-11-01',"
                     " now() FROM person p WHERE p.id_hash = sha256(int8send(161::bigint))"));
    char path[128], got[4096];
    snprintf(path, sizeof path, "/v1/review/claims?limit=5&after=%s", next);
    struct th_reply p2 = th_http(&d, "GET", path, approver[1], NULL, 0, NULL);
    ck_assert_int_eq(p2.status, 200);
    /* the second page is what followed the first page's last item before the insert */
    char *want =
        expected(1, "c.state IN ('submitted','resubmitted','in_review','appealed')", false);
    size_t i, used = 0;
    json_t *item;
    json_array_foreach(json_object_get(p1.json, "items"), i, item) used +=
        (size_t)snprintf(got + used, sizeof got - used, "%s%lld", used ? "," : "",
                         (long long)json_integer_value(json_object_get(item, "id")));
    json_array_foreach(json_object_get(p2.json, "items"), i, item) used +=
        (size_t)snprintf(got + used, sizeof got - used, ",%lld",
                         (long long)json_integer_value(json_object_get(item, "id")));
    /* want now starts with the new claim (the earliest deadline); the pages are what follows */
    const char *rest = strchr(want, ',') + 1;
    ck_assert_msg(strncmp(rest, got, strlen(got)) == 0, "got %s\nwant %s", got, rest);
    free(want);
    th_reply_free(&p1);
    th_reply_free(&p2);
}
END_TEST

/* Each count stops at the cap (10,000): 10,005 claims submitted and overdue in a district, 3 in
 * review; the counts say 10,000 submitted and overdue, named in at_least, and 3 in review. */
START_TEST(counts_stop_at_the_cap)
{
    free(th_sql(&pg, "INSERT INTO person (id_hash, id_sealed, id_masked, name)"
                     " SELECT sha256(int8send(-i)), '\\x00', '330902********0000', '测试'"
                     " FROM generate_series(1, 10008) i"));
    free(th_sql(&pg, "INSERT INTO claim (owner_role, owner_subject, person_id, region, kind, state,"
                     "  input, year, policy_id, policy_version, amount_fen, decision, review_due,"
                     "  submitted_at)"
                     " SELECT 'enterprise', '" ENT_A "', p.id, '330902', 'certificate_training',"
                     "  CASE WHEN i <= 3 THEN 'in_review' ELSE 'submitted' END, '{}', 2026,"
                     "  'zhoushan-2019', 1, 100000, '{}', date '2026-01-05' + i % 2,"
                     "  timestamptz '2025-12-01 08:00+08'"
                     " FROM generate_series(1, 10008) i"
                     " JOIN person p ON p.id_hash = sha256(int8send(-i))"));
    struct th_reply r = th_http(&d, "GET", "/v1/review/claims?limit=1", approver[0], NULL, 0, NULL);
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    json_t *counts = json_object_get(r.json, "counts");
    char got[512];
    th_counts_text(counts, got, sizeof got);
    ck_assert_str_eq(got, "in_review=3,submitted=10000;10000");
    ck_assert_int_eq(json_integer_value(json_object_get(counts, "cap")), 10000);
    char *at_least = json_dumps(json_object_get(counts, "at_least"), JSON_COMPACT);
    ck_assert_str_eq(at_least, "[\"submitted\",\"overdue\"]");
    free(at_least);
    th_reply_free(&r);
    /* under the cap, nothing is named */
    json_t *small = NULL;
    char ids[256];
    queue(0, "&state=in_review", 10, ids, sizeof ids, &small);
    th_counts_text(small, got, sizeof got);
    ck_assert_str_eq(got, "in_review=3;3");
    ck_assert_int_eq(json_array_size(json_object_get(small, "at_least")), 0);
    json_decref(small);
}
END_TEST

START_TEST(bad_queries_name_their_field)
{
    static const struct th_bad_query bad[] = {
        {"state=paid_twice", "state"},
        {"kind=Certificate", "kind"},
        {"enterprise=91330900MA28K1234X", "enterprise"},
        {"amount_min=-1", "amount_min"},
        {"amount_min=5&amount_max=4", "amount_max"},
        {"submitted_from=2026-02-30", "submitted_from"},
        {"submitted_from=2026-11-10&submitted_to=2026-11-09", "submitted_to"},
        {"due_before=tomorrow", "due_before"},
        {"overdue=yes", "overdue"},
        {"sampled=1", "sampled"},
        {"sort=amount", "sort"},
        {"after=2026-11-20", "after"},
        {"after=2026-11-20_x", "after"},
        {"after=1730419200000000_12", "after"}, /* a submission cursor with the deadline sort */
        {"sort=submitted&after=2026-11-20_12", "after"},
        {"limit=0", "limit"},
        {"colour=red", "colour"},
    };
    th_bad_queries(&d, approver[0], "/v1/review/claims", bad, sizeof bad / sizeof bad[0]);
}
END_TEST

START_TEST(only_approvers_have_a_queue)
{
    char admin[64];
    th_token(&pg, "admin", NULL, NULL, admin);
    const char *const others[] = {applicant, institution, admin};
    th_refused_to(&d, "/v1/review/claims", others, 3);
}
END_TEST

static void setup(void)
{
    free(th_sql(&pg, "TRUNCATE claim, person CASCADE"));
}

int main(void)
{
    th_start(&pg, &d, NULL);
    for (int a = 0; a < APPROVERS; a++)
        th_token(&pg, "approver", NULL, approver_regions[a], approver[a]);
    char id[19];
    th_resident_id(id, "330902", 1990, 77);
    th_token(&pg, "applicant", id, NULL, applicant);
    th_token(&pg, "institution", "91330900MA28K1234U", NULL, institution);
    Suite *s = suite_create("review_queue");
    TCase *tc = tcase_create("queue");
    tcase_set_timeout(tc, 240);
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, queue_is_exactly_the_regions_claims_in_order);
    tcase_add_test(tc, items_show_what_a_reviewer_needs_masked);
    tcase_add_test(tc, cursor_is_stable_under_inserts);
    tcase_add_test(tc, counts_stop_at_the_cap);
    tcase_add_test(tc, bad_queries_name_their_field);
    tcase_add_test(tc, only_approvers_have_a_queue);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    return th_finish(&pg, &d) | failed;
}
