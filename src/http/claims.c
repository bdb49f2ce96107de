/* What the claim and profile endpoints share (claims.h). */
#include "claims.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#define NF(spec) (sizeof(spec) / sizeof((spec)[0]))

struct flow_caller req_caller(struct req *r)
{
    return (struct flow_caller){.who = &r->who,
                                .request_id = r->id,
                                .today = cj_today(),
                                .errors = &r->errors,
                                .policies = policy_set,
                                .pii = &pii_keys,
                                .review_days = (int)config.review_days,
                                .appeal_days = (int)config.appeal_days};
}

/* Reply what a use case said: DB_OK with the status and body to keep and send, DB_ABORT after
 * queuing its refusal (field problems, or the problem it names), other database outcomes as
 * they are (the transaction helper replies).  Frees res. */
static enum db_rc reply_flow(struct req *r, enum db_rc rc, struct flow_result *res,
                             unsigned *status, json_t **reply)
{
    if (rc == DB_OK && res->outcome == FLOW_OK) {
        *status = res->status;
        *reply = res->body;
        res->body = NULL;
    } else if (res->outcome == FLOW_INVALID) {
        if (!reply_field_errors_with(r, res->code, res->members)) /* none named: our bug */
            reply_problem(r, SD_E_INTERNAL, NULL);
        res->members = NULL;
        rc = DB_ABORT;
    } else if (res->outcome == FLOW_REFUSED) {
        const char *detail = res->detail[0] ? res->detail : NULL;
        if (res->members)
            reply_problem_with(r, res->code, detail, res->members);
        else
            reply_problem(r, res->code, detail);
        res->members = NULL;
        rc = DB_ABORT;
    } else if (rc == DB_OK || rc == DB_ABORT) { /* a use case that said nothing: our bug */
        rc = DB_HARD;
    }
    flow_result_free(res);
    return rc;
}

struct call req_call(struct req *r, flow_use_case run)
{
    return (struct call){.caller = req_caller(r), .run = run};
}

bool call_path_id(struct req *r, struct call *call)
{
    return req_path_id(r, &call->args.id);
}

static enum db_rc call_work(struct req *r, struct db_conn *c, void *cls, unsigned *status,
                            json_t **reply)
{
    const struct call *call = cls;
    struct flow_result res = {0};
    enum db_rc rc = call->run(&call->caller, c, &call->args, &res);
    return reply_flow(r, rc, &res, status, reply);
}

void call_keyed(struct req *r, struct call *call)
{
    idempotent(r, call_work, call);
}

void call_dry_run(struct req *r, struct call *call)
{
    dry_run(r, call_work, call);
}

enum db_rc person_check_regions(struct req *r, struct db_conn *db, const char *prefix,
                                const struct cj_person_in *p)
{
    char names[CJ_PERSON_REGIONS][64];
    const char *fields[CJ_PERSON_REGIONS];
    for (int i = 0; i < CJ_PERSON_REGIONS; i++) {
        cj_field_name(names[i], sizeof names[i], prefix, cj_person_region_fields[i]);
        fields[i] = names[i];
    }
    return check_region_fields(r, db, fields, p->regions, CJ_PERSON_REGIONS);
}

/* ---- reveals ---- */

bool reveal_query(struct req *r, bool *reveal)
{
    static const char *const tf[] = {"true", "false", NULL};
    const char *v = NULL;
    const struct jfield spec[] = {
        {.name = "reveal", .kind = JF_STRING, .min = 4, .max = 5, .one_of = tf, .out = &v},
    };
    if (!jspec_query(r, spec, NF(spec))) {
        reply_field_errors(r, SD_E_BAD_QUERY);
        return false;
    }
    *reveal = v && strcmp(v, "true") == 0;
    return true;
}

struct reveal {
    struct req *r;
    const char *person;
};

static enum db_rc reveal_audit(struct db_conn *c, void *cls)
{
    struct reveal *x = cls;
    return req_audit(x->r, c, "person.reveal", "person", x->person, NULL, NULL);
}

enum db_rc reveal_person(struct req *r, struct db_conn *db, long long person_id,
                         const char *id_sealed, const char *phone_sealed, json_t *obj)
{
    char id[64], phone[64] = "", pid[24];
    if (!sd_pii_open(&pii_keys, id_sealed, id, sizeof id) ||
        (phone_sealed[0] && !sd_pii_open(&pii_keys, phone_sealed, phone, sizeof phone)))
        return DB_HARD;
    snprintf(pid, sizeof pid, "%lld", person_id);
    struct reveal x = {.r = r, .person = pid};
    enum db_rc rc = db_txn(db, reveal_audit, &x);
    if (rc == DB_OK) {
        json_object_set_new(obj, "id_number", json_string(id));
        json_object_set_new(obj, "phone", phone[0] ? json_string(phone) : json_null());
    }
    sodium_memzero(id, sizeof id);
    sodium_memzero(phone, sizeof phone);
    return rc;
}
