/* subsidyctl occupations load: the reference list of occupations (code, name), audited. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "csv.h"
#include "ctl.h"
#include "occupation.h"

struct occupation_load {
    const char *source;
    char *rows;
    int added, renamed;
};

static enum db_rc occupation_load_body(struct db_conn *c, void *cls)
{
    struct occupation_load *x = cls;
    enum db_rc rc = db_occupation_import(c, x->rows, x->source, &x->added, &x->renamed);
    if (rc == DB_OK) {
        json_t *after = json_pack("{s:s, s:i, s:i}", "source", x->source, "added", x->added,
                                  "renamed", x->renamed);
        char *text = json_dumps(after, JSON_COMPACT | JSON_PRESERVE_ORDER);
        rc = text ? ctl_audit(c, "occupation.import", "occupation", "list", NULL, text) : DB_HARD;
        free(text);
        json_decref(after);
    }
    return rc;
}

/* Does the reference list hold any occupation? */
static bool occupations_listed(struct db_conn *db)
{
    struct db_page page;
    if (db_occupation_list(db, "", "", 1, &page) != DB_OK) {
        fprintf(stderr, "subsidyctl: cannot read the occupations\n");
        exit(1);
    }
    bool any = json_array_size(page.items) > 0;
    db_page_free(&page);
    return any;
}

/* occupations load [--source S] [--if-empty] FILE.csv: the columns code, name; the source is
 * the file's name unless given; --if-empty does nothing when a list is loaded already (the
 * set-up's sample must not rename a city's real list). */
int cmd_occupations_load(const struct ctl *g, int argc, char **argv)
{
    const char *source = NULL;
    bool if_empty = false;
    static const struct option opts[] = {
        {"source", required_argument, NULL, 's'}, {"if-empty", no_argument, NULL, 'e'}, {0}};
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (opt == 's')
            source = optarg;
        else if (opt == 'e')
            if_empty = true;
        else {
            ctl_usage(stderr);
            return 2;
        }
    }
    if (optind + 1 != argc) {
        fprintf(stderr, "subsidyctl: occupations load [--source S] [--if-empty] FILE.csv\n");
        return 2;
    }
    if (if_empty && occupations_listed(ctl_worker_conn(g->conninfo))) {
        printf("occupations already listed; %s not loaded\n", argv[optind]);
        return 0;
    }
    const char *path = argv[optind];
    if (!source) {
        const char *slash = strrchr(path, '/');
        source = slash ? slash + 1 : path;
    }
    struct jerrors errors = {.lang_en = true};
    json_t *rows = ctl_read_csv(path, &errors, 100000);
    if (!rows)
        return 2;
    occupation_rows_check(&errors, "occupations", rows);
    if (json_array_size(rows) == 0 && !jerr_count(&errors))
        jerr_add(&errors, "occupations", SD_E_FIELD_LENGTH, NULL, "at least one row");
    int rc = 0;
    if (jerr_count(&errors)) {
        fprintf(stderr, "subsidyctl: %s:\n", path);
        ctl_print_problems(&errors, "loaded");
        rc = 1;
    } else {
        struct occupation_load x = {.source = source, .rows = json_dumps(rows, JSON_COMPACT)};
        enum db_rc dbrc =
            x.rows ? db_txn(ctl_worker_conn(g->conninfo), occupation_load_body, &x) : DB_HARD;
        if (dbrc == DB_OK)
            printf("%s: %zu occupations, %d added, %d renamed\n", source, json_array_size(rows),
                   x.added, x.renamed);
        else
            fprintf(stderr, "subsidyctl: not loaded (database error %d)\n", (int)dbrc);
        rc = dbrc == DB_OK ? 0 : 1;
        free(x.rows);
    }
    jerr_clear(&errors);
    json_decref(rows);
    return rc;
}
