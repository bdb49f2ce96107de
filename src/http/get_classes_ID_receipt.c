/* GET /v1/classes/{id}/receipt: the acceptance receipt (受理回执) of a filing — its number, what
 * was received (the filing, the roster's entries, its changes), the next step and its deadline
 * (承诺时限) — as JSON, or with Accept: text/html as a printable page (receipt_page.h).  For the
 * class's institution or an approver of its region. */
#include "classes.h"
#include "receipt_page.h"

static char *receipt_html(const json_t *k, size_t *len)
{
    static const struct receipt_line lines[] = {
        {"地区 Region", "region_name"},
        {"职业 Occupation", "occupation"},
        {"等级 Level", "level"},
        {"项目 Project", "project_name"},
        {"开班日期 Start", "start_date"},
        {"受理时间 Received at", "received_at"},
        {"收到开班备案 Filings received", "received.class_filing"},
        {"花名册人数 Trainees on the roster", "received.roster_entries"},
        {"花名册变更 Roster changes", "received.roster_changes"},
        {"当前状态 State", "state"},
        {"下一步 Next step", "next_step"},
        {"办理时限 Deadline", "deadline"},
    };
    return receipt_page(k, "开班备案受理回执", lines, sizeof lines / sizeof lines[0], len);
}

void get_classes_ID_receipt(struct req *r)
{
    struct db_conn *db = req_db(r);
    long long id;
    struct db_class_view v;
    if (!db || !class_read_visible(r, db, &id, db_class_receipt, &v))
        return;
    json_t *k = json_loads(v.json, 0, NULL);
    db_class_view_free(&v);
    if (k)
        reply_json_or_page(r, 200, k, receipt_html);
    else
        reply_problem(r, SD_E_INTERNAL, NULL);
}
