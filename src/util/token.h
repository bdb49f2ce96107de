#ifndef SD_TOKEN_H
#define SD_TOKEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Opaque bearer tokens: "sdt_" and 43 base64url characters (32 random bytes).  Only a keyed
 * BLAKE2b hash of the token is stored; the key comes from a file or the environment, never
 * from the database.
 */

#define SD_TOKEN_LEN      47 /* characters, without the NUL */
#define SD_TOKEN_HASH_LEN 32 /* bytes */
#define SD_TOKEN_KEY_LEN  32 /* bytes */

struct sd_token_key {
    uint8_t bytes[SD_TOKEN_KEY_LEN];
};

/*
 * Load the hashing key: from the environment variable SUBSIDYD_TOKEN_KEY (64 hex digits) if
 * set, else from the file at path (64 hex digits, optionally followed by a newline).  On error
 * writes a reason into err and returns false.
 */
bool sd_token_key_load(struct sd_token_key *key, const char *path, char *err, size_t errlen);

/* A new random token into out (SD_TOKEN_LEN + 1 bytes) and its hash. */
void sd_token_new(const struct sd_token_key *key, char out[SD_TOKEN_LEN + 1],
                  uint8_t hash[SD_TOKEN_HASH_LEN]);

/* Hash a presented token; false when it is not shaped like one of ours. */
bool sd_token_hash(const struct sd_token_key *key, const char *token, size_t len,
                   uint8_t hash[SD_TOKEN_HASH_LEN]);

/* Lower-case hex of n bytes into out (2n + 1 bytes). */
void sd_hex(const uint8_t *bytes, size_t n, char *out);

#endif
