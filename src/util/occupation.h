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

#endif
