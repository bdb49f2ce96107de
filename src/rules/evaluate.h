/* Private to the evaluator (evaluate.c, eval_*.c): the state of one judgement and the checks
 * each file contributes. */
#ifndef SR_EVALUATE_H
#define SR_EVALUATE_H

#include "rules_internal.h"

#define ID_SECTION     "GB 11643-1999"
#define CREDIT_SECTION "GB 32100-2015"
#define WHOLE_DOCUMENT "全文"

#define MAX_HOURS     10000
#define MAX_DAYS      3660
#define MAX_MONTHS    1200
#define MAX_SEMESTERS 100
#define MAX_YEARS     100

struct eval {
    const struct sr_policy *pol;
    const struct sr_rule *rule;
    const struct sr_input *in;
    const struct sr_claim *claim;
    struct sr_result *out;
    int32_t event_date;
    int event_year;
    bool catalog_ok; /* an entry with a usable standard was given */
};

/* Add a problem once per (code, field); section NULL or "" is the whole document. */
void sr_eval_problem(struct sr_result *out, enum sr_problem_code code, const char *field,
                     const char *section);

/* eval_checks.c */
void sr_eval_check_dates(struct eval *e); /* sets event_date and event_year */
void sr_eval_check_person_identity(struct eval *e, const struct sr_person *p);
void sr_eval_check_person(struct eval *e);
void sr_eval_check_employer(struct eval *e);
void sr_eval_check_certificate(struct eval *e);
void sr_eval_check_training(struct eval *e);
void sr_eval_check_ranges(struct eval *e);
void sr_eval_check_catalog(struct eval *e); /* sets catalog_ok */
void sr_eval_check_claim_fields(struct eval *e);

/* eval_amount.c */
void sr_eval_check_units(struct eval *e); /* the units of the trace */
void sr_eval_compute(struct eval *e);     /* the amount of the trace */

/* eval_history.c */
void sr_eval_check_history(struct eval *e);
void sr_eval_format_same_key(const struct sr_rule *r, const struct sr_claim *c,
                             char out[SR_SAME_KEY_LEN]);

#endif
