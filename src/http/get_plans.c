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
        {.name = "policy",
         .kind = JF_STRING,
         .required = true,
         .min = 1,
         .max = 63,
         .format = &policy_id_format,
         .out = &policy},
        {.name = "year", .kind = JF_INT, .min = 2000, .max = 2100, .out = &year},
        {.name = "dimension",
         .kind = JF_STRING,
         .min = 1,
         .max = 16,
         .one_of = dimensions,
         .out = &dimension},
    };
    if (!jspec_query(r, spec, sizeof spec / sizeof spec[0])) {
        reply_field_errors(r, SD_E_BAD_QUERY);
        return;
    }
    struct db_conn *db = db_thread_conn();
    PGresult *res = NULL;
    enum db_rc rc = db ? db_plan_list(db, policy, (int)year, dimension, &res) : DB_UNAVAILABLE;
    if (rc != DB_OK) {
        reply_db(r, rc);
        return;
    }
    json_t *items = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
    PQclear(res);
    reply_json(r, 200, json_pack("{s:o}", "items", items ? items : json_array()));
}
