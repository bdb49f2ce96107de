/* Print the daemon's route table for the contract test (check_routes.mjs), one route a line:
 *   METHOD PATTERN auth=none|token roles=admin,approver,... body=json|none
 * roles is empty for public routes; a role bit without a name prints as bitN so that the check
 * fails rather than hiding it. */
#include <stdio.h>

#include "http.h"

int main(void)
{
    for (size_t i = 0; i < routes_count; i++) {
        const struct route *rt = &routes[i];
        const char *auth = rt->auth == AUTH_NONE    ? "none"
                           : rt->auth == AUTH_TOKEN ? "token"
                                                    : "undeclared";
        printf("%s %s auth=%s roles=", rt->method, rt->pattern, auth);
        if (rt->auth == AUTH_TOKEN) {
            const char *sep = "";
            for (unsigned bit = 0; bit < 32; bit++) {
                unsigned role = 1u << bit;
                if (!(rt->roles & role))
                    continue;
                const char *name = sd_role_name(role);
                if (name)
                    printf("%s%s", sep, name);
                else
                    printf("%sbit%u", sep, bit);
                sep = ",";
            }
        }
        printf(" body=%s\n", rt->body ? "json" : "none");
    }
    return ferror(stdout) || fflush(stdout) != 0 ? 1 : 0;
}
