// Audit log: every state change is recorded (who, ip, action, target, summary); the hash chain verifies.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  login, request, bearerClient, expectError, expectStatus, orgUnits, createRole, createUser, createUserAndLogin, runBin, strongPassword,
  uid, DB,
} from './lib.mjs';

let admin, org;

before(async () => {
  admin = await login('admin');
  org = await orgUnits(admin);
});

/** Audit rows (newest first, up to 200) by one user whose JSON mentions `needle`. */
async function rowsMentioning(username, needle) {
  const { items } = await admin.getOk(`/api/audit-logs?username=${encodeURIComponent(username)}&pageSize=200`);
  return items.filter((e) => JSON.stringify(e).includes(needle));
}

const AUDIT_KEYS = ['id', 'at', 'userId', 'username', 'ip', 'action', 'targetType', 'targetId', 'summary', 'hash'];

test('a state change creates an audit row with who / ip / action / target / summary / hash', async () => {
  const code = uid('d');
  const created = expectStatus(await admin.post('/api/dict-types', { code, name: '审计测试', description: '审计' }), 201);
  const rows = await rowsMentioning('admin', code);
  assert.equal(rows.length, 1, `expected one audit row for the new dict type, got ${rows.length}`);
  const r = rows[0];
  for (const k of AUDIT_KEYS) assert.ok(k in r, `AuditEntry lacks ${k}`);
  assert.equal(r.userId, admin.user.id);
  assert.equal(r.username, 'admin');
  assert.match(r.ip, /127\.0\.0\.1|::1/, `ip is ${r.ip}`);
  assert.ok(typeof r.action === 'string' && r.action.length > 0, 'empty action');
  assert.ok(typeof r.targetType === 'string' && r.targetType.length > 0, 'empty targetType');
  assert.ok(String(r.targetId) === String(created.id) || String(r.targetId) === code, `targetId ${r.targetId}`);
  assert.equal(typeof r.summary, 'object');
  assert.ok(r.summary !== null && JSON.stringify(r.summary).includes('审计测试'), 'summary does not describe the change');
  assert.ok(typeof r.hash === 'string' && r.hash.length >= 32, 'hash missing or short');
  assert.ok(Math.abs(Date.parse(r.at) - Date.now()) < 10 * 60 * 1000, `at ${r.at} is not now (UTC ISO expected)`);
  assert.match(r.at, /Z$|[+-]00:?00$/, 'at is not UTC');

  // filters find it
  const byAction = await admin.getOk(`/api/audit-logs?action=${encodeURIComponent(r.action)}&pageSize=200`);
  assert.ok(byAction.items.some((e) => e.id === r.id), 'action filter misses the row');
  assert.ok(byAction.items.every((e) => e.action === r.action), 'action filter returns other actions');
  const byType = await admin.getOk(`/api/audit-logs?targetType=${encodeURIComponent(r.targetType)}&pageSize=200`);
  assert.ok(byType.items.some((e) => e.id === r.id), 'targetType filter misses the row');
  const from = new Date(Date.parse(r.at) - 60000).toISOString();
  const to = new Date(Date.parse(r.at) + 60000).toISOString();
  const byTime = await admin.getOk(`/api/audit-logs?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&pageSize=200`);
  assert.ok(byTime.items.some((e) => e.id === r.id), 'from/to filter misses the row');
  const past = await admin.getOk(`/api/audit-logs?to=${encodeURIComponent('2000-01-01T00:00:00Z')}`);
  assert.equal(past.total, 0, 'to=2000 still returns rows');
});

test('ISO times with an unencoded ":" in the query are accepted (RFC 3986 allows it)', async () => {
  expectStatus(await admin.get('/api/audit-logs?from=2026-01-01T00:00:00Z&pageSize=1'), 200);
  expectStatus(await admin.get('/api/login-logs?to=2026-01-01T08:00:00+08:00&pageSize=1'.replace('+', '%2B')), 200);
});

test('a malformed time filter → 400 INVALID_VALUE naming the parameter', async () => {
  expectError(await admin.get('/api/audit-logs?from=yesterday'), 400, 'INVALID_VALUE', 'from');
  expectError(await admin.get('/api/login-logs?to=2026-13-45'), 400, 'INVALID_VALUE', 'to');
});

test('updates record before and after', async () => {
  const u = await orgUnits(admin);
  const name = `审计岗${uid('o')}`;
  const unit = expectStatus(await admin.post('/api/org-units', { parentId: u.town.id, kind: 'department', name }), 201);
  expectStatus(await admin.put(`/api/org-units/${unit.id}`, { name: `${name}新` }), 200);
  const rows = await rowsMentioning('admin', `${name}新`);
  assert.equal(rows.length, 1);
  const s = JSON.stringify(rows[0].summary);
  assert.ok(s.includes(`"${name}"`) && s.includes(`"${name}新"`), `summary lacks before/after: ${s}`);
});

test('list is newest first', async () => {
  const { items } = await admin.getOk('/api/audit-logs?pageSize=50');
  for (let i = 1; i < items.length; i++) assert.ok(items[i - 1].id > items[i].id, 'audit list not newest first');
});

test('passwords never reach the audit log', async () => {
  const role = await createRole(admin, { dataScope: 'self', permissions: [] });
  const { user, password } = await createUser(admin, { orgUnitId: org.byName.get('商贸发展岗').id, roleId: role.id });
  const pw2 = strongPassword();
  expectStatus(await admin.post(`/api/users/${user.id}/reset-password`, { password: pw2 }), 200);
  const c = await login(user.username, pw2);
  const pw3 = strongPassword();
  expectStatus(await c.post('/api/auth/password', { oldPassword: pw2, newPassword: pw3 }), 200);
  const all = JSON.stringify((await admin.getOk('/api/audit-logs?pageSize=200')).items);
  for (const p of [password, pw2, pw3]) assert.ok(!all.includes(p), 'a password appears in the audit log');
  const created = await rowsMentioning('admin', user.username);
  assert.equal(created.length, 1, 'user create not audited once');
  const { items } = await admin.getOk(`/api/audit-logs?username=admin&targetType=${encodeURIComponent(created[0].targetType)}&pageSize=200`);
  const onUser = items.filter((e) => String(e.targetId) === String(user.id));
  assert.ok(onUser.length >= 2, 'reset-password not audited');
});

test('requests rejected as invalid write no audit row', async () => {
  const role = await createRole(admin, { dataScope: 'all', permissions: ['dict:write', 'dict:read'] });
  const { client, user } = await createUserAndLogin(admin, { orgUnitId: org.byName.get('商贸发展岗').id, roleId: role.id });
  const count = async () => (await admin.getOk(`/api/audit-logs?username=${user.username}`)).total;
  const before0 = await count();
  expectError(await client.post('/api/dict-types', { name: 'x' }), 400, 'REQUIRED', 'code');
  expectError(await client.post('/api/dict-types', { code: uid('d'), name: 1 }), 400, 'INVALID_TYPE', 'name');
  assert.equal(await count(), before0, 'a rejected request was audited as a change');
  expectStatus(await client.post('/api/dict-types', { code: uid('d'), name: 'x' }), 201);
  assert.equal(await count(), before0 + 1, 'an accepted change was not audited (or audited twice)');
});

test('bearer-token changes are audited under the token\'s user', async () => {
  const tok = expectStatus(await admin.post('/api/api-tokens', { name: uid('k'), userId: admin.user.id }), 201);
  const code = uid('d');
  expectStatus(await bearerClient(tok.token).post('/api/dict-types', { code, name: '令牌审计' }), 201);
  const rows = await rowsMentioning('admin', code);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].userId, admin.user.id);
});

test('auditor reads audit and login logs, nothing else', async () => {
  const aud = await login('auditor');
  assert.deepEqual([...aud.user.permissions].sort(), ['audit:read', 'loginlog:read']);
  expectStatus(await aud.get('/api/audit-logs'), 200);
  expectStatus(await aud.get('/api/audit-logs/verify'), 200);
  expectStatus(await aud.get('/api/login-logs'), 200);
  expectError(await aud.get('/api/users'), 403, 'FORBIDDEN');
  expectError(await aud.post('/api/dict-types', { code: uid('d'), name: 'x' }), 403, 'FORBIDDEN');
  const sw = await login('sw_officer');
  if (!sw.user.permissions.includes('audit:read')) expectError(await sw.get('/api/audit-logs'), 403, 'FORBIDDEN');
});

test('the audit log cannot be changed over HTTP', async () => {
  const { items } = await admin.getOk('/api/audit-logs?pageSize=1');
  const id = items[0].id;
  for (const [m, body] of [['PUT', { action: 'x' }], ['DELETE', undefined], ['POST', { action: 'x' }]]) {
    const res = await admin.req(m, `/api/audit-logs/${id}`, { body });
    assert.ok([404, 405].includes(res.status), `${m} /api/audit-logs/${id} → ${res.status}`);
  }
});

test('GET /api/audit-logs/verify → ok, checked > 0, brokenAt null', async () => {
  const v = await admin.getOk('/api/audit-logs/verify');
  assert.deepEqual(Object.keys(v).sort(), ['brokenAt', 'checked', 'ok']);
  assert.equal(v.ok, true, `chain broken: ${JSON.stringify(v)}`);
  assert.equal(v.brokenAt, null);
  assert.ok(Number.isInteger(v.checked) && v.checked > 0);
  const { total } = await admin.getOk('/api/audit-logs?pageSize=1');
  assert.ok(v.checked >= total - 5 && v.checked <= total + 5, `checked ${v.checked} vs ${total} rows`);
});

test('`huoyan audit verify --db` exits 0 and prints ok', () => {
  assert.ok(DB, 'HUOYAN_DB not set');
  const r = runBin(['audit', 'verify', '--db', DB]);
  assert.equal(r.code, 0, `exit ${r.code}: ${r.stdout}${r.stderr}`);
  assert.match(r.stdout, /\bok\b/i, `stdout: ${r.stdout}`);
});

test('audit log by cursor: the same entries as numbered pages, newest first; the count agrees; bad cursors refused', async () => {
  const size = 7;
  for (const filters of ['', 'action=user.', 'username=admin', `from=${encodeURIComponent('2000-01-01T00:00:00Z')}`]) {
    // The walk first: each search adds its own audit.query row, which the numbered search after it then shows on top.
    const walked = [];
    for (let cursor = 'first', pages = 0; cursor && walked.length < 200; pages++) {
      const r = await admin.getOk(`/api/audit-logs?${filters}&pageSize=${size}&cursor=${encodeURIComponent(cursor)}`);
      assert.ok(!('total' in r), 'a cursor page does not count');
      assert.ok(r.items.length <= size, `?${filters}: ${r.items.length} items on a page of ${size}`);
      walked.push(...r.items.map((e) => e.id));
      cursor = r.nextCursor;
      assert.ok(pages < 100, 'the cursor never ends');
    }
    const numbered = (await admin.getOk(`/api/audit-logs?${filters}&pageSize=200`)).items.map((e) => e.id).filter((id) => id <= walked[0]);
    assert.ok(numbered.length >= Math.min(walked.length, 200) - 5, `?${filters}: more than the walk's own search came in between`);
    assert.deepEqual(walked.slice(0, numbered.length), numbered, `?${filters}: the cursor walks the numbered pages' entries`);
    const { total } = await admin.getOk(`/api/audit-logs/count?${filters}`);
    assert.equal(total, (await admin.getOk(`/api/audit-logs?${filters}&pageSize=1`)).total, `?${filters}: count`);
  }
  // The last page says so; a shape check of a cursor page.
  const last = await admin.getOk(`/api/audit-logs?cursor=first&pageSize=1&to=${encodeURIComponent('2000-01-01T00:00:00Z')}`);
  assert.deepEqual(last, { items: [], nextCursor: null });
  for (const bad of ['0', '-3', 'x', '12x', '1.5']) {
    expectError(await admin.get(`/api/audit-logs?cursor=${encodeURIComponent(bad)}`), 400, 'INVALID_VALUE', 'cursor');
  }
  expectError(await admin.get('/api/audit-logs/count?from=yesterday'), 400, 'INVALID_VALUE', 'from');
  expectError(await request('GET', '/api/audit-logs/count'), 401, 'UNAUTHENTICATED');
});

test('searching the audit and login logs is itself audited, once per search (not its later pages)', async () => {
  const aud = await login('auditor');
  const searches = async () => (await admin.getOk('/api/audit-logs?username=auditor&targetType=audit_log&pageSize=200')).total;
  const before0 = await searches();
  const since = `from=${encodeURIComponent('2000-01-01T00:00:00Z')}`;
  const first = await aud.getOk(`/api/audit-logs?${since}&cursor=first&pageSize=1`);
  assert.ok(first.nextCursor, 'a second page to read');
  assert.equal(await searches(), before0 + 1, 'a new search was not recorded');
  await aud.getOk(`/api/audit-logs?${since}&cursor=${first.nextCursor}&pageSize=1`);
  await aud.getOk(`/api/audit-logs?${since}&page=2&pageSize=1`);
  await aud.getOk(`/api/audit-logs/count?${since}`);
  assert.equal(await searches(), before0 + 1, 'later pages or the count were recorded as searches');
  await aud.getOk('/api/audit-logs/verify');
  const rows = (await admin.getOk('/api/audit-logs?username=auditor&targetType=audit_log&pageSize=2')).items;
  assert.deepEqual(rows.map((r) => r.action), ['audit.verify', 'audit.query']);
  assert.equal(rows[1].summary.after.filters.from, '2000-01-01T00:00:00Z', 'the search\'s filters are kept');
  await aud.getOk('/api/login-logs?username=admin&pageSize=5');
  const login0 = (await admin.getOk('/api/audit-logs?username=auditor&action=loginlog.query&pageSize=1')).items[0];
  assert.equal(login0.summary.after.filters.username, 'admin');
  // A refused search is not recorded.
  expectError(await aud.get('/api/audit-logs?from=yesterday'), 400, 'INVALID_VALUE', 'from');
  assert.equal((await admin.getOk('/api/audit-logs?username=auditor&targetType=audit_log&pageSize=1')).items[0].action, 'audit.verify');
});
