// 三员分立 (等保 访问控制 d, 安全管理中心): the system administrator manages accounts, the security administrator gives
// roles and sets the policy, the auditor reads the logs. With the policy's separationOfDuties on, no role holds two of
// these duties, roles are given only by role:assign holders, and no duty is left without an active holder.
// The file turns separation on (disabling every active account whose role mixes duties, the demo admin among them)
// and puts everything back afterwards: the other files count on the admin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  login, rawLogin, expectError, expectStatus, createUser, createUserAndLogin, orgUnits, roles, listAll, strongPassword,
} from './lib.mjs';

let sys, sec, aud, dept, roleByKey, duties;
const disabled = [];  // accounts this file disabled to turn separation on

const setSeparation = async (client, on) => client.put('/api/security-policy', { ...(await client.getOk('/api/security-policy')), separationOfDuties: on });
const mixesDuties = (permissions) => duties.filter((d) => d.permissions.some((p) => permissions.includes(p))).length > 1;

before(async () => {
  [sys, sec, aud] = await Promise.all(['sysadmin', 'secadmin', 'auditor'].map((u) => login(u)));
  dept = (await orgUnits(sys)).byName.get('商贸发展岗');
  roleByKey = (await roles(sec)).byKey;
  duties = (await sec.getOk('/api/permissions')).duties;
});

after(async () => {
  const off = await setSeparation(sec, false);
  assert.ok(off.status === 200, `separation left on: ${off.status}`);
  for (const id of disabled) expectStatus(await sys.post(`/api/users/${id}/enable`), 200);
});

test('the three administrators\' built-in roles and duties', async () => {
  assert.deepEqual(duties.map((d) => d.label), ['系统管理员', '安全管理员', '审计管理员']);
  const perms = async (c) => (await c.getOk('/api/auth/me')).user.permissions;
  assert.ok((await perms(sys)).includes('user:write') && !(await perms(sys)).includes('role:assign'));
  assert.ok((await perms(sec)).includes('role:assign') && !(await perms(sec)).includes('user:write'));
  for (const c of [sys, sec]) assert.ok(!(await perms(c)).includes('audit:read'));
  assert.deepEqual(roleByKey.get('unassigned').permissions, []);
  assert.equal((await sec.getOk('/api/security-policy')).separationOfDuties, false);
});

test('a new account awaits its role; the security administrator gives it; nobody changes their own', async () => {
  const { user, client } = await createUserAndLogin(sys, { orgUnitId: dept.id, roleId: roleByKey.get('unassigned').id });
  assert.deepEqual((await client.getOk('/api/auth/me')).user.permissions, []);
  expectError(await client.get('/api/permits'), 403, 'FORBIDDEN');
  // Without separation the old rule holds for user administrators: only roles within their own permissions.
  expectError(await sys.put(`/api/users/${user.id}`, { name: user.name, phone: user.phone, orgUnitId: dept.id, roleId: roleByKey.get('officer').id }),
    403, 'ROLE_NOT_ASSIGNABLE', 'roleId');
  expectError(await sys.put(`/api/users/${user.id}/role`, { roleId: roleByKey.get('officer').id }), 403, 'FORBIDDEN');
  const given = expectStatus(await sec.put(`/api/users/${user.id}/role`, { roleId: roleByKey.get('officer').id }), 200);
  assert.equal(given.roleKey, 'officer');
  assert.ok((await client.getOk('/api/auth/me')).user.permissions.includes('permit:read'), 'the new role takes effect at once');
  expectStatus(await client.get('/api/permits'), 200);
  const row = (await aud.getOk(`/api/audit-logs?action=user.role_assign&targetType=user&targetId=${user.id}`)).items[0];
  assert.deepEqual([row.username, row.summary.before.roleName, row.summary.after.roleName], ['secadmin', '待分配角色', '行业岗位监管员']);

  expectError(await sec.put(`/api/users/${sec.user.id}/role`, { roleId: roleByKey.get('admin').id }), 403, 'ROLE_NOT_ASSIGNABLE', 'roleId');
  expectError(await sec.put(`/api/users/${user.id}/role`, { roleId: 999999 }), 400, 'ROLE_NOT_FOUND', 'roleId');
  expectError(await sec.put(`/api/users/${user.id}/role`, { roleId: '3' }), 400, 'INVALID_TYPE', 'roleId');
  expectError(await sec.put(`/api/users/${user.id}/role`, {}), 400, 'REQUIRED', 'roleId');
  expectError(await sec.put('/api/users/999999/role', { roleId: roleByKey.get('officer').id }), 404, 'NOT_FOUND');
  // Nobody edits the permissions of the role they hold.
  const own = roleByKey.get('sec_admin');
  expectError(await sec.put(`/api/roles/${own.id}`, { name: own.name, dataScope: own.dataScope, permissions: [...own.permissions, 'audit:read'] }),
    409, 'ROLE_PROTECTED');
});

test('a locked account is unlocked by the security administrator, not the system administrator', async () => {
  const password = strongPassword();
  const { user } = await createUser(sys, { orgUnitId: dept.id, roleId: roleByKey.get('unassigned').id, password });
  for (let i = 0; i < 5; i++) await rawLogin(user.username, 'Wrong#Password1');
  expectError(await rawLogin(user.username, password), 423, 'ACCOUNT_LOCKED');
  expectError(await sys.post(`/api/users/${user.id}/unlock`), 403, 'FORBIDDEN');
  assert.ok(roleByKey.get('sec_admin').permissions.includes('user:unlock'));
  assert.ok(!roleByKey.get('sys_admin').permissions.includes('user:unlock'));
  assert.ok(duties.find((d) => d.label === '安全管理员').permissions.includes('user:unlock'));
  assert.equal(expectStatus(await sec.post(`/api/users/${user.id}/unlock`), 200).lockedUntil, null);
  expectStatus(await rawLogin(user.username, password), 200);
  const row = (await aud.getOk(`/api/audit-logs?action=user.unlock&targetType=user&targetId=${user.id}`)).items[0];
  assert.equal(row.username, 'secadmin');
});

test('separation is refused while an active account\'s role mixes duties', async () => {
  const res = await setSeparation(sec, true);
  expectError(res, 409, 'ROLE_DUTIES_MIXED', 'separationOfDuties');
  assert.match(res.json.message, /专班管理员（\d+ 人）/);
  assert.equal((await sec.getOk('/api/security-policy')).separationOfDuties, false, 'the refused change was saved');
});

test('with separation on: roles hold one duty, roles are given by the security administrator, every duty keeps a holder', async () => {
  for (const role of (await roles(sec)).items.filter((r) => mixesDuties(r.permissions))) {
    for (const u of await listAll(sys, `/api/users?roleId=${role.id}&status=active`)) {
      expectStatus(await sys.post(`/api/users/${u.id}/disable`), 200);
      disabled.push(u.id);
    }
  }
  assert.ok(disabled.length > 0, 'the demo admin mixes duties');
  expectStatus(await setSeparation(sec, true), 200);
  const change = (await aud.getOk('/api/audit-logs?action=security.policy_update&pageSize=1')).items[0];
  assert.deepEqual([change.summary.before.separationOfDuties, change.summary.after.separationOfDuties], [false, true]);

  // Roles: one duty at most (business permissions alongside are allowed).
  expectError(await sec.post('/api/roles', { key: `mix_${Date.now()}`, name: '混合', dataScope: 'all', permissions: ['user:write', 'audit:read'] }),
    409, 'ROLE_DUTIES_MIXED', 'permissions');
  const clerk = expectStatus(await sec.post('/api/roles', { key: `clerk_${Date.now()}`, name: '字典维护', dataScope: 'all', permissions: ['dict:read', 'dict:write', 'permit:read'] }), 201);
  expectError(await sec.put(`/api/roles/${clerk.id}`, { name: '字典维护', dataScope: 'all', permissions: ['dict:write', 'security:write'] }),
    409, 'ROLE_DUTIES_MIXED', 'permissions');

  // Accounts: the system administrator creates them awaiting a role; only the security administrator gives one.
  expectError(await sys.post('/api/users', { username: `u${Date.now()}`, name: '新人', phone: '13700001111', orgUnitId: dept.id, roleId: roleByKey.get('sys_admin').id, password: strongPassword() }),
    403, 'ROLE_NOT_ASSIGNABLE', 'roleId');
  const { user } = await createUser(sys, { orgUnitId: dept.id, roleId: roleByKey.get('unassigned').id });
  expectError(await sec.put(`/api/users/${user.id}/role`, { roleId: roleByKey.get('admin').id }), 409, 'ROLE_DUTIES_MIXED', 'roleId');
  expectStatus(await sec.put(`/api/users/${user.id}/role`, { roleId: clerk.id }), 200);

  // The mixed admin cannot come back; the only security administrator cannot go, nor lose the role.
  expectError(await sys.post(`/api/users/${disabled[0]}/enable`), 409, 'ROLE_DUTIES_MIXED');
  expectError(await sys.post(`/api/users/${sec.user.id}/disable`), 409, 'DUTY_UNASSIGNED');
  // Other files' accounts that manage users step aside, so that the system administrator is the only one left.
  for (const role of (await roles(sec)).items.filter((r) => r.permissions.includes('user:write'))) {
    for (const u of await listAll(sys, `/api/users?roleId=${role.id}&status=active`)) {
      if (u.id === sys.user.id) continue;
      expectStatus(await sys.post(`/api/users/${u.id}/disable`), 200);
      disabled.push(u.id);
    }
  }
  expectError(await sec.put(`/api/users/${sys.user.id}/role`, { roleId: roleByKey.get('unassigned').id }), 409, 'DUTY_UNASSIGNED', 'roleId');
  assert.equal((await sys.getOk('/api/auth/me')).user.role.key, 'sys_admin', 'the refused change was saved');
  expectStatus(await sys.get('/api/users'), 200);
  expectStatus(await sec.get('/api/roles'), 200);

  // Tokens act as their user: only business accounts get them.
  expectError(await sys.post('/api/api-tokens', { name: 'x', userId: aud.user.id }), 403, 'TOKEN_USER_NOT_ALLOWED', 'userId');
  expectStatus(await sys.post('/api/api-tokens', { name: 'x', userId: (await login('sw_officer')).user.id }), 201);

  // Logs stay the auditor's.
  expectError(await sec.get('/api/audit-logs'), 403, 'FORBIDDEN');
  expectError(await sys.get('/api/login-logs'), 403, 'FORBIDDEN');
});

test('separation turned off again, by the security administrator; audited', async () => {
  expectStatus(await setSeparation(sec, false), 200);
  const change = (await aud.getOk('/api/audit-logs?action=security.policy_update&pageSize=1')).items[0];
  assert.deepEqual([change.username, change.summary.after.separationOfDuties], ['secadmin', false]);
  expectError(await sec.put('/api/security-policy', { ...(await sec.getOk('/api/security-policy')), separationOfDuties: 'on' }), 400, 'INVALID_TYPE', 'separationOfDuties');
});
