/* Occupation codes at the edge: one field format for every place an occupation enters (a claim,
 * a catalog row, a history entry, the reference list) and its rewriting into the one stored
 * spelling of sr_occupation_canonical (sr_ids.h). */
#ifndef SD_OCCUPATION_H
#define SD_OCCUPATION_H

#include <jansson.h>

#include "jspec.h"

/* N-NN-NN-NN of the 国家职业分类大典, leading zeros optional after the first group. */
extern const struct jformat occupation_format;

/* Replace obj's string member `field` by its canonical spelling when it is a valid code;
 * anything else is left for the field check to name. */
void occupation_canonical_member(json_t *obj, const char *field);

/* Check the rows of an import, [{code, name}], into e (fields prefix[i].code, prefix[i].name):
 * valid codes rewritten canonical, each code once.  True when this added no problem. */
bool occupation_rows_check(struct jerrors *e, const char *prefix, json_t *rows);

/* The member `field` of every row, canonical, joined by "," ("" for a row without a valid
 * code), for one look-up in the list; caller frees. */
char *occupation_codes_csv(const json_t *rows, const char *field);

/* Name prefix[index].field (or field alone when prefix is NULL) as not in the reference list. */
void occupation_unknown_add(struct jerrors *e, const char *prefix, size_t index, const char *field);

#endif
