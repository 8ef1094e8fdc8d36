// `huoyan user reset-password`: the way back in when nobody can sign in to reset an administrator. Runs on a new
// SQLite database of its own (the command is for a stopped server), with a server of its own started on it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { BIN, runBin } from './lib.mjs';
import { totpCode } from '../totp.mjs';

const dir = mkdtempSync(join(tmpdir(), 'huoyan-cli-'));
const db = `sqlite:${join(dir, 'town.db')}`;
after(() => rmSync(dir, { recursive: true, force: true }));

const freePort = () => new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address();
    s.close(() => resolve(port));
  });
});

/** Runs `fn(base)` with a server on the test's database, stopped afterwards (the reset command needs it stopped). */
async function withServer(fn) {
  const port = await freePort();
  const server = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`], { stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${base}/healthz`)).ok) break;
      } catch { /* not listening yet */ }
      if (i > 100) throw new Error('the server did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    return await fn(base);
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
}

async function login(base, username, password) {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login: username, password }),
  });
  const body = await res.json();
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const post = async (path, data) => {
    const r = await fetch(base + path, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': body.csrfToken }, body: JSON.stringify(data),
    });
    return { status: r.status, json: await r.json() };
  };
  return { status: res.status, body, post };
}

const newPassword = (stdout) => /一次性新密码：(\S+?)（/.exec(stdout)?.[1];

test('user reset-password gives a one-time password, unbinds a lost authenticator on request, and names a missing user', async () => {
  const migrated = runBin(['migrate', '--db', db]);
  assert.equal(migrated.code, 0, migrated.stderr);
  const initial = /初始密码：(\S+?)（/.exec(migrated.stdout)[1];

  let reset = runBin(['user', 'reset-password', 'admin', '--db', db]);
  assert.equal(reset.code, 0, reset.stderr);
  const first = newPassword(reset.stdout);
  assert.ok(first && first !== initial, reset.stdout);

  // The old password no longer works; the new one does, and must be changed. The admin binds an authenticator.
  const changed = 'Cli-Reset-2026!x';
  const secret = await withServer(async (base) => {
    assert.equal((await login(base, 'admin', initial)).status, 401);
    const admin = await login(base, 'admin', first);
    assert.equal(admin.status, 200, JSON.stringify(admin.body));
    assert.equal(admin.body.user.mustChangePassword, true);
    assert.equal((await admin.post('/api/auth/password', { oldPassword: first, newPassword: changed })).status, 200);
    const setup = await admin.post('/api/auth/second-factor/setup', {});
    assert.equal(setup.status, 200, JSON.stringify(setup.json));
    const confirmed = await admin.post('/api/auth/second-factor/confirm', { code: totpCode(setup.json.secret, Date.now()) });
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.json));
    assert.equal((await login(base, 'admin', changed)).body.secondFactor, 'totp', 'the code is asked for after the password');
    return setup.json.secret;
  });
  assert.ok(secret);

  // The phone is lost: the operator resets the password and unbinds the authenticator.
  reset = runBin(['user', 'reset-password', 'admin', '--second-factor', '--db', db]);
  assert.equal(reset.code, 0, reset.stderr);
  assert.match(reset.stdout, /已解除其动态口令绑定/);
  const second = newPassword(reset.stdout);
  await withServer(async (base) => {
    assert.equal((await login(base, 'admin', changed)).status, 401);
    const admin = await login(base, 'admin', second);
    assert.equal(admin.status, 200, JSON.stringify(admin.body));
    assert.equal(admin.body.secondFactor, undefined, 'no code is asked for: the authenticator is unbound');
    assert.equal(admin.body.user.mustChangePassword, true);
  });

  const missing = runBin(['user', 'reset-password', 'nobody', '--db', db]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /没有用户名为 nobody 的账号/);
  assert.notEqual(runBin(['user', 'reset-password', '--db', db]).code, 0, 'the user name is required');
});
