/* One signed POST of a notification to a webhook (http.h), with libcurl on the delivery
 * worker's thread: explicit connect and total timeouts, no redirects followed, the answer's body
 * read and dropped (at most what fits a small buffer is kept for nothing).  The signature is
 * HMAC-SHA256 with the webhook's secret of "<timestamp>.<body>", the timestamp (Unix seconds)
 * sent beside it, so a receiver can refuse a replayed old post. */
#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "http.h"

static size_t drop(char *p, size_t size, size_t n, void *cls)
{
    (void)p;
    (void)cls;
    return size * n;
}

void webhook_sign(const char *secret, const char *timestamp, const char *body,
                  char hex[2 * crypto_auth_hmacsha256_BYTES + 1])
{
    crypto_auth_hmacsha256_state st;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)timestamp, strlen(timestamp));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, strlen(body));
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_bin2hex(hex, 2 * crypto_auth_hmacsha256_BYTES + 1, mac, sizeof mac);
    sodium_memzero(&st, sizeof st);
}

long webhook_post(void *cls, const char *url, const char *secret, long long event_id,
                  const char *body, char *err, size_t errlen)
{
    (void)cls;
    CURL *h = curl_easy_init();
    if (!h) {
        snprintf(err, errlen, "no HTTP client");
        return 0;
    }
    char ts[24], sig[2 * crypto_auth_hmacsha256_BYTES + 1], line[3][160];
    snprintf(ts, sizeof ts, "%lld", (long long)time(NULL));
    webhook_sign(secret, ts, body, sig);
    snprintf(line[0], sizeof line[0], "X-Subsidyd-Signature: sha256=%s", sig);
    snprintf(line[1], sizeof line[1], "X-Subsidyd-Timestamp: %s", ts);
    snprintf(line[2], sizeof line[2], "X-Subsidyd-Event-Id: %lld", event_id);
    struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/json");
    for (int i = 0; i < 3; i++)
        hdr = curl_slist_append(hdr, line[i]);
    hdr = curl_slist_append(hdr, "Expect:");
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "subsidyd-webhook");
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, config.webhook_connect_timeout_ms);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, config.webhook_timeout_ms);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, drop);
    CURLcode rc = curl_easy_perform(h);
    long status = 0;
    if (rc == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    else
        snprintf(err, errlen, "%s", curl_easy_strerror(rc));
    curl_slist_free_all(hdr);
    curl_easy_cleanup(h);
    return status;
}
