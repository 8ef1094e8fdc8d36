// The security policy (等保 身份鉴别 b, 访问控制 c, 入侵防范 c): the lock after failures, the idle timeout, the password's
// age and history, idle accounts, the addresses management accounts may use (the server trusts X-Real-IP here, as behind
// nginx, so that a request can come "from" elsewhere). Read by any signed-in user, set with security:write, audited; each figure takes effect.
// Every test puts the defaults back: the other files count on them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  login, rawLogin, request, expectError, expectStatus, createUser, createRole, orgUnits, strongPassword, sqlOk,
  setServerClock, resetServerClock, DEMO_PASSWORD, dbKind,
} from './lib.mjs';

const DEFAULTS = {
  maxFailedLogins: 5, lockMinutes: 30, idleMinutes: 30, passwordMaxAgeDays: 90, passwordHistory: 5, inactiveAccountDays: 90, storageAlertPercent: 10,
  adminNetworks: [], separationOfDuties: false,
};
let admin;
let dept;
let role;

before(async () => {
  admin = await login('admin');
  dept = (await orgUnits(admin)).byName.get('商贸发展岗');
  role = await createRole(admin, { dataScope: 'all', permissions: ['user:read'] });
});
after(async () => {
  await resetServerClock();
  admin = await login('admin');
  expectStatus(await admin.put('/api/security-policy', DEFAULTS), 200);
});

const setPolicy = async (over) => expectStatus(await admin.put('/api/security-policy', { ...DEFAULTS, ...over }), 200);
const freshUser = () => createUser(admin, { orgUnitId: dept.id, roleId: role.id });

test('the defaults, readable by any signed-in user; only security:write changes them', async () => {
  const officer = await login('sw_officer');
  assert.deepEqual(await officer.getOk('/api/security-policy'), DEFAULTS);
  expectError(await officer.put('/api/security-policy', DEFAULTS), 403, 'FORBIDDEN');
  assert.ok((await admin.getOk('/api/auth/me')).user.permissions.includes('security:write'));
});

test('each figure out of range, missing or not an integer is refused by name; nothing changes', async () => {
  const bad = [
    ['maxFailedLogins', 2, 'INVALID_VALUE'], ['maxFailedLogins', 11, 'INVALID_VALUE'], ['lockMinutes', 4, 'INVALID_VALUE'],
    ['lockMinutes', 1441, 'INVALID_VALUE'], ['idleMinutes', 121, 'INVALID_VALUE'], ['passwordMaxAgeDays', -1, 'INVALID_VALUE'],
    ['passwordMaxAgeDays', 366, 'INVALID_VALUE'], ['passwordHistory', 0, 'INVALID_VALUE'], ['inactiveAccountDays', 3651, 'INVALID_VALUE'],
    ['storageAlertPercent', 0, 'INVALID_VALUE'], ['storageAlertPercent', 100, 'INVALID_VALUE'], ['storageAlertPercent', '10', 'INVALID_TYPE'],
    ['idleMinutes', '30', 'INVALID_TYPE'], ['lockMinutes', 30.5, 'INVALID_TYPE'], ['passwordHistory', null, 'REQUIRED'],
  ];
  for (const [field, value, code] of bad) {
    expectError(await admin.put('/api/security-policy', { ...DEFAULTS, lockMinutes: 60, [field]: value }), 400, code, field);
  }
  const { passwordHistory, adminNetworks, ...partial } = DEFAULTS;
  expectError(await admin.put('/api/security-policy', partial), 400, 'REQUIRED', 'passwordHistory');
  expectError(await admin.put('/api/security-policy', { ...DEFAULTS, zz: 1 }), 400, 'UNKNOWN_FIELD', 'zz');
  assert.deepEqual(await admin.getOk('/api/security-policy'), DEFAULTS);
  assert.deepEqual([passwordHistory, adminNetworks], [5, []]);
});

test('a change is audited with before and after', async () => {
  await setPolicy({ lockMinutes: 60 });
  const rows = (await admin.getOk('/api/audit-logs?action=security.policy_update&pageSize=5')).items;
  assert.deepEqual([rows[0].summary.before.lockMinutes, rows[0].summary.after.lockMinutes], [30, 60]);
  assert.deepEqual([rows[0].targetType, rows[0].targetId], ['security_policy', '']);
  await setPolicy({});
});

test('the lock: after the set number of failures, for the set minutes', async () => {
  await setPolicy({ maxFailedLogins: 3, lockMinutes: 45 });
  const { user, password } = await freshUser();
  for (let i = 0; i < 2; i++) expectError(await rawLogin(user.username, 'Wrong#Password1'), 401, 'LOGIN_FAILED');
  const third = await rawLogin(user.username, 'Wrong#Password1');
  expectError(third, 423, 'ACCOUNT_LOCKED');
  assert.equal(third.json.message, '密码连续错误 3 次，账号已锁定 45 分钟');
  expectError(await rawLogin(user.username, password), 423, 'ACCOUNT_LOCKED');
  const until = Date.parse((await admin.getOk(`/api/users/${user.id}`)).lockedUntil);
  assert.ok(Math.abs(until - (Date.now() + 45 * 60000)) < 60000, `locked until ${new Date(until).toISOString()}`);
  await setPolicy({});
});

test('the password history: the set number of last passwords is refused, the one before is allowed', async () => {
  const { user, password } = await freshUser();
  const c = await login(user.username, password);
  const first = strongPassword();
  expectStatus(await c.post('/api/auth/password', { oldPassword: password, newPassword: first }), 200);
  const second = strongPassword();
  expectStatus(await c.post('/api/auth/password', { oldPassword: first, newPassword: second }), 200);
  await setPolicy({ passwordHistory: 2 });
  const refused = await c.post('/api/auth/password', { oldPassword: second, newPassword: first });
  expectError(refused, 400, 'PASSWORD_REUSED', 'newPassword');
  assert.match(refused.json.message, /最近 2 次/);
  // the initial password was three back: free again under a history of 2
  expectStatus(await c.post('/api/auth/password', { oldPassword: second, newPassword: password }), 200);
  await setPolicy({});
});

test('the password age: its own number of days, and 0 for none', async () => {
  const { user, password } = await freshUser();
  const c = await login(user.username, password);
  const current = strongPassword();
  expectStatus(await c.post('/api/auth/password', { oldPassword: password, newPassword: current }), 200);
  const daysAgo = (d) => new Date(Date.now() - d * 86400_000).toISOString().replace(/\.\d+Z$/, 'Z');
  sqlOk(`UPDATE users SET password_changed_at = '${daysAgo(31)}' WHERE id = ${user.id}`);
  expectStatus(await (await login(user.username, current)).get('/api/users'), 200);
  await setPolicy({ passwordMaxAgeDays: 30 });
  const blocked = await (await login(user.username, current)).get('/api/users');
  expectError(blocked, 403, 'PASSWORD_CHANGE_REQUIRED');
  assert.match(blocked.json.message, /超过 30 天/);
  sqlOk(`UPDATE users SET password_changed_at = '${daysAgo(4000)}' WHERE id = ${user.id}`);
  await setPolicy({ passwordMaxAgeDays: 0 });
  const me = (await (await login(user.username, current)).getOk('/api/auth/me')).user;
  assert.deepEqual([me.mustChangePassword, me.passwordExpired], [false, false]);
  await setPolicy({});
});

test('the idle timeout: a session unused longer than the set minutes ends', async () => {
  await setPolicy({ idleMinutes: 10 });
  const { user, password } = await freshUser();
  const c = await login(user.username, password);
  expectStatus(await c.get('/api/auth/me'), 200);
  await setServerClock(11 * 60);
  expectError(await c.get('/api/auth/me'), 401, 'UNAUTHENTICATED');
  await resetServerClock();
  admin = await login('admin');
  await setPolicy({});
});

test('idle accounts: the set number of days, and 0 for never', async () => {
  const { user } = await freshUser();
  const daysAgo = (d) => new Date(Date.now() - d * 86400_000).toISOString().replace(/\.\d+Z$/, 'Z');
  sqlOk(`UPDATE users SET created_at = '${daysAgo(40)}', updated_at = '${daysAgo(40)}' WHERE id = ${user.id}`);
  await setPolicy({ inactiveAccountDays: 0 });
  await setServerClock(0); // runs the timers
  assert.equal((await admin.getOk(`/api/users/${user.id}`)).status, 'active');
  await setPolicy({ inactiveAccountDays: 30 });
  await setServerClock(0);
  admin = await login('admin');
  assert.equal((await admin.getOk(`/api/users/${user.id}`)).status, 'disabled');
  const audit = (await admin.getOk(`/api/audit-logs?action=user.auto_disable&targetId=${user.id}`)).items;
  assert.equal(audit[0].summary.after.reason, '超过 30 天未使用');
  await setPolicy({});
});

test('management accounts only from the listed addresses; the list must hold the saver\'s own; others are not held', async () => {
  const put = (over) => admin.put('/api/security-policy', { ...DEFAULTS, ...over });
  expectError(await put({ adminNetworks: ['10.0.0.0/8'] }), 400, 'INVALID_VALUE', 'adminNetworks'); // 127.0.0.1 is not in it
  for (const bad of [['10.0.0.1/8'], ['abc'], ['127.0.0.1', '300.0.0.1'], Array.from({ length: 51 }, (_, i) => `10.0.${i}.0/24`)]) {
    expectError(await put({ adminNetworks: bad }), 400, 'INVALID_VALUE', 'adminNetworks');
  }
  expectError(await put({ adminNetworks: '127.0.0.1' }), 400, 'INVALID_TYPE', 'adminNetworks');
  assert.deepEqual((await admin.getOk('/api/security-policy')).adminNetworks, []);

  await setPolicy({ adminNetworks: ['127.0.0.0/8', '192.168.10.0/24'] });
  const from = (ip) => ({ 'x-real-ip': ip });
  const loginFrom = (user, ip) => request('POST', '/api/auth/login', { body: { login: user, password: DEMO_PASSWORD }, headers: from(ip) });
  const refused = await loginFrom('admin', '10.9.9.9');
  expectError(refused, 403, 'IP_NOT_ALLOWED');
  assert.match(refused.json.message, /10\.9\.9\.9/);
  expectStatus(await loginFrom('admin', '192.168.10.20'), 200);
  expectError(await admin.get('/api/users', { headers: from('10.9.9.9') }), 403, 'IP_NOT_ALLOWED');
  expectStatus(await admin.get('/api/users', { headers: from('192.168.10.20') }), 200);
  const logs = (await admin.getOk('/api/login-logs?username=admin&success=false&pageSize=5')).items;
  assert.equal(logs[0].reason, '登录地址不在管理账号允许的范围内');
  assert.equal(logs[0].ip, '10.9.9.9');
  // an officer manages no accounts: anywhere
  expectStatus(await loginFrom('sw_officer', '10.9.9.9'), 200);
  // the numbers alone leave the list as it is
  const { adminNetworks, ...numbers } = DEFAULTS;
  assert.deepEqual(adminNetworks, []);
  assert.deepEqual(expectStatus(await admin.put('/api/security-policy', numbers), 200).adminNetworks, ['127.0.0.0/8', '192.168.10.0/24']);
  await setPolicy({});
  expectStatus(await loginFrom('admin', '10.9.9.9'), 200);
});

test('a disk fuller than storageAlertPercent tells the security and audit administrators, once a day (SQLite)', async () => {
  const [sec, aud, officer] = await Promise.all(['secadmin', 'auditor', 'sw_officer'].map((u) => login(u)));
  const notices = async (c) => (await c.getOk('/api/notifications?pageSize=100')).items.filter((n) => n.event === 'system.storage_low');
  const before = await Promise.all([sec, aud, officer].map(notices));
  // No disk here is 99 % free: the check fires at the timers' next run.
  await setPolicy({ storageAlertPercent: 99 });
  await setServerClock(0);
  await setServerClock(0);
  const after = await Promise.all([sec, aud, officer].map(notices));
  const added = after.map((list, i) => list.length - before[i].length);
  if (dbKind() === 'sqlite') {
    assert.deepEqual(added, [1, 1, 0], 'one notice each for the security and audit administrators, none for others, once a day');
    assert.equal(after[0][0].title, '数据库所在磁盘剩余空间不足');
    assert.match(after[0][0].body, /剩余 [\d.]+ GB，占 [\d.]+%，低于安全策略设定的 99%/);
  } else {
    assert.deepEqual(added, [0, 0, 0], 'PostgreSQL\'s disk is watched on the database server');
  }
  // Left out of an update, the figure stays; bad values are refused by name.
  const { storageAlertPercent, ...rest } = DEFAULTS;
  assert.equal(storageAlertPercent, 10);
  assert.equal(expectStatus(await admin.put('/api/security-policy', rest), 200).storageAlertPercent, 99);
  await setPolicy({});
  assert.equal((await admin.getOk('/api/security-policy')).storageAlertPercent, 10);
});
