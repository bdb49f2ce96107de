/* DB tier: the CHECK constraints of the migrated schema list the vocabulary of
 * api/vocabulary.csv (generated into sr_vocab.h).  The applied migrations cannot be generated,
 * so this reads every CHECK from pg_constraint: each list of values compared with a vocabulary's
 * column (role, owner_role, state, level, payee, and an evaluation body's kind) must be the whole
 * vocabulary, the whole without "none", or the values with or without one tag (in any order), and a
 * single value compared with it one of its values.  The columns the schema is known to check must
 * be found, and claim_state_live() (SQL) and sr_claim_state_is_live() (C) must both say what the
 * "live" tag says. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "sr_vocab.h"
#include "sr_workflow.h"

static struct th_pg pg;

#define MAX_VALUES 32

struct value_list {
    int n;
    char values[MAX_VALUES][40];
};

/* Which vocabularies a column may list; the table decides for "state". */
static int vocabularies_of(const char *table, const char *column, enum sr_vocab out[2])
{
    if (strcmp(column, "role") == 0 || strcmp(column, "owner_role") == 0)
        return out[0] = SR_VOCAB_ROLE, 1;
    if (strcmp(column, "level") == 0)
        return out[0] = SR_VOCAB_LEVEL, 1;
    if (strcmp(column, "payee") == 0)
        return out[0] = SR_VOCAB_PAYEE, 1;
    if (strcmp(column, "kind") == 0 && strcmp(table, "evaluation_body") == 0)
        return out[0] = SR_VOCAB_EVALUATION_BODY_KIND, 1;
    if (strcmp(column, "outcome") == 0 && strcmp(table, "review_job_item") == 0)
        return out[0] = SR_VOCAB_REVIEW_JOB_OUTCOME, 1;
    if (strcmp(column, "mode") == 0 && strcmp(table, "notice_setting") == 0)
        return out[0] = SR_VOCAB_NOTICE_MODE, 1;
    if (strcmp(column, "state") == 0) {
        if (strcmp(table, "objection") == 0)
            return out[0] = SR_VOCAB_OBJECTION_STATE, 1;
        if (strcmp(table, "review_job") == 0)
            return out[0] = SR_VOCAB_REVIEW_JOB_STATE, 1;
        if (strcmp(table, "notification_outbox") == 0)
            return out[0] = SR_VOCAB_NOTIFICATION_STATE, 1;
        if (strcmp(table, "claim") == 0)
            return out[0] = SR_VOCAB_CLAIM_STATE, 1;
        if (strncmp(table, "class", 5) == 0)
            return out[0] = SR_VOCAB_CLASS_STATE, 1;
        out[0] = SR_VOCAB_CLAIM_STATE, out[1] = SR_VOCAB_CLASS_STATE;
        return 2;
    }
    return 0;
}

/* Does the list hold exactly the terms of vocab selected by (tags & mask) == want? In any order:
 * the migrations wrote their lists by hand. */
static bool equals_selection(const struct value_list *l, enum sr_vocab vocab, unsigned mask,
                             unsigned want, bool drop_none)
{
    size_t n;
    const struct sr_term *t = sr_vocab_terms(vocab, &n);
    int selected = 0;
    for (size_t i = 0; i < n; i++) {
        if ((t[i].tags & mask) != want || (drop_none && strcmp(t[i].name, "none") == 0))
            continue;
        selected++;
        bool in = false;
        for (int k = 0; k < l->n && !in; k++)
            in = strcmp(l->values[k], t[i].name) == 0;
        if (!in)
            return false;
    }
    return selected == l->n;
}

static bool is_value(const char *text, enum sr_vocab vocab)
{
    size_t n;
    const struct sr_term *t = sr_vocab_terms(vocab, &n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(t[i].name, text) == 0)
            return true;
    return false;
}

static bool list_allowed(const struct value_list *l, enum sr_vocab vocab)
{
    if (equals_selection(l, vocab, 0, 0, false) || equals_selection(l, vocab, 0, 0, true))
        return true;
    for (unsigned bit = 1; bit != 0; bit <<= 1)
        if (equals_selection(l, vocab, bit, bit, false) ||
            equals_selection(l, vocab, bit, 0, false))
            return true;
    return false;
}

/* Reads the quoted literals after `p` up to the closing ']' (an ARRAY) or the first one. */
static const char *read_literals(const char *p, bool array, struct value_list *l)
{
    l->n = 0;
    while (*p && (!array || *p != ']')) {
        if (*p == '\'') {
            const char *end = strchr(p + 1, '\'');
            if (!end)
                break;
            if (l->n < MAX_VALUES)
                snprintf(l->values[l->n++], sizeof l->values[0], "%.*s", (int)(end - p - 1), p + 1);
            p = end + 1;
            if (!array)
                break;
        } else
            p++;
    }
    return p;
}

struct found {
    const char *table, *column;
    bool seen;
};

/* Checks every comparison of `column` with literals in one constraint's definition; returns
 * how many it found, and appends failures to msg. */
static int check_definition(const char *table, const char *def, const char *column, char *msg,
                            size_t msg_len)
{
    enum sr_vocab vocabs[2];
    int nv = vocabularies_of(table, column, vocabs), found = 0;
    size_t clen = strlen(column);
    for (const char *p = strstr(def, column); nv && p; p = strstr(p + 1, column)) {
        bool word = (p == def || !(p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z'))) &&
                    !(p[clen] == '_' || (p[clen] >= 'a' && p[clen] <= 'z'));
        if (!word)
            continue;
        const char *q = p + clen;
        struct value_list l;
        if (strncmp(q, " = ANY (ARRAY[", 14) == 0)
            read_literals(q + 14, true, &l);
        else if (strncmp(q, " = '", 4) == 0)
            read_literals(q + 3, false, &l); /* one value (state = 'draft'): a value of it */
        else
            continue;
        found++;
        bool ok = false;
        for (int i = 0; i < nv; i++)
            ok = ok || (l.n == 1 && q[3] == '\'' ? is_value(l.values[0], vocabs[i])
                                                 : list_allowed(&l, vocabs[i]));
        if (!ok) {
            size_t used = strlen(msg);
            snprintf(msg + used, msg_len - used,
                     "\n  %s: %s lists %d values that are not %s of "
                     "api/vocabulary.csv: %s",
                     table, column, l.n, sr_vocab_name(vocabs[0]), def);
        }
    }
    return found;
}

START_TEST(check_constraints_list_the_vocabulary)
{
    static const char *const columns[] = {"role",  "owner_role", "state",   "level",
                                          "payee", "kind",       "outcome", "mode"};
    struct found required[] = {
        {"token", "role", false},
        {"account", "role", false},
        {"claim", "owner_role", false},
        {"claim", "state", false},
        {"catalog_entry", "level", false},
        {"evaluation_body", "kind", false},
        {"class", "state", false},
        {"class", "level", false},
        {"class", "payee", false},
        {"review_job", "state", false},
        {"review_job_item", "outcome", false},
        {"notice_setting", "mode", false},
        {"objection", "state", false},
    };
    PGconn *c = th_pg_super(&pg);
    // clang-format off
    PGresult *res = PQexec(c,
        "SELECT cl.relname, pg_get_constraintdef(co.oid)"
        "  FROM pg_constraint co"
        "  JOIN pg_class cl ON cl.oid = co.conrelid"
        "  JOIN pg_namespace ns ON ns.oid = cl.relnamespace"
        " WHERE co.contype = 'c'"
        "   AND ns.nspname NOT IN ('pg_catalog', 'information_schema')"
        " ORDER BY cl.relname, co.conname");
    // clang-format on
    ck_assert_int_eq(PQresultStatus(res), PGRES_TUPLES_OK);
    ck_assert_int_gt(PQntuples(res), 10);
    char msg[8192] = "";
    int compared = 0;
    for (int i = 0; i < PQntuples(res); i++) {
        const char *table = PQgetvalue(res, i, 0), *def = PQgetvalue(res, i, 1);
        for (size_t k = 0; k < sizeof columns / sizeof columns[0]; k++) {
            int n = check_definition(table, def, columns[k], msg, sizeof msg);
            compared += n;
            for (size_t r = 0; n && r < sizeof required / sizeof required[0]; r++)
                if (strcmp(required[r].table, table) == 0 &&
                    strcmp(required[r].column, columns[k]) == 0)
                    required[r].seen = true;
        }
    }
    PQclear(res);
    PQfinish(c);
    ck_assert_msg(msg[0] == '\0', "CHECK constraints disagree with the vocabulary:%s", msg);
    for (size_t r = 0; r < sizeof required / sizeof required[0]; r++)
        ck_assert_msg(required[r].seen, "no CHECK lists %s.%s", required[r].table,
                      required[r].column);
    ck_assert_int_ge(compared, 7);
}
END_TEST

START_TEST(claim_state_live_agrees)
{
    PGconn *c = th_pg_super(&pg);
    for (int i = 0; i < SR_CLAIM_STATE_COUNT; i++) {
        size_t n;
        const struct sr_term *t = sr_vocab_terms(SR_VOCAB_CLAIM_STATE, &n);
        const char *params[] = {t[i].name};
        PGresult *res =
            PQexecParams(c, "SELECT claim_state_live($1)", 1, NULL, params, NULL, NULL, 0);
        ck_assert_int_eq(PQresultStatus(res), PGRES_TUPLES_OK);
        bool live = (t[i].tags & SR_TAG_LIVE) != 0;
        ck_assert_msg(strcmp(PQgetvalue(res, 0, 0), live ? "t" : "f") == 0,
                      "claim_state_live('%s') is %s", t[i].name, PQgetvalue(res, 0, 0));
        ck_assert_msg(sr_claim_state_is_live((enum sr_claim_state)i) == live,
                      "sr_claim_state_is_live(%s)", t[i].name);
        ck_assert_msg(sr_claim_state_is_final((enum sr_claim_state)i) ==
                          ((t[i].tags & SR_TAG_FINAL) != 0),
                      "sr_claim_state_is_final(%s)", t[i].name);
        PQclear(res);
    }
    PQfinish(c);
}
END_TEST

START_TEST(class_state_live_agrees)
{
    PGconn *c = th_pg_super(&pg);
    size_t n;
    const struct sr_term *t = sr_vocab_terms(SR_VOCAB_CLASS_STATE, &n);
    for (size_t i = 0; i < n; i++) {
        const char *params[] = {t[i].name};
        PGresult *res =
            PQexecParams(c, "SELECT class_state_live($1)", 1, NULL, params, NULL, NULL, 0);
        ck_assert_int_eq(PQresultStatus(res), PGRES_TUPLES_OK);
        bool live = (t[i].tags & SR_TAG_LIVE) != 0;
        ck_assert_msg(strcmp(PQgetvalue(res, 0, 0), live ? "t" : "f") == 0,
                      "class_state_live('%s') is %s", t[i].name, PQgetvalue(res, 0, 0));
        PQclear(res);
    }
    PQfinish(c);
}
END_TEST

int main(void)
{
    th_pg_start(&pg);
    Suite *s = suite_create("vocab");
    TCase *tc = tcase_create("vocab");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, check_constraints_list_the_vocabulary);
    tcase_add_test(tc, class_state_live_agrees);
    tcase_add_test(tc, claim_state_live_agrees);
    suite_add_tcase(s, tc);
    int failed = th_run_suite(s);
    th_pg_destroy(&pg);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
