/* The trainee's record (培训档案, src/flow/trainee_record.h) as a reply: JSON, or with Accept:
 * text/html a printable page (no external resources, every text escaped).  GET /v1/profile/record
 * and GET /v1/persons/{id}/record share it. */
#include "record.h"

#include <stdlib.h>
#include <string.h>

#include "claims.h"
#include "receipt_page.h"

struct read {
    struct flow_caller caller;
    long long ref;
    struct flow_result res;
};

static enum db_rc work(struct db_conn *c, void *cls)
{
    struct read *x = cls;
    flow_result_free(&x->res); /* a retry starts again */
    x->res = (struct flow_result){0};
    return flow_person_record(&x->caller, c, x->ref, &x->res);
}

/* One table: a header row of labels, then a row per item of the keys' values. */
static void table(FILE *f, const char *title, const json_t *items, const char *const *labels,
                  const char *const *keys, size_t n)
{
    fputs("<h2>", f);
    html_escaped(f, title);
    fputs("</h2>\n<table>\n<tr>", f);
    for (size_t k = 0; k < n; k++) {
        fputs("<th>", f);
        html_escaped(f, labels[k]);
        fputs("</th>", f);
    }
    fputs("</tr>\n", f);
    size_t i;
    const json_t *item;
    json_array_foreach(items, i, item)
    {
        fputs("<tr>", f);
        for (size_t k = 0; k < n; k++) {
            char buf[32];
            const json_t *v = json_object_get(item, keys[k]);
            fputs("<td>", f);
            if (strcmp(keys[k], "amount_fen") == 0 && json_is_integer(v)) {
                sr_money_format(json_integer_value(v), buf);
                html_escaped(f, buf);
            } else {
                html_escaped(f, html_text(v, buf, sizeof buf));
            }
            fputs("</td>", f);
        }
        fputs("</tr>\n", f);
    }
    if (json_array_size(items) == 0) {
        fprintf(f, "<tr><td colspan=\"%zu\">", n);
        html_escaped(f, "无 None");
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
}

static char *record_html(const json_t *rec, size_t *len)
{
    char *buf;
    FILE *f = html_page(&buf, len, "职业技能培训档案", "职业技能培训档案 Training record");
    if (!f)
        return NULL;
    const json_t *p = json_object_get(rec, "person");
    fputs("<table>\n", f);
    html_row(f, "姓名 Name", json_object_get(p, "name"));
    html_row(f, "社会保障号码 Social security no.", json_object_get(p, "id_number_masked"));
    html_row(f, "生成时间 Generated at", json_object_get(rec, "generated_at"));
    fputs("</table>\n", f);
    static const char *const class_labels[] = {
        "班级 Class", "培训机构 Institution", "职业或项目 Occupation / project",
        "等级 Level", "开班 Start",           "结业 End",
        "课时 Hours", "出勤课时 Attended",    "结业合格 Passed",
        "状态 State"};
    static const char *const class_keys[] = {
        "class_id", "institution_name", "occupation",       "level",  "start_date",
        "end_date", "class_hours",      "attendance_hours", "passed", "state"};
    /* a project class shows the project's name where an occupation would stand */
    json_t *classes = json_deep_copy(json_object_get(rec, "classes"));
    size_t i;
    json_t *k;
    json_array_foreach(classes, i, k)
    {
        const json_t *project = json_object_get(k, "project");
        if (json_is_object(project))
            json_object_set(k, "occupation", json_object_get(project, "name"));
    }
    table(f, "培训记录 Classes", classes, class_labels, class_keys, 10);
    json_decref(classes);
    static const char *const cert_labels[] = {
        "证书类别 Kind",   "证书编号 Number",    "职业 Occupation", "等级 Level",
        "发证日期 Issued", "评价机构 Issued by", "状态 Status"};
    static const char *const cert_keys[] = {
        "kind", "number", "occupation", "level", "issue_date", "issuing_body_name", "status"};
    table(f, "证书 Certificates", json_object_get(rec, "certificates"), cert_labels, cert_keys, 7);
    static const char *const claim_labels[] = {
        "申领 Claim", "补贴类别 Kind", "职业 Occupation",        "等级 Level",
        "年度 Year",  "状态 State",    "金额（元）Amount (yuan)"};
    static const char *const claim_keys[] = {"id",   "kind",  "occupation", "level",
                                             "year", "state", "amount_fen"};
    table(f, "补贴 Subsidies", json_object_get(rec, "claims"), claim_labels, claim_keys, 7);
    fputs("</body></html>\n", f);
    fclose(f);
    return buf;
}

void record_reply(struct req *r, long long person_ref)
{
    struct db_conn *db = req_db(r);
    if (!db)
        return;
    struct read x = {.caller = req_caller(r), .ref = person_ref};
    enum db_rc rc = db_txn(db, work, &x);
    if (x.res.outcome == FLOW_REFUSED) {
        reply_problem(r, x.res.code, NULL);
        flow_result_free(&x.res);
        return;
    }
    if (rc != DB_OK || x.res.outcome != FLOW_OK) {
        flow_result_free(&x.res);
        reply_db(r, rc == DB_OK ? DB_HARD : rc);
        return;
    }
    json_t *rec = x.res.body;
    x.res.body = NULL;
    flow_result_free(&x.res);
    reply_json_or_page(r, 200, rec, record_html);
}
