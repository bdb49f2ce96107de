#ifndef SD_FLOW_EMPLOYMENT_H
#define SD_FLOW_EMPLOYMENT_H

/*
 * What a claim takes from the employment records (参保记录): who the person was insured with
 * on the claim's event date, which employer the rules use, and the months of unemployment
 * insurance before it.  The rows of an import are employment_rows.h.
 */

#include "claim_json.h"
#include "flow.h"

/* What a submission took from the records (for the trace). */
struct employment_used {
    bool looked_up;        /* the claim had an event date */
    char credit_code[19];  /* the employer the rules used; "" for none */
    char insured_from[11]; /* its record's first day (the hire date the rules read) */
    int ui_months;
    bool named_contradicted; /* the body's employer.credit_code is not in the records */
    bool not_insured;        /* an enterprise's claim for a person not insured with it */
};

/* Put the records' employer into cr after the context statement, replacing what the body
 * asserted (credit code, ui_months, hire date = the record's insured_from); named is the
 * employer the claim names (the body's, or the claiming enterprise), employment_json the
 * context's.  An enterprise's claim for a person not insured with it on the event date is a
 * field problem on "employee" (used->not_insured), so that the claim's one reply names it with
 * everything else.  Without an event date, or without the person (their own fields are wrong),
 * nothing is looked up. */
void employment_apply(struct jerrors *e, const char *owner_role, const char *named,
                      const char *event_date, const char *employment_json, struct cj_request *cr,
                      struct employment_used *used);
/* After the judgement: a named employer the records contradict is one more problem (the claim
 * is not granted, and no uplift comes of it). */
void employment_problems(const struct employment_used *used, struct sr_result *res);
/* Add what was used to a decision's trace (trace.employment). */
void employment_trace(const struct employment_used *used, json_t *decision);

#endif
