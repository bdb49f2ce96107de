#ifndef SD_FLOW_FINANCE_H
#define SD_FLOW_FINANCE_H

/*
 * What the finance role (财务人员) reads to prepare disbursement: the payee readiness of a
 * region's claims and the funding lines with their budgets.  A finance officer reads the regions
 * of their token (a city's: its districts too); any other region is as if it did not exist.
 */

#include "flow.h"
#include "payee_db.h"

/* The readiness page of f->region for who; *yours false (nothing read) when the region is not
 * within who's regions. */
enum db_rc finance_readiness(struct db_conn *db, const struct sd_principal *who,
                             const struct db_readiness_filter *f, struct db_page *page,
                             bool *yours);

/* The funding lines of region (of year, 0 every one) for who, as a JSON array (*json, caller
 * frees); *yours as finance_readiness. */
enum db_rc finance_funding_lines(struct db_conn *db, const struct sd_principal *who,
                                 const char *region, int year, char **json, bool *yours);

#endif
