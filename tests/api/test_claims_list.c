/* API tier: GET /v1/claims is exactly the caller's claims (S6) under every combination of its
 * filters (state, year, kind, after; api/openapi.yaml, listClaims), with other owners' claims
 * in the same states, years and kinds in the database.  "The caller's" is what the contract
 * says: an applicant's or enterprise's own claims, and for an applicant also the claims an
 * enterprise filed about them, drafts excepted (issue 11, "First, tests that would notice"). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct th_pg pg;
static struct th_daemon d;
static char admin[64];

#define ENT_A "91330900MA28K1234U"
#define ENT_B "91330900MA28K56780"

/* The callers: two applicants (whose persons are 0 and 1) and two enterprises; the people:
 * the applicants' persons and one employee of each enterprise (2 and 3). */
enum { CALLERS = 4, PEOPLE = 4 };
static char token[CALLERS][64];
static char person_id[PEOPLE][19];

/* What the test made, as it expects the list to show it. */
struct made {
    long long id;
    int owner, person;
    const char *state, *kind;
    int year; /* 0: a draft, which has none */
};
static struct made made[64];
static int n_made;

static bool visible(int caller, const struct made *m)
{
    return m->owner == caller ||
           (caller < 2 && m->person == caller && strcmp(m->state, "draft") != 0);
}

/* Make a claim: a draft or a submitted certificate training claim of year, or a draft of
 * another kind; owned by caller owner, about person. */
static struct made *make(int owner, int person, const char *kind, bool submit, int year,
                         const char *occupation)
{
    char body[1024], who[160] = "", key[32], claim[512];
    if (owner >= 2)
        snprintf(who, sizeof who, "\"employee\":{\"id_number\":\"%s\",\"name\":\"员工\"},",
                 person_id[person]);
    if (strcmp(kind, "certificate_training") == 0)
        snprintf(claim, sizeof claim,
                 "{\"kind\":\"certificate_training\",\"occupation\":\"%s\",\"level\":\"level4\","
                 "\"certificate\":{\"kind\":\"qualification\",\"number\":\"LIST-%d\","
                 "\"issue_date\":\"%d-03-01\"},\"actual_cost_fen\":100000}",
                 occupation, n_made, year ? year : 2021);
    else
        snprintf(claim, sizeof claim, "{\"kind\":\"%s\"}", kind);
    snprintf(body, sizeof body, "{\"region\":\"330902\",\"submit\":%s,%s\"claim\":%s}",
             submit ? "true" : "false", who, claim);
    snprintf(key, sizeof key, "list-%d", n_made);
    struct th_reply r = th_write(&d, "POST", "/v1/claims", token[owner], key, body);
    ck_assert_msg(r.status == 201, "%s: %ld %s", body, r.status, r.body);
    struct made *m = &made[n_made++];
    *m = (struct made){json_integer_value(json_object_get(r.json, "id")),
                       owner,
                       person,
                       submit ? "submitted" : "draft",
                       kind,
                       submit ? year : 0};
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "state")), m->state);
    th_reply_free(&r);
    return m;
}

static void withdraw(struct made *m)
{
    char path[64], key[32];
    snprintf(path, sizeof path, "/v1/claims/%lld/withdraw", m->id);
    snprintf(key, sizeof key, "list-wd-%lld", m->id);
    struct th_reply r = th_write(&d, "POST", path, token[m->owner], key, "{}");
    ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
    th_reply_free(&r);
    m->state = "withdrawn";
}

/* Each caller's claims in every state, year and kind the filters name: own drafts of two
 * kinds, submitted claims of two years, a withdrawn one; an enterprise's claim and draft about
 * applicant 0.  The four callers' sets overlap in every filter value. */
static void make_all(void)
{
    static const char *const occ[] = {"6-18-02-04", "6-18-02-05", "6-18-02-07", "6-18-02-09"};
    for (int o = 0; o < CALLERS; o++) {
        int p = o; /* the applicants' own persons; each enterprise's employee */
        make(o, p, "certificate_training", false, 0, occ[0]);
        make(o, p, "safety_training", false, 0, NULL);
        make(o, p, "certificate_training", true, 2020, occ[1]);
        make(o, p, "certificate_training", true, 2021, occ[2]);
        withdraw(make(o, p, "certificate_training", true, 2021, occ[3]));
    }
    /* enterprise A about applicant 0: the submitted claim is theirs to see, the draft not */
    make(2, 0, "certificate_training", true, 2020, "6-18-03-01");
    make(2, 0, "certificate_training", false, 0, "6-18-03-02");
}

/* The ids the caller's GET /v1/claims?limit=LIMIT&QUERY returns, every page of it (query has no
 * after when limit is small), newest first, into out; their count. */
static int list(int caller, const char *query, int limit, long long *out, int max)
{
    int n = 0;
    char after[32] = "";
    for (;;) {
        char path[256];
        snprintf(path, sizeof path, "/v1/claims?limit=%d%s%s%s", limit, query,
                 after[0] ? "&after=" : "", after);
        struct th_reply r = th_http(&d, "GET", path, token[caller], NULL, 0, NULL);
        ck_assert_msg(r.status == 200, "%s: %ld %s", path, r.status, r.body);
        size_t i;
        json_t *item;
        json_array_foreach(json_object_get(r.json, "items"), i, item)
        {
            ck_assert_int_lt(n, max);
            out[n++] = json_integer_value(json_object_get(item, "id"));
        }
        json_t *next = json_object_get(r.json, "next_after");
        after[0] = '\0';
        if (json_is_integer(next))
            snprintf(after, sizeof after, "%lld", (long long)json_integer_value(next));
        th_reply_free(&r);
        if (!after[0])
            return n;
    }
}

START_TEST(list_is_exactly_the_callers_claims)
{
    make_all();
    /* an after in the middle of everyone's claims */
    long long mid = made[n_made / 2].id;
    static const char *const states[] = {NULL, "draft", "submitted", "withdrawn", "approved"};
    static const int years[] = {0, 2020, 2021, 2019};
    static const char *const kinds[] = {NULL, "certificate_training", "safety_training"};
    int checked = 0, nonempty = 0;
    for (int c = 0; c < CALLERS; c++)
        for (size_t s = 0; s < 5; s++)
            for (size_t y = 0; y < 4; y++)
                for (size_t k = 0; k < 3; k++)
                    for (int a = 0; a < 2; a++) {
                        char q[160];
                        int len = 0;
                        if (states[s])
                            len += snprintf(q + len, sizeof q - len, "&state=%s", states[s]);
                        if (years[y])
                            len += snprintf(q + len, sizeof q - len, "&year=%d", years[y]);
                        if (kinds[k])
                            len += snprintf(q + len, sizeof q - len, "&kind=%s", kinds[k]);
                        if (a)
                            len += snprintf(q + len, sizeof q - len, "&after=%lld", mid);
                        q[len] = '\0';
                        long long want[64], got[64];
                        int nw = 0;
                        for (int i = n_made - 1; i >= 0; i--) {
                            const struct made *m = &made[i];
                            if (visible(c, m) && (!states[s] || strcmp(m->state, states[s]) == 0) &&
                                (!years[y] || m->year == years[y]) &&
                                (!kinds[k] || strcmp(m->kind, kinds[k]) == 0) &&
                                (!a || m->id < mid))
                                want[nw++] = m->id;
                        }
                        int ng = list(c, q, 200, got, 64);
                        char shown[512] = "";
                        for (int i = 0, l = 0; i < ng && l < 480; i++)
                            l += snprintf(shown + l, sizeof shown - (size_t)l, " %lld", got[i]);
                        ck_assert_msg(ng == nw, "caller %d, ?%s: %d claims (%s), expected %d", c, q,
                                      ng, shown, nw);
                        for (int i = 0; i < nw; i++)
                            ck_assert_msg(got[i] == want[i], "caller %d, ?%s: %s", c, q, shown);
                        checked++;
                        nonempty += nw > 0;
                    }
    ck_assert_int_eq(checked, CALLERS * 5 * 4 * 3 * 2);
    ck_assert_int_gt(nonempty, checked / 4); /* the data makes most filters non-trivial */
    /* the unfiltered list two at a time is the same list */
    for (int c = 0; c < CALLERS; c++) {
        long long all[64], paged[64];
        int n = list(c, "", 200, all, 64);
        ck_assert_int_eq(list(c, "", 2, paged, 64), n);
        ck_assert_int_eq(memcmp(all, paged, (size_t)n * sizeof all[0]), 0);
    }
}
END_TEST

int main(void)
{
    th_start(&pg, &d, NULL);
    th_occupations(&pg);
    th_token(&pg, "admin", NULL, NULL, admin);
    for (int i = 0; i < PEOPLE; i++)
        th_resident_id(person_id[i], "330902", 1987, 400 + (unsigned)i);
    th_token(&pg, "applicant", person_id[0], NULL, token[0]);
    th_token(&pg, "applicant", person_id[1], NULL, token[1]);
    th_token(&pg, "enterprise", ENT_A, NULL, token[2]);
    th_token(&pg, "enterprise", ENT_B, NULL, token[3]);
    const char *of_a[] = {person_id[2], person_id[0]}, *of_b[] = {person_id[3]};
    bool ok = th_enterprise(&d, admin, ENT_A, "330902") &&
              th_enterprise(&d, admin, ENT_B, "330902") &&
              th_insure(&d, admin, ENT_A, of_a, 2, "2019-01-01") &&
              th_insure(&d, admin, ENT_B, of_b, 1, "2019-01-01") &&
              th_profile(&d, token[0], person_id[0], "330902") &&
              th_profile(&d, token[1], person_id[1], "330902");
    if (!ok) {
        th_finish(&pg, &d);
        return 99;
    }
    Suite *s = suite_create("claims_list");
    TCase *tc = tcase_create("claims_list");
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, list_is_exactly_the_callers_claims);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    return failed || th_finish(&pg, &d) != 0 ? 1 : 0;
}
