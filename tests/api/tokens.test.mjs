// API tokens: issue, list (no secret), bearer access without CSRF, revoke → 401.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  login, request, bearerClient, expectError, expectStatus, orgUnits, createRole, createUser, uid, MISSING_ID,
} from './lib.mjs';

let admin, org;

before(async () => {
  admin = await login('admin');
  org = await orgUnits(admin);
});

const TOKEN_KEYS = ['id', 'name', 'userId', 'username', 'prefix', 'createdAt', 'lastUsedAt', 'revokedAt'];

async function issue(userId, name = `集成${uid('k')}`) {
  const res = await admin.post('/api/api-tokens', { name, userId });
  return expectStatus(res, 201);
}

test('issue → 201 with the token once; list never shows it', async () => {
  const t = await issue(admin.user.id);
  for (const k of TOKEN_KEYS) assert.ok(k in t, `ApiToken lacks ${k}`);
  assert.equal(typeof t.token, 'string');
  assert.ok(t.token.length >= 24, 'token too short to be secret');
  assert.equal(t.userId, admin.user.id);
  assert.equal(t.username, 'admin');
  assert.ok(t.prefix && t.token.startsWith(t.prefix), 'prefix is not the start of the token');
  assert.ok(t.prefix.length < t.token.length / 2, 'prefix reveals too much of the token');
  assert.equal(t.lastUsedAt, null);
  assert.equal(t.revokedAt, null);

  const { items } = await admin.getOk('/api/api-tokens');
  const listed = items.find((x) => x.id === t.id);
  assert.ok(listed, 'issued token not listed');
  assert.ok(!('token' in listed), 'list shows the token');
  assert.ok(!JSON.stringify(items).includes(t.token), 'token secret appears in the list');
  const { token, ...rest } = t;
  assert.deepEqual(listed, rest);
});

test('bearer token reads and writes without CSRF, as its user; lastUsedAt is set', async () => {
  const t = await issue(admin.user.id);
  const bc = bearerClient(t.token);
  const me = await bc.getOk('/api/users?pageSize=1');
  assert.ok(me.total >= 1);
  const code = uid('d');
  const created = await bc.post('/api/dict-types', { code, name: '令牌写入' });
  expectStatus(created, 201);
  assert.ok((await admin.getOk('/api/dict-types')).items.some((x) => x.code === code));
  const listed = (await admin.getOk('/api/api-tokens')).items.find((x) => x.id === t.id);
  assert.ok(listed.lastUsedAt && !Number.isNaN(Date.parse(listed.lastUsedAt)), 'lastUsedAt not set after use');
});

test('bearer token has exactly its user\'s permissions', async () => {
  const role = await createRole(admin, { dataScope: 'all', permissions: ['dict:read'] });
  const { user } = await createUser(admin, { orgUnitId: org.byName.get('商贸发展岗').id, roleId: role.id });
  const t = await issue(user.id);
  const bc = bearerClient(t.token);
  expectStatus(await bc.get('/api/dict-types'), 200);
  expectError(await bc.get('/api/users'), 403, 'FORBIDDEN');
  expectError(await bc.post('/api/dict-types', { code: uid('d'), name: 'x' }), 403, 'FORBIDDEN');
});

test('revoke → revokedAt set; the token then gets 401 UNAUTHENTICATED', async () => {
  const t = await issue(admin.user.id);
  const bc = bearerClient(t.token);
  expectStatus(await bc.get('/api/dict-types'), 200);
  const r = expectStatus(await admin.post(`/api/api-tokens/${t.id}/revoke`), 200);
  assert.equal(r.id, t.id);
  assert.ok(r.revokedAt && !Number.isNaN(Date.parse(r.revokedAt)), 'revokedAt not set');
  assert.ok(!('token' in r));
  expectError(await bc.get('/api/dict-types'), 401, 'UNAUTHENTICATED');
  expectError(await bc.post('/api/dict-types', { code: uid('d'), name: 'x' }), 401, 'UNAUTHENTICATED');
});

test('unknown or malformed bearer tokens → 401', async () => {
  const t = await issue(admin.user.id);
  const tampered = t.token.slice(0, -1) + (t.token.endsWith('A') ? 'B' : 'A');
  expectError(await bearerClient(tampered).get('/api/dict-types'), 401, 'UNAUTHENTICATED');
  expectError(await bearerClient('nonsense').get('/api/dict-types'), 401, 'UNAUTHENTICATED');
  expectError(await request('GET', '/api/dict-types', { headers: { authorization: 'Bearer' } }), 401, 'UNAUTHENTICATED');
  expectError(await request('GET', '/api/dict-types', { headers: { authorization: `Basic ${Buffer.from('admin:Huoyan@2025').toString('base64')}` } }), 401, 'UNAUTHENTICATED');
});

test('a disabled user\'s tokens stop working', async () => {
  const role = await createRole(admin, { dataScope: 'all', permissions: ['dict:read'] });
  const { user } = await createUser(admin, { orgUnitId: org.byName.get('商贸发展岗').id, roleId: role.id });
  const t = await issue(user.id);
  expectStatus(await bearerClient(t.token).get('/api/dict-types'), 200);
  expectStatus(await admin.post(`/api/users/${user.id}/disable`), 200);
  expectError(await bearerClient(t.token).get('/api/dict-types'), 401, 'UNAUTHENTICATED');
});

test('validation and 404', async () => {
  expectError(await admin.post('/api/api-tokens', { name: 'x' }), 400, 'REQUIRED', 'userId');
  expectError(await admin.post('/api/api-tokens', { userId: admin.user.id }), 400, 'REQUIRED', 'name');
  expectError(await admin.post('/api/api-tokens', { name: 'x', userId: 'admin' }), 400, 'INVALID_TYPE', 'userId');
  expectError(await admin.post('/api/api-tokens', { name: 'x', userId: MISSING_ID }), 400, 'USER_NOT_FOUND', 'userId');
  expectError(await admin.post('/api/api-tokens', { name: 'x'.repeat(5000), userId: admin.user.id }), 400, 'TOO_LONG', 'name');
  expectError(await admin.post(`/api/api-tokens/${MISSING_ID}/revoke`), 404, 'NOT_FOUND');
});

test('token:write is needed to list or issue tokens', async () => {
  const aud = await login('auditor');
  expectError(await aud.get('/api/api-tokens'), 403, 'FORBIDDEN');
  expectError(await aud.post('/api/api-tokens', { name: 'x', userId: aud.user.id }), 403, 'FORBIDDEN');
});
