#!/usr/bin/env node
// Check real replies against api/openapi.yaml.
//
//   validate_replies.mjs [LOGFILE]      (default: $SD_CONTRACT_LOG, then $SD_CONTRACT_LOG_DEFAULT)
//
// The API tests write one file per test program, LOGFILE.d/PROGRAM.jsonl (tests/lib/harness.c),
// each emptied when its program starts; a LOGFILE given as the argument is read too.  One JSON
// object per HTTP exchange:
//   {"method":"POST","path":"/v1/tokens?x=1","status":422,"content_type":"application/problem+json",
//    "headers":{"retry-after":"1",...},"body":"<raw body text>",
//    "request":{"content_type":"application/json","body":"<raw request body>"}}
// (path with its query string, header names lower-cased; request.body_not_utf8 instead of body for
// a request body that is not UTF-8).  For each reply: the operation is found by path template and
// method; the status must be documented for it (or by a 2XX-style range or default); the content
// type must be one documented for that status; the body must parse and validate against the
// schema; every required header of the response must be present and valid.
//
// Requests are checked too, as a validating client or proxy (Stoplight Prism) would: a request
// the server accepted (2xx) must match the operation's requestBody — a body where one is
// required, a documented content type, and a JSON body valid against the schema — and its query
// parameters (declared, valid, the required ones given), since a valid request is what gets a
// success; requests the tests send malformed on purpose get a 4xx and are
// not held to the schema.  A 400 or 422 naming fields for a request the schema accepts is listed
// (not a failure: some refusals depend on the database, such as a region that does not exist).
// Problem bodies must also agree with the error registry (x-error-codes): status, name, titles,
// type URN, request_id = X-Request-Id.  Replies to a path or method the spec does not have are
// checked against the shared Problem schema only (plus Allow on 405).  api/errors.csv and the
// spec's x-error-codes must agree.
//
// Exit 0 when all is well, 1 on any failure, 77 (skip) when the log is missing or empty or the
// npm modules (SD_NPM_PREFIX) are not there.  An operation no reply exercised is only a warning.
import fs from 'node:fs';
import {
  SKIP, loadModules, loadSpec, loadRegistry, checkErrorCodes, deref, pointerJoin, specOperations,
} from './common.mjs';

const logPath = process.argv[2] || process.env.SD_CONTRACT_LOG || process.env.SD_CONTRACT_LOG_DEFAULT;
if (!logPath) {
  console.log('SKIP: no reply log given (argument, SD_CONTRACT_LOG)');
  process.exit(SKIP);
}
const logFiles = [];
if (process.argv[2] && fs.existsSync(logPath)) logFiles.push(logPath);
if (fs.existsSync(`${logPath}.d`))
  for (const f of fs.readdirSync(`${logPath}.d`).sort())
    if (f.endsWith('.jsonl')) logFiles.push(`${logPath}.d/${f}`);
if (logFiles.length === 0) {
  console.log(`SKIP: reply log ${logPath} (or ${logPath}.d/) does not exist (run the API tests first)`);
  process.exit(SKIP);
}
const lines = [];
for (const f of logFiles)
  for (const [i, text] of fs.readFileSync(f, 'utf8').split('\n').entries())
    lines.push({ where: `${f}:${i + 1}`, text });
if (!lines.some((l) => l.text.trim() !== '')) {
  console.log(`SKIP: reply logs under ${logPath} are empty`);
  process.exit(SKIP);
}

const mods = loadModules(['yaml', 'ajv/dist/2020.js', 'ajv-formats']);
const YAML = mods.yaml;
const Ajv2020 = mods['ajv/dist/2020.js'].default || mods['ajv/dist/2020.js'];
const addFormats = mods['ajv-formats'].default || mods['ajv-formats'];

const spec = loadSpec(YAML);
const failures = [];
for (const f of checkErrorCodes(spec, loadRegistry())) failures.push(`api/errors.csv: ${f}`);
const registry = new Map((spec['x-error-codes'] || []).map((e) => [e.code, e]));

// The whole spec is one schema resource, so that '#/components/schemas/...' refs resolve.
const SPEC_ID = 'urn:subsidyd:openapi';
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
addFormats(ajv);
ajv.addSchema({ ...spec, $id: SPEC_ID });
const validators = new Map();
function validatorAt(ptr) {
  if (!validators.has(ptr)) validators.set(ptr, ajv.compile({ $ref: SPEC_ID + ptr }));
  return validators.get(ptr);
}
function schemaErrors(ptr, value) {
  const v = validatorAt(ptr);
  if (v(value)) return [];
  return v.errors.map((e) => `${e.instancePath || '(body)'} ${e.message}` +
    (e.params && Object.keys(e.params).length ? ' ' + JSON.stringify(e.params) : ''));
}

const ops = specOperations(spec);
const PROBLEM_PTR = '#/components/schemas/Problem';
if (!spec.components?.schemas?.Problem) failures.push('api/openapi.yaml has no components/schemas/Problem');

// For replies to unknown paths/methods: the response documented for that status wherever it is a
// shared (components/responses) one, for its required headers (Allow on 405).
const sharedByStatus = new Map();
for (const o of ops)
  for (const [st, r] of Object.entries(o.op.responses || {}))
    if (r && r.$ref && !sharedByStatus.has(st)) sharedByStatus.set(st, r);

const baseType = (ct) => (ct || '').split(';')[0].trim().toLowerCase();
const isJsonType = (t) => t === 'application/json' || /^application\/[a-z0-9.+-]*\+json$/.test(t);

function mediaFor(content, ct) {
  const t = baseType(ct);
  const keys = Object.keys(content);
  return keys.find((k) => baseType(k) === t) ||
         keys.find((k) => k.endsWith('/*') && t.startsWith(k.slice(0, -1))) ||
         keys.find((k) => k === '*/*');
}

// Problem bodies must agree with the registry and the exchange.
function problemChecks(body, ex, fail) {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return;
  if (body.status !== ex.status) fail(`problem status ${body.status} differs from the HTTP status ${ex.status}`);
  const e = registry.get(body.code);
  if (!e) {
    fail(`problem code ${body.code} is not in x-error-codes`);
  } else {
    if (e.name !== body.name) fail(`problem code ${body.code} has name ${body.name}, the registry says ${e.name}`);
    if (e.http_status !== ex.status) fail(`problem code ${body.code} (${e.name}) belongs to status ${e.http_status}, got ${ex.status}`);
    if (body.title_zh !== e.title_zh) fail(`problem title_zh ${JSON.stringify(body.title_zh)} is not the registry's`);
    if (body.title_en !== e.title_en) fail(`problem title_en ${JSON.stringify(body.title_en)} is not the registry's`);
    if (body.title !== e.title_zh && body.title !== e.title_en) fail(`problem title ${JSON.stringify(body.title)} is neither registry title`);
    if (body.type !== `urn:subsidyd:error:${e.name}`) fail(`problem type ${body.type} should be urn:subsidyd:error:${e.name}`);
  }
  const rid = ex.headers['x-request-id'];
  if (rid !== undefined && body.request_id !== rid) fail(`problem request_id ${body.request_id} differs from X-Request-Id ${rid}`);
  for (const [i, fe] of (Array.isArray(body.errors) ? body.errors : []).entries()) {
    const fr = registry.get(fe?.code);
    if (!fr) fail(`errors[${i}].code ${fe?.code} is not in x-error-codes`);
    else if (fr.name !== fe.name) fail(`errors[${i}] code ${fe.code} has name ${fe.name}, the registry says ${fr.name}`);
  }
}

function headerChecks(resp, respPtr, ex, fail) {
  for (const [name, h0] of Object.entries(resp.headers || {})) {
    let h, hptr;
    try {
      ({ node: h, ptr: hptr } = deref(spec, h0, pointerJoin(respPtr, 'headers', name)));
    } catch (e) {
      fail(`header ${name}: ${e.message}`);
      continue;
    }
    const value = ex.headers[name.toLowerCase()];
    if (value === undefined) {
      if (h.required) fail(`required header ${name} is missing`);
      continue;
    }
    if (!h.schema) continue;
    const { node: hs } = deref(spec, h.schema, pointerJoin(hptr, 'schema'));
    const types = [].concat(hs.type || []);
    let v = value;
    if ((types.includes('integer') || types.includes('number')) && /^-?[0-9]+(\.[0-9]+)?$/.test(value)) v = Number(value);
    for (const err of schemaErrors(pointerJoin(hptr, 'schema'), v)) fail(`header ${name}: ${JSON.stringify(value)}: ${err}`);
  }
}

function bodyOf(ex, mediaType, fail) {
  const text = ex.body ?? '';
  if (!isJsonType(baseType(mediaType))) return { ok: true, value: text };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    fail(`body is not JSON (${e.message}): ${text.slice(0, 120)}`);
    return { ok: false };
  }
}

const covered = new Map();
let checked = 0;
let requestsChecked = 0;
const looser = []; // refused requests the schema accepts
for (const { where: at, text } of lines) {
  if (text.trim() === '') continue;
  try {
    checkLine(at, text);
  } catch (e) {
    failures.push(`${at}: ${e.stack || e}`);
  }
}

// The request of an exchange against the operation's requestBody: [] when it matches, else the
// reasons.  null when there is nothing to check (no requestBody, or a body that is not JSON).
function requestErrors(o, ex) {
  const q = ex.request;
  if (!q || typeof q !== 'object') return null;
  const rb0 = o.op.requestBody;
  const sent = q.body !== undefined && q.body !== '' || q.body_not_utf8;
  if (!rb0) return null;
  const { node: rb, ptr: rbPtr } = deref(spec, rb0, pointerJoin(o.ptr, 'requestBody'));
  if (!sent) return rb.required ? ['no request body, the operation requires one'] : [];
  if (q.body_not_utf8) return ['the request body is not UTF-8'];
  const mt = mediaFor(rb.content || {}, q.content_type);
  if (!mt) return [`request content type ${q.content_type} is not documented (documented: ${Object.keys(rb.content || {}).join(', ')})`];
  if (!isJsonType(baseType(mt)) || !rb.content[mt].schema) return [];
  let value;
  try {
    value = JSON.parse(q.body);
  } catch (e) {
    return [`request body is not JSON (${e.message})`];
  }
  return schemaErrors(pointerJoin(rbPtr, 'content', mt, 'schema'), value).map((e) => `request ${e}`);
}

// The query of an exchange against the operation's query parameters: [] when it matches, else
// the reasons (an undeclared name, a value its schema refuses, a required one missing).
function queryErrors(o, fullPath) {
  const errs = [];
  const declared = new Map();
  for (const [i, p0] of (o.op.parameters || []).entries()) {
    const { node: p, ptr } = deref(spec, p0, pointerJoin(o.ptr, 'parameters', i));
    if (p.in === 'query') declared.set(p.name, { p, ptr });
  }
  const q = fullPath.includes('?') ? new URLSearchParams(fullPath.slice(fullPath.indexOf('?') + 1)) : new URLSearchParams();
  for (const [name, raw] of q) {
    const d = declared.get(name);
    if (!d) {
      errs.push(`query parameter ${name} is not declared`);
      continue;
    }
    if (!d.p.schema) continue;
    const sptr = pointerJoin(d.ptr, 'schema');
    const { node: s } = deref(spec, d.p.schema, sptr);
    const types = [].concat(s.type || []);
    let v = raw;
    if ((types.includes('integer') || types.includes('number')) && /^-?[0-9]+(\.[0-9]+)?$/.test(raw)) v = Number(raw);
    else if (types.includes('boolean') && (raw === 'true' || raw === 'false')) v = raw === 'true';
    for (const e of schemaErrors(sptr, v)) errs.push(`query parameter ${name}=${JSON.stringify(raw)}: ${e}`);
  }
  for (const [name, d] of declared) if (d.p.required && !q.has(name)) errs.push(`required query parameter ${name} is missing`);
  return errs;
}

function checkLine(at, line) {
  let ex;
  try {
    ex = JSON.parse(line);
  } catch (e) {
    failures.push(`${at}: not a JSON line (${e.message})`);
    return;
  }
  checked++;
  ex.headers = Object.fromEntries(Object.entries(ex.headers || {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
  ex.status = Number(ex.status);
  const method = String(ex.method || '').toUpperCase();
  const fullPath = String(ex.path || '');
  const pathOnly = fullPath.split('?')[0].split('#')[0];
  const isHead = method === 'HEAD';
  const lookup = isHead ? 'GET' : method;
  const where = `${at}: ${method} ${fullPath} -> ${ex.status}`;
  const fail = (msg) => failures.push(`${where}: ${msg}`);
  const ct = ex.content_type ?? ex.headers['content-type'];

  const onPath = ops.filter((o) => o.regex.test(pathOnly));
  const o = onPath.find((x) => x.method === lookup);

  if (!o) {
    // Not in the spec: a problem reply only.
    if (ex.status < 400) fail(`a path or method the spec does not have answered ${ex.status}`);
    if (baseType(ct) !== 'application/problem+json') fail(`content type ${ct} is not application/problem+json`);
    const shared = sharedByStatus.get(String(ex.status));
    if (shared) {
      const { node, ptr } = deref(spec, shared, '');
      headerChecks(node, ptr, ex, fail);
    } else if (!ex.headers['x-request-id']) {
      fail('X-Request-Id header is missing');
    }
    if (!isHead) {
      const b = bodyOf(ex, 'application/problem+json', fail);
      if (b.ok) {
        for (const err of schemaErrors(PROBLEM_PTR, b.value)) fail(`Problem: ${err}`);
        problemChecks(b.value, ex, fail);
      }
    }
    return;
  }

  const opKey = `${o.method} ${o.template}`;
  covered.set(opKey, (covered.get(opKey) || new Set()).add(ex.status));
  const qErrs = queryErrors(o, fullPath);
  if (ex.status >= 200 && ex.status < 300)
    for (const e of qErrs) fail(`the server accepted a request the contract refuses: ${e}`);
  const reqErrs = requestErrors(o, ex);
  if (reqErrs) {
    requestsChecked++;
    if (ex.status >= 200 && ex.status < 300)
      for (const e of reqErrs) fail(`the server accepted a request the contract refuses: ${e}`);
    else if ((ex.status === 400 || ex.status === 422) && reqErrs.length === 0) {
      let named = [];
      try {
        named = (JSON.parse(ex.body).errors || []).map((e) => e.field);
      } catch { /* not a problem body */ }
      if (named.length) looser.push(`${where}: fields ${named.join(', ')}`);
    }
  }
  const responses = o.op.responses || {};
  const st = String(ex.status);
  const key = [st, `${st[0]}XX`, `${st[0]}xx`, 'default'].find((k) => k in responses);
  if (!key) {
    fail(`status ${ex.status} is not documented for ${opKey} (documented: ${Object.keys(responses).join(', ')})`);
    return;
  }
  let resp, respPtr;
  try {
    ({ node: resp, ptr: respPtr } = deref(spec, responses[key], pointerJoin(o.ptr, 'responses', key)));
  } catch (e) {
    fail(e.message);
    return;
  }
  headerChecks(resp, respPtr, ex, fail);

  if (!resp.content || Object.keys(resp.content).length === 0) {
    if ((ex.body ?? '') !== '') fail(`response ${key} of ${opKey} has no body, got ${JSON.stringify(ex.body.slice(0, 120))}`);
    return;
  }
  const mt = mediaFor(resp.content, ct);
  if (!mt) {
    fail(`content type ${ct} is not documented for ${key} of ${opKey} (documented: ${Object.keys(resp.content).join(', ')})`);
    return;
  }
  if (isHead) return;
  const media = resp.content[mt];
  const b = bodyOf(ex, mt, fail);
  if (!b.ok) return;
  if (media.schema) {
    const sptr = pointerJoin(respPtr, 'content', mt, 'schema');
    for (const err of schemaErrors(sptr, b.value)) fail(`schema: ${err}`);
  }
  if (baseType(mt) === 'application/problem+json') problemChecks(b.value, ex, fail);
}

console.log(`${checked} replies checked, ${covered.size} operations covered (of ${ops.length}), ` +
  `${requestsChecked} request bodies checked`);
if (looser.length) {
  console.log(`${looser.length} refused request(s) naming fields that the contract's schemas accept (database checks, or the schema is looser than the server):`);
  for (const l of looser.slice(0, 40)) console.log(`  ${l}`);
}
for (const o of ops) {
  const k = `${o.method} ${o.template}`;
  if (covered.has(k)) {
    const seen = [...covered.get(k)].sort();
    const undocumented = Object.keys(o.op.responses || {}).filter((s) => !seen.includes(Number(s)));
    console.log(`  ${k}: ${seen.join(', ')}` + (undocumented.length ? `  (never seen: ${undocumented.join(', ')})` : ''));
  } else {
    console.log(`  warning: ${k}: no reply exercised this operation`);
  }
}
if (failures.length) {
  console.log(`\n${failures.length} failure(s):`);
  for (const f of failures) console.log(`  FAIL ${f}`);
  process.exit(1);
}
console.log('all replies match api/openapi.yaml');
