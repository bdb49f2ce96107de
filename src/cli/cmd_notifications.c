/* subsidyctl webhook add|list|disable and outbox list|retry: the webhooks the daemon posts
 * notifications to, and the dead letters of the notification outbox (sql/0035).  Every change is
 * audited; a webhook's secret is read from a file (never from the command line, where ps shows
 * it), sealed with the service key before it reaches the database, and never printed. */
#include <getopt.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "notification_db.h"
#include "pii.h"

#define WEBHOOKS_MAX    16 /* enabled webhooks: a row's lease counts one post per webhook */
#define SECRET_MIN      16 /* bytes of a webhook's secret */
#define EVENTS_MAX      16 /* kinds one webhook may name */
#define OUTBOX_LIST_MAX 1000

/* The kinds of sql/0035's CHECK, in its order. */
static const char *const kinds[] = {"claim.returned",         "claim.approved", "claim.rejected",
                                    "claim.in_notice",        "claim.objected", "claim.payable",
                                    "claim.false_commitment", "claim.clawback", "claim.paid",
                                    "class.accepted",         "class.rejected"};

static bool known_kind(const char *k, size_t n)
{
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strlen(kinds[i]) == n && strncmp(kinds[i], k, n) == 0)
            return true;
    return false;
}

/* --events a,b as a PostgreSQL array literal {a,b} into out; false when a kind is unknown. */
static bool events_array(const char *csv, char *out, size_t len)
{
    size_t used = 0, count = 0;
    out[used++] = '{';
    for (const char *p = csv;; p++) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (!known_kind(p, n) || ++count > EVENTS_MAX || used + n + 2 >= len)
            return false;
        if (count > 1)
            out[used++] = ',';
        memcpy(out + used, p, n);
        used += n;
        if (!end)
            break;
        p = end;
    }
    out[used++] = '}';
    out[used] = '\0';
    return true;
}

/* The secret: the file's text without its final line break; false (with the reason) when it is
 * unreadable, shorter than SECRET_MIN or longer than sealing takes, or not printable ASCII. */
static bool read_secret(const char *path, char *out, size_t len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "subsidyctl: cannot read the secret file %s\n", path);
        return false;
    }
    size_t n = fread(out, 1, len - 1, f);
    bool more = fgetc(f) != EOF;
    fclose(f);
    while (n && (out[n - 1] == '\n' || out[n - 1] == '\r'))
        n--;
    out[n] = '\0';
    bool ok = !more && n >= SECRET_MIN && n <= SD_PII_PLAIN_MAX;
    for (size_t i = 0; ok && i < n; i++)
        ok = out[i] > ' ' && out[i] < 127;
    if (!ok)
        fprintf(stderr, "subsidyctl: a webhook secret is %d to %d printable ASCII characters\n",
                SECRET_MIN, SD_PII_PLAIN_MAX);
    return ok;
}

/* Run body(cls) in one transaction: print *after and exit 0; else say why on stderr (what is
 * not found, or the database's error) and exit 1.  Frees *after. */
static int write_change(const struct ctl *g, enum db_rc (*body)(struct db_conn *, void *),
                        void *cls, char **after, const char *not_found)
{
    struct db_conn *db = ctl_worker_conn(g->conninfo);
    enum db_rc rc = db_txn(db, body, cls);
    if (rc == DB_OK)
        printf("%s\n", *after);
    else if (rc == DB_NOT_FOUND)
        fprintf(stderr, "subsidyctl: %s\n", not_found);
    else if (rc != DB_ABORT) /* an abort has said why */
        fprintf(stderr, "subsidyctl: nothing changed (database error %d)\n", (int)rc);
    free(*after);
    *after = NULL;
    return rc == DB_OK ? 0 : 1;
}

struct webhook_add {
    const char *url, *sealed, *events;
    char *after;
};

static enum db_rc webhook_add_body(struct db_conn *c, void *cls)
{
    struct webhook_add *x = cls;
    char *list = NULL;
    free(x->after);
    x->after = NULL;
    enum db_rc rc = db_webhook_list(c, &list);
    json_t *all = rc == DB_OK ? json_loads(list, 0, NULL) : NULL;
    size_t enabled = 0, i;
    json_t *w;
    json_array_foreach(all, i, w) enabled += json_is_true(json_object_get(w, "enabled"));
    json_decref(all);
    free(list);
    if (rc != DB_OK)
        return rc;
    if (enabled >= WEBHOOKS_MAX) {
        fprintf(stderr, "subsidyctl: at most %d webhooks are enabled at once\n", WEBHOOKS_MAX);
        return DB_ABORT;
    }
    rc = db_webhook_add(c, x->url, x->sealed, x->events, &x->after);
    json_t *row = rc == DB_OK ? json_loads(x->after, 0, NULL) : NULL;
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(row, "id")));
    json_decref(row);
    return rc == DB_OK ? ctl_audit(c, "webhook.add", "webhook", id, NULL, x->after) : rc;
}

int cmd_webhook_add(const struct ctl *g, int argc, char **argv)
{
    static const struct option opts[] = {{"url", required_argument, NULL, 'u'},
                                         {"secret-file", required_argument, NULL, 's'},
                                         {"events", required_argument, NULL, 'e'},
                                         {0}};
    const char *url = NULL, *secret_file = NULL, *events = NULL;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (opt == 'u')
            url = optarg;
        else if (opt == 's')
            secret_file = optarg;
        else if (opt == 'e')
            events = optarg;
        else {
            ctl_usage(stderr);
            return 2;
        }
    }
    char array[512] = "";
    bool url_ok = url && strlen(url) <= 2000 &&
                  (strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0);
    for (const char *p = url; url_ok && *p; p++)
        url_ok = *p > ' ' && *p < 127;
    if (optind != argc || !url_ok || !secret_file ||
        (events && !events_array(events, array, sizeof array))) {
        fprintf(stderr, "subsidyctl: webhook add needs --url http(s)://... (at most 2000 bytes) and"
                        " --secret-file FILE; --events names at most 16 of:");
        for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
            fprintf(stderr, "%s%s", i ? "," : " ", kinds[i]);
        fputc('\n', stderr);
        return 2;
    }
    char secret[SD_PII_PLAIN_MAX + 2], sealed[SD_PII_SEALED_HEX];
    struct sd_pii_keys keys;
    sd_pii_keys_derive(g->key, &keys);
    bool ok = read_secret(secret_file, secret, sizeof secret) && sd_pii_seal(&keys, secret, sealed);
    sodium_memzero(secret, sizeof secret);
    sodium_memzero(&keys, sizeof keys);
    if (!ok)
        return 2;
    struct webhook_add x = {.url = url, .sealed = sealed, .events = array};
    return write_change(g, webhook_add_body, &x, &x.after, "no webhook added");
}

int cmd_webhook_list(const struct ctl *g, int argc, char **argv)
{
    if (argc != 1) {
        fprintf(stderr, "subsidyctl: webhook list takes no arguments\n");
        return 2;
    }
    struct db_conn *db = ctl_worker_conn(g->conninfo);
    char *json = NULL;
    enum db_rc rc = db_webhook_list(db, &json);
    if (rc == DB_OK)
        printf("%s\n", json);
    else
        fprintf(stderr, "subsidyctl: no list (database error %d)\n", (int)rc);
    free(json);
    return rc == DB_OK ? 0 : 1;
}

/* An id argument (1 or more), or 0. */
static long long id_argument(const char *text)
{
    char *end = NULL;
    long long id = strtoll(text, &end, 10);
    return *text && !*end && id > 0 ? id : 0;
}

struct one_change {
    long long id;
    char *before, *after;
};

static enum db_rc webhook_disable_body(struct db_conn *c, void *cls)
{
    struct one_change *x = cls;
    char id[24];
    free(x->after);
    x->after = NULL;
    snprintf(id, sizeof id, "%lld", x->id);
    enum db_rc rc = db_webhook_disable(c, x->id, &x->after);
    return rc == DB_OK
               ? ctl_audit(c, "webhook.disable", "webhook", id, "{\"enabled\":true}", x->after)
               : rc;
}

int cmd_webhook_disable(const struct ctl *g, int argc, char **argv)
{
    struct one_change x = {.id = argc == 2 ? id_argument(argv[1]) : 0};
    if (!x.id) {
        fprintf(stderr, "subsidyctl: webhook disable takes the webhook's id\n");
        return 2;
    }
    return write_change(g, webhook_disable_body, &x, &x.after, "no enabled webhook has this id");
}

int cmd_outbox_list(const struct ctl *g, int argc, char **argv)
{
    static const struct option opts[] = {
        {"state", required_argument, NULL, 's'}, {"limit", required_argument, NULL, 'l'}, {0}};
    const char *state = "";
    long limit = 100;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        char *end = NULL;
        if (opt == 's')
            state = optarg;
        else if (opt == 'l')
            limit = strtol(optarg, &end, 10), limit = *end ? 0 : limit;
        else {
            ctl_usage(stderr);
            return 2;
        }
    }
    if (optind != argc || limit < 1 || limit > OUTBOX_LIST_MAX ||
        (*state && strcmp(state, "pending") != 0 && strcmp(state, "delivered") != 0 &&
         strcmp(state, "dead") != 0)) {
        fprintf(stderr,
                "subsidyctl: outbox list takes --state pending|delivered|dead and"
                " --limit 1-%d\n",
                OUTBOX_LIST_MAX);
        return 2;
    }
    struct db_conn *db = ctl_worker_conn(g->conninfo);
    char *json = NULL;
    enum db_rc rc = db_outbox_list(db, state, (int)limit, &json);
    if (rc == DB_OK)
        printf("%s\n", json);
    else
        fprintf(stderr, "subsidyctl: no list (database error %d)\n", (int)rc);
    free(json);
    return rc == DB_OK ? 0 : 1;
}

static enum db_rc outbox_retry_body(struct db_conn *c, void *cls)
{
    struct one_change *x = cls;
    char id[24];
    free(x->before);
    free(x->after);
    x->before = x->after = NULL;
    snprintf(id, sizeof id, "%lld", x->id);
    enum db_rc rc = db_outbox_retry(c, x->id, &x->before, &x->after);
    return rc == DB_OK ? ctl_audit(c, "notification.retry", "notification", id, x->before, x->after)
                       : rc;
}

int cmd_outbox_retry(const struct ctl *g, int argc, char **argv)
{
    struct one_change x = {.id = argc == 2 ? id_argument(argv[1]) : 0};
    if (!x.id) {
        fprintf(stderr, "subsidyctl: outbox retry takes the notification's id\n");
        return 2;
    }
    int rc = write_change(g, outbox_retry_body, &x, &x.after, "no dead notification has this id");
    free(x.before);
    return rc;
}
