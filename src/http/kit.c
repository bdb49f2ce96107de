/* The handler kit (kit.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "handlers.h"
#include "kit.h"
#include "ops.h"
#include "sr_ids.h"

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

bool reply_failed(struct req *r, enum db_rc rc)
{
    if (rc == DB_NOT_FOUND)
        reply_problem(r, SD_E_NOT_FOUND, NULL);
    else if (rc != DB_OK)
        reply_db(r, rc);
    return rc != DB_OK;
}

void reply_found(struct req *r, enum db_rc rc, char *json_take, const char *zh, const char *en)
{
    if (rc == DB_NOT_FOUND && zh)
        reply_problem(r, SD_E_NOT_FOUND, r->lang_en ? en : zh);
    else if (!reply_failed(r, rc))
        reply_json(r, 200, json_loads(json_take, 0, NULL));
    free(json_take);
}

void reply_by_id(struct req *r, enum db_rc (*get)(struct db_conn *c, long long id, char **json))
{
    long long id;
    struct db_conn *db = req_db_key(r, param_id(r->params[0], &id));
    if (!db)
        return;
    char *json = NULL;
    enum db_rc rc = get(db, id, &json);
    reply_found(r, rc, json, NULL, NULL);
}

void reply_list_rc(struct req *r, enum db_rc rc, struct db_page *page)
{
    if (rc == DB_OK)
        reply_list(r, page);
    else
        reply_db(r, rc);
}

bool req_wants_csv(struct req *r)
{
    const char *a = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
    return a && strstr(a, "text/csv");
}

static void page_reply(struct req *r, const struct jfield *spec, size_t n, page_fetch fetch,
                       void *cls, const char *const *columns)
{
    if (!req_query(r, spec, n))
        return;
    struct db_conn *db = req_db(r);
    if (!db)
        return;
    struct db_page page = {0};
    enum db_rc rc = fetch(db, cls, &page);
    if (rc != DB_OK || !columns || !req_wants_csv(r)) {
        reply_list_rc(r, rc, &page);
        return;
    }
    size_t len;
    char *text = csv_from_items(page.items, columns, &len), next[32];
    const char *after = json_string_value(page.next_after);
    if (json_is_integer(page.next_after)) {
        snprintf(next, sizeof next, "%lld", (long long)json_integer_value(page.next_after));
        after = next;
    }
    reply_csv(r, text, len, after);
    db_page_free(&page);
}

void reply_query_page(struct req *r, const struct jfield *spec, size_t n, page_fetch fetch,
                      void *cls)
{
    page_reply(r, spec, n, fetch, cls, NULL);
}

void reply_query_page_csv(struct req *r, const struct jfield *spec, size_t n, page_fetch fetch,
                          void *cls, const char *const *columns)
{
    page_reply(r, spec, n, fetch, cls, columns);
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

struct jfield jfield_reason(const char **out, bool required)
{
    return (struct jfield){.name = "reason",
                           .kind = JF_STRING,
                           .required = required,
                           .min = 1,
                           .max = 500,
                           .out = out};
}

struct jfield jfield_reason_codes(const json_t **out, bool required, long long max)
{
    return (struct jfield){.name = "reason_codes",
                           .kind = JF_STRING_LIST,
                           .required = required,
                           .min = 1,
                           .max = max,
                           .out = out};
}

void check_reason_codes(struct req *r, const json_t *codes, const char *const *known,
                        const char *zh, const char *en)
{
    size_t i;
    json_t *v;
    json_array_foreach(codes, i, v)
    {
        const char *code = json_string_value(v);
        bool found = false;
        for (size_t k = 0; code && known[k]; k++)
            found = found || strcmp(code, known[k]) == 0;
        char field[40];
        snprintf(field, sizeof field, "reason_codes[%zu]", i);
        if (!found)
            req_field_error(r, field, SD_E_FIELD_ENUM, zh, en);
    }
}

void principal_regions_csv(const struct sd_principal *who, char *out, size_t len)
{
    out[0] = '\0';
    for (int i = 0; i < who->nregions; i++) {
        size_t used = strlen(out);
        snprintf(out + used, len - used, "%s%s", i ? "," : "", who->regions[i]);
    }
}

struct jfield jfield_date(const char *name, const char **out, bool required)
{
    return (struct jfield){.name = name,
                           .kind = JF_STRING,
                           .required = required,
                           .min = 10,
                           .max = 10,
                           .format = &cj_date_format,
                           .out = out};
}

struct jfield jfield_policy(const char **out, bool required)
{
    return (struct jfield){.name = "policy",
                           .kind = JF_STRING,
                           .required = required,
                           .min = 1,
                           .max = 63,
                           .format = &policy_id_format,
                           .out = out};
}

struct jfield jfield_source(const char **out)
{
    return (struct jfield){
        .name = "source", .kind = JF_STRING, .required = true, .min = 1, .max = 200, .out = out};
}

void check_period(struct req *r, const char *valid_from, const char *valid_to)
{
    if (valid_from && valid_to && strcmp(valid_to, valid_from) < 0)
        req_field_error(r, "valid_to", SD_E_FIELD_CONFLICT, "不得早于开始日期",
                        "is before valid_from");
}

void check_approver_regions(struct req *r, bool approver, bool has_regions)
{
    if (approver && !has_regions)
        req_field_error(r, "regions", SD_E_FIELD_REQUIRED, "审核人员和财务人员须指定管辖区域",
                        "approvers and finance officers need at least one region");
    if (!approver && has_regions)
        req_field_error(r, "regions", SD_E_FIELD_CONFLICT, "仅审核人员和财务人员可指定区域",
                        "only approvers and finance officers have regions");
}

struct jfield jfield_role(const char **out)
{
    return (struct jfield){.name = "role",
                           .kind = JF_STRING,
                           .required = true,
                           .min = 1,
                           .max = 16,
                           .one_of = sr_role_values,
                           .out = out};
}

struct jfield jfield_subject(const char **out, bool *given)
{
    return (struct jfield){.name = "subject",
                           .kind = JF_STRING,
                           .min = 1,
                           .max = SD_SUBJECT_LEN,
                           .format = &subject_format,
                           .out = out,
                           .given = given};
}

struct jfield jfield_state(const char **out, const char *const *values)
{
    return (struct jfield){
        .name = "state", .kind = JF_STRING, .min = 1, .max = 16, .one_of = values, .out = out};
}

struct jfield jfield_year(long long *out)
{
    return (struct jfield){.name = "year", .kind = JF_INT, .min = 2000, .max = 2100, .out = out};
}

struct jfield jfield_after_id(long long *out)
{
    return (struct jfield){.name = "after", .kind = JF_INT, .min = 0, .max = INT64_MAX, .out = out};
}

struct jfield jfield_limit(long long *out)
{
    return (struct jfield){
        .name = "limit", .kind = JF_INT, .min = 1, .max = config.max_page_size, .out = out};
}

enum db_rc admin_counts(const json_t *reply, char **after)
{
    *after = reply ? json_dumps(reply, JSON_COMPACT) : NULL;
    return *after ? DB_OK : DB_HARD;
}

static enum db_rc admin_write(struct req *r, struct db_conn *c, void *cls, unsigned *status,
                              json_t **reply)
{
    struct admin_write *w = cls;
    const struct admin_change *how = w->how;
    char *before = NULL, *after = NULL;
    json_t *own = NULL;
    enum db_rc rc = how->lock ? how->lock(r, c, w) : DB_OK;
    if (rc == DB_OK && how->lock) {
        rc = how->read(c, w->id, &before);
        if (rc == DB_NOT_FOUND && !how->must_exist)
            rc = DB_OK;
    }
    if (rc == DB_NOT_FOUND && how->must_exist) {
        reply_problem(r, SD_E_NOT_FOUND, NULL);
        rc = DB_ABORT;
    }
    if (rc == DB_OK)
        rc = how->change(r, c, w, before, &after, &own);
    if (rc == DB_OK && !after)
        rc = how->read(c, w->id, &after);
    bool created = !before;
    if (rc == DB_OK && !(how->skip_unchanged && before && strcmp(before, after) == 0))
        rc = req_audit(r, c, created && how->action_new ? how->action_new : how->action, how->kind,
                       w->id, before, after);
    if (rc == DB_OK) {
        *status = created && how->status_new ? how->status_new : how->status;
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

static void admin_run(struct req *r, const struct admin_change *how, const char *id, void *cls,
                      const char *secret_field, bool dry)
{
    if (reply_field_errors(r, SD_E_VALIDATION_FAILED))
        return;
    struct admin_write w = {.how = how, .cls = cls};
    snprintf(w.id, sizeof w.id, "%.63s", id ? id : "");
    if (dry)
        dry_run(r, admin_write, &w);
    else if (secret_field)
        idempotent_secret(r, admin_write, &w, secret_field);
    else
        idempotent(r, admin_write, &w);
}

void admin_idempotent(struct req *r, const struct admin_change *how, const char *id, void *cls,
                      const char *secret_field)
{
    admin_run(r, how, id, cls, secret_field, false);
}

void admin_dry_run(struct req *r, const struct admin_change *how, const char *id, void *cls)
{
    admin_run(r, how, id, cls, NULL, true);
}

bool review_cursor_read(const char *text, bool by_time, char *key, size_t keylen, long long *id)
{
    const char *sep = strrchr(text, '_');
    if (!sep || sep == text || (size_t)(sep - text) >= keylen || !param_id(sep + 1, id))
        return false;
    memcpy(key, text, (size_t)(sep - text));
    key[sep - text] = '\0';
    if (by_time)
        return strspn(key, "0123456789") == strlen(key) && strlen(key) <= 18;
    int32_t day;
    return strlen(key) == 10 && sr_day_parse(key, &day);
}

void reply_queue(struct req *r, enum db_rc rc, struct db_page *page, json_t *counts)
{
    if (rc != DB_OK) {
        reply_db(r, rc);
        return;
    }
    reply_json(r, 200,
               json_pack("{s:o, s:o, s:o}", "items", page->items, "next_after", page->next_after,
                         "counts", counts));
}
