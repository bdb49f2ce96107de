#ifndef SD_FLOW_PAYEE_H
#define SD_FLOW_PAYEE_H

/* A payee account as given (the profile's payee_account, a record of the state's import, an
 * organisation's bank_account), sealed for the database: the account number and the holder's ID
 * number are sealed, hashed where they are compared (the holder's ID against the person's) and
 * masked (last four) for replies; their plain text goes no further. */

#include "flow.h"
#include "payee_db.h"

/* As given (strings borrowed); holder_id_number only for a person's account, status NULL for
 * active. */
struct payee_account_in {
    const char *bank_code, *bank_name, *account_number, *holder_name, *holder_id_number, *status;
};

struct payee_account_sealed {
    char account_sealed[SD_PII_SEALED_HEX], account_masked[16];
    char holder_id_hash[SD_PII_HASH_HEX], holder_id_sealed[SD_PII_SEALED_HEX], holder_id_masked[19];
    struct db_payee_account_write w; /* pointing into this struct and into the input */
};

/* Seal in into s, for the person of id_hash (a bytea literal; NULL for an organisation), written
 * by actor (token id, 0 none); false when a value does not seal (too long: the caller checked). */
bool payee_account_seal(const struct sd_pii_keys *keys, const struct payee_account_in *in,
                        const char *id_hash, long long actor, struct payee_account_sealed *s);

/* "****" and the last four characters of an account number. */
void payee_account_mask(const char *account_number, char out[16]);

#endif
