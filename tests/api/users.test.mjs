// User management: CRUD, conflicts, validation, disable/enable, phone masking, pagination.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  login, rawLogin, expectError, expectStatus, listAll, orgUnits, roles, createRole, createUser,
  createUserAndLogin, randomPhone, strongPassword, uid, MISSING_ID, sqlOk, assertSealed, maskPhone, maskCitizenId,
  makeCitizenId,
} from './lib.mjs';

let admin, org, roleMap, swDept, wjDept, officerRole;

before(async () => {
  admin = await login('admin');
  org = await orgUnits(admin);
  roleMap = (await roles(admin)).byKey;
  swDept = org.byName.get('商贸发展岗');
  wjDept = org.byName.get('文教体旅岗');
  officerRole = roleMap.get('officer');
  assert.ok(swDept && wjDept && officerRole, 'demo org units / officer role missing');
});

const USER_KEYS = ['id', 'username', 'name', 'phone', 'orgUnitId', 'orgUnitName', 'roleId', 'roleKey', 'roleName',
  'status', 'lockedUntil', 'mustChangePassword', 'lastLoginAt', 'createdAt'];

function newUserBody(over = {}) {
  return {
    username: uid('u'), name: '张测试', phone: randomPhone(), orgUnitId: swDept.id, roleId: officerRole.id,
    password: strongPassword(), ...over,
  };
}

test('create → 201 User with the contract shape; get by id; no password data', async () => {
  const body = newUserBody();
  const res = await admin.post('/api/users', body);
  const u = expectStatus(res, 201);
  for (const k of USER_KEYS) assert.ok(k in u, `User lacks ${k}`);
  assert.equal(u.username, body.username);
  assert.equal(u.name, body.name);
  assert.equal(u.phone, body.phone, 'admin (user:write) must see the full phone');
  assert.equal(u.orgUnitId, swDept.id);
  assert.equal(u.orgUnitName, '商贸发展岗');
  assert.equal(u.roleId, officerRole.id);
  assert.equal(u.roleKey, 'officer');
  assert.equal(u.roleName, officerRole.name);
  assert.equal(u.status, 'active');
  assert.equal(u.lockedUntil, null);
  assert.equal(u.mustChangePassword, true);
  assert.equal(u.lastLoginAt, null);
  assert.ok(!Number.isNaN(Date.parse(u.createdAt)), 'createdAt is not a time');
  assert.ok(!JSON.stringify(u).includes(body.password), 'response contains the password');
  for (const k of ['password', 'passwordHash', 'hash']) assert.ok(!(k in u), `User exposes ${k}`);

  const got = await admin.getOk(`/api/users/${u.id}`);
  assert.deepEqual(got, u);
});

test('lastLoginAt is set after a login', async () => {
  const { user, password } = await createUser(admin, { orgUnitId: swDept.id, roleId: officerRole.id });
  await login(user.username, password);
  const got = await admin.getOk(`/api/users/${user.id}`);
  assert.ok(got.lastLoginAt && !Number.isNaN(Date.parse(got.lastLoginAt)), 'lastLoginAt not set');
});

test('GET missing user → 404 NOT_FOUND; PUT missing → 404', async () => {
  expectError(await admin.get(`/api/users/${MISSING_ID}`), 404, 'NOT_FOUND');
  const body = { name: 'x', phone: randomPhone(), orgUnitId: swDept.id, roleId: officerRole.id };
  expectError(await admin.put(`/api/users/${MISSING_ID}`, body), 404, 'NOT_FOUND');
});

test('non-numeric id → 404 (never 5xx)', async () => {
  const res = await admin.get('/api/users/abc');
  assert.ok([400, 404].includes(res.status), `GET /api/users/abc → ${res.status}`);
});

test('username taken → 409 USERNAME_TAKEN (field username); phone taken → 409 PHONE_TAKEN (field phone)', async () => {
  const first = newUserBody();
  expectStatus(await admin.post('/api/users', first), 201);
  expectError(await admin.post('/api/users', newUserBody({ username: first.username })), 409, 'USERNAME_TAKEN', 'username');
  expectError(await admin.post('/api/users', newUserBody({ phone: first.phone })), 409, 'PHONE_TAKEN', 'phone');
  // demo usernames are taken too
  expectError(await admin.post('/api/users', newUserBody({ username: 'admin' })), 409, 'USERNAME_TAKEN', 'username');
});

test('update → 200; PUT with another user\'s phone → 409 PHONE_TAKEN', async () => {
  const a = (await createUser(admin, { orgUnitId: swDept.id, roleId: officerRole.id }));
  const b = (await createUser(admin, { orgUnitId: swDept.id, roleId: officerRole.id }));
  const inspector = roleMap.get('inspector');
  const newPhone = randomPhone();
  const upd = { name: '李更新', phone: newPhone, orgUnitId: wjDept.id, roleId: inspector.id };
  const u = expectStatus(await admin.put(`/api/users/${a.user.id}`, upd), 200);
  assert.equal(u.name, '李更新');
  assert.equal(u.phone, newPhone);
  assert.equal(u.orgUnitId, wjDept.id);
  assert.equal(u.orgUnitName, '文教体旅岗');
  assert.equal(u.roleKey, 'inspector');
  assert.equal(u.username, a.user.username, 'username changed by PUT');
  assert.deepEqual(await admin.getOk(`/api/users/${a.user.id}`), u);

  expectError(await admin.put(`/api/users/${a.user.id}`, { ...upd, phone: b.phone }), 409, 'PHONE_TAKEN', 'phone');
  // keeping one's own phone is not a conflict
  expectStatus(await admin.put(`/api/users/${a.user.id}`, { ...upd, name: '李再改' }), 200);
  // the login phone follows the change
  expectStatus(await rawLogin(newPhone, a.password), 200);
});

test('validation: REQUIRED, INVALID_VALUE, TOO_LONG, PASSWORD_WEAK with the field', async () => {
  for (const f of ['username', 'name', 'phone', 'orgUnitId', 'roleId', 'password']) {
    const body = newUserBody();
    delete body[f];
    expectError(await admin.post('/api/users', body), 400, 'REQUIRED', f);
  }
  expectError(await admin.post('/api/users', newUserBody({ phone: '12345' })), 400, 'INVALID_VALUE', 'phone');
  expectError(await admin.post('/api/users', newUserBody({ orgUnitId: MISSING_ID })), 400, 'ORG_UNIT_NOT_FOUND', 'orgUnitId');
  expectError(await admin.post('/api/users', newUserBody({ roleId: MISSING_ID })), 400, 'ROLE_NOT_FOUND', 'roleId');
  expectError(await admin.post('/api/users', newUserBody({ username: '1abc' })), 400, 'INVALID_VALUE', 'username');
  expectError(await admin.post('/api/users', newUserBody({ name: '名'.repeat(5000) })), 400, 'TOO_LONG', 'name');
  expectError(await admin.post('/api/users', newUserBody({ username: 'u'.repeat(5000) })), 400, 'TOO_LONG', 'username');
  expectError(await admin.post('/api/users', newUserBody({ password: '123456' })), 400, 'PASSWORD_WEAK', 'password');
  expectError(await admin.post('/api/users', newUserBody({ name: 42 })), 400, 'INVALID_TYPE', 'name');
  expectError(await admin.post('/api/users', newUserBody({ orgUnitId: '1' })), 400, 'INVALID_TYPE', 'orgUnitId');
  expectError(await admin.post('/api/users', newUserBody({ extra: 1 })), 400, 'UNKNOWN_FIELD', 'extra');
  const u = (await createUser(admin, { orgUnitId: swDept.id, roleId: officerRole.id })).user;
  expectError(await admin.put(`/api/users/${u.id}`, { name: 'x', orgUnitId: swDept.id, roleId: officerRole.id }), 400, 'REQUIRED', 'phone');
  // username and password are not part of PUT
  expectError(await admin.put(`/api/users/${u.id}`, { name: 'x', phone: randomPhone(), orgUnitId: swDept.id, roleId: officerRole.id, username: 'zz' }), 400, 'UNKNOWN_FIELD', 'username');
});

test('rejected input never half-writes', async () => {
  const body = newUserBody({ roleId: MISSING_ID });
  expectError(await admin.post('/api/users', body), 400, 'ROLE_NOT_FOUND', 'roleId');
  const found = await admin.getOk(`/api/users?q=${encodeURIComponent(body.username)}`);
  assert.equal(found.total, 0, 'a rejected create left a user behind');
  // username is free
  expectStatus(await admin.post('/api/users', { ...body, roleId: officerRole.id }), 201);
});

test('disable → status disabled, login 403 ACCOUNT_DISABLED, sessions end; enable → login works', async () => {
  const { user, client, password } = await createUserAndLogin(admin, { orgUnitId: swDept.id, roleId: officerRole.id });
  const d = expectStatus(await admin.post(`/api/users/${user.id}/disable`), 200);
  assert.equal(d.status, 'disabled');
  expectError(await rawLogin(user.username, password), 403, 'ACCOUNT_DISABLED');
  expectError(await client.get('/api/auth/me'), 401, 'UNAUTHENTICATED');
  const list = await admin.getOk(`/api/users?status=disabled&q=${encodeURIComponent(user.username)}`);
  assert.ok(list.items.some((x) => x.id === user.id), 'status=disabled filter misses the user');
  assert.ok(list.items.every((x) => x.status === 'disabled'));

  const e = expectStatus(await admin.post(`/api/users/${user.id}/enable`), 200);
  assert.equal(e.status, 'active');
  expectStatus(await rawLogin(user.username, password), 200);
});

test('an administrator cannot disable their own account', async () => {
  const me = await login('admin');
  expectError(await me.post(`/api/users/${me.user.id}/disable`), 409, 'CANNOT_DISABLE_SELF');
  assert.equal((await me.getOk('/api/auth/me')).user.username, 'admin');
});

test('no privilege escalation: a user admin can only hand out roles within their own permissions and scope', async () => {
  const limited = await createRole(admin, { dataScope: 'dept', permissions: ['user:read', 'user:write'] });
  const { client } = await createUserAndLogin(admin, { orgUnitId: swDept.id, roleId: limited.id });
  const adminRole = roleMap.get('admin');
  expectError(await client.post('/api/users', newUserBody({ roleId: adminRole.id })), 403, 'ROLE_NOT_ASSIGNABLE', 'roleId');
  const wide = await createRole(admin, { dataScope: 'all', permissions: ['user:read'] });
  expectError(await client.post('/api/users', newUserBody({ roleId: wide.id })), 403, 'ROLE_NOT_ASSIGNABLE', 'roleId');
  const mine = (await createUser(admin, { orgUnitId: swDept.id, roleId: officerRole.id })).user;
  expectError(await client.put(`/api/users/${mine.id}`, { name: mine.name, phone: mine.phone, orgUnitId: swDept.id, roleId: adminRole.id }),
    403, 'ROLE_NOT_ASSIGNABLE', 'roleId');
  assert.equal((await admin.getOk(`/api/users/${mine.id}`)).roleKey, 'officer');
  // a role within its own permissions and scope is fine
  const narrow = await createRole(admin, { dataScope: 'dept', permissions: ['user:read'] });
  expectStatus(await client.post('/api/users', newUserBody({ roleId: narrow.id })), 201);
  // nor their own role, even to one they could give others
  expectError(await client.put(`/api/users/${client.user.id}`, { name: '本人', phone: randomPhone(), orgUnitId: swDept.id, roleId: narrow.id }),
    403, 'ROLE_NOT_ASSIGNABLE', 'roleId');
  assert.equal((await admin.getOk(`/api/users/${client.user.id}`)).roleId, limited.id);
});

test('disable / enable / reset-password of a missing user → 404', async () => {
  expectError(await admin.post(`/api/users/${MISSING_ID}/disable`), 404, 'NOT_FOUND');
  expectError(await admin.post(`/api/users/${MISSING_ID}/enable`), 404, 'NOT_FOUND');
  expectError(await admin.post(`/api/users/${MISSING_ID}/reset-password`, { password: strongPassword() }), 404, 'NOT_FOUND');
});

test('phone is masked for a caller without user:write', async () => {
  const readOnly = await createRole(admin, { dataScope: 'all', permissions: ['user:read'] });
  const { client } = await createUserAndLogin(admin, { orgUnitId: swDept.id, roleId: readOnly.id });
  const target = await createUser(admin, { orgUnitId: swDept.id, roleId: officerRole.id });
  const seen = await client.getOk(`/api/users/${target.user.id}`);
  const p = target.phone;
  assert.equal(seen.phone, `${p.slice(0, 3)}****${p.slice(7)}`, 'phone not masked as 138****1234');
  const list = await client.getOk(`/api/users?q=${encodeURIComponent(target.user.username)}`);
  assert.equal(list.items.length, 1);
  assert.equal(list.items[0].phone, seen.phone);
  assert.ok(!JSON.stringify(list).includes(p), 'full phone leaks in the list');
  // search by the full phone must not reveal it either (q is fine, but the answer stays masked)
  // and read-only users cannot write
  expectError(await client.post('/api/users', newUserBody()), 403, 'FORBIDDEN');
});

test('list: pagination, total, filters q / orgUnitId / roleId', async () => {
  const tag = uid('pg');
  const made = [];
  for (let i = 0; i < 3; i++) {
    made.push((await createUser(admin, { username: `${tag}${i}`, orgUnitId: wjDept.id, roleId: officerRole.id })).user);
  }
  const p1 = await admin.getOk(`/api/users?q=${tag}&page=1&pageSize=2`);
  assert.equal(p1.total, 3);
  assert.equal(p1.items.length, 2);
  const p2 = await admin.getOk(`/api/users?q=${tag}&page=2&pageSize=2`);
  assert.equal(p2.total, 3);
  assert.equal(p2.items.length, 1);
  const ids = new Set([...p1.items, ...p2.items].map((u) => u.id));
  assert.deepEqual([...ids].sort(), made.map((u) => u.id).sort(), 'pages overlap or miss users');

  const byOrg = await listAll(admin, `/api/users?orgUnitId=${wjDept.id}`);
  assert.ok(byOrg.length >= 3 && byOrg.every((u) => u.orgUnitId === wjDept.id), 'orgUnitId filter');
  const byRole = await listAll(admin, `/api/users?roleId=${officerRole.id}`);
  assert.ok(byRole.length >= 3 && byRole.every((u) => u.roleId === officerRole.id), 'roleId filter');
  assert.ok(made.every((m) => byRole.some((u) => u.id === m.id)));
});

test('list: pageSize above 200 is refused or capped, never more than 200 items', async () => {
  const res = await admin.get('/api/users?pageSize=500');
  if (res.status === 200) assert.ok(res.json.items.length <= 200, 'pageSize > 200 honoured');
  else expectError(res, 400, 'INVALID_VALUE', 'pageSize');
  const bad = await admin.get('/api/users?page=abc');
  assert.ok(bad.status === 400 || bad.status === 200, `page=abc → ${bad.status}`);
});

test('demo users exist in their departments', async () => {
  const all = await listAll(admin, '/api/users');
  const by = new Map(all.map((u) => [u.username, u]));
  for (const name of ['admin', 'sw_officer', 'wj_officer', 'grid_longfeng', 'venue_mgr', 'contractor', 'welder', 'firewatch', 'inspector', 'auditor']) {
    assert.ok(by.has(name), `demo user ${name} missing`);
  }
  assert.equal(by.get('admin').orgUnitName, '安全应急岗');
  assert.equal(by.get('sw_officer').orgUnitName, '商贸发展岗');
  assert.equal(by.get('wj_officer').orgUnitName, '文教体旅岗');
  assert.equal(by.get('auditor').roleKey, 'auditor');
});

test('等保 数据保密性: a user\'s phone is stored sealed with a keyed lookup hash; the whole phone finds the user and logs in, a part does not', async () => {
  const phone = randomPhone();
  const { user, password } = await createUser(admin, { orgUnitId: wjDept.id, roleId: officerRole.id, phone });
  const [stored, hash] = sqlOk(`SELECT phone, phone_hash FROM users WHERE id = ${user.id}`).split('|');
  assertSealed(stored, phone);
  assert.match(hash, /^[0-9a-f]{32}$/);
  assert.equal((await admin.getOk(`/api/users/${user.id}`)).phone, phone, 'user:write sees the phone in full');

  const found = async (q) => (await admin.getOk(`/api/users?q=${q}`)).items.map((u) => u.id);
  assert.deepEqual(await found(phone), [user.id]);
  assert.deepEqual(await found(phone.slice(0, 7)), [], 'a part of the phone finds the user');
  assert.equal(expectStatus(await rawLogin(phone, password), 200).user.id, user.id);

  const newPhone = randomPhone();
  expectStatus(await admin.put(`/api/users/${user.id}`, { name: user.name, phone: newPhone, orgUnitId: user.orgUnitId, roleId: user.roleId }), 200);
  assertSealed(sqlOk(`SELECT phone FROM users WHERE id = ${user.id}`), newPhone);
  assert.deepEqual(await found(phone), []);
  expectError(await rawLogin(phone, password), 401, 'LOGIN_FAILED');
  // the login log names the account tried by its phone, and keeps a phone of no account masked
  expectError(await rawLogin(newPhone, 'Wrong#Password1'), 401, 'LOGIN_FAILED');
  const citizenId = makeCitizenId();
  expectError(await rawLogin(citizenId, 'Wrong#Password1'), 401, 'LOGIN_FAILED');
  const logged = (await admin.getOk(`/api/login-logs?success=false&pageSize=20`)).items;
  assert.ok(logged.some((e) => e.userId === user.id && e.username === user.username), 'the wrong password by phone is not logged under the account');
  assert.ok(logged.some((e) => e.userId === null && e.username === maskPhone(phone)), 'the unknown phone is not logged masked');
  assert.ok(logged.some((e) => e.userId === null && e.username === maskCitizenId(citizenId)), 'an ID number typed is not logged masked');
  for (const full of [phone, newPhone, citizenId]) assert.ok(!JSON.stringify(logged).includes(full), `the login log holds ${full} in full`);
  assert.equal(expectStatus(await rawLogin(newPhone, password), 200).user.phone, newPhone, 'me shows the user their own phone');
  assert.equal(sqlOk("SELECT COUNT(*) FROM users WHERE phone NOT LIKE 'sm4:%' OR phone_hash IS NULL"), '0', 'a phone in the clear');
});
