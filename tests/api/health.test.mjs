// Health, metrics, unknown API paths, and the static web app (history fallback, mobile entry, assets).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { existsSync, readdirSync } from 'node:fs';
import { request, expectError, login, BASE, dbKind } from './lib.mjs';

const DIST = new URL('../../web/dist/', import.meta.url);
const haveDist = existsSync(new URL('index.html', DIST));

/** Raw GET with exact headers (no automatic Accept-Encoding / decompression); body as Buffer. */
function rawGet(path, headers = {}) {
  const u = new URL(BASE);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path, method: 'GET', headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('/healthz → {status: ok, db} matching the database in use', async () => {
  const res = await request('GET', '/healthz');
  assert.equal(res.status, 200);
  assert.equal(res.json?.status, 'ok');
  assert.ok(['sqlite', 'postgresql'].includes(res.json.db), `db ${res.json.db}`);
  if (dbKind()) assert.equal(res.json.db, dbKind());
});

test('/metrics exposes request counters and a duration histogram after some requests', async () => {
  for (let i = 0; i < 3; i++) await request('GET', '/healthz');
  await request('GET', '/api/auth/me'); // a 401
  const res = await request('GET', '/metrics');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
  const lines = res.text.split('\n');
  const samples = (name) => lines.filter((l) => l.startsWith(name) && !l.startsWith('#'));
  const total = samples('huoyan_http_requests_total');
  assert.ok(total.length > 0, 'no huoyan_http_requests_total samples');
  assert.ok(lines.some((l) => /^# TYPE huoyan_http_requests_total counter/.test(l)), 'requests_total not typed counter');
  assert.ok(total.some((l) => /\s([1-9]\d*)(\.\d+)?(e\+\d+)?(\s+\d+)?$/.test(l)), 'all request counters are 0');
  assert.ok(lines.some((l) => /^# TYPE huoyan_http_request_duration_seconds histogram/.test(l)), 'duration not typed histogram');
  for (const suffix of ['_bucket', '_sum', '_count']) {
    assert.ok(samples(`huoyan_http_request_duration_seconds${suffix}`).length > 0, `no duration${suffix} samples`);
  }
  assert.ok(samples('huoyan_http_request_duration_seconds_bucket').some((l) => l.includes('le="+Inf"')), 'no +Inf bucket');
  // counters must grow
  const sum = (t) => t.split('\n').filter((l) => l.startsWith('huoyan_http_requests_total'))
    .reduce((a, l) => a + Number(l.trim().split(/\s+/).pop()), 0);
  const before = sum(res.text);
  await request('GET', '/healthz');
  const after = sum((await request('GET', '/metrics')).text);
  assert.ok(after > before, `huoyan_http_requests_total did not grow (${before} → ${after})`);
});

test('unknown /api path → 404 JSON NOT_FOUND (with or without a session)', async () => {
  const anon = await request('GET', '/api/no-such-thing');
  expectError(anon, 404, 'NOT_FOUND');
  const admin = await login('admin');
  expectError(await admin.get('/api/no-such-thing/42'), 404, 'NOT_FOUND');
  expectError(await admin.get('/api'), 404, 'NOT_FOUND');
  // an /api path never falls back to the web app
  assert.doesNotMatch(anon.text, /<html/i);
});

test('a query string that cannot be decoded → 400 INVALID_QUERY, never 5xx', async () => {
  const admin = await login('admin');
  expectError(await admin.get('/api/users?q=%zz'), 400, 'INVALID_QUERY');
  expectError(await admin.get('/api/audit-logs?from=%E4%B8'), 400, 'INVALID_QUERY');
});

test('a stray "&" or a key without "=" does not swallow the parameter after it', async () => {
  const admin = await login('admin');
  const want = await admin.getOk('/api/audit-logs?pageSize=2&action=user.');
  assert.equal(want.items.length, 2);
  for (const query of ['&pageSize=2&action=user.', 'pageSize=2&&action=user.&', 'tag&pageSize=2&action=user.', 'action=user.&pageSize=2&x=']) {
    assert.deepEqual(await admin.getOk(`/api/audit-logs?${query}`), want, `?${query}`);
  }
  // still checked: a bad value after a stray '&' is refused, not dropped
  expectError(await admin.get('/api/audit-logs?&pageSize=500'), 400, 'INVALID_VALUE', 'pageSize');
});

test('GET / serves the console index.html', { skip: !haveDist && 'web/dist not built' }, async () => {
  const res = await rawGet('/');
  assert.equal(res.status, 200);
  assert.match(res.headers['content-type'] ?? '', /^text\/html/);
  assert.match(res.body.toString(), /<html/i);
});

test('history fallback: /users/123 returns the console index.html', { skip: !haveDist && 'web/dist not built' }, async () => {
  const index = await rawGet('/');
  for (const p of ['/users/123', '/org-units', '/audit-logs?page=2']) {
    const res = await rawGet(p);
    assert.equal(res.status, 200, p);
    assert.match(res.headers['content-type'] ?? '', /^text\/html/, p);
    assert.ok(res.body.equals(index.body), `${p} is not the console index.html`);
  }
});

test('/m/anything returns the mobile html', { skip: !haveDist && 'web/dist not built' }, async () => {
  const index = await rawGet('/');
  const m = await rawGet('/m/');
  const deep = await rawGet('/m/permits/42');
  for (const res of [m, deep]) {
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'] ?? '', /^text\/html/);
  }
  assert.ok(deep.body.equals(m.body), '/m/permits/42 differs from /m/');
  assert.ok(!m.body.equals(index.body), '/m/ serves the console index, not the mobile entry');
});

test('assets: long cache, gzip when a .gz exists and the client accepts it', { skip: !haveDist && 'web/dist not built' }, async () => {
  const html = (await rawGet('/')).body.toString();
  const refs = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
  assert.ok(refs.length > 0, 'index.html references no /assets/ files');
  const asset = refs[0];
  const plain = await rawGet(asset);
  assert.equal(plain.status, 200);
  assert.match(plain.headers['cache-control'] ?? '', /max-age=\d+/, `no max-age on ${asset}`);
  assert.ok(Number(/max-age=(\d+)/.exec(plain.headers['cache-control'])[1]) > 0, 'asset max-age is 0');
  assert.equal(plain.headers['content-encoding'], undefined, 'gzip sent to a client that did not ask for it');
  assert.match(plain.headers['content-type'] ?? '', asset.endsWith('.js') ? /javascript/ : /css|javascript/);

  // an asset the served index.html references and that has a .gz beside it (dist may be rebuilt while we run)
  const onDisk = new Set(readdirSync(new URL('assets/', DIST)));
  const gzAsset = refs.find((r) => onDisk.has(`${r.slice('/assets/'.length)}.gz`));
  if (!gzAsset) return;
  const zipped = await rawGet(gzAsset, { 'accept-encoding': 'gzip' });
  assert.equal(zipped.status, 200);
  assert.equal(zipped.headers['content-encoding'], 'gzip', `${gzAsset}: no Content-Encoding: gzip`);
  assert.match(zipped.headers.vary ?? '', /accept-encoding/i, 'gzip answer without Vary: Accept-Encoding');
  assert.equal(zipped.body[0], 0x1f);
  assert.equal(zipped.body[1], 0x8b);
  const unzipped = await rawGet(gzAsset);
  assert.equal(unzipped.headers['content-encoding'], undefined);
  assert.notEqual(unzipped.body[0], 0x1f);
});

test('missing asset → 404, not the index', { skip: !haveDist && 'web/dist not built' }, async () => {
  const res = await rawGet('/assets/no-such-file-0000.js');
  assert.equal(res.status, 404);
});

test('path traversal never escapes the web root', async () => {
  for (const p of ['/../../../../etc/passwd', '/assets/../../../../etc/passwd', '/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    '/assets/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd', '/m/..%2f..%2f..%2f..%2fetc%2fpasswd']) {
    const res = await rawGet(p);
    assert.ok(res.status < 500, `${p} → ${res.status}`);
    assert.doesNotMatch(res.body.toString(), /root:.*:0:0:/, `${p} served /etc/passwd`);
  }
});
