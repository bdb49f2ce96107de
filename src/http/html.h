#ifndef SD_HTML_H
#define SD_HTML_H

/* Printable pages (the acceptance receipt, the trainee's record): self-contained HTML written to
 * a stream, every text escaped. */

#include <jansson.h>
#include <stdio.h>

/* Write s (NULL: nothing) HTML-escaped. */
void html_escaped(FILE *f, const char *s);
/* The text of a JSON value as a page shows it: a string, an integer, true/false as 是/否, "—"
 * for null or missing; buf holds numbers (at least 32 bytes). */
const char *html_text(const json_t *v, char *buf, size_t len);
/* <tr><th>label</th><td>value</td></tr> */
void html_row(FILE *f, const char *label, const json_t *v);
/* A page written to memory (*buf, *len; the caller frees *buf after fclose): its head (title
 * escaped, a print style), <body> and the heading <h1>; NULL when out of memory. */
FILE *html_page(char **buf, size_t *len, const char *title, const char *heading);

#endif
