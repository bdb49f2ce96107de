/* The route table: every endpoint of the service, its handler and who may call it.  A route
 * without a declared auth mode fails the route-table test; the OpenAPI test compares this table
 * with api/openapi.yaml. */
#include "handlers.h"

#define ADMIN SD_ROLE_ADMIN
#define ANY   SD_ROLES_ANY

const struct route routes[] = {
    {.method = "GET", .pattern = "/v1/health", .handler = get_health, .auth = AUTH_NONE},
    {.method = "GET", .pattern = "/v1/ready", .handler = get_ready, .auth = AUTH_NONE},
    {.method = "GET", .pattern = "/v1/version", .handler = get_version, .auth = AUTH_NONE},
    {.method = "GET", .pattern = "/metrics", .handler = get_metrics, .auth = AUTH_NONE},
    {.method = "GET", .pattern = "/v1/me", .handler = get_me, .auth = AUTH_TOKEN, .roles = ANY},
    {.method = "POST",
     .pattern = "/v1/precheck",
     .handler = post_precheck,
     .auth = AUTH_TOKEN,
     .roles = ANY,
     .body = true},
    {.method = "POST",
     .pattern = "/v1/tokens",
     .handler = post_tokens,
     .auth = AUTH_TOKEN,
     .roles = ADMIN,
     .body = true},
    {.method = "GET",
     .pattern = "/v1/tokens",
     .handler = get_tokens,
     .auth = AUTH_TOKEN,
     .roles = ADMIN},
    {.method = "DELETE",
     .pattern = "/v1/tokens/{id}",
     .handler = delete_tokens_ID,
     .auth = AUTH_TOKEN,
     .roles = ADMIN},
    {.method = "GET",
     .pattern = "/v1/calendar/{year}",
     .handler = get_calendar_YEAR,
     .auth = AUTH_TOKEN,
     .roles = ANY},
    {.method = "PUT",
     .pattern = "/v1/admin/calendar/{year}",
     .handler = put_admin_calendar_YEAR,
     .auth = AUTH_TOKEN,
     .roles = ADMIN,
     .body = true},
    {.method = "GET",
     .pattern = "/v1/working-days",
     .handler = get_working_days,
     .auth = AUTH_TOKEN,
     .roles = ANY},
};

const size_t routes_count = sizeof routes / sizeof routes[0];
