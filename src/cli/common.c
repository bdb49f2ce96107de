/* What the subsidyctl commands share: the worker connection, the policy files, reading a text
 * file, printing a file's problems, an import's --source, and the audit row. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "ctl.h"
#include "ops.h"
#include "sr_rules.h"

struct db_conn *ctl_worker_conn(const char *conninfo)
{
    struct db_config cfg = {conninfo, 5, 30000, 10000, 100};
    db_configure(&cfg);
    struct db_conn *db = db_thread_conn();
    if (!db) {
        fprintf(stderr, "subsidyctl: cannot connect (is the schema migrated?)\n");
        exit(1);
    }
    return db;
}

struct sr_policy_set *ctl_load_policies(const char *dir)
{
    struct sr_policy_set *set = NULL;
    char err[8192];
    if (sr_policy_set_load_dir(dir, &set, err, sizeof err) != 0) {
        fprintf(stderr, "subsidyctl: policies in %s:\n%s\n", dir, err);
        exit(2);
    }
    return set;
}

#define MAX_TEXT (8 << 20)

/* A whole text file, NUL-terminated; NULL (with a message) when unreadable, too big, or not
 * UTF-8 text. */
static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = f ? malloc(MAX_TEXT + 1) : NULL;
    size_t n = buf ? fread(buf, 1, MAX_TEXT + 1, f) : 0;
    if (f)
        fclose(f);
    if (!buf || n > MAX_TEXT || memchr(buf, '\0', n)) {
        fprintf(stderr, "subsidyctl: %s: unreadable, over %d bytes, or not text\n", path, MAX_TEXT);
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    if (!utf8_valid(buf)) {
        fprintf(stderr, "subsidyctl: %s is not UTF-8\n", path);
        free(buf);
        return NULL;
    }
    return buf;
}

json_t *ctl_read_csv(const char *path, struct jerrors *errors, size_t max_rows)
{
    char *text = read_text(path);
    if (!text)
        return NULL;
    json_t *rows = csv_rows(text, errors, max_rows);
    free(text);
    return rows;
}

void ctl_print_problems(const struct jerrors *errors, const char *not_done)
{
    size_t i;
    json_t *e;
    json_array_foreach(errors->list, i, e)
    {
        fprintf(stderr, "%s: %s\n", json_string_value(json_object_get(e, "field")),
                json_string_value(json_object_get(e, "message")));
    }
    fprintf(stderr, "subsidyctl: %zu problem(s); nothing was %s\n", jerr_count(errors), not_done);
}

enum db_rc ctl_audit(struct db_conn *c, const char *action, const char *kind, const char *id,
                     const char *before, const char *after)
{
    struct db_audit_row a = {.action = action,
                             .object_kind = kind,
                             .object_id = id,
                             .before = before,
                             .after = after,
                             .request_id = "subsidyctl"};
    return db_audit(c, &a);
}

enum db_rc ctl_audit_counts(struct db_conn *c, const char *action, const char *kind, const char *id,
                            json_t *counts_take)
{
    char *after = counts_take ? json_dumps(counts_take, JSON_COMPACT) : NULL;
    json_decref(counts_take);
    enum db_rc rc = after ? ctl_audit(c, action, kind, id, NULL, after) : DB_HARD;
    free(after);
    return rc;
}

int ctl_source_option(int argc, char **argv, const char **source)
{
    static const struct option opts[] = {{"source", required_argument, NULL, 's'}, {0}};
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (opt != 's') {
            ctl_usage(stderr);
            return -1;
        }
        *source = optarg;
    }
    return optind;
}

int ctl_setting_write(const struct ctl *g, enum db_rc (*body)(struct db_conn *, void *), void *cls,
                      char **after, const char *what)
{
    struct db_conn *db = ctl_worker_conn(g->conninfo);
    enum db_rc rc = db_txn(db, body, cls);
    if (rc == DB_OK)
        printf("%s\n", *after);
    else
        fprintf(stderr, "subsidyctl: %s not set (database error %d; is the region known?)\n", what,
                (int)rc);
    free(*after);
    *after = NULL;
    return rc == DB_OK ? 0 : 1;
}
