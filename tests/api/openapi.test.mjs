// docs/openapi.yaml and the server's route table (`huoyan routes --json`) describe the same API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSpec, serverRoutes, routePermission, toOpenApiPath, deref, requestSchema } from './lib.mjs';

const METHODS = ['get', 'post', 'put', 'delete', 'patch'];

function specOps(spec) {
  const ops = new Map();
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const m of METHODS) if (item[m]) ops.set(`${m.toUpperCase()} ${path}`, item[m]);
  }
  return ops;
}

function serverOps() {
  const ops = new Map();
  for (const r of serverRoutes()) ops.set(`${r.method.toUpperCase()} ${toOpenApiPath(r.path)}`, r);
  return ops;
}

test('every server route is in the spec and every /api route of the spec is served', () => {
  const spec = specOps(loadSpec());
  const server = serverOps();
  const notInSpec = [...server.keys()].filter((k) => !spec.has(k)).sort();
  // /healthz and /metrics may live outside the route table; every /api operation must be in it
  const notServed = [...spec.keys()].filter((k) => !server.has(k) && k.split(' ')[1].startsWith('/api/')).sort();
  const diff = [
    ...notInSpec.map((k) => `+ served but not in docs/openapi.yaml: ${k}`),
    ...notServed.map((k) => `- in docs/openapi.yaml but not served:  ${k}`),
  ];
  assert.deepEqual(diff, [], `route tables differ:\n${diff.join('\n')}`);
});

test('x-permission equals the route\'s permission', () => {
  const spec = specOps(loadSpec());
  const diff = [];
  for (const [k, r] of serverOps()) {
    const op = spec.get(k);
    if (!op) continue;
    const want = routePermission(r);
    const got = op['x-permission'] ?? null;
    if (want !== got) diff.push(`${k}: server ${want ?? '(none)'} · spec ${got ?? '(none)'}`);
  }
  assert.deepEqual(diff, [], `permission mismatches:\n${diff.join('\n')}`);
});

test('the spec is complete: summaries, security, error codes, closed request bodies', () => {
  const doc = loadSpec();
  assert.equal(doc.openapi, '3.0.3');
  const problems = [];
  const known = new Set(Object.keys(doc.components.schemas));
  for (const [k, op] of specOps(doc)) {
    if (k.split(' ')[1].startsWith('/api/public/') && k.split(' ')[0] !== 'GET' && !(Array.isArray(op.security) && op.security.length === 0)) {
      problems.push(`${k}: a public write must need no security`);
    }
    if (!/[\u4e00-\u9fff]/.test(op.summary ?? '')) problems.push(`${k}: summary not in Chinese`);
    if (!Array.isArray(op.security)) problems.push(`${k}: no security`);
    if (op['x-permission'] && !op.security?.some((s) => 'bearer' in s)) problems.push(`${k}: permission route without bearer`);
    const [method, path] = k.split(' ');
    // Login and device messages are public: the password, or each message's own signature, authenticates them.
    // Public reports and their photos (/api/public/…) come from citizens without an account: no session, no CSRF, rate-limited.
    const publicWrite = path.startsWith('/api/auth/login') || path === '/api/devices/messages' || path.startsWith('/api/public/');
    if (method !== 'GET' && path.startsWith('/api/') && !publicWrite) {
      if (!op.security?.some((s) => 'session' in s && 'csrf' in s)) problems.push(`${k}: session writes must require csrf`);
      if (!(op.parameters ?? []).some((p) => p.$ref === '#/components/parameters/IdempotencyKey')) problems.push(`${k}: no Idempotency-Key parameter`);
    }
    for (const [status, resp0] of Object.entries(op.responses ?? {})) {
      const resp = deref(doc, resp0);
      if (!resp?.description) problems.push(`${k} ${status}: no description`);
      // Pages for people (GET /p/{token}, opened from a QR code) answer their errors as HTML, not as Error JSON.
      const htmlOnly = resp?.content && Object.keys(resp.content).length > 0 && Object.keys(resp.content).every((m) => m === 'text/html');
      if (Number(status) >= 400 && k !== 'GET /metrics' && !(htmlOnly && k.startsWith('GET /p/'))) {
        const codes = resp['x-error-codes'];
        if (!Array.isArray(codes) || codes.length === 0) problems.push(`${k} ${status}: no x-error-codes`);
        const schema = resp.content?.['application/json']?.schema;
        if (schema?.$ref !== '#/components/schemas/Error') problems.push(`${k} ${status}: not the Error schema`);
      }
    }
    if (op.requestBody) {
      // A raw upload (POST /api/files) takes the file itself: every media type an image, the schema a binary string.
      const media = deref(doc, op.requestBody).content ?? {};
      const raw = Object.keys(media).length > 0 && Object.entries(media)
        .every(([m, c]) => m.startsWith('image/') && c.schema?.type === 'string' && c.schema?.format === 'binary');
      if (raw) continue;
      const schema = deref(doc, deref(doc, op.requestBody).content?.['application/json']?.schema);
      if (!schema) { problems.push(`${k}: request body without JSON schema`); continue; }
      if (schema.additionalProperties !== false) problems.push(`${k}: request body allows unknown fields`);
      // every level of the body (objects in arrays such as openingHours, rows, items) is closed and typed
      const checkProps = (obj, where) => {
        for (const [name, p0] of Object.entries(obj.properties ?? {})) {
          const p = deref(doc, p0);
          const at = `${where}${name}`;
          if (!p.type && !p.enum) problems.push(`${k}: ${at} has no type`);
          if (p.type === 'string' && !p.enum && !p.maxLength) problems.push(`${k}: ${at} has no maxLength`);
          const inner = p.type === 'array' ? deref(doc, p.items) : p;
          if (p.type === 'array' && !inner?.type && !inner?.enum) problems.push(`${k}: ${at}[] has no item type`);
          if (p.type === 'array' && inner?.type === 'string' && !inner.enum && !inner.maxLength) problems.push(`${k}: ${at}[] has no maxLength`);
          if (inner?.type === 'object') {
            if (inner.additionalProperties !== false) problems.push(`${k}: ${at} allows unknown fields`);
            checkProps(inner, `${at}${p.type === 'array' ? '[]' : ''}.`);
          }
        }
        for (const r of obj.required ?? []) if (!(r in (obj.properties ?? {}))) problems.push(`${k}: required ${where}${r} not a property`);
      };
      checkProps(schema, '');
    }
  }
  // every $ref resolves
  const walk = (n, where) => {
    if (Array.isArray(n)) n.forEach((x, i) => walk(x, `${where}[${i}]`));
    else if (n && typeof n === 'object') {
      if (typeof n.$ref === 'string') {
        const m = /^#\/components\/schemas\/(.+)$/.exec(n.$ref);
        if (m && !known.has(m[1])) problems.push(`${where}: dangling ${n.$ref}`);
        if (!deref(doc, n)) problems.push(`${where}: dangling ${n.$ref}`);
      }
      for (const [key, v] of Object.entries(n)) walk(v, `${where}.${key}`);
    }
  };
  walk(doc.paths, 'paths');
  walk(doc.components, 'components');
  assert.deepEqual(problems, [], problems.join('\n'));
});

test('request body fields and types equal the route table\'s', () => {
  const doc = loadSpec();
  const typeOf = (p0) => {
    const p = deref(doc, p0);
    if (p.type === 'array') return `${deref(doc, p.items).type}[]`;
    return p.type;
  };
  const diff = [];
  for (const r of serverRoutes()) {
    if (!Array.isArray(r.body)) continue;
    const method = r.method.toUpperCase();
    const schema = requestSchema(doc, method, toOpenApiPath(r.path));
    const spec = Object.fromEntries(Object.entries(schema?.properties ?? {}).map(([k, v]) => [k, typeOf(v)]));
    const served = Object.fromEntries(r.body.map((f) => [f.name, f.type]));
    for (const k of new Set([...Object.keys(spec), ...Object.keys(served)])) {
      if (spec[k] !== served[k]) diff.push(`${method} ${r.path} ${k}: server ${served[k] ?? '(none)'} · spec ${spec[k] ?? '(none)'}`);
    }
  }
  assert.deepEqual(diff, [], `body field mismatches:\n${diff.join('\n')}`);
});

test('public routes need no security, session routes no permission', () => {
  const spec = specOps(loadSpec());
  const diff = [];
  for (const [k, r] of serverOps()) {
    const op = spec.get(k);
    if (!op || !r.guard) continue;
    const open = Array.isArray(op.security) && op.security.length === 0;
    if ((r.guard === 'public') !== open) diff.push(`${k}: guard ${r.guard} but spec security ${JSON.stringify(op.security)}`);
    if (r.guard === 'session' && op['x-permission']) diff.push(`${k}: session route with x-permission`);
  }
  assert.deepEqual(diff, [], diff.join('\n'));
});

test('the Error schema is {code, message, field}', () => {
  const e = loadSpec().components.schemas.Error;
  assert.deepEqual(Object.keys(e.properties).sort(), ['code', 'field', 'message']);
  assert.deepEqual([...e.required].sort(), ['code', 'field', 'message']);
});
