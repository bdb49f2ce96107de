/* GET /v1/public/notices?region=&period=YYYY-MM&after=&limit=&format=, without a token,
 * rate-limited: the public notice (结果公示) of a region (a city's takes its districts) and period
 * — the claims in their notice period, and those whose objection is under review (state
 * objected: the public sees the list whole, and that one is being looked into) — with the
 * person's name and ID number masked, occupation, level, the training institution (when the
 * certificate came from a filed class), the amount in fen and the period's first and last day.
 * Never a claim in review, rejected, withdrawn or past its notice.  Keyset pages by claim id;
 * JSON, CSV (UTF-8 with a byte-order mark) with Accept: text/csv or format=csv, and a printable
 * page with Accept: text/html or format=html. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "handlers.h"
#include "html.h"
#include "notice_db.h"
#include "pii.h"
#include "receipt_page.h"

static const char *const columns[] = {
    "claim_id",   "state",           "region",      "name", "id_number_masked",
    "occupation", "occupation_name", "level",       "kind", "institution",
    "amount_fen", "notice_starts",   "notice_ends", NULL};
static const char *const formats[] = {"json", "csv", "html", NULL};

static bool period_ok(const char *s)
{
    return strlen(s) == 7 && strspn(s, "0123456789") == 4 && s[4] == '-' &&
           ((s[5] == '0' && s[6] >= '1' && s[6] <= '9') ||
            (s[5] == '1' && s[6] >= '0' && s[6] <= '2'));
}

static const struct jformat period_format = {
    .ok = period_ok, .zh = "YYYY-MM 格式的年月", .en = "a month as YYYY-MM"};

/* The person's name as the notice prints it. */
static void mask_names(json_t *items)
{
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        char masked[64];
        sd_pii_mask_name(json_string_value(json_object_get(it, "name")), masked, sizeof masked);
        json_object_set_new(it, "name", json_string(masked));
    }
}

static void cell(FILE *f, const json_t *v)
{
    char num[32];
    fputs("<td>", f);
    html_escaped(f, html_text(v, num, sizeof num));
    fputs("</td>", f);
}

/* The printable page: one table row per claim, amounts in yuan. */
static char *notice_html(const char *region, const char *period, const json_t *items,
                         const char *next, size_t *len)
{
    char *buf = NULL, heading[96];
    snprintf(heading, sizeof heading, "职业培训补贴公示 %s %s", region, period);
    FILE *f = html_page(&buf, len, heading, heading);
    if (!f)
        return NULL;
    fputs("<table><tr><th>申领编号</th><th>姓名</th><th>身份证号</th><th>职业</th><th>等级</th>"
          "<th>培训机构</th><th>补贴金额（元）</th><th>公示期</th><th>状态</th></tr>\n",
          f);
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        fputs("<tr>", f);
        cell(f, json_object_get(it, "claim_id"));
        cell(f, json_object_get(it, "name"));
        cell(f, json_object_get(it, "id_number_masked"));
        const json_t *occ = json_object_get(it, "occupation_name");
        cell(f, json_is_string(occ) ? occ : json_object_get(it, "occupation"));
        cell(f, json_object_get(it, "level"));
        cell(f, json_object_get(it, "institution"));
        json_int_t fen = json_integer_value(json_object_get(it, "amount_fen"));
        fprintf(f, "<td>%lld.%02lld</td><td>", (long long)(fen / 100), (long long)(fen % 100));
        html_escaped(f, json_string_value(json_object_get(it, "notice_starts")));
        fputs(" 至 ", f);
        html_escaped(f, json_string_value(json_object_get(it, "notice_ends")));
        fputs("</td>", f);
        const char *state = json_string_value(json_object_get(it, "state"));
        fputs(state && strcmp(state, "objected") == 0 ? "<td>有异议，核查中</td>"
                                                      : "<td>公示中</td>",
              f);
        fputs("</tr>\n", f);
    }
    fputs("</table>\n<p>公示期内如有异议，可登录后提出（POST "
          "/v1/claims/{申领编号}/objections）。</p>\n",
          f);
    if (next) {
        fputs("<p>下一页 Next page: after=", f);
        html_escaped(f, next);
        fputs("</p>\n", f);
    }
    fputs("</body></html>\n", f);
    fclose(f);
    return buf;
}

void get_public_notices(struct req *r)
{
    const char *region = NULL, *period = NULL, *format = NULL;
    long long after = 0, limit = 50;
    const struct jfield spec[] = {
        jfield_region("region", &region, true),
        {.name = "period",
         .kind = JF_STRING,
         .required = true,
         .min = 7,
         .max = 7,
         .format = &period_format,
         .out = &period},
        jfield_after_id(&after),
        jfield_limit(&limit),
        {.name = "format",
         .kind = JF_STRING,
         .min = 1,
         .max = 8,
         .one_of = formats,
         .out = &format},
    };
    if (!req_query(r, spec, sizeof spec / sizeof spec[0]))
        return;
    struct db_conn *db = req_db(r);
    if (!db)
        return;
    struct db_page page = {0};
    enum db_rc rc = db_notice_public(db, region, period, after, (int)limit, &page);
    if (rc != DB_OK) {
        reply_db(r, rc);
        return;
    }
    mask_names(page.items);
    bool csv = format ? strcmp(format, "csv") == 0 : req_wants_csv(r);
    bool html = format ? strcmp(format, "html") == 0 : !csv && req_wants_html(r);
    if (!csv && !html) {
        reply_list(r, &page);
        return;
    }
    char next[32], *text;
    const char *after_text = NULL;
    if (json_is_integer(page.next_after)) {
        snprintf(next, sizeof next, "%lld", (long long)json_integer_value(page.next_after));
        after_text = next;
    }
    size_t len = 0;
    if (csv) {
        text = csv_from_items(page.items, columns, &len);
        if (text)
            reply_csv(r, text, len, after_text);
    } else {
        text = notice_html(region, period, page.items, after_text, &len);
        if (text)
            reply_text(r, 200, "text/html; charset=utf-8", text, len);
    }
    if (!text)
        reply_problem(r, SD_E_INTERNAL, NULL);
    db_page_free(&page);
}
