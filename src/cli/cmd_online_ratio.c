/* subsidyctl class-online-ratio set: the percent of an online session's hours a policy counts
 * toward a class's hours (Yancheng 四(二)4: 在线学习课时可按比例计入 — the text leaves the
 * ratio to the department); 0 for a policy without a row (sql/0027_class_attendance.sql).
 * Audited. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "class_attendance_db.h"
#include "ctl.h"

struct ratio {
    const char *policy, *note;
    int percent;
    char *after;
};

static enum db_rc ratio_body(struct db_conn *c, void *cls)
{
    struct ratio *x = cls;
    char *before = NULL;
    free(x->after);
    enum db_rc rc =
        db_class_online_ratio_set(c, x->policy, x->percent, x->note, &x->after, &before);
    if (rc == DB_OK)
        rc = ctl_audit(c, "class_online_ratio.set", "class_online_ratio", x->policy, before,
                       x->after);
    free(before);
    return rc;
}

int cmd_class_online_ratio_set(const struct ctl *g, int argc, char **argv)
{
    struct ratio x = {.percent = -1};
    static const struct option opts[] = {{"policy", required_argument, NULL, 'p'},
                                         {"percent", required_argument, NULL, 'c'},
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
        case 'n':
            x.note = optarg;
            break;
        case 'c':
            x.percent = (int)strtol(optarg, &end, 10);
            if (!*optarg || *end || x.percent < 0 || x.percent > 100)
                x.percent = -2;
            break;
        default:
            ctl_usage(stderr);
            return 2;
        }
    }
    size_t n = x.policy ? strlen(x.policy) : 0;
    if (optind != argc || x.percent < 0 || n < 1 || n > 63 ||
        strspn(x.policy, "abcdefghijklmnopqrstuvwxyz0123456789-") != n ||
        (x.note && strlen(x.note) > 200)) {
        fprintf(stderr, "subsidyctl: class-online-ratio set needs --policy ID and --percent "
                        "0-100 (--note at most 200 bytes)\n");
        return 2;
    }
    struct db_conn *db = ctl_worker_conn(g->conninfo);
    enum db_rc rc = db_txn(db, ratio_body, &x);
    if (rc == DB_OK)
        printf("%s\n", x.after);
    else
        fprintf(stderr, "subsidyctl: online ratio not set (database error %d)\n", (int)rc);
    free(x.after);
    return rc == DB_OK ? 0 : 1;
}
