#ifndef SD_CTL_H
#define SD_CTL_H

/* subsidyctl: what the command files share.  main.c holds the command table and --help; each
 * cmd_*.c file one group of commands. */

#include <stdbool.h>
#include <stdio.h>

#include "db.h"
#include "jspec.h"
#include "token.h"

struct sr_policy_set;

/* The options given before the command. */
struct ctl {
    const char *conninfo; /* --db */
    const char *policies; /* --policies */
    bool lang_en;         /* --lang en */
    /* the token hashing key, loaded for the commands that need it (NULL for the others) */
    const struct sd_token_key *key;
};

/* A command: argv[0] is its last word ("import" of "catalog import", "evaluate"), the
 * arguments follow, as getopt_long expects them. */
typedef int (*ctl_handler)(const struct ctl *g, int argc, char **argv);

int cmd_migrate(const struct ctl *g, int argc, char **argv);
int cmd_schema_check(const struct ctl *g, int argc, char **argv);
int cmd_keygen(const struct ctl *g, int argc, char **argv);
int cmd_token_create(const struct ctl *g, int argc, char **argv);
int cmd_token_revoke(const struct ctl *g, int argc, char **argv);
int cmd_audit_verify(const struct ctl *g, int argc, char **argv);
int cmd_catalog_import(const struct ctl *g, int argc, char **argv);
int cmd_catalog_list(const struct ctl *g, int argc, char **argv);
int cmd_plans_load(const struct ctl *g, int argc, char **argv);
int cmd_policies(const struct ctl *g, int argc, char **argv);
int cmd_occupations_load(const struct ctl *g, int argc, char **argv);
int cmd_employment_import(const struct ctl *g, int argc, char **argv);
int cmd_certificates_load(const struct ctl *g, int argc, char **argv);
int cmd_class_lead_set(const struct ctl *g, int argc, char **argv);
int cmd_class_online_ratio_set(const struct ctl *g, int argc, char **argv);
int cmd_review_days_set(const struct ctl *g, int argc, char **argv);
int cmd_sampling_set(const struct ctl *g, int argc, char **argv);
int cmd_sampling_list(const struct ctl *g, int argc, char **argv);
int cmd_funding_set(const struct ctl *g, int argc, char **argv);
int cmd_funding_list(const struct ctl *g, int argc, char **argv);
int cmd_region_supervisor_set(const struct ctl *g, int argc, char **argv);
int cmd_review_escalate(const struct ctl *g, int argc, char **argv);
int cmd_webhook_add(const struct ctl *g, int argc, char **argv);
int cmd_webhook_list(const struct ctl *g, int argc, char **argv);
int cmd_webhook_disable(const struct ctl *g, int argc, char **argv);
int cmd_outbox_list(const struct ctl *g, int argc, char **argv);
int cmd_outbox_retry(const struct ctl *g, int argc, char **argv);
int cmd_notice_set(const struct ctl *g, int argc, char **argv);
int cmd_notice_list(const struct ctl *g, int argc, char **argv);
int cmd_notice_close(const struct ctl *g, int argc, char **argv);
int cmd_notice_publish(const struct ctl *g, int argc, char **argv);

/* s is min..max bytes of alphabet. */
bool ctl_spelled(const char *s, const char *alphabet, size_t min, size_t max);
/* The scope options every per-policy setting takes (--policy, --region, --note, getopt's 'p',
 * 'r', 'n'): true when opt was one of them; valid when the policy and region are spelled right
 * and the note is at most 200 bytes. */
struct ctl_setting_scope {
    const char *policy, *region, *note;
};
bool ctl_scope_option(int opt, struct ctl_setting_scope *s);
bool ctl_scope_valid(const struct ctl_setting_scope *s);
/* subsidyctl WHAT list [--policy P]: print list's JSON of every setting (of policy P). */
int ctl_settings_list(const struct ctl *g, int argc, char **argv, const char *what,
                      enum db_rc (*list)(struct db_conn *, const char *, char **));
int cmd_evaluate(const struct ctl *g, int argc, char **argv);

/* The usage text (main.c), on out. */
void ctl_usage(FILE *out);

/* A worker connection with the service's statements prepared; exits 1 when there is none. */
struct db_conn *ctl_worker_conn(const char *conninfo);
/* Run a setting's write body(cls) in one transaction: print *after (the row written) and exit
 * 0, or say on stderr that what was "not set" and exit 1; frees *after. */
int ctl_setting_write(const struct ctl *g, enum db_rc (*body)(struct db_conn *, void *), void *cls,
                      char **after, const char *what);

/* The policy files of dir; exits 2 (with every problem on stderr) when they do not load. */
struct sr_policy_set *ctl_load_policies(const char *dir);

/* The rows of a CSV file (at most max_rows; its problems added to errors), caller decrefs; NULL,
 * with a message on stderr, when the file is unreadable, too big, or not UTF-8 text. */
json_t *ctl_read_csv(const char *path, struct jerrors *errors, size_t max_rows);

/* Every problem of errors, one "field: message" a line on stderr, and that nothing was
 * not_done ("imported", "loaded"...). */
void ctl_print_problems(const struct jerrors *errors, const char *not_done);

/* The audit row of a command: actor 0 (the CLI), request id "subsidyctl". */
enum db_rc ctl_audit(struct db_conn *c, const char *action, const char *kind, const char *id,
                     const char *before, const char *after);
/* The same for an import: after is the counts (taken; NULL is DB_HARD), before none. */
enum db_rc ctl_audit_counts(struct db_conn *c, const char *action, const char *kind, const char *id,
                            json_t *counts_take);

/* Read an import's options, --source S (into *source, left as it is when absent): the index of
 * the first argument after them, or -1 after printing the usage. */
int ctl_source_option(int argc, char **argv, const char **source);

#endif
