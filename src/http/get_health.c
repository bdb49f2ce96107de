/* GET /v1/health: the process answers; touches neither the database nor auth. */
#include "handlers.h"

void get_health(struct req *r)
{
    reply_json(r, 200, json_pack("{s:s}", "status", "ok"));
}
