// Organisation units: tree listing, create, update, delete, not-empty rule.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  login, expectError, expectStatus, orgUnits, roles, createOrgUnit, createUser, uid,
  DEPARTMENTS, MISSING_ID,
} from './lib.mjs';

let admin, org, officerRole;

before(async () => {
  admin = await login('admin');
  org = await orgUnits(admin);
  officerRole = (await roles(admin)).byKey.get('officer');
});

const ORG_KEYS = ['id', 'parentId', 'kind', 'name', 'code', 'sort', 'userCount'];

test('list: one town root, the nine departments under it, shapes and kinds', async () => {
  const { items } = org;
  const towns = items.filter((u) => u.parentId === null);
  assert.equal(towns.length, 1, 'expected exactly one root');
  assert.equal(towns[0].kind, 'town');
  for (const u of items) {
    for (const k of ORG_KEYS) assert.ok(k in u, `OrgUnit ${u.name} lacks ${k}`);
    assert.ok(['town', 'department', 'village', 'grid'].includes(u.kind), `bad kind ${u.kind}`);
    if (u.parentId !== null) assert.ok(items.some((p) => p.id === u.parentId), `${u.name}: parent not in list`);
    assert.ok(Number.isInteger(u.userCount) && u.userCount >= 0);
  }
  for (const name of DEPARTMENTS) {
    const d = org.byName.get(name);
    assert.ok(d, `department ${name} missing`);
    assert.equal(d.kind, 'department');
    assert.equal(d.parentId, org.town.id);
  }
  assert.ok(org.byName.get('商贸发展岗').userCount >= 1, 'userCount of 商贸发展岗 should count sw_officer');
  const villages = items.filter((u) => u.kind === 'village');
  assert.ok(villages.length >= 1, 'demo town has no village/community');
  assert.ok(items.some((u) => u.name.includes('龙凤')), '龙凤社区 missing');
});

test('list is sorted: siblings in (sort, id) order', async () => {
  const byParent = new Map();
  for (const u of org.items) {
    if (!byParent.has(u.parentId)) byParent.set(u.parentId, []);
    byParent.get(u.parentId).push(u);
  }
  for (const [parent, kids] of byParent) {
    for (let i = 1; i < kids.length; i++) {
      const a = kids[i - 1], b = kids[i];
      assert.ok(a.sort < b.sort || (a.sort === b.sort && a.id < b.id), `children of ${parent}: ${a.name} (${a.sort}) before ${b.name} (${b.sort})`);
    }
  }
});

test('duplicate name under the same parent → 409 ORG_UNIT_NAME_TAKEN; same name elsewhere is fine', async () => {
  const name = `重名${uid('o')}`;
  await createOrgUnit(admin, { parentId: org.town.id, name });
  expectError(await admin.post('/api/org-units', { parentId: org.town.id, kind: 'department', name }), 409, 'ORG_UNIT_NAME_TAKEN', 'name');
  const village = await createOrgUnit(admin, { parentId: org.town.id, kind: 'village' });
  expectStatus(await admin.post('/api/org-units', { parentId: village.id, kind: 'grid', name }), 201);
  const other = await createOrgUnit(admin, { parentId: org.town.id });
  expectError(await admin.put(`/api/org-units/${other.id}`, { name }), 409, 'ORG_UNIT_NAME_TAKEN', 'name');
});

test('create → 201; appears in the list; update → 200', async () => {
  const name = `测试岗${uid('o')}`;
  const code = uid('c');
  const res = await admin.post('/api/org-units', { parentId: org.town.id, kind: 'department', name, code, sort: 77 });
  const u = expectStatus(res, 201);
  for (const k of ORG_KEYS) assert.ok(k in u, `OrgUnit lacks ${k}`);
  assert.equal(u.name, name);
  assert.equal(u.code, code);
  assert.equal(u.sort, 77);
  assert.equal(u.parentId, org.town.id);
  assert.equal(u.kind, 'department');
  assert.equal(u.userCount, 0);
  const { items } = await admin.getOk('/api/org-units');
  assert.deepEqual(items.find((x) => x.id === u.id), u);

  const upd = expectStatus(await admin.put(`/api/org-units/${u.id}`, { name: `${name}改`, sort: 5 }), 200);
  assert.equal(upd.name, `${name}改`);
  assert.equal(upd.sort, 5);
  assert.equal(upd.kind, 'department');
  assert.equal(upd.parentId, org.town.id);
});

test('create without optional code / sort works', async () => {
  const u = expectStatus(await admin.post('/api/org-units', { parentId: org.town.id, kind: 'village', name: `测试村${uid('v')}` }), 201);
  assert.equal(typeof u.code, 'string');
  assert.ok(Number.isInteger(u.sort));
});

test('village → grid hierarchy; a unit with children cannot be deleted', async () => {
  const village = await createOrgUnit(admin, { parentId: org.town.id, kind: 'village' });
  const grid = await createOrgUnit(admin, { parentId: village.id, kind: 'grid', name: `网格${uid('g')}` });
  assert.equal(grid.parentId, village.id);
  expectError(await admin.del(`/api/org-units/${village.id}`), 409, 'ORG_UNIT_NOT_EMPTY');
  expectStatus(await admin.del(`/api/org-units/${grid.id}`), 200);
  expectStatus(await admin.del(`/api/org-units/${village.id}`), 200);
});

test('a unit with users cannot be deleted; after moving the user out it can', async () => {
  const d = await createOrgUnit(admin, { parentId: org.town.id });
  const { user } = await createUser(admin, { orgUnitId: d.id, roleId: officerRole.id });
  const { items } = await admin.getOk('/api/org-units');
  assert.equal(items.find((x) => x.id === d.id).userCount, 1, 'userCount not updated');
  expectError(await admin.del(`/api/org-units/${d.id}`), 409, 'ORG_UNIT_NOT_EMPTY');
  assert.ok((await admin.getOk('/api/org-units')).items.some((x) => x.id === d.id), 'a refused delete removed the unit');

  expectStatus(await admin.put(`/api/users/${user.id}`, {
    name: user.name, phone: user.phone, orgUnitId: org.byName.get('商贸发展岗').id, roleId: officerRole.id,
  }), 200);
  assert.deepEqual(expectStatus(await admin.del(`/api/org-units/${d.id}`), 200), { ok: true });
  assert.ok(!(await admin.getOk('/api/org-units')).items.some((x) => x.id === d.id), 'deleted unit still listed');
  expectError(await admin.del(`/api/org-units/${d.id}`), 404, 'NOT_FOUND');
  expectError(await admin.put(`/api/org-units/${d.id}`, { name: 'x' }), 404, 'NOT_FOUND');
});

test('the town root cannot be deleted', async () => {
  expectError(await admin.del(`/api/org-units/${org.town.id}`), 409, 'ORG_UNIT_NOT_EMPTY');
});

test('validation: REQUIRED, INVALID_VALUE (kind, parentId), TOO_LONG, INVALID_TYPE', async () => {
  const base = { parentId: org.town.id, kind: 'department', name: `校验${uid('o')}` };
  for (const f of ['parentId', 'kind', 'name']) {
    const b = { ...base };
    delete b[f];
    expectError(await admin.post('/api/org-units', b), 400, 'REQUIRED', f);
  }
  expectError(await admin.post('/api/org-units', { ...base, kind: 'planet' }), 400, 'INVALID_VALUE', 'kind');
  expectError(await admin.post('/api/org-units', { ...base, parentId: MISSING_ID }), 400, 'ORG_UNIT_NOT_FOUND', 'parentId');
  const village = await createOrgUnit(admin, { parentId: org.town.id, kind: 'village' });
  expectError(await admin.post('/api/org-units', { ...base, parentId: village.id }), 400, 'ORG_KIND_MISMATCH', 'parentId');
  expectError(await admin.post('/api/org-units', { ...base, kind: 'grid' }), 400, 'ORG_KIND_MISMATCH', 'parentId');
  expectError(await admin.post('/api/org-units', { ...base, name: '长'.repeat(5000) }), 400, 'TOO_LONG', 'name');
  expectError(await admin.post('/api/org-units', { ...base, sort: 'first' }), 400, 'INVALID_TYPE', 'sort');
  const empty = await admin.post('/api/org-units', { ...base, name: '' });
  assert.ok(empty.status === 400 && ['REQUIRED', 'INVALID_VALUE'].includes(empty.json?.code) && empty.json.field === 'name',
    `empty name: ${empty.status} ${empty.text}`);
  // a second town is not allowed under the town
  const t = await admin.post('/api/org-units', { ...base, kind: 'town' });
  expectError(t, 400, 'INVALID_VALUE', 'kind');
  const u = await createOrgUnit(admin, { parentId: org.town.id });
  expectError(await admin.put(`/api/org-units/${u.id}`, { sort: 1 }), 400, 'REQUIRED', 'name');
  expectError(await admin.put(`/api/org-units/${u.id}`, { name: 'x', kind: 'grid' }), 400, 'UNKNOWN_FIELD', 'kind');
});

test('users without org:write cannot change org units; auditor cannot even read', async () => {
  const sw = await login('sw_officer');
  const res = await sw.post('/api/org-units', {});
  if (sw.user.permissions.includes('org:write')) assert.equal(res.status, 400);
  else expectError(res, 403, 'FORBIDDEN');
  const aud = await login('auditor');
  expectError(await aud.get('/api/org-units'), 403, 'FORBIDDEN');
});
