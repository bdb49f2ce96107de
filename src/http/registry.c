/* Enterprises and training institutions: one reading, listing and writing of both (registry.h). */
#include <stdio.h>
#include <stdlib.h>

#include "ops.h"
#include "registry.h"

static enum db_rc enterprise_put(struct db_conn *c, const char *code, const char *name,
                                 const char *region, const char *status)
{
    return db_enterprise_put(c, code, name, region);
}

static enum db_rc enterprise_list(struct db_conn *c, const char *region, const char *status,
                                  const char *after, int limit, struct db_page *out)
{
    return db_enterprise_list(c, region, after, limit, out);
}

static enum db_rc lock(struct req *r, struct db_conn *c, struct admin_write *w);
static enum db_rc change(struct req *r, struct db_conn *c, struct admin_write *w,
                         const char *before, char **after, json_t **reply);

static const char *const institution_statuses[] = {"normal", "suspended", NULL};

const struct registry enterprise_registry = {
    .lock = db_enterprise_lock,
    .get = db_enterprise_get,
    .put = enterprise_put,
    .list = enterprise_list,
    .write = {.kind = "enterprise",
              .lock = lock,
              .read = db_enterprise_get,
              .change = change,
              .action = "enterprise.update",
              .action_new = "enterprise.create",
              .status = 200,
              .status_new = 201},
};
const struct registry institution_registry = {
    .statuses = institution_statuses,
    .default_status = "normal",
    .lock = db_institution_lock,
    .get = db_institution_get,
    .put = db_institution_put,
    .list = db_institution_list,
    .write = {.kind = "institution",
              .lock = lock,
              .read = db_institution_get,
              .change = change,
              .action = "institution.update",
              .action_new = "institution.create",
              .status = 200,
              .status_new = 201},
};

static struct jfield status_field(const struct registry *g, const char **out)
{
    return (struct jfield){.name = "status",
                           .kind = JF_STRING,
                           .min = 1,
                           .max = 16,
                           .one_of = g->statuses,
                           .out = out};
}

void registry_get(struct req *r, const struct registry *g)
{
    struct db_conn *db = req_db_key(r, credit_code_ok(r->params[0]));
    if (!db)
        return;
    char *json = NULL;
    enum db_rc rc = g->get(db, r->params[0], &json);
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
    return q->g->list(db, q->region, q->status, q->after, (int)q->limit, page);
}

void registry_list(struct req *r, const struct registry *g)
{
    struct query q = {.g = g, .limit = 50};
    struct jfield spec[4];
    size_t n = 0;
    spec[n++] = jfield_region("region", &q.region, false);
    if (g->statuses)
        spec[n++] = status_field(g, &q.status);
    spec[n++] =
        (struct jfield){.name = "after", .kind = JF_STRING, .min = 1, .max = 18, .out = &q.after};
    spec[n++] = jfield_limit(&q.limit);
    reply_query_page(r, spec, n, fetch, &q);
}

struct put {
    const struct registry *g;
    const char *name, *region, *status;
};

static enum db_rc lock(struct req *r, struct db_conn *c, struct admin_write *w)
{
    const struct put *p = w->cls;
    return p->g->lock(c, w->id);
}

static enum db_rc change(struct req *r, struct db_conn *c, struct admin_write *w,
                         const char *before, char **after, json_t **reply)
{
    const struct put *p = w->cls;
    return p->g->put(c, w->id, p->name, p->region, p->status);
}

void registry_put(struct req *r, const struct registry *g)
{
    struct put p = {.g = g, .status = g->default_status};
    if (!credit_code_ok(r->params[0])) {
        reply_problem(r, SD_E_NOT_FOUND, NULL);
        return;
    }
    struct jfield spec[3] = {
        {.name = "name", .kind = JF_STRING, .required = true, .min = 1, .max = 100, .out = &p.name},
        jfield_region("region", &p.region, true),
        status_field(g, &p.status),
    };
    jspec_body(r, r->json, spec, g->statuses ? 3 : 2);
    struct db_conn *db = req_db(r);
    if (!db)
        return;
    if (p.region) {
        enum db_rc rc = check_region_exists(r, db, "region", p.region);
        if (rc != DB_OK) {
            reply_db(r, rc);
            return;
        }
    }
    admin_idempotent(r, &g->write, r->params[0], &p, NULL);
}
