// Roles and the permission catalogue.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  login, expectError, expectStatus, orgUnits, createRole, createUserAndLogin, serverRoutes, routePermission,
  uid, MISSING_ID,
} from './lib.mjs';

let admin, org;

before(async () => {
  admin = await login('admin');
  org = await orgUnits(admin);
});

const ROLE_KEYS = ['id', 'key', 'name', 'dataScope', 'permissions', 'customOrgUnitIds', 'builtin', 'userCount'];
const BUILTIN = {
  admin: 'all', officer: 'dept', grid: 'dept_tree', venue_manager: 'self', contractor: 'self',
  welder: 'self', fire_watch: 'self', inspector: 'dept', auditor: 'all', sys_admin: 'all', sec_admin: 'all', unassigned: 'self',
};

test('/api/permissions lists every permission used by a route and the five data scopes', async () => {
  const cat = await admin.getOk('/api/permissions');
  assert.ok(Array.isArray(cat.items) && Array.isArray(cat.dataScopes));
  for (const p of cat.items) {
    assert.equal(typeof p.key, 'string');
    assert.match(p.label, /[\u4e00-\u9fff]/, `permission ${p.key} label not Chinese`);
    assert.equal(typeof p.group, 'string');
  }
  const keys = new Set(cat.items.map((p) => p.key));
  assert.equal(keys.size, cat.items.length, 'duplicate permission keys');
  const used = new Set(serverRoutes().map(routePermission).filter(Boolean));
  const missing = [...used].filter((k) => !keys.has(k));
  assert.deepEqual(missing, [], 'route permissions missing from /api/permissions');
  assert.deepEqual(cat.dataScopes.map((d) => d.key).sort(), ['all', 'custom', 'dept', 'dept_tree', 'self']);
  for (const d of cat.dataScopes) assert.match(d.label, /[\u4e00-\u9fff]/);
});

test('built-in roles: keys, data scopes, builtin flag; admin has every permission; auditor only audit:read + loginlog:read', async () => {
  const { items } = await admin.getOk('/api/roles');
  const by = new Map(items.map((r) => [r.key, r]));
  for (const r of items) for (const k of ROLE_KEYS) assert.ok(k in r, `Role ${r.key} lacks ${k}`);
  for (const [key, scope] of Object.entries(BUILTIN)) {
    const r = by.get(key);
    assert.ok(r, `built-in role ${key} missing`);
    assert.equal(r.dataScope, scope, `${key} dataScope`);
    assert.equal(r.builtin, true, `${key} builtin flag`);
  }
  const all = (await admin.getOk('/api/permissions')).items.map((p) => p.key).sort();
  assert.deepEqual([...by.get('admin').permissions].sort(), all, 'admin lacks some permission');
  assert.deepEqual([...by.get('auditor').permissions].sort(), ['audit:read', 'loginlog:read']);
  assert.ok(by.get('admin').userCount >= 1);
});

test('create → 201; get; update → 200; userCount follows users', async () => {
  const key = uid('r');
  const body = { key, name: '测试角色', dataScope: 'dept', permissions: ['user:read', 'dict:read'], customOrgUnitIds: [] };
  const r = expectStatus(await admin.post('/api/roles', body), 201);
  for (const k of ROLE_KEYS) assert.ok(k in r, `Role lacks ${k}`);
  assert.equal(r.key, key);
  assert.equal(r.name, '测试角色');
  assert.equal(r.dataScope, 'dept');
  assert.deepEqual([...r.permissions].sort(), ['dict:read', 'user:read']);
  assert.deepEqual(r.customOrgUnitIds, []);
  assert.equal(r.builtin, false);
  assert.equal(r.userCount, 0);
  assert.deepEqual(await admin.getOk(`/api/roles/${r.id}`), r);

  const wj = org.byName.get('文教体旅岗').id;
  const upd = expectStatus(await admin.put(`/api/roles/${r.id}`, {
    name: '测试角色改', dataScope: 'custom', permissions: ['user:read'], customOrgUnitIds: [wj],
  }), 200);
  assert.equal(upd.key, key, 'key changed by PUT');
  assert.equal(upd.name, '测试角色改');
  assert.equal(upd.dataScope, 'custom');
  assert.deepEqual(upd.permissions, ['user:read']);
  assert.deepEqual(upd.customOrgUnitIds, [wj]);

  await createUserAndLogin(admin, { orgUnitId: wj, roleId: r.id });
  assert.equal((await admin.getOk(`/api/roles/${r.id}`)).userCount, 1);
});

test('duplicate key → 409 (field key)', async () => {
  const r = await createRole(admin, {});
  expectError(await admin.post('/api/roles', { key: r.key, name: 'x', dataScope: 'self', permissions: [], customOrgUnitIds: [] }), 409, 'ROLE_KEY_TAKEN', 'key');
  expectError(await admin.post('/api/roles', { key: 'admin', name: 'x', dataScope: 'self', permissions: [], customOrgUnitIds: [] }), 409, 'ROLE_KEY_TAKEN', 'key');
});

test('validation: unknown permission, unknown data scope, missing org unit, REQUIRED, INVALID_TYPE', async () => {
  const base = () => ({ key: uid('r'), name: '校验', dataScope: 'dept', permissions: [], customOrgUnitIds: [] });
  expectError(await admin.post('/api/roles', { ...base(), permissions: ['no:such'] }), 400, 'INVALID_VALUE', 'permissions');
  expectError(await admin.post('/api/roles', { ...base(), dataScope: 'galaxy' }), 400, 'INVALID_VALUE', 'dataScope');
  expectError(await admin.post('/api/roles', { ...base(), dataScope: 'custom', customOrgUnitIds: [MISSING_ID] }), 400, 'ORG_UNIT_NOT_FOUND', 'customOrgUnitIds');
  expectError(await admin.post('/api/roles', { ...base(), dataScope: 'custom', customOrgUnitIds: [] }), 400, 'REQUIRED', 'customOrgUnitIds');
  expectError(await admin.post('/api/roles', { ...base(), key: 'Bad-Key' }), 400, 'INVALID_VALUE', 'key');
  expectError(await admin.post('/api/roles', { ...base(), permissions: 'user:read' }), 400, 'INVALID_TYPE', 'permissions');
  expectError(await admin.post('/api/roles', { ...base(), permissions: [1, 2] }), 400, 'INVALID_TYPE', 'permissions');
  expectError(await admin.post('/api/roles', { ...base(), name: '名'.repeat(5000) }), 400, 'TOO_LONG', 'name');
  for (const f of ['key', 'name', 'dataScope']) {
    const b = base();
    delete b[f];
    expectError(await admin.post('/api/roles', b), 400, 'REQUIRED', f);
  }
  const r = await createRole(admin, {});
  expectError(await admin.put(`/api/roles/${r.id}`, { name: 'x', dataScope: 'dept', permissions: [], customOrgUnitIds: [], key: 'k' }), 400, 'UNKNOWN_FIELD', 'key');
  expectError(await admin.put(`/api/roles/${r.id}`, { name: 'x', dataScope: 'nope', permissions: [], customOrgUnitIds: [] }), 400, 'INVALID_VALUE', 'dataScope');
});

test('the admin role\'s permissions and data scope are protected', async () => {
  const adminRole = (await admin.getOk('/api/roles')).items.find((r) => r.key === 'admin');
  const body = { name: adminRole.name, dataScope: 'dept', permissions: adminRole.permissions, customOrgUnitIds: [] };
  expectError(await admin.put(`/api/roles/${adminRole.id}`, body), 409, 'ROLE_PROTECTED');
  expectError(await admin.put(`/api/roles/${adminRole.id}`, { ...body, dataScope: 'all', permissions: ['user:read'] }), 409, 'ROLE_PROTECTED');
  assert.deepEqual(await admin.getOk(`/api/roles/${adminRole.id}`), adminRole);
});

test('missing role → 404', async () => {
  expectError(await admin.get(`/api/roles/${MISSING_ID}`), 404, 'NOT_FOUND');
  expectError(await admin.put(`/api/roles/${MISSING_ID}`, { name: 'x', dataScope: 'dept', permissions: [], customOrgUnitIds: [] }), 404, 'NOT_FOUND');
});

test('permission changes apply to the role\'s live sessions', async () => {
  const r = await createRole(admin, { dataScope: 'all', permissions: ['user:read'] });
  const { client } = await createUserAndLogin(admin, { orgUnitId: org.byName.get('商贸发展岗').id, roleId: r.id });
  expectStatus(await client.get('/api/users'), 200);
  expectError(await client.get('/api/dict-types'), 403, 'FORBIDDEN');

  expectStatus(await admin.put(`/api/roles/${r.id}`, { name: r.name, dataScope: 'all', permissions: ['dict:read'], customOrgUnitIds: [] }), 200);
  expectStatus(await client.get('/api/dict-types'), 200);
  expectError(await client.get('/api/users'), 403, 'FORBIDDEN');
  const me = await client.getOk('/api/auth/me');
  assert.deepEqual(me.user.permissions, ['dict:read']);
});

test('a user with role:read but not role:write cannot create roles', async () => {
  const r = await createRole(admin, { dataScope: 'all', permissions: ['role:read'] });
  const { client } = await createUserAndLogin(admin, { orgUnitId: org.byName.get('商贸发展岗').id, roleId: r.id });
  expectStatus(await client.get('/api/roles'), 200);
  expectError(await client.post('/api/roles', { key: uid('r'), name: 'x', dataScope: 'all', permissions: ['role:write'], customOrgUnitIds: [] }), 403, 'FORBIDDEN');
  expectError(await client.put(`/api/roles/${r.id}`, { name: 'x', dataScope: 'all', permissions: ['role:write'], customOrgUnitIds: [] }), 403, 'FORBIDDEN');
});
