/* Printable pages (html.h). */
#include "html.h"

void html_escaped(FILE *f, const char *s)
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

const char *html_text(const json_t *v, char *buf, size_t len)
{
    if (json_is_integer(v)) {
        snprintf(buf, len, "%lld", (long long)json_integer_value(v));
        return buf;
    }
    if (json_is_boolean(v))
        return json_is_true(v) ? "是" : "否";
    const char *text = json_string_value(v);
    return text ? text : "—";
}

void html_row(FILE *f, const char *label, const json_t *v)
{
    char num[32];
    fputs("<tr><th>", f);
    html_escaped(f, label);
    fputs("</th><td>", f);
    html_escaped(f, html_text(v, num, sizeof num));
    fputs("</td></tr>\n", f);
}

FILE *html_page(char **buf, size_t *len, const char *title, const char *heading)
{
    *buf = NULL;
    FILE *f = open_memstream(buf, len);
    if (!f)
        return NULL;
    fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>", f);
    html_escaped(f, title);
    fputs("</title><style>body{font-family:serif;margin:2em}"
          "table{border-collapse:collapse;margin-bottom:1em}th,td{border:1px solid #000;"
          "padding:.3em .8em;text-align:left}@media print{body{margin:0}}</style></head><body>\n"
          "<h1>",
          f);
    html_escaped(f, heading);
    fputs("</h1>\n", f);
    return f;
}
