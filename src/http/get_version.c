/* GET /v1/version: what is running. */
#include "handlers.h"
#include "sd_migrations.h"
#include "version.h"

void get_version(struct req *r)
{
    reply_json(r, 200,
               json_pack("{s:s, s:s, s:i}", "version", SD_VERSION, "build", SD_BUILD,
                         "schema_version", (int)sd_migrations_count));
}
