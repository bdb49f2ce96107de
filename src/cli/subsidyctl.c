/* subsidyctl: the operator's tool.  Migrations, the hashing key, and tokens without HTTP. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog_rows.h"
#include "occupation.h"
#include "claim_json.h"
#include "csv.h"
#include "db.h"
#include "employment_rows.h"
#include "ops.h"
#include "pii.h"
#include "sd_migrations.h"
#include "token.h"

static void usage(FILE *out)
{
    fprintf(
        out,
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
        "Commands:\n"
        "  migrate                        apply missing migrations (as the schema owner)\n"
        "  schema-check                   exit 0 when the schema matches this build\n"
        "  keygen                         print a new random token hashing key (64 hex)\n"
        "  token create --role ROLE [T]   issue a token; its secret is printed once\n"
        "  token revoke ID                revoke a token now\n"
        "  audit verify                   recompute the audit chains (as the schema owner)\n"
        "  catalog import C FILE.csv      publish a catalog version from a CSV file\n"
        "  catalog list [--policy P]      list published catalog versions\n"
        "  plans load DIR                 load the annex plan tables (DIR/*.csv), audited\n"
        "  policies                       list the policies: id, version, region, dates\n"
        "  occupations load [--source S] [--if-empty] FILE.csv\n"
        "                                 load the reference list of occupations (code, name)\n"
        "  employment import --source S FILE.csv\n"
        "                                 import employment records (参保记录); needs the key\n"
        "  evaluate [FILE|-]              judge a claim as POST /v1/precheck (exit 0 yes, 1 no)\n\n"
        "T: [--subject S] [--regions A,B] [--label L] [--days N] [--if-no-admin]; an\n"
        "   applicant's subject is the person's resident ID number\n"
        "C: --policy P --year Y --effective-from YYYY-MM-DD --source S [--year-standard-fen N]\n");
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
    char id_number[SR_ID_LEN + 1], hashed[SD_SUBJECT_LEN + 1], masked[19];
    if (t.role == SD_ROLE_APPLICANT && t.subject) {
        /* as POST /v1/tokens: the person's ID number, kept as its keyed hash, shown masked */
        struct sd_pii_keys pii;
        sd_pii_keys_derive(key, &pii);
        sd_pii_subject(&pii, t.subject, id_number, hashed, masked);
        sodium_memzero(&pii, sizeof pii);
        if (strlen(t.subject) != SR_ID_LEN ||
            sr_resident_id_check(id_number, cj_today(), NULL) != SR_ID_OK) {
            fprintf(stderr, "subsidyctl: an applicant's --subject is the person's resident ID "
                            "number\n");
            return 2;
        }
        t.subject = hashed;
        t.subject_masked = masked;
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
    bool newly;
    char at[32];
    enum db_rc rc = db_token_revoke(db, atoll(idtext), &newly, at);
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

/* Every problem of a file, one a line on stderr, and that nothing was done. */
static void print_problems(const struct jerrors *errors, const char *not_done)
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
    json_t *problems = NULL;
    json_t *out = cj_judge(set, &errors, obj, cj_today(), &problems);
    int rc = out ? (json_is_true(json_object_get(out, "eligible")) ? 0 : 1) : 2;
    if (!out) /* every bad field and whatever the rules find in the rest, at once */
        out = json_pack("{s:O, s:o}", "errors", errors.list ? errors.list : json_array(),
                        "problems", problems ? problems : json_array());
    json_dumpf(out, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    putchar('\n');
    json_decref(out);
    jerr_clear(&errors);
    json_decref(obj);
    sr_policy_set_free(set);
    return rc;
}

#define MAX_CSV (8 << 20)

/* A whole text file, NUL-terminated; NULL (with a message) when unreadable, too big, or not
 * UTF-8 text. */
static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = f ? malloc(MAX_CSV + 1) : NULL;
    size_t n = buf ? fread(buf, 1, MAX_CSV + 1, f) : 0;
    if (f)
        fclose(f);
    if (!buf || n > MAX_CSV || memchr(buf, '\0', n)) {
        fprintf(stderr, "subsidyctl: %s: unreadable, over %d bytes, or not text\n", path, MAX_CSV);
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

/* Every problem of e on stderr, one "field: message" a line. */
struct import {
    struct db_catalog_new n;
    long long id;
};

static enum db_rc import_body(struct db_conn *c, void *cls)
{
    struct import *x = cls;
    enum db_rc rc = db_catalog_publish(c, &x->n, &x->id);
    char *meta = NULL;
    if (rc == DB_OK)
        rc = db_catalog_get(c, x->id, &meta);
    if (rc == DB_OK) {
        char id[24];
        snprintf(id, sizeof id, "%lld", x->id);
        struct db_audit_row a = {.action = "catalog.publish",
                                 .object_kind = "catalog",
                                 .object_id = id,
                                 .after = meta,
                                 .request_id = "subsidyctl"};
        rc = db_audit(c, &a);
    }
    free(meta);
    return rc;
}

static int cmd_catalog_import(const char *conninfo, const char *policies, int argc, char **argv)
{
    struct import x = {.n = {.year = 0}};
    static const struct option opts[] = {
        {"policy", required_argument, NULL, 'p'},
        {"year", required_argument, NULL, 'y'},
        {"effective-from", required_argument, NULL, 'e'},
        {"source", required_argument, NULL, 's'},
        {"year-standard-fen", required_argument, NULL, 'f'},
        {0},
    };
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (opt) {
        case 'p':
            x.n.policy = optarg;
            break;
        case 'y':
            x.n.year = atoi(optarg);
            break;
        case 'e':
            x.n.effective_from = optarg;
            break;
        case 's':
            x.n.source = optarg;
            break;
        case 'f': {
            char *end = NULL;
            errno = 0;
            x.n.year_standard_fen = strtoll(optarg, &end, 10);
            x.n.has_year_standard = true;
            if (errno || end == optarg || *end || x.n.year_standard_fen < 0 ||
                x.n.year_standard_fen > CATALOG_MAX_FEN) {
                fprintf(stderr, "subsidyctl: --year-standard-fen is fen, 0-%lld\n",
                        CATALOG_MAX_FEN);
                return 2;
            }
            break;
        }
        default:
            usage(stderr);
            return 2;
        }
    }
    int32_t day;
    if (!x.n.policy || x.n.year < 2000 || x.n.year > 2100 || !x.n.effective_from ||
        !sr_day_parse(x.n.effective_from, &day) || !x.n.source || optind + 1 != argc) {
        fprintf(stderr, "subsidyctl: catalog import needs --policy, --year (2000-2100), "
                        "--effective-from YYYY-MM-DD, --source, optionally "
                        "--year-standard-fen, and one CSV file\n");
        return 2;
    }
    struct sr_policy_set *set = load_policies(policies);
    bool known = sr_policy_set_find(set, x.n.policy) != NULL;
    sr_policy_set_free(set);
    if (!known) {
        fprintf(stderr, "subsidyctl: no policy %s\n", x.n.policy);
        return 2;
    }
    char *text = read_text(argv[optind]);
    if (!text)
        return 2;
    struct jerrors errors = {.lang_en = true};
    json_t *rows = csv_rows(text, &errors, CATALOG_MAX_ENTRIES);
    free(text);
    catalog_rows_from_csv(rows);
    catalog_rows_check(&errors, rows);
    catalog_rows_require(&errors, rows, x.n.has_year_standard, "--year-standard-fen");
    struct db_conn *db = worker_conn(conninfo);
    enum db_rc dbrc = db_occupation_name_unknown(db, &errors, rows, "entries", "occupation");
    int rc = 0;
    if (dbrc != DB_OK) {
        fprintf(stderr, "subsidyctl: cannot read the occupations (database error %d)\n", (int)dbrc);
        rc = 1;
    } else if (jerr_count(&errors)) {
        print_problems(&errors, "published");
        rc = 1;
    } else {
        char *entries = json_dumps(rows, JSON_COMPACT);
        x.n.entries_json = entries;
        x.n.entry_count = (int)json_array_size(rows);
        dbrc = db_txn(db, import_body, &x);
        if (dbrc == DB_OK)
            printf("published %s %d as catalog %lld, %d entries\n", x.n.policy, x.n.year, x.id,
                   x.n.entry_count);
        else
            fprintf(stderr, "subsidyctl: not published (database error %d)\n", (int)dbrc);
        rc = dbrc == DB_OK ? 0 : 1;
        free(entries);
    }
    jerr_clear(&errors);
    json_decref(rows);
    return rc;
}

struct employment_import {
    const char *source, *rows_json;
    long records, added, updated;
};

static enum db_rc employment_import_body(struct db_conn *c, void *cls)
{
    struct employment_import *x = cls;
    enum db_rc rc = db_employment_import(c, x->rows_json, x->source, 0, &x->added, &x->updated);
    if (rc != DB_OK)
        return rc;
    json_t *counts = json_pack("{s:s, s:i, s:i, s:i, s:i}", "source", x->source, "records",
                               (int)x->records, "added", (int)x->added, "updated", (int)x->updated,
                               "unchanged", (int)(x->records - x->added - x->updated));
    char *after = counts ? json_dumps(counts, JSON_COMPACT) : NULL;
    json_decref(counts);
    struct db_audit_row a = {.action = "employment.import",
                             .object_kind = "employment_record",
                             .object_id = x->source,
                             .after = after,
                             .request_id = "subsidyctl"};
    rc = after ? db_audit(c, &a) : DB_HARD;
    free(after);
    return rc;
}

/* The same checks and statement as POST /v1/admin/employment-records, from a CSV file. */
static int cmd_employment_import(const char *conninfo, const struct sd_token_key *key, int argc,
                                 char **argv)
{
    struct employment_import x = {0};
    static const struct option opts[] = {{"source", required_argument, NULL, 's'}, {0}};
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (opt != 's') {
            usage(stderr);
            return 2;
        }
        x.source = optarg;
    }
    if (!x.source || !*x.source || strlen(x.source) > 200 || optind + 1 != argc) {
        fprintf(stderr, "subsidyctl: employment import needs --source (1-200 characters) and "
                        "one CSV file\n");
        return 2;
    }
    char *text = read_text(argv[optind]);
    if (!text)
        return 2;
    struct jerrors errors = {.lang_en = true};
    json_t *rows = csv_rows(text, &errors, EMPLOYMENT_MAX_RECORDS);
    free(text);
    employment_rows_from_csv(rows);
    employment_rows_check(&errors, rows);
    if (json_array_size(rows) == 0 && jerr_count(&errors) == 0)
        jerr_add(&errors, "records", SD_E_FIELD_LENGTH, NULL, "at least one record");
    int rc = 0;
    if (jerr_count(&errors)) {
        print_problems(&errors, "imported");
        rc = 1;
    } else {
        struct sd_pii_keys keys;
        sd_pii_keys_derive(key, &keys);
        json_t *hashed = employment_rows_hashed(&keys, rows);
        sodium_memzero(&keys, sizeof keys);
        char *rows_json = hashed ? json_dumps(hashed, JSON_COMPACT) : NULL;
        json_decref(hashed);
        x.rows_json = rows_json;
        x.records = (long)json_array_size(rows);
        struct db_conn *db = rows_json ? worker_conn(conninfo) : NULL;
        enum db_rc dbrc = db ? db_txn(db, employment_import_body, &x) : DB_HARD;
        if (dbrc == DB_OK)
            printf("imported %ld employment records from %s: %ld added, %ld updated\n", x.records,
                   x.source, x.added, x.updated);
        else
            fprintf(stderr, "subsidyctl: not imported (database error %d)\n", (int)dbrc);
        rc = dbrc == DB_OK ? 0 : 1;
        free(rows_json);
    }
    jerr_clear(&errors);
    json_decref(rows);
    return rc;
}

static int cmd_catalog_list(const char *conninfo, int argc, char **argv)
{
    struct db_catalog_filter f = {.limit = 1000};
    if (argc == 3 && strcmp(argv[1], "--policy") == 0)
        f.policy = argv[2];
    struct db_conn *db = worker_conn(conninfo);
    struct db_page page;
    if (db_catalog_list(db, &f, &page) != DB_OK)
        return 1;
    size_t i;
    json_t *c;
    json_array_foreach(page.items, i, c)
    {
        printf("%lld  %s %lld v%lld  from %s  %lld entries  %s\n",
               (long long)json_integer_value(json_object_get(c, "id")),
               json_string_value(json_object_get(c, "policy")),
               (long long)json_integer_value(json_object_get(c, "year")),
               (long long)json_integer_value(json_object_get(c, "version")),
               json_string_value(json_object_get(c, "effective_from")),
               (long long)json_integer_value(json_object_get(c, "entry_count")),
               json_string_value(json_object_get(c, "source")));
    }
    db_page_free(&page);
    return 0;
}

static bool digits(const char *s)
{
    return *s && strspn(s, "0123456789") == strlen(s);
}
static const struct jformat digits_format = {.ok = digits, .zh = "数字", .en = "digits"};

static const char *const dimensions[] = {"district", "department", NULL};

/* Check one annex file's rows: the policy column names the file's policy, the rest in range. */
static bool plan_rows_check(struct jerrors *e, const json_t *rows, const char *policy)
{
    size_t before = jerr_count(e), i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        char prefix[32];
        snprintf(prefix, sizeof prefix, "rows[%zu]", i);
        const char *pol = NULL, *dim = NULL, *region = NULL;
        const struct jfield spec[] = {
            {.name = "policy",
             .kind = JF_STRING,
             .required = true,
             .min = 1,
             .max = 63,
             .out = &pol},
            {.name = "annex", .kind = JF_STRING, .required = true, .min = 1, .max = 32},
            {.name = "dimension",
             .kind = JF_STRING,
             .required = true,
             .min = 1,
             .max = 16,
             .one_of = dimensions,
             .out = &dim},
            {.name = "unit_name", .kind = JF_STRING, .required = true, .min = 1, .max = 100},
            {.name = "region_code",
             .kind = JF_STRING,
             .required = true,
             .min = 0,
             .max = 12,
             .out = &region},
            {.name = "year",
             .kind = JF_STRING,
             .required = true,
             .min = 4,
             .max = 4,
             .format = &digits_format},
            {.name = "measure", .kind = JF_STRING, .required = true, .min = 1, .max = 32},
            {.name = "target",
             .kind = JF_STRING,
             .required = true,
             .min = 1,
             .max = 12,
             .format = &digits_format},
            {.name = "note", .kind = JF_STRING, .required = true, .min = 0, .max = 500},
        };
        jspec_object(e, prefix, row, spec, sizeof spec / sizeof spec[0]);
        char field[48];
        if (pol && strcmp(pol, policy) != 0) {
            snprintf(field, sizeof field, "%s.policy", prefix);
            jerr_add(e, field, SD_E_FIELD_CONFLICT, NULL, "is not the file's policy");
        }
        if (dim && region && (strcmp(dim, "district") == 0) != (region[0] != '\0')) {
            snprintf(field, sizeof field, "%s.region_code", prefix);
            jerr_add(e, field, SD_E_FIELD_CONFLICT, NULL,
                     "district rows have a region code, department rows none");
        }
    }
    return jerr_count(e) == before;
}

struct plan_load {
    const char *policy, *file;
    char *rows;
};

static enum db_rc plan_load_body(struct db_conn *c, void *cls)
{
    struct plan_load *x = cls;
    enum db_rc rc = db_plan_replace(c, x->policy, x->rows, x->file);
    if (rc == DB_OK) {
        json_t *after = json_pack("{s:s, s:s}", "policy", x->policy, "file", x->file);
        char *text = json_dumps(after, JSON_COMPACT);
        struct db_audit_row a = {.action = "plan.load",
                                 .object_kind = "plan",
                                 .object_id = x->policy,
                                 .after = text,
                                 .request_id = "subsidyctl"};
        rc = db_audit(c, &a);
        free(text);
        json_decref(after);
    }
    return rc;
}

static int cmd_plans_load(const char *conninfo, const char *policies, const char *dir)
{
    struct sr_policy_set *set = load_policies(policies);
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "subsidyctl: cannot open %s\n", dir);
        sr_policy_set_free(set);
        return 2;
    }
    struct db_conn *db = worker_conn(conninfo);
    int failures = 0;
    struct dirent *ent;
    while ((ent = readdir(d))) {
        size_t n = strlen(ent->d_name);
        if (n < 5 || strcmp(ent->d_name + n - 4, ".csv") != 0)
            continue;
        char policy[64], path[1024];
        snprintf(policy, sizeof policy, "%.*s", (int)(n - 4), ent->d_name);
        snprintf(path, sizeof path, "%s/%s", dir, ent->d_name);
        if (!sr_policy_set_find(set, policy)) {
            fprintf(stderr, "%s: no policy %s\n", path, policy);
            failures++;
            continue;
        }
        char *text = read_text(path);
        struct jerrors errors = {.lang_en = true};
        json_t *rows = text ? csv_rows(text, &errors, 100000) : json_array();
        free(text);
        if (!plan_rows_check(&errors, rows, policy) || jerr_count(&errors)) {
            size_t i;
            json_t *e;
            json_array_foreach(errors.list, i, e)
            {
                fprintf(stderr, "%s: %s: %s\n", path,
                        json_string_value(json_object_get(e, "field")),
                        json_string_value(json_object_get(e, "message")));
            }
            failures++;
        } else {
            struct plan_load x = {policy, ent->d_name, json_dumps(rows, JSON_COMPACT)};
            enum db_rc rc = db_txn(db, plan_load_body, &x);
            if (rc == DB_OK)
                printf("%s: %zu plan rows loaded\n", policy, json_array_size(rows));
            else
                fprintf(stderr, "%s: not loaded (database error %d; unknown region code?)\n", path,
                        (int)rc),
                    failures++;
            free(x.rows);
        }
        jerr_clear(&errors);
        json_decref(rows);
    }
    closedir(d);
    sr_policy_set_free(set);
    return failures ? 1 : 0;
}

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
        struct db_audit_row a = {.action = "occupation.import",
                                 .object_kind = "occupation",
                                 .object_id = "list",
                                 .after = text,
                                 .request_id = "subsidyctl"};
        rc = text ? db_audit(c, &a) : DB_HARD;
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
static int cmd_occupations_load(const char *conninfo, int argc, char **argv)
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
            usage(stderr);
            return 2;
        }
    }
    if (optind + 1 != argc) {
        fprintf(stderr, "subsidyctl: occupations load [--source S] [--if-empty] FILE.csv\n");
        return 2;
    }
    if (if_empty && occupations_listed(worker_conn(conninfo))) {
        printf("occupations already listed; %s not loaded\n", argv[optind]);
        return 0;
    }
    const char *path = argv[optind];
    if (!source) {
        const char *slash = strrchr(path, '/');
        source = slash ? slash + 1 : path;
    }
    char *text = read_text(path);
    if (!text)
        return 2;
    struct jerrors errors = {.lang_en = true};
    json_t *rows = csv_rows(text, &errors, 100000);
    free(text);
    occupation_rows_check(&errors, "occupations", rows);
    if (json_array_size(rows) == 0 && !jerr_count(&errors))
        jerr_add(&errors, "occupations", SD_E_FIELD_LENGTH, NULL, "at least one row");
    int rc = 0;
    if (jerr_count(&errors)) {
        fprintf(stderr, "subsidyctl: %s:\n", path);
        print_problems(&errors, "loaded");
        rc = 1;
    } else {
        struct occupation_load x = {.source = source, .rows = json_dumps(rows, JSON_COMPACT)};
        enum db_rc dbrc =
            x.rows ? db_txn(worker_conn(conninfo), occupation_load_body, &x) : DB_HARD;
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
        else if (strcmp(argv[i], "--version") == 0) {
            printf("subsidyctl %s\n", SD_VERSION);
            return 0;
        } else {
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
    if (strcmp(cmd, "catalog") == 0 && i + 1 < argc && strcmp(argv[i + 1], "import") == 0)
        return cmd_catalog_import(conninfo, policies, argc - i - 1, argv + i + 1);
    if (strcmp(cmd, "catalog") == 0 && i + 1 < argc && strcmp(argv[i + 1], "list") == 0)
        return cmd_catalog_list(conninfo, argc - i - 1, argv + i + 1);
    if (strcmp(cmd, "occupations") == 0 && i + 1 < argc && strcmp(argv[i + 1], "load") == 0)
        return cmd_occupations_load(conninfo, argc - i - 1, argv + i + 1);
    if (strcmp(cmd, "plans") == 0 && i + 2 < argc && strcmp(argv[i + 1], "load") == 0)
        return cmd_plans_load(conninfo, policies, argv[i + 2]);
    if (strcmp(cmd, "audit") == 0 && i + 1 < argc && strcmp(argv[i + 1], "verify") == 0)
        return cmd_audit_verify(conninfo);
    if (strcmp(cmd, "policies") == 0)
        return cmd_policies(policies);
    if (strcmp(cmd, "evaluate") == 0)
        return cmd_evaluate(policies, i + 1 < argc ? argv[i + 1] : NULL, lang_en);
    if (strcmp(cmd, "employment") == 0 && i + 1 < argc && strcmp(argv[i + 1], "import") == 0) {
        struct sd_token_key key;
        char err[256];
        if (!sd_token_key_load(&key, key_file, err, sizeof err)) {
            fprintf(stderr, "subsidyctl: %s\n", err);
            return 2;
        }
        int rc = cmd_employment_import(conninfo, &key, argc - i - 1, argv + i + 1);
        sodium_memzero(&key, sizeof key);
        return rc;
    }
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
