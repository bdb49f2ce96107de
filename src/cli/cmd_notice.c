/* subsidyctl notice: the public notice (结果公示) of approved claims (sql/0036_notice.sql) — set
 * and list the settings (working days and mode per policy, in a region or in all of them; each
 * set a new version, audited), publish a region's monthly list, and close the periods that
 * ended (the daemon does it too, every --notice-close-every seconds; both are safe at once). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claim.h"
#include "claim_json.h"
#include "ctl.h"
#include "notice_db.h"

#define REGION_ALPHABET "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

struct notice_set {
    struct db_notice_setting s;
    char *after;
};

static enum db_rc set_body(struct db_conn *c, void *cls)
{
    struct notice_set *x = cls;
    char *before = NULL, id[160];
    free(x->after);
    enum db_rc rc = db_notice_setting_set(c, &x->s, &x->after, &before);
    snprintf(id, sizeof id, "%s/%s", x->s.policy, x->s.region ? x->s.region : "*");
    if (rc == DB_OK)
        rc = ctl_audit(c, "notice_setting.set", "notice_setting", id, before, x->after);
    free(before);
    return rc;
}

/* A whole number lo..hi, else -1. */
static int number_in(const char *text, int lo, int hi)
{
    char *end = NULL;
    long v = strtol(text, &end, 10);
    return *text && !*end && v >= lo && v <= hi ? (int)v : -1;
}

int cmd_notice_set(const struct ctl *g, int argc, char **argv)
{
    struct notice_set x = {.s = {.days = -1}};
    static const struct option opts[] = {
        {"policy", required_argument, NULL, 'p'}, {"region", required_argument, NULL, 'r'},
        {"days", required_argument, NULL, 'd'},   {"mode", required_argument, NULL, 'm'},
        {"note", required_argument, NULL, 'n'},   {0}};
    int opt;
    optind = 1;
    struct ctl_setting_scope scope = {0};
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (ctl_scope_option(opt, &scope))
            continue;
        if (opt == 'd') {
            x.s.days = number_in(optarg, 1, 60);
        } else if (opt == 'm') {
            x.s.mode = optarg;
        } else {
            ctl_usage(stderr);
            return 2;
        }
    }
    x.s.policy = scope.policy;
    x.s.region = scope.region;
    x.s.note = scope.note;
    if (optind != argc || x.s.days < 1 || !x.s.mode ||
        (strcmp(x.s.mode, "per_claim") != 0 && strcmp(x.s.mode, "monthly") != 0) ||
        !ctl_scope_valid(&scope)) {
        fprintf(stderr, "subsidyctl: notice set needs --policy ID, --days 1-60 and --mode "
                        "per_claim|monthly (--region CODE, --note at most 200 bytes)\n");
        return 2;
    }
    return ctl_setting_write(g, set_body, &x, &x.after, "notice setting");
}

int cmd_notice_list(const struct ctl *g, int argc, char **argv)
{
    return ctl_settings_list(g, argc, argv, "notice", db_notice_settings);
}

/* --today YYYY-MM-DD into *today (left as it is when absent): false after printing usage. */
static bool today_option(int argc, char **argv, int32_t *today)
{
    if (argc == 1)
        return true;
    if (argc == 3 && strcmp(argv[1], "--today") == 0 && sr_day_parse(argv[2], today))
        return true;
    fprintf(stderr, "subsidyctl: notice close takes --today YYYY-MM-DD (default today in "
                    "Asia/Shanghai)\n");
    return false;
}

int cmd_notice_close(const struct ctl *g, int argc, char **argv)
{
    int32_t today = cj_today();
    if (!today_option(argc, argv, &today))
        return 2;
    struct db_conn *db = ctl_worker_conn(g->conninfo);
    int closed = 0;
    enum db_rc rc = notice_close_all(db, "subsidyctl", today, &closed);
    if (rc == DB_OK)
        printf("{\"closed\":%d}\n", closed);
    else
        fprintf(stderr, "subsidyctl: notice periods not closed (database error %d)\n", (int)rc);
    return rc == DB_OK ? 0 : 1;
}

struct publish {
    struct db_notice_publish p;
    int32_t today;
    char starts[SR_DATE_STRLEN], ends[SR_DATE_STRLEN];
    long long list_id;
    int added;
    bool created;
};

static enum db_rc publish_body(struct db_conn *c, void *cls)
{
    struct publish *x = cls;
    bool estimated;
    enum db_rc rc = DB_OK;
    if (x->p.days < 1) {
        rc = db_notice_monthly_days(c, x->p.region, &x->p.days);
        if (rc == DB_NOT_FOUND) {
            x->p.days = NOTICE_DAYS_DEFAULT;
            rc = DB_OK;
        }
    }
    if (rc == DB_OK)
        rc = review_due(c, x->today, x->p.days, x->ends, &estimated);
    sr_day_format(x->today, x->starts);
    x->p.starts = x->starts;
    x->p.ends = x->ends;
    return rc == DB_OK ? db_notice_publish(c, &x->p, &x->list_id, &x->added, &x->created) : rc;
}

static bool period_ok(const char *s)
{
    int32_t day;
    char first[SR_DATE_STRLEN];
    if (!s || strlen(s) != 7)
        return false;
    snprintf(first, sizeof first, "%s-01", s);
    return sr_day_parse(first, &day);
}

int cmd_notice_publish(const struct ctl *g, int argc, char **argv)
{
    struct publish x = {.p = {.request_id = "subsidyctl", .days = 0}, .today = cj_today()};
    static const struct option opts[] = {{"region", required_argument, NULL, 'r'},
                                         {"period", required_argument, NULL, 'm'},
                                         {"days", required_argument, NULL, 'd'},
                                         {"today", required_argument, NULL, 't'},
                                         {0}};
    int opt;
    bool bad = false;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (opt == 'r')
            x.p.region = optarg;
        else if (opt == 'm')
            x.p.period = optarg;
        else if (opt == 'd')
            bad |= (x.p.days = number_in(optarg, 1, 60)) < 1;
        else if (opt == 't')
            bad |= !sr_day_parse(optarg, &x.today);
        else {
            ctl_usage(stderr);
            return 2;
        }
    }
    if (optind != argc || bad || !ctl_spelled(x.p.region, REGION_ALPHABET, 6, 12) ||
        !period_ok(x.p.period)) {
        fprintf(stderr, "subsidyctl: notice publish needs --region CODE and --period YYYY-MM "
                        "(--days 1-60: else the region's monthly setting, else 5; --today "
                        "YYYY-MM-DD)\n");
        return 2;
    }
    struct db_conn *db = ctl_worker_conn(g->conninfo);
    enum db_rc rc = db_txn(db, publish_body, &x);
    if (rc == DB_OK)
        printf("{\"list\":%lld,\"created\":%s,\"claims\":%d}\n", x.list_id,
               x.created ? "true" : "false", x.added);
    else
        fprintf(stderr,
                "subsidyctl: no list published (database error %d; is the region "
                "known?)\n",
                (int)rc);
    return rc == DB_OK ? 0 : 1;
}
