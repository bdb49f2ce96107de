#ifndef SD_DB_CONN_H
#define SD_DB_CONN_H

/* A worker's connection, shared by pool.c (connecting, preparing, classifying errors) and txn.c
 * (statements, pipelines, transactions): for those two files only. */

#include "db.h"
#include "db_exec.h"

/* A write whose result only COMMIT needs (db_exec_deferred): its statement and copied
 * parameters, sent in one pipeline with the COMMIT. */
struct deferred {
    const struct db_stmt *s;
    char **params;
};

struct db_conn {
    PGconn *pg;
    bool ready;            /* connected and prepared */
    long long next_try_ns; /* back-off after a failed attempt */
    bool in_txn;
    bool begin_pending; /* in a transaction whose BEGIN goes with its first statement */
    bool died_in_begin; /* the connection broke in the round trip that carried BEGIN */
    struct deferred *q; /* the writes that travel with COMMIT */
    size_t nq, capq;
    struct deferred guard; /* db_txn_guard's statement, while armed */
    enum db_guard guard_state;
    char last_constraint[64];  /* of the last unique violation */
    void *kept[DB_KEEP_COUNT]; /* db_conn_keep's blocks */
};

enum conn_counter { CONN_ROUND_TRIP, CONN_RETRY, CONN_EXHAUSTED };
/* One more on /metrics' counter (db_counters). */
void conn_count(enum conn_counter which);
/* Close the connection (it is opened again by conn_ensure_ready). */
void conn_disconnect(struct db_conn *c);
/* Connected and prepared, or false (after a back-off) while the database cannot be reached. */
bool conn_ensure_ready(struct db_conn *c);
/* Free what the transaction state holds (txn.c), when the connection goes. */
void conn_txn_free(struct db_conn *c);

#endif
