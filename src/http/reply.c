/* Queue replies: JSON, empty, text and RFC 9457 problems from the error registry. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "log.h"
#include "receipt_page.h"

static void common_headers(struct req *r, struct MHD_Response *resp)
{
    MHD_add_response_header(resp, "X-Request-Id", r->id);
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    if (server_stopping())
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
    if (r->replayed)
        MHD_add_response_header(resp, "Idempotent-Replayed", "true");
}

static void queue(struct req *r, unsigned status, struct MHD_Response *resp)
{
    if (r->status) {
        log_bug("second reply for one request", json_pack("{s:s}", "request_id", r->id));
        MHD_destroy_response(resp);
        return;
    }
    common_headers(r, resp);
    if (MHD_queue_response(r->conn, status, resp) == MHD_YES)
        r->status = status;
    else
        log_bug("MHD_queue_response failed", json_pack("{s:s}", "request_id", r->id));
    MHD_destroy_response(resp);
}

/* Location: the prefix and the reply's id. */
static void add_location(const struct req *r, struct MHD_Response *resp, const char *text)
{
    json_t *body = json_loads(text, 0, NULL);
    json_t *id = json_object_get(body, "id");
    char where[160];
    if (json_is_integer(id)) {
        snprintf(where, sizeof where, "%s/%lld", r->location_prefix,
                 (long long)json_integer_value(id));
        MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, where);
    }
    json_decref(body);
}

void reply_stored(struct req *r, unsigned status, char *text, bool replayed)
{
    r->replayed = replayed; /* on the JSON and on the printable page alike */
    if (r->page && status < 300 && text[0] && req_wants_html(r)) {
        json_t *body = json_loads(text, 0, NULL);
        free(text);
        reply_json_or_page(r, status, body, r->page);
        return;
    }
    struct MHD_Response *resp =
        MHD_create_response_from_buffer_with_free_callback(strlen(text), text, free);
    if (!resp) {
        free(text);
        return;
    }
    if (text[0])
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    if (r->location_prefix && (status == 201 || status == 202))
        add_location(r, resp, text);
    queue(r, status, resp);
}

static void queue_buffer(struct req *r, unsigned status, const char *type, char *text, size_t len,
                         const char *retry_after)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer_with_free_callback(len, text, free);
    if (!resp) {
        free(text);
        return;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    if (retry_after)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, retry_after);
    if (status == MHD_HTTP_UNAUTHORIZED)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
    queue(r, status, resp);
}

static void queue_json(struct req *r, unsigned status, const char *type, json_t *body,
                       const char *retry_after)
{
    char *text = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(body);
    if (!text)
        return;
    queue_buffer(r, status, type, text, strlen(text), retry_after);
}

void reply_json(struct req *r, unsigned status, json_t *body)
{
    queue_json(r, status, "application/json", body, NULL);
}

void reply_empty(struct req *r, unsigned status)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
    if (resp)
        queue(r, status, resp);
}

void reply_csv(struct req *r, char *text_take, size_t len, const char *next_after)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer_with_free_callback(len, text_take, free);
    if (!resp) {
        free(text_take);
        return;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/csv; charset=utf-8");
    if (next_after)
        MHD_add_response_header(resp, "Next-After", next_after);
    queue(r, 200, resp);
}

void reply_text(struct req *r, unsigned status, const char *content_type, char *text_take,
                size_t len)
{
    queue_buffer(r, status, content_type, text_take, len, NULL);
}

static void problem_with(struct req *r, enum sd_err code, const char *detail,
                         const char *retry_after, json_t *members)
{
    const struct sd_err_info *e = sd_err_lookup(code);
    char type[96];
    snprintf(type, sizeof type, "urn:subsidyd:error:%s", e->name);
    json_t *body =
        json_pack("{s:s, s:s, s:i, s:s?, s:i, s:s, s:s, s:s, s:s}", "type", type, "title",
                  r->lang_en ? e->title_en : e->title_zh, "status", (int)e->http_status, "detail",
                  detail, "code", e->code, "name", e->name, "title_zh", e->title_zh, "title_en",
                  e->title_en, "request_id", r->id);
    if (body && jerr_count(&r->errors) > 0)
        json_object_set(body, "errors", r->errors.list);
    if (body && members)
        json_object_update(body, members);
    json_decref(members);
    queue_json(r, e->http_status, "application/problem+json", body, retry_after);
}

void reply_problem(struct req *r, enum sd_err code, const char *detail)
{
    const struct sd_err_info *e = sd_err_lookup(code);
    problem_with(r, code, detail, e->http_status == 503 ? "1" : NULL, NULL);
}

void reply_problem_retry(struct req *r, enum sd_err code, long seconds)
{
    char after[24];
    snprintf(after, sizeof after, "%ld", seconds > 0 ? seconds : 1);
    problem_with(r, code, NULL, after, NULL);
}

void reply_problem_with(struct req *r, enum sd_err code, const char *detail, json_t *members)
{
    problem_with(r, code, detail, NULL, members);
}

void reply_not_allowed(struct req *r, const char *allow)
{
    const struct sd_err_info *e = sd_err_lookup(SD_E_METHOD_NOT_ALLOWED);
    json_t *body = json_pack(
        "{s:s, s:s, s:i, s:i, s:s, s:s, s:s, s:s}", "type", "urn:subsidyd:error:method_not_allowed",
        "title", r->lang_en ? e->title_en : e->title_zh, "status", 405, "code", e->code, "name",
        e->name, "title_zh", e->title_zh, "title_en", e->title_en, "request_id", r->id);
    char *text = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(body);
    if (!text)
        return;
    struct MHD_Response *resp =
        MHD_create_response_from_buffer_with_free_callback(strlen(text), text, free);
    if (!resp) {
        free(text);
        return;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/problem+json");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, allow);
    queue(r, 405, resp);
}

void reply_db(struct req *r, enum db_rc rc)
{
    switch (rc) {
    case DB_UNAVAILABLE:
        reply_problem(r, SD_E_DB_UNAVAILABLE, NULL);
        break;
    case DB_TIMEOUT:
        reply_problem(r, SD_E_DB_TIMEOUT, NULL);
        break;
    case DB_CONTENTION:
    case DB_SOFT:
        reply_problem(r, SD_E_DB_CONTENTION, NULL);
        break;
    default:
        log_bug("unexpected database outcome",
                json_pack("{s:s, s:i}", "request_id", r->id, "rc", (int)rc));
        reply_problem(r, SD_E_INTERNAL, NULL);
    }
}

void req_field_error(struct req *r, const char *field, enum sd_err code, const char *zh,
                     const char *en)
{
    jerr_add(&r->errors, field, code, zh, en);
}

bool reply_field_errors_with(struct req *r, enum sd_err whole_code, json_t *members)
{
    size_t n = jerr_count(&r->errors) + json_array_size(json_object_get(members, "problems"));
    if (jerr_count(&r->errors) == 0) {
        json_decref(members);
        return false;
    }
    if (whole_code != SD_E_BAD_QUERY && jerr_has(&r->errors, SD_E_FIELD_UNKNOWN))
        whole_code = SD_E_UNKNOWN_FIELDS; /* mass assignment is the client's mistake: 400 */
    char detail[64];
    snprintf(detail, sizeof detail, r->lang_en ? "%zu problem(s)" : "共 %zu 处问题", n);
    problem_with(r, whole_code, detail, NULL, members);
    return true;
}

bool reply_field_errors(struct req *r, enum sd_err whole_code)
{
    return reply_field_errors_with(r, whole_code, NULL);
}
