/* The public routes' rate limit (http.h, route.rate_limited): a token bucket per client address,
 * config.public_burst tokens, refilled at config.public_rate a minute.  An IPv6 client counts by
 * its /64 (one subscriber's prefix), an IPv4 one by its address.  The table is fixed: an
 * address not seen takes a free slot near its hash, else the one idle longest — a refilled
 * bucket forgets nothing that matters. */
#include <netinet/in.h>
#include <pthread.h>
#include <string.h>

#include "http.h"
#include "log.h"

#define SLOTS 4096 /* a power of two */
#define PROBE 8

struct bucket {
    unsigned char key[16];
    bool used;
    double tokens;
    long long last_ns;
};

static struct bucket table[SLOTS];
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;

/* The client's key; false when the address is neither IPv4 nor IPv6. */
static bool client_key(struct MHD_Connection *conn, unsigned char key[16])
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    memset(key, 0, 16);
    if (!ci || !ci->client_addr)
        return false;
    if (ci->client_addr->sa_family == AF_INET) {
        const struct sockaddr_in *a = (const struct sockaddr_in *)ci->client_addr;
        memcpy(key, &a->sin_addr, 4);
        return true;
    }
    if (ci->client_addr->sa_family == AF_INET6) {
        const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)ci->client_addr;
        memcpy(key, &a->sin6_addr, 8);
        key[15] = 6; /* never equal to an IPv4 key */
        return true;
    }
    return false;
}

static unsigned slot_of(const unsigned char key[16])
{
    unsigned h = 2166136261u; /* FNV-1a */
    for (int i = 0; i < 16; i++)
        h = (h ^ key[i]) * 16777619u;
    return h & (SLOTS - 1);
}

/* The bucket of key, found or taken over (table_lock held). */
static struct bucket *bucket_of(const unsigned char key[16], double burst, long long now)
{
    unsigned home = slot_of(key);
    struct bucket *idle = NULL;
    for (unsigned i = 0; i < PROBE; i++) {
        struct bucket *b = &table[(home + i) & (SLOTS - 1)];
        if (b->used && memcmp(b->key, key, 16) == 0)
            return b;
        if (!idle || !b->used || (idle->used && b->last_ns < idle->last_ns))
            idle = b;
    }
    memcpy(idle->key, key, 16);
    idle->used = true;
    idle->tokens = burst;
    idle->last_ns = now;
    return idle;
}

long ratelimit_take(struct req *r)
{
    unsigned char key[16];
    if (!client_key(r->conn, key))
        return 0; /* a local socket: nobody to count */
    double burst = (double)config.public_burst;
    double per_ns = (double)config.public_rate / 60e9;
    long long now = mono_ns();
    pthread_mutex_lock(&table_lock);
    struct bucket *b = bucket_of(key, burst, now);
    b->tokens += (double)(now - b->last_ns) * per_ns;
    if (b->tokens > burst)
        b->tokens = burst;
    b->last_ns = now;
    long wait = 0;
    if (b->tokens >= 1.0)
        b->tokens -= 1.0;
    else
        wait = (long)((1.0 - b->tokens) / per_ns / 1e9) + 1; /* whole seconds, rounded up */
    pthread_mutex_unlock(&table_lock);
    return wait;
}
