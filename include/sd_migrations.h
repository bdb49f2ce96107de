#ifndef SD_MIGRATIONS_H
#define SD_MIGRATIONS_H

#include <stddef.h>

/* One schema migration, embedded at build time from sql/NNNN_name.sql. */
struct sd_migration {
    int version;        /* 1, 2, 3 ... without gaps */
    const char *name;   /* file name without .sql, e.g. "0001_foundation" */
    const char *sha256; /* of the file, so an edited, already-applied migration is noticed */
    const char *sql;
};

/* All migrations this build knows, ascending by version. */
extern const struct sd_migration sd_migrations[];
extern const size_t sd_migrations_count;

#endif
