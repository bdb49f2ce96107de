/* GET /v1/classes/{id}/receipt: the acceptance receipt (受理回执) of a filing — its number, what
 * was received (the filing, the roster's entries, its changes), the next step and its deadline
 * (承诺时限) — as JSON, or with Accept: text/html as a printable page (no external resources,
 * every text escaped).  For the class's institution or an approver of its region. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classes.h"
#include "html.h"

static char *receipt_html(const json_t *k, size_t *len)
{
    char *buf;
    FILE *f = html_page(&buf, len, "开班备案受理回执", "开班备案受理回执");
    if (!f)
        return NULL;
    const json_t *got = json_object_get(k, "received");
    fputs("<table>\n", f);
    html_row(f, "回执编号 Receipt no.", json_object_get(k, "receipt_no"));
    html_row(f, "班级编号 Class", json_object_get(k, "class_id"));
    html_row(f, "培训机构 Institution", json_object_get(k, "institution_name"));
    html_row(f, "统一社会信用代码 Credit code", json_object_get(k, "institution"));
    html_row(f, "地区 Region", json_object_get(k, "region_name"));
    html_row(f, "职业 Occupation", json_object_get(k, "occupation"));
    html_row(f, "等级 Level", json_object_get(k, "level"));
    html_row(f, "项目 Project", json_object_get(k, "project_name"));
    html_row(f, "开班日期 Start", json_object_get(k, "start_date"));
    html_row(f, "受理时间 Received at", json_object_get(k, "received_at"));
    html_row(f, "收到开班备案 Filings received", json_object_get(got, "class_filing"));
    html_row(f, "花名册人数 Trainees on the roster", json_object_get(got, "roster_entries"));
    html_row(f, "花名册变更 Roster changes", json_object_get(got, "roster_changes"));
    html_row(f, "当前状态 State", json_object_get(k, "state"));
    const char *next = json_string_value(json_object_get(k, "next_step"));
    json_t *next_text =
        json_string(next && strcmp(next, "accept") == 0 ? "审核人员受理 / acceptance by an approver"
                                                        : (next ? next : "—"));
    html_row(f, "下一步 Next step", next_text);
    json_decref(next_text);
    html_row(f, "办理时限 Deadline", json_object_get(k, "deadline"));
    fputs("</table>\n</body></html>\n", f);
    fclose(f);
    return buf;
}

void get_classes_ID_receipt(struct req *r)
{
    struct db_conn *db = req_db(r);
    long long id;
    struct db_class_view v;
    if (!db || !class_read_visible(r, db, &id, db_class_receipt, &v))
        return;
    const char *accept = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Accept");
    if (!accept || !strstr(accept, "text/html")) {
        reply_found(r, DB_OK, v.json, NULL, NULL);
        return;
    }
    json_t *k = json_loads(v.json, 0, NULL);
    size_t len = 0;
    char *html = k ? receipt_html(k, &len) : NULL;
    json_decref(k);
    db_class_view_free(&v);
    if (html)
        reply_text(r, 200, "text/html; charset=utf-8", html, len);
    else
        reply_problem(r, SD_E_INTERNAL, NULL);
}
