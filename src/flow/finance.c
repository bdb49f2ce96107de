/* The finance role's reads, within its regions (finance.h). */
#include "finance.h"

#include <stdio.h>
#include <string.h>

static enum db_rc in_scope(struct db_conn *db, const struct sd_principal *who, const char *region,
                           bool *yours)
{
    char regions[SD_MAX_REGIONS * (SD_REGION_LEN + 1) + 1] = "";
    for (int i = 0; i < who->nregions; i++) {
        size_t used = strlen(regions);
        snprintf(regions + used, sizeof regions - used, "%s%s", i ? "," : "", who->regions[i]);
    }
    *yours = false;
    if (who->role != SD_ROLE_FINANCE || !who->nregions)
        return DB_OK;
    return db_region_in_scope(db, region, regions, yours);
}

enum db_rc finance_readiness(struct db_conn *db, const struct sd_principal *who,
                             const struct db_readiness_filter *f, struct db_page *page, bool *yours)
{
    enum db_rc rc = in_scope(db, who, f->region, yours);
    if (rc != DB_OK || !*yours)
        return rc;
    return db_finance_readiness(db, f, page);
}

enum db_rc finance_funding_lines(struct db_conn *db, const struct sd_principal *who,
                                 const char *region, int year, char **json, bool *yours)
{
    enum db_rc rc = in_scope(db, who, region, yours);
    if (rc != DB_OK || !*yours)
        return rc;
    return db_funding_lines(db, region, year, json);
}
