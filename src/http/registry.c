/* Enterprises, training institutions and evaluation bodies: one reading, listing and writing
 * of all three (registry.h). */
#include <stdio.h>
#include <stdlib.h>

#include "ops.h"
#include "payee_body.h"
#include "registry.h"

static enum db_rc lock(struct req *r, struct db_conn *c, struct admin_write *w);
static enum db_rc change(struct req *r, struct db_conn *c, struct admin_write *w,
                         const char *before, char **after, json_t **reply);
static enum db_rc entry_insert(struct req *r, struct db_conn *c, struct admin_write *w,
                               const char *before, char **after, json_t **reply);

static enum db_rc enterprise_read(struct db_conn *c, const char *code, char **json);
static enum db_rc institution_read(struct db_conn *c, const char *code, char **json);

static const char *const listed_statuses[] = {"normal", "suspended", NULL};
static const char *const lists[] = {"red", "black", NULL};

const struct registry enterprise_registry = {
    .lock = db_enterprise_lock,
    .get = db_enterprise_get,
    .put = db_enterprise_put,
    .list = db_enterprise_list,
    .bank_owner = "enterprise",
    .write = {.kind = "enterprise",
              .lock = lock,
              .read = enterprise_read,
              .change = change,
              .action = "enterprise.update",
              .action_new = "enterprise.create",
              .status = 200,
              .status_new = 201},
};
/* A register with status and list entries: name is its audit kind and the prefix of its
 * actions, db its statements, read its one-member read, kinds its kinds (or NULL). */
#define LISTED_REGISTRY(name, db, read_one, kind_values, bank, read_written)                       \
    {                                                                                              \
        .statuses = listed_statuses, .default_status = "normal", .kinds = kind_values,             \
        .listed = db, .bank_owner = bank,                                                          \
        .write = {.kind = name,                                                                    \
                  .lock = lock,                                                                    \
                  .read = read_written,                                                            \
                  .change = change,                                                                \
                  .action = name ".update",                                                        \
                  .action_new = name ".create",                                                    \
                  .status = 200,                                                                   \
                  .status_new = 201},                                                              \
        .entry_write = {                                                                           \
            .kind = name,                                                                          \
            .lock = lock,                                                                          \
            .read = read_one,                                                                      \
            .must_exist = true,                                                                    \
            .change = entry_insert,                                                                \
            .action = name ".list_entry",                                                          \
            .status = 201                                                                          \
        }                                                                                          \
    }
const struct registry institution_registry = LISTED_REGISTRY(
    "institution", &db_institutions, db_institution_get, NULL, "institution", institution_read);
const struct registry evaluation_body_registry =
    LISTED_REGISTRY("evaluation_body", &db_evaluation_bodies, db_evaluation_body_get,
                    sr_evaluation_body_kind_values, NULL, db_evaluation_body_get);

/* A member as its writes show it: read, with its bank account (masked) beside. */
static enum db_rc read_with_bank(struct db_conn *c, const char *kind, const char *code,
                                 enum db_rc (*read)(struct db_conn *, const char *, char **),
                                 char **json)
{
    enum db_rc rc = read(c, code, json);
    json_t *bank = NULL, *member = rc == DB_OK ? json_loads(*json, 0, NULL) : NULL;
    if (rc == DB_OK)
        rc = db_org_bank_account_shown(c, kind, code, &bank);
    if (rc == DB_OK && (!member || json_object_update(member, bank) != 0))
        rc = DB_HARD;
    if (rc == DB_OK) {
        free(*json);
        *json = json_dumps(member, JSON_COMPACT | JSON_PRESERVE_ORDER);
        rc = *json ? DB_OK : DB_HARD;
    }
    json_decref(bank);
    json_decref(member);
    return rc;
}

static enum db_rc enterprise_read(struct db_conn *c, const char *code, char **json)
{
    return read_with_bank(c, "enterprise", code, db_enterprise_get, json);
}

static enum db_rc institution_read(struct db_conn *c, const char *code, char **json)
{
    return read_with_bank(c, "institution", code, db_institution_get, json);
}

static struct jfield one_of_field(const char *name, const char *const *values, bool required,
                                  const char **out)
{
    return (struct jfield){.name = name,
                           .kind = JF_STRING,
                           .required = required,
                           .min = 1,
                           .max = 16,
                           .one_of = values,
                           .out = out};
}

void registry_get(struct req *r, const struct registry *g)
{
    struct db_conn *db = req_db_key(r, credit_code_ok(r->params[0]));
    if (!db)
        return;
    char *json = NULL;
    enum db_rc rc = g->listed ? db_listed_get(db, g->listed, r->params[0], &json)
                              : g->get(db, r->params[0], &json);
    reply_found(r, rc, json, NULL, NULL);
}

struct query {
    const struct registry *g;
    const char *region, *status, *after;
    long long limit;
};

static enum db_rc fetch(struct db_conn *db, void *cls, struct db_page *page)
{
    const struct query *q = cls;
    if (q->g->listed)
        return db_listed_list(db, q->g->listed, q->region, q->status, q->after, (int)q->limit,
                              page);
    return q->g->list(db, q->region, q->after, (int)q->limit, page);
}

void registry_list(struct req *r, const struct registry *g)
{
    struct query q = {.g = g, .limit = 50};
    struct jfield spec[4];
    size_t n = 0;
    spec[n++] = jfield_region("region", &q.region, false);
    if (g->statuses)
        spec[n++] = one_of_field("status", g->statuses, false, &q.status);
    spec[n++] =
        (struct jfield){.name = "after", .kind = JF_STRING, .min = 1, .max = 18, .out = &q.after};
    spec[n++] = jfield_limit(&q.limit);
    reply_query_page(r, spec, n, fetch, &q);
}

struct put {
    const struct registry *g;
    struct db_listed_member m;
    struct db_list_entry_new entry;
    struct payee_account_sealed *bank; /* the bank account given, sealed, or NULL */
};

static enum db_rc lock(struct req *r, struct db_conn *c, struct admin_write *w)
{
    const struct put *p = w->cls;
    return p->g->listed ? db_listed_lock(c, p->g->listed, w->id) : p->g->lock(c, w->id);
}

static enum db_rc change(struct req *r, struct db_conn *c, struct admin_write *w,
                         const char *before, char **after, json_t **reply)
{
    const struct put *p = w->cls;
    enum db_rc rc = p->g->listed ? db_listed_put(c, p->g->listed, &p->m)
                                 : p->g->put(c, w->id, p->m.name, p->m.region);
    if (rc == DB_OK && p->bank)
        rc = db_org_bank_account_put(c, p->g->bank_owner, w->id, &p->bank->w);
    return rc;
}

void registry_put(struct req *r, const struct registry *g)
{
    struct put p = {.g = g, .m = {.credit_code = r->params[0], .status = g->default_status}};
    if (!credit_code_ok(r->params[0])) {
        reply_problem(r, SD_E_NOT_FOUND, NULL);
        return;
    }
    struct jfield spec[5] = {
        {.name = "name",
         .kind = JF_STRING,
         .required = true,
         .min = 1,
         .max = 100,
         .out = &p.m.name},
        jfield_region("region", &p.m.region, true),
    };
    size_t n = 2;
    if (g->statuses)
        spec[n++] = one_of_field("status", g->statuses, false, &p.m.status);
    if (g->kinds)
        spec[n++] = one_of_field("kind", g->kinds, true, &p.m.kind);
    const json_t *bank = NULL;
    if (g->bank_owner)
        spec[n++] = (struct jfield){.name = "bank_account", .kind = JF_OBJECT, .out = &bank};
    jspec_body(r, r->json, spec, n);
    struct payee_account_in in;
    struct payee_account_sealed sealed;
    if (bank) {
        payee_body_parse(&r->errors, "bank_account", bank, PAYEE_ORG, &in, NULL);
        if (in.account_number &&
            !payee_account_seal(&pii_keys, &in, NULL, r->who.token_id, &sealed)) {
            reply_db(r, DB_HARD);
            return;
        }
        p.bank = in.account_number ? &sealed : NULL;
    }
    struct db_conn *db = req_db(r);
    if (!db)
        return;
    if (p.m.region) {
        enum db_rc rc = check_region_exists(r, db, "region", p.m.region);
        if (rc != DB_OK) {
            reply_db(r, rc);
            return;
        }
    }
    admin_idempotent(r, &g->write, r->params[0], &p, NULL);
}

/* The entry, which is also the reply (the audit row keeps the member before and after). */
static enum db_rc entry_insert(struct req *r, struct db_conn *c, struct admin_write *w,
                               const char *before, char **after, json_t **reply)
{
    const struct put *p = w->cls;
    char *entry = NULL;
    enum db_rc rc = db_listed_entry_add(c, p->g->listed, &p->entry, &entry);
    if (rc == DB_OK)
        *reply = json_loads(entry, 0, NULL);
    free(entry);
    return rc == DB_OK && !*reply ? DB_HARD : rc;
}

void registry_list_entry(struct req *r, const struct registry *g)
{
    struct put p = {.g = g, .entry = {.credit_code = r->params[0], .created_by = r->who.token_id}};
    if (!credit_code_ok(r->params[0])) {
        reply_problem(r, SD_E_NOT_FOUND, NULL);
        return;
    }
    struct db_list_entry_new *n = &p.entry;
    const struct jfield spec[] = {
        {.name = "list",
         .kind = JF_STRING,
         .required = true,
         .min = 1,
         .max = 8,
         .one_of = lists,
         .out = &n->list},
        {.name = "reason",
         .kind = JF_STRING,
         .required = true,
         .min = 1,
         .max = 500,
         .out = &n->reason},
        jfield_date("valid_from", &n->valid_from, true),
        jfield_date("valid_to", &n->valid_to, false),
    };
    jspec_body(r, r->json, spec, sizeof spec / sizeof spec[0]);
    check_period(r, n->valid_from, n->valid_to);
    admin_idempotent(r, &g->entry_write, n->credit_code, &p, NULL);
}
