#ifndef SD_DB_PAYEE_H
#define SD_DB_PAYEE_H

/* Who is paid and from what (sql/0037_payee_finance.sql): persons' payee accounts (the social
 * security card's financial account) from the profile and from the state's import,
 * organisations' bank accounts, each claim's payee readiness, and the funding lines with their
 * yearly budgets.  Account and ID numbers arrive sealed, hashed and masked (pii.h); only the
 * masked forms come back. */

#include "ops.h"
#include "page.h"

/* A payee account as written; text values.  id_hash and holder_id_hash are bytea literals
 * ("\\x..."), as sd_pii_id_hash gives them; the holder fields are a person's only. */
struct db_payee_account_write {
    const char *id_hash;
    const char *bank_code, *bank_name, *account_sealed, *account_masked, *holder_name;
    const char *holder_id_hash, *holder_id_sealed, *holder_id_masked;
    const char *status; /* active, closed */
    long long actor;    /* token id; 0 for none */
};

/* The applicant's own account, on their profile (source profile): created or replaced
 * (payee_account_put.c). */
enum db_rc db_payee_account_put_profile(struct db_conn *c, const struct db_payee_account_write *w);

/* An import of the state's records (source import, origin its named source), rows_json
 * [{id_hash, bank_code, bank_name, account_sealed, account_masked, holder_name,
 * holder_id_hash, holder_id_sealed, holder_id_masked, status}]: a person's imported row is
 * replaced when it differs; *added and *updated count (payee_account_import.c). */
enum db_rc db_payee_account_import(struct db_conn *c, const char *rows_json, const char *origin,
                                   long long actor, long *added, long *updated);

/* The person's accounts as their profile shows them (payee_account_shown.c): *json
 * {"payee_account": the one payments use (the imported one when there is one) or null, masked,
 * with its source; "payee_account_superseded": the profile's own is set aside by an import}
 * (owned by the caller). */
enum db_rc db_payee_account_shown(struct db_conn *c, const char *id_hash, json_t **out);

/* An organisation's bank account on its registry entry (org_bank_account_put.c): kind
 * "enterprise" or "institution", code its credit code; w's holder_id fields are not used. */
enum db_rc db_org_bank_account_put(struct db_conn *c, const char *kind, const char *code,
                                   const struct db_payee_account_write *w);

/* *out {"bank_account": the organisation's account, masked, or null} (org_bank_account_shown.c;
 * owned by the caller). */
enum db_rc db_org_bank_account_shown(struct db_conn *c, const char *kind, const char *code,
                                     json_t **out);

/* The readiness list of a region (finance_readiness.c): its claims (and its districts') in
 * states approved, in_notice and payable, by id after after, limit a page, ready "" (every
 * one), "true" or "false"; items {claim_id, state, payable, region, kind, year, amount_fen,
 * person {name, id_number_masked}, payee {kind, credit_code, name}, account (masked) or null,
 * ready, reasons}, keyed by claim id. */
struct db_readiness_filter {
    const char *region, *ready;
    long long after;
    int limit;
};
enum db_rc db_finance_readiness(struct db_conn *c, const struct db_readiness_filter *f,
                                struct db_page *out);

/* A funding line's budget for a year, set (funding_line_set.c): created at version 1 or, when
 * anything differs, changed with version + 1; either way the version is kept in
 * funding_line_version.  *json the line after, *before_json before ("" for a new line), both
 * for the audit row (caller frees); *changed whether anything was written. */
struct db_funding_line_set {
    const char *region, *code, *name, *payee;
    int year;
    long long budget_fen;
    long long actor;
};
enum db_rc db_funding_line_set(struct db_conn *c, const struct db_funding_line_set *s,
                               char **before_json, char **json, bool *changed);

/* The funding lines of regions_csv (csv; each region's own), of year (0: every year), as a
 * JSON array (funding_lines.c): {id, region, code, name, payee, year, budget_fen,
 * committed_fen (0 until batches exist), remaining_fen, version, updated_at} (caller frees). */
enum db_rc db_funding_lines(struct db_conn *c, const char *regions_csv, int year, char **json);

/* *in: region is one of regions_csv (a regional role's, csv) or a district of one of them
 * (region_in_scope.c). */
enum db_rc db_region_in_scope(struct db_conn *c, const char *region, const char *regions_csv,
                              bool *in);

#endif
