/* subsidyctl funding set | list: the funding lines (资金渠道) of a region with their yearly
 * budgets (sql/0037_payee_finance.sql), which disbursement batches will draw on and their
 * approval will check.  A set that changes a line makes a new version (funding_line_version)
 * and an audit row; one that changes nothing writes nothing. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "payee_db.h"

struct funding_set {
    struct db_funding_line_set s;
    char *after;
};

static enum db_rc funding_body(struct db_conn *c, void *cls)
{
    struct funding_set *x = cls;
    char *before = NULL, id[96];
    bool changed = false;
    free(x->after);
    x->after = NULL;
    enum db_rc rc = db_funding_line_set(c, &x->s, &before, &x->after, &changed);
    snprintf(id, sizeof id, "%s/%s/%d", x->s.region, x->s.code, x->s.year);
    if (rc == DB_OK && changed)
        rc = ctl_audit(c, "funding_line.set", "funding_line", id, before[0] ? before : NULL,
                       x->after);
    free(before);
    return rc;
}

static bool code_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 40)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-", s[i]))
            return false;
    return true;
}

int cmd_funding_set(const struct ctl *g, int argc, char **argv)
{
    struct funding_set x = {.s = {.budget_fen = -1}};
    static const struct option opts[] = {{"region", required_argument, NULL, 'r'},
                                         {"line", required_argument, NULL, 'l'},
                                         {"name", required_argument, NULL, 'n'},
                                         {"payee-kind", required_argument, NULL, 'p'},
                                         {"year", required_argument, NULL, 'y'},
                                         {"budget-fen", required_argument, NULL, 'b'},
                                         {0}};
    int opt;
    bool bad = false;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        char *end = NULL;
        switch (opt) {
        case 'r':
            x.s.region = optarg;
            break;
        case 'l':
            x.s.code = optarg;
            break;
        case 'n':
            x.s.name = optarg;
            break;
        case 'p':
            x.s.payee = optarg;
            break;
        case 'y':
            x.s.year = (int)strtol(optarg, &end, 10);
            bad |= !*optarg || *end;
            break;
        case 'b':
            x.s.budget_fen = strtoll(optarg, &end, 10);
            bad |= !*optarg || *end;
            break;
        default:
            ctl_usage(stderr);
            return 2;
        }
    }
    enum sr_payee payee;
    bad |= !x.s.region || !x.s.code || !code_ok(x.s.code) || !x.s.name || !*x.s.name ||
           strlen(x.s.name) > 300 || !x.s.payee || !sr_payee_parse(x.s.payee, &payee) ||
           payee == SR_PAYEE_NONE || x.s.year < 2000 || x.s.year > 2100 || x.s.budget_fen < 0 ||
           x.s.budget_fen > 100000000000000LL;
    if (optind != argc || bad) {
        fprintf(stderr, "subsidyctl: funding set needs --region CODE, --line CODE (1-40 of "
                        "A-Za-z0-9._-), --name N, --payee-kind person|institution|enterprise, "
                        "--year 2000-2100 and --budget-fen 0-100000000000000\n");
        return 2;
    }
    return ctl_setting_write(g, funding_body, &x, &x.after, "funding line");
}

int cmd_funding_list(const struct ctl *g, int argc, char **argv)
{
    const char *region = NULL;
    int year = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--region") == 0)
            region = argv[i + 1];
        else if (strcmp(argv[i], "--year") == 0)
            year = atoi(argv[i + 1]);
        else
            region = NULL, i = argc;
    }
    if (!region || argc % 2 == 0 || (year && (year < 2000 || year > 2100))) {
        fprintf(stderr, "subsidyctl: funding list takes --region CODE[,CODE] [--year YYYY]\n");
        return 2;
    }
    struct db_conn *db = ctl_worker_conn(g->conninfo);
    char *json = NULL;
    enum db_rc rc = db_funding_lines(db, region, year, &json);
    if (rc == DB_OK)
        printf("%s\n", json);
    else
        fprintf(stderr, "subsidyctl: no list (database error %d)\n", (int)rc);
    free(json);
    return rc == DB_OK ? 0 : 1;
}
