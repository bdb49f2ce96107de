/* subsidyctl review-days set: the working days a review has (承诺时限) for a policy, in one
 * region (a city's setting covers its districts) or in all of them, for claims or for class
 * filings' acceptance; the most specific applies at submission (sql/0029_review_deadlines.sql).
 * Audited.  And review escalate, the daily escalation pass. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "claim.h"
#include "claim_json.h"
#include "ctl.h"
#include "review_db.h"
#include "sr_ids.h"

struct days_set {
    struct db_review_days s;
    char *after;
};

static enum db_rc days_body(struct db_conn *c, void *cls)
{
    struct days_set *x = cls;
    char *before = NULL, id[160];
    free(x->after);
    enum db_rc rc = db_review_days_set(c, &x->s, &x->after, &before);
    snprintf(id, sizeof id, "%s/%s/%s", x->s.kind, x->s.policy, x->s.region ? x->s.region : "*");
    if (rc == DB_OK)
        rc = ctl_audit(c, "review_days.set", "review_days", id, before, x->after);
    free(before);
    return rc;
}

static bool spelled(const char *s, const char *alphabet, size_t min, size_t max)
{
    size_t n = s ? strlen(s) : 0;
    return n >= min && n <= max && strspn(s, alphabet) == n;
}

int cmd_review_days_set(const struct ctl *g, int argc, char **argv)
{
    struct days_set x = {.s = {.kind = "claim", .days = -1}};
    static const struct option opts[] = {
        {"policy", required_argument, NULL, 'p'}, {"region", required_argument, NULL, 'r'},
        {"kind", required_argument, NULL, 'k'},   {"days", required_argument, NULL, 'd'},
        {"note", required_argument, NULL, 'n'},   {0}};
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        char *end = NULL;
        switch (opt) {
        case 'p':
            x.s.policy = optarg;
            break;
        case 'r':
            x.s.region = optarg;
            break;
        case 'k':
            x.s.kind = optarg;
            break;
        case 'n':
            x.s.note = optarg;
            break;
        case 'd':
            x.s.days = (int)strtol(optarg, &end, 10);
            if (!*optarg || *end || x.s.days < 1 || x.s.days > 250)
                x.s.days = -2;
            break;
        default:
            ctl_usage(stderr);
            return 2;
        }
    }
    if (optind != argc || x.s.days < 1 ||
        (strcmp(x.s.kind, "claim") != 0 && strcmp(x.s.kind, "class_filing") != 0) ||
        !spelled(x.s.policy, "abcdefghijklmnopqrstuvwxyz0123456789-", 1, 63) ||
        (x.s.region && !spelled(x.s.region, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", 6, 12)) ||
        (x.s.note && strlen(x.s.note) > 200)) {
        fprintf(stderr, "subsidyctl: review-days set needs --policy ID and --days 1-250 "
                        "(--region CODE, --kind claim|class_filing, --note at most 200 bytes)\n");
        return 2;
    }
    return ctl_setting_write(g, days_body, &x, &x.after, "review days");
}

/* subsidyctl region-supervisor set: the account (an active approver of the region or of its
 * city) that overdue items of the region are escalated to (sql/0029).  Audited. */
struct supervisor_set {
    const char *region;
    long long account;
    char *after;
};

static enum db_rc supervisor_body(struct db_conn *c, void *cls)
{
    struct supervisor_set *x = cls;
    char *before = NULL;
    free(x->after);
    x->after = NULL;
    enum db_rc rc = db_region_supervisor_set(c, x->region, x->account, &x->after, &before);
    if (rc == DB_OK)
        rc =
            ctl_audit(c, "region_supervisor.set", "region_supervisor", x->region, before, x->after);
    free(before);
    return rc;
}

int cmd_region_supervisor_set(const struct ctl *g, int argc, char **argv)
{
    struct supervisor_set x = {.account = -1};
    static const struct option opts[] = {
        {"region", required_argument, NULL, 'r'}, {"account", required_argument, NULL, 'a'}, {0}};
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        char *end = NULL;
        if (opt == 'r') {
            x.region = optarg;
        } else if (opt == 'a') {
            x.account = strtoll(optarg, &end, 10);
            if (!*optarg || *end || x.account < 1)
                x.account = -1;
        } else {
            ctl_usage(stderr);
            return 2;
        }
    }
    if (optind != argc || x.account < 1 ||
        !spelled(x.region, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", 6, 12)) {
        fprintf(stderr, "subsidyctl: region-supervisor set needs --region CODE and --account ID "
                        "(an active approver of the region or of its city)\n");
        return 2;
    }
    return ctl_setting_write(g, supervisor_body, &x, &x.after, "region supervisor");
}

/* subsidyctl review escalate: the escalation pass of GET /v1/review/escalations for every
 * region's supervisor at once, so that a daily timer records the overdue items even when no
 * supervisor reads the list.  Idempotent: an item is escalated (and audited) once. */
int cmd_review_escalate(const struct ctl *g, int argc, char **argv)
{
    long after_days = 3; /* the daemon's --escalate-after-days default */
    int32_t today = cj_today();
    bool bad = false;
    static const struct option opts[] = {
        {"after-days", required_argument, NULL, 'a'}, {"today", required_argument, NULL, 't'}, {0}};
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        char *end = NULL;
        if (opt == 'a') {
            after_days = strtol(optarg, &end, 10);
            bad |= !*optarg || *end || after_days < 1 || after_days > 60;
        } else if (opt == 't') {
            bad |= !sr_day_parse(optarg, &today);
        } else {
            ctl_usage(stderr);
            return 2;
        }
    }
    if (optind != argc || bad) {
        fprintf(stderr, "subsidyctl: review escalate takes --after-days 1-60 (default 3) and "
                        "--today YYYY-MM-DD (default today in Asia/Shanghai)\n");
        return 2;
    }
    struct db_conn *db = ctl_worker_conn(g->conninfo);
    json_t *out = NULL;
    enum db_rc rc = review_escalate_all(db, "subsidyctl", today, (int)after_days, &out);
    if (rc == DB_OK) {
        char *text = json_dumps(out, JSON_COMPACT);
        printf("%s\n", text ? text : "{}");
        free(text);
    } else {
        fprintf(stderr, "subsidyctl: nothing escalated (database error %d)\n", (int)rc);
    }
    json_decref(out);
    return rc == DB_OK ? 0 : 1;
}
