/* Print a pgbench script made of the daemon's own prepared statements (db_statements[]), so that
 * the ceiling tests/bench/claims/run.sh measures with pgbench runs exactly the SQL that subsidyd
 * runs, and cannot drift from it when a statement changes.
 *
 *   bench_claims_script TEMPLATE > SCRIPT
 *   bench_claims_script --unnamed > TEXTS     (see put_unnamed)
 *
 * TEMPLATE is copied line by line, except:
 *   # ...                          a comment of the template, dropped;
 *   @NAME [N=VAR]... [\gset]       the SQL of the statement named NAME, one line, its parameters
 *                                  $1..$n rewritten into pgbench variables: $N becomes :VAR when
 *                                  the line names one, else :NAME_N (run.sh sets those with -D
 *                                  from the values the daemon sent); ends with ";" or "\gset".
 * Two rewrites keep pgbench (-M prepared) from misreading the SQL, neither changes what the
 * server parses: pgbench takes every ":word" for a variable, even inside a quoted literal
 * ('HH24:MI:SS'), so a literal holding one is written as the same string in the U&'...' form with
 * the colon as \003A; and pgbench numbers each ":VAR" as a parameter of its own, so a parameter
 * the statement uses twice is sent twice with the same value.
 * Exit status 1 (with a message) on an unknown statement, a parameter number out of range, or
 * SQL this rewrite does not understand (dollar quotes, E'' strings, a lone ":x" or ";" outside
 * quotes): better no script than a script that measures something else. */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"

#define MAX_PARAMS   64
#define LINE_MAX_LEN 4096

static const char *template_path;
static int template_line;

static void die(const char *msg, const char *what)
{
    fprintf(stderr, "bench_claims_script: %s:%d: %s%s%s\n", template_path, template_line, msg,
            what ? ": " : "", what ? what : "");
    exit(1);
}

static bool name_char(unsigned char c)
{
    return c >= 0x80 || isalnum(c) || c == '_';
}

static const struct db_stmt *find_stmt(const char *name)
{
    for (size_t i = 0; db_statements[i]; i++)
        if (strcmp(db_statements[i]->name, name) == 0)
            return db_statements[i];
    return NULL;
}

/* The literal body s[0..len) (between the quotes, '' kept doubled) as pgbench may carry it. */
static void put_literal(const char *s, size_t len)
{
    bool colon = false;
    for (size_t i = 0; i + 1 < len; i++)
        colon |= s[i] == ':' && name_char((unsigned char)s[i + 1]);
    if (!colon) {
        printf("'%.*s'", (int)len, s);
        return;
    }
    fputs("U&'", stdout);
    for (size_t i = 0; i < len; i++) {
        if (s[i] == ':')
            fputs("\\003A", stdout);
        else if (s[i] == '\\')
            fputs("\\\\", stdout);
        else
            putchar(s[i]);
    }
    putchar('\'');
}

/* The statement's SQL with $N replaced by :vars[N]. */
static void put_sql(const struct db_stmt *st, char *const vars[])
{
    const char *p = st->sql;
    bool used[MAX_PARAMS + 1] = {false};
    while (*p) {
        unsigned char c = (unsigned char)*p;
        if (c == '\'') {
            if (p > st->sql && (name_char((unsigned char)p[-1]) || p[-1] == '&'))
                die("a prefixed string literal (E'', U&'', B'') in statement", st->name);
            const char *q = p + 1;
            for (;;) {
                if (!*q)
                    die("an unterminated literal in statement", st->name);
                if (*q == '\'' && q[1] == '\'') {
                    q += 2;
                    continue;
                }
                if (*q == '\'')
                    break;
                q++;
            }
            put_literal(p + 1, (size_t)(q - p - 1));
            p = q + 1;
        } else if (c == '"') {
            const char *q = strchr(p + 1, '"');
            if (!q || memchr(p, ':', (size_t)(q - p)))
                die("a quoted identifier pgbench would misread in statement", st->name);
            printf("%.*s", (int)(q - p + 1), p);
            p = q + 1;
        } else if (c == '$' && isdigit((unsigned char)p[1])) {
            char *end;
            long n = strtol(p + 1, &end, 10);
            if (n < 1 || n > st->nparams)
                die("a parameter number out of range in statement", st->name);
            printf(":%s", vars[n]);
            used[n] = true;
            p = end;
        } else if (c == '$') {
            die("a dollar quote in statement", st->name);
        } else if (c == ':' && p[1] == ':') {
            while (*p == ':')
                putchar(*p++);
        } else if (c == ':' && name_char((unsigned char)p[1])) {
            die("a lone \":name\" outside quotes (pgbench would take it for a variable) in",
                st->name);
        } else if (c == ';' || c == '\\' || c == '\n' || (c == '-' && p[1] == '-') ||
                   (c == '/' && p[1] == '*')) {
            die("a character pgbench would split or cut the statement at, in", st->name);
        } else {
            putchar(c);
            p++;
        }
    }
    for (int n = 1; n <= st->nparams; n++)
        if (!used[n])
            die("a parameter the SQL never uses, in", st->name);
}

/* "@NAME [N=VAR]... [\gset]" */
static void expand(char *line)
{
    char *save = NULL;
    char *name = strtok_r(line + 1, " \t", &save);
    if (!name)
        die("no statement name after @", NULL);
    const struct db_stmt *st = find_stmt(name);
    if (!st)
        die("no such statement in db_statements[]", name);
    if (st->nparams > MAX_PARAMS)
        die("too many parameters", name);
    static char defaults[MAX_PARAMS + 1][96];
    char *vars[MAX_PARAMS + 1] = {NULL};
    for (int n = 1; n <= st->nparams; n++) {
        snprintf(defaults[n], sizeof defaults[n], "%s_%d", st->name, n);
        vars[n] = defaults[n];
    }
    const char *end = ";";
    for (char *tok; (tok = strtok_r(NULL, " \t", &save));) {
        if (strcmp(tok, "\\gset") == 0) {
            end = " \\gset";
            continue;
        }
        char *eq = strchr(tok, '=');
        char *num_end;
        long n = eq ? strtol(tok, &num_end, 10) : 0;
        if (!eq || num_end != eq || n < 1 || n > st->nparams || !eq[1])
            die("expected N=VAR with N a parameter of the statement, got", tok);
        for (char *v = eq + 1; *v; v++)
            if (!name_char((unsigned char)*v))
                die("not a pgbench variable name", eq + 1);
        vars[n] = eq + 1;
    }
    put_sql(st, vars);
    printf("%s\n", end);
}

/* --unnamed: the statements the daemon sends by their text (plan_each), a line each: the name, a
 * tab, the SQL as the server logs it after "execute <unnamed>: " (for daemon_sql.py --texts). */
static int put_unnamed(void)
{
    for (size_t i = 0; db_statements[i]; i++)
        if (db_statements[i]->plan_each) {
            if (strchr(db_statements[i]->sql, '\n'))
                die("a plan_each statement holds a line break", db_statements[i]->name);
            printf("%s\t%s\n", db_statements[i]->name, db_statements[i]->sql);
        }
    return ferror(stdout) || fflush(stdout) != 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--unnamed") == 0) {
        template_path = "--unnamed";
        return put_unnamed();
    }
    if (argc != 2) {
        fprintf(stderr, "usage: bench_claims_script TEMPLATE > SCRIPT | --unnamed > TEXTS\n");
        return 2;
    }
    template_path = argv[1];
    FILE *in = fopen(template_path, "r");
    if (!in) {
        perror(template_path);
        return 1;
    }
    char line[LINE_MAX_LEN];
    while (fgets(line, sizeof line, in)) {
        template_line++;
        size_t len = strlen(line);
        if (len && line[len - 1] == '\n')
            line[--len] = '\0';
        else if (!feof(in))
            die("line too long", NULL);
        if (line[0] == '#')
            continue;
        if (line[0] == '@')
            expand(line);
        else
            printf("%s\n", line);
    }
    fclose(in);
    return ferror(stdout) || fflush(stdout) != 0 ? 1 : 0;
}
