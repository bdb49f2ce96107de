#!/usr/bin/env python3
"""Generate the C error registry (sd_errors.h, sd_errors.c) from api/errors.csv.

Lines starting with '#' are comments.  Codes must be unique and ascending, names unique
identifiers, statuses real HTTP statuses; the build fails otherwise.
"""
import csv
import re
import sys


def c_str(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'


def main(src, out_h, out_c):
    with open(src, encoding='utf-8') as f:
        lines = [l for l in f if not l.startswith('#') and l.strip()]
    rows = list(csv.DictReader(lines))
    seen_names, last = set(), 0
    for r in rows:
        code, name, status = int(r['code']), r['name'], int(r['http_status'])
        if code <= last:
            sys.exit(f'{src}: code {code} not ascending')
        if not re.fullmatch(r'[a-z][a-z0-9_]*', name) or name in seen_names:
            sys.exit(f'{src}: bad or duplicate name {name!r}')
        if not 400 <= status <= 599:
            sys.exit(f'{src}: {name}: status {status} is not an error status')
        if not r['title_zh'] or not r['title_en']:
            sys.exit(f'{src}: {name}: both titles are required')
        seen_names.add(name)
        last = code
    with open(out_h, 'w', encoding='utf-8') as h:
        h.write('/* Generated from api/errors.csv by api/gen_errors.py; do not edit. */\n')
        h.write('#ifndef SD_ERRORS_H\n#define SD_ERRORS_H\n\n#include <stddef.h>\n\n')
        h.write('enum sd_err {\n')
        for r in rows:
            h.write(f'    SD_E_{r["name"].upper()} = {int(r["code"])},\n')
        h.write('};\n\n')
        h.write('struct sd_err_info {\n    int code;\n    const char *name;\n'
                '    unsigned http_status;\n    const char *title_zh;\n    const char *title_en;\n};\n\n')
        h.write('/* The registry, ascending by code. */\nextern const struct sd_err_info sd_err_table[];\n')
        h.write('extern const size_t sd_err_count;\n\n')
        h.write('/* The entry for a code; never NULL (unknown codes map to SD_E_INTERNAL). */\n')
        h.write('const struct sd_err_info *sd_err_lookup(enum sd_err code);\n\n#endif\n')
    with open(out_c, 'w', encoding='utf-8') as c:
        c.write('/* Generated from api/errors.csv by api/gen_errors.py; do not edit. */\n')
        c.write('#include "sd_errors.h"\n\nconst struct sd_err_info sd_err_table[] = {\n')
        for r in rows:
            c.write(f'    {{{int(r["code"])}, {c_str(r["name"])}, {int(r["http_status"])}, '
                    f'{c_str(r["title_zh"])}, {c_str(r["title_en"])}}},\n')
        c.write('};\n\nconst size_t sd_err_count = sizeof sd_err_table / sizeof sd_err_table[0];\n\n')
        c.write('const struct sd_err_info *sd_err_lookup(enum sd_err code)\n{\n'
                '    size_t lo = 0, hi = sd_err_count;\n'
                '    while (lo < hi) {\n        size_t mid = lo + (hi - lo) / 2;\n'
                '        if (sd_err_table[mid].code == (int)code)\n            return &sd_err_table[mid];\n'
                '        if (sd_err_table[mid].code < (int)code)\n            lo = mid + 1;\n'
                '        else\n            hi = mid;\n    }\n'
                '    return sd_err_lookup(SD_E_INTERNAL);\n}\n')


if __name__ == '__main__':
    main(*sys.argv[1:4])
