/* A class read by id for whoever may see it (classes.h): its institution, or an approver of
 * its region; anyone else, and a malformed id, gets 404. */
#include <string.h>

#include "classes.h"

bool class_read_visible(struct req *r, struct db_conn *db, long long *id,
                        enum db_rc (*get)(struct db_conn *c, long long id, struct db_class_view *v),
                        struct db_class_view *v)
{
    memset(v, 0, sizeof *v);
    if (!req_path_id(r, id))
        return false;
    enum db_rc rc = get(db, *id, v);
    if (rc == DB_OK && !class_visible(&r->who, v->institution, v->region, v->region_parent))
        rc = DB_NOT_FOUND;
    if (rc == DB_OK)
        return true;
    db_class_view_free(v);
    if (rc == DB_NOT_FOUND)
        reply_problem(r, SD_E_NOT_FOUND, NULL);
    else
        reply_db(r, rc);
    return false;
}
