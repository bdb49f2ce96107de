/* The counts beside a page of an approver's queue (review_queue.c, review_classes.c). */
#ifndef SD_DB_QUEUE_SQL_H
#define SD_DB_QUEUE_SQL_H

/* Each count stops at QUEUE_COUNT_CAP: an officer needs "10,000 or more", not the exact figure
 * of a queue that size, and an exact count costs a scan of every waiting item on every page view
 * (880,000 for a city in the P3 benchmark: 0.8 s alone, past the 5 s statement timeout with 8 at
 * once).  Counts that reached the cap are named in at_least.  The exact figures of a whole region
 * are in /metrics and the daily overdue summary. */
#define QUEUE_COUNT_CAP "10000"

/* The counts for the queue's filters: per state ($2, the states csv, with FILTER's other
 * conditions), and the overdue ones (DUE before TODAY); FROM is the table and its alias, FILTER
 * the queue's WHERE clause, STATE and DUE its columns. */
#define QUEUE_COUNTS(FROM, FILTER, STATE, DUE, TODAY)                                              \
    "WITH s AS (SELECT st.state, (SELECT count(*) FROM (SELECT 1 FROM " FROM FILTER                \
    "   AND " STATE " = st.state LIMIT " QUEUE_COUNT_CAP ") x) AS n"                               \
    "  FROM unnest(string_to_array($2, ',')) AS st(state)),"                                       \
    " o AS (SELECT count(*) AS n FROM (SELECT 1 FROM " FROM FILTER " AND " DUE " < " TODAY         \
    "   LIMIT " QUEUE_COUNT_CAP ") x)"                                                             \
    " SELECT json_build_object("                                                                   \
    " 'by_state', (SELECT coalesce(json_object_agg(state, n), '{}') FROM s WHERE n > 0),"          \
    " 'overdue', (SELECT n FROM o), 'cap', " QUEUE_COUNT_CAP ","                                   \
    " 'at_least', (SELECT coalesce(json_agg(a.name), '[]') FROM (SELECT state AS name FROM s"      \
    "  WHERE n >= " QUEUE_COUNT_CAP " UNION ALL SELECT 'overdue' FROM o"                           \
    "  WHERE n >= " QUEUE_COUNT_CAP ") a))::text"

#endif
