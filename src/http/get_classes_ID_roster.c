/* GET /v1/classes/{id}/roster: the class's live roster, masked (ID number 330902********123X,
 * name 张*), for its institution or an approver of its region. */
#include "classes.h"

void get_classes_ID_roster(struct req *r)
{
    struct db_conn *db = req_db(r);
    long long id;
    struct db_class_view v;
    if (!db || !class_read_visible(r, db, &id, db_class_get, &v))
        return;
    db_class_view_free(&v);
    json_t *items = NULL;
    enum db_rc rc = db_class_roster(db, id, &items);
    reply_items(r, rc, items);
}
