// Hand-editing the audit log in the database is refused by the database and, when forced, detected by
// `huoyan audit verify` and GET /api/audit-logs/verify. Runs last (file name): while the row is edited, the
// chain is broken for everyone. The test puts the row back afterwards and checks the chain verifies again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { login, runBin, DB, dbKind, sql, sqlOk } from './lib.mjs';

const kind = dbKind();
let admin;

let target = null; // {id, action}
let triggerSql = null; // sqlite: definition of audit_log_no_update, to put back
let tampered = false;

function restore() {
  if (kind === 'sqlite') {
    sqlOk(`DROP TRIGGER IF EXISTS audit_log_no_update; UPDATE audit_log SET action='${target.action}' WHERE id=${target.id}`);
    if (triggerSql) sqlOk(triggerSql);
  } else {
    sqlOk(`ALTER TABLE audit_log DISABLE TRIGGER USER; UPDATE audit_log SET action='${target.action}' WHERE id=${target.id}; ALTER TABLE audit_log ENABLE TRIGGER USER`);
  }
  tampered = false;
}

before(async () => {
  assert.ok(kind, `HUOYAN_DB must be sqlite:... or postgresql://..., got "${DB}"`);
  admin = await login('admin');
  // make sure there are at least a few rows
  await admin.post('/api/dict-types', { code: `tamper_${Date.now().toString(36)}`, name: '篡改测试' });
  const id = Number(sqlOk('SELECT max(id)-1 FROM audit_log'));
  assert.ok(Number.isInteger(id) && id > 0, `no audit rows to tamper with (${id})`);
  const action = sqlOk(`SELECT action FROM audit_log WHERE id=${id}`);
  assert.ok(action && !action.includes("'"), `unexpected action "${action}"`);
  target = { id, action };
});

after(() => {
  if (tampered) restore(); // a failed test left the row edited
});

test('chain verifies before tampering', async () => {
  const r = runBin(['audit', 'verify', '--db', DB]);
  assert.equal(r.code, 0, `exit ${r.code}: ${r.stdout}${r.stderr}`);
  assert.equal((await admin.getOk('/api/audit-logs/verify')).ok, true);
});

test('the database itself refuses UPDATE and DELETE on audit_log', () => {
  // inside a transaction that is rolled back, so a database that allows it loses nothing
  const up = sql(`BEGIN; UPDATE audit_log SET action='x' WHERE id=${target.id}; ROLLBACK;`);
  assert.notEqual(up.code, 0, 'UPDATE audit_log was allowed by the database');
  const del = sql(`BEGIN; DELETE FROM audit_log WHERE id=${target.id}; ROLLBACK;`);
  assert.notEqual(del.code, 0, 'DELETE FROM audit_log was allowed by the database');
  assert.equal(sqlOk(`SELECT action FROM audit_log WHERE id=${target.id}`), target.action);
});

test('a forced edit is detected by `audit verify` (non-zero, names the row) and by the API', async () => {
  if (kind === 'sqlite') {
    triggerSql = sqlOk("SELECT sql FROM sqlite_master WHERE type='trigger' AND name='audit_log_no_update'") || null;
    tampered = true;
    sqlOk(`DROP TRIGGER IF EXISTS audit_log_no_update; UPDATE audit_log SET action='x' WHERE id=${target.id}`);
  } else {
    tampered = true;
    sqlOk(`ALTER TABLE audit_log DISABLE TRIGGER USER; UPDATE audit_log SET action='x' WHERE id=${target.id}; ALTER TABLE audit_log ENABLE TRIGGER USER`);
  }
  assert.equal(sqlOk(`SELECT action FROM audit_log WHERE id=${target.id}`), 'x', 'the edit did not happen');

  const r = runBin(['audit', 'verify', '--db', DB]);
  assert.notEqual(r.code, 0, `audit verify exited 0 after tampering: ${r.stdout}`);
  const out = `${r.stdout}\n${r.stderr}`;
  assert.match(out, new RegExp(`(^|\\D)${target.id}(\\D|$)`), `output does not name row ${target.id}: ${out}`);

  const v = await admin.getOk('/api/audit-logs/verify');
  assert.equal(v.ok, false, 'API verify still ok after tampering');
  assert.equal(v.brokenAt, target.id);
});

test('putting the row back makes the chain verify again', async () => {
  assert.ok(tampered, 'nothing to put back (the tamper test did not run)');
  restore();
  const r = runBin(['audit', 'verify', '--db', DB]);
  assert.equal(r.code, 0, `exit ${r.code}: ${r.stdout}${r.stderr}`);
  assert.equal((await admin.getOk('/api/audit-logs/verify')).ok, true);
  if (kind === 'sqlite') assert.notEqual(sql(`BEGIN; UPDATE audit_log SET action='y' WHERE id=${target.id}; ROLLBACK;`).code, 0, 'trigger not restored');
});
