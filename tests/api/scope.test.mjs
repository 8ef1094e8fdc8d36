// Data scope: records outside the caller's scope are 404, in lists and by id.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  login, expectError, expectStatus, listAll, orgUnits, roles, createOrgUnit, createRole, createUser,
  createUserAndLogin, strongPassword, randomPhone, uid,
} from './lib.mjs';

let admin, org, sw, wj, officerRole, wjUser;

before(async () => {
  admin = await login('admin');
  org = await orgUnits(admin);
  sw = org.byName.get('商贸发展岗');
  wj = org.byName.get('文教体旅岗');
  officerRole = (await roles(admin)).byKey.get('officer');
  const all = await listAll(admin, '/api/users');
  wjUser = all.find((u) => u.username === 'wj_officer');
  assert.ok(sw && wj && officerRole && wjUser, 'demo data missing');
});

const ids = (list) => list.map((u) => u.id).sort((a, b) => a - b);

test('sw_officer (officer, 本部门) lists exactly the users of 商贸发展岗', async () => {
  const c = await login('sw_officer');
  assert.equal(c.user.role.dataScope, 'dept');
  assert.ok(c.user.permissions.includes('user:read'), 'officer role lacks user:read');
  const seen = await listAll(c, '/api/users');
  const outside = seen.filter((u) => u.orgUnitId !== sw.id);
  assert.deepEqual(outside.map((u) => `${u.username}@${u.orgUnitName}`), [], 'sw_officer sees users outside 商贸发展岗');
  const expected = await listAll(admin, `/api/users?orgUnitId=${sw.id}`);
  assert.deepEqual(ids(seen), ids(expected), 'sw_officer does not see every user of 商贸发展岗');
  assert.ok(seen.some((u) => u.username === 'sw_officer'));
});

test('sw_officer: another department\'s user is 404 by id, by filter and by search', async () => {
  const c = await login('sw_officer');
  expectError(await c.get(`/api/users/${wjUser.id}`), 404, 'NOT_FOUND');
  const f = await c.getOk(`/api/users?orgUnitId=${wj.id}`);
  assert.equal(f.total, 0, 'filter by another department leaks users');
  assert.equal(f.items.length, 0);
  const q = await c.getOk('/api/users?q=wj_officer');
  assert.ok(!q.items.some((u) => u.id === wjUser.id), 'search leaks wj_officer');
});

test('sw_officer: writes on another department\'s user are 404 (when it has user:write)', async (t) => {
  const c = await login('sw_officer');
  if (!c.user.permissions.includes('user:write')) {
    expectError(await c.put(`/api/users/${wjUser.id}`, {}), 403, 'FORBIDDEN');
    t.diagnostic('sw_officer has no user:write; the custom-role test below covers writes');
    return;
  }
  const victim = (await createUser(admin, { orgUnitId: wj.id, roleId: officerRole.id })).user;
  const same = { name: victim.name, phone: victim.phone, orgUnitId: victim.orgUnitId, roleId: victim.roleId };
  expectError(await c.put(`/api/users/${victim.id}`, same), 404, 'NOT_FOUND');
  expectError(await c.post(`/api/users/${victim.id}/disable`), 404, 'NOT_FOUND');
});

test('custom role with dept scope: reads and writes outside the department are 404', async () => {
  const role = await createRole(admin, { dataScope: 'dept', permissions: ['user:read', 'user:write'] });
  const { client } = await createUserAndLogin(admin, { orgUnitId: sw.id, roleId: role.id });
  const victim = (await createUser(admin, { orgUnitId: wj.id, roleId: officerRole.id })).user;
  const same = { name: victim.name, phone: victim.phone, orgUnitId: victim.orgUnitId, roleId: victim.roleId };
  expectError(await client.get(`/api/users/${victim.id}`), 404, 'NOT_FOUND');
  expectError(await client.put(`/api/users/${victim.id}`, same), 404, 'NOT_FOUND');
  expectError(await client.post(`/api/users/${victim.id}/disable`), 404, 'NOT_FOUND');
  expectError(await client.post(`/api/users/${victim.id}/unlock`), 404, 'NOT_FOUND');
  expectError(await client.post(`/api/users/${victim.id}/reset-password`, { password: strongPassword() }), 404, 'NOT_FOUND');
  const after = await admin.getOk(`/api/users/${victim.id}`);
  assert.equal(after.status, 'active', 'out-of-scope disable took effect');
  assert.equal(after.mustChangePassword, victim.mustChangePassword);

  // moving an in-scope user into another department is moving it out of scope: allowed only into scope
  const mine = (await createUser(admin, { orgUnitId: sw.id, roleId: officerRole.id })).user;
  expectStatus(await client.get(`/api/users/${mine.id}`), 200);
  const moved = await client.put(`/api/users/${mine.id}`, { name: mine.name, phone: mine.phone, orgUnitId: wj.id, roleId: mine.roleId });
  assert.ok(moved.status === 400 || moved.status === 404 || moved.status === 403,
    `moving a user out of one's own scope should be refused, got ${moved.status} ${moved.text}`);
  assert.equal((await admin.getOk(`/api/users/${mine.id}`)).orgUnitId, sw.id);
  // creating a user outside one's scope is refused too
  const username = uid('x');
  const outside = await client.post('/api/users', {
    username, name: '越权', phone: randomPhone(), orgUnitId: wj.id, roleId: officerRole.id, password: strongPassword(),
  });
  assert.ok([400, 403, 404].includes(outside.status), `creating a user outside scope: ${outside.status} ${outside.text}`);
  assert.equal((await admin.getOk(`/api/users?q=${username}`)).total, 0);
});

test('changing the role\'s data scope changes what its users see (dept → all → custom → self → dept)', async () => {
  const role = await createRole(admin, { dataScope: 'dept', permissions: ['user:read'] });
  const { client, user: me } = await createUserAndLogin(admin, { orgUnitId: sw.id, roleId: role.id });
  const put = async (dataScope, customOrgUnitIds = []) =>
    expectStatus(await admin.put(`/api/roles/${role.id}`, { name: role.name, dataScope, permissions: ['user:read'], customOrgUnitIds }), 200);

  let seen = await listAll(client, '/api/users');
  assert.ok(seen.every((u) => u.orgUnitId === sw.id), 'dept: users outside the department');
  assert.ok(!seen.some((u) => u.id === wjUser.id));

  await put('all');
  seen = await listAll(client, '/api/users');
  const everyone = await listAll(admin, '/api/users');
  assert.deepEqual(ids(seen), ids(everyone), 'all: list differs from admin\'s');
  expectStatus(await client.get(`/api/users/${wjUser.id}`), 200);

  await put('custom', [wj.id]);
  seen = await listAll(client, '/api/users');
  const wrong = seen.filter((u) => u.orgUnitId !== wj.id && u.id !== me.id);
  assert.deepEqual(wrong.map((u) => `${u.username}@${u.orgUnitName}`), [], 'custom: users outside the chosen departments');
  const wjAll = await listAll(admin, `/api/users?orgUnitId=${wj.id}`);
  assert.ok(wjAll.every((u) => seen.some((s) => s.id === u.id)), 'custom: misses users of the chosen department');
  expectStatus(await client.get(`/api/users/${wjUser.id}`), 200);
  const swUser = everyone.find((u) => u.username === 'sw_officer');
  expectError(await client.get(`/api/users/${swUser.id}`), 404, 'NOT_FOUND');

  await put('self');
  seen = await listAll(client, '/api/users');
  assert.deepEqual(ids(seen), [me.id], 'self: sees other users');
  expectError(await client.get(`/api/users/${swUser.id}`), 404, 'NOT_FOUND');
  expectStatus(await client.get(`/api/users/${me.id}`), 200);

  await put('dept');
  seen = await listAll(client, '/api/users');
  assert.deepEqual(ids(seen), ids(await listAll(admin, `/api/users?orgUnitId=${sw.id}`)), 'back to dept');
});

test('dept_tree sees its unit and the units below; dept sees only its own unit', async () => {
  const village = await createOrgUnit(admin, { parentId: org.town.id, kind: 'village' });
  const grid = await createOrgUnit(admin, { parentId: village.id, kind: 'grid' });
  const role = await createRole(admin, { dataScope: 'dept_tree', permissions: ['user:read'] });
  const { client, user: me } = await createUserAndLogin(admin, { orgUnitId: village.id, roleId: role.id });
  const below = (await createUser(admin, { orgUnitId: grid.id, roleId: officerRole.id })).user;

  let seen = await listAll(client, '/api/users');
  assert.deepEqual(ids(seen), ids([me, below]), 'dept_tree: wrong set of users');
  expectStatus(await client.get(`/api/users/${below.id}`), 200);
  expectError(await client.get(`/api/users/${wjUser.id}`), 404, 'NOT_FOUND');

  expectStatus(await admin.put(`/api/roles/${role.id}`, { name: role.name, dataScope: 'dept', permissions: ['user:read'], customOrgUnitIds: [] }), 200);
  seen = await listAll(client, '/api/users');
  assert.deepEqual(ids(seen), [me.id], 'dept: sees the grid below');
  expectError(await client.get(`/api/users/${below.id}`), 404, 'NOT_FOUND');
});

test('grid_longfeng (dept_tree) sees only its own area when it can read users', async () => {
  const c = await login('grid_longfeng');
  assert.equal(c.user.role.dataScope, 'dept_tree');
  if (!c.user.permissions.includes('user:read')) {
    expectError(await c.get('/api/users'), 403, 'FORBIDDEN');
    return;
  }
  const home = c.user.orgUnit.id;
  const under = new Set([home]);
  for (let grew = true; grew;) {
    grew = false;
    for (const u of org.items) if (u.parentId !== null && under.has(u.parentId) && !under.has(u.id)) { under.add(u.id); grew = true; }
  }
  const seen = await listAll(c, '/api/users');
  assert.deepEqual(seen.filter((u) => !under.has(u.orgUnitId)).map((u) => u.username), []);
});
