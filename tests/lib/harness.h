#ifndef SD_HARNESS_H
#define SD_HARNESS_H

/*
 * Test harness for the db and api tiers: a throwaway PostgreSQL cluster (deploy/pg.sh, initdb
 * into a temporary folder, private socket), the real daemon on a free loopback port, a real
 * HTTP client (libcurl), and a log of every reply for the contract test.  A tier that cannot
 * run here (no PostgreSQL binaries) exits 77, which meson reports as SKIP.
 */

#include <jansson.h>
#include <libpq-fe.h>
#include <stdbool.h>
#include <sys/types.h>

struct th_pg {
    char dir[256];
    char app_conninfo[512];   /* as subsidy_app, the daemon's role */
    char owner_conninfo[512]; /* as subsidy_owner, the schema owner */
    char key_file[300];
};

struct th_daemon {
    pid_t pid;
    int port;
    char log_path[320];
};

struct th_reply {
    long status;
    char *body;
    size_t len;
    json_t *json;       /* parsed body, or NULL */
    char headers[4096]; /* raw header block, lower-cased names */
    double seconds;     /* total time of the exchange */
};

/* Start a migrated cluster (exits 77 when PostgreSQL is not installed). */
void th_pg_start(struct th_pg *pg);
/* pg.sh stop/start/restart with mode ("fast", "immediate"). */
void th_pg_ctl(struct th_pg *pg, const char *command, const char *mode);
/* Stop and delete the cluster. */
void th_pg_destroy(struct th_pg *pg);

/* A superuser connection to the test database (caller PQfinish()es). */
PGconn *th_pg_super(struct th_pg *pg);
/* Run SQL as superuser; the first value of the first row (malloc'd; "" when none), or aborts. */
char *th_sql(struct th_pg *pg, const char *sql);

/* Issue a token with subsidyctl; returns the secret (static buffer per call, copy it). */
void th_token(struct th_pg *pg, const char *role, const char *subject, const char *regions,
              char out[64]);

/* Start the daemon with extra arguments (NULL-terminated); waits for /v1/health. */
void th_daemon_start(struct th_daemon *d, struct th_pg *pg, const char *const *extra_args);
/* Send sig and wait; returns the exit status (or 128+signal). */
int th_daemon_stop(struct th_daemon *d, int sig);
/* VmRSS / VmHWM of the daemon in KiB. */
long th_proc_kib(pid_t pid, const char *field);
/* Does the daemon's log contain needle? */
bool th_log_contains(struct th_daemon *d, const char *needle);
/* Does the text file at path (the cluster's postgres.log, say) contain needle on one line? */
bool th_file_contains(const char *path, const char *needle);
/* How many lines of the daemon's log are not one JSON object each; the first of them (truncated)
 * goes to first when not NULL. */
long th_log_bad_lines(struct th_daemon *d, char *first, size_t first_len);
/* The same, waiting up to seconds for it (access lines are written once a reply is sent). */
bool th_log_wait(struct th_daemon *d, const char *needle, double seconds);

/*
 * One HTTP exchange.  headers is a NULL-terminated list of "Name: value" lines (may be NULL).
 * body may be NULL; body_len < 0 means strlen(body).  When token is non-NULL an Authorization
 * header is sent.  Every reply is appended to $SD_CONTRACT_LOG when set.
 */
struct th_reply th_http(struct th_daemon *d, const char *method, const char *path,
                        const char *token, const char *body, long body_len,
                        const char *const *headers);
/* A JSON write with an Idempotency-Key header. */
struct th_reply th_write(struct th_daemon *d, const char *method, const char *path,
                         const char *token, const char *key, const char *body);
/* POST /v1/claims/ID/STEP by token with body (NULL: none), under key or, when NULL, a fresh one
 * (th-step-N). */
struct th_reply th_claim_step(struct th_daemon *d, long long id, const char *step,
                              const char *token, const char *body, const char *key);
/* Asserts a reply's status, and its problem code and claim state where given (0 and NULL: not
 * asked); frees the reply. */
void th_expect(struct th_reply r, long status, long code, const char *state);
/* The first value of an SQL count (as superuser). */
long th_count(struct th_pg *pg, const char *sql);
/* Shorthand for JSON bodies. */
struct th_reply th_json(struct th_daemon *d, const char *method, const char *path,
                        const char *token, const char *body);
/* A header's value from a reply (static buffer), or NULL. */
const char *th_header(const struct th_reply *r, const char *name);
void th_reply_free(struct th_reply *r);

/* A valid resident ID number (GB 11643 check character) of region (6 digits), born in
 * birth_year, distinct for each serial below 336,000. */
void th_resident_id(char out[19], const char *region, int birth_year, unsigned serial);

/* Record through POST /v1/admin/employment-records (admin_token) that each of the n ID numbers
 * is insured with credit_code from `from` on (still insured; pension, medical and unemployment),
 * as an enterprise's employees must be before it claims for them.  False (with the reply on
 * stderr) when the import fails. */
bool th_insure(struct th_daemon *d, const char *admin_token, const char *credit_code,
               const char *const *ids, int n, const char *from);

/* Register the enterprise credit_code of region through PUT /v1/admin/enterprises/{code}, and
 * the applicant's profile (ID number, a name, hukou region) through PUT /v1/profile with the
 * applicant's token.  False (with the reply on stderr) when the write fails. */
bool th_enterprise(struct th_daemon *d, const char *admin_token, const char *credit_code,
                   const char *region);
bool th_profile(struct th_daemon *d, const char *token, const char *id_number,
                const char *hukou_region);

/* A valid unified social credit code (GB 32100 check character) of an institution in region,
 * distinct for each serial. */
void th_credit_code(char out[19], const char *region, unsigned serial);
/* Register an institution (status "normal" or "suspended"; its name has HTML-special
 * characters) through PUT /v1/admin/institutions/{code}. */
bool th_institution(struct th_daemon *d, const char *admin_token, const char *credit_code,
                    const char *region, const char *status);
/* Publish a catalog of policy and year (effective from the year before) with an entry of level
 * for each of the comma-separated occupations. */
bool th_class_catalog(struct th_daemon *d, const char *admin_token, const char *policy, int year,
                      const char *occupations, const char *level);
/* Publish zhoushan-2019's catalog of 2020 (effective 2020-06-01) with the electrician's level3
 * entry (6-18-02-09, 1,400 yuan, a shortage occupation), the claims of the review tests. */
bool th_electrician_catalog(struct th_daemon *d, const char *admin_token);
/* Replace calendar years with what sql gives: one row, the year's body as JSON text, '|', the
 * year; run for each n from first to last (sql a format with two %d, both n).  False (the reply
 * on stderr) when a PUT /v1/admin/calendar/{year} fails. */
bool th_calendar_years(struct th_daemon *d, struct th_pg *pg, const char *admin_token,
                       const char *sql_format, int first, int last, const char *key_prefix);
/* A new Dinghai worker (born in birth_year, the serial-th; the ID number into id_number) with a
 * profile, and their submitted electrician claim on certificate number_prefix-(serial + 1): its
 * id (the test fails when it is not created). */
long long th_electrician_claim(struct th_daemon *d, struct th_pg *pg, int birth_year,
                               unsigned serial, const char *number_prefix, char id_number[19]);
/* A class filing body: zhoushan-2019, level4, region 330902, ending 2027-12-31, with the roster
 * (a JSON array text). */
void th_class_body(char *out, size_t len, const char *occupation, const char *start_date,
                   int capacity, const char *roster_json);
/* POST /v1/classes; the new class's id, or 0 (with the reply on stderr). */
long long th_class_file(struct th_daemon *d, const char *token, const char *key, const char *body);

/* One write of a batch sent at once (th_write_all); reply is filled in. */
struct th_shot {
    struct th_daemon *daemon;
    const char *method, *path, *token, *key;
    char body[1024];
    struct th_reply reply;
};
/* Send n writes (at most 64) from n threads at once and wait for every reply. */
void th_write_all(struct th_shot *shots, int n);

/* Does a problem reply name field among its errors? */
bool th_problem_has_field(const struct th_reply *r, const char *field);
/* POST a text/csv body to path with an Idempotency-Key (NULL: without one). */
struct th_reply th_post_csv(struct th_daemon *d, const char *path, const char *token,
                            const char *key, const char *csv);
/* Assert that r has the status and names each of the n fields among its errors; frees r. */
void th_expect_fields(struct th_reply *r, long status, const char *const *fields, size_t n);

/* Start a migrated cluster and the daemon on it (extra_args may be NULL); exits 99 (hard error)
 * when the daemon does not come up. */
void th_start(struct th_pg *pg, struct th_daemon *d, const char *const *extra_args);

/* Stop the daemon with SIGTERM and delete the cluster; returns the daemon's exit status. */
int th_finish(struct th_pg *pg, struct th_daemon *d);

/* Run a Check suite in this process (its tests share the cluster and daemon); returns the
 * number of failed tests. */
struct Suite;
int th_run_suite(struct Suite *s);

/* Run subsidyctl with the given arguments (NULL-terminated) against the owner connection;
 * returns its exit status; its standard output goes to out_path when not NULL. */
int th_subsidyctl(struct th_pg *pg, const char *const *args, const char *out_path);

/* Load the reference list of occupations the tests use (sql/ref/occupations.csv, the sample
 * the set-up loads, and the fixture codes of tests/lib/occupations.csv) with subsidyctl; a test
 * that uploads catalogs or submits claims calls it after th_start. */
void th_occupations(struct th_pg *pg);

/* Every page of an approver's queue at path (GET path?limit=LIMIT&QUERY, then after= each
 * next_after until null), the items' ids comma-separated into out; *counts (when not NULL) the
 * first page's counts (the caller decrefs).  A reply other than 200 fails the test. */
void th_queue_ids(struct th_daemon *d, const char *token, const char *path, const char *query,
                  int limit, char *out, size_t len, json_t **counts);
/* A queue's counts as "state=n,state=n;overdue" with the states in name order, as an SQL
 * string_agg(... ORDER BY state) gives them. */
void th_counts_text(const json_t *counts, char *out, size_t len);

/* A malformed query and the field its 400 must name. */
struct th_bad_query {
    const char *query, *field;
};
/* GET path?QUERY with token for each: 400 naming the field, or the test fails. */
void th_bad_queries(struct th_daemon *d, const char *token, const char *path,
                    const struct th_bad_query *bad, size_t n);
/* GET path is 403 with each of the tokens and 401 without one, or the test fails. */
void th_refused_to(struct th_daemon *d, const char *path, const char *const *tokens, size_t n);

/* Source and build roots, from the environment meson sets. */
const char *th_source_root(void);
const char *th_build_root(void);

#endif
