#!/usr/bin/env node
// Compare the daemon's route table with api/openapi.yaml.
//
//   check_routes.mjs ROUTES_FILE
//
// ROUTES_FILE is the output of dump_routes, one route a line:
//   METHOD PATTERN auth=none|token roles=admin,approver,... body=json|none
// Fails when a route is missing from the spec, a spec operation has no route, public/auth
// disagree (security: [] vs bearerAuth), the roles differ from the operation's x-roles, a
// body route has no requestBody (or the reverse), or api/errors.csv and the spec's
// x-error-codes disagree.  Exit 77 (skip) when the npm modules are not there.
import fs from 'node:fs';
import {
  loadModules, loadSpec, loadRegistry, checkErrorCodes, specOperations, opSecurity,
} from './common.mjs';

const routesPath = process.argv[2];
if (!routesPath) {
  console.error('usage: check_routes.mjs ROUTES_FILE');
  process.exit(2);
}
const { yaml: YAML } = loadModules(['yaml']);
const spec = loadSpec(YAML);
const failures = [];

const routes = [];
for (const [i, line] of fs.readFileSync(routesPath, 'utf8').split('\n').entries()) {
  if (line.trim() === '') continue;
  const [method, pattern, ...rest] = line.trim().split(/\s+/);
  const kv = Object.fromEntries(rest.map((w) => {
    const at = w.indexOf('=');
    return at < 0 ? [w, ''] : [w.slice(0, at), w.slice(at + 1)];
  }));
  if (!method || !pattern || !pattern.startsWith('/') || !('auth' in kv)) {
    failures.push(`${routesPath}:${i + 1}: cannot read route line ${JSON.stringify(line)}`);
    continue;
  }
  routes.push({
    method, pattern, auth: kv.auth,
    roles: kv.roles ? kv.roles.split(',').filter(Boolean) : [],
    body: 'body' in kv ? kv.body === 'json' : undefined,
  });
}
if (routes.length === 0) failures.push(`${routesPath}: no routes (did dump_routes run?)`);

const ops = specOperations(spec);
const opByKey = new Map(ops.map((o) => [`${o.method} ${o.template}`, o]));
const routeKeys = new Set();
const sameSet = (a, b) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

for (const r of routes) {
  const key = `${r.method} ${r.pattern}`;
  if (routeKeys.has(key)) failures.push(`route ${key} is in the route table twice`);
  routeKeys.add(key);
  const o = opByKey.get(key);
  if (!o) {
    failures.push(`route ${key} is not in api/openapi.yaml`);
    continue;
  }
  const sec = opSecurity(spec, o.op);
  if (r.auth === 'none') {
    if (!sec.public) failures.push(`route ${key} is public (auth=none) but the spec requires ${sec.schemes.join(', ')}`);
  } else if (r.auth === 'token') {
    if (sec.public) failures.push(`route ${key} needs a token but the spec has security: []`);
    else if (!sec.schemes.includes('bearerAuth'))
      failures.push(`route ${key} needs a bearer token but the spec's security is ${sec.schemes.join(', ')}`);
  } else {
    failures.push(`route ${key} has auth=${r.auth} (not declared?)`);
  }
  const xr = o.op['x-roles'];
  if (!Array.isArray(xr)) failures.push(`operation ${key} has no x-roles list`);
  else if (!sameSet(xr, r.roles))
    failures.push(`route ${key} allows roles [${r.roles.join(', ')}], the spec's x-roles are [${xr.join(', ')}]`);
  if (r.body !== undefined && r.body !== Boolean(o.op.requestBody))
    failures.push(r.body ? `route ${key} takes a JSON body but the spec has no requestBody`
                         : `route ${key} takes no body but the spec has a requestBody`);
}
for (const o of ops) {
  const key = `${o.method} ${o.template}`;
  if (!routeKeys.has(key)) failures.push(`spec operation ${key} has no route in src/http/routes.c`);
}
for (const f of checkErrorCodes(spec, loadRegistry())) failures.push(`api/errors.csv: ${f}`);

console.log(`${routes.length} routes, ${ops.length} spec operations, ${(spec['x-error-codes'] || []).length} error codes`);
if (failures.length) {
  for (const f of failures) console.log(`FAIL ${f}`);
  process.exit(1);
}
console.log('route table, api/errors.csv and api/openapi.yaml agree');
