/* GET /v1/classes: an institution's own classes, an approver's regions' classes, newest first,
 * filtered by state, policy and year (of the start date); keyset pages (after = the last id of
 * the previous page). */
#include <stdio.h>
#include <string.h>

#include "classes.h"

void get_classes(struct req *r)
{
    struct db_class_filter f = {0};
    long long year = 0, after = 0, limit = 50;
    const struct jfield spec[] = {
        jfield_state(&f.state, sr_class_state_values),
        jfield_policy(&f.policy, false),
        jfield_year(&year),
        jfield_after_id(&after),
        jfield_limit(&limit),
    };
    if (!jspec_query(r, spec, sizeof spec / sizeof spec[0])) {
        reply_field_errors(r, SD_E_BAD_QUERY);
        return;
    }
    char regions[SD_MAX_REGIONS * (SD_REGION_LEN + 1) + 1];
    if (r->who.role == SD_ROLE_APPROVER) {
        principal_regions_csv(&r->who, regions, sizeof regions);
        f.regions_csv = regions;
    } else {
        f.institution = r->who.subject[0] ? r->who.subject : "!"; /* "!": no class */
    }
    f.year = (int)year;
    f.after = after;
    f.limit = (int)limit;
    struct db_conn *db = req_db(r);
    if (!db)
        return;
    struct db_page page = {0};
    reply_list_rc(r, db_class_list(db, &f, &page), &page);
}
