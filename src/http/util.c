/* Small helpers shared by handlers. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"

bool param_id(const char *text, long long *id)
{
    if (!text[0] || text[0] == '0' || strspn(text, "0123456789") != strlen(text))
        return false;
    errno = 0;
    long long v = strtoll(text, NULL, 10);
    if (errno)
        return false;
    *id = v;
    return true;
}

json_t *csv_to_json(const char *csv)
{
    json_t *a = json_array();
    while (*csv) {
        size_t n = strcspn(csv, ",");
        json_array_append_new(a, json_stringn(csv, n));
        csv += n;
        if (*csv == ',')
            csv++;
    }
    return a;
}
