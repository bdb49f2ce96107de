/* GET /v1/public/projects?policy=&region=&institution=&after=&limit=, without a token,
 * rate-limited: the published project list (项目制培训, published as Zhoushan 二(九) and Ningbo
 * 五(二), 五(三) ask) — each project's code, name, policy, region, class hours, standard per
 * trainee in fen and the institutions admitted to run it (organisations only, no personal
 * data).  region matches the project's region or its city.  Keyset pages by code; JSON, or CSV
 * (UTF-8 with a byte-order mark, the institutions separated by spaces) when Accept names
 * text/csv. */
#include "handlers.h"
#include "project_db.h"

static const char *const columns[] = {"code",        "name",         "policy",       "region",
                                      "class_hours", "standard_fen", "institutions", NULL};

struct query {
    struct db_project_filter f;
    long long limit;
};

static enum db_rc fetch(struct db_conn *db, void *cls, struct db_page *page)
{
    struct query *q = cls;
    q->f.limit = (int)q->limit;
    return db_projects_published(db, &q->f, page);
}

void get_public_projects(struct req *r)
{
    struct query q = {.limit = 50};
    const struct jfield spec[] = {
        jfield_policy(&q.f.policy, false),
        jfield_region("region", &q.f.region, false),
        {.name = "institution", .kind = JF_STRING, .min = 18, .max = 18, .out = &q.f.institution},
        {.name = "after", .kind = JF_STRING, .min = 1, .max = 40, .out = &q.f.after},
        jfield_limit(&q.limit),
    };
    reply_query_page_csv(r, spec, sizeof spec / sizeof spec[0], fetch, &q, columns);
}
