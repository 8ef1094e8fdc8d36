// Login, lockout, logout, cookie flags, CSRF, forced password change (first login, reset, 90 days old), the last five
// passwords refused; accounts unused for 90 days disabled by the timers; old sessions deleted.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  login, rawLogin, request, expectError, expectStatus, describe, getCookie, Client,
  createUser, createRole, orgUnits, strongPassword, uid, DEMO_PASSWORD, sqlOk, resetServerClock,
} from './lib.mjs';

let admin;
let dept; // 商贸发展岗
let readerRole; // custom role with user:read, so PASSWORD_CHANGE_REQUIRED is the only reason for a 403

before(async () => {
  admin = await login('admin');
  const org = await orgUnits(admin);
  dept = org.byName.get('商贸发展岗');
  assert.ok(dept, '商贸发展岗 missing');
  readerRole = await createRole(admin, { dataScope: 'all', permissions: ['user:read', 'dict:read'] });
});

async function freshUser() {
  return createUser(admin, { orgUnitId: dept.id, roleId: readerRole.id });
}

test('login by username returns Me + csrfToken and sets a strict HttpOnly session cookie', async () => {
  const res = await rawLogin('admin', DEMO_PASSWORD);
  const body = expectStatus(res, 200);
  assert.equal(typeof body.csrfToken, 'string');
  assert.ok(body.csrfToken.length >= 16, 'csrfToken too short');
  const u = body.user;
  assert.equal(u.username, 'admin');
  for (const k of ['id', 'username', 'name', 'phone', 'orgUnit', 'role', 'permissions', 'mustChangePassword']) {
    assert.ok(k in u, `Me lacks ${k}`);
  }
  assert.equal(u.mustChangePassword, false);
  assert.ok(Array.isArray(u.permissions) && u.permissions.includes('user:write'));
  assert.equal(u.role.key, 'admin');
  assert.equal(u.role.dataScope, 'all');
  assert.equal(u.orgUnit.name, '安全应急岗');
  assert.ok(!('password' in u) && !('passwordHash' in u), 'Me leaks password data');

  const c = getCookie(res, 'hy_session');
  assert.ok(c, 'no hy_session cookie');
  assert.ok(c.value.length >= 16, 'session id too short');
  assert.equal(c.attrs.httponly, true, `cookie not HttpOnly: ${c.raw}`);
  assert.equal(String(c.attrs.samesite).toLowerCase(), 'strict', `cookie not SameSite=Strict: ${c.raw}`);
  assert.equal(c.attrs.path, '/', `cookie Path is not /: ${c.raw}`);
});

test('login by phone logs in the same user', async () => {
  const { user, password, phone } = await freshUser();
  const res = await rawLogin(phone, password);
  const body = expectStatus(res, 200);
  assert.equal(body.user.id, user.id);
  assert.equal(body.user.username, user.username);
});

test('each session gets its own id; /api/auth/me returns the user and the csrf token', async () => {
  const a = await login('admin');
  const b = await login('admin');
  assert.notEqual(a.cookie, b.cookie, 'two logins share a session id');
  const me = await a.getOk('/api/auth/me');
  assert.equal(me.user.username, 'admin');
  assert.equal(me.csrfToken, a.csrf);
});

test('no session → 401 UNAUTHENTICATED; garbage session → 401', async () => {
  expectError(await request('GET', '/api/auth/me'), 401, 'UNAUTHENTICATED');
  expectError(await request('GET', '/api/users'), 401, 'UNAUTHENTICATED');
  const bogus = new Client({ cookie: 'hy_session=not-a-real-session-id-0000000000', csrf: 'x' });
  expectError(await bogus.get('/api/auth/me'), 401, 'UNAUTHENTICATED');
});

test('wrong password → 401 LOGIN_FAILED and a failed login-log row', async () => {
  const { user } = await freshUser();
  const res = await rawLogin(user.username, 'Wrong#Password1');
  expectError(res, 401, 'LOGIN_FAILED');
  const logs = await admin.getOk(`/api/login-logs?username=${encodeURIComponent(user.username)}&pageSize=50`);
  const failed = logs.items.filter((e) => e.username === user.username && e.success === false);
  assert.ok(failed.length >= 1, `no failed login row for ${user.username}: ${JSON.stringify(logs.items)}`);
  const row = failed[0];
  assert.equal(row.userId, user.id);
  assert.ok(row.ip, 'login-log row without ip');
  assert.ok(typeof row.at === 'string' && !Number.isNaN(Date.parse(row.at)), 'login-log at is not a time');
  assert.ok('reason' in row && 'userAgent' in row);
});

test('unknown user → same 401 LOGIN_FAILED (no user enumeration), logged with userId null', async () => {
  const name = uid('nobody');
  expectError(await rawLogin(name, 'Whatever#123'), 401, 'LOGIN_FAILED');
  const logs = await admin.getOk(`/api/login-logs?username=${encodeURIComponent(name)}`);
  const row = logs.items.find((e) => e.username === name);
  assert.ok(row, 'attempt with an unknown user not logged');
  assert.equal(row.success, false);
  assert.equal(row.userId, null);
});

test('successful logins are logged with success=true; success filter works', async () => {
  const { user, password } = await freshUser();
  await login(user.username, password);
  const ok = await admin.getOk(`/api/login-logs?username=${encodeURIComponent(user.username)}&success=true`);
  assert.ok(ok.items.length >= 1, 'successful login not logged');
  assert.ok(ok.items.every((e) => e.success === true), 'success=true filter returned failures');
});

test('4 failures do not lock the account', async () => {
  const { user, password } = await freshUser();
  for (let i = 0; i < 4; i++) expectError(await rawLogin(user.username, 'Wrong#Password1'), 401, 'LOGIN_FAILED');
  expectStatus(await rawLogin(user.username, password), 200);
});

test('5 failures lock the account (423 even with the right password); admin unlock restores it', async () => {
  const { user, password, phone } = await freshUser();
  for (let i = 0; i < 5; i++) {
    const res = await rawLogin(user.username, 'Wrong#Password1');
    assert.ok([401, 423].includes(res.status), describe(res));
  }
  expectError(await rawLogin(user.username, password), 423, 'ACCOUNT_LOCKED');
  // also by phone
  expectError(await rawLogin(phone, password), 423, 'ACCOUNT_LOCKED');

  const locked = await admin.getOk(`/api/users/${user.id}`);
  assert.ok(locked.lockedUntil, 'lockedUntil not set on a locked user');
  assert.ok(Date.parse(locked.lockedUntil) > Date.now(), 'lockedUntil is not in the future');

  const un = await admin.post(`/api/users/${user.id}/unlock`);
  const after = expectStatus(un, 200);
  assert.equal(after.id, user.id);
  assert.equal(after.lockedUntil, null);
  expectStatus(await rawLogin(user.username, password), 200);
});

test('unlock of a missing user → 404', async () => {
  expectError(await admin.post('/api/users/999999999/unlock'), 404, 'NOT_FOUND');
});

test('logout ends the session', async () => {
  const c = await login('admin');
  const res = await c.post('/api/auth/logout');
  assert.deepEqual(expectStatus(res, 200), { ok: true });
  expectError(await c.get('/api/auth/me'), 401, 'UNAUTHENTICATED');
  expectError(await c.get('/api/users'), 401, 'UNAUTHENTICATED');
});

test('logout needs the CSRF token', async () => {
  const c = await login('admin');
  expectError(await c.post('/api/auth/logout', undefined, { csrf: false }), 403, 'CSRF_INVALID');
  expectStatus(await c.get('/api/auth/me'), 200); // still logged in
});

test('state-changing request without / with a wrong X-CSRF-Token → 403 CSRF_INVALID and no write', async () => {
  const code = uid('d');
  const body = { code, name: 'CSRF 测试' };
  expectError(await admin.post('/api/dict-types', body, { csrf: false }), 403, 'CSRF_INVALID');
  expectError(await admin.post('/api/dict-types', body, { csrf: 'wrong-token' }), 403, 'CSRF_INVALID');
  expectError(await admin.post('/api/dict-types', body, { csrf: '' }), 403, 'CSRF_INVALID');
  // another session's token is not this session's token
  const other = await login('admin');
  expectError(await admin.post('/api/dict-types', body, { csrf: other.csrf }), 403, 'CSRF_INVALID');
  const { items } = await admin.getOk('/api/dict-types');
  assert.ok(!items.some((t) => t.code === code), 'a request rejected for CSRF still wrote');
  // with the right token it works
  expectStatus(await admin.post('/api/dict-types', body), 201);
});

test('PUT and DELETE also need the CSRF token', async () => {
  const org = await orgUnits(admin);
  const unit = (await admin.post('/api/org-units', { parentId: org.town.id, kind: 'department', name: `CSRF${uid('o')}` })).json;
  expectError(await admin.put(`/api/org-units/${unit.id}`, { name: 'x' }, { csrf: false }), 403, 'CSRF_INVALID');
  expectError(await admin.del(`/api/org-units/${unit.id}`, { csrf: false }), 403, 'CSRF_INVALID');
  expectStatus(await admin.del(`/api/org-units/${unit.id}`), 200);
});

test('initial password: PASSWORD_CHANGE_REQUIRED until POST /api/auth/password', async () => {
  const { user, password } = await freshUser();
  assert.equal(user.mustChangePassword, true, 'a new user must change the initial password');
  const loginRes = await rawLogin(user.username, password);
  assert.equal(expectStatus(loginRes, 200).user.mustChangePassword, true);
  const c = await login(user.username, password);

  // allowed routes
  const me = await c.getOk('/api/auth/me');
  assert.equal(me.user.mustChangePassword, true);
  // everything else is blocked, including routes the role has permission for
  expectError(await c.get('/api/users'), 403, 'PASSWORD_CHANGE_REQUIRED');
  expectError(await c.get(`/api/users/${user.id}`), 403, 'PASSWORD_CHANGE_REQUIRED');
  expectError(await c.get('/api/dict-types'), 403, 'PASSWORD_CHANGE_REQUIRED');
  expectError(await c.get('/api/permissions'), 403, 'PASSWORD_CHANGE_REQUIRED');

  // policy checks
  expectError(await c.post('/api/auth/password', { oldPassword: password, newPassword: '123456' }), 400, 'PASSWORD_WEAK', 'newPassword');
  expectError(await c.post('/api/auth/password', { oldPassword: password, newPassword: 'abcdefgh' }), 400, 'PASSWORD_WEAK', 'newPassword');
  expectError(await c.post('/api/auth/password', { oldPassword: 'Not#The0ldOne', newPassword: strongPassword() }), 400, 'PASSWORD_WRONG', 'oldPassword');
  expectError(await c.post('/api/auth/password', { oldPassword: password, newPassword: password }), 400, 'PASSWORD_REUSED', 'newPassword');
  expectError(await c.post('/api/auth/password', { oldPassword: password }), 400, 'REQUIRED', 'newPassword');
  expectError(await c.get('/api/users'), 403, 'PASSWORD_CHANGE_REQUIRED'); // failed attempts changed nothing

  const newPassword = strongPassword();
  expectError(await c.post('/api/auth/password', { oldPassword: password, newPassword }, { csrf: false }), 403, 'CSRF_INVALID');
  assert.deepEqual(expectStatus(await c.post('/api/auth/password', { oldPassword: password, newPassword }), 200), { ok: true });
  expectStatus(await c.get('/api/users'), 200);
  assert.equal((await c.getOk('/api/auth/me')).user.mustChangePassword, false);

  // the old password is gone, the new one works
  expectError(await rawLogin(user.username, password), 401, 'LOGIN_FAILED');
  const again = await login(user.username, newPassword);
  expectStatus(await again.get('/api/users'), 200);
});

test('reset-password: must change at next login; old password stops working', async () => {
  const { user, password } = await freshUser();
  const c = await login(user.username, password);
  const pw2 = strongPassword();
  expectStatus(await c.post('/api/auth/password', { oldPassword: password, newPassword: pw2 }), 200);

  const pw3 = strongPassword();
  const reset = await admin.post(`/api/users/${user.id}/reset-password`, { password: pw3 });
  const u = expectStatus(reset, 200);
  assert.equal(u.id, user.id);
  assert.equal(u.mustChangePassword, true);

  expectError(await rawLogin(user.username, pw2), 401, 'LOGIN_FAILED');
  const c3 = await login(user.username, pw3);
  expectError(await c3.get('/api/users'), 403, 'PASSWORD_CHANGE_REQUIRED');
  expectError(await c3.post('/api/auth/password', { oldPassword: pw3, newPassword: 'password' }), 400, 'PASSWORD_WEAK', 'newPassword');
  expectStatus(await c3.post('/api/auth/password', { oldPassword: pw3, newPassword: strongPassword() }), 200);
  expectStatus(await c3.get('/api/users'), 200);
});

test('a new password may not be one of the last five, an administrator\'s temporary one included', async () => {
  const { user, password } = await freshUser();
  const c = await login(user.username, password);
  const used = [password]; // oldest first; the current one last
  for (let i = 0; i < 5; i++) {
    const next = strongPassword();
    expectStatus(await c.post('/api/auth/password', { oldPassword: used.at(-1), newPassword: next }), 200);
    used.push(next);
  }
  // current: used[5]; the four before it: used[1..4]; used[0] (the initial one) has dropped out
  for (const old of [used[5], used[4], used[1]]) {
    const res = await c.post('/api/auth/password', { oldPassword: used[5], newPassword: old });
    expectError(res, 400, 'PASSWORD_REUSED', 'newPassword');
    assert.match(res.json.message, /最近 5 次/);
  }
  expectStatus(await rawLogin(user.username, used[5]), 200); // the refusals changed nothing
  expectStatus(await c.post('/api/auth/password', { oldPassword: used[5], newPassword: used[0] }), 200);
  // An administrator's reset keeps the password it replaces: the user cannot go back to it.
  const temp = strongPassword();
  expectStatus(await admin.post(`/api/users/${user.id}/reset-password`, { password: temp }), 200);
  const r = await login(user.username, temp);
  expectError(await r.post('/api/auth/password', { oldPassword: temp, newPassword: used[0] }), 400, 'PASSWORD_REUSED', 'newPassword');
  expectStatus(await r.post('/api/auth/password', { oldPassword: temp, newPassword: strongPassword() }), 200);
});

test('a password older than 90 days must be changed first; at 89 days it need not', async () => {
  const { user, password } = await freshUser();
  const c = await login(user.username, password);
  const current = strongPassword();
  expectStatus(await c.post('/api/auth/password', { oldPassword: password, newPassword: current }), 200);
  const daysAgo = (d) => new Date(Date.now() - d * 86400_000).toISOString().replace(/\.\d+Z$/, 'Z');
  sqlOk(`UPDATE users SET password_changed_at = '${daysAgo(89)}' WHERE id = ${user.id}`);
  const fresh = await login(user.username, current);
  const me = (await fresh.getOk('/api/auth/me')).user;
  assert.deepEqual([me.mustChangePassword, me.passwordExpired], [false, false]);
  expectStatus(await fresh.get('/api/users'), 200);

  sqlOk(`UPDATE users SET password_changed_at = '${daysAgo(91)}' WHERE id = ${user.id}`);
  const loginRes = expectStatus(await rawLogin(user.username, current), 200);
  assert.deepEqual([loginRes.user.mustChangePassword, loginRes.user.passwordExpired], [true, true]);
  const old = await login(user.username, current);
  const blocked = await old.get('/api/users');
  expectError(blocked, 403, 'PASSWORD_CHANGE_REQUIRED');
  assert.match(blocked.json.message, /超过 90 天/);
  expectStatus(await old.post('/api/auth/password', { oldPassword: current, newPassword: strongPassword() }), 200);
  const after = (await old.getOk('/api/auth/me')).user;
  assert.deepEqual([after.mustChangePassword, after.passwordExpired], [false, false]);
  expectStatus(await old.get('/api/users'), 200);
});

test('an account unused for 90 days is disabled by the timers; recent use, a token in use and the admin role keep theirs', async () => {
  const daysAgo = (d) => new Date(Date.now() - d * 86400_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const age = (user, { created, login }) => sqlOk(`UPDATE users SET created_at = '${daysAgo(created)}', updated_at = '${daysAgo(created)}', `
    + `last_login_at = ${login == null ? 'NULL' : `'${daysAgo(login)}'`} WHERE id = ${user.id}`);
  const idle = await freshUser();
  const session = await login(idle.user.username, idle.password); // signed in 91 days ago, as far as the account says
  age(idle.user, { created: 200, login: 91 });
  const never = (await freshUser()).user; // made 91 days ago, never signed in
  age(never, { created: 91 });
  const recent = (await freshUser()).user;
  age(recent, { created: 200, login: 89 });
  const viaToken = (await freshUser()).user; // an integration account: its token used 10 days ago
  const token = expectStatus(await admin.post('/api/api-tokens', { name: uid('tok'), userId: viaToken.id }), 201);
  sqlOk(`UPDATE api_tokens SET created_at = '${daysAgo(200)}', last_used_at = '${daysAgo(10)}' WHERE id = ${token.id}`);
  age(viaToken, { created: 200 });
  const adminRole = (await admin.getOk('/api/roles')).items.find((r) => r.key === 'admin');
  const anAdmin = (await createUser(admin, { orgUnitId: dept.id, roleId: adminRole.id })).user;
  age(anAdmin, { created: 200, login: 150 });

  await resetServerClock(); // runs the timers
  const status = async (u) => (await admin.getOk(`/api/users/${u.id}`)).status;
  assert.deepEqual(await Promise.all([idle.user, never, recent, viaToken, anAdmin].map(status)), ['disabled', 'disabled', 'active', 'active', 'active']);
  expectError(await rawLogin(idle.user.username, idle.password), 403, 'ACCOUNT_DISABLED');
  expectStatus(await session.get('/api/auth/me'), 401); // its session ended
  const audit = (await admin.getOk(`/api/audit-logs?action=user.auto_disable&targetId=${idle.user.id}`)).items;
  assert.equal(audit.length, 1);
  assert.equal(audit[0].summary.after.status, 'disabled');
  assert.match(audit[0].summary.after.reason, /90 天未使用/);

  // Enabled again by an administrator, it counts as used: the next round leaves it.
  expectStatus(await admin.post(`/api/users/${idle.user.id}/enable`), 200);
  await resetServerClock();
  assert.equal(await status(idle.user), 'active');
  expectStatus(await rawLogin(idle.user.username, idle.password), 200);
});

test('reset-password with a weak password → 400 PASSWORD_WEAK field password', async () => {
  const { user } = await freshUser();
  expectError(await admin.post(`/api/users/${user.id}/reset-password`, { password: '123' }), 400, 'PASSWORD_WEAK', 'password');
});

test('login body validation', async () => {
  expectError(await request('POST', '/api/auth/login', { body: { login: 'admin' } }), 400, 'REQUIRED', 'password');
  expectError(await request('POST', '/api/auth/login', { body: { password: 'x' } }), 400, 'REQUIRED', 'login');
  expectError(await request('POST', '/api/auth/login', { body: { login: 'admin', password: 5 } }), 400, 'INVALID_TYPE', 'password');
});

test('demo users log in without having to change their password', async () => {
  for (const name of ['admin', 'sw_officer', 'auditor']) {
    const c = await login(name);
    assert.equal(c.user.mustChangePassword, false, `${name} must change password`);
  }
});

test('sessions are deleted 30 days after they ended or expired unused; younger ones and live ones stay', async () => {
  const sessionId = (client) => createHash('sha256').update(client.cookie.replace(/^hy_session=/, '')).digest('hex');
  const daysAgo = (days) => new Date(Date.now() - days * 86400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const [endedLong, endedLately, unusedLong, unusedLately, live] = await Promise.all([1, 2, 3, 4, 5].map(() => login('inspector')));
  for (const c of [endedLong, endedLately]) expectStatus(await c.post('/api/auth/logout'), 200);
  const set = (client, column, days) => sqlOk(`UPDATE sessions SET ${column} = '${daysAgo(days)}' WHERE id = '${sessionId(client)}'`);
  set(endedLong, 'ended_at', 31);
  set(endedLately, 'ended_at', 29);
  set(unusedLong, 'last_seen_at', 32);  // 30 days after the 30-minute idle limit, and more
  set(unusedLately, 'last_seen_at', 29);
  sqlOk("DELETE FROM job_days WHERE name = 'session_retention'");  // it ran today already, most likely
  await resetServerClock(); // runs the timers
  const kept = (client) => sqlOk(`SELECT COUNT(*) FROM sessions WHERE id = '${sessionId(client)}'`);
  assert.deepEqual([endedLong, endedLately, unusedLong, unusedLately, live].map(kept), ['0', '1', '0', '1', '1']);
  expectStatus(await live.get('/api/auth/me'), 200);
  expectError(await unusedLong.get('/api/auth/me'), 401, 'UNAUTHENTICATED');
  // once a day: a session that becomes old enough later today waits for tomorrow's round
  set(endedLately, 'ended_at', 31);
  await resetServerClock();
  assert.equal(kept(endedLately), '1');
});
