// Idempotency-Key: a retried command is answered with the first reply and
// runs once; a key reused for a different request is refused.
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  login, uid, expectError, expectStatus, describe, personBody, sqlOk, assertSealed, setServerClock, resetServerClock,
} from './lib.mjs';

const admin = await login('admin');

async function newTypeBody() {
  return { code: uid('idem').replace(/[^a-z0-9_]/g, '_'), name: '幂等测试' };
}

test('a retried create with the same key runs once and replays the reply', async () => {
  const key = uid('key');
  const body = await newTypeBody();
  const first = await admin.post('/api/dict-types', body, { headers: { 'idempotency-key': key } });
  expectStatus(first, 201);
  const again = await admin.post('/api/dict-types', body, { headers: { 'idempotency-key': key } });
  assert.equal(again.status, 201, describe(again));
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.deepEqual(again.json, first.json);
  const types = (await admin.getOk('/api/dict-types')).items.filter((t) => t.code === body.code);
  assert.equal(types.length, 1, 'the command ran twice');
  // Without the key the same body is a second command, refused as a duplicate.
  expectError(await admin.post('/api/dict-types', body), 409, 'DICT_TYPE_TAKEN', 'code');
});

test('the same key with another body is refused', async () => {
  const key = uid('key');
  expectStatus(await admin.post('/api/dict-types', await newTypeBody(), { headers: { 'idempotency-key': key } }), 201);
  expectError(await admin.post('/api/dict-types', await newTypeBody(), { headers: { 'idempotency-key': key } }),
    409, 'IDEMPOTENCY_KEY_REUSED', 'Idempotency-Key');
});

test('a refused command does not use up its key', async () => {
  const key = uid('key');
  const bad = { code: 'Bad Code', name: '错' };
  expectError(await admin.post('/api/dict-types', bad, { headers: { 'idempotency-key': key } }), 400, 'INVALID_VALUE', 'code');
  expectStatus(await admin.post('/api/dict-types', await newTypeBody(), { headers: { 'idempotency-key': key } }), 201);
});

test('keys are per user', async () => {
  const key = uid('key');
  const other = await login('auditor');
  expectStatus(await admin.post('/api/dict-types', await newTypeBody(), { headers: { 'idempotency-key': key } }), 201);
  // The auditor may not write dictionaries: the permission check comes first, the key is not consulted.
  expectError(await other.post('/api/dict-types', await newTypeBody(), { headers: { 'idempotency-key': key } }), 403, 'FORBIDDEN');
});

test('an over-long key is a clear 400', async () => {
  expectError(await admin.post('/api/dict-types', await newTypeBody(), { headers: { 'idempotency-key': 'k'.repeat(101) } }),
    400, 'INVALID_VALUE', 'Idempotency-Key');
});

test('a kept reply is sealed: a full ID number revealed under a key is not in the database in the clear, and the retry gets it', async () => {
  const body = personBody({ name: '幂等查看' });
  const person = expectStatus(await admin.post('/api/people', body), 201);
  const key = uid('key');
  const reveal = (k) => admin.post(`/api/people/${person.id}/reveal`, { reason: '核对持证人身份' }, { headers: { 'idempotency-key': k } });
  const first = expectStatus(await reveal(key), 200);
  assert.equal(first.citizenId, body.citizenId);
  const stored = sqlOk(`SELECT reply FROM idempotency_keys WHERE key = '${key}'`);
  assertSealed(stored, JSON.stringify(first));
  const again = await reveal(key);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.deepEqual(again.json, first);
});

test('keys are kept 24 hours: the next keyed command forgets older ones, and the same key then runs the command again', async () => {
  const key = uid('key');
  const body = await newTypeBody();
  expectStatus(await admin.post('/api/dict-types', body, { headers: { 'idempotency-key': key } }), 201);
  const kept = () => sqlOk(`SELECT COUNT(*) FROM idempotency_keys WHERE key = '${key}'`);
  try {
    await setServerClock(23 * 3600);
    const later = await login('admin');
    expectStatus(await later.post('/api/dict-types', await newTypeBody(), { headers: { 'idempotency-key': uid('key') } }), 201);
    assert.equal(kept(), '1', 'a key of 23 hours ago was forgotten');
    await setServerClock(25 * 3600);
    const again = await (await login('admin')).post('/api/dict-types', body, { headers: { 'idempotency-key': key } });
    expectError(again, 409, 'DICT_TYPE_TAKEN', 'code');  // ran again: the type exists, so it is refused
    assert.equal(again.headers.get('idempotent-replayed'), null);
    assert.equal(kept(), '0', 'the refused command kept its key');
  } finally {
    await resetServerClock();
  }
});
