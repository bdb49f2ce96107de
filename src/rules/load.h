/* Private to the policy loader (load_*.c): the parser's state, the value parsers, and the one
 * table per section that names each key, whether it is required, how its value is read and
 * where it is kept. */
#ifndef SR_LOAD_H
#define SR_LOAD_H

#include <stddef.h>

#include "rules_internal.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Every error of a load, "file:line: message", one a line. */
struct errors {
    char *buf;
    size_t len;
    size_t used;
    int count;
};

void sr_load_error(struct errors *e, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

enum block {
    B_NONE = 0,
    B_POLICY,
    B_RESIDENCY,
    B_LIMITS,
    B_RETIREMENT,
    B_RELATIVES,
    B_GRADUATES,
    B_COMMITMENT,
    B_UPLIFT,
    B_RULE,
    B_COUNT
};

struct parser {
    const char *file;
    int line;
    struct errors *err;
    struct sr_policy *policy;
    enum block block;
    int block_line;
    uint64_t seen; /* keys seen in the current block */
    bool seen_block[B_COUNT];
    bool any_block;
    struct sr_rule *rule;     /* current rule, when block == B_RULE */
    struct sr_uplift *uplift; /* current uplift */
    size_t rule_cap;
};

/* An error at the parser's line. */
void sr_load_perr(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- values (load_values.c); each reports what is wrong at the parser's line ---- */

typedef bool (*enum_parser)(const char *, int *);

char *sr_load_trim(char *s);
bool sr_load_text(struct parser *p, char *dst, size_t size, const char *value);
bool sr_load_int(struct parser *p, const char *value, int64_t lo, int64_t hi, int64_t *out);
bool sr_load_date(struct parser *p, const char *value, int32_t *out);
/* "1200 yuan", "35.50 yuan" or "120000 fen" */
bool sr_load_money(struct parser *p, const char *value, int64_t *out);
/* money, or "catalog" (*from_catalog, *fen = 0) */
bool sr_load_money_or_catalog(struct parser *p, const char *value, bool *from_catalog,
                              int64_t *fen);
bool sr_load_bool(struct parser *p, const char *value, bool *out);     /* yes | no */
bool sr_load_required(struct parser *p, const char *value, bool *out); /* required | ... */
/* Space-separated names through fn into a bit set (1 << value); *out is set even when a name
 * is unknown. */
bool sr_load_set(struct parser *p, const char *value, enum_parser fn, const char *what,
                 uint64_t *out);
/* "a b+c": any of the terms, each a set of groups that must all hold */
bool sr_load_group_terms(struct parser *p, const char *value, struct sr_rule *r);
/* group names into a set of enum sr_group bits */
bool sr_load_group_bits(struct parser *p, const char *value, uint32_t *out);
/* the index of value in names[count], else "unknown what 'value'" */
bool sr_load_name(struct parser *p, const char *value, const char *const *names, int count,
                  const char *what, int *out);

/* Names of the vocabulary (sr_rules.h) as enum_parser; the _some ones refuse "none". */
bool sr_load_kind(const char *t, int *o);
bool sr_load_level(const char *t, int *o);
bool sr_load_level_some(const char *t, int *o);
bool sr_load_variant(const char *t, int *o);
bool sr_load_cert(const char *t, int *o);
bool sr_load_payee(const char *t, int *o);
bool sr_load_issuer(const char *t, int *o);
bool sr_load_basis(const char *t, int *o);

/* ---- the keys of a section ---- */

enum key_type {
    K_READING,          /* reading = ...: kept as the policy's readings */
    K_TEXT,             /* copied into a char[size] */
    K_INT,              /* a whole number lo..hi */
    K_DATE,             /* YYYY-MM-DD, as a day number (int32_t) */
    K_MONEY,            /* money, as fen (int64_t) */
    K_MONEY_OR_CATALOG, /* money, or "catalog": the bool at flag says which */
    K_BOOL,             /* yes | no */
    K_REQUIRED,         /* required | optional | none */
    K_SET,              /* names through parse, as a bit set of size bytes */
    K_GROUP_BITS,       /* group names, as enum sr_group bits (uint32_t) */
    K_ENUM,             /* one name through parse, else "unknown what 'value'" */
    K_NAME,             /* one of names[count], as its index */
    K_WORD,             /* one of words[], as the number beside it (size 0: kept nowhere) */
    K_CUSTOM,           /* custom(p, value) */
};

struct key_word {
    const char *word;
    int value;
};

struct key_spec {
    const char *name;
    bool required;
    enum key_type type;
    size_t offset, size;          /* the member set, in the section's struct */
    int64_t lo, hi;               /* K_INT */
    size_t flag;                  /* K_MONEY_OR_CATALOG: offset of the bool */
    enum_parser parse;            /* K_SET, K_ENUM */
    const char *what;             /* K_SET, K_ENUM, K_NAME: what a name is, for the messages */
    const struct key_word *words; /* K_WORD, ended by {NULL} */
    const char *message;          /* K_WORD: none of the words */
    const char *const *names;     /* K_NAME */
    int count;                    /* K_NAME */
    void (*custom)(struct parser *p, const char *value);
};

/* A member of struct T, for a key_spec. */
#define KEY_AT(T, m) .offset = offsetof(T, m), .size = sizeof(((T *)0)->m)
/* The key every section has: a reading of its text, kept with the policy. */
#define KEY_READING                                                                                \
    {                                                                                              \
        .name = "reading", .type = K_READING                                                       \
    }

struct key_table {
    const struct key_spec *keys;
    size_t count;
};

/* The sections of a policy but rules (load_policy.c), and the rule rows (load_rows.c). */
extern const struct key_table sr_policy_keys, sr_residency_keys, sr_limits_keys, sr_retirement_keys,
    sr_relatives_keys, sr_graduates_keys, sr_commitment_keys, sr_uplift_keys, sr_rule_keys;

/* A rule row's checks once its section ends: a formula, and keys that need others. */
void sr_load_rule_end(struct parser *p);

/* Parse one file (load_file.c): the policy, with its errors counted in err, or NULL when the
 * file cannot be read.  Free it with sr_load_policy_free. */
struct sr_policy *sr_load_file(const char *path, struct errors *err);
void sr_load_policy_free(struct sr_policy *pol);

/* Index of key in table, or -1. */
int sr_load_key_index(const struct key_table *t, const char *key);

#endif
