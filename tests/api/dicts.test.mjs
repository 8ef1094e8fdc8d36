// Data dictionaries: types and items.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { login, expectError, expectStatus, orgUnits, createRole, createUserAndLogin, uid, MISSING_ID } from './lib.mjs';

let admin;

before(async () => {
  admin = await login('admin');
});

async function newType(over = {}) {
  const body = { code: uid('d'), name: '测试字典', description: '接口测试', ...over };
  return expectStatus(await admin.post('/api/dict-types', body), 201);
}

test('demo town has built-in dictionaries', async () => {
  const { items } = await admin.getOk('/api/dict-types');
  assert.ok(items.length >= 1, 'no dictionary types');
  for (const t of items) {
    for (const k of ['id', 'code', 'name', 'description', 'builtin', 'itemCount']) assert.ok(k in t, `DictType lacks ${k}`);
  }
  assert.ok(items.some((t) => t.builtin === true), 'no built-in dictionary');
  const b = items.find((t) => t.builtin && t.itemCount > 0);
  assert.ok(b, 'no built-in dictionary with items');
  const its = await admin.getOk(`/api/dict-types/${encodeURIComponent(b.code)}/items`);
  assert.equal(its.items.length, b.itemCount);
});

test('create type → 201; duplicate code → 409 (field code)', async () => {
  const code = uid('d');
  const t = expectStatus(await admin.post('/api/dict-types', { code, name: '动火等级测试', description: '说明' }), 201);
  assert.equal(t.code, code);
  assert.equal(t.name, '动火等级测试');
  assert.equal(t.description, '说明');
  assert.equal(t.builtin, false);
  assert.equal(t.itemCount, 0);
  const { items } = await admin.getOk('/api/dict-types');
  assert.deepEqual(items.find((x) => x.code === code), t);
  expectError(await admin.post('/api/dict-types', { code, name: '另一个' }), 409, 'DICT_TYPE_TAKEN', 'code');
  // description is optional
  const t2 = await newType({ description: undefined });
  assert.equal(typeof t2.description, 'string');
});

test('items: create, list sorted, update, disable; itemCount follows', async () => {
  const t = await newType();
  const base = `/api/dict-types/${t.code}/items`;
  const a = expectStatus(await admin.post(base, { value: 'b', label: '乙', sort: 2 }), 201);
  const b = expectStatus(await admin.post(base, { value: 'a', label: '甲', sort: 1 }), 201);
  for (const k of ['id', 'typeCode', 'value', 'label', 'sort', 'enabled']) assert.ok(k in a, `DictItem lacks ${k}`);
  assert.equal(a.typeCode, t.code);
  assert.equal(a.enabled, true);
  const c = expectStatus(await admin.post(base, { value: 'c', label: '丙' }), 201); // sort optional
  assert.ok(Number.isInteger(c.sort));

  let { items } = await admin.getOk(base);
  assert.equal(items.length, 3);
  for (let i = 1; i < items.length; i++) assert.ok(items[i - 1].sort <= items[i].sort, 'items not sorted by sort');
  assert.ok(items.findIndex((i) => i.value === 'a') < items.findIndex((i) => i.value === 'b'), 'a (sort 1) after b (sort 2)');
  const types = (await admin.getOk('/api/dict-types')).items;
  assert.equal(types.find((x) => x.code === t.code).itemCount, 3);

  const upd = expectStatus(await admin.put(`/api/dict-items/${b.id}`, { label: '甲改', sort: 9, enabled: false }), 200);
  assert.equal(upd.label, '甲改');
  assert.equal(upd.sort, 9);
  assert.equal(upd.enabled, false);
  assert.equal(upd.value, 'a', 'value changed by PUT');
  ({ items } = await admin.getOk(base));
  assert.deepEqual(items.find((i) => i.id === b.id), upd, 'disabled item not listed as disabled');
});

test('duplicate item value → 409 (field value); same value in another type is fine', async () => {
  const t = await newType();
  const t2 = await newType();
  expectStatus(await admin.post(`/api/dict-types/${t.code}/items`, { value: 'x', label: '一' }), 201);
  expectError(await admin.post(`/api/dict-types/${t.code}/items`, { value: 'x', label: '二' }), 409, 'DICT_VALUE_TAKEN', 'value');
  expectStatus(await admin.post(`/api/dict-types/${t2.code}/items`, { value: 'x', label: '一' }), 201);
});

test('missing type / item → 404', async () => {
  expectError(await admin.get('/api/dict-types/zz_no_such_type/items'), 404, 'NOT_FOUND');
  expectError(await admin.post('/api/dict-types/zz_no_such_type/items', { value: 'v', label: 'l' }), 404, 'NOT_FOUND');
  expectError(await admin.put(`/api/dict-items/${MISSING_ID}`, { label: 'l', sort: 1, enabled: true }), 404, 'NOT_FOUND');
});

test('validation', async () => {
  expectError(await admin.post('/api/dict-types', { name: 'x' }), 400, 'REQUIRED', 'code');
  expectError(await admin.post('/api/dict-types', { code: uid('d') }), 400, 'REQUIRED', 'name');
  expectError(await admin.post('/api/dict-types', { code: uid('d'), name: 'x'.repeat(5000) }), 400, 'TOO_LONG', 'name');
  expectError(await admin.post('/api/dict-types', { code: uid('d'), name: 'x', description: 'x'.repeat(100000) }), 400, 'TOO_LONG', 'description');
  expectError(await admin.post('/api/dict-types', { code: uid('d'), name: 1 }), 400, 'INVALID_TYPE', 'name');
  expectError(await admin.post('/api/dict-types', { code: 'Bad Code', name: 'x' }), 400, 'INVALID_VALUE', 'code');
  const t = await newType();
  const base = `/api/dict-types/${t.code}/items`;
  expectError(await admin.post(base, { label: 'x' }), 400, 'REQUIRED', 'value');
  expectError(await admin.post(base, { value: 'x' }), 400, 'REQUIRED', 'label');
  expectError(await admin.post(base, { value: 'x', label: 'y', sort: '1' }), 400, 'INVALID_TYPE', 'sort');
  const it = expectStatus(await admin.post(base, { value: 'ok', label: '好' }), 201);
  expectError(await admin.put(`/api/dict-items/${it.id}`, { label: 'l', sort: 1 }), 400, 'REQUIRED', 'enabled');
  expectError(await admin.put(`/api/dict-items/${it.id}`, { label: 'l', sort: 1, enabled: 'yes' }), 400, 'INVALID_TYPE', 'enabled');
  expectError(await admin.put(`/api/dict-items/${it.id}`, { label: 'l', sort: 1, enabled: true, value: 'v' }), 400, 'UNKNOWN_FIELD', 'value');
  const after = (await admin.getOk(base)).items.find((i) => i.id === it.id);
  assert.deepEqual(after, it, 'rejected updates changed the item');
});

test('dict:read without dict:write: can read, cannot write; auditor cannot read', async () => {
  const org = await orgUnits(admin);
  const role = await createRole(admin, { dataScope: 'all', permissions: ['dict:read'] });
  const { client } = await createUserAndLogin(admin, { orgUnitId: org.byName.get('商贸发展岗').id, roleId: role.id });
  const t = await newType();
  expectStatus(await client.get('/api/dict-types'), 200);
  expectStatus(await client.get(`/api/dict-types/${t.code}/items`), 200);
  expectError(await client.post('/api/dict-types', { code: uid('d'), name: 'x' }), 403, 'FORBIDDEN');
  expectError(await client.post(`/api/dict-types/${t.code}/items`, { value: 'v', label: 'l' }), 403, 'FORBIDDEN');
  const aud = await login('auditor');
  expectError(await aud.get('/api/dict-types'), 403, 'FORBIDDEN');
});

test('a renamed or disabled method and venue type show at once in the permit list and detail', async () => {
  const first = async () => (await admin.getOk('/api/permits?cursor=first&pageSize=1')).items[0];
  const p = await first();
  const method = (await admin.getOk('/api/dict-types/hotwork_method/items')).items.find((i) => i.value === p.method);
  const type = (await admin.getOk('/api/dict-types/venue_type/items')).items.find((i) => i.value === p.venue.type);
  assert.ok(method && type, JSON.stringify(p));
  assert.equal(p.methodLabel, method.label);
  assert.equal(p.venue.typeLabel, type.label);
  const put = (item, over) => admin.put(`/api/dict-items/${item.id}`, { label: item.label, sort: item.sort, enabled: item.enabled, ...over });
  try {
    expectStatus(await put(method, { label: '改名的方式', enabled: false }), 200);
    expectStatus(await put(type, { label: '改名的类型' }), 200);
    const listed = await first();
    assert.equal(listed.methodLabel, '改名的方式');
    assert.equal(listed.venue.typeLabel, '改名的类型');
    const detail = await admin.getOk(`/api/permits/${p.id}`);
    assert.equal(detail.methodLabel, '改名的方式');
    assert.equal(detail.venue.typeLabel, '改名的类型');
  } finally {
    expectStatus(await put(method, {}), 200);
    expectStatus(await put(type, {}), 200);
  }
  const restored = await admin.getOk(`/api/permits/${p.id}`);
  assert.equal(restored.methodLabel, method.label);
  assert.equal(restored.venue.typeLabel, type.label);
});
