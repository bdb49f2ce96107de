/* The handler kit (kit.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "kit.h"
#include "ops.h"

struct db_conn *req_db(struct req *r)
{
    struct db_conn *db = db_thread_conn();
    if (!db)
        reply_problem(r, SD_E_DB_UNAVAILABLE, NULL);
    return db;
}

struct db_conn *req_db_key(struct req *r, bool key_ok)
{
    if (key_ok)
        return req_db(r);
    reply_problem(r, SD_E_NOT_FOUND, NULL);
    return NULL;
}

bool req_query(struct req *r, const struct jfield *spec, size_t n)
{
    if (jspec_query(r, spec, n))
        return true;
    reply_field_errors(r, SD_E_BAD_QUERY);
    return false;
}

void reply_found(struct req *r, enum db_rc rc, char *json_take, const char *zh, const char *en)
{
    if (rc == DB_NOT_FOUND)
        reply_problem(r, SD_E_NOT_FOUND, zh ? (r->lang_en ? en : zh) : NULL);
    else if (rc != DB_OK)
        reply_db(r, rc);
    else
        reply_json(r, 200, json_loads(json_take, 0, NULL));
    free(json_take);
}

void reply_list_rc(struct req *r, enum db_rc rc, struct db_page *page)
{
    if (rc == DB_OK)
        reply_list(r, page);
    else
        reply_db(r, rc);
}

void reply_items(struct req *r, enum db_rc rc, json_t *items)
{
    if (rc == DB_OK)
        reply_json(r, 200, json_pack("{s:o}", "items", items));
    else
        reply_db(r, rc);
}

struct jfield jfield_region(const char *name, const char **out, bool required)
{
    return (struct jfield){.name = name,
                           .kind = JF_STRING,
                           .required = required,
                           .min = 6,
                           .max = SD_REGION_LEN,
                           .format = &region_code_format,
                           .out = out};
}

struct jfield jfield_regions(const char *name, const json_t **out, long long min, bool *given)
{
    return (struct jfield){.name = name,
                           .kind = JF_STRING_LIST,
                           .min = min,
                           .max = SD_MAX_REGIONS,
                           .format = &region_code_format,
                           .out = out,
                           .given = given};
}

struct jfield jfield_limit(long long *out)
{
    return (struct jfield){
        .name = "limit", .kind = JF_INT, .min = 1, .max = config.max_page_size, .out = out};
}

enum db_rc admin_write(struct req *r, struct db_conn *c, struct admin_write *w, unsigned *status,
                       json_t **reply)
{
    char *before = NULL, *after = NULL;
    json_t *own = NULL;
    enum db_rc rc = w->lock ? w->lock(r, c, w) : DB_OK;
    if (rc == DB_OK && w->lock) {
        rc = w->read(c, w->id, &before);
        if (rc == DB_NOT_FOUND && !w->must_exist)
            rc = DB_OK;
    }
    if (rc == DB_NOT_FOUND && w->must_exist) {
        reply_problem(r, SD_E_NOT_FOUND, NULL);
        rc = DB_ABORT;
    }
    if (rc == DB_OK)
        rc = w->change(r, c, w, before, &after, &own);
    if (rc == DB_OK && !after)
        rc = w->read(c, w->id, &after);
    bool created = !before;
    if (rc == DB_OK && !(w->skip_unchanged && before && strcmp(before, after) == 0))
        rc = req_audit(r, c, created && w->action_new ? w->action_new : w->action, w->kind, w->id,
                       before, after);
    if (rc == DB_OK) {
        *status = created && w->status_new ? w->status_new : w->status;
        *reply = own ? own : json_loads(after, 0, NULL);
        own = NULL;
        if (!*reply)
            rc = DB_HARD;
    }
    json_decref(own);
    free(before);
    free(after);
    return rc;
}
