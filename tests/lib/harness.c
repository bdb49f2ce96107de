#include "harness.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <check.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what)
{
    fprintf(stderr, "harness: %s\n", what);
    exit(99); /* meson: hard error */
}

const char *th_source_root(void)
{
    const char *s = getenv("SD_SOURCE_ROOT");
    return s ? s : ".";
}

const char *th_build_root(void)
{
    const char *s = getenv("SD_BUILD_ROOT");
    return s ? s : "build";
}

/* Run argv; returns the exit status. */
static int run(const char *const *argv, const char *stdout_path)
{
    pid_t pid = fork();
    if (pid < 0)
        die("fork");
    if (pid == 0) {
        if (stdout_path) {
            int fd = open(stdout_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
            if (fd >= 0) {
                dup2(fd, 1);
                close(fd);
            }
        }
        execvp(argv[0], (char *const *)argv);
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void pg_sh(struct th_pg *pg, const char *cmd, const char *arg)
{
    char script[512];
    snprintf(script, sizeof script, "%s/deploy/pg.sh", th_source_root());
    const char *argv[] = {"bash", script, cmd, pg->dir, arg, NULL};
    int st = run(argv, NULL);
    if (st == 3) {
        fprintf(stderr, "SKIP: PostgreSQL server binaries are not installed\n");
        exit(77);
    }
    if (st != 0) {
        fprintf(stderr, "harness: pg.sh %s %s failed (%d)\n", cmd, pg->dir, st);
        exit(99);
    }
}

/* A reaper in its own session waits for this process to end however it ends (a failed
 * assertion, meson's timeout killing the process group, kill -9): it reads a pipe whose only
 * writer is this process (close-on-exec keeps it out of the daemon and PostgreSQL).  When the
 * folder is still there, it stops the cluster and removes the folder; after th_pg_destroy
 * there is nothing left for it to do. */
static void start_reaper(const char *dir)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        die("pipe2");
    pid_t pid = fork();
    if (pid < 0)
        die("fork");
    if (pid == 0) {
        setsid();
        dup2(fds[0], 0); /* dup2 clears close-on-exec on the copy */
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1); /* meson waits for the end of the test's output */
        dup2(null, 2);
        char script[512];
        snprintf(script, sizeof script, "%s/deploy/pg.sh", th_source_root());
        const char *keep = getenv("SD_KEEP_TEST_DIRS") ? "1" : "";
        const char *argv[] = {"bash",
                              "-c",
                              "cat >/dev/null; [ -d \"$1\" ] || exit 0;"
                              " bash \"$2\" stop \"$1\" immediate >/dev/null 2>&1;"
                              " [ -n \"$3\" ] || rm -rf \"$1\"",
                              "reaper",
                              dir,
                              script,
                              keep,
                              NULL};
        execvp(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(fds[0]); /* the write end stays open, unread, until this process ends */
}

static int contract_log_fd(void);

void th_pg_start(struct th_pg *pg)
{
    (void)contract_log_fd(); /* this run's exchanges replace the last run's from the start */
    memset(pg, 0, sizeof *pg);
    snprintf(pg->dir, sizeof pg->dir, "/tmp/sdtest.XXXXXX");
    if (!mkdtemp(pg->dir))
        die("mkdtemp");
    chmod(pg->dir, 0755);
    start_reaper(pg->dir);
    setenv("PG_NOSYNC", "1", 1);
    pg_sh(pg, "init", NULL);
    pg_sh(pg, "start", NULL);
    pg_sh(pg, "createdb", NULL);
    snprintf(pg->app_conninfo, sizeof pg->app_conninfo,
             "host=%s/run dbname=subsidy user=subsidy_app", pg->dir);
    snprintf(pg->owner_conninfo, sizeof pg->owner_conninfo,
             "host=%s/run dbname=subsidy user=subsidy_owner", pg->dir);
    char ctl[512];
    snprintf(ctl, sizeof ctl, "%s/src/cli/subsidyctl", th_build_root());
    const char *mig[] = {ctl, "--db", pg->owner_conninfo, "migrate", NULL};
    if (run(mig, "/dev/null") != 0)
        die("subsidyctl migrate failed");
    snprintf(pg->key_file, sizeof pg->key_file, "%s/token.key", pg->dir);
    const char *key[] = {ctl, "keygen", NULL};
    if (run(key, pg->key_file) != 0)
        die("subsidyctl keygen failed");
}

void th_pg_ctl(struct th_pg *pg, const char *command, const char *mode)
{
    pg_sh(pg, command, mode);
}

void th_pg_destroy(struct th_pg *pg)
{
    if (!pg->dir[0])
        return;
    char script[512];
    snprintf(script, sizeof script, "%s/deploy/pg.sh", th_source_root());
    const char *stop[] = {"bash", script, "stop", pg->dir, "immediate", NULL};
    run(stop, "/dev/null");
    if (!getenv("SD_KEEP_TEST_DIRS")) {
        const char *rm[] = {"rm", "-rf", pg->dir, NULL};
        run(rm, NULL);
    }
    pg->dir[0] = '\0';
}

PGconn *th_pg_super(struct th_pg *pg)
{
    char ci[512];
    snprintf(ci, sizeof ci, "host=%s/run dbname=subsidy user=postgres", pg->dir);
    PGconn *c = PQconnectdb(ci);
    if (PQstatus(c) != CONNECTION_OK)
        die(PQerrorMessage(c));
    return c;
}

char *th_sql(struct th_pg *pg, const char *sql)
{
    PGconn *c = th_pg_super(pg);
    PGresult *res = PQexec(c, sql);
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        fprintf(stderr, "harness: SQL failed: %s\n%s", sql, PQerrorMessage(c));
        exit(99);
    }
    char *out = strdup(st == PGRES_TUPLES_OK && PQntuples(res) > 0 ? PQgetvalue(res, 0, 0) : "");
    PQclear(res);
    PQfinish(c);
    return out;
}

void th_token(struct th_pg *pg, const char *role, const char *subject, const char *regions,
              char out[64])
{
    char ctl[512], path[320];
    snprintf(ctl, sizeof ctl, "%s/src/cli/subsidyctl", th_build_root());
    snprintf(path, sizeof path, "%s/token.out", pg->dir);
    const char *argv[16] = {ctl,          "--db",  pg->app_conninfo, "--token-key-file",
                            pg->key_file, "token", "create",         "--role",
                            role};
    int n = 9;
    if (subject) {
        argv[n++] = "--subject";
        argv[n++] = subject;
    }
    if (regions) {
        argv[n++] = "--regions";
        argv[n++] = regions;
    }
    argv[n] = NULL;
    if (run(argv, path) != 0)
        die("subsidyctl token create failed");
    FILE *f = fopen(path, "r");
    if (!f || !fgets(out, 64, f))
        die("no token printed");
    fclose(f);
    out[strcspn(out, "\n")] = '\0';
    unlink(path);
}

static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0)
        die("bind");
    socklen_t len = sizeof a;
    getsockname(fd, (struct sockaddr *)&a, &len);
    close(fd);
    return ntohs(a.sin_port);
}

void th_daemon_start(struct th_daemon *d, struct th_pg *pg, const char *const *extra_args)
{
    static int count;
    memset(d, 0, sizeof *d);
    d->port = free_port();
    snprintf(d->log_path, sizeof d->log_path, "%s/subsidyd-%d.log", pg->dir, ++count);
    char bin[512], listen[64];
    snprintf(bin, sizeof bin, "%s/src/http/subsidyd", th_build_root());
    snprintf(listen, sizeof listen, "127.0.0.1:%d", d->port);
    const char *argv[48] = {
        bin, "--listen", listen, "--db", pg->app_conninfo, "--token-key-file", pg->key_file};
    int n = 7;
    for (; extra_args && *extra_args && n < 46; extra_args++)
        argv[n++] = *extra_args;
    argv[n] = NULL;
    pid_t pid = fork();
    if (pid < 0)
        die("fork");
    if (pid == 0) {
        /* the daemon dies with the test, and holds none of the test runner's pipes */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        int fd = open(d->log_path, O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
            close(fd);
        }
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    d->pid = pid;
    for (int i = 0; i < 200; i++) {
        struct th_reply r = th_http(d, "GET", "/v1/health", NULL, NULL, 0, NULL);
        long st = r.status;
        th_reply_free(&r);
        if (st == 200)
            return;
        int status;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            d->pid = 0;
            return; /* exited: the caller looks at why */
        }
        struct timespec ts = {0, 50 * 1000000L};
        nanosleep(&ts, NULL);
    }
    die("daemon did not come up in 10 s");
}

int th_daemon_stop(struct th_daemon *d, int sig)
{
    if (d->pid <= 0)
        return -1;
    kill(d->pid, sig);
    int st;
    while (waitpid(d->pid, &st, 0) < 0 && errno == EINTR)
        ;
    d->pid = 0;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

long th_proc_kib(pid_t pid, const char *field)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    long v = -1;
    size_t n = strlen(field);
    while (fgets(line, sizeof line, f))
        if (strncmp(line, field, n) == 0 && line[n] == ':')
            v = strtol(line + n + 1, NULL, 10);
    fclose(f);
    return v;
}

bool th_log_contains(struct th_daemon *d, const char *needle)
{
    return th_file_contains(d->log_path, needle);
}

bool th_file_contains(const char *path, const char *needle)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    char line[8192];
    bool found = false;
    while (!found && fgets(line, sizeof line, f))
        found = strstr(line, needle) != NULL;
    fclose(f);
    return found;
}

long th_log_bad_lines(struct th_daemon *d, char *first, size_t first_len)
{
    FILE *f = fopen(d->log_path, "r");
    if (!f)
        return -1;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long bad = 0;
    while ((n = getline(&line, &cap, f)) > 0) {
        json_t *j = json_loadb(line, (size_t)n, 0, NULL);
        if (!json_is_object(j) && bad++ == 0 && first)
            snprintf(first, first_len, "%s", line);
        json_decref(j);
    }
    free(line);
    fclose(f);
    return bad;
}

bool th_log_wait(struct th_daemon *d, const char *needle, double seconds)
{
    for (double waited = 0; waited < seconds; waited += 0.02) {
        if (th_log_contains(d, needle))
            return true;
        struct timespec ts = {0, 20 * 1000000L};
        nanosleep(&ts, NULL);
    }
    return th_log_contains(d, needle);
}

struct sink {
    char *p;
    size_t len;
};

static size_t on_body(char *data, size_t size, size_t n, void *cls)
{
    struct sink *s = cls;
    size_t add = size * n;
    char *p = realloc(s->p, s->len + add + 1);
    if (!p)
        return 0;
    memcpy(p + s->len, data, add);
    s->p = p;
    s->len += add;
    s->p[s->len] = '\0';
    return add;
}

static size_t on_header(char *data, size_t size, size_t n, void *cls)
{
    struct th_reply *r = cls;
    size_t add = size * n, used = strlen(r->headers);
    if (add >= 7 && strncmp(data, "HTTP/", 5) == 0)
        r->headers[0] = '\0', used = 0; /* a new status line: keep the final headers only */
    if (used + add + 1 < sizeof r->headers) {
        char *dst = r->headers + used;
        memcpy(dst, data, add);
        dst[add] = '\0';
        for (char *c = dst; *c && *c != ':'; c++)
            *c = (char)tolower((unsigned char)*c);
    }
    return add;
}

const char *th_header(const struct th_reply *r, const char *name)
{
    static _Thread_local char value[1024];
    size_t n = strlen(name);
    for (const char *line = r->headers; *line;) {
        const char *end = strstr(line, "\r\n");
        size_t len = end ? (size_t)(end - line) : strlen(line);
        if (len > n && strncasecmp(line, name, n) == 0 && line[n] == ':') {
            const char *v = line + n + 1;
            while (*v == ' ')
                v++;
            size_t vl = len - (size_t)(v - line);
            if (vl >= sizeof value)
                vl = sizeof value - 1;
            memcpy(value, v, vl);
            value[vl] = '\0';
            return value;
        }
        line += len + (end ? 2 : 0);
        if (!end)
            break;
    }
    return NULL;
}

/* The request side of an exchange, for the contract test: its body and content type. */
struct th_sent {
    const char *content_type; /* NULL when none was sent */
    const char *body;         /* NULL when none */
    size_t len;
};

/*
 * Each test program writes its exchanges to a file of its own, $SD_CONTRACT_LOG.d/NAME.jsonl,
 * emptied when the program starts its cluster (th_pg_start, before any exchange, so that a run
 * that stops early leaves no stale replies either): a run replaces what the program's last run
 * wrote, so repeated `meson test` runs do not pile up, and programs running in parallel never
 * share a file.
 */
static int contract_log_fd(void)
{
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    static int fd = -2;
    pthread_mutex_lock(&lock);
    if (fd == -2) {
        const char *log = getenv("SD_CONTRACT_LOG");
        char path[1024];
        fd = -1;
        if (log && *log && snprintf(path, sizeof path, "%s.d", log) < (int)sizeof path &&
            (mkdir(path, 0755) == 0 || errno == EEXIST) &&
            snprintf(path, sizeof path, "%s.d/%s.jsonl", log, program_invocation_short_name) <
                (int)sizeof path)
            fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
    }
    pthread_mutex_unlock(&lock);
    return fd;
}

static void log_exchange(const char *method, const char *path, const struct th_sent *q,
                         const struct th_reply *r)
{
    if (!getenv("SD_CONTRACT_LOG") || !r->status)
        return;
    json_t *headers = json_object();
    const char *names[] = {"allow", "retry-after", "x-request-id", "www-authenticate",
                           "content-type"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *v = th_header(r, names[i]);
        if (v)
            json_object_set_new(headers, names[i], json_string(v));
    }
    const char *ct = th_header(r, "content-type");
    json_t *line = json_pack("{s:s, s:s, s:i, s:s?, s:o, s:s%}", "method", method, "path", path,
                             "status", (int)r->status, "content_type", ct, "headers", headers,
                             "body", r->body ? r->body : "", r->body ? r->len : (size_t)0);
    if (!line)
        return; /* a reply body that is not UTF-8 cannot be logged as JSON; the test checks it */
    /* the request: a body that is not UTF-8 (sent on purpose) is only marked */
    json_t *request = json_pack("{s:s?}", "content_type", q->content_type);
    if (request && q->body) {
        json_t *b = json_stringn(q->body, q->len);
        json_object_set_new(request, b ? "body" : "body_not_utf8", b ? b : json_true());
    }
    json_object_set_new(line, "request", request);
    char *text = json_dumps(line, JSON_COMPACT);
    json_decref(line);
    int fd = text ? contract_log_fd() : -1;
    if (fd >= 0) {
        size_t n = strlen(text);
        text[n] = '\n';
        ssize_t w = write(fd, text, n + 1); /* O_APPEND: one line per write, whole */
        (void)w;
    }
    free(text);
}

struct th_reply th_http(struct th_daemon *d, const char *method, const char *path,
                        const char *token, const char *body, long body_len,
                        const char *const *headers)
{
    struct th_reply r = {0};
    struct sink s = {0};
    CURL *c = curl_easy_init();
    char url[16384], auth[256];
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", d->port, path);
    struct curl_slist *hl = NULL;
    struct th_sent sent = {.body = body};
    if (body)
        sent.len = body_len < 0 ? strlen(body) : (size_t)body_len;
    for (; headers && *headers; headers++) {
        hl = curl_slist_append(hl, *headers);
        if (strncasecmp(*headers, "Content-Type:", 13) == 0)
            for (sent.content_type = *headers + 13; *sent.content_type == ' ';)
                sent.content_type++;
    }
    if (token) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
        hl = curl_slist_append(hl, auth);
    }
    if (body && !sent.content_type)
        sent.content_type = "application/x-www-form-urlencoded"; /* what libcurl sends then */
    hl = curl_slist_append(hl, "Expect:");
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
                         (curl_off_t)(body_len < 0 ? (long)strlen(body) : body_len));
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &r);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    if (curl_easy_perform(c) == CURLE_OK) {
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
        curl_easy_getinfo(c, CURLINFO_TOTAL_TIME, &r.seconds);
    }
    curl_slist_free_all(hl);
    curl_easy_cleanup(c);
    r.body = s.p;
    r.len = s.len;
    if (r.body)
        r.json = json_loadb(r.body, r.len, 0, NULL);
    log_exchange(method, path, &sent, &r);
    return r;
}

struct th_reply th_json(struct th_daemon *d, const char *method, const char *path,
                        const char *token, const char *body)
{
    const char *h[] = {"Content-Type: application/json", NULL};
    return th_http(d, method, path, token, body, -1, h);
}

void th_reply_free(struct th_reply *r)
{
    free(r->body);
    json_decref(r->json);
    memset(r, 0, sizeof *r);
}

bool th_problem_has_field(const struct th_reply *r, const char *field)
{
    json_t *errs = json_object_get(r->json, "errors");
    size_t i;
    json_t *e;
    json_array_foreach(errs, i, e)
    {
        const char *f = json_string_value(json_object_get(e, "field"));
        if (f && strcmp(f, field) == 0)
            return true;
    }
    return false;
}

void th_start(struct th_pg *pg, struct th_daemon *d, const char *const *extra_args)
{
    th_pg_start(pg);
    th_daemon_start(d, pg, extra_args);
    if (!d->pid) {
        fprintf(stderr, "harness: the daemon did not start; its log:\n");
        const char *cat[] = {"cat", d->log_path, NULL};
        run(cat, NULL);
        th_pg_destroy(pg);
        exit(99);
    }
}

int th_finish(struct th_pg *pg, struct th_daemon *d)
{
    int st = th_daemon_stop(d, SIGTERM);
    th_pg_destroy(pg);
    if (st != 0)
        fprintf(stderr, "harness: daemon exit status %d after SIGTERM\n", st);
    return st;
}

int th_run_suite(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed;
}

int th_subsidyctl(struct th_pg *pg, const char *const *args, const char *out_path)
{
    char ctl[512];
    snprintf(ctl, sizeof ctl, "%s/src/cli/subsidyctl", th_build_root());
    const char *argv[32] = {ctl, "--db", pg->owner_conninfo};
    int n = 3;
    for (; args && *args && n < 31; args++)
        argv[n++] = *args;
    argv[n] = NULL;
    return run(argv, out_path ? out_path : "/dev/null");
}
