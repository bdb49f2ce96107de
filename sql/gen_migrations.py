#!/usr/bin/env python3
"""Embed the migrations (sql/NNNN_name.sql) into C: sd_migrations.c.

The daemon uses the list to refuse an unmigrated schema; subsidyctl uses the text to migrate.
Versions must be 1, 2, 3 ... without gaps; the build fails otherwise.
"""
import hashlib
import os
import re
import sys


def c_str(text):
    out = []
    for line in text.splitlines(keepends=True):
        esc = line.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n')
        out.append('"' + esc + '"')
    return '\n        '.join(out) or '""'


def main(out_c, *files):
    items = []
    for path in sorted(files, key=os.path.basename):
        base = os.path.basename(path)
        m = re.fullmatch(r'(\d{4})_([a-z0-9_]+)\.sql', base)
        if not m:
            sys.exit(f'{path}: migration names are NNNN_name.sql')
        data = open(path, 'rb').read()
        items.append((int(m.group(1)), base[:-4], data.decode('utf-8'),
                      hashlib.sha256(data).hexdigest()))
    for i, it in enumerate(items, 1):
        if it[0] != i:
            sys.exit(f'migration {it[1]}: expected version {i}')
    with open(out_c, 'w', encoding='utf-8') as c:
        c.write('/* Generated from the sql/ migrations by sql/gen_migrations.py; do not edit. */\n')
        c.write('#include "sd_migrations.h"\n\nconst struct sd_migration sd_migrations[] = {\n')
        for v, name, text, digest in items:
            c.write(f'    {{{v}, "{name}", "{digest}",\n        {c_str(text)}}},\n')
        c.write('};\n\nconst size_t sd_migrations_count = '
                'sizeof sd_migrations / sizeof sd_migrations[0];\n')


if __name__ == '__main__':
    main(*sys.argv[1:])
