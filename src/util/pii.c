#include "pii.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define SEAL_OVERHEAD (crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)

void sd_pii_keys_derive(const struct sd_token_key *key, struct sd_pii_keys *out)
{
    crypto_kdf_derive_from_key(out->hash_key, sizeof out->hash_key, 1, "sdperson", key->bytes);
    crypto_kdf_derive_from_key(out->seal_key, sizeof out->seal_key, 2, "sdperson", key->bytes);
}

void sd_pii_id_hash(const struct sd_pii_keys *k, const char *id_number, char out[SD_PII_HASH_HEX])
{
    char norm[32];
    size_t n = strlen(id_number);
    if (n >= sizeof norm)
        n = sizeof norm - 1;
    for (size_t i = 0; i < n; i++)
        norm[i] = (char)toupper((unsigned char)id_number[i]);
    uint8_t h[32];
    crypto_generichash(h, sizeof h, (const uint8_t *)norm, n, k->hash_key, sizeof k->hash_key);
    memcpy(out, "\\x", 2);
    sd_hex(h, sizeof h, out + 2);
}

void sd_pii_subject(const struct sd_pii_keys *k, const char *id_number, char id[19], char hash[65],
                    char masked[19])
{
    snprintf(id, 19, "%s", id_number);
    if (strlen(id) == 18 && id[17] == 'x')
        id[17] = 'X';
    char literal[SD_PII_HASH_HEX];
    sd_pii_id_hash(k, id, literal);
    memcpy(hash, literal + 2, 65);
    sd_pii_mask_id(id, masked);
}

bool sd_pii_seal(const struct sd_pii_keys *k, const char *plain, char out[SD_PII_SEALED_HEX])
{
    size_t n = strlen(plain);
    if (n > SD_PII_PLAIN_MAX)
        return false;
    uint8_t box[SD_PII_SEALED_MAX];
    randombytes_buf(box, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES, (const uint8_t *)plain, n, box,
                          k->seal_key);
    memcpy(out, "\\x", 2);
    sd_hex(box, n + SEAL_OVERHEAD, out + 2);
    return true;
}

bool sd_pii_open(const struct sd_pii_keys *k, const char *sealed_hex, char *out, size_t outlen)
{
    if (strncmp(sealed_hex, "\\x", 2) != 0)
        return false;
    uint8_t box[SD_PII_SEALED_MAX];
    size_t n = 0;
    if (sodium_hex2bin(box, sizeof box, sealed_hex + 2, strlen(sealed_hex + 2), NULL, &n, NULL) !=
            0 ||
        n < SEAL_OVERHEAD || n - SEAL_OVERHEAD >= outlen)
        return false;
    if (crypto_secretbox_open_easy((uint8_t *)out, box + crypto_secretbox_NONCEBYTES,
                                   n - crypto_secretbox_NONCEBYTES, box, k->seal_key) != 0)
        return false;
    out[n - SEAL_OVERHEAD] = '\0';
    return true;
}

void sd_pii_mask_id(const char *id_number, char out[19])
{
    size_t n = strlen(id_number);
    if (n != 18) {
        snprintf(out, 19, "******************");
        return;
    }
    snprintf(out, 19, "%.6s********%c%c%c%c", id_number, id_number[14], id_number[15],
             id_number[16], toupper((unsigned char)id_number[17]));
}

void sd_pii_mask_phone(const char *phone, char out[32])
{
    size_t n = strlen(phone);
    if (n < 7 || n > 20) {
        snprintf(out, 32, "****");
        return;
    }
    snprintf(out, 32, "%.3s****%s", phone, phone + n - 4);
}

/* The length of the UTF-8 character at s (1 for a stray byte). */
static size_t utf8_char_len(const unsigned char *s)
{
    size_t n = *s >= 0xF0 ? 4 : *s >= 0xE0 ? 3 : *s >= 0xC0 ? 2 : 1;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 1;
    return n;
}

void sd_pii_mask_name(const char *name, char *out, size_t len)
{
    const unsigned char *s = (const unsigned char *)(name ? name : "");
    size_t first = *s ? utf8_char_len(s) : 0, o = 0, chars = 0;
    for (const unsigned char *t = s + first; *t; t += utf8_char_len(t))
        chars++;
    if (chars == 0) { /* one character (or none): nothing of it shown */
        snprintf(out, len, "*");
        return;
    }
    if (first < len) {
        memcpy(out, s, first);
        o = first;
    }
    for (size_t i = 0; i < chars && o + 1 < len; i++)
        out[o++] = '*';
    out[o] = '\0';
}
