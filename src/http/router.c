/* Match a request path against the route table. */
#include <stdio.h>
#include <string.h>

#include "http.h"

size_t route_index(const struct route *rt)
{
    return rt ? (size_t)(rt - routes) : routes_count;
}

static bool param_ok(const char *seg, size_t n)
{
    if (n == 0 || n > REQ_PARAM_LEN)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = seg[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              c == '-' || c == '_' || c == '.'))
            return false;
    }
    return true;
}

/* Does path fit pattern?  Fills params; *bad_param when the shape fits but a parameter is not a
 * plain token (so a hostile segment never reaches a handler). */
static bool fits(const char *pattern, const char *path, struct req *r, bool *bad_param)
{
    int np = 0;
    while (*pattern && *path) {
        if (*pattern != '/' || *path != '/')
            return false;
        pattern++, path++;
        size_t pn = strcspn(pattern, "/"), sn = strcspn(path, "/");
        if (pattern[0] == '{') {
            if (!param_ok(path, sn)) {
                if (sn == 0)
                    return false;
                *bad_param = true;
            } else if (np < REQ_MAX_PARAMS) {
                memcpy(r->params[np], path, sn);
                r->params[np++][sn] = '\0';
            }
        } else if (pn != sn || memcmp(pattern, path, sn) != 0) {
            return false;
        }
        pattern += pn, path += sn;
    }
    r->nparams = np;
    return *pattern == '\0' && *path == '\0';
}

enum route_match router_match(struct req *r, const char *method, const char *path, char *allow,
                              size_t allowlen)
{
    bool path_known = false, bad = false;
    allow[0] = '\0';
    if (strcmp(method, "HEAD") == 0)
        method = "GET";
    for (size_t i = 0; i < routes_count; i++) {
        bool bad_here = false;
        if (!fits(routes[i].pattern, path, r, &bad_here))
            continue;
        if (bad_here) {
            bad = true;
            continue;
        }
        path_known = true;
        if (strcmp(routes[i].method, method) == 0) {
            r->route = &routes[i];
            return ROUTE_FOUND;
        }
        size_t used = strlen(allow);
        snprintf(allow + used, allowlen - used, "%s%s", used ? ", " : "", routes[i].method);
    }
    if (path_known)
        return ROUTE_NO_METHOD;
    return bad ? ROUTE_BAD_PARAM : ROUTE_NO_PATH;
}
