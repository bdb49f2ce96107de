/* The certificate records' import (certificate.h). */
#include "certificate.h"

#include <stdio.h>
#include <stdlib.h>

#include "occupation.h"

static void unknown_add(struct jerrors *e, size_t row, const char *field, bool body)
{
    char name[64];
    snprintf(name, sizeof name, "records[%zu].%s", row, field);
    if (jerr_has_field(e, name))
        return;
    if (body)
        jerr_add(e, name, SD_E_FIELD_REFERENCE, "不是已登记的评价机构",
                 "is not a registered evaluation body");
    else
        occupation_unknown_add(e, "records", row, field);
}

enum db_rc certificate_rows_known(struct db_conn *c, struct jerrors *e, const json_t *records)
{
    /* only what is looked up goes to the database, never an ID number */
    json_t *refs = json_array();
    size_t i;
    json_t *u;
    json_array_foreach(records, i, u)
    {
        json_array_append_new(refs, json_pack("{s:O?, s:O?}", "body_code",
                                              json_object_get(u, "body_code"), "occupation",
                                              json_object_get(u, "occupation")));
    }
    char *rows = json_dumps(refs, JSON_COMPACT);
    json_decref(refs);
    json_t *unknown = NULL;
    enum db_rc rc = rows ? db_certificate_refs_unknown(c, rows, &unknown) : DB_HARD;
    free(rows);
    json_array_foreach(unknown, i, u)
    {
        size_t row = (size_t)json_integer_value(json_object_get(u, "row"));
        if (json_is_true(json_object_get(u, "body")))
            unknown_add(e, row, "body_code", true);
        if (json_is_true(json_object_get(u, "occupation")))
            unknown_add(e, row, "occupation", false);
    }
    json_decref(unknown);
    return rc;
}

enum db_rc certificate_import(struct db_conn *c, const struct sd_pii_keys *keys,
                              const json_t *records, const char *source, long long actor,
                              struct certificate_counts *n)
{
    json_t *hashed = certificate_rows_hashed(keys, records);
    char *rows = hashed ? json_dumps(hashed, JSON_COMPACT) : NULL;
    json_decref(hashed);
    n->records = (long)json_array_size(records);
    enum db_rc rc =
        rows ? db_certificate_import(c, rows, source, actor, &n->inserted, &n->changed) : DB_HARD;
    free(rows);
    n->unchanged = n->records - n->inserted - n->changed;
    return rc;
}

json_t *certificate_counts_json(const char *source, const struct certificate_counts *n)
{
    return json_pack("{s:s, s:I, s:I, s:I, s:I}", "source", source, "records",
                     (json_int_t)n->records, "inserted", (json_int_t)n->inserted, "changed",
                     (json_int_t)n->changed, "unchanged", (json_int_t)n->unchanged);
}
