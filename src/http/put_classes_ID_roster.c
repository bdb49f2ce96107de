/* PUT /v1/classes/{id}/roster: the class's institution replaces its roster, as JSON
 * ({"roster": [...]}) or as the CSV sheet (text/csv), until the start date
 * (sr_class_roster_editable).  Every bad row named at once, duplicates inside the upload and
 * against other live classes listed, nothing written when anything is wrong; each change on
 * the class's timeline and audited.  ?preview=true answers the same without writing. */
#include "classes.h"

struct put {
    struct flow_caller caller;
    long long id;
    struct class_roster_in roster;
};

static enum db_rc work(struct req *r, struct db_conn *c, void *cls, unsigned *status,
                       json_t **reply)
{
    struct put *x = cls;
    struct flow_result res = {0};
    enum db_rc rc = flow_class_roster_put(&x->caller, c, x->id, &x->roster, &res);
    return reply_flow(r, rc, &res, status, reply);
}

void put_classes_ID_roster(struct req *r)
{
    struct put x = {.caller = req_caller(r)};
    if (!param_id(r->params[0], &x.id)) {
        reply_problem(r, SD_E_NOT_FOUND, NULL);
        return;
    }
    bool preview = false;
    if (!class_preview_query(r, &preview))
        return;
    struct class_roster list = {0};
    if (r->csv) {
        class_roster_from_csv(r, r->body, x.caller.today, &list);
    } else {
        const json_t *rows = NULL;
        const struct jfield spec[] = {{.name = "roster",
                                       .kind = JF_OBJECT_LIST,
                                       .required = true,
                                       .min = 0,
                                       .max = 1000,
                                       .out = &rows}};
        jspec_body(r, r->json, spec, 1);
        class_roster_from_json(r, rows, x.caller.today, &list);
    }
    x.roster = list.in;
    if (!class_reply_field_errors(r, SD_E_ROSTER_INVALID) && req_db(r))
        (preview ? dry_run : idempotent)(r, work, &x);
    class_roster_free(&list);
}
