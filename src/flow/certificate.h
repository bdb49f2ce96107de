#ifndef SD_FLOW_CERTIFICATE_H
#define SD_FLOW_CERTIFICATE_H

/*
 * The certificate records of the appraisal system (证书记录, issue 12): what an import checks
 * against the database and how it is stored — the same for POST /v1/admin/certificate-records
 * and subsidyctl certificates load.  The rows themselves are certificate_rows.h.
 */

#include "certificate_rows.h"
#include "flow.h"

/* What an import did: records given, new, changed, unchanged. */
struct certificate_counts {
    long records, inserted, changed, unchanged;
};

/* Name every (checked) record whose issuing body is not a registered evaluation body
 * (records[i].body_code) or whose occupation is not in the reference list
 * (records[i].occupation), with one look-up; a field that already has a problem is not named
 * twice. */
enum db_rc certificate_rows_known(struct db_conn *c, struct jerrors *e, const json_t *records);

/* Store checked records under source (the ID numbers as their keyed hashes) and count. */
enum db_rc certificate_import(struct db_conn *c, const struct sd_pii_keys *keys,
                              const json_t *records, const char *source, long long actor,
                              struct certificate_counts *n);

/* The counts as a reply and audit row: {source, records, inserted, changed, unchanged}.  New
 * reference. */
json_t *certificate_counts_json(const char *source, const struct certificate_counts *n);

#endif
