#ifndef SD_PII_H
#define SD_PII_H

/*
 * Personal data (ID numbers, phones): a person is found by a keyed hash of the ID number, and
 * the values themselves are sealed (XChaCha20-Poly1305, libsodium secretbox) before they reach
 * the database.  Both keys are derived from the service key (token.h), which never enters the
 * database.  Listings show only the masked forms.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "token.h"

#define SD_PII_HASH_HEX   (2 + 64 + 1) /* "\\x" + 64 hex digits + NUL */
#define SD_PII_SEALED_MAX 256          /* bytes of a sealed value, before hex */
#define SD_PII_SEALED_HEX (2 + 2 * SD_PII_SEALED_MAX + 1)
#define SD_PII_PLAIN_MAX  (SD_PII_SEALED_MAX - 40 - 1)

struct sd_pii_keys {
    uint8_t hash_key[32];
    uint8_t seal_key[32];
};

/* Derive the two keys from the service key. */
void sd_pii_keys_derive(const struct sd_token_key *key, struct sd_pii_keys *out);

/* The lookup hash of an ID number (upper-cased 'x') as a bytea literal "\\x...". */
void sd_pii_id_hash(const struct sd_pii_keys *k, const char *id_number, char out[SD_PII_HASH_HEX]);

/* An applicant's subject (the person's ID number, as accounts and tokens keep it): id_number
 * with a lower-case x upper-cased into id, the keyed hash of it as 64 hex digits (those of
 * sd_pii_id_hash, so person.id_hash matches) and its masked form.  The caller checks id
 * (sr_resident_id_check) before using them. */
void sd_pii_subject(const struct sd_pii_keys *k, const char *id_number, char id[19], char hash[65],
                    char masked[19]);

/* Seal plain text (at most SD_PII_PLAIN_MAX bytes) into a bytea literal; false when too long. */
bool sd_pii_seal(const struct sd_pii_keys *k, const char *plain, char out[SD_PII_SEALED_HEX]);

/* Open a bytea value as PostgreSQL prints it ("\\x..."); false when it does not open. */
bool sd_pii_open(const struct sd_pii_keys *k, const char *sealed_hex, char *out, size_t outlen);

/* 330902********123X: the first six and last four characters of an ID number. */
void sd_pii_mask_id(const char *id_number, char out[19]);

/* 138****5678: the first three and last four digits of a phone number. */
void sd_pii_mask_phone(const char *phone, char out[32]);

/* 张**: a name's first character (UTF-8) and one * for each other character, as public notices
 * (结果公示) print it; a one-character name is "*".  out holds len bytes (at least 8). */
void sd_pii_mask_name(const char *name, char *out, size_t len);

#endif
