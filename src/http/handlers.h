#ifndef SD_HANDLERS_H
#define SD_HANDLERS_H

/* One handler per endpoint, each in the file named after its method and path. */

#include "http.h"

void get_health(struct req *r);
void get_ready(struct req *r);
void get_version(struct req *r);
void get_metrics(struct req *r);
void get_me(struct req *r);
void post_tokens(struct req *r);
void get_tokens(struct req *r);
void delete_tokens_ID(struct req *r);
void post_precheck(struct req *r);

/* Shared by handlers: a positive 64-bit id from a path parameter, or false. */
bool param_id(const char *text, long long *id);

/* An array of strings from a comma-separated list ("" gives []). */
json_t *csv_to_json(const char *csv);

#endif
