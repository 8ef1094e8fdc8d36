// The MQTT device gateway end to end, with a real Mosquitto broker that this
// file starts (and restarts) on loopback. The server under test was started
// with `--mqtt 127.0.0.1:$MQTT_PORT` and retries until the broker is up.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  login, request, expectStatus, expectError, describe, localDate, resetServerClock, serverClockTo, MINUTE,
  permitWorld, createCrew, createOpenVenue, createPermit, permitBody, advancePermit, certBody, releasePermits, maskCitizenId,
} from '../api/lib.mjs';

const PORT = Number(process.env.MQTT_PORT);
assert.ok(PORT > 0, 'MQTT_PORT must be set by the runner');
const dir = mkdtempSync(join(tmpdir(), 'huoyan-mqtt-'));
writeFileSync(join(dir, 'mosquitto.conf'), [
  `listener ${PORT} 127.0.0.1`, 'allow_anonymous true', 'persistence true', `persistence_location ${dir}/`,
  'autosave_interval 1', 'log_dest stderr', 'user root', 'max_queued_messages 10000', ''].join('\n'));

let broker = null;
async function startBroker() {
  broker = spawn('mosquitto', ['-c', join(dir, 'mosquitto.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  broker.stderr.on('data', (d) => { log += d; });
  for (let i = 0; i < 100; i++) {
    if (/mosquitto version .* running/.test(log)) return;
    await sleep(50);
  }
  throw new Error(`mosquitto did not start: ${log}`);
}
async function stopBroker() {
  if (!broker) return;
  const b = broker;
  broker = null;
  const done = new Promise((r) => b.on('exit', r));
  b.kill('SIGTERM');  // persists sessions and queued messages on the way out
  await done;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const admin = await login('admin');
const secrets = {};
async function secretOf(code) {
  if (!secrets[code]) {
    const { items } = await admin.getOk(`/api/machines?q=${code}`);
    const res = await admin.post(`/api/machines/${items.find((m) => m.code === code).id}/secret`, {});
    expectStatus(res, 200);
    secrets[code] = res.json.secret;
  }
  return secrets[code];
}
let seq = 1;
async function envelope(code, fields) {
  const body = JSON.stringify({ code, seq: seq++, at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), ...fields });
  return JSON.stringify({ code, body, sig: createHmac('sha256', await secretOf(code)).update(body).digest('hex') });
}
function publish(topic, payload) {
  execFileSync('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(PORT), '-V', 'mqttv5', '-q', '1', '-t', topic, '-m', payload]);
}
async function counters() {
  const text = (await request('GET', '/metrics')).text;
  const out = {};
  for (const m of text.matchAll(/^huoyan_device_messages_total\{outcome="(\w+)"\} (\d+)$/gm)) out[m[1]] = Number(m[2]);
  return out;
}
/**
 * A machine's command topic, subscribed to with mosquitto_sub. A probe topic rides in the same SUBSCRIBE: once a
 * probe comes back, the subscription is in place. Collects the commands (JSON) in order.
 */
async function commandSubscriber(code) {
  const topic = `huoyan/v1/machines/${code}/commands`;
  const probe = `huoyan-test/probe/${code}`;
  const sub = spawn('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(PORT), '-V', 'mqttv5', '-q', '1', '-v', '-t', topic, '-t', probe]);
  const exited = new Promise((r) => sub.on('exit', r));
  const messages = [];
  let pending = '';
  let probed = false;
  sub.stdout.on('data', (d) => {
    pending += d;
    const lines = pending.split('\n');
    pending = lines.pop();
    for (const line of lines) {
      const space = line.indexOf(' ');
      if (line.slice(0, space) === probe) probed = true;
      else if (line.slice(0, space) === topic) messages.push(JSON.parse(line.slice(space + 1)));
    }
  });
  const handle = {
    messages,
    /** The first message from index `from` on for which `pick` holds, waiting up to `ms`. */
    next: (what, pick, ms, from = 0) => waitFor(what, () => messages.slice(from).find(pick), ms),
    async stop() { sub.kill(); await exited; },
  };
  try {
    await waitFor(`the subscription to ${topic}`, async () => {
      publish(probe, 'probe');
      await sleep(100);
      return probed;
    }, 5000);
  } catch (e) {
    await handle.stop();
    throw e;
  }
  return handle;
}
async function waitFor(what, check, ms) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) assert.fail(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(25);
  }
}

test.before(async () => {
  await startBroker();
  // The gateway connects by itself (back-off up to 30 s): wait until a message gets through.
  await waitFor('the gateway to connect', async () => {
    const before = (await counters()).accepted ?? 0;
    publish('huoyan/v1/machines/JF-HJ-0011/telemetry', await envelope('JF-HJ-0011', { type: 'telemetry', power: false }));
    await sleep(300);
    return ((await counters()).accepted ?? 0) > before;
  }, 40000);
});
test.after(async () => {
  await stopBroker();
  rmSync(dir, { recursive: true, force: true });
});

test('an unpermitted power-on raises 未审批动火 within one second, and the lock reaches the machine', async () => {
  const code = 'JF-HJ-0010';
  const sub = spawn('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(PORT), '-V', 'mqttv5', '-q', '1', '-C', '1', '-W', '10',
    '-t', `huoyan/v1/machines/${code}/commands`]);
  let received = '';
  sub.stdout.on('data', (d) => { received += d; });
  // Listen now: with -C 1 it may end before the alert is seen. 'close', not 'exit': the process can exit before
  // its last output has been read.
  const exited = new Promise((r) => sub.on('close', r));
  await sleep(300);  // let the subscriber register
  const { items } = await admin.getOk(`/api/machines?q=${code}`);
  const machineId = items[0].id;
  const sent = Date.now();
  publish(`huoyan/v1/machines/${code}/telemetry`, await envelope(code, { type: 'telemetry', power: true, currentA: 100 }));
  const alert = await waitFor('the alert', async () => {
    const { items: alerts } = await admin.getOk(`/api/alerts?kind=unpermitted_power_on&sourceType=machine&sourceId=${machineId}`);
    return alerts.find((a) => a.state === 'open');
  }, 1000);
  assert.ok(Date.now() - sent <= 1000, 'within a second');
  assert.match(alert.title, /未经审批/);
  await exited;
  const command = JSON.parse(received);
  assert.equal(command.command, 'lock');
  assert.equal(command.code, code);
});

test('malformed, oversize and wrongly-signed messages are counted and dropped; the gateway keeps going', async () => {
  const before = await counters();
  const topic = 'huoyan/v1/machines/JF-HJ-0011/telemetry';
  publish(topic, 'not json');
  publish(topic, JSON.stringify({ code: 'JF-HJ-0011', body: '{}', sig: '00' }));
  publish(topic, JSON.stringify({ code: 'JF-HJ-0011', body: 'x'.repeat(4000), sig: '00' }));
  const good = JSON.parse(await envelope('JF-HJ-0011', { type: 'telemetry', power: false }));
  publish(topic, JSON.stringify({ ...good, sig: 'ab'.repeat(32) }));
  publish('huoyan/v1/machines/JF-HJ-0004/telemetry', JSON.stringify(good));  // another machine's topic
  publish(topic, await envelope('JF-HJ-0011', { type: 'telemetry', power: false }));
  await waitFor('all six to be counted', async () => {
    const c = await counters();
    return c.malformed - before.malformed === 3 && c.oversize - before.oversize === 1 &&
      c.bad_signature - before.bad_signature === 1 && c.accepted - before.accepted === 1;
  }, 5000);
});

test('the broker restarting mid-run loses no acknowledged message', async () => {
  const before = (await counters()).accepted;
  await stopBroker();
  await startBroker();
  // Published (and acknowledged by the broker) while the gateway may still be reconnecting.
  const n = 30;
  for (let i = 0; i < n; i++)
    publish('huoyan/v1/machines/JF-HJ-0011/telemetry', await envelope('JF-HJ-0011', { type: 'telemetry', power: false }));
  await waitFor(`${n} messages after the restart`, async () => (await counters()).accepted - before >= n, 40000);
  assert.equal((await counters()).accepted - before, n, 'each exactly once');
});

// ---------- scan-to-start through the broker (docs/device-protocol.md, Scan-to-start and Commands) ----------
// Each test brings its own venue (no opening hours), crew and machine, and a permit of contractor (applicant and
// job leader, 邓强 leads) approved by venue_mgr, in a window that starts within minutes.
const held = [];
test.after(async () => {
  await resetServerClock();
  await releasePermits(held);
});

/** A running permit naming a new welder (with an account) and a new machine, at a new venue. */
async function runningPermit() {
  const world = await permitWorld(admin);
  const contractor = await login('contractor');
  const vm = await login('venue_mgr');
  const venue = await createOpenVenue(admin, world, world.users.get('venue_mgr').id);
  const crew = await createCrew(admin, world, { welderAccount: true });
  const now = await resetServerClock();
  const start = Math.ceil(now / MINUTE) * MINUTE + 2 * MINUTE;  // scan allows a window starting within 15 minutes
  let permit = await createPermit(contractor, permitBody({
    venueId: venue.id, start, end: start + 60 * MINUTE, jobLeaderId: world.people.get('邓强').id,
    approverUserId: world.users.get('venue_mgr').id, crew,
  }));
  held.push(permit.id);
  permit = await advancePermit(permit, 'in_progress', {
    applicant: contractor, approver: vm, jobLeader: contractor, fireWatch: crew.fireWatch.client, admin,
  });
  // The machine is at the venue, switched off, and says so over MQTT.
  const code = crew.machine.code;
  publish(`huoyan/v1/machines/${code}/telemetry`, await envelope(code, { type: 'telemetry', power: false, lat: venue.lat, lng: venue.lng, accuracyM: 5 }));
  await waitFor(`${code} on the map`, async () => (await admin.getOk('/api/map')).machines.some((m) => m.id === crew.machine.id), 5000);
  return { permit, venue, crew, code, welder: crew.worker.client };
}

test('a scan with an expired certificate publishes no unlock and shows the reason', async () => {
  const { venue, crew, code, welder } = await runningPermit();
  // The permit's only worker: his certificate expired yesterday (the permit was approved while it was valid).
  const expired = certBody(crew.worker.person, { validUntil: localDate(-1), nextReview: localDate(-1) });
  const cert = expectStatus(await admin.put(`/api/certificates/${crew.worker.cert.id}`, expired), 200);
  assert.equal(cert.state, 'expired', 'the certificate shows as expired');
  const sub = await commandSubscriber(code);
  try {
    const before = (await admin.getOk('/api/audit-logs?action=machine.scan_start&pageSize=1')).total;
    const res = await welder.post('/api/machines/scan', { code, lat: venue.lat, lng: venue.lng, accuracyM: 10 });
    expectError(res, 409, 'CERT_INVALID');
    assert.match(res.json.message, /有效期至 \d{4}-\d\d-\d\d/, `the reason names the expiry: ${describe(res)}`);
    // the certificate is named as the API shows it: masked (a 特种作业操作证's number carries the 身份证号)
    assert.ok(res.json.message.includes(`T${maskCitizenId(expired.number.slice(1))}`), `the reason names the certificate: ${describe(res)}`);
    assert.ok(!res.json.message.includes(expired.number.slice(1)), `the reason holds the ID number: ${describe(res)}`);
    await sleep(1500);
    assert.deepEqual(sub.messages.filter((m) => m.command === 'unlock'), [], 'no unlock published');
    assert.equal((await admin.getOk('/api/audit-logs?action=machine.scan_start&pageSize=1')).total, before, 'no session opened');
  } finally {
    await sub.stop();
  }
});

test('a permitted scan unlocks, and the machine is locked at the window\'s end', async () => {
  const { permit, venue, code, welder } = await runningPermit();
  assert.equal(permit.state, 'in_progress');
  const sub = await commandSubscriber(code);
  try {
    const res = await welder.post('/api/machines/scan', { code, lat: venue.lat, lng: venue.lng, accuracyM: 10 });
    expectStatus(res, 200);
    assert.equal(res.json.machineCode, code);
    assert.equal(res.json.permitId, permit.id);
    assert.equal(Date.parse(res.json.until), Date.parse(permit.plannedEnd), 'the session ends with the permit');
    assert.match(res.json.message, /已解锁/);

    const unlock = await sub.next('unlock on the command topic', (m) => m.command === 'unlock', 3000);
    assert.equal(unlock.code, code);
    assert.equal(unlock.id, res.json.commandId);
    assert.equal(unlock.sessionId, res.json.sessionId);
    assert.ok(Number.isInteger(unlock.sessionId) && unlock.sessionId > 0, 'a session id');
    assert.equal(Date.parse(unlock.until), Date.parse(permit.plannedEnd), `until is the permit's end: ${JSON.stringify(unlock)}`);
    assert.ok(!Number.isNaN(Date.parse(unlock.issuedAt)), 'issuedAt is a time');
    const accepted = (await counters()).accepted ?? 0;
    publish(`huoyan/v1/machines/${code}/events`, await envelope(code, { type: 'ack', commandId: unlock.id }));
    await waitFor('the ack to be taken', async () => ((await counters()).accepted ?? 0) > accepted, 5000);

    // Past the window's end: the timers end the session and queue the lock. An acknowledged unlock is not sent again.
    const seen = sub.messages.length;
    await serverClockTo(Date.parse(permit.plannedEnd) + MINUTE);
    const lock = await sub.next('lock on the command topic', (m) => m.command === 'lock', 5000, seen);
    assert.equal(lock.code, code);
    assert.ok(Number.isInteger(lock.id) && lock.id > unlock.id, `a new command: ${JSON.stringify(lock)}`);
    assert.match(lock.reason, /有效时间已到/);
    assert.ok(Date.parse(lock.issuedAt) >= Date.parse(permit.plannedEnd), `issued after the window: ${JSON.stringify(lock)}`);
    publish(`huoyan/v1/machines/${code}/events`, await envelope(code, { type: 'ack', commandId: lock.id }));
    await sleep(500);
    assert.deepEqual(sub.messages.slice(seen).filter((m) => m.command === 'unlock'), [], 'the acknowledged unlock is not repeated');
  } finally {
    await sub.stop();
    await resetServerClock();
  }
});
