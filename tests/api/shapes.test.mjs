// Real responses match docs/openapi.yaml: every route is called once successfully and its body is checked
// against the documented schema (no undocumented properties); error answers are the Error schema and their
// code is one the spec lists for that route and status.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  login, request, Client, orgUnits, roles, createUser, serverRoutes, loadSpec, toOpenApiPath, fillPath,
  checkSchema, responseSchema, documentedCodes, strongPassword, randomPhone, uid, MISSING_ID,
} from './lib.mjs';

let spec, admin;
const problems = [];
const succeeded = new Set();

before(async () => {
  spec = loadSpec();
  admin = await login('admin');
});

/** Call a route (template path, e.g. /api/users/:id) and check the answer against the spec. */
async function hit(client, method, template, params = {}, body = undefined, opts = {}) {
  const path = fillPath(template, params) + (opts.query ?? '');
  const res = client ? await client.req(method, path, { body }) : await request(method, path, { body });
  const oa = toOpenApiPath(template);
  const where = `${method} ${template} → ${res.status}`;
  if (!spec.paths[oa]?.[method.toLowerCase()]) {
    problems.push(`${method} ${template}: not in the spec`);
    return res;
  }
  if (res.status >= 500) problems.push(`${where}: ${res.text.slice(0, 160)}`);
  else if (res.status >= 400) {
    const codes = documentedCodes(spec, method, oa, res.status);
    if (!res.json) problems.push(`${where}: error without a JSON body`);
    else {
      problems.push(...checkSchema(spec, { $ref: '#/components/schemas/Error' }, res.json).map((p) => `${where}: ${p}`));
      if (!codes.includes(res.json.code)) {
        problems.push(`${where}: code ${res.json.code} not documented for this status (spec lists: ${codes.join(', ') || 'nothing'})`);
      }
    }
  } else {
    const schema = responseSchema(spec, method, oa, res.status);
    if (!schema) problems.push(`${where}: status ${res.status} not documented`);
    else if (res.json === null) problems.push(`${where}: body is not JSON`);
    else problems.push(...checkSchema(spec, schema, res.json).map((p) => `${where}: ${p}`));
    succeeded.add(`${method} ${template}`);
  }
  if (opts.expect !== undefined && res.status !== opts.expect) {
    problems.push(`${where}: expected ${opts.expect} (${res.text.slice(0, 120)})`);
  }
  return res;
}

test('successful answers match the documented schemas', async () => {
  const org = await orgUnits(admin);
  const roleMap = (await roles(admin)).byKey;
  const officer = roleMap.get('officer');
  const sw = org.byName.get('商贸发展岗');

  await hit(null, 'GET', '/healthz', {}, undefined, { expect: 200 });
  const served = new Set(serverRoutes().map((r) => `${r.method.toUpperCase()} ${r.path}`));
  if (served.has('GET /api/version')) await hit(null, 'GET', '/api/version', {}, undefined, { expect: 200 });
  const metrics = await request('GET', '/metrics');
  if (metrics.status !== 200 || !/^text\/plain/.test(metrics.headers.get('content-type') ?? '')) problems.push('GET /metrics: not 200 text/plain');
  else succeeded.add('GET /metrics');

  // auth
  const { user: fresh, password } = await createUser(admin, { orgUnitId: sw.id, roleId: officer.id });
  await hit(null, 'POST', '/api/auth/login', {}, { login: fresh.username, password }, { expect: 200 });
  const fc = await login(fresh.username, password);
  await hit(fc, 'GET', '/api/auth/me', {}, undefined, { expect: 200 });
  await hit(fc, 'POST', '/api/auth/password', {}, { oldPassword: password, newPassword: strongPassword() }, { expect: 200 });
  await hit(fc, 'GET', '/api/permissions', {}, undefined, { expect: 200 });
  await hit(fc, 'POST', '/api/auth/logout', {}, undefined, { expect: 200 });

  // org units
  await hit(admin, 'GET', '/api/org-units', {}, undefined, { expect: 200 });
  const unit = (await hit(admin, 'POST', '/api/org-units', {}, { parentId: org.town.id, kind: 'department', name: `形状${uid('o')}`, code: 'X1', sort: 3 }, { expect: 201 })).json;
  await hit(admin, 'PUT', '/api/org-units/:id', { id: unit.id }, { name: `${unit.name}改`, code: 'X2', sort: 4 }, { expect: 200 });

  // roles
  await hit(admin, 'GET', '/api/roles', {}, undefined, { expect: 200 });
  const role = (await hit(admin, 'POST', '/api/roles', {}, { key: uid('r'), name: '形状角色', dataScope: 'custom', permissions: ['user:read'], customOrgUnitIds: [sw.id] }, { expect: 201 })).json;
  await hit(admin, 'GET', '/api/roles/:id', { id: role.id }, undefined, { expect: 200 });
  await hit(admin, 'PUT', '/api/roles/:id', { id: role.id }, { name: '形状角色改', dataScope: 'dept', permissions: [], customOrgUnitIds: [] }, { expect: 200 });

  // users
  await hit(admin, 'GET', '/api/users', {}, undefined, { expect: 200, query: '?pageSize=5' });
  const u = (await hit(admin, 'POST', '/api/users', {}, { username: uid('u'), name: '形状', phone: randomPhone(), orgUnitId: unit.id, roleId: officer.id, password: strongPassword() }, { expect: 201 })).json;
  await hit(admin, 'GET', '/api/users/:id', { id: u.id }, undefined, { expect: 200 });
  await hit(admin, 'PUT', '/api/users/:id', { id: u.id }, { name: '形状改', phone: randomPhone(), orgUnitId: sw.id, roleId: role.id }, { expect: 200 });
  await hit(admin, 'POST', '/api/users/:id/disable', { id: u.id }, undefined, { expect: 200 });
  await hit(admin, 'POST', '/api/users/:id/enable', { id: u.id }, undefined, { expect: 200 });
  await hit(admin, 'POST', '/api/users/:id/unlock', { id: u.id }, undefined, { expect: 200 });
  await hit(admin, 'POST', '/api/users/:id/reset-password', { id: u.id }, { password: strongPassword() }, { expect: 200 });
  await hit(admin, 'DELETE', '/api/org-units/:id', { id: unit.id }, undefined, { expect: 200 });

  // dictionaries
  await hit(admin, 'GET', '/api/dict-types', {}, undefined, { expect: 200 });
  const dt = (await hit(admin, 'POST', '/api/dict-types', {}, { code: uid('d'), name: '形状字典', description: '说明' }, { expect: 201 })).json;
  const item = (await hit(admin, 'POST', '/api/dict-types/:code/items', { code: dt.code }, { value: 'v1', label: '一', sort: 1 }, { expect: 201 })).json;
  await hit(admin, 'GET', '/api/dict-types/:code/items', { code: dt.code }, undefined, { expect: 200 });
  await hit(admin, 'PUT', '/api/dict-items/:id', { id: item.id }, { label: '一改', sort: 2, enabled: false }, { expect: 200 });

  // tokens
  const tok = (await hit(admin, 'POST', '/api/api-tokens', {}, { name: uid('k'), userId: admin.user.id }, { expect: 201 })).json;
  await hit(new Client({ bearer: tok.token }), 'GET', '/api/users/:id', { id: admin.user.id }, undefined, { expect: 200 });
  await hit(admin, 'GET', '/api/api-tokens', {}, undefined, { expect: 200 });
  await hit(admin, 'POST', '/api/api-tokens/:id/revoke', { id: tok.id }, undefined, { expect: 200 });

  // logs
  await hit(admin, 'GET', '/api/audit-logs', {}, undefined, { expect: 200, query: '?pageSize=50' });
  await hit(admin, 'GET', '/api/audit-logs/verify', {}, undefined, { expect: 200 });
  await hit(admin, 'GET', '/api/login-logs', {}, undefined, { expect: 200, query: '?pageSize=50' });

  const missed = serverRoutes().map((r) => `${r.method.toUpperCase()} ${r.path}`).filter((k) => !succeeded.has(k));
  assert.deepEqual(missed, [], 'routes this suite did not call successfully (add them above)');
  assert.deepEqual(problems.splice(0), [], 'answers that differ from docs/openapi.yaml');
});

test('error answers carry codes the spec documents for that route and status', async () => {
  const aud = await login('auditor');
  const anon = null;
  for (const r of serverRoutes()) {
    const method = r.method.toUpperCase();
    if (r.path === '/healthz' || r.path === '/metrics') continue;
    const params = { id: MISSING_ID, code: 'zz_no_such_type' };
    const body = method === 'GET' ? undefined : {};
    if (r.path !== '/api/auth/login') await hit(anon, method, r.path, params, body); // 401
    if (r.permission) await hit(aud, method, r.path, params, body); // 403 FORBIDDEN or allowed
    if (method !== 'GET' && r.path !== '/api/auth/logout') {
      await hit(admin, method, r.path, params, body); // 400 REQUIRED / 404
      await hit(admin, method, r.path, params, { zzUnknown: 1 }); // 400 UNKNOWN_FIELD (or 404)
    } else if (method === 'GET' && r.path.includes(':')) {
      await hit(admin, method, r.path, params); // 404
    }
  }
  assert.deepEqual(problems.splice(0), [], 'error answers that differ from docs/openapi.yaml');
});
