/* subsidyctl certificates load: the same checks, look-ups and statement as
 * POST /v1/admin/certificate-records, from a CSV file of the appraisal system (证书记录); the ID
 * numbers are kept as their keyed hashes, so the command needs the token hashing key.  Nothing
 * is written when any record is wrong; a file loaded again changes nothing. */
#include <libgen.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "certificate.h"
#include "csv.h"
#include "ctl.h"

struct load {
    const struct sd_pii_keys *keys;
    const json_t *rows;
    const char *source;
    struct jerrors *errors;
    struct certificate_counts n;
};

/* The references first (they may make the load a refusal), then the records and the audit row,
 * in one transaction. */
static enum db_rc load_body(struct db_conn *c, void *cls)
{
    struct load *x = cls;
    enum db_rc rc = certificate_rows_known(c, x->errors, x->rows);
    if (rc != DB_OK || jerr_count(x->errors))
        return rc == DB_OK ? DB_ABORT : rc;
    rc = certificate_import(c, x->keys, x->rows, x->source, 0, &x->n);
    if (rc != DB_OK)
        return rc;
    return ctl_audit_counts(c, "certificate.import", "certificate_record", x->source,
                            certificate_counts_json(x->source, &x->n));
}

int cmd_certificates_load(const struct ctl *g, int argc, char **argv)
{
    const char *source = NULL;
    int first = ctl_source_option(argc, argv, &source);
    if (first < 0)
        return 2;
    if (first + 1 != argc) {
        fprintf(stderr, "subsidyctl: certificates load needs one CSV file\n");
        return 2;
    }
    char *path = strdup(argv[first]);
    if (!source)
        source = path ? basename(path) : argv[first];
    if (!*source || strlen(source) > 200) {
        fprintf(stderr, "subsidyctl: --source must have 1-200 characters\n");
        free(path);
        return 2;
    }
    struct jerrors errors = {.lang_en = true};
    json_t *rows = ctl_read_csv(argv[first], &errors, CERTIFICATE_MAX_RECORDS);
    if (!rows) {
        free(path);
        return 2;
    }
    csv_drop_empty(rows);
    certificate_rows_check(&errors, rows);
    if (json_array_size(rows) == 0 && jerr_count(&errors) == 0)
        jerr_add(&errors, "records", SD_E_FIELD_LENGTH, NULL, "at least one record");
    struct sd_pii_keys keys;
    sd_pii_keys_derive(g->key, &keys);
    struct load x = {.keys = &keys, .rows = rows, .source = source, .errors = &errors};
    enum db_rc dbrc = DB_ABORT;
    if (!jerr_count(&errors)) {
        struct db_conn *db = ctl_worker_conn(g->conninfo);
        dbrc = db ? db_txn(db, load_body, &x) : DB_HARD;
    }
    sodium_memzero(&keys, sizeof keys);
    int rc = 0;
    if (jerr_count(&errors)) {
        ctl_print_problems(&errors, "loaded");
        rc = 1;
    } else if (dbrc == DB_OK) {
        printf("loaded %ld certificate records from %s: %ld inserted, %ld changed, %ld "
               "unchanged\n",
               x.n.records, source, x.n.inserted, x.n.changed, x.n.unchanged);
    } else {
        fprintf(stderr, "subsidyctl: not loaded (database error %d)\n", (int)dbrc);
        rc = 1;
    }
    jerr_clear(&errors);
    json_decref(rows);
    free(path);
    return rc;
}
