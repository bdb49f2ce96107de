/* subsidyctl keygen, token create and token revoke: tokens without HTTP.  As POST /v1/tokens and
 * DELETE /v1/tokens/{id}, the token and its audit row commit together (actor 0: the CLI). */
#include <getopt.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "claim_json.h"
#include "ctl.h"
#include "ops.h"
#include "pii.h"

int cmd_keygen(const struct ctl *g, int argc, char **argv)
{
    (void)g, (void)argc, (void)argv;
    uint8_t key[SD_TOKEN_KEY_LEN];
    char hex[2 * SD_TOKEN_KEY_LEN + 1];
    randombytes_buf(key, sizeof key);
    sd_hex(key, sizeof key, hex);
    printf("%s\n", hex);
    sodium_memzero(key, sizeof key);
    sodium_memzero(hex, sizeof hex);
    return 0;
}

struct issue {
    struct db_token_new t;
    long long id;
    char expires[32];
};

/* "330902,330903" as a JSON array of strings. */
static json_t *regions_json(const char *csv)
{
    json_t *a = json_array();
    for (const char *s = csv; a && *s;) {
        size_t n = strcspn(s, ",");
        json_array_append_new(a, json_stringn(s, n));
        s += n + (s[n] == ',');
    }
    return a;
}

static enum db_rc issue(struct db_conn *c, void *cls)
{
    struct issue *x = cls;
    enum db_rc rc = db_token_insert(c, &x->t, &x->id, x->expires);
    if (rc != DB_OK)
        return rc;
    /* what POST /v1/tokens keeps: the token without its secret */
    json_t *shown = json_pack(
        "{s:I, s:s, s:s?, s:o, s:s, s:s}", "id", (json_int_t)x->id, "role", sd_role_name(x->t.role),
        "subject", x->t.subject_masked ? x->t.subject_masked : x->t.subject, "regions",
        regions_json(x->t.regions_csv), "label", x->t.label, "expires_at", x->expires);
    char *after = shown ? json_dumps(shown, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(shown);
    char id[24];
    snprintf(id, sizeof id, "%lld", x->id);
    rc = after ? ctl_audit(c, "token.create", "token", id, NULL, after) : DB_HARD;
    free(after);
    return rc;
}

int cmd_token_create(const struct ctl *g, int argc, char **argv)
{
    struct issue x = {.t = {.regions_csv = "", .label = "", .ttl_days = 90}};
    struct db_token_new *t = &x.t;
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
            t->subject = optarg;
            break;
        case 'g':
            t->regions_csv = optarg;
            break;
        case 'l':
            t->label = optarg;
            break;
        case 'd':
            t->ttl_days = atoi(optarg);
            break;
        case 'n':
            if_no_admin = true;
            break;
        default:
            ctl_usage(stderr);
            return 2;
        }
    }
    if (!role || !sd_role_parse(role, &t->role) || t->ttl_days < 1 || t->ttl_days > 3650) {
        fprintf(stderr, "subsidyctl: token create needs --role (applicant, enterprise, "
                        "institution, approver, admin, finance) and --days from 1 to 3650\n");
        return 2;
    }
    char id_number[SR_ID_LEN + 1], hashed[SD_SUBJECT_LEN + 1], masked[19];
    if (t->role == SD_ROLE_APPLICANT && t->subject) {
        /* as POST /v1/tokens: the person's ID number, kept as its keyed hash, shown masked */
        struct sd_pii_keys pii;
        sd_pii_keys_derive(g->key, &pii);
        sd_pii_subject(&pii, t->subject, id_number, hashed, masked);
        sodium_memzero(&pii, sizeof pii);
        if (strlen(t->subject) != SR_ID_LEN ||
            sr_resident_id_check(id_number, cj_today(), NULL) != SR_ID_OK) {
            fprintf(stderr, "subsidyctl: an applicant's --subject is the person's resident ID "
                            "number\n");
            return 2;
        }
        t->subject = hashed;
        t->subject_masked = masked;
    }
    struct db_conn *db = ctl_worker_conn(g->conninfo);
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
    sd_token_new(g->key, secret, hash);
    t->hash = hash;
    if (db_txn(db, issue, &x) != DB_OK) {
        fprintf(stderr, "subsidyctl: token not created (check role, subject and regions)\n");
        return 1;
    }
    printf("%s\n", secret);
    fprintf(stderr, "token %lld (%s) created, expires %s; the secret above is shown only once\n",
            x.id, role, x.expires);
    sodium_memzero(secret, sizeof secret);
    return 0;
}

static enum db_rc revoke(struct db_conn *c, void *cls)
{
    long long id = *(const long long *)cls;
    bool newly = false;
    char at[32];
    enum db_rc rc = db_token_revoke(c, id, &newly, at);
    if (rc != DB_OK || !newly) /* revoking again writes nothing */
        return rc;
    json_t *after = json_pack("{s:s}", "revoked_at", at);
    char *text = after ? json_dumps(after, JSON_COMPACT) : NULL;
    json_decref(after);
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", id);
    rc = text ? ctl_audit(c, "token.revoke", "token", ids, "{\"revoked_at\":null}", text) : DB_HARD;
    free(text);
    return rc;
}

int cmd_token_revoke(const struct ctl *g, int argc, char **argv)
{
    (void)argc;
    struct db_conn *db = ctl_worker_conn(g->conninfo);
    long long id = atoll(argv[1]);
    enum db_rc rc = db_txn(db, revoke, &id);
    if (rc == DB_NOT_FOUND)
        fprintf(stderr, "subsidyctl: no token %s\n", argv[1]);
    return rc == DB_OK ? 0 : 1;
}
