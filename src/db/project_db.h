#ifndef SD_DB_PROJECT_H
#define SD_DB_PROJECT_H

/* The published project list (项目制培训, sql/0026_projects.sql): one file, project.c. */

#include "ops.h"
#include "page.h"

/* Serialise the writes of project code (an advisory lock for the transaction). */
enum db_rc db_project_lock(struct db_conn *c, const char *code);
/* Project code as JSON text (malloc'd): {code, policy, region, name, class_hours, standard_fen,
 * status, published_on, institutions: [credit codes], created_at, updated_at}; DB_NOT_FOUND. */
enum db_rc db_project_get(struct db_conn *c, const char *code, char **json);

struct db_project_put {
    const char *code, *policy, *region, *name, *status, *published_on;
    long long class_hours, standard_fen;
    const char *institutions_json; /* ["credit code", ...], each registered */
};
/* Publish the project or update it, its institutions replaced by the list. */
enum db_rc db_project_put(struct db_conn *c, const struct db_project_put *p);

/* The credit codes of institutions_json (a JSON array of strings) that are not registered, as a
 * JSON array of their indexes into it (caller decrefs). */
enum db_rc db_project_unknown_institutions(struct db_conn *c, const char *institutions_json,
                                           json_t **indexes);

/* A page of published projects (policy, region — the project's or its city —, institution:
 * NULL for any), by code after after (NULL: from the start). */
struct db_project_filter {
    const char *policy, *region, *institution, *after;
    int limit;
};
enum db_rc db_projects_published(struct db_conn *c, const struct db_project_filter *f,
                                 struct db_page *out);

#endif
