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
import { login, request, expectStatus } from '../api/lib.mjs';

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
  await new Promise((r) => sub.on('exit', r));
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
