/* subsidyctl catalog import and catalog list: publish a catalog version from a CSV file, as
 * POST /v1/admin/catalogs does (audited), and list the published versions. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "catalog_rows.h"
#include "csv.h"
#include "ctl.h"
#include "occupation.h"
#include "sr_rules.h"

struct import {
    struct db_catalog_new n;
    long long id;
};

static enum db_rc import_body(struct db_conn *c, void *cls)
{
    struct import *x = cls;
    enum db_rc rc = db_catalog_publish(c, &x->n, &x->id);
    char *meta = NULL;
    if (rc == DB_OK)
        rc = db_catalog_get(c, x->id, &meta);
    if (rc == DB_OK) {
        char id[24];
        snprintf(id, sizeof id, "%lld", x->id);
        rc = ctl_audit(c, "catalog.publish", "catalog", id, NULL, meta);
    }
    free(meta);
    return rc;
}

int cmd_catalog_import(const struct ctl *g, int argc, char **argv)
{
    struct import x = {.n = {.year = 0}};
    static const struct option opts[] = {
        {"policy", required_argument, NULL, 'p'},
        {"year", required_argument, NULL, 'y'},
        {"effective-from", required_argument, NULL, 'e'},
        {"source", required_argument, NULL, 's'},
        {"year-standard-fen", required_argument, NULL, 'f'},
        {0},
    };
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (opt) {
        case 'p':
            x.n.policy = optarg;
            break;
        case 'y':
            x.n.year = atoi(optarg);
            break;
        case 'e':
            x.n.effective_from = optarg;
            break;
        case 's':
            x.n.source = optarg;
            break;
        case 'f': {
            char *end = NULL;
            errno = 0;
            x.n.year_standard_fen = strtoll(optarg, &end, 10);
            x.n.has_year_standard = true;
            if (errno || end == optarg || *end || x.n.year_standard_fen < 0 ||
                x.n.year_standard_fen > CATALOG_MAX_FEN) {
                fprintf(stderr, "subsidyctl: --year-standard-fen is fen, 0-%lld\n",
                        CATALOG_MAX_FEN);
                return 2;
            }
            break;
        }
        default:
            ctl_usage(stderr);
            return 2;
        }
    }
    int32_t day;
    if (!x.n.policy || x.n.year < 2000 || x.n.year > 2100 || !x.n.effective_from ||
        !sr_day_parse(x.n.effective_from, &day) || !x.n.source || optind + 1 != argc) {
        fprintf(stderr, "subsidyctl: catalog import needs --policy, --year (2000-2100), "
                        "--effective-from YYYY-MM-DD, --source, optionally "
                        "--year-standard-fen, and one CSV file\n");
        return 2;
    }
    struct sr_policy_set *set = ctl_load_policies(g->policies);
    bool known = sr_policy_set_find(set, x.n.policy) != NULL;
    sr_policy_set_free(set);
    if (!known) {
        fprintf(stderr, "subsidyctl: no policy %s\n", x.n.policy);
        return 2;
    }
    struct jerrors errors = {.lang_en = true};
    json_t *rows = ctl_read_csv(argv[optind], &errors, CATALOG_MAX_ENTRIES);
    if (!rows)
        return 2;
    catalog_rows_from_csv(rows);
    catalog_rows_check(&errors, rows);
    catalog_rows_require(&errors, rows, x.n.has_year_standard, "--year-standard-fen");
    struct db_conn *db = ctl_worker_conn(g->conninfo);
    enum db_rc dbrc = db_occupation_name_unknown(db, &errors, rows, "entries", "occupation");
    int rc = 0;
    if (dbrc != DB_OK) {
        fprintf(stderr, "subsidyctl: cannot read the occupations (database error %d)\n", (int)dbrc);
        rc = 1;
    } else if (jerr_count(&errors)) {
        ctl_print_problems(&errors, "published");
        rc = 1;
    } else {
        char *entries = json_dumps(rows, JSON_COMPACT);
        x.n.entries_json = entries;
        x.n.entry_count = (int)json_array_size(rows);
        dbrc = db_txn(db, import_body, &x);
        if (dbrc == DB_OK)
            printf("published %s %d as catalog %lld, %d entries\n", x.n.policy, x.n.year, x.id,
                   x.n.entry_count);
        else
            fprintf(stderr, "subsidyctl: not published (database error %d)\n", (int)dbrc);
        rc = dbrc == DB_OK ? 0 : 1;
        free(entries);
    }
    jerr_clear(&errors);
    json_decref(rows);
    return rc;
}

int cmd_catalog_list(const struct ctl *g, int argc, char **argv)
{
    struct db_catalog_filter f = {.limit = 1000};
    if (argc == 3 && strcmp(argv[1], "--policy") == 0)
        f.policy = argv[2];
    struct db_conn *db = ctl_worker_conn(g->conninfo);
    struct db_page page;
    if (db_catalog_list(db, &f, &page) != DB_OK)
        return 1;
    size_t i;
    json_t *c;
    json_array_foreach(page.items, i, c)
    {
        printf("%lld  %s %lld v%lld  from %s  %lld entries  %s\n",
               (long long)json_integer_value(json_object_get(c, "id")),
               json_string_value(json_object_get(c, "policy")),
               (long long)json_integer_value(json_object_get(c, "year")),
               (long long)json_integer_value(json_object_get(c, "version")),
               json_string_value(json_object_get(c, "effective_from")),
               (long long)json_integer_value(json_object_get(c, "entry_count")),
               json_string_value(json_object_get(c, "source")));
    }
    db_page_free(&page);
    return 0;
}
