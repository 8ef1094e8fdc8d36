// Device benchmarks that need HTTP or signed messages, driven by scripts/bench-devices.sh:
//   node bench/devices.mjs lines URL CODE COUNT FILE   signed telemetry lines for mosquitto_pub -l
//   node bench/devices.mjs scans URL PER_MINUTE SECONDS  scan-to-unlock latency (JSON on stdout)
import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';

const [mode, url, ...args] = process.argv.slice(2);
const HOSPITAL = { lat: 29.4440, lng: 106.3560 };  // the demo's running permit (JF-HJ-0001, 唐国庆)

async function login(user) {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login: user, password: 'Huoyan@2025' }),
  });
  if (!res.ok) throw new Error(`login ${user}: ${res.status}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return { cookie, csrf: (await res.json()).csrfToken };
}
async function call(who, method, path, body) {
  const res = await fetch(`${url}${path}`, {
    method, headers: { Cookie: who.cookie, 'x-csrf-token': who.csrf, 'Content-Type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, json: await res.json() };
}

if (mode === 'lines') {
  const [code, count, file] = args;
  const admin = await login('admin');
  const { json: found } = await call(admin, 'GET', `/api/machines?q=${code}`);
  const { json: issued } = await call(admin, 'POST', `/api/machines/${found.items.find((m) => m.code === code).id}/secret`, {});
  const inSession = code === 'JF-HJ-0001';
  let seq = Date.now();
  const lines = [];
  for (let i = 0; i < Number(count); i++) {
    const body = JSON.stringify({
      code, seq: seq++, at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), type: 'telemetry', power: inSession,
      currentA: inSession ? 120 + (i % 60) : 0, voltageV: 24, lat: HOSPITAL.lat + 0.0002, lng: HOSPITAL.lng + 0.0001, accuracyM: 8,
    });
    lines.push(JSON.stringify({ code, body, sig: createHmac('sha256', issued.secret).update(body).digest('hex') }));
  }
  writeFileSync(file, lines.join('\n') + '\n');
} else if (mode === 'scans') {
  const [perMinute, seconds] = args.map(Number);
  const welder = await login('welder');
  const gap = 60000 / perMinute;
  const latencies = [];
  let failed = 0;
  const started = performance.now();
  const pending = [];
  for (let i = 0; performance.now() - started < seconds * 1000; i++) {
    const due = started + i * gap;
    await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
    pending.push((async () => {
      const t0 = performance.now();
      const res = await call(welder, 'POST', '/api/machines/scan', { code: 'JF-HJ-0001', ...HOSPITAL, accuracyM: 10 });
      latencies.push(performance.now() - t0);
      if (res.status !== 200) failed++;
    })());
  }
  await Promise.all(pending);
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(1);
  console.log(JSON.stringify({ scans: latencies.length, failed, p50: at(0.5), p99: at(0.99), max: at(1) }));
} else {
  console.error('usage: node bench/devices.mjs lines|scans ...');
  process.exit(2);
}
