/* subsidyctl review-days set: the working days a review has (承诺时限) for a policy, in one
 * region (a city's setting covers its districts) or in all of them, for claims or for class
 * filings' acceptance; the most specific applies at submission (sql/0029_review_deadlines.sql).
 * Audited.  And review escalate, the daily escalation pass. */
#include <getopt.h>
#include <stdio.h>
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

bool ctl_spelled(const char *s, const char *alphabet, size_t min, size_t max)
{
    size_t n = s ? strlen(s) : 0;
    return n >= min && n <= max && strspn(s, alphabet) == n;
}

bool ctl_scope_option(int opt, struct ctl_setting_scope *s)
{
    if (opt == 'p')
        s->policy = optarg;
    else if (opt == 'r')
        s->region = optarg;
    else if (opt == 'n')
        s->note = optarg;
    return opt == 'p' || opt == 'r' || opt == 'n';
}

bool ctl_scope_valid(const struct ctl_setting_scope *s)
{
    return ctl_spelled(s->policy, "abcdefghijklmnopqrstuvwxyz0123456789-", 1, 63) &&
           (!s->region || ctl_spelled(s->region, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", 6, 12)) &&
           (!s->note || strlen(s->note) <= 200);
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
    struct ctl_setting_scope scope = {0};
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        char *end = NULL;
        if (ctl_scope_option(opt, &scope))
            continue;
        switch (opt) {
        case 'k':
            x.s.kind = optarg;
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
    x.s.policy = scope.policy;
    x.s.region = scope.region;
    x.s.note = scope.note;
    if (optind != argc || x.s.days < 1 ||
        (strcmp(x.s.kind, "claim") != 0 && strcmp(x.s.kind, "class_filing") != 0) ||
        !ctl_scope_valid(&scope)) {
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
        !ctl_spelled(x.region, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", 6, 12)) {
        fprintf(stderr, "subsidyctl: region-supervisor set needs --region CODE and --account ID "
                        "(an active approver of the region or of its city)\n");
        return 2;
    }
    return ctl_setting_write(g, supervisor_body, &x, &x.after, "region supervisor");
}

/* subsidyctl review escalate: the escalation pass of GET /v1/review/escalations for every
 * region's supervisor at once, so that a daily timer records the overdue items even when no
 * supervisor reads the list.  Idempotent: an item is escalated (and audited) once.  Without
 * --after-days, the daemon's setting: SUBSIDYD_ESCALATE_AFTER_DAYS (the environment file the
 * timer's unit shares with the daemon), else its default 3. */
int cmd_review_escalate(const struct ctl *g, int argc, char **argv)
{
    long after_days = 3; /* the daemon's --escalate-after-days default */
    int32_t today = cj_today();
    bool bad = false;
    const char *env = getenv("SUBSIDYD_ESCALATE_AFTER_DAYS");
    if (env) {
        char *end = NULL;
        after_days = strtol(env, &end, 10);
        if (!*env || *end || after_days < 1 || after_days > 60) {
            fprintf(stderr, "subsidyctl: SUBSIDYD_ESCALATE_AFTER_DAYS must be 1-60\n");
            return 2;
        }
    }
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
        fprintf(stderr, "subsidyctl: review escalate takes --after-days 1-60 (default "
                        "SUBSIDYD_ESCALATE_AFTER_DAYS, else 3) and "
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

/* subsidyctl sampling set: the sample of 告知承诺 claims (sql/0033) for a policy, in one region
 * (a city's setting covers its districts) or in all of them — the random share in basis points
 * and the amount in fen above which every commitment claim is sampled.  Each set is a new
 * version with a fresh random seed; the newest of the most specific scope at submission draws.
 * Audited. */
struct sampling_set {
    struct db_sampling_setting s;
    char *after;
};

static enum db_rc sampling_body(struct db_conn *c, void *cls)
{
    struct sampling_set *x = cls;
    char *before = NULL, id[160];
    free(x->after);
    enum db_rc rc = db_sampling_setting_set(c, &x->s, &x->after, &before);
    snprintf(id, sizeof id, "%s/%s", x->s.policy, x->s.region ? x->s.region : "*");
    if (rc == DB_OK)
        rc = ctl_audit(c, "sampling_setting.set", "sampling_setting", id, before, x->after);
    free(before);
    return rc;
}

int cmd_sampling_set(const struct ctl *g, int argc, char **argv)
{
    struct sampling_set x = {.s = {.percent_bp = -1, .above_fen = -1}};
    static const struct option opts[] = {
        {"policy", required_argument, NULL, 'p'},     {"region", required_argument, NULL, 'r'},
        {"percent-bp", required_argument, NULL, 'b'}, {"above-fen", required_argument, NULL, 'f'},
        {"note", required_argument, NULL, 'n'},       {0}};
    int opt;
    bool bad = false;
    optind = 1;
    struct ctl_setting_scope scope = {0};
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        char *end = NULL;
        if (ctl_scope_option(opt, &scope))
            continue;
        switch (opt) {
        case 'b':
            x.s.percent_bp = (int)strtol(optarg, &end, 10);
            bad |= !*optarg || *end || x.s.percent_bp < 0 || x.s.percent_bp > 10000;
            break;
        case 'f':
            x.s.above_fen = strtoll(optarg, &end, 10);
            bad |= !*optarg || *end || x.s.above_fen < 0 || x.s.above_fen > 100000000000LL;
            break;
        default:
            ctl_usage(stderr);
            return 2;
        }
    }
    x.s.policy = scope.policy;
    x.s.region = scope.region;
    x.s.note = scope.note;
    if (optind != argc || bad || x.s.percent_bp < 0 || x.s.above_fen < 0 ||
        !ctl_scope_valid(&scope)) {
        fprintf(stderr, "subsidyctl: sampling set needs --policy ID, --percent-bp 0-10000 and "
                        "--above-fen 0-100000000000 (--region CODE, --note at most 200 bytes)\n");
        return 2;
    }
    return ctl_setting_write(g, sampling_body, &x, &x.after, "sampling setting");
}

int ctl_settings_list(const struct ctl *g, int argc, char **argv, const char *what,
                      enum db_rc (*list)(struct db_conn *, const char *, char **))
{
    const char *policy = NULL;
    if (argc == 3 && strcmp(argv[1], "--policy") == 0)
        policy = argv[2];
    else if (argc != 1) {
        fprintf(stderr, "subsidyctl: %s list takes --policy ID only\n", what);
        return 2;
    }
    struct db_conn *db = ctl_worker_conn(g->conninfo);
    char *json = NULL;
    enum db_rc rc = list(db, policy, &json);
    if (rc == DB_OK)
        printf("%s\n", json);
    else
        fprintf(stderr, "subsidyctl: no list (database error %d)\n", (int)rc);
    free(json);
    return rc == DB_OK ? 0 : 1;
}

/* subsidyctl sampling list: every setting, newest first in each scope, with its seed (anyone
 * holding it can reproduce a claim's draw) and whether it is the one in force. */
int cmd_sampling_list(const struct ctl *g, int argc, char **argv)
{
    return ctl_settings_list(g, argc, argv, "sampling", db_sampling_settings);
}
