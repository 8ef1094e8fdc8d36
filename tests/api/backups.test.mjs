// 等保 数据备份恢复: backups made by the server on demand and by its nightly schedule, checked once made, the
// newest `keep` kept. A backup is restored here as an operator would (SQLite: the file opened with sqlite3;
// PostgreSQL: pg_restore into a new database) and must hold what was written before it, and only that.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import {
  login, expectError, expectStatus, uid, dbKind, sqlOk, DB, resetServerClock, localMs, localDateOf, addDays,
} from './lib.mjs';

let admin;
const DEFAULTS = { enabled: true, hour: 2, keep: 14 };

before(async () => {
  admin = await login('admin');
  // No nightly backup of the schedule's own may start in the middle of these tests.
  expectStatus(await admin.put('/api/backups/settings', { ...DEFAULTS, enabled: false }), 200);
  await finished();
});
after(async () => {
  expectStatus(await admin.put('/api/backups/settings', DEFAULTS), 200);
});

/** Waits until no backup is running; returns the overview. */
async function finished() {
  for (let i = 0; i < 300; i++) {
    const o = await admin.getOk('/api/backups');
    if (!o.running) return o;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('a backup is still running after 30 s');
}

/** Starts a backup now and returns its row once it has ended. */
async function backupNow() {
  const started = expectStatus(await admin.post('/api/backups', {}), 202);
  assert.equal(started.state, 'running');
  assert.equal(started.kind, 'manual');
  const o = await finished();
  const row = o.items.find((b) => b.id === started.id);
  assert.ok(row, 'the backup is not listed');
  return { row, overview: o };
}

/** A marker written to the database: a dictionary type of its own. */
async function marker() {
  const code = uid('bk').toLowerCase().replace(/[^a-z0-9_]/g, '_');
  expectStatus(await admin.post('/api/dict-types', { code, name: '备份标记' }), 201);
  return code;
}

/** The codes among `codes` that the backup file holds, read as a restore would read it. */
function restoredCodes(file, codes) {
  const list = codes.map((c) => `'${c}'`).join(', ');
  const query = `SELECT code FROM dict_types WHERE code IN (${list}) ORDER BY code`;
  if (dbKind() === 'sqlite') {
    return execFileSync('sqlite3', ['-readonly', file, query], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  }
  const name = `restore_${uid('r').toLowerCase().replace(/[^a-z0-9_]/g, '_')}`;
  sqlOk(`CREATE DATABASE ${name}`);
  const url = DB.replace(/\/[^/?]+(\?|$)/, `/${name}$1`);
  try {
    execFileSync('pg_restore', ['--no-owner', '--dbname', url, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    return execFileSync('psql', [url, '-X', '-q', '-A', '-t', '-c', query], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } finally {
    sqlOk(`DROP DATABASE ${name}`);
  }
}

test('a backup on demand is made, checked and restorable: it holds what was written before it, not after', async () => {
  const before1 = await marker();
  const { row, overview } = await backupNow();
  const after1 = await marker();
  assert.equal(row.state, 'ok', `backup failed: ${row.error}`);
  assert.equal(row.error, '');
  assert.equal(row.startedBy, admin.user.name);
  assert.ok(row.finishedAt >= row.startedAt);
  const file = join(overview.directory, row.file);
  assert.ok(existsSync(file), `no file ${file}`);
  const bytes = readFileSync(file);
  assert.equal(bytes.length, row.sizeBytes);
  assert.equal(createHash('sha256').update(bytes).digest('hex'), row.sha256);
  // The second store (scripts/test-all.sh sets HUOYAN_BACKUP_COPY_TO) holds the same bytes.
  assert.ok(overview.copyTo, 'the test server has no second store (HUOYAN_BACKUP_COPY_TO)');
  assert.equal(row.offsite, 'ok');
  assert.ok(readFileSync(join(overview.copyTo, row.file)).equals(bytes), 'the copy in the second store differs');
  if (dbKind() === 'sqlite') {
    assert.match(row.file, /^huoyan-\d{4}-\d{2}-\d{2}-\d{6}(-\d+)?\.db$/);
    assert.ok(!existsSync(`${file}-wal`), 'the copy is not one self-contained file');
    // The counts the server reported are the copy's own.
    for (const table of ['permits', 'hazards', 'audit_log', 'users']) {
      const n = Number(execFileSync('sqlite3', ['-readonly', file, `SELECT COUNT(*) FROM ${table}`], { encoding: 'utf8' }));
      assert.equal(row.counts[table], n, `${table} rows`);
      assert.ok(n > 0, `${table} is empty in the copy`);
    }
    assert.equal(row.counts.schemaVersion, Number(sqlOk('SELECT MAX(version) FROM schema_version')));
  } else {
    assert.match(row.file, /^huoyan-\d{4}-\d{2}-\d{2}-\d{6}(-\d+)?\.dump$/);
  }
  assert.deepEqual(restoredCodes(file, [before1, after1]), [before1]);

  const audit = await admin.getOk(`/api/audit-logs?targetType=backup&targetId=${row.id}`);
  assert.deepEqual(audit.items.map((a) => [a.action, a.username]), [['system.backup', 'admin']], 'the backup is not audited');
});

test('a backup directory that cannot be written: the backup fails with the reason, is told, and nothing expires', async () => {
  const { directory } = await admin.getOk('/api/backups');
  const away = `${directory}.away`;
  renameSync(directory, away);
  writeFileSync(directory, 'not a directory');
  try {
    const { row, overview } = await backupNow();
    assert.equal(row.state, 'failed');
    assert.match(row.error, /无法写入/);
    assert.equal(row.sizeBytes, 0);
    assert.equal(row.sha256, '');
    assert.equal(overview.items.filter((b) => b.state === 'expired' && b.id > row.id).length, 0);
    const notices = (await admin.getOk('/api/notifications?pageSize=50')).items;
    assert.ok(notices.some((n) => n.event === 'system.backup_failed' && n.title === '数据备份失败' && n.body.includes(row.file)), 'nobody was told');
    const audit = await admin.getOk(`/api/audit-logs?targetType=backup&targetId=${row.id}`);
    assert.deepEqual(audit.items.map((a) => a.action), ['system.backup_failed']);
  } finally {
    rmSync(directory, { force: true });
    renameSync(away, directory);
  }
  // The next one works again.
  assert.equal((await backupNow()).row.state, 'ok');
});

test('a second store that cannot take the copy: the backup stays good, the failure is shown and told', async () => {
  const { copyTo } = await admin.getOk('/api/backups');
  // The store's place taken by a plain file, as when a share is not mounted and something else sits there.
  const away = `${copyTo}.away`;
  if (existsSync(copyTo)) renameSync(copyTo, away);
  writeFileSync(copyTo, 'not a directory');
  try {
    const { row } = await backupNow();
    assert.equal(row.state, 'ok', row.error);
    assert.notEqual(row.offsite, 'ok');
    assert.ok(row.offsite.length > 0);
    const notices = (await admin.getOk('/api/notifications?pageSize=50')).items;
    assert.ok(notices.some((n) => n.event === 'system.backup_failed' && n.body.includes(row.file)), 'nobody was told');
  } finally {
    rmSync(copyTo, { force: true });
    if (existsSync(away)) renameSync(away, copyTo);
  }
});

test('one backup at a time: 409 BACKUP_RUNNING while one runs', async () => {
  // A backup of the demo town takes milliseconds: one is held running by its row, as the server keeps it.
  const id = Number(sqlOk(`INSERT INTO backups (kind, state, started_at) VALUES ('manual', 'running', '2026-01-01T00:00:00Z') RETURNING id`));
  try {
    expectError(await admin.post('/api/backups', {}), 409, 'BACKUP_RUNNING');
    assert.equal((await admin.getOk('/api/backups')).running, true);
  } finally {
    sqlOk(`DELETE FROM backups WHERE id = ${id}`);
  }
});

test('only the newest `keep` backups keep their files; older ones are marked expired', async () => {
  expectStatus(await admin.put('/api/backups/settings', { enabled: false, hour: 2, keep: 2 }), 200);
  const made = [];
  for (let i = 0; i < 3; i++) made.push((await backupNow()).row);
  const o = await admin.getOk('/api/backups');
  const state = (id) => o.items.find((b) => b.id === id).state;
  assert.deepEqual(made.map((b) => state(b.id)), ['expired', 'ok', 'ok']);
  for (const where of [o.directory, o.copyTo]) {
    assert.equal(existsSync(join(where, made[0].file)), false, `the expired file is still in ${where}`);
    for (const b of made.slice(1)) assert.ok(existsSync(join(where, b.file)), `${b.file} was removed from ${where}`);
  }
  assert.equal(o.items.filter((b) => b.state === 'ok').length, 2);
  expectStatus(await admin.put('/api/backups/settings', { ...DEFAULTS, enabled: false }), 200);
});

// The server's clock stays at the real time here (moved by days, the timers would end the demo permits that later
// test files need): the hour chosen is the present one, and the schedule's earlier backups are moved back in time.
test('the schedule starts the night\'s backup once its hour has come, once a night', async () => {
  const iso = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');
  const hh = (h) => `${String(h).padStart(2, '0')}:00`;
  // Not within two minutes of an hour's end: the hour chosen below must not change while the test runs.
  const minute = new Date().getUTCMinutes();
  if (minute >= 58) await new Promise((r) => setTimeout(r, ((60 - minute) * 60 + 5) * 1000));
  const now = await resetServerClock();
  const today = localDateOf(now);
  const hour = Number(new Date(now + 8 * 3600_000).toISOString().slice(11, 13));
  const mark = iso(localMs(today, hh(hour)));
  sqlOk(`UPDATE backups SET started_at = '2000-01-01T00:00:00Z' WHERE kind = 'scheduled'`);
  const scheduled = async () => (await finished()).items.filter((b) => b.kind === 'scheduled' && b.startedAt >= mark);

  if (hour < 23) {  // an hour still to come today: not yet
    expectStatus(await admin.put('/api/backups/settings', { enabled: true, hour: hour + 1, keep: 14 }), 200);
    assert.equal((await admin.getOk('/api/backups')).nextRunAt, iso(localMs(today, hh(hour + 1))));
    await resetServerClock();
    assert.equal((await scheduled()).length, 0, 'a backup before its hour');
  }

  expectStatus(await admin.put('/api/backups/settings', { enabled: true, hour, keep: 14 }), 200);
  await resetServerClock(); // a round of the timers now (the server's own round may have come first)
  const first = await scheduled();
  assert.equal(first.length, 1, 'no backup at its hour');
  assert.equal(first[0].state, 'ok', first[0].error);
  assert.equal(first[0].startedBy, '定时备份');
  await resetServerClock();
  assert.equal((await scheduled()).length, 1, 'a second backup the same night');
  assert.equal((await admin.getOk('/api/backups')).nextRunAt, iso(localMs(addDays(today, 1), hh(hour))));

  expectStatus(await admin.put('/api/backups/settings', { ...DEFAULTS, enabled: false }), 200);
  assert.equal((await admin.getOk('/api/backups')).nextRunAt, null);
});

test('settings: saved, shown and audited; each bad field is refused by name and nothing is changed', async () => {
  const saved = expectStatus(await admin.put('/api/backups/settings', { enabled: false, hour: 23, keep: 365 }), 200);
  assert.deepEqual(saved, { enabled: false, hour: 23, keep: 365 });
  assert.deepEqual((await admin.getOk('/api/backups')).settings, saved);
  const audit = await admin.getOk('/api/audit-logs?action=system.backup_settings&pageSize=5');
  assert.ok(audit.items.length > 0, 'the settings change is not audited');

  const bad = [
    [{ enabled: true, hour: 24, keep: 3 }, 'INVALID_VALUE', 'hour'],
    [{ enabled: true, hour: -1, keep: 3 }, 'INVALID_VALUE', 'hour'],
    [{ enabled: true, hour: 2, keep: 0 }, 'INVALID_VALUE', 'keep'],
    [{ enabled: true, hour: 2, keep: 366 }, 'INVALID_VALUE', 'keep'],
    [{ enabled: true, hour: 2 }, 'REQUIRED', 'keep'],
    [{ hour: 2, keep: 3 }, 'REQUIRED', 'enabled'],
    [{ enabled: 'yes', hour: 2, keep: 3 }, 'INVALID_TYPE', 'enabled'],
    [{ enabled: true, hour: 2.5, keep: 3 }, 'INVALID_TYPE', 'hour'],
    [{ enabled: true, hour: 2, keep: 3, dir: '/etc' }, 'UNKNOWN_FIELD', 'dir'],
    [{ enabled: true, hour: null, keep: 3 }, 'REQUIRED', 'hour'],
  ];
  for (const [body, code, field] of bad) expectError(await admin.put('/api/backups/settings', body), 400, code, field);
  for (const [body, code] of [[[], 'INVALID_TYPE'], [7, 'INVALID_TYPE'], ['{"enabled": tru', 'MALFORMED_JSON']]) {
    expectError(await admin.put('/api/backups/settings', body), 400, code);
  }
  assert.deepEqual((await admin.getOk('/api/backups')).settings, saved);
  expectStatus(await admin.put('/api/backups/settings', { ...DEFAULTS, enabled: false }), 200);
});

test('backups are the system administrator\'s: others get 403, the auditor too', async () => {
  for (const u of ['sw_officer', 'auditor', 'venue_mgr']) {
    const c = await login(u);
    expectError(await c.get('/api/backups'), 403, 'FORBIDDEN');
    expectError(await c.post('/api/backups', {}), 403, 'FORBIDDEN');
    expectError(await c.put('/api/backups/settings', DEFAULTS), 403, 'FORBIDDEN');
  }
  const sys = await login('sysadmin');
  expectStatus(await sys.get('/api/backups'), 200);
});
