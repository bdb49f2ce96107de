/* POST /v1/admin/catalogs: publish a new catalog version for a policy and year, from JSON
 * ({policy, year, effective_from, source, year_standard_fen, entries}) or CSV (entries; the rest
 * in the query).  year_standard_fen is the year-wide figure of the policy rows that read no
 * occupation (the living allowance); a version may hold only it and no entries.
 * Every bad entry and field is reported at once (an occupation not in the reference list too)
 * and nothing is written; a published version
 * is immutable, and a newer one supersedes it from its effective date. */
#include <stdio.h>
#include <stdlib.h>

#include "catalog_rows.h"
#include "csv.h"
#include "handlers.h"
#include "ops.h"

struct upload {
    const char *policy, *effective_from, *source;
    long long year, year_standard_fen;
    bool has_year_standard;
    json_t *entries; /* owned */
};

static enum db_rc read_catalog(struct db_conn *c, const char *id, char **json)
{
    return db_catalog_get(c, atoll(id), json);
}

static enum db_rc insert(struct req *r, struct db_conn *c, struct admin_write *w,
                         const char *before, char **after, json_t **reply)
{
    const struct upload *u = w->cls;
    char *entries = json_dumps(u->entries, JSON_COMPACT);
    struct db_catalog_new n = {.policy = u->policy,
                               .effective_from = u->effective_from,
                               .source = u->source,
                               .year = (int)u->year,
                               .has_year_standard = u->has_year_standard,
                               .year_standard_fen = u->year_standard_fen,
                               .entry_count = (int)json_array_size(u->entries),
                               .entries_json = entries,
                               .published_by = r->who.token_id};
    long long id = 0;
    enum db_rc rc = entries ? db_catalog_publish(c, &n, &id) : DB_HARD;
    snprintf(w->id, sizeof w->id, "%lld", id);
    free(entries);
    return rc;
}

static const struct admin_change how = {.kind = "catalog",
                                        .read = read_catalog,
                                        .change = insert,
                                        .action = "catalog.publish",
                                        .status = 201};

void post_admin_catalogs(struct req *r)
{
    struct upload u = {0};
    const json_t *entries = NULL;
    struct jfield spec[] = {
        jfield_policy(&u.policy, true),
        {.name = "year",
         .kind = JF_INT,
         .required = true,
         .min = 2000,
         .max = 2100,
         .out = &u.year},
        jfield_date("effective_from", &u.effective_from, true),
        jfield_source(&u.source),
        {.name = "year_standard_fen",
         .kind = JF_INT,
         .min = 0,
         .max = CATALOG_MAX_FEN,
         .out = &u.year_standard_fen,
         .given = &u.has_year_standard},
        {.name = "entries",
         .kind = JF_OBJECT_LIST,
         .required = true,
         .min = 0,
         .max = CATALOG_MAX_ENTRIES,
         .out = &entries},
    };
    if (r->csv) {
        jspec_query(r, spec, 5); /* the metadata; the entries are the body */
        u.entries = csv_rows(r->body, &r->errors, CATALOG_MAX_ENTRIES);
        catalog_rows_from_csv(u.entries);
    } else {
        jspec_body(r, r->json, spec, sizeof spec / sizeof spec[0]);
        u.entries = json_incref((json_t *)entries);
    }
    if (u.policy && !sr_policy_set_find(policy_set, u.policy))
        req_field_error(r, "policy", SD_E_FIELD_REFERENCE, "没有这一政策", "no such policy");
    if (u.entries)
        catalog_rows_check(&r->errors, u.entries);
    catalog_rows_require(&r->errors, u.entries, u.has_year_standard, "year_standard_fen");
    struct db_conn *db = req_db(r);
    enum db_rc rc = !db || !u.entries ? DB_OK
                                      : db_occupation_name_unknown(db, &r->errors, u.entries,
                                                                   "entries", "occupation");
    if (rc != DB_OK)
        reply_db(r, rc);
    else if (db)
        admin_idempotent(r, &how, NULL, &u, NULL);
    json_decref(u.entries);
}
