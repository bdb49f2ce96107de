/* subsidyctl: the operator's tool.  Migrations, the hashing key, and tokens without HTTP. */
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claim_json.h"
#include "db.h"
#include "ops.h"
#include "sd_migrations.h"
#include "token.h"

static void usage(FILE *out)
{
    fprintf(
        out,
        "Usage: subsidyctl [--db CONNINFO] COMMAND [ARGS]\n"
        "  --db CONNINFO     libpq connection string (default $SUBSIDYD_DB, else dbname=subsidy)\n"
        "  --token-key-file  hashing key file (default $SUBSIDYD_TOKEN_KEY_FILE;\n"
        "                    $SUBSIDYD_TOKEN_KEY wins)\n\n"
        "Commands:\n"
        "  migrate                apply missing migrations (run as the schema owner)\n"
        "  schema-check           exit 0 when the schema matches this build\n"
        "  keygen                 print a new random token hashing key (64 hex digits)\n"
        "  token create --role ROLE [--subject S] [--regions A,B] [--label L] [--days N]\n"
        "               [--if-no-admin]\n"
        "                         issue a token; the secret is printed once on stdout\n"
        "  token revoke ID        revoke a token now\n");
}

static PGconn *connect_or_die(const char *conninfo)
{
    const char *keys[] = {"dbname", "application_name", NULL};
    const char *vals[] = {conninfo, "subsidyctl", NULL};
    PGconn *pg = PQconnectdbParams(keys, vals, 1);
    if (PQstatus(pg) != CONNECTION_OK) {
        fprintf(stderr, "subsidyctl: cannot connect: %s", PQerrorMessage(pg));
        exit(1);
    }
    return pg;
}

static int cmd_migrate(const char *conninfo)
{
    PGconn *pg = connect_or_die(conninfo);
    char err[1024];
    bool ok = db_migrate(pg, stdout, err, sizeof err);
    if (ok)
        printf("schema at version %zu (%s)\n", sd_migrations_count,
               sd_migrations[sd_migrations_count - 1].name);
    else
        fprintf(stderr, "subsidyctl: %s\n", err);
    PQfinish(pg);
    return ok ? 0 : 1;
}

static int cmd_schema_check(const char *conninfo)
{
    PGconn *pg = connect_or_die(conninfo);
    char msg[512];
    int current;
    bool ok = db_schema_check(pg, &current, msg, sizeof msg);
    if (ok)
        printf("schema current at version %d\n", current);
    else
        fprintf(stderr, "subsidyctl: %s\n", msg);
    PQfinish(pg);
    return ok ? 0 : 1;
}

static int cmd_audit_verify(const char *conninfo)
{
    PGconn *pg = connect_or_die(conninfo);
    long long rows = 0;
    int broken = db_audit_verify(pg, stdout, &rows);
    PQfinish(pg);
    if (broken < 0)
        return 2;
    printf("%lld audit rows, %s\n", rows, broken ? "the chain is BROKEN" : "every chain intact");
    return broken ? 1 : 0;
}

static int cmd_keygen(void)
{
    uint8_t key[SD_TOKEN_KEY_LEN];
    char hex[2 * SD_TOKEN_KEY_LEN + 1];
    randombytes_buf(key, sizeof key);
    sd_hex(key, sizeof key, hex);
    printf("%s\n", hex);
    sodium_memzero(key, sizeof key);
    sodium_memzero(hex, sizeof hex);
    return 0;
}

static struct db_conn *worker_conn(const char *conninfo)
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

static int cmd_token_create(const char *conninfo, const struct sd_token_key *key, int argc,
                            char **argv)
{
    struct db_token_new t = {.regions_csv = "", .label = "", .ttl_days = 90};
    const char *role = NULL;
    bool if_no_admin = false;
    static const struct option opts[] = {
        {"role", required_argument, NULL, 'r'},
        {"subject", required_argument, NULL, 's'},
        {"regions", required_argument, NULL, 'g'},
        {"label", required_argument, NULL, 'l'},
        {"days", required_argument, NULL, 'd'},
        {"if-no-admin", no_argument, NULL, 'n'},
        {0},
    };
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (opt) {
        case 'r':
            role = optarg;
            break;
        case 's':
            t.subject = optarg;
            break;
        case 'g':
            t.regions_csv = optarg;
            break;
        case 'l':
            t.label = optarg;
            break;
        case 'd':
            t.ttl_days = atoi(optarg);
            break;
        case 'n':
            if_no_admin = true;
            break;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (!role || !sd_role_parse(role, &t.role) || t.ttl_days < 1 || t.ttl_days > 3650) {
        fprintf(stderr, "subsidyctl: token create needs --role (applicant, enterprise, "
                        "institution, approver, admin) and --days from 1 to 3650\n");
        return 2;
    }
    struct db_conn *db = worker_conn(conninfo);
    if (if_no_admin) {
        long long n = 0;
        if (db_token_count_admins(db, &n) != DB_OK)
            return 1;
        if (n > 0) {
            fprintf(stderr, "an admin token exists already; none created\n");
            return 0;
        }
    }
    char secret[SD_TOKEN_LEN + 1];
    uint8_t hash[SD_TOKEN_HASH_LEN];
    sd_token_new(key, secret, hash);
    t.hash = hash;
    long long id;
    char expires[32];
    enum db_rc rc = db_token_insert(db, &t, &id, expires);
    if (rc != DB_OK) {
        fprintf(stderr, "subsidyctl: token not created (check role, subject and regions)\n");
        return 1;
    }
    printf("%s\n", secret);
    fprintf(stderr, "token %lld (%s) created, expires %s; the secret above is shown only once\n",
            id, role, expires);
    sodium_memzero(secret, sizeof secret);
    return 0;
}

static int cmd_token_revoke(const char *conninfo, const char *idtext)
{
    struct db_conn *db = worker_conn(conninfo);
    enum db_rc rc = db_token_revoke(db, atoll(idtext));
    if (rc == DB_NOT_FOUND)
        fprintf(stderr, "subsidyctl: no token %s\n", idtext);
    return rc == DB_OK ? 0 : 1;
}

static struct sr_policy_set *load_policies(const char *dir)
{
    struct sr_policy_set *set = NULL;
    char err[8192];
    if (sr_policy_set_load_dir(dir, &set, err, sizeof err) != 0) {
        fprintf(stderr, "subsidyctl: policies in %s:\n%s\n", dir, err);
        exit(2);
    }
    return set;
}

static int cmd_policies(const char *dir)
{
    struct sr_policy_set *set = load_policies(dir);
    for (size_t i = 0; i < sr_policy_set_count(set); i++) {
        const struct sr_policy *p = sr_policy_set_at(set, i);
        char from[SR_DATE_STRLEN], to[SR_DATE_STRLEN];
        sr_day_format(sr_policy_effective_from(p), from);
        sr_day_format(sr_policy_effective_to(p), to);
        printf("%s v%d  region %d  %s .. %s  %s\n  source: %s\n", sr_policy_id(p),
               sr_policy_version(p), (int)sr_policy_region(p), from, to, sr_policy_title(p),
               sr_policy_source(p));
        for (size_t k = 0; k < sr_policy_reading_count(p); k++)
            printf("  reading: %s\n", sr_policy_reading(p, k));
    }
    sr_policy_set_free(set);
    return 0;
}

static int cmd_evaluate(const char *dir, const char *path, bool lang_en)
{
    FILE *f = path && strcmp(path, "-") != 0 ? fopen(path, "rb") : stdin;
    if (!f) {
        fprintf(stderr, "subsidyctl: cannot open %s\n", path);
        return 2;
    }
    json_error_t jerr;
    json_t *obj = json_loadf(f, JSON_REJECT_DUPLICATES, &jerr);
    if (f != stdin)
        fclose(f);
    if (!obj || !json_is_object(obj)) {
        fprintf(stderr, "subsidyctl: not a JSON object: %s (line %d)\n", obj ? "" : jerr.text,
                jerr.line);
        json_decref(obj);
        return 2;
    }
    struct sr_policy_set *set = load_policies(dir);
    struct jerrors errors = {.lang_en = lang_en};
    struct cj_request *req = malloc(sizeof *req);
    const struct sr_policy *policy = NULL;
    if (req && cj_parse(&errors, obj, cj_today(), req))
        policy = cj_policy(set, req, &errors);
    int rc = 2;
    json_t *out;
    if (policy) {
        struct sr_input in;
        struct sr_result result;
        cj_input(req, &in);
        sr_evaluate(policy, &in, &result);
        out = cj_result(&result);
        rc = result.eligible ? 0 : 1;
    } else {
        out = json_pack("{s:O}", "errors", errors.list ? errors.list : json_array());
    }
    json_dumpf(out, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    putchar('\n');
    json_decref(out);
    jerr_clear(&errors);
    free(req);
    json_decref(obj);
    sr_policy_set_free(set);
    return rc;
}

int main(int argc, char **argv)
{
    const char *conninfo = getenv("SUBSIDYD_DB");
    const char *key_file = getenv("SUBSIDYD_TOKEN_KEY_FILE");
    const char *policies = getenv("SUBSIDYD_POLICIES");
    bool lang_en = false;
    if (!policies || !*policies)
        policies = SD_POLICY_DIR;
    if (!conninfo || !*conninfo)
        conninfo = "dbname=subsidy";
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
            conninfo = argv[++i];
        else if (strcmp(argv[i], "--token-key-file") == 0 && i + 1 < argc)
            key_file = argv[++i];
        else if (strcmp(argv[i], "--policies") == 0 && i + 1 < argc)
            policies = argv[++i];
        else if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
            lang_en = strcmp(argv[++i], "en") == 0;
        else {
            usage(strcmp(argv[i], "--help") == 0 ? stdout : stderr);
            return strcmp(argv[i], "--help") == 0 ? 0 : 2;
        }
    }
    if (i >= argc) {
        usage(stderr);
        return 2;
    }
    if (sodium_init() < 0)
        return 1;
    const char *cmd = argv[i];
    if (strcmp(cmd, "migrate") == 0)
        return cmd_migrate(conninfo);
    if (strcmp(cmd, "schema-check") == 0)
        return cmd_schema_check(conninfo);
    if (strcmp(cmd, "keygen") == 0)
        return cmd_keygen();
    if (strcmp(cmd, "audit") == 0 && i + 1 < argc && strcmp(argv[i + 1], "verify") == 0)
        return cmd_audit_verify(conninfo);
    if (strcmp(cmd, "policies") == 0)
        return cmd_policies(policies);
    if (strcmp(cmd, "evaluate") == 0)
        return cmd_evaluate(policies, i + 1 < argc ? argv[i + 1] : NULL, lang_en);
    if (strcmp(cmd, "token") == 0 && i + 1 < argc) {
        struct sd_token_key key;
        char err[256];
        if (strcmp(argv[i + 1], "create") == 0) {
            if (!sd_token_key_load(&key, key_file, err, sizeof err)) {
                fprintf(stderr, "subsidyctl: %s\n", err);
                return 2;
            }
            return cmd_token_create(conninfo, &key, argc - i - 1, argv + i + 1);
        }
        if (strcmp(argv[i + 1], "revoke") == 0 && i + 2 < argc)
            return cmd_token_revoke(conninfo, argv[i + 2]);
    }
    usage(stderr);
    return 2;
}
