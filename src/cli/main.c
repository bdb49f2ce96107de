/* subsidyctl: the operator's tool.  Migrations, the hashing key, tokens without HTTP, the
 * reference data, and offline rule evaluation.  One table below names every command; each
 * group of commands has its own cmd_*.c file. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

struct command {
    const char *name, *sub; /* "catalog" "import"; sub NULL for a one-word command */
    int args;               /* words it needs after its name (more may follow) */
    bool needs_key;         /* loads the token hashing key first */
    ctl_handler run;
    const char *usage, *help; /* the line of --help */
};

static const struct command commands[] = {
    {"migrate", NULL, 0, false, cmd_migrate, "migrate",
     "apply missing migrations (as the schema owner)"},
    {"schema-check", NULL, 0, false, cmd_schema_check, "schema-check",
     "exit 0 when the schema matches this build"},
    {"keygen", NULL, 0, false, cmd_keygen, "keygen",
     "print a new random token hashing key (64 hex)"},
    {"token", "create", 0, true, cmd_token_create, "token create --role ROLE [T]",
     "issue a token; its secret is printed once"},
    {"token", "revoke", 1, false, cmd_token_revoke, "token revoke ID", "revoke a token now"},
    {"audit", "verify", 0, false, cmd_audit_verify, "audit verify",
     "recompute the audit chains (as the schema owner)"},
    {"catalog", "import", 0, false, cmd_catalog_import, "catalog import C FILE.csv",
     "publish a catalog version from a CSV file"},
    {"catalog", "list", 0, false, cmd_catalog_list, "catalog list [--policy P]",
     "list published catalog versions"},
    {"plans", "load", 1, false, cmd_plans_load, "plans load DIR",
     "load the annex plan tables (DIR/*.csv), audited"},
    {"policies", NULL, 0, false, cmd_policies, "policies",
     "list the policies: id, version, region, dates"},
    {"occupations", "load", 0, false, cmd_occupations_load,
     "occupations load [--source S] [--if-empty] FILE.csv",
     "load the reference list of occupations (code, name)"},
    {"employment", "import", 0, true, cmd_employment_import,
     "employment import --source S FILE.csv",
     "import employment records (参保记录); needs the key"},
    {"certificates", "load", 0, true, cmd_certificates_load,
     "certificates load [--source S] FILE.csv",
     "load certificate records (证书记录); needs the key"},
    {"class-lead", "set", 0, false, cmd_class_lead_set,
     "class-lead set [--policy P] [--region R] --days N",
     "working days before its start a class must be filed"},
    {"class-online-ratio", "set", 0, false, cmd_class_online_ratio_set,
     "class-online-ratio set --policy P --percent N",
     "percent of online study hours a policy counts"},
    {"review-days", "set", 0, false, cmd_review_days_set,
     "review-days set --policy P [--region R] [--kind claim|class_filing] --days N",
     "working days a review has (承诺时限)"},
    {"sampling", "set", 0, false, cmd_sampling_set,
     "sampling set --policy P [--region R] --percent-bp N --above-fen M",
     "the sample of 告知承诺 claims: a new version, a new seed"},
    {"sampling", "list", 0, false, cmd_sampling_list, "sampling list [--policy P]",
     "the sampling settings, the one in force of each scope marked"},
    {"region-supervisor", "set", 0, false, cmd_region_supervisor_set,
     "region-supervisor set --region R --account ID",
     "the account overdue items of a region are escalated to"},
    {"notice", "set", 0, false, cmd_notice_set,
     "notice set --policy P [--region R] --days N --mode per_claim|monthly",
     "the public notice (结果公示) of approved claims: working days and mode, audited"},
    {"notice", "list", 0, false, cmd_notice_list, "notice list [--policy P]",
     "the notice settings, the one in force of each scope marked"},
    {"notice", "publish", 0, false, cmd_notice_publish,
     "notice publish --region R --period YYYY-MM [--days N] [--today D]",
     "publish a region's monthly notice list (once per region and period)"},
    {"notice", "close", 0, false, cmd_notice_close, "notice close [--today YYYY-MM-DD]",
     "make the claims whose notice ended, unobjected, payable"},
    {"review", "escalate", 0, false, cmd_review_escalate,
     "review escalate [--after-days N] [--today YYYY-MM-DD]",
     "escalate the overdue items to their supervisors now (daily)"},
    {"webhook", "add", 0, true, cmd_webhook_add,
     "webhook add --url URL --secret-file F [--events a,b]",
     "post notifications to URL, signed with F's secret; audited"},
    {"webhook", "list", 0, false, cmd_webhook_list, "webhook list",
     "the webhooks (never their secrets)"},
    {"webhook", "disable", 1, false, cmd_webhook_disable, "webhook disable ID",
     "stop posting to a webhook; audited"},
    {"outbox", "list", 0, false, cmd_outbox_list, "outbox list [--state S] [--limit N]",
     "notifications, newest first (S: pending, delivered, dead)"},
    {"outbox", "retry", 1, false, cmd_outbox_retry, "outbox retry ID",
     "post a dead notification again; audited"},
    {"funding", "set", 0, false, cmd_funding_set,
     "funding set --region R --line CODE --name N --payee-kind K --year Y --budget-fen F",
     "a funding line's yearly budget: a new version, audited"},
    {"funding", "list", 0, false, cmd_funding_list, "funding list --region R[,R] [--year Y]",
     "the funding lines with budget, committed and remaining"},
    {"evaluate", NULL, 0, false, cmd_evaluate, "evaluate [FILE|-]",
     "judge a claim as POST /v1/precheck (exit 0 yes, 1 no)"},
};

#define NCOMMANDS   (sizeof commands / sizeof commands[0])
#define HELP_COLUMN 30 /* a longer usage has its help on the next line */

void ctl_usage(FILE *out)
{
    fprintf(out,
            "Usage: subsidyctl [OPTIONS] COMMAND [ARGS]\n\n"
            "Options (before the command):\n"
            "  --db CONNINFO          libpq connection string ($SUBSIDYD_DB, else dbname=subsidy)\n"
            "  --token-key-file FILE  token hashing key ($SUBSIDYD_TOKEN_KEY_FILE; "
            "$SUBSIDYD_TOKEN_KEY\n"
            "                         holds the key itself and wins)\n"
            "  --policies DIR         policy files ($SUBSIDYD_POLICIES, else " SD_POLICY_DIR ")\n"
            "  --lang en              evaluate's messages in English (default Chinese)\n"
            "  --help                 show this and exit\n"
            "  --version              show the version and exit\n\n"
            "Commands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++) {
        const struct command *c = &commands[i];
        if (strlen(c->usage) > HELP_COLUMN)
            fprintf(out, "  %s\n  %-*s %s\n", c->usage, HELP_COLUMN, "", c->help);
        else
            fprintf(out, "  %-*s %s\n", HELP_COLUMN, c->usage, c->help);
    }
    fprintf(out,
            "\n"
            "T: [--subject S] [--regions A,B] [--label L] [--days N] [--if-no-admin]; an\n"
            "   applicant's subject is the person's resident ID number\n"
            "C: --policy P --year Y --effective-from YYYY-MM-DD --source S [--year-standard-fen "
            "N]\n");
}

/* The command that argv (from its first word) names, or NULL. */
static const struct command *find(int argc, char **argv)
{
    for (size_t i = 0; i < NCOMMANDS; i++) {
        const struct command *c = &commands[i];
        int words = c->sub ? 2 : 1;
        if (strcmp(argv[0], c->name) == 0 &&
            (!c->sub || (argc > 1 && strcmp(argv[1], c->sub) == 0)) && argc >= words + c->args)
            return c;
    }
    return NULL;
}

static int run(const struct command *c, struct ctl *g, const char *key_file, int argc, char **argv)
{
    int skip = c->sub ? 1 : 0; /* the handler's argv starts at the command's last word */
    if (!c->needs_key)
        return c->run(g, argc - skip, argv + skip);
    struct sd_token_key key;
    char err[256];
    if (!sd_token_key_load(&key, key_file, err, sizeof err)) {
        fprintf(stderr, "subsidyctl: %s\n", err);
        return 2;
    }
    g->key = &key;
    int rc = c->run(g, argc - skip, argv + skip);
    g->key = NULL;
    sodium_memzero(&key, sizeof key);
    return rc;
}

int main(int argc, char **argv)
{
    struct ctl g = {.conninfo = getenv("SUBSIDYD_DB"), .policies = getenv("SUBSIDYD_POLICIES")};
    const char *key_file = getenv("SUBSIDYD_TOKEN_KEY_FILE");
    if (!g.policies || !*g.policies)
        g.policies = SD_POLICY_DIR;
    if (!g.conninfo || !*g.conninfo)
        g.conninfo = "dbname=subsidy";
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
            g.conninfo = argv[++i];
        else if (strcmp(argv[i], "--token-key-file") == 0 && i + 1 < argc)
            key_file = argv[++i];
        else if (strcmp(argv[i], "--policies") == 0 && i + 1 < argc)
            g.policies = argv[++i];
        else if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
            g.lang_en = strcmp(argv[++i], "en") == 0;
        else if (strcmp(argv[i], "--version") == 0) {
            printf("subsidyctl %s\n", SD_VERSION);
            return 0;
        } else {
            ctl_usage(strcmp(argv[i], "--help") == 0 ? stdout : stderr);
            return strcmp(argv[i], "--help") == 0 ? 0 : 2;
        }
    }
    if (i >= argc) {
        ctl_usage(stderr);
        return 2;
    }
    if (sodium_init() < 0)
        return 1;
    const struct command *c = find(argc - i, argv + i);
    if (!c) {
        ctl_usage(stderr);
        return 2;
    }
    return run(c, &g, key_file, argc - i, argv + i);
}
