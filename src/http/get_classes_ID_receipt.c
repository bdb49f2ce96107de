/* GET /v1/classes/{id}/receipt: the acceptance receipt (受理回执) of a filing — its number, what
 * was received (the filing, the roster's entries, its changes), the next step and its deadline
 * (承诺时限) — as JSON, or with Accept: text/html as a printable page (no external resources,
 * every text escaped).  For the class's institution or an approver of its region. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classes.h"

/* Append s to the buffer, HTML-escaped. */
static void put_escaped(FILE *f, const char *s)
{
    for (; s && *s; s++)
        switch (*s) {
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '&':
            fputs("&amp;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&#39;", f);
            break;
        default:
            fputc(*s, f);
        }
}

static void row(FILE *f, const char *label, const json_t *v)
{
    char num[32];
    const char *text = json_string_value(v);
    if (json_is_integer(v)) {
        snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
        text = num;
    }
    fputs("<tr><th>", f);
    put_escaped(f, label);
    fputs("</th><td>", f);
    put_escaped(f, text ? text : "—");
    fputs("</td></tr>\n", f);
}

static char *receipt_html(const json_t *k, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    if (!f)
        return NULL;
    const json_t *got = json_object_get(k, "received");
    fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
          "<title>开班备案受理回执</title><style>body{font-family:serif;margin:2em}"
          "table{border-collapse:collapse}th,td{border:1px solid #000;padding:.3em .8em;"
          "text-align:left}@media print{body{margin:0}}</style></head><body>\n"
          "<h1>开班备案受理回执</h1>\n<table>\n",
          f);
    row(f, "回执编号 Receipt no.", json_object_get(k, "receipt_no"));
    row(f, "班级编号 Class", json_object_get(k, "class_id"));
    row(f, "培训机构 Institution", json_object_get(k, "institution_name"));
    row(f, "统一社会信用代码 Credit code", json_object_get(k, "institution"));
    row(f, "地区 Region", json_object_get(k, "region_name"));
    row(f, "职业 Occupation", json_object_get(k, "occupation"));
    row(f, "等级 Level", json_object_get(k, "level"));
    row(f, "项目 Project", json_object_get(k, "project_name"));
    row(f, "开班日期 Start", json_object_get(k, "start_date"));
    row(f, "受理时间 Received at", json_object_get(k, "received_at"));
    row(f, "收到开班备案 Filings received", json_object_get(got, "class_filing"));
    row(f, "花名册人数 Trainees on the roster", json_object_get(got, "roster_entries"));
    row(f, "花名册变更 Roster changes", json_object_get(got, "roster_changes"));
    row(f, "当前状态 State", json_object_get(k, "state"));
    const char *next = json_string_value(json_object_get(k, "next_step"));
    json_t *next_text =
        json_string(next && strcmp(next, "accept") == 0 ? "审核人员受理 / acceptance by an approver"
                                                        : (next ? next : "—"));
    row(f, "下一步 Next step", next_text);
    json_decref(next_text);
    row(f, "办理时限 Deadline", json_object_get(k, "deadline"));
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
