#include "token.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PREFIX     "sdt_"
#define PREFIX_LEN 4

static bool parse_key_hex(const char *text, struct sd_token_key *key)
{
    size_t n = strcspn(text, "\r\n");
    size_t bin_len = 0;
    const char *end = NULL;
    if (n != 2 * SD_TOKEN_KEY_LEN)
        return false;
    if (sodium_hex2bin(key->bytes, sizeof key->bytes, text, n, NULL, &bin_len, &end) != 0)
        return false;
    return bin_len == SD_TOKEN_KEY_LEN && end == text + n;
}

bool sd_token_key_load(struct sd_token_key *key, const char *path, char *err, size_t errlen)
{
    const char *env = getenv("SUBSIDYD_TOKEN_KEY");
    if (env && *env) {
        if (parse_key_hex(env, key))
            return true;
        snprintf(err, errlen, "SUBSIDYD_TOKEN_KEY must be 64 hex digits");
        return false;
    }
    if (!path || !*path) {
        snprintf(err, errlen, "no token key: set SUBSIDYD_TOKEN_KEY or --token-key-file");
        return false;
    }
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "cannot open token key file %s", path);
        return false;
    }
    char buf[160] = {0};
    size_t got = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[got] = '\0';
    bool ok = parse_key_hex(buf, key);
    sodium_memzero(buf, sizeof buf);
    if (!ok)
        snprintf(err, errlen, "token key file %s must hold 64 hex digits", path);
    return ok;
}

void sd_token_new(const struct sd_token_key *key, char out[SD_TOKEN_LEN + 1],
                  uint8_t hash[SD_TOKEN_HASH_LEN])
{
    uint8_t raw[32];
    randombytes_buf(raw, sizeof raw);
    memcpy(out, PREFIX, PREFIX_LEN);
    sodium_bin2base64(out + PREFIX_LEN, SD_TOKEN_LEN + 1 - PREFIX_LEN, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
    sd_token_hash(key, out, SD_TOKEN_LEN, hash);
}

bool sd_token_hash(const struct sd_token_key *key, const char *token, size_t len,
                   uint8_t hash[SD_TOKEN_HASH_LEN])
{
    if (len != SD_TOKEN_LEN || memcmp(token, PREFIX, PREFIX_LEN) != 0)
        return false;
    for (size_t i = PREFIX_LEN; i < len; i++) {
        char c = token[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return false;
    }
    crypto_generichash(hash, SD_TOKEN_HASH_LEN, (const unsigned char *)token, len, key->bytes,
                       sizeof key->bytes);
    return true;
}

void sd_hex(const uint8_t *bytes, size_t n, char *out)
{
    sodium_bin2hex(out, 2 * n + 1, bytes, n);
}
