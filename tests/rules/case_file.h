/* Reading the table files of rule cases (tests/rules/cases/NAME.cases), shared by the Check test
 * and the benchmark. Format: see tests/rules/cases/README. */
#ifndef SR_TEST_CASE_FILE_H
#define SR_TEST_CASE_FILE_H

#include "sr_rules.h"

#define CASE_MAX_HISTORY  16
#define CASE_MAX_EXPECTED 12

struct rule_case {
    char file[256];
    int line;
    char section[64];
    char title[256];
    char policy_id[64];
    int32_t today;
    bool has_person, has_employer, has_catalog;
    struct sr_person person;
    struct sr_employer employer;
    struct sr_catalog_entry catalog;
    struct sr_claim claim;
    struct sr_history_entry history[CASE_MAX_HISTORY];
    size_t history_len;
    /* expectations; negative = not checked */
    int64_t amount;
    int eligible; /* -1 unchecked */
    bool check_problems;
    enum sr_problem_code problems[CASE_MAX_EXPECTED];
    char problem_fields[CASE_MAX_EXPECTED][48]; /* "" = any field */
    size_t problem_count;
    int64_t limit, uplift, advance, standard;
    int units;
    char rule_id[64];
    char formula[32];
    char uplift_note[32];
    char explain[200];
    char cap[64]; /* expect.cap: "<reason> <limit>" of the last duration cap, or "none" */
};

struct case_list {
    struct rule_case *items;
    size_t count;
};

/* Reads every *.cases file of `dir`; on error writes `file:line: message` into err and
 * returns -1. */
int case_list_load(const char *dir, struct case_list *out, char *err, size_t errlen);
void case_list_free(struct case_list *list);

/* Fills `in` from the case (pointers into the case). */
void case_input(const struct rule_case *c, struct sr_input *in);

/* Compares a result with the case's expectations; writes the first mismatch into msg and
 * returns false when there is one. */
bool case_check(const struct rule_case *c, const struct sr_result *r, char *msg, size_t len);

#endif
