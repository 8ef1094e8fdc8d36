// The commands for a stopped server, each on a new SQLite database of its own with a server of its own started on it:
// `huoyan user reset-password`, the way back in when nobody can sign in to reset an administrator, and
// `huoyan restore`, a backup put back in place of the database.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { BIN, DEMO_PASSWORD, runBin } from './lib.mjs';
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

/** Runs `fn(base)` with a server on `on` (the test's database), stopped afterwards (the reset command needs it stopped). */
async function withServer(fn, on = db) {
  const port = await freePort();
  const server = spawn(BIN, ['serve', '--db', on, '--listen', `127.0.0.1:${port}`], { stdio: 'ignore', env: { ...process.env, HUOYAN_BACKUP_DIR: join(dir, 'backups'), HUOYAN_BACKUP_SCHEDULED: '0' } });
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

test('restore checks the backup, refuses a database in use, sets the old one aside and records itself', async () => {
  const town = join(dir, 'restore.db');
  const url = `sqlite:${town}`;
  assert.equal(runBin(['demo', '--db', url]).code, 0);
  const sql = (q) => execFileSync('sqlite3', [town, q], { encoding: 'utf8' }).trim();
  const mark = (code) => sql(`INSERT INTO dict_types (code, name, description, builtin, created_at) VALUES ('${code}', '恢复标记', '', 0, '2026-12-08T00:00:00Z')`);
  const has = (file, code) => execFileSync('sqlite3', [file, `SELECT COUNT(*) FROM dict_types WHERE code = '${code}'`], { encoding: 'utf8' }).trim() === '1';
  mark('before_backup');
  const backupFile = join(dir, 'town-backup.db');
  const made = runBin(['backup', '--db', url, '--out', backupFile]);
  assert.equal(made.code, 0, made.stderr);
  mark('after_backup');

  // Bad backups change nothing: garbage, none, one from a newer version, one the key file does not open.
  writeFileSync(join(dir, 'garbage.db'), 'not a database at all'.repeat(300));
  const newer = join(dir, 'newer.db');
  copyFileSync(backupFile, newer);
  execFileSync('sqlite3', [newer, "INSERT INTO schema_version (version, name, applied_at) VALUES (9999, '9999_future', '2030-01-01T00:00:00Z')"]);
  const otherKey = join(dir, 'other.key');
  writeFileSync(otherKey, `${'ab'.repeat(32)}\n`, { mode: 0o600 });
  for (const [bad, why, extra] of [[join(dir, 'garbage.db'), /校验未通过|无法打开/, []], [join(dir, 'missing.db'), /不存在/, []],
    [newer, /较新版本/, []], [backupFile, /密钥文件.*不匹配/, ['--key-file', otherKey]]]) {
    const r = runBin(['restore', bad, '--db', url, ...extra]);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stderr, /恢复失败，数据库未改动/);
    assert.match(r.stderr, why);
    assert.ok(has(town, 'after_backup'), `a refused restore (${bad}) changed the database`);
  }
  // A running server's database is not replaced under it.
  await withServer(async () => {
    const r = runBin(['restore', backupFile, '--db', url]);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stderr, /服务仍在运行/);
  }, url);
  assert.ok(has(town, 'after_backup'), 'a refused restore changed the database');

  const done = runBin(['restore', backupFile, '--db', url]);
  assert.equal(done.code, 0, done.stderr);
  const aside = /原数据库已另存为 (\S+?)（/.exec(done.stdout)?.[1];
  assert.ok(aside && existsSync(aside), done.stdout);
  assert.ok(has(town, 'before_backup') && !has(town, 'after_backup'), 'the restored database is not the backup');
  assert.ok(has(aside, 'after_backup'), 'the set-aside database lost what it held');
  assert.match(sql("SELECT action || ' ' || username FROM audit_log ORDER BY id DESC LIMIT 1"), /^system\.restore console$/);
  assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('restore.db.partial')), [], 'the prepared copy was left behind');
  // A backup left running by a server that stopped is marked failed at the next start.
  sql("INSERT INTO backups (kind, state, file, started_at) VALUES ('manual', 'running', 'huoyan-x.db', '2026-12-08T00:00:00Z')");
  // The restored town serves, with its accounts.
  await withServer(async (base) => {
    assert.equal((await login(base, 'admin', DEMO_PASSWORD)).status, 200);
  }, url);
  assert.equal(sql("SELECT state || ' ' || error FROM backups WHERE file = 'huoyan-x.db'"), 'failed 服务在备份完成前停止');
});

test('restore takes a backup from an older version; the server brings it up to date when it starts', async () => {
  const town = join(dir, 'older.db');
  const url = `sqlite:${town}`;
  assert.equal(runBin(['demo', '--db', url]).code, 0);
  const backupFile = join(dir, 'older-backup.db');
  assert.equal(runBin(['backup', '--db', url, '--out', backupFile]).code, 0);
  // The backup as a version before server-made backups would have written it.
  execFileSync('sqlite3', [backupFile, 'DROP TABLE backups; DELETE FROM schema_version WHERE version >= 42']);
  const restored = runBin(['restore', backupFile, '--db', url]);
  assert.equal(restored.code, 0, restored.stderr);
  await withServer(async (base) => {
    const admin = await login(base, 'admin', DEMO_PASSWORD);
    assert.equal(admin.status, 200, JSON.stringify(admin.body));
  }, url);
  const version = execFileSync('sqlite3', [town, 'SELECT MAX(version) FROM schema_version'], { encoding: 'utf8' }).trim();
  assert.ok(Number(version) >= 42, `not migrated: ${version}`);
});
