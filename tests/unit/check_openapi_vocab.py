#!/usr/bin/env python3
"""Unit tier: every enum of api/openapi.yaml that lists a shared vocabulary equals
api/vocabulary.csv.

An enum of a vocabulary is one under a property or query parameter named after it (role,
owner_role, state, level, payee) or one of the named schemas below.  Its values must be, in the
source's order, the whole vocabulary, the whole without "none", or the values carrying one tag of
the source (owner_role: the "owner" roles) or lacking it.  The named schemas must be the whole
vocabulary, and every x-roles list names roles of the source.  Exit 77 (SKIP) without PyYAML.

    check_openapi_vocab.py api/openapi.yaml api/vocabulary.csv
"""
import csv
import sys

try:
    import yaml
except ImportError:
    print('SKIP: PyYAML is not installed')
    sys.exit(77)

# property or parameter name -> vocabularies it may list
BY_KEY = {'role': ['role'], 'owner_role': ['role'], 'level': ['level'], 'payee': ['payee'],
          'state': ['claim_state', 'class_state', 'review_job_state', 'objection_state'],
          'outcome': ['review_job_outcome']}
# keys that name a vocabulary only inside these schemas ("outcome" is also a verification's and
# an appeal's, which are no shared vocabulary)
ONLY_IN = {'outcome': ('ReviewJobItem', 'ReviewJob', '/v1/review/jobs/{id}/items')}
# named schemas that must list the whole vocabulary
WHOLE = {'Role': 'role', 'ClaimState': 'claim_state', 'Level': 'level',
         'EvaluationBodyKind': 'evaluation_body_kind'}


def load_vocab(path):
    with open(path, encoding='utf-8') as f:
        rows = csv.DictReader(l for l in f if not l.startswith('#') and l.strip())
        vocab = {}
        for r in rows:
            vocab.setdefault(r['vocabulary'], []).append((r['value'], set(r['tags'].split())))
    return vocab


def allowed_lists(terms):
    """Every list an enum of this vocabulary may be, in source order."""
    values = [v for v, _ in terms]
    out = [values, [v for v in values if v != 'none']]
    for tag in sorted(set().union(*(t for _, t in terms))):
        out.append([v for v, t in terms if tag in t])
        out.append([v for v, t in terms if tag not in t])
    return out


def main(spec_path, vocab_path):
    with open(spec_path, encoding='utf-8') as f:
        spec = yaml.safe_load(f)
    vocab = load_vocab(vocab_path)
    failures, checked = [], 0

    def check(where, values, names):
        nonlocal checked
        checked += 1
        for name in names:
            if values in allowed_lists(vocab[name]):
                return
        failures.append(f'{where}: enum {values} is not {" or ".join(names)} of '
                        f'{vocab_path} (whole, without none, or one tag\'s values, in order)')

    def scoped(path, key):
        # path: components/schemas/NAME/... or paths/ROUTE/...
        where = path[2] if path[:2] == ['components', 'schemas'] and len(path) > 2 else \
            path[1] if path[:1] == ['paths'] and len(path) > 1 else None
        return key not in ONLY_IN or where in ONLY_IN[key]

    def walk(node, path, key):
        if isinstance(node, dict):
            if 'enum' in node and key in BY_KEY and scoped(path, key):
                check('/'.join(path), node['enum'], BY_KEY[key])
            if isinstance(node.get('name'), str) and node['name'] in BY_KEY \
                    and scoped(path, node['name']):
                schema = node.get('schema', {})
                if 'enum' in schema:
                    check('/'.join(path) + ' (parameter ' + node['name'] + ')', schema['enum'],
                          BY_KEY[node['name']])
            for role in node.get('x-roles', []) if isinstance(node.get('x-roles'), list) else []:
                if role not in [v for v, _ in vocab['role']]:
                    failures.append(f'{"/".join(path)}: x-roles names {role!r}, not a role')
            for k, v in node.items():
                if path and path[-1] == 'properties':
                    child = k if k in BY_KEY else None  # v is the schema of property k
                elif k in ('items', 'allOf', 'oneOf', 'anyOf', 'if', 'then', 'else'):
                    child = key  # still the same property's schema
                else:
                    child = None
                walk(v, path + [str(k)], child)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, path + [str(i)], key)

    walk(spec, [], None)
    schemas = spec.get('components', {}).get('schemas', {})
    for schema, name in WHOLE.items():
        whole = [v for v, _ in vocab[name]]
        got = schemas.get(schema, {}).get('enum')
        checked += 1
        if got != whole:
            failures.append(f'components/schemas/{schema}: enum {got} is not {whole}')
    for f in failures:
        print('FAIL ' + f)
    print(f'{checked} enums checked, {len(failures)} disagree with {vocab_path}')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main(*sys.argv[1:3]))
