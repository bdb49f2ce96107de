/* GET /v1/plans?policy=&year=&dimension=: a policy's plan targets (the annex tables: planned
 * person-times by district and by department, per year).  A policy has a few hundred rows at
 * most, so they come in one reply. */

#include "handlers.h"
#include "ops.h"

static const char *const dimensions[] = {"district", "department", NULL};

void get_plans(struct req *r)
{
    const char *policy = NULL, *dimension = NULL;
    long long year = 0;
    const struct jfield spec[] = {
        jfield_policy(&policy, true),
        jfield_year(&year),
        {.name = "dimension",
         .kind = JF_STRING,
         .min = 1,
         .max = 16,
         .one_of = dimensions,
         .out = &dimension},
    };
    if (!req_query(r, spec, sizeof spec / sizeof spec[0]))
        return;
    struct db_conn *db = req_db(r);
    if (!db)
        return;
    json_t *items = NULL;
    enum db_rc rc = db_plan_list(db, policy, (int)year, dimension, &items);
    reply_items(r, rc, items);
}
