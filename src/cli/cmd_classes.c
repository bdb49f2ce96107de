/* subsidyctl class-lead set: how many working days before its start a class must be filed
 * (开班备案), for a policy, a region (its districts too) or both; 0 when no row applies, the
 * largest of the rows that do (sql/0019_classes.sql).  Audited. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "class_db.h"
#include "ctl.h"

struct lead {
    const char *policy, *region, *note;
    int days;
    char *after;
};

static enum db_rc lead_body(struct db_conn *c, void *cls)
{
    struct lead *x = cls;
    char *before = NULL, id[160];
    free(x->after);
    enum db_rc rc =
        db_class_lead_set(c, x->policy, x->region, x->days, x->note, &x->after, &before);
    snprintf(id, sizeof id, "%s/%s", x->policy ? x->policy : "*", x->region ? x->region : "*");
    if (rc == DB_OK)
        rc = ctl_audit(c, "class_lead.set", "class_filing_lead", id, before, x->after);
    free(before);
    return rc;
}

static bool text_of(const char *s, const char *alphabet, size_t min, size_t max)
{
    size_t n = strlen(s);
    return n >= min && n <= max && strspn(s, alphabet) == n;
}

int cmd_class_lead_set(const struct ctl *g, int argc, char **argv)
{
    struct lead x = {.days = -1};
    static const struct option opts[] = {{"policy", required_argument, NULL, 'p'},
                                         {"region", required_argument, NULL, 'r'},
                                         {"days", required_argument, NULL, 'd'},
                                         {"note", required_argument, NULL, 'n'},
                                         {0}};
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        char *end = NULL;
        switch (opt) {
        case 'p':
            x.policy = optarg;
            break;
        case 'r':
            x.region = optarg;
            break;
        case 'n':
            x.note = optarg;
            break;
        case 'd':
            x.days = (int)strtol(optarg, &end, 10);
            if (!*optarg || *end || x.days < 0 || x.days > 250)
                x.days = -2;
            break;
        default:
            ctl_usage(stderr);
            return 2;
        }
    }
    if (optind != argc || x.days < 0 || (!x.policy && !x.region) ||
        (x.policy && !text_of(x.policy, "abcdefghijklmnopqrstuvwxyz0123456789-", 1, 63)) ||
        (x.region && !text_of(x.region, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", 6, 12)) ||
        (x.note && strlen(x.note) > 200)) {
        fprintf(stderr, "subsidyctl: class-lead set needs --days 0-250 and --policy ID and/or "
                        "--region CODE (--note at most 200 bytes)\n");
        return 2;
    }
    struct db_conn *db = ctl_worker_conn(g->conninfo);
    enum db_rc rc = db_txn(db, lead_body, &x);
    if (rc == DB_OK)
        printf("%s\n", x.after);
    else
        fprintf(stderr,
                "subsidyctl: lead time not set (database error %d; is the region "
                "known?)\n",
                (int)rc);
    free(x.after);
    return rc == DB_OK ? 0 : 1;
}
