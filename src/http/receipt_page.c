/* The printable pages of replies (receipt_page.h). */
#include "receipt_page.h"

#include <stdlib.h>
#include <string.h>

bool req_wants_html(struct req *r)
{
    const char *a = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
    return a && strstr(a, "text/html");
}

void reply_json_or_page(struct req *r, unsigned status, json_t *body,
                        char *(*render)(const json_t *body, size_t *len))
{
    if (!req_wants_html(r)) {
        reply_json(r, status, body);
        return;
    }
    size_t len = 0;
    char *html = body ? render(body, &len) : NULL;
    json_decref(body);
    if (html)
        reply_text(r, status, "text/html; charset=utf-8", html, len);
    else
        reply_problem(r, SD_E_INTERNAL, NULL);
}

/* The words of a next step. */
static const char *step_words(const char *step)
{
    static const char *const words[][2] = {
        {"accept", "审核人员受理 / acceptance by an approver"},
        {"close", "审核人员结班 / closing by an approver"},
    };
    for (size_t i = 0; step && i < sizeof words / sizeof words[0]; i++)
        if (strcmp(step, words[i][0]) == 0)
            return words[i][1];
    return step ? step : "—";
}

static const json_t *member(const json_t *o, const char *key)
{
    const char *dot = strchr(key, '.');
    if (!dot)
        return json_object_get(o, key);
    char outer[64];
    snprintf(outer, sizeof outer, "%.*s", (int)(dot - key), key);
    return json_object_get(json_object_get(o, outer), dot + 1);
}

char *receipt_page(const json_t *receipt, const char *title, const struct receipt_line *lines,
                   size_t n, size_t *len)
{
    char *buf;
    FILE *f = html_page(&buf, len, title, title);
    if (!f)
        return NULL;
    static const struct receipt_line head[] = {
        {"回执编号 Receipt no.", "receipt_no"},
        {"班级编号 Class", "class_id"},
        {"培训机构 Institution", "institution_name"},
        {"统一社会信用代码 Credit code", "institution"},
    };
    fputs("<table>\n", f);
    for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
        html_row(f, head[i].label, json_object_get(receipt, head[i].key));
    for (size_t i = 0; i < n; i++) {
        if (strcmp(lines[i].key, "next_step") != 0) {
            html_row(f, lines[i].label, member(receipt, lines[i].key));
            continue;
        }
        json_t *words =
            json_string(step_words(json_string_value(json_object_get(receipt, "next_step"))));
        html_row(f, lines[i].label, words);
        json_decref(words);
    }
    fputs("</table>\n</body></html>\n", f);
    fclose(f);
    return buf;
}
