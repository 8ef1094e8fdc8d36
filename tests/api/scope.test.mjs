// Data scope: records outside the caller's scope are 404, in lists and by id. Venues, town-wide registries and
// the masking of personal data (person:pii) at the end.
import { test, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  login, expectError, expectStatus, listAll, orgUnits, roles, createOrgUnit, createRole, createUser,
  createUserAndLogin, strongPassword, randomPhone, uid, describe as show, venueBody, createVenue, unitBody, createUnit,
  personBody, createPerson, certBody, createCertificate, machineBody, createMachine, fetchXlsx, maskCitizenId, maskPhone,
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
  const role = await createRole(admin, { dataScope: 'dept', permissions: ['user:read', 'user:write', 'user:unlock'] });
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

// ---------- venues (registries, issue 3) ----------
// 本部门 / 本部门及以下 / 指定部门 match the venue's 村/社区 or any supervising department; 仅本人 matches
// managerUserId = caller, or venues the caller created.
describe('venues', () => {
  let lf, jf, mgrUser, vA, vB, vC, vD;
  const vids = (list) => list.map((v) => v.id).sort((a, b) => a - b);

  before(async () => {
    lf = org.byName.get('龙凤社区');
    jf = org.byName.get('九凤村');
    mgrUser = (await listAll(admin, '/api/users?q=venue_mgr')).find((u) => u.username === 'venue_mgr');
    assert.ok(lf && jf && mgrUser, 'demo 龙凤社区 / 九凤村 / venue_mgr missing');
    vA = await createVenue(admin, org, { orgUnitId: lf.id, supervisorOrgUnitIds: [sw.id] });
    vB = await createVenue(admin, org, { orgUnitId: jf.id, supervisorOrgUnitIds: [wj.id] });
    vC = await createVenue(admin, org, { orgUnitId: jf.id, supervisorOrgUnitIds: [wj.id, sw.id] });
    vD = await createVenue(admin, org, { orgUnitId: lf.id, supervisorOrgUnitIds: [wj.id], managerUserId: mgrUser.id });
  });

  test('sw_officer sees exactly the venues supervised by 商贸发展岗 (or in it)', async () => {
    const c = await login('sw_officer');
    const seen = await listAll(c, '/api/venues');
    const outside = seen.filter((v) => !v.supervisorOrgUnitIds.includes(sw.id) && v.orgUnitId !== sw.id);
    assert.deepEqual(outside.map((v) => v.name), [], 'sw_officer sees venues of other departments');
    const expected = await listAll(admin, `/api/venues?supervisorOrgUnitId=${sw.id}`);
    assert.deepEqual(vids(seen), vids(expected), 'sw_officer does not see every venue supervised by 商贸发展岗');
    for (const v of [vA, vC]) expectStatus(await c.get(`/api/venues/${v.id}`), 200);
    for (const v of [vB, vD]) {
      expectError(await c.get(`/api/venues/${v.id}`), 404, 'NOT_FOUND');
      expectError(await c.get(`/api/venues/${v.id}/qr.svg`), 404, 'NOT_FOUND');
    }
    // filters and search do not widen the scope
    const byWj = await listAll(c, `/api/venues?supervisorOrgUnitId=${wj.id}`);
    assert.ok(byWj.every((v) => v.supervisorOrgUnitIds.includes(sw.id)), 'filter by another department leaks venues');
    assert.ok(byWj.some((v) => v.id === vC.id), 'a venue supervised by both departments is missing');
    const q = await c.getOk(`/api/venues?q=${encodeURIComponent(vB.name)}`);
    assert.equal(q.total, 0, 'search leaks another department\'s venue');
  });

  test('sw_officer: writes on another department\'s venue are 404; a venue outside the scope cannot be made', async () => {
    const c = await login('sw_officer');
    assert.ok(c.user.permissions.includes('venue:write'), 'officer lacks venue:write');
    expectError(await c.put(`/api/venues/${vB.id}`, venueBody(org, { name: vB.name, orgUnitId: jf.id, supervisorOrgUnitIds: [wj.id] })), 404, 'NOT_FOUND');
    assert.equal((await admin.getOk(`/api/venues/${vB.id}`)).updatedAt, vB.updatedAt, 'out-of-scope PUT took effect');
    // in scope: allowed
    const mine = expectStatus(await c.post('/api/venues', venueBody(org, { orgUnitId: jf.id, supervisorOrgUnitIds: [sw.id] })), 201);
    expectStatus(await c.put(`/api/venues/${mine.id}`, venueBody(org, { name: mine.name, orgUnitId: jf.id, supervisorOrgUnitIds: [sw.id, wj.id] })), 200);
    // creating or moving a venue out of one's scope is refused
    const name = `越权场所${uid('v')}`;
    const out = await c.post('/api/venues', venueBody(org, { name, orgUnitId: jf.id, supervisorOrgUnitIds: [wj.id] }));
    assert.ok([400, 403, 404].includes(out.status), `creating a venue outside scope: ${out.status} ${out.text}`);
    assert.equal((await admin.getOk(`/api/venues?q=${encodeURIComponent(name)}`)).total, 0);
    const moved = await c.put(`/api/venues/${mine.id}`, venueBody(org, { name: mine.name, orgUnitId: jf.id, supervisorOrgUnitIds: [wj.id] }));
    assert.ok([400, 403, 404].includes(moved.status), `moving a venue out of scope: ${moved.status} ${moved.text}`);
    assert.ok((await admin.getOk(`/api/venues/${mine.id}`)).supervisorOrgUnitIds.includes(sw.id));
  });

  test('grid_longfeng (本部门及以下 at 龙凤社区) sees exactly the venues of 龙凤社区', async () => {
    const c = await login('grid_longfeng');
    const home = c.user.orgUnit.id;
    assert.equal(home, lf.id, 'grid_longfeng is not in 龙凤社区');
    const under = new Set([home]);
    for (let grew = true; grew;) {
      grew = false;
      for (const u of org.items) if (u.parentId !== null && under.has(u.parentId) && !under.has(u.id)) { under.add(u.id); grew = true; }
    }
    const seen = await listAll(c, '/api/venues');
    assert.deepEqual(seen.filter((v) => !under.has(v.orgUnitId)).map((v) => v.name), [], 'grid_longfeng sees venues outside 龙凤社区');
    assert.deepEqual(vids(seen), vids(await listAll(admin, `/api/venues?orgUnitId=${lf.id}`)), 'grid_longfeng misses venues of 龙凤社区');
    for (const v of [vA, vD]) expectStatus(await c.get(`/api/venues/${v.id}`), 200);
    for (const v of [vB, vC]) expectError(await c.get(`/api/venues/${v.id}`), 404, 'NOT_FOUND');
    expectError(await c.put(`/api/venues/${vA.id}`, venueBody(org)), 403, 'FORBIDDEN'); // grid has venue:read only
  });

  test('venue_mgr (仅本人) sees only venues it manages or created', async () => {
    const c = await login('venue_mgr');
    assert.equal(c.user.role.dataScope, 'self');
    let seen = await listAll(c, '/api/venues');
    assert.ok(seen.some((v) => v.id === vD.id), 'venue_mgr does not see the venue it manages');
    // venues it created (in an earlier run on this server) are its own too
    const audit = (await admin.getOk('/api/audit-logs?username=venue_mgr&pageSize=200')).items;
    const createdByMgr = new Set(audit.filter((e) => /venue/i.test(e.targetType) && /create/i.test(e.action)).map((e) => String(e.targetId)));
    assert.deepEqual(seen.filter((v) => v.managerUserId !== mgrUser.id && !createdByMgr.has(String(v.id))).map((v) => v.name), [],
      'venue_mgr sees venues it neither manages nor created');
    for (const v of [vA, vB, vC]) expectError(await c.get(`/api/venues/${v.id}`), 404, 'NOT_FOUND');
    expectError(await c.put(`/api/venues/${vA.id}`, venueBody(org, { name: vA.name })), 404, 'NOT_FOUND');
    expectStatus(await c.get(`/api/venues/${vD.id}/qr.svg`), 200);
    // it may edit its own venue, and a venue it creates is its own
    expectStatus(await c.put(`/api/venues/${vD.id}`, venueBody(org, { name: vD.name, supervisorOrgUnitIds: [wj.id], managerUserId: mgrUser.id, address: '新址' })), 200);
    const created = expectStatus(await c.post('/api/venues', venueBody(org)), 201);
    seen = await listAll(c, '/api/venues');
    assert.ok(seen.some((v) => v.id === created.id), 'venue_mgr does not see the venue it created');
    // once another manager is named, a venue the caller neither manages nor created is gone
    expectStatus(await admin.put(`/api/venues/${vD.id}`, venueBody(org, { name: vD.name, supervisorOrgUnitIds: [wj.id] })), 200);
    expectError(await c.get(`/api/venues/${vD.id}`), 404, 'NOT_FOUND');
  });
});

// ---------- town-wide registries: only 仅本人 narrows them ----------
describe('units, people, certificates, machines', () => {
  let u0, p0, c0, m0;
  before(async () => {
    u0 = await createUnit(admin);
    p0 = await createPerson(admin, { unitId: u0.id });
    c0 = await createCertificate(admin, p0, { kind: 'construction_welder', number: `渝S${uid('n')}` });
    m0 = await createMachine(admin, u0.id);
  });

  test('dept-scoped roles see the whole registry', async () => {
    for (const name of ['sw_officer', 'inspector']) {
      const c = await login(name);
      expectStatus(await c.get(`/api/units/${u0.id}`), 200);
      expectStatus(await c.get(`/api/people/${p0.id}`), 200);
      expectStatus(await c.get(`/api/certificates/${c0.id}`), 200);
      if (c.user.permissions.includes('machine:read')) expectStatus(await c.get(`/api/machines/${m0.id}`), 200);
      assert.ok((await c.getOk(`/api/units?q=${u0.creditCode}`)).items.some((x) => x.id === u0.id), `${name}: unit not listed`);
    }
  });

  test('contractor (仅本人) sees and changes only records it created', async () => {
    const c = await login('contractor');
    assert.equal(c.user.role.dataScope, 'self');
    expectError(await c.get(`/api/units/${u0.id}`), 404, 'NOT_FOUND');
    expectError(await c.get(`/api/people/${p0.id}`), 404, 'NOT_FOUND');
    expectError(await c.get(`/api/certificates/${c0.id}`), 404, 'NOT_FOUND');
    expectError(await c.get(`/api/machines/${m0.id}`), 404, 'NOT_FOUND');
    expectError(await c.put(`/api/units/${u0.id}`, unitBody({ creditCode: u0.creditCode })), 404, 'NOT_FOUND');
    expectError(await c.put(`/api/people/${p0.id}`, personBody({ citizenId: p0.rawCitizenId })), 404, 'NOT_FOUND');
    expectError(await c.put(`/api/certificates/${c0.id}`, certBody(p0, { kind: 'construction_welder', number: c0.number })), 404, 'NOT_FOUND');
    expectError(await c.post(`/api/certificates/${c0.id}/verify`, { result: 'match' }), 404, 'NOT_FOUND');
    expectError(await c.put(`/api/machines/${m0.id}`, machineBody(u0.id, { code: m0.code, chipId: m0.chipId })), 404, 'NOT_FOUND');
    for (const [path, rec] of [['/api/units', u0], ['/api/people', p0], ['/api/certificates', c0], ['/api/machines', m0]]) {
      const all = await listAll(c, path);
      assert.ok(!all.some((x) => x.id === rec.id), `${path}: lists another's record`);
    }
    assert.equal((await c.getOk(`/api/units?q=${u0.creditCode}`)).total, 0, 'unit search leaks');
    assert.equal((await c.getOk(`/api/machines?q=${m0.code}`)).total, 0, 'machine search leaks');

    // its own records
    const u1 = await createUnit(c);
    const p1 = await createPerson(c, { unitId: u1.id });
    const c1 = await createCertificate(c, p1, { kind: 'construction_welder', number: `渝T${uid('n')}` });
    const m1 = await createMachine(c, u1.id);
    expectStatus(await c.get(`/api/units/${u1.id}`), 200);
    expectStatus(await c.get(`/api/people/${p1.id}`), 200);
    expectStatus(await c.get(`/api/certificates/${c1.id}`), 200);
    expectStatus(await c.get(`/api/machines/${m1.id}`), 200);
    assert.ok((await listAll(c, '/api/units')).some((x) => x.id === u1.id));
    assert.ok((await listAll(c, '/api/certificates')).some((x) => x.id === c1.id));
    // the export holds its own certificates only
    const { text } = await fetchXlsx(c, '/api/certificates/export.xlsx');
    assert.ok(text.includes(c1.number), 'contractor export lacks its own certificate');
    assert.ok(!text.includes(c0.number), 'contractor export holds another\'s certificate');
    // records outside the scope cannot be referenced (as with ORG_UNIT_NOT_FOUND: "does not exist or is outside the scope")
    const wrong = [];
    const refused = (res, field, what) => {
      if (!(res.status === 400 && res.json?.field === field)) wrong.push(`${what}: ${show(res)}`);
    };
    refused(await c.post('/api/people', personBody({ unitId: u0.id })), 'unitId', 'a person in another\'s unit');
    refused(await c.put(`/api/people/${p1.id}`, { name: p1.name, citizenId: p1.rawCitizenId, phone: p1.rawPhone, unitId: u0.id }), 'unitId', 'moving one\'s person into another\'s unit');
    refused(await c.post('/api/machines', machineBody(u0.id)), 'unitId', 'a machine of another\'s unit');
    refused(await c.post('/api/certificates', certBody(p0, { kind: 'construction_welder', number: `渝U${uid('n')}` })), 'personId', 'a certificate for another\'s person');
    assert.deepEqual(wrong, []);
  });
});

// ---------- personal data masking ----------
describe('masking of ID numbers and phones (person:pii)', () => {
  let p, cert;
  before(async () => {
    p = await createPerson(admin, { name: '脱敏测试' });
    cert = await createCertificate(admin, p, { kind: 'construction_welder', number: `渝M${uid('n')}` });
  });

  test('callers without person:pii see 5001**********123X and 139****0001', async () => {
    for (const name of ['sw_officer', 'inspector', 'grid_longfeng']) {
      const c = await login(name);
      assert.ok(!c.user.permissions.includes('person:pii'), `${name} has person:pii`);
      const got = await c.getOk(`/api/people/${p.id}`);
      assert.equal(got.citizenId, maskCitizenId(p.rawCitizenId), `${name}: citizenId not masked`);
      assert.equal(got.phone, maskPhone(p.rawPhone), `${name}: phone not masked`);
      const listed = (await listAll(c, `/api/people?q=${encodeURIComponent('脱敏测试')}`)).find((x) => x.id === p.id);
      assert.equal(listed?.citizenId, maskCitizenId(p.rawCitizenId), `${name}: list citizenId not masked`);
      assert.equal(listed?.phone, maskPhone(p.rawPhone), `${name}: list phone not masked`);
      const cc = await c.getOk(`/api/certificates/${cert.id}`);
      assert.equal(cc.citizenId, maskCitizenId(p.rawCitizenId), `${name}: certificate citizenId not masked`);
      assert.equal(got.certificates.find((x) => x.id === cert.id)?.citizenId, maskCitizenId(p.rawCitizenId), `${name}: detail certificate not masked`);
      const all = JSON.stringify(await c.getOk(`/api/certificates?personId=${p.id}`));
      assert.ok(!all.includes(p.rawCitizenId) && !all.includes(p.rawPhone), `${name}: certificate list leaks the ID or phone`);
      const { text } = await fetchXlsx(c, `/api/certificates/export.xlsx?personId=${p.id}`);
      assert.ok(text.includes(cert.number), `${name}: export lacks the certificate`);
      assert.ok(!text.includes(p.rawCitizenId), `${name}: export leaks the citizen ID`);
      assert.ok(text.includes(maskCitizenId(p.rawCitizenId)), `${name}: export lacks the masked citizen ID`);
    }
  });

  test('a caller with person:pii sees them in full by giving a reason, and in exports; the contract grants it to admin only', async () => {
    const role = await createRole(admin, { dataScope: 'dept', permissions: ['person:read', 'person:pii'] });
    const { client } = await createUserAndLogin(admin, { orgUnitId: sw.id, roleId: role.id });
    assert.equal((await client.getOk(`/api/people/${p.id}`)).citizenId, maskCitizenId(p.rawCitizenId));
    const got = expectStatus(await client.post(`/api/people/${p.id}/reveal`, { reason: '核对证书持有人' }), 200);
    assert.equal(got.citizenId, p.rawCitizenId);
    assert.equal(got.phone, p.rawPhone);
    assert.equal(got.certificates.find((x) => x.id === cert.id)?.citizenId, p.rawCitizenId);
    assert.equal((await client.getOk(`/api/certificates/${cert.id}`)).citizenId, maskCitizenId(p.rawCitizenId));
    const { text } = await fetchXlsx(client, `/api/certificates/export.xlsx?personId=${p.id}`);
    assert.ok(text.includes(p.rawCitizenId), 'export with person:pii lacks the citizen ID');
    for (const name of ['sw_officer', 'grid_longfeng', 'venue_mgr', 'contractor', 'inspector']) {
      const c = await login(name);
      assert.ok(!c.user.permissions.includes('person:pii'), `${name} has person:pii`);
    }
  });

  test('contractor (no person:pii) sees its own people masked too', async () => {
    const c = await login('contractor');
    const mine = await createPerson(c);
    const got = await c.getOk(`/api/people/${mine.id}`);
    assert.equal(got.citizenId, maskCitizenId(mine.rawCitizenId));
    assert.equal(got.phone, maskPhone(mine.rawPhone));
  });
});
