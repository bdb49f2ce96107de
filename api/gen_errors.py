#!/usr/bin/env python3
"""Generate the registry of codes: the HTTP errors (api/errors.csv -> sd_errors.h, sd_errors.c)
and the problems of a claim's judgement (api/problems.csv -> sr_problems.h, sr_problems.c, for
the rule module, which knows nothing of HTTP).

One registry, two ranges: problems are 0-999, numbered from 0 without gaps (the enum indexes
tables); errors are 1000 and up, ascending.  Lines starting with '#' are comments.  Names are
unique identifiers within a file (a problem and the error that reports it may share one),
statuses real HTTP statuses; the build fails otherwise.

    gen_errors.py errors.csv problems.csv sd_errors.h sd_errors.c sr_problems.h sr_problems.c
"""
import csv
import re
import sys


def c_str(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'


def read_rows(src):
    with open(src, encoding='utf-8') as f:
        lines = [l for l in f if not l.startswith('#') and l.strip()]
    return list(csv.DictReader(lines))


def check_problems(src, rows, seen_names):
    for i, r in enumerate(rows):
        code, name = int(r['code']), r['name']
        if code != i or code > 999:
            sys.exit(f'{src}: code {code}: problems are numbered 0, 1, 2 ... below 1000')
        if not re.fullmatch(r'[a-z][a-z0-9_]*', name) or name in seen_names:
            sys.exit(f'{src}: bad or duplicate name {name!r}')
        if r['by'] not in ('rule', 'caller'):
            sys.exit(f'{src}: {name}: by must be rule or caller')
        if r['section'] and r['by'] != 'caller':
            sys.exit(f'{src}: {name}: only a caller\'s problem has a fixed section')
        if not r['message_zh'] or not r['message_en']:
            sys.exit(f'{src}: {name}: both messages are required')
        seen_names.add(name)


def write_problems(rows, out_h, out_c):
    with open(out_h, 'w', encoding='utf-8') as h:
        h.write('/* Generated from api/problems.csv by api/gen_errors.py; do not edit. */\n')
        h.write('#ifndef SR_PROBLEMS_H\n#define SR_PROBLEMS_H\n\n#include <stdbool.h>\n\n')
        h.write('enum sr_problem_code {\n')
        for r in rows:
            note = ' /* added by the caller */' if r['by'] == 'caller' else ''
            h.write(f'    SR_P_{r["name"].upper()} = {int(r["code"])},{note}\n')
        h.write('    SR_P_COUNT\n};\n\n')
        h.write('/* The stable name ("quota_year_exhausted") and the messages of a code; NULL when out\n'
                ' * of range. */\n'
                'const char *sr_problem_code_name(enum sr_problem_code code);\n'
                'const char *sr_problem_message_zh(enum sr_problem_code code);\n'
                'const char *sr_problem_message_en(enum sr_problem_code code);\n'
                '/* Parse a stable name; false for any other text. */\n'
                'bool sr_problem_code_parse(const char *text, enum sr_problem_code *out);\n'
                '/* True for a problem only the caller can find, from data it holds (sr_evaluate never\n'
                ' * reports it; the caller adds it with sr_result_add_problem). */\n'
                'bool sr_problem_by_caller(enum sr_problem_code code);\n'
                '/* The fixed section a caller\'s problem is reported under, or NULL (the policy\'s). */\n'
                'const char *sr_problem_section(enum sr_problem_code code);\n\n#endif\n')
    with open(out_c, 'w', encoding='utf-8') as c:
        c.write('/* Generated from api/problems.csv by api/gen_errors.py; do not edit. */\n')
        c.write('#include "sr_problems.h"\n\n#include <stddef.h>\n#include <string.h>\n\n')
        c.write('static const struct {\n    const char *name, *zh, *en, *section;\n'
                '    bool by_caller;\n} problems[SR_P_COUNT] = {\n')
        for r in rows:
            section = c_str(r['section']) if r['section'] else 'NULL'
            c.write(f'    [SR_P_{r["name"].upper()}] = {{{c_str(r["name"])}, {c_str(r["message_zh"])}, '
                    f'{c_str(r["message_en"])}, {section}, {"true" if r["by"] == "caller" else "false"}}},\n')
        c.write('};\n')
        for fn, field, kind in (('sr_problem_code_name', 'name', 'const char *'),
                                ('sr_problem_message_zh', 'zh', 'const char *'),
                                ('sr_problem_message_en', 'en', 'const char *'),
                                ('sr_problem_section', 'section', 'const char *'),
                                ('sr_problem_by_caller', 'by_caller', 'bool ')):
            fallback = 'false' if kind == 'bool ' else 'NULL'
            c.write(f'\n{kind}{fn}(enum sr_problem_code code)\n{{\n'
                    f'    return (unsigned)code < SR_P_COUNT ? problems[code].{field} : {fallback};\n}}\n')
        c.write('\nbool sr_problem_code_parse(const char *text, enum sr_problem_code *out)\n{\n'
                '    for (int i = 0; text && i < SR_P_COUNT; i++)\n'
                '        if (strcmp(problems[i].name, text) == 0) {\n'
                '            *out = (enum sr_problem_code)i;\n            return true;\n        }\n'
                '    return false;\n}\n')


def main(src, problems_src, out_h, out_c, prob_h, prob_c):
    rows = read_rows(src)
    problem_rows = read_rows(problems_src)
    check_problems(problems_src, problem_rows, set())
    seen_names, last = set(), 999
    for r in rows:
        code, name, status = int(r['code']), r['name'], int(r['http_status'])
        if code <= last:
            sys.exit(f'{src}: code {code} not ascending from 1000')
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
    write_problems(problem_rows, prob_h, prob_c)


if __name__ == '__main__':
    main(*sys.argv[1:7])
