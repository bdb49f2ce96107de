#ifndef SD_DB_CLASS_SQL_H
#define SD_DB_CLASS_SQL_H

/* The SQL of a class's representation, shared by its reads (class_read.c) and the approvers'
 * queue of filings (review_classes.c): the statement names the class k. */

#define CLASS_TS(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
#define CLASS_RECEIPT_NO                                                                           \
    "('BA' || to_char(k.filed_on, 'YYYYMMDD') || lpad(k.id::text, 8, '0'))"
#define CLASS_LIVE_COUNT                                                                           \
    "(SELECT count(*) FROM class_roster_entry r WHERE r.class_id = k.id AND r.removed_at IS NULL)"
// clang-format off
/* An open json_build_object of the class's fields: the statement adds its own and closes it. */
#define CLASS_JSON                                                                                 \
    "json_build_object('id', k.id, 'institution', k.institution, 'policy', k.policy_id,"           \
    " 'occupation', k.occupation, 'level', k.level, 'catalog_id', k.catalog_id,"                   \
    " 'project', CASE WHEN k.project_code IS NULL THEN NULL"                                       \
    "   ELSE json_build_object('code', k.project_code, 'name', k.project_name) END,"               \
    " 'kind', k.kind, 'region', k.region, 'start_date', k.start_date::text,"                       \
    " 'end_date', k.end_date::text, 'class_hours', k.class_hours, 'place', k.place,"               \
    " 'teachers', k.teachers, 'capacity', k.capacity, 'payee', k.payee, 'state', k.state,"         \
    " 'lead_working_days', k.lead_days, 'filed_on', k.filed_on::text,"                             \
    " 'filed_at', " CLASS_TS("k.filed_at") ", 'deadline', k.deadline::text,"                       \
    " 'deadline_estimated', k.deadline_estimated, 'roster_count', " CLASS_LIVE_COUNT ","           \
    " 'receipt_no', " CLASS_RECEIPT_NO
// clang-format on

#endif
