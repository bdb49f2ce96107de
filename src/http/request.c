/* The request's body and query string through the field tables of jspec.h. */
#include "http.h"

bool jspec_body(struct req *r, const json_t *obj, const struct jfield *spec, size_t n)
{
    return jspec_object(&r->errors, NULL, obj, spec, n);
}

#define MAX_QUERY_ARGS 32

struct args {
    const char *keys[MAX_QUERY_ARGS + 1], *values[MAX_QUERY_ARGS + 1];
    size_t n;
};

static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *value)
{
    struct args *a = cls;
    if (a->n > MAX_QUERY_ARGS)
        return MHD_NO;
    a->keys[a->n] = key;
    a->values[a->n++] = value;
    return MHD_YES;
}

bool jspec_query(struct req *r, const struct jfield *spec, size_t n)
{
    struct args a = {.n = 0};
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, collect, &a);
    if (a.n > MAX_QUERY_ARGS) {
        req_field_error(r, "?", SD_E_FIELD_LENGTH, "查询参数过多", "too many query parameters");
        return false;
    }
    return jspec_strings(&r->errors, a.keys, a.values, a.n, spec, n);
}
