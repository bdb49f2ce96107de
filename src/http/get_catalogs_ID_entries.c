/* GET /v1/catalogs/{id}/entries?after=OCCUPATION/LEVEL&limit=: a version's entries in
 * (occupation, level) order, keyset pages. */
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "ops.h"

static bool cursor_ok(const char *s)
{
    const char *slash = strchr(s, '/');
    return slash && slash != s && slash[1] && !strchr(slash + 1, '/');
}
static const struct jformat cursor_format = {
    .ok = cursor_ok,
    .zh = "上一页返回的 next_after（职业/等级）",
    .en = "the next_after of the previous page (occupation/level)"};

void get_catalogs_ID_entries(struct req *r)
{
    long long id, limit = 50;
    if (!req_path_id(r, &id))
        return;
    const char *after = NULL;
    const struct jfield spec[] = {
        {.name = "after",
         .kind = JF_STRING,
         .min = 3,
         .max = 64,
         .format = &cursor_format,
         .out = &after},
        jfield_limit(&limit),
    };
    if (!req_query(r, spec, sizeof spec / sizeof spec[0]))
        return;
    char occupation[65] = "", level[65] = "";
    if (after) {
        size_t n = (size_t)(strchr(after, '/') - after);
        memcpy(occupation, after, n);
        occupation[n] = '\0';
        snprintf(level, sizeof level, "%s", after + n + 1);
    }
    struct db_conn *db = req_db(r);
    if (!db)
        return;
    char *meta = NULL;
    struct db_page page = {0};
    enum db_rc rc = db_catalog_get(db, id, &meta);
    if (rc == DB_OK)
        rc = db_catalog_entries(db, id, occupation, level, (int)limit, &page);
    free(meta);
    if (!reply_failed(r, rc))
        reply_list(r, &page);
}
