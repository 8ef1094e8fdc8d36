// Welding machines (焊机): CRUD, codes (赋码) and chip IDs, conflicts, kinds and statuses, filters.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  login, expectError, expectStatus, listAll, describe, createUnit, machineBody, createMachine, MISSING_ID, demoLoadedAt,
} from './lib.mjs';

let admin, unit, kinds;

before(async () => {
  admin = await login('admin');
  unit = await createUnit(admin);
  kinds = (await admin.getOk('/api/dict-types/machine_kind/items')).items;
  assert.ok(kinds.some((k) => k.value === 'arc_welder'), 'dictionary machine_kind lacks arc_welder');
});

const MACHINE_KEYS = ['id', 'code', 'chipId', 'unitId', 'unitName', 'kind', 'kindLabel', 'model', 'status', 'createdAt'];

test('create → 201 Machine with the contract shape; GET by id returns the same', async () => {
  const body = machineBody(unit.id);
  const m = expectStatus(await admin.post('/api/machines', body), 201);
  for (const k of MACHINE_KEYS) assert.ok(k in m, `Machine lacks ${k}`);
  for (const k of Object.keys(body)) assert.equal(m[k], body[k], `${k} does not round-trip`);
  assert.equal(m.unitName, unit.name);
  assert.equal(m.kindLabel, '电焊机');
  assert.match(m.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.deepEqual(await admin.getOk(`/api/machines/${m.id}`), m);
  expectError(await admin.get(`/api/machines/${MISSING_ID}`), 404, 'NOT_FOUND');
});

test('optional fields: status defaults to active, chipId and model may be left out', async () => {
  const body = machineBody(unit.id);
  for (const k of ['chipId', 'model', 'status']) delete body[k];
  const m = expectStatus(await admin.post('/api/machines', body), 201);
  assert.equal(m.status, 'active');
  assert.ok(m.chipId === null || m.chipId === '', `chipId ${m.chipId}`);
  assert.ok(m.model === null || m.model === '', `model ${m.model}`);
  // two machines without a chip are no conflict
  const body2 = machineBody(unit.id);
  delete body2.chipId;
  expectStatus(await admin.post('/api/machines', body2), 201);
});

test('every kind with its dictionary label; unknown kind → 400', async () => {
  for (const k of kinds.filter((x) => x.enabled)) {
    const m = await createMachine(admin, unit.id, { kind: k.value });
    assert.equal(m.kindLabel, k.label);
  }
  expectError(await admin.post('/api/machines', machineBody(unit.id, { kind: 'laser' })), 400, 'INVALID_VALUE', 'kind');
  expectError(await admin.post('/api/machines', machineBody(unit.id, { kind: '电焊机' })), 400, 'INVALID_VALUE', 'kind');
});

test('code: 4-32 of [A-Z0-9-]', async () => {
  const rnd = (n) => Array.from({ length: n }, () => 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789'[Math.floor(Math.random() * 34)]).join('');
  for (const code of [rnd(4), `${rnd(2)}-${rnd(1)}`, `2025-${rnd(27)}`]) {
    const m = expectStatus(await admin.post('/api/machines', machineBody(unit.id, { code })), 201);
    assert.equal(m.code, code);
  }
  // lower case may be refused or taken as upper case, never stored as sent
  const lower = `hj-${rnd(6)}`.toLowerCase();
  const res = await admin.post('/api/machines', machineBody(unit.id, { code: lower }));
  if (res.status === 201) assert.equal(res.json.code, lower.toUpperCase(), 'a lower-case code was stored as sent');
  else expectError(res, 400, 'INVALID_VALUE', 'code');
  for (const code of ['ABC', 'HJ_0001', 'HJ 0001', 'HJ.0001', '焊机0001', 'Ａ001', 'A'.repeat(33)]) {
    const res = await admin.post('/api/machines', machineBody(unit.id, { code }));
    if (res.json?.code === 'TOO_LONG') { expectError(res, 400, 'TOO_LONG', 'code'); continue; }
    expectError(res, 400, 'INVALID_VALUE', 'code');
  }
});

test('code taken → 409 MACHINE_CODE_TAKEN; chip taken → 409 CHIP_ID_TAKEN (create and update)', async () => {
  const a = await createMachine(admin, unit.id);
  const b = await createMachine(admin, unit.id);
  expectError(await admin.post('/api/machines', machineBody(unit.id, { code: a.code })), 409, 'MACHINE_CODE_TAKEN', 'code');
  expectError(await admin.post('/api/machines', machineBody(unit.id, { chipId: a.chipId })), 409, 'CHIP_ID_TAKEN', 'chipId');
  expectError(await admin.put(`/api/machines/${b.id}`, machineBody(unit.id, { code: a.code, chipId: b.chipId })), 409, 'MACHINE_CODE_TAKEN', 'code');
  expectError(await admin.put(`/api/machines/${b.id}`, machineBody(unit.id, { code: b.code, chipId: a.chipId })), 409, 'CHIP_ID_TAKEN', 'chipId');
  expectStatus(await admin.put(`/api/machines/${a.id}`, machineBody(unit.id, { code: a.code, chipId: a.chipId, model: 'NBC-500' })), 200);
});

test('update → 200: status locked, retired; another unit; missing → 404', async () => {
  const m = await createMachine(admin, unit.id);
  const other = await createUnit(admin);
  for (const status of ['locked', 'retired', 'active']) {
    const u = expectStatus(await admin.put(`/api/machines/${m.id}`, machineBody(other.id, { code: m.code, chipId: m.chipId, status })), 200);
    assert.equal(u.status, status);
    assert.equal(u.unitId, other.id);
    assert.equal(u.unitName, other.name);
    assert.equal(u.createdAt, m.createdAt);
  }
  expectError(await admin.put(`/api/machines/${m.id}`, machineBody(unit.id, { code: m.code, chipId: m.chipId, status: 'broken' })), 400, 'INVALID_VALUE', 'status');
  expectError(await admin.put(`/api/machines/${MISSING_ID}`, machineBody(unit.id)), 404, 'NOT_FOUND');
});

test('validation: REQUIRED, unknown unit, types, lengths', async () => {
  for (const f of ['code', 'unitId', 'kind']) {
    const body = machineBody(unit.id);
    delete body[f];
    expectError(await admin.post('/api/machines', body), 400, 'REQUIRED', f);
  }
  const res = await admin.post('/api/machines', machineBody(MISSING_ID));
  assert.equal(res.status, 400, describe(res));
  assert.ok(['INVALID_VALUE', 'UNIT_NOT_FOUND'].includes(res.json.code), describe(res));
  assert.equal(res.json.field, 'unitId');
  expectError(await admin.post('/api/machines', machineBody(unit.id, { unitId: String(unit.id) })), 400, 'INVALID_TYPE', 'unitId');
  expectError(await admin.post('/api/machines', machineBody(unit.id, { model: 'M'.repeat(5000) })), 400, 'TOO_LONG', 'model');
  expectError(await admin.post('/api/machines', machineBody(unit.id, { chipId: 'C'.repeat(5000) })), 400, 'TOO_LONG', 'chipId');
});

test('list: q by code, unitId / kind / status / chipped filters', async () => {
  const u = await createUnit(admin);
  const a = await createMachine(admin, u.id, { kind: 'plasma_cutter' });
  const b = await createMachine(admin, u.id, { status: 'locked' });
  const byUnit = await listAll(admin, `/api/machines?unitId=${u.id}`);
  assert.deepEqual(byUnit.map((m) => m.id).sort((x, y) => x - y), [a.id, b.id].sort((x, y) => x - y));
  const byQ = await admin.getOk(`/api/machines?q=${encodeURIComponent(a.code)}`);
  assert.deepEqual(byQ.items.map((m) => m.id), [a.id]);
  const byKind = await listAll(admin, `/api/machines?unitId=${u.id}&kind=plasma_cutter`);
  assert.deepEqual(byKind.map((m) => m.id), [a.id]);
  const locked = await listAll(admin, '/api/machines?status=locked');
  assert.ok(locked.some((m) => m.id === b.id) && locked.every((m) => m.status === 'locked'), 'status filter');
  expectError(await admin.get('/api/machines?status=broken'), 400, 'INVALID_VALUE', 'status');
  expectError(await admin.get('/api/machines?unitId=x'), 400, 'INVALID_VALUE', 'unitId');
  assert.equal((await admin.getOk(`/api/units/${u.id}`)).machineCount, 2);
  const stock = await createMachine(admin, u.id, { chipId: undefined });
  const unchipped = await listAll(admin, `/api/machines?unitId=${u.id}&chipped=false`);
  assert.deepEqual(unchipped.map((m) => m.id), [stock.id], 'chipped=false: only the machine without a chip');
  const chipped = await listAll(admin, `/api/machines?unitId=${u.id}&chipped=true`);
  assert.deepEqual(chipped.map((m) => m.id).sort((x, y) => x - y), [a.id, b.id].sort((x, y) => x - y));
  expectError(await admin.get('/api/machines?chipped=maybe'), 400, 'INVALID_VALUE', 'chipped');
});

test('demo: the town has machines', async () => {
  const t0 = await demoLoadedAt(admin);
  const all = (await listAll(admin, '/api/machines')).filter((m) => m.createdAt <= t0);
  assert.ok(all.length >= 1, 'demo has no machines');
  for (const m of all) assert.match(m.code, /^[A-Z0-9-]{4,32}$/, `demo machine code ${m.code}`);
});
