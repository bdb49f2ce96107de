// Shared by the contract tests: finding the npm modules, loading api/openapi.yaml and
// api/errors.csv, resolving local $refs, and comparing the spec's x-error-codes with the registry.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const SKIP = 77;
export const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '..', '..');
export const specPath = process.env.SD_OPENAPI || path.join(root, 'api', 'openapi.yaml');
export const errorsPath = process.env.SD_ERRORS_CSV || path.join(root, 'api', 'errors.csv');

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

export function skip(why) {
  console.log(`SKIP: ${why}`);
  process.exit(SKIP);
}

// The folder that holds node_modules: SD_NPM_PREFIX, else the build's default
// (SD_NPM_PREFIX_DEFAULT, set by tests/contract/meson.build), else build/npm of the source tree
// (where tests/run.sh installs the tools).
export function npmPrefix() {
  return process.env.SD_NPM_PREFIX || process.env.SD_NPM_PREFIX_DEFAULT || path.join(root, 'build', 'npm');
}

// require() the named modules from the prefix; SKIP (77) when the prefix is unset or one is
// missing.  Returns {name: module}.
export function loadModules(names) {
  const prefix = npmPrefix();
  if (!prefix)
    skip('SD_NPM_PREFIX is not set (the folder whose node_modules has ' + names.join(', ') + ')');
  const req = createRequire(path.join(path.resolve(prefix), 'package.json'));
  const out = {};
  for (const name of names) {
    try {
      out[name] = req(name);
    } catch (e) {
      skip(`npm module ${name} not found under ${prefix}/node_modules (${e.code || e.message})`);
    }
  }
  return out;
}

export function loadSpec(YAML) {
  const text = fs.readFileSync(specPath, 'utf8');
  return YAML.parse(text, { maxAliasCount: -1 });
}

// RFC 4180 CSV, as Python's csv module reads api/errors.csv: '#' lines and blank lines are
// comments; the first remaining line names the columns.
export function parseCsv(text) {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const rows = lines.map((line) => {
    const cells = [];
    let cur = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (quoted) {
        if (c === '"' && line[i + 1] === '"') {
          cur += '"';
          i++;
        } else if (c === '"') {
          quoted = false;
        } else {
          cur += c;
        }
      } else if (c === '"') {
        quoted = true;
      } else if (c === ',') {
        cells.push(cur);
        cur = '';
      } else {
        cur += c;
      }
    }
    cells.push(cur);
    return cells;
  });
  const head = rows.shift() || [];
  return rows.map((cells) => Object.fromEntries(head.map((h, i) => [h.trim(), cells[i] ?? ''])));
}

export function loadRegistry() {
  return parseCsv(fs.readFileSync(errorsPath, 'utf8')).map((r) => ({
    code: Number(r.code),
    name: r.name,
    http_status: Number(r.http_status),
    title_zh: r.title_zh,
    title_en: r.title_en,
  }));
}

// Every code of api/errors.csv must be in the spec's x-error-codes with the same name, status
// and titles, and the spec must list no other code.  Returns a list of failure messages.
export function checkErrorCodes(spec, registry) {
  const fails = [];
  const listed = spec['x-error-codes'];
  if (!Array.isArray(listed)) {
    fails.push('api/openapi.yaml has no x-error-codes list');
    return fails;
  }
  const byCode = new Map();
  for (const e of listed) {
    if (byCode.has(e.code)) fails.push(`x-error-codes lists code ${e.code} twice`);
    byCode.set(e.code, e);
  }
  const csvCodes = new Set();
  for (const r of registry) {
    csvCodes.add(r.code);
    const e = byCode.get(r.code);
    if (!e) {
      fails.push(`error code ${r.code} (${r.name}) of api/errors.csv is missing from x-error-codes`);
      continue;
    }
    for (const k of ['name', 'http_status', 'title_zh', 'title_en'])
      if (e[k] !== r[k])
        fails.push(`error code ${r.code}: x-error-codes has ${k} ${JSON.stringify(e[k])}, ` +
                   `api/errors.csv has ${JSON.stringify(r[k])}`);
  }
  for (const e of listed)
    if (!csvCodes.has(e.code))
      fails.push(`x-error-codes lists code ${e.code} (${e.name}), which api/errors.csv does not have`);
  return fails;
}

// Resolve a local $ref chain: returns {node, ptr} where ptr is node's URI fragment ("#/...").
export function deref(spec, node, ptr) {
  const seen = new Set();
  while (node && typeof node === 'object' && typeof node.$ref === 'string') {
    const ref = node.$ref;
    if (!ref.startsWith('#/') || seen.has(ref)) throw new Error(`cannot resolve $ref ${ref}`);
    seen.add(ref);
    ptr = ref;
    node = pointerGet(spec, ptr);
    if (node === undefined) throw new Error(`dangling $ref ${ref}`);
  }
  return { node, ptr };
}

export function pointerGet(doc, ptr) {
  let cur = doc;
  for (const raw of ptr.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object' || !(key in cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

export function pointerJoin(ptr, ...keys) {
  return ptr + keys.map((k) => '/' + String(k).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

// The operations of the spec: [{method: 'GET', template, op, ptr, regex}].
export function specOperations(spec) {
  const ops = [];
  for (const [template, item] of Object.entries(spec.paths || {})) {
    for (const m of HTTP_METHODS) {
      if (!item[m]) continue;
      const rx = new RegExp(
        '^' +
          template
            .split(/(\{[^}/]+\})/)
            .map((part) => (/^\{[^}/]+\}$/.test(part) ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
            .join('') +
          '$');
      ops.push({ method: m.toUpperCase(), template, op: item[m], ptr: pointerJoin('#/paths', template, m), regex: rx });
    }
  }
  return ops;
}

// Is the operation public (security: [] or no security at all)?  Returns the names of the
// security schemes it may use otherwise.
export function opSecurity(spec, op) {
  const sec = op.security !== undefined ? op.security : spec.security;
  if (!Array.isArray(sec) || sec.length === 0) return { public: true, schemes: [] };
  const schemes = new Set();
  let anonymousAllowed = false;
  for (const req of sec) {
    const keys = Object.keys(req || {});
    if (keys.length === 0) anonymousAllowed = true;
    keys.forEach((k) => schemes.add(k));
  }
  return { public: anonymousAllowed, schemes: [...schemes] };
}
