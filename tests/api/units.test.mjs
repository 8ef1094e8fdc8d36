// Units (单位): CRUD, GB 32100 credit codes, conflicts, kinds, counts, filters.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  login, expectError, expectStatus, listAll, unitBody, createUnit, createPerson, createMachine, makeCreditCode,
  creditCodeCheck, uid, MISSING_ID, demoLoadedAt, assertPhoneSealed,
} from './lib.mjs';

let admin;

before(async () => {
  admin = await login('admin');
});

const UNIT_KEYS = ['id', 'name', 'creditCode', 'kind', 'kindLabel', 'contactName', 'contactPhone', 'address',
  'personCount', 'machineCount', 'createdAt'];
const KIND_LABELS = { contractor: '施工单位', employer: '用工单位', labour_dispatch: '劳务派遣单位', venue_operator: '场所经营管理单位' };

test('create → 201 Unit with the contract shape; GET by id returns the same', async () => {
  const body = unitBody();
  const u = expectStatus(await admin.post('/api/units', body), 201);
  for (const k of UNIT_KEYS) assert.ok(k in u, `Unit lacks ${k}`);
  for (const k of Object.keys(body)) assert.equal(u[k], body[k], `${k} does not round-trip`);
  assert.equal(u.kindLabel, '施工单位');
  assert.equal(u.personCount, 0);
  assert.equal(u.machineCount, 0);
  assert.match(u.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.deepEqual(await admin.getOk(`/api/units/${u.id}`), u);
  assertPhoneSealed({ table: 'units', column: 'contact_phone', id: u.id, phone: body.contactPhone, targetType: 'unit' });
});

test('every kind with its label; an unknown kind → 400 INVALID_VALUE', async () => {
  for (const [kind, label] of Object.entries(KIND_LABELS)) {
    const u = await createUnit(admin, { kind });
    assert.equal(u.kind, kind);
    assert.equal(u.kindLabel, label);
  }
  expectError(await admin.post('/api/units', unitBody({ kind: 'supplier' })), 400, 'INVALID_VALUE', 'kind');
  expectError(await admin.post('/api/units', unitBody({ kind: '施工单位' })), 400, 'INVALID_VALUE', 'kind');
});

test('address is optional', async () => {
  const body = unitBody();
  delete body.address;
  const u = expectStatus(await admin.post('/api/units', body), 201);
  assert.ok(u.address === null || u.address === '', `address ${u.address}`);
});

test('credit code: GB 32100 check character', async () => {
  // the two published examples are valid: created, or already registered (by the demo or an earlier run)
  for (const code of ['91350100M000100Y43', '911101080828461726']) {
    const res = await admin.post('/api/units', unitBody({ creditCode: code }));
    assert.ok(res.status === 201 || (res.status === 409 && res.json?.code === 'CREDIT_CODE_TAKEN'),
      `${code} is valid: ${res.status} ${res.text}`);
    const found = await admin.getOk(`/api/units?q=${code}`);
    assert.ok(found.items.some((x) => x.creditCode === code), `${code} not found by q`);
  }
  const bad = [
    '91350100M000100Y44', // wrong check character
    '911101080828461727',
    '91350100M000100Y4', // 17 characters
    '91350100M000100Y433', // 19 characters
    '91350100I000100Y43', // I is not in the alphabet
    '91350100O000100Y43', // nor O
    '91350100M000100Z43', // nor Z
    '91350100M000100S43', // nor S
    '91350100-000100Y43',
    '９１３５０１００Ｍ０００１００Ｙ４３', // full-width
  ];
  for (const creditCode of bad) {
    const res = await admin.post('/api/units', unitBody({ creditCode }));
    if (res.json?.code === 'TOO_LONG') { expectError(res, 400, 'TOO_LONG', 'creditCode'); continue; }
    expectError(res, 400, 'INVALID_VALUE', 'creditCode');
  }
  // every check character is computed, including the ones that are letters and 0
  const seen = new Set();
  for (let i = 0; i < 400 && seen.size < 8; i++) {
    const code = makeCreditCode();
    const c = code[17];
    if (seen.has(c)) continue;
    seen.add(c);
    expectStatus(await admin.post('/api/units', unitBody({ creditCode: code })), 201);
    const wrong = code.slice(0, 17) + (c === 'A' ? 'B' : 'A');
    expectError(await admin.post('/api/units', unitBody({ creditCode: wrong })), 400, 'INVALID_VALUE', 'creditCode');
  }
  assert.equal(creditCodeCheck('91350100M000100Y4'), '3');
});

test('credit code taken → 409 CREDIT_CODE_TAKEN (create and update); keeping one\'s own is fine', async () => {
  const a = await createUnit(admin);
  const b = await createUnit(admin);
  expectError(await admin.post('/api/units', unitBody({ creditCode: a.creditCode })), 409, 'CREDIT_CODE_TAKEN', 'creditCode');
  expectError(await admin.put(`/api/units/${b.id}`, unitBody({ creditCode: a.creditCode })), 409, 'CREDIT_CODE_TAKEN', 'creditCode');
  const u = expectStatus(await admin.put(`/api/units/${a.id}`, unitBody({ creditCode: a.creditCode, name: `${a.name}改` })), 200);
  assert.equal(u.name, `${a.name}改`);
});

test('update → 200 replaces the fields; missing unit → 404', async () => {
  const a = await createUnit(admin);
  const upd = unitBody({ kind: 'labour_dispatch', address: '新地址' });
  const u = expectStatus(await admin.put(`/api/units/${a.id}`, upd), 200);
  for (const k of Object.keys(upd)) assert.equal(u[k], upd[k], `${k} not updated`);
  assert.equal(u.kindLabel, '劳务派遣单位');
  assert.equal(u.createdAt, a.createdAt);
  assert.deepEqual(await admin.getOk(`/api/units/${a.id}`), u);
  expectError(await admin.put(`/api/units/${MISSING_ID}`, upd), 404, 'NOT_FOUND');
  expectError(await admin.get(`/api/units/${MISSING_ID}`), 404, 'NOT_FOUND');
});

test('validation: REQUIRED, phone, lengths, types', async () => {
  for (const f of ['name', 'creditCode', 'kind', 'contactName', 'contactPhone']) {
    const body = unitBody();
    delete body[f];
    expectError(await admin.post('/api/units', body), 400, 'REQUIRED', f);
  }
  expectError(await admin.post('/api/units', unitBody({ name: ' ' })), 400, 'REQUIRED', 'name');
  expectError(await admin.post('/api/units', unitBody({ contactPhone: '12345' })), 400, 'INVALID_VALUE', 'contactPhone');
  expectError(await admin.post('/api/units', unitBody({ name: '单'.repeat(5000) })), 400, 'TOO_LONG', 'name');
  expectError(await admin.post('/api/units', unitBody({ creditCode: 911101080828461726 })), 400, 'INVALID_TYPE', 'creditCode');
});

test('personCount and machineCount follow the people and machines of the unit', async () => {
  const u = await createUnit(admin);
  await createPerson(admin, { unitId: u.id });
  await createPerson(admin, { unitId: u.id });
  await createMachine(admin, u.id);
  const got = await admin.getOk(`/api/units/${u.id}`);
  assert.equal(got.personCount, 2);
  assert.equal(got.machineCount, 1);
  const listed = (await admin.getOk(`/api/units?q=${encodeURIComponent(u.creditCode)}`)).items.find((x) => x.id === u.id);
  assert.equal(listed?.personCount, 2);
  assert.equal(listed?.machineCount, 1);
});

test('list: q by name and credit code, kind filter, paging', async () => {
  const tag = uid('q');
  const a = await createUnit(admin, { name: `检索单位${tag}`, kind: 'employer' });
  const byName = await admin.getOk(`/api/units?q=${encodeURIComponent(tag)}`);
  assert.deepEqual(byName.items.map((x) => x.id), [a.id]);
  assert.equal(byName.total, 1);
  const byCode = await admin.getOk(`/api/units?q=${a.creditCode}`);
  assert.deepEqual(byCode.items.map((x) => x.id), [a.id]);
  const employers = await listAll(admin, '/api/units?kind=employer');
  assert.ok(employers.some((x) => x.id === a.id) && employers.every((x) => x.kind === 'employer'), 'kind filter');
  expectError(await admin.get('/api/units?kind=bogus'), 400, 'INVALID_VALUE', 'kind');
  expectError(await admin.get('/api/units?pageSize=0'), 400, 'INVALID_VALUE', 'pageSize');
});

test('demo: the town has units', async () => {
  const t0 = await demoLoadedAt(admin);
  const all = (await listAll(admin, '/api/units')).filter((u) => u.createdAt <= t0);
  assert.ok(all.length >= 2, 'demo has no units');
  assert.ok(all.some((u) => u.kind === 'contractor'), 'demo has no contractor unit');
});
