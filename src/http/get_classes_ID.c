/* GET /v1/classes/{id}: one class with its timeline, for its institution or an approver of its
 * region (anyone else: 404). */
#include "classes.h"

void get_classes_ID(struct req *r)
{
    struct db_conn *db = req_db(r);
    long long id;
    struct db_class_view v;
    if (!db || !class_read_visible(r, db, &id, db_class_get, &v))
        return;
    reply_found(r, DB_OK, v.json, NULL, NULL);
}
