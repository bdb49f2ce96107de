/* Writes under an Idempotency-Key: the effect, its audit rows and the stored reply commit
 * together, so a retried request can never cause a second effect, and its reply is the first
 * one byte for byte. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "log.h"
#include "ops.h"

#define KEY_MAX 128

static bool key_ok(const char *k)
{
    size_t n = strlen(k);
    return n >= 1 && n <= KEY_MAX &&
           strspn(k, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:") == n;
}

/* Who the key belongs to: the token's subject where it has one (a new token of the same person
 * must not make a retry a second effect), else the token. */
static void caller_of(const struct req *r, char *out, size_t len)
{
    if (r->who.subject[0])
        snprintf(out, len, "%s:%s", sd_role_name(r->who.role), r->who.subject);
    else
        snprintf(out, len, "token:%lld", r->who.token_id);
}

/* sha256 over method, route, path parameters and the canonical body (a CSV body as sent), as "\x" +
 * hex. */
static void request_hash(const struct req *r, char out[2 + 64 + 1])
{
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    const char *parts[] = {r->method, " ", r->route->pattern, " "};
    for (size_t i = 0; i < 4; i++)
        crypto_hash_sha256_update(&st, (const unsigned char *)parts[i], strlen(parts[i]));
    for (int i = 0; i < r->nparams; i++)
        crypto_hash_sha256_update(&st, (const unsigned char *)r->params[i],
                                  strlen(r->params[i]) + 1);
    char *canon = r->json ? json_dumps(r->json, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    if (canon)
        crypto_hash_sha256_update(&st, (const unsigned char *)canon, strlen(canon));
    else if (r->csv && r->body) /* a CSV body is the request too: another sheet is another one */
        crypto_hash_sha256_update(&st, (const unsigned char *)r->body, r->body_len);
    free(canon);
    uint8_t h[32];
    crypto_hash_sha256_final(&st, h);
    memcpy(out, "\\x", 2);
    sd_hex(h, sizeof h, out + 2);
}

enum outcome { FRESH, REPLAY, MISMATCH };

struct run {
    struct req *r;
    idem_work work;
    void *cls;
    const char *key;
    char caller[96], hash[2 + 64 + 1];
    enum outcome outcome;
    bool waiting_for_key; /* a timeout while taking the key: another request holds it */
    int status;
    char *text;
    const char *secret_field; /* kept out of the stored reply; sent in the first one only */
    char *first_text;         /* the first reply, with the secret */
};

static enum db_rc body(struct db_conn *c, void *cls)
{
    struct run *x = cls;
    free(x->text);
    free(x->first_text);
    x->text = x->first_text = NULL;
    /* the key is taken in the round trip of the work's first statement (db_txn_guard): when
     * another request holds it, nothing of the work counts and db_txn says DB_GUARDED */
    enum db_rc rc = db_idem_guard(c, x->caller, x->key);
    if (rc != DB_OK)
        return rc;
    json_t *reply = NULL;
    unsigned status = 0;
    rc = x->work(x->r, c, x->cls, &status, &reply);
    if (rc != DB_OK) {
        json_decref(reply);
        return rc;
    }
    x->status = (int)status;
    if (x->secret_field) {
        x->first_text = json_dumps(reply, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_object_del(reply, x->secret_field);
        if (!x->first_text) {
            json_decref(reply);
            return DB_HARD;
        }
    }
    /* no reply: a 204, kept as an empty body */
    x->text = reply ? json_dumps(reply, JSON_COMPACT | JSON_PRESERVE_ORDER) : strdup("");
    json_decref(reply);
    if (!x->text)
        return DB_HARD;
    return db_idem_store(c, x->caller, x->key, x->r->route->pattern, x->hash, x->status, x->text);
}

/* The key is another request's: its stored reply, or MISMATCH when that was for another
 * request.  DB_NOT_FOUND: the holder rolled back meanwhile (try again). */
static enum db_rc find_stored(struct db_conn *c, struct run *x)
{
    free(x->text);
    free(x->first_text);
    x->text = x->first_text = NULL;
    bool same = false;
    enum db_rc rc = db_idem_find(c, x->caller, x->key, x->hash, &same, &x->status, &x->text);
    x->outcome = same ? REPLAY : MISMATCH;
    return rc;
}

/* The work under the key, in its transaction; a key another request holds (or held) gives its
 * stored reply instead.  A work that queued a reply of its own returns DB_ABORT. */
static enum db_rc run_keyed(struct db_conn *db, struct run *x)
{
    for (int tries = 0;; tries++) {
        x->outcome = FRESH;
        enum db_rc rc = db_txn(db, body, x);
        x->waiting_for_key = rc == DB_TIMEOUT && db_txn_guard_state(db) == DB_GUARD_FAILED;
        /* the key's row already there at COMMIT: the guard's lock was not respected (it cannot
         * be by this daemon), and the stored reply is the answer all the same */
        if (rc == DB_UNIQUE && strcmp(db_last_constraint(db), "idempotency_pkey") == 0)
            rc = DB_GUARDED;
        if (rc != DB_GUARDED)
            return rc;
        if (x->r->status) /* a work made a reply of an empty guard's answer: our bug */
            log_bug("a reply was queued under another request's key",
                    json_pack("{s:s}", "request_id", x->r->id));
        rc = find_stored(db, x);
        if (rc != DB_NOT_FOUND || tries == 1)
            return rc;
    }
}

struct db_conn *idem_request_key(struct req *r, struct idem_request *k)
{
    k->key = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Idempotency-Key");
    if (!k->key || !key_ok(k->key)) {
        req_field_error(r, "Idempotency-Key", k->key ? SD_E_FIELD_FORMAT : SD_E_FIELD_REQUIRED,
                        "1 至 128 个字符 [A-Za-z0-9._:-]",
                        "1 to 128 characters of [A-Za-z0-9._:-]");
        reply_problem(r, SD_E_IDEMPOTENCY_KEY_REQUIRED, NULL);
        return NULL;
    }
    caller_of(r, k->caller, sizeof k->caller);
    request_hash(r, k->hash);
    struct db_conn *db = db_thread_conn();
    if (!db)
        reply_problem(r, SD_E_DB_UNAVAILABLE, NULL);
    return db;
}

static void run_idempotent(struct req *r, idem_work work, void *cls, const char *secret_field)
{
    struct idem_request k;
    struct db_conn *db = idem_request_key(r, &k);
    if (!db)
        return;
    struct run x = {.r = r, .work = work, .cls = cls, .key = k.key, .secret_field = secret_field};
    memcpy(x.caller, k.caller, sizeof x.caller);
    memcpy(x.hash, k.hash, sizeof x.hash);
    enum db_rc rc = run_keyed(db, &x);
    if (rc == DB_OK && x.outcome == MISMATCH)
        reply_problem(r, SD_E_IDEMPOTENCY_KEY_REUSED, NULL);
    else if (rc == DB_OK && x.outcome == FRESH && x.first_text)
        reply_stored(r, (unsigned)x.status, x.first_text, false), x.first_text = NULL;
    else if (rc == DB_OK)
        reply_stored(r, (unsigned)x.status, x.text, x.outcome == REPLAY), x.text = NULL;
    else if (rc == DB_TIMEOUT && x.waiting_for_key)
        reply_problem(r, SD_E_IDEMPOTENCY_IN_PROGRESS, NULL);
    else if (rc != DB_ABORT)
        reply_db(r, rc);
    else if (!r->status)
        reply_problem(r, SD_E_INTERNAL, NULL); /* work aborted without saying why: our bug */
    free(x.text);
    free(x.first_text);
}

void idempotent(struct req *r, idem_work work, void *cls)
{
    run_idempotent(r, work, cls, NULL);
}

void idempotent_secret(struct req *r, idem_work work, void *cls, const char *secret_field)
{
    run_idempotent(r, work, cls, secret_field);
}

struct dry {
    struct req *r;
    idem_work work;
    void *cls;
    unsigned status;
    json_t *reply;
};

static enum db_rc dry_body(struct db_conn *c, void *cls)
{
    struct dry *x = cls;
    json_decref(x->reply);
    x->reply = NULL;
    return x->work(x->r, c, x->cls, &x->status, &x->reply);
}

void dry_run(struct req *r, idem_work work, void *cls)
{
    struct db_conn *db = db_thread_conn();
    if (!db) {
        reply_problem(r, SD_E_DB_UNAVAILABLE, NULL);
        return;
    }
    struct dry x = {.r = r, .work = work, .cls = cls};
    enum db_rc rc = db_txn_dry(db, dry_body, &x);
    if (rc == DB_OK && json_is_object(x.reply)) {
        json_object_set_new(x.reply, "dry_run", json_true());
        reply_json(r, 200, x.reply);
        x.reply = NULL;
    } else if (rc == DB_OK) {
        reply_problem(r, SD_E_INTERNAL, NULL);
    } else if (rc != DB_ABORT) {
        reply_db(r, rc);
    } else if (!r->status) {
        reply_problem(r, SD_E_INTERNAL, NULL); /* work aborted without saying why: our bug */
    }
    json_decref(x.reply);
}
