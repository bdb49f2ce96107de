#ifndef SD_CLAIM_JSON_H
#define SD_CLAIM_JSON_H

/*
 * The rule module's JSON adapter, shared by the daemon (POST /v1/precheck) and subsidyctl
 * (evaluate): a request object is checked with the field tables of jspec.h — every bad field
 * named at once, ID numbers and credit codes by their check characters, dates that exist,
 * amounts in fen within bounds — into the plain structs of sr_rules.h; a result is written back
 * as JSON.  Nothing here decides policy.
 */

#include <jansson.h>
#include <stdbool.h>
#include <time.h>

#include "jspec.h"
#include "sr_ids.h"
#include "sr_rules.h"
#include "sr_workflow.h"

#define CJ_MAX_HISTORY   64
#define CJ_POLICY_ID_LEN 64

/* One evaluation request, owning every string it holds. */
struct cj_request {
    char policy_id[CJ_POLICY_ID_LEN]; /* "" when the policy is chosen by region */
    int32_t region;                   /* GB/T 2260 code; 0 when policy_id is given */
    int32_t today;                    /* evaluation date */
    bool has_catalog, has_person, has_employer;
    struct sr_catalog_entry catalog;
    struct sr_person person;
    struct sr_employer employer;
    struct sr_claim claim;
    struct sr_history_entry history[CJ_MAX_HISTORY];
    size_t history_len;
};

/* Check obj and fill *req; every problem goes to e.  today_default is used when the request
 * names no "today".  Returns true when there was no problem. */
bool cj_parse(struct jerrors *e, const json_t *obj, int32_t today_default, struct cj_request *req);

/* The policy the request asks for: by id, or in force for its region on the claim's date
 * (certificate issue date, else training end, else today).  NULL with a problem in e.  When the
 * region has policies but none on that date, the problem with the date is in e and the region's
 * policy is returned all the same, to judge the rest of the claim for the one reply. */
const struct sr_policy *cj_policy(const struct sr_policy_set *set, const struct cj_request *req,
                                  struct jerrors *e);

/* The sr_input view of a parsed request (pointers into req). */
void cj_input(const struct cj_request *req, struct sr_input *in);

/* The decision as JSON: eligible, amount_fen, problems, trace, explain. */
json_t *cj_result(const struct sr_result *r);

/* The rule module's problems of res that are not about a field e already names (a bad field's
 * value was left out, so what the module says of it would only repeat e): a new array. */
json_t *cj_other_problems(const struct jerrors *e, const struct sr_result *res);

/* Judge a request object offline, with one complete answer: parse it, choose the policy,
 * evaluate whatever parsed.  Without any field problem, returns the decision (cj_result).
 * Otherwise returns NULL with every field problem in e and the rule module's other problems in
 * *problems (a new array, maybe empty) — the one reply that names everything to fix. */
json_t *cj_judge(const struct sr_policy_set *set, struct jerrors *e, const json_t *obj,
                 int32_t today, json_t **problems);

/* Field formats shared by every table that takes these (jspec.h): a real date as YYYY-MM-DD, a
 * unified social credit code and a resident ID number by their check characters; a code of
 * letters, digits and - _ . (a certificate number); a level and a certificate kind of the rule
 * module. */
extern const struct jformat cj_date_format, cj_credit_code_format, cj_resident_id_format,
    cj_code_format, cj_level_format, cj_cert_kind_format;

/* The service's day is China's: Asia/Shanghai, UTC+8 all year (no daylight saving since 1991),
 * so a claim filed at 07:00 on 1 April in Zhoushan is of 1 April, not of 31 March (UTC). */
#define CJ_UTC_OFFSET_S (8 * 3600)
/* The day number of moment t in Asia/Shanghai. */
int32_t cj_day_of(time_t t);
/* Today (Asia/Shanghai) as a day number: read once per request and passed down. */
int32_t cj_today(void);

#endif
