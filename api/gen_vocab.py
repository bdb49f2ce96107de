#!/usr/bin/env python3
"""Generate the shared vocabulary (sr_vocab.h, sr_vocab.c) from api/vocabulary.csv.

One enum per vocabulary (enum sr_<vocabulary>, values in file order from 0, then
SR_<VOCABULARY>_COUNT), its names with Chinese and English titles, name/parse/list functions, a
NULL-terminated array of the names (for a field spec's one_of) and an X-macro over the
enumerators' suffixes (SR_ROLE_EACH(X) -> X(APPLICANT) X(ENTERPRISE) ...), from which
include/sd_model.h derives its role bits.  Lines starting with '#' are comments.  The build fails
on a duplicate value or enumerator, a vocabulary split in two, a missing title or a bad tag.

    gen_vocab.py vocabulary.csv sr_vocab.h sr_vocab.c
"""
import csv
import os
import re
import sys

IDENT = re.compile(r'[a-z][a-z0-9_]*')
ENUMERATOR = re.compile(r'SR_[A-Z0-9_]+')


def c_str(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'


def load(src):
    with open(src, encoding='utf-8') as f:
        lines = [l for l in f if not l.startswith('#') and l.strip()]
    vocabs, tags = {}, []
    last = None
    for r in csv.DictReader(lines):
        v, value, enumr = r['vocabulary'], r['value'], r['enumerator']
        if not IDENT.fullmatch(v or ''):
            sys.exit(f'{src}: bad vocabulary name {v!r}')
        if v in vocabs and v != last:
            sys.exit(f'{src}: the rows of {v} must be together')
        last = v
        terms = vocabs.setdefault(v, [])
        if not IDENT.fullmatch(value or '') or any(t['value'] == value for t in terms):
            sys.exit(f'{src}: {v}: bad or duplicate value {value!r}')
        if not ENUMERATOR.fullmatch(enumr or '') or any(
                t['enumerator'] == enumr for ts in vocabs.values() for t in ts):
            sys.exit(f'{src}: {v}.{value}: bad or duplicate enumerator {enumr!r}')
        if not r['title_zh'] or not r['title_en']:
            sys.exit(f'{src}: {v}.{value}: both titles are required')
        row_tags = (r['tags'] or '').split()
        for t in row_tags:
            if not IDENT.fullmatch(t):
                sys.exit(f'{src}: {v}.{value}: bad tag {t!r}')
            if t not in tags:
                tags.append(t)
        terms.append({'value': value, 'enumerator': enumr, 'zh': r['title_zh'],
                      'en': r['title_en'], 'tags': row_tags})
    return vocabs, tags


def suffixes(terms):
    """The enumerators without their shared prefix (up to its last '_')."""
    names = [t['enumerator'] for t in terms]
    prefix = os.path.commonprefix(names)
    prefix = prefix[:prefix.rfind('_') + 1]
    if len(names) == 1:
        prefix = names[0][:names[0].rfind('_') + 1]
    return [n[len(prefix):] for n in names]


def write_h(out, vocabs, tags):
    w = out.write
    w('/* Generated from api/vocabulary.csv by api/gen_vocab.py; do not edit. */\n')
    w('#ifndef SR_VOCAB_H\n#define SR_VOCAB_H\n\n#include <stdbool.h>\n#include <stddef.h>\n\n')
    for v, terms in vocabs.items():
        w(f'enum sr_{v} {{\n')
        for i, t in enumerate(terms):
            w(f'    {t["enumerator"]} = {i}, /* {t["value"]}: {t["zh"]} */\n')
        w(f'    SR_{v.upper()}_COUNT\n}};\n')
        w(f'#define SR_{v.upper()}_EACH(X) ' + ' '.join(f'X({s})' for s in suffixes(terms)) + '\n\n')
    w('enum sr_vocab {\n')
    for v in vocabs:
        w(f'    SR_VOCAB_{v.upper()},\n')
    w('    SR_VOCAB_COUNT\n};\n\n')
    for i, t in enumerate(tags):
        w(f'#define SR_TAG_{t.upper()} (1u << {i})\n')
    w('\nstruct sr_term {\n    const char *name; /* the stable code, e.g. "in_review" */\n'
      '    const char *title_zh;\n    const char *title_en;\n    unsigned tags; /* SR_TAG_* */\n};\n\n')
    w('/* The terms of a vocabulary in enum order (static); *n gets their count. NULL and 0 for a\n'
      ' * value out of range. */\nconst struct sr_term *sr_vocab_terms(enum sr_vocab vocab, size_t *n);\n')
    w('/* "role", "claim_state", ...; NULL when out of range. */\n'
      'const char *sr_vocab_name(enum sr_vocab vocab);\n\n')
    for v in vocabs:
        w(f'/* {v}: the stable code of a value (NULL when out of range), its parse (false for any other\n'
          f' * text), the names "a, b, c" without "none" cut to len, and the names NULL-terminated. */\n')
        w(f'const char *sr_{v}_name(enum sr_{v} value);\n')
        w(f'bool sr_{v}_parse(const char *text, enum sr_{v} *out);\n')
        w(f'void sr_{v}_list(char *buf, size_t len);\n')
        w(f'extern const char *const sr_{v}_values[SR_{v.upper()}_COUNT + 1];\n\n')
    w('#endif\n')


def write_c(out, vocabs):
    w = out.write
    w('/* Generated from api/vocabulary.csv by api/gen_vocab.py; do not edit. */\n')
    w('#include "sr_vocab.h"\n\n#include <stdio.h>\n#include <string.h>\n\n')
    for v, terms in vocabs.items():
        w(f'static const struct sr_term {v}_terms[SR_{v.upper()}_COUNT] = {{\n')
        for t in terms:
            tag_expr = ' | '.join(f'SR_TAG_{x.upper()}' for x in t['tags']) or '0'
            w(f'    [{t["enumerator"]}] = {{{c_str(t["value"])}, {c_str(t["zh"])}, '
              f'{c_str(t["en"])}, {tag_expr}}},\n')
        w('};\n\n')
        w(f'const char *const sr_{v}_values[SR_{v.upper()}_COUNT + 1] = {{')
        w(', '.join(c_str(t['value']) for t in terms) + ', NULL};\n\n')
    w('static const struct {\n    const char *name;\n    const struct sr_term *terms;\n'
      '    size_t n;\n} vocabs[SR_VOCAB_COUNT] = {\n')
    for v in vocabs:
        w(f'    [SR_VOCAB_{v.upper()}] = {{"{v}", {v}_terms, SR_{v.upper()}_COUNT}},\n')
    w('};\n\n')
    w('const struct sr_term *sr_vocab_terms(enum sr_vocab vocab, size_t *n)\n{\n'
      '    bool ok = (unsigned)vocab < SR_VOCAB_COUNT;\n    *n = ok ? vocabs[vocab].n : 0;\n'
      '    return ok ? vocabs[vocab].terms : NULL;\n}\n\n')
    w('const char *sr_vocab_name(enum sr_vocab vocab)\n{\n'
      '    return (unsigned)vocab < SR_VOCAB_COUNT ? vocabs[vocab].name : NULL;\n}\n\n')
    w('static bool find(enum sr_vocab vocab, const char *text, int *out)\n{\n'
      '    for (size_t i = 0; text && i < vocabs[vocab].n; i++)\n'
      '        if (strcmp(vocabs[vocab].terms[i].name, text) == 0) {\n'
      '            *out = (int)i;\n            return true;\n        }\n    return false;\n}\n\n')
    w('static void list(enum sr_vocab vocab, char *buf, size_t len)\n{\n'
      '    if (len == 0)\n        return;\n    buf[0] = \'\\0\';\n    size_t used = 0;\n'
      '    for (size_t i = 0; i < vocabs[vocab].n; i++) {\n'
      '        if (strcmp(vocabs[vocab].terms[i].name, "none") == 0)\n            continue;\n'
      '        int k = snprintf(buf + used, len - used, "%s%s", used ? ", " : "",\n'
      '                         vocabs[vocab].terms[i].name);\n'
      '        if (k < 0 || (size_t)k >= len - used)\n            break;\n'
      '        used += (size_t)k;\n    }\n}\n')
    for v in vocabs:
        V = v.upper()
        w(f'\nconst char *sr_{v}_name(enum sr_{v} value)\n{{\n'
          f'    return (unsigned)value < SR_{V}_COUNT ? {v}_terms[value].name : NULL;\n}}\n\n')
        w(f'bool sr_{v}_parse(const char *text, enum sr_{v} *out)\n{{\n    int i;\n'
          f'    if (!find(SR_VOCAB_{V}, text, &i))\n        return false;\n'
          f'    *out = (enum sr_{v})i;\n    return true;\n}}\n\n')
        w(f'void sr_{v}_list(char *buf, size_t len)\n{{\n    list(SR_VOCAB_{V}, buf, len);\n}}\n')


def main(src, out_h, out_c):
    vocabs, tags = load(src)
    with open(out_h, 'w', encoding='utf-8') as h:
        write_h(h, vocabs, tags)
    with open(out_c, 'w', encoding='utf-8') as c:
        write_c(c, vocabs)


if __name__ == '__main__':
    main(*sys.argv[1:4])
