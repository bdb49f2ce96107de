/* Bearer-token authentication and the route's role check; a public route's rate limit. */
#include <string.h>
#include <strings.h>

#include "http.h"
#include "log.h"
#include "ops.h"

bool auth_check(struct req *r)
{
    if (r->route->auth == AUTH_NONE) {
        long wait = r->route->rate_limited ? ratelimit_take(r) : 0;
        if (wait > 0)
            reply_problem_retry(r, SD_E_RATE_LIMITED, wait);
        return wait == 0;
    }
    const char *h =
        MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    if (!h || strncasecmp(h, "Bearer ", 7) != 0) {
        reply_problem(r, SD_E_UNAUTHENTICATED, NULL);
        return false;
    }
    const char *tok = h + 7;
    while (*tok == ' ')
        tok++;
    uint8_t hash[SD_TOKEN_HASH_LEN];
    if (!sd_token_hash(&token_key, tok, strlen(tok), hash)) {
        reply_problem(r, SD_E_TOKEN_INVALID, NULL);
        return false;
    }
    struct db_conn *db = db_thread_conn();
    if (!db) {
        reply_problem(r, SD_E_DB_UNAVAILABLE, NULL);
        return false;
    }
    enum db_token_state state;
    enum db_rc rc = db_token_by_hash(db, hash, &r->who, &state);
    if (rc == DB_NOT_FOUND || (rc == DB_OK && state == DB_TOKEN_REVOKED)) {
        reply_problem(r, SD_E_TOKEN_INVALID, NULL);
        return false;
    }
    if (rc != DB_OK) {
        reply_db(r, rc);
        return false;
    }
    if (state == DB_TOKEN_EXPIRED) {
        reply_problem(r, SD_E_TOKEN_EXPIRED, NULL);
        return false;
    }
    r->authed = true;
    if (!(r->route->roles & r->who.role)) {
        log_client("role not allowed on route",
                   json_pack("{s:s, s:s, s:I}", "request_id", r->id, "route", r->route->pattern,
                             "principal", (json_int_t)r->who.token_id));
        reply_problem(r, SD_E_FORBIDDEN, NULL);
        return false;
    }
    return true;
}
