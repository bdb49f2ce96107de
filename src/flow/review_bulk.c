/* Bulk decisions (claim.h): many claims approved or rejected in one request, each judged on its
 * own, in its own short transaction, by the same step as a single decision — never one
 * transaction or one lock for the whole set.  Idempotent as a whole: the request's key is kept
 * with the request's hash, and each item's answer under a key of its own (the request's key and
 * the claim's id) in the item's transaction, so that a replay, or a retry after a crash half-way,
 * answers the items already decided from what was kept and decides only the rest. */
#include "claim.h"

#include "ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One item's run: its decision, or the refusal kept when it was refused. */
struct item_run {
    const struct flow_caller *c;
    const struct review_bulk_in *in;
    long long claim_id;
    char key[192];
    char *refusal; /* the refused item's answer to keep (second transaction) */
    char *answer;  /* the item's answer (JSON text, malloc'd) */
    bool kept;     /* the answer was kept by an earlier run */
    bool mismatch; /* ... for another request */
    struct flow_result res;
};

/* A refusal as the item's problem (the members of a problem+json reply, no request id). */
static json_t *item_problem(const struct flow_caller *c, const struct flow_result *res)
{
    enum sd_err code =
        res->outcome == FLOW_REFUSED || res->outcome == FLOW_INVALID ? res->code : SD_E_INTERNAL;
    const struct sd_err_info *e = sd_err_lookup(code);
    char type[96];
    snprintf(type, sizeof type, "urn:subsidyd:error:%s", e->name);
    json_t *p = json_pack("{s:s, s:s, s:i, s:i, s:s, s:s, s:s}", "type", type, "title",
                          c->errors->lang_en ? e->title_en : e->title_zh, "status",
                          (int)e->http_status, "code", e->code, "name", e->name, "title_zh",
                          e->title_zh, "title_en", e->title_en);
    if (p && res->detail[0])
        json_object_set_new(p, "detail", json_string(res->detail));
    if (p && res->members)
        json_object_update(p, res->members);
    if (p && jerr_count(c->errors) > 0)
        json_object_set(p, "errors", c->errors->list);
    return p;
}

enum db_rc review_item_decide(const struct flow_caller *c, struct db_conn *db, long long claim_id,
                              const struct review_item_step *s, struct flow_result *res)
{
    const struct flow_args take_args = {
        .id = claim_id,
        .in.review = &(const struct claim_review_in){.action = SR_CLAIM_TAKE,
                                                     .reason = s->reason,
                                                     .confirm_amount_fen = -1,
                                                     .assign_minutes = s->assign_minutes}};
    const struct claim_review_in step = {.action = s->action,
                                         .reason = s->reason,
                                         .reason_codes = s->reason_codes,
                                         .confirm_amount_fen = -1};
    const struct flow_args args = {.id = claim_id, .in.review = &step};
    enum db_rc rc = flow_claim_review(c, db, &args, res);
    if (rc == DB_ABORT && res->outcome == FLOW_REFUSED && res->code == SD_E_CLAIM_STATE_CONFLICT) {
        /* not taken yet: refused before anything was written, so take it and decide */
        flow_result_free(res);
        rc = flow_claim_review(c, db, &take_args, res);
        if (rc == DB_OK) {
            flow_result_free(res);
            rc = flow_claim_review(c, db, &args, res);
        }
    }
    return rc;
}

json_t *review_item_answer(const struct flow_caller *c, long long claim_id,
                           const struct flow_result *res)
{
    if (res->outcome == FLOW_OK) {
        const json_t *claim = res->body;
        return json_pack("{s:I, s:i, s:{s:O?, s:O?, s:O?}}", "claim_id", (json_int_t)claim_id,
                         "status", (int)res->status, "claim", "id", json_object_get(claim, "id"),
                         "state", json_object_get(claim, "state"), "amount_fen",
                         json_object_get(claim, "amount_fen"));
    }
    json_t *p = item_problem(c, res);
    return p ? json_pack("{s:I, s:i, s:o}", "claim_id", (json_int_t)claim_id, "status",
                         (int)json_integer_value(json_object_get(p, "status")), "problem", p)
             : NULL;
}

/* The step on the claim, as the request's items are decided. */
static enum db_rc decide(struct item_run *x, struct db_conn *db)
{
    const struct review_item_step s = {.action = x->in->action,
                                       .reason = x->in->reason,
                                       .reason_codes = x->in->reason_codes,
                                       .assign_minutes = x->in->assign_minutes};
    return review_item_decide(x->c, db, x->claim_id, &s, &x->res);
}

static enum db_rc item_body(struct db_conn *db, void *cls)
{
    struct item_run *x = cls;
    flow_result_free(&x->res);
    jerr_clear(x->c->errors);
    free(x->answer);
    x->answer = NULL;
    enum db_rc rc = db_idem_guard(db, x->in->caller, x->key);
    if (rc != DB_OK)
        return rc;
    json_t *item = NULL;
    if (x->refusal) {
        x->answer = strdup(x->refusal);
    } else {
        rc = decide(x, db);
        if (rc != DB_OK)
            return rc; /* refused (DB_ABORT): rolled back, its answer kept next */
        item = review_item_answer(x->c, x->claim_id, &x->res);
        x->answer = item ? json_dumps(item, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        json_decref(item);
    }
    if (!x->answer)
        return DB_HARD;
    return db_idem_store(db, x->in->caller, x->key, x->in->route, x->in->hash, 200, x->answer);
}

/* The item's answer kept by an earlier run of this request (DB_OK, *found), or none. */
static enum db_rc item_kept(struct db_conn *db, struct item_run *x, bool *found)
{
    bool same = false;
    int status = 0;
    free(x->answer);
    x->answer = NULL;
    enum db_rc rc =
        db_idem_find(db, x->in->caller, x->key, x->in->hash, &same, &status, &x->answer);
    *found = x->kept = rc == DB_OK;
    x->mismatch = rc == DB_OK && !same;
    return rc == DB_NOT_FOUND ? DB_OK : rc;
}

/* Decide one item, or answer it from what was kept. */
static enum db_rc run_item(struct db_conn *db, struct item_run *x)
{
    for (int tries = 0; tries < 3; tries++) {
        enum db_rc rc = db_txn(db, item_body, x);
        if (rc == DB_OK)
            return DB_OK;
        if (rc == DB_ABORT && !x->refusal) {
            /* refused: its answer is kept on its own, so that a replay says the same */
            json_t *item = review_item_answer(x->c, x->claim_id, &x->res);
            x->refusal = item ? json_dumps(item, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
            json_decref(item);
            if (!x->refusal)
                return DB_HARD;
            continue;
        }
        if (rc != DB_GUARDED)
            return rc;
        bool found = false;
        rc = item_kept(db, x, &found);
        if (rc != DB_OK || found)
            return rc;
        /* the holder rolled back meanwhile: try again */
    }
    return DB_CONTENTION;
}

enum db_rc flow_review_bulk(const struct flow_caller *c, struct db_conn *db,
                            const struct review_bulk_in *in, struct review_bulk_out *out)
{
    memset(out, 0, sizeof *out);
    /* the request's key with its hash: another request under it is refused as a whole */
    struct item_run whole = {.c = c, .in = in};
    snprintf(whole.key, sizeof whole.key, "%s", in->key);
    whole.refusal = strdup("{}");
    enum db_rc rc = whole.refusal ? run_item(db, &whole) : DB_HARD;
    out->key_reused = whole.mismatch;
    out->replayed = whole.kept && !whole.mismatch;
    free(whole.refusal);
    free(whole.answer);
    flow_result_free(&whole.res);
    if (rc != DB_OK || out->key_reused)
        return rc;
    out->items = json_array();
    for (size_t i = 0; rc == DB_OK && i < json_array_size(in->claim_ids); i++) {
        struct item_run x = {.c = c, .in = in};
        x.claim_id = json_integer_value(json_array_get(in->claim_ids, i));
        snprintf(x.key, sizeof x.key, "%s#%lld", in->item_prefix, x.claim_id);
        rc = run_item(db, &x);
        json_t *item = rc == DB_OK && !x.mismatch ? json_loads(x.answer, 0, NULL) : NULL;
        if (rc == DB_OK && !item)
            rc = DB_HARD;
        if (item) {
            if (json_object_get(item, "problem"))
                out->refused++;
            else
                out->decided++;
            json_array_append_new(out->items, item);
        }
        free(x.refusal);
        free(x.answer);
        flow_result_free(&x.res);
    }
    jerr_clear(c->errors);
    return rc;
}
