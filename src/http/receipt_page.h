#ifndef SD_HTTP_RECEIPT_PAGE_H
#define SD_HTTP_RECEIPT_PAGE_H

/* What the printable pages of replies share (receipt_page.c): the choice between JSON and the
 * page (Accept: text/html), and the acceptance receipt's (受理回执) page — a heading and one
 * table of labelled members — for class filings and result uploads alike.  The pages
 * themselves: html.h. */

#include "handlers.h"
#include "html.h"

/* Does the request ask for the printable page (Accept names text/html)? */
bool req_wants_html(struct req *r);

/* Reply body (taken) with status as JSON, or as the page render makes of it (malloc'd, *len
 * bytes; NULL: 500) when the request asks for the page. */
void reply_json_or_page(struct req *r, unsigned status, json_t *body,
                        char *(*render)(const json_t *body, size_t *len));

/* One line of a receipt: its label and the member it shows ("a.b": member b of object a). */
struct receipt_line {
    const char *label, *key;
};
/* The receipt page of receipt: title as title and heading, then a table of its number, class
 * and institution (receipt_no, class_id, institution_name, institution) and the lines; a
 * next_step member shows as the step's words.  malloc'd (*len bytes), NULL when out of
 * memory. */
char *receipt_page(const json_t *receipt, const char *title, const struct receipt_line *lines,
                   size_t n, size_t *len);

#endif
