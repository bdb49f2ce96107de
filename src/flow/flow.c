/* What every use case shares (flow.h). */
#include "flow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum db_rc flow_refuse(struct flow_result *r, enum sd_err code, const char *detail, json_t *members)
{
    r->outcome = FLOW_REFUSED;
    r->code = code;
    snprintf(r->detail, sizeof r->detail, "%s", detail ? detail : "");
    json_decref(r->members);
    r->members = members;
    return DB_ABORT;
}

enum db_rc flow_invalid(struct flow_result *r, enum sd_err code, json_t *members)
{
    flow_refuse(r, code, NULL, members);
    r->outcome = FLOW_INVALID;
    return DB_ABORT;
}

enum db_rc flow_db(struct flow_result *r, enum db_rc rc)
{
    r->outcome = FLOW_DB;
    r->rc = rc;
    return rc;
}

enum db_rc flow_done(struct flow_result *r, unsigned status, json_t *body)
{
    r->outcome = FLOW_OK;
    r->status = status;
    json_decref(r->body);
    r->body = body;
    return DB_OK;
}

void flow_result_free(struct flow_result *r)
{
    json_decref(r->body);
    json_decref(r->members);
    memset(r, 0, sizeof *r);
}

void flow_problem_add(struct sr_result *res, enum sr_problem_code code, const char *field)
{
    if (res->problem_count == SR_MAX_PROBLEMS) {
        res->problems_truncated = true;
        res->problem_count--;
    }
    res->problems[res->problem_count++] = (struct sr_problem){
        .code = code,
        .code_name = sr_problem_code_name(code),
        .field = field,
        .section = sr_problem_section(code),
        .message_zh = sr_problem_message_zh(code),
        .message_en = sr_problem_message_en(code),
    };
    res->eligible = false;
    res->amount_fen = 0;
}

const char *flow_role(const struct flow_caller *c)
{
    return sd_role_name(c->who->role);
}

int32_t flow_rule_region(const char *code)
{
    if (!code)
        return 0;
    if (strspn(code, "0123456789") == strlen(code))
        return atoi(code);
    char city[7];
    snprintf(city, sizeof city, "%.4s00", code);
    return atoi(city);
}
