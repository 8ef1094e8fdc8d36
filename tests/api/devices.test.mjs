// Machine chips (焊机"加芯赋码"): signed device messages over HTTP, scan-to-start,
// warnings and the command outbox. Uses the demo's running permit: 唐国庆 (welder)
// on machine JF-HJ-0001 at 金凤镇卫生院, in its window when the demo was loaded.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { login, request, expectError, expectStatus, describe, setServerClock, resetServerClock, loadSpec, responseSchema,
  checkSchema, createMachine } from './lib.mjs';

const admin = await login('admin');
const welder = await login('welder');
const HOSPITAL = { lat: 29.4440, lng: 106.3560 };

async function machineByCode(code) {
  const { items } = await admin.getOk(`/api/machines?q=${code}`);
  const m = items.find((x) => x.code === code);
  assert.ok(m, `machine ${code} in the demo`);
  return m;
}
const secrets = {};
async function secretOf(code) {
  if (!secrets[code]) {
    const m = await machineByCode(code);
    const res = await admin.post(`/api/machines/${m.id}/secret`, {});
    expectStatus(res, 200);
    assert.equal(res.json.code, code);
    assert.ok(res.json.secret.length >= 32, 'a long random secret');
    secrets[code] = res.json.secret;
  }
  return secrets[code];
}
let seq = 1000;
async function envelope(code, fields, { secret } = {}) {
  const body = JSON.stringify({ code, seq: seq++, at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), ...fields });
  const key = secret ?? (await secretOf(code));
  return { code, body, sig: createHmac('sha256', key).update(body).digest('hex') };
}
const send = (messages) => request('POST', '/api/devices/messages', { body: { messages } });
async function deviceCounters() {
  const text = (await request('GET', '/metrics')).text;
  const out = {};
  for (const m of text.matchAll(/^huoyan_device_messages_total\{outcome="(\w+)"\} (\d+)$/gm)) out[m[1]] = Number(m[2]);
  return out;
}
async function openAlerts(kind, machineId) {
  const { items } = await admin.getOk(`/api/alerts?kind=${kind}&sourceType=machine&sourceId=${machineId}&pageSize=50`);
  return items.filter((a) => a.state === 'open' || a.state === 'acknowledged');
}

test('the demo permit is running, so the scan tests have their subject', async () => {
  const { items } = await admin.getOk('/api/permits?state=in_progress&pageSize=50');
  assert.ok(items.some((p) => p.venue.name === '金凤镇卫生院'), 'demo in_progress permit at 金凤镇卫生院');
});

test('scan refusals say why, in Chinese, and unlock nothing', async () => {
  expectError(await welder.post('/api/machines/scan', { code: 'JF-HJ-0001', lat: 29.4640, lng: 106.3560 }), 409, 'SCAN_OUT_OF_FENCE');
  expectError(await welder.post('/api/machines/scan', { code: 'JF-HJ-0002', ...HOSPITAL }), 409, 'NO_PERMIT');
  expectError(await welder.post('/api/machines/scan', { code: 'JF-HJ-0012', ...HOSPITAL }), 409, 'MACHINE_LOCKED');  // retired
  expectError(await welder.post('/api/machines/scan', { code: 'NO-SUCH-1', ...HOSPITAL }), 400, 'MACHINE_NOT_FOUND', 'code');
  expectError(await welder.post('/api/machines/scan', { code: 'JF-HJ-0001' }), 400, 'REQUIRED', 'lat');
  const fw = await login('firewatch');  // a fire watch is not a registered welder with a certificate
  expectError(await fw.post('/api/machines/scan', { code: 'JF-HJ-0001', ...HOSPITAL }), 409, 'CERT_INVALID');
});

test('a scan with an expired certificate publishes no unlock', async () => {
  // Link 马骏 (whose certificate has expired) to a new welder account.
  const { items: people } = await admin.getOk('/api/people?q=马骏');
  const person = people[0];
  const roleId = (await admin.getOk('/api/roles')).items.find((r) => r.key === 'welder').id;
  const orgUnitId = (await admin.getOk('/api/org-units')).items.find((o) => o.name === '龙凤社区').id;
  const username = `exp_${Date.now() % 100000}`;
  const password = 'Expired#2026a';
  expectStatus(await admin.post('/api/users', { username, name: '马骏', phone: `139${String(Date.now()).slice(-8)}`, orgUnitId, roleId, password }), 201);
  const user = (await admin.getOk(`/api/users?q=${username}`)).items[0];
  const full = await admin.getOk(`/api/people/${person.id}`);
  expectStatus(await admin.put(`/api/people/${person.id}`, { name: full.name, citizenId: full.citizenId, phone: full.phone, unitId: full.unitId, userId: user.id }), 200);
  const c = await login(username, password);
  expectStatus(await c.post('/api/auth/password', { oldPassword: password, newPassword: 'Expired#2026b' }), 200);
  const machine = await machineByCode('JF-HJ-0003');
  const before = (await admin.getOk('/api/audit-logs?action=machine.scan_start&pageSize=200')).total;
  const res = await c.post('/api/machines/scan', { code: machine.code, ...HOSPITAL });
  expectError(res, 409, 'CERT_INVALID');
  assert.match(res.json.message, /有效期|过期/);
  assert.equal((await admin.getOk('/api/audit-logs?action=machine.scan_start&pageSize=200')).total, before, 'no session opened');
});

test('a permitted scan unlocks, and the unlock reaches the machine with its next batch', async () => {
  const res = await welder.post('/api/machines/scan', { code: 'jf-hj-0001', ...HOSPITAL, accuracyM: 10 });
  expectStatus(res, 200);
  const spec = loadSpec();
  assert.deepEqual(checkSchema(spec, responseSchema(spec, 'POST', '/api/machines/scan', 200), res.json), [], 'answer as documented');
  assert.equal(res.json.machineCode, 'JF-HJ-0001');
  assert.ok(res.json.commandId > 0 && res.json.sessionId > 0);
  assert.match(res.json.message, /已解锁/);
  const batch = await send([await envelope('JF-HJ-0001', { type: 'telemetry', power: true, currentA: 118.5, voltageV: 24.2, ...HOSPITAL, accuracyM: 6 })]);
  expectStatus(batch, 200);
  assert.equal(batch.json.accepted, 1, describe(batch));
  const unlock = batch.json.commands.find((c) => c.id === res.json.commandId);
  assert.ok(unlock, `unlock delivered: ${describe(batch)}`);
  assert.equal(unlock.command, 'unlock');
  assert.equal(unlock.until, res.json.until);
  // Acknowledged by the machine.
  expectStatus(await send([await envelope('JF-HJ-0001', { type: 'ack', commandId: unlock.id })]), 200);
  // Permitted work raises no 未审批动火.
  const machine = await machineByCode('JF-HJ-0001');
  assert.equal((await openAlerts('unpermitted_power_on', machine.id)).length, 0);
});

test('an unpermitted power-on raises 未审批动火 at once and locks the machine, once', async () => {
  const machine = await machineByCode('JF-HJ-0010');
  const first = await send([await envelope('JF-HJ-0010', { type: 'telemetry', power: true, currentA: 90 })]);
  expectStatus(first, 200);
  const alerts = await openAlerts('unpermitted_power_on', machine.id);
  assert.equal(alerts.length, 1, 'alert raised within the request');
  assert.match(alerts[0].title, /未经审批/);
  assert.ok(first.json.commands.some((c) => c.command === 'lock'), 'lock queued and delivered');
  await send([await envelope('JF-HJ-0010', { type: 'telemetry', power: true, currentA: 95 })]);
  assert.equal((await openAlerts('unpermitted_power_on', machine.id)).length, 1, 'no flood: one open alert per machine and kind');
});

test('malformed, oversize, wrongly-signed, unknown and replayed messages are counted and dropped', async () => {
  const before = await deviceCounters();
  const good = await envelope('JF-HJ-0011', { type: 'telemetry', power: false });
  const forged = { ...(await envelope('JF-HJ-0011', { type: 'telemetry', power: true })), sig: 'ab'.repeat(32) };
  const wrongKey = await envelope('JF-HJ-0011', { type: 'telemetry', power: true }, { secret: 'not-the-secret' });
  const mismatch = { ...(await envelope('JF-HJ-0011', { type: 'telemetry', power: true })), code: 'JF-HJ-0004' };
  const huge = await envelope('JF-HJ-0011', { type: 'telemetry', power: true, note: 'x'.repeat(3000) });
  const unknown = await envelope('JF-XX-9999', { type: 'telemetry', power: true }, { secret: 'k' });
  const res = await send([good, good, forged, wrongKey, mismatch, huge, unknown, { code: 'JF-HJ-0011' }, { nonsense: true },
    await envelope('JF-HJ-0011', { type: 'event', event: 'explode' })]);
  expectStatus(res, 200);
  const codes = res.json.rejected.map((r) => `${r.index}:${r.code}`);
  assert.deepEqual(codes, ['1:REPLAYED', '2:BAD_SIGNATURE', '3:BAD_SIGNATURE', '4:MALFORMED', '5:OVERSIZE', '6:UNKNOWN_MACHINE',
    '7:MALFORMED', '8:MALFORMED', '9:MALFORMED'], describe(res));
  assert.equal(res.json.accepted, 1);
  const after = await deviceCounters();
  assert.equal(after.bad_signature - before.bad_signature, 2);
  assert.equal(after.malformed - before.malformed, 4);
  assert.equal(after.oversize - before.oversize, 1);
  assert.equal(after.replayed - before.replayed, 1);
  // The gateway keeps working.
  expectStatus(await send([await envelope('JF-HJ-0011', { type: 'telemetry', power: false })]), 200);
  // Bad batches are clear 4xx.
  expectError(await request('POST', '/api/devices/messages', { body: { messages: 'x' } }), 400, 'INVALID_TYPE', 'messages');
  expectError(await request('POST', '/api/devices/messages', { body: { messages: Array(501).fill({}) } }), 400, 'INVALID_VALUE', 'messages');
});

test('gas over limit locks at once', async () => {
  const machine = await machineByCode('JF-HJ-0009');
  const res = await send([await envelope('JF-HJ-0009', { type: 'event', event: 'gas_over_limit' })]);
  expectStatus(res, 200);
  assert.ok(res.json.commands.some((c) => c.command === 'lock'));
  assert.equal((await openAlerts('gas_over_limit', machine.id)).length, 1);
});

test('only machine:write may issue a chip secret; a welder may not', async () => {
  const m = await machineByCode('JF-HJ-0005');
  expectError(await welder.post(`/api/machines/${m.id}/secret`, {}), 403, 'FORBIDDEN');
  expectError(await admin.post('/api/machines/999999999/secret', {}), 404, 'NOT_FOUND');
});

test('at the end of the window the machine is locked', async () => {
  const permit = (await admin.getOk('/api/permits?state=in_progress&pageSize=50')).items.find((p) => p.venue.name === '金凤镇卫生院');
  try {
    await setServerClock((Date.parse(permit.plannedEnd) - Date.now()) / 1000 + 60);
    const res = await send([await envelope('JF-HJ-0001', { type: 'telemetry', power: false })]);
    expectStatus(res, 200);
    const lock = res.json.commands.find((c) => c.command === 'lock');
    assert.ok(lock, `lock delivered after the window: ${describe(res)}`);
    assert.match(lock.reason, /有效时间/);
  } finally {
    await resetServerClock();
  }
});

test('telemetry without a fix keeps the last known position (the map shows it); a new fix moves the machine', async () => {
  const unit = (await admin.getOk('/api/units?pageSize=1')).items[0];
  const m = await createMachine(admin, unit.id);
  const onMap = async () => (await admin.getOk('/api/map')).machines.find((x) => x.id === m.id);
  const near = (x, fix) => Math.abs(x.lat - fix.lat) < 1e-6 && Math.abs(x.lng - fix.lng) < 1e-6;
  assert.equal(await onMap(), undefined, 'a machine that never reported is not on the map');

  const fix = { lat: 29.4421, lng: 106.3588 };
  let res = await send([await envelope(m.code, { type: 'telemetry', power: false, ...fix, accuracyM: 7 })]);
  assert.equal(res.json.accepted, 1, describe(res));
  const first = await onMap();
  assert.ok(first && near(first, fix), `at its fix: ${JSON.stringify(first)}`);
  assert.equal(first.powerOn, false);

  await new Promise((r) => setTimeout(r, 1100)); // a later second
  res = await send([await envelope(m.code, { type: 'telemetry', power: false, currentA: 0 })]);
  assert.equal(res.json.accepted, 1, describe(res));
  const second = await onMap();
  assert.ok(second && near(second, fix), `no fix: the last position stays, got ${JSON.stringify(second)}`);
  assert.ok(second.lastAt > first.lastAt, 'lastAt follows the latest message');

  const moved = { lat: 29.4433, lng: 106.3571 };
  res = await send([await envelope(m.code, { type: 'telemetry', power: false, ...moved, accuracyM: 9 })]);
  assert.equal(res.json.accepted, 1, describe(res));
  assert.ok(near(await onMap(), moved), 'a new fix replaces the position');
});
