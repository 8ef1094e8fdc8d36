// 小型工程备案 (docs/openapi.yaml, tag small-projects): filing by a contractor (BA-YYYY-NNNN, audit row), every bad
// field refused with its code and field and nothing written, the over-limit flag, accept → guide / unannounced check →
// finish, return → correction by the filer only → resubmitted, every command from a wrong state (409
// PROJECT_STATE_INVALID), permissions (route guards and finish by the filer or the department only), data scope
// (the receiving department and the venue's supervisors see it, another department does not; a filer sees only
// their own), and the permits at the venue within the project's dates. Every project here has TAG in its name.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  login, describe, expectError, uid, orgUnits, createVenue, createUnit, randomPhone, localDate, MISSING_ID, assertPhoneSealed,
} from './lib.mjs';

const TAG = uid('ba');
const NUMBER = /^BA-(\d{4})-(\d{4,})$/;
const c = {};
let org, venue, unit;

before(async () => {
  for (const [k, u] of [['admin', 'admin'], ['sw', 'sw_officer'], ['wj', 'wj_officer'], ['contractor', 'contractor'], ['vm', 'venue_mgr'], ['grid', 'grid_longfeng']]) {
    c[k] = await login(u);
  }
  org = await orgUnits(c.admin);
  // 龙凤社区, supervised by 商贸发展岗 (sw_officer's department); 文教体旅岗 (wj_officer) has nothing to do with it
  venue = await createVenue(c.admin, org, { name: `备案测试商场${uid('v')}` });
  unit = await createUnit(c.admin, { name: `备案测试装饰公司${uid('n')}` });
});

const body = (over = {}) => ({
  venueId: venue.id,
  unitId: unit.id,
  orgUnitId: org.byName.get('规建环保岗').id,
  name: `${TAG} 二层餐厅装修改造`,
  kind: 'decorate',
  location: '二层东侧餐厅后厨',
  investment: 18.5,
  area: 260,
  plannedStart: localDate(1),
  plannedEnd: localDate(20),
  hotWorkMethods: ['electric_welding', 'gas_cutting'],
  fireMeasures: '动火区域用不燃材料分隔，配置灭火器 4 具，专人监护，营业期间不动火',
  siteManager: '周现场',
  sitePhone: randomPhone(),
  ...over,
});

/** POST /api/small-projects; asserts 201 and `submitted`. */
async function file(client, over = {}) {
  const res = await client.post('/api/small-projects', body(over));
  assert.equal(res.status, 201, `file: ${describe(res)}`);
  assert.equal(res.json.state, 'submitted');
  return res.json;
}
/** A command; asserts 200 and the state. */
async function cmd(client, p, name, payload, state) {
  const res = await client.post(`/api/small-projects/${p.id}/${name}`, payload);
  assert.equal(res.status, 200, `${name}: ${describe(res)}`);
  assert.equal(res.json.state, state, `${name}: state`);
  return res.json;
}
const total = async () => (await c.admin.getOk(`/api/small-projects?q=${encodeURIComponent(TAG)}&pageSize=1`)).total;

test('the department picker: filers and org readers get the town\'s departments, others are refused', async () => {
  const { items } = await c.contractor.getOk('/api/lookups/departments');
  assert.deepEqual(items.map((d) => d.id).sort(), org.items.filter((u) => u.kind === 'department').map((u) => u.id).sort());
  assert.ok(items.some((d) => d.name === '规建环保岗'));
  expectError(await (await login('welder')).get('/api/lookups/departments'), 403, 'FORBIDDEN');
});

test('a contractor files a project: numbered, submitted, labelled, timed, audited', async () => {
  const p = await file(c.contractor);
  assert.match(p.number, NUMBER);
  assert.equal(NUMBER.exec(p.number)[1], localDate(0).slice(0, 4));
  assert.equal(p.stateLabel, '待受理');
  assert.equal(p.kindLabel, '装饰装修');
  assert.equal(p.venueName, venue.name);
  assert.equal(p.unitName, unit.name);
  assert.equal(p.orgUnitName, '规建环保岗');
  assert.deepEqual(p.hotWorkMethods, ['electric_welding', 'gas_cutting']);
  assert.equal(p.hotWorkMethodLabels.length, 2);
  for (const label of p.hotWorkMethodLabels) assert.match(label, /[\u4e00-\u9fff]/);
  assert.equal(p.investment, 18.5);
  assert.equal(p.overLimit, false);
  assert.deepEqual(p.timeline.map((e) => e.action), ['submit']);
  assert.equal(p.timeline[0].by, (await c.contractor.getOk('/api/auth/me')).user.name);
  const second = await file(c.contractor);
  assert.equal(Number(NUMBER.exec(second.number)[2]), Number(NUMBER.exec(p.number)[2]) + 1, 'numbers follow each other');
  const audit = await c.admin.getOk(`/api/audit-logs?action=small_project.file&targetId=${p.id}`);
  assert.equal(audit.items.length, 1);
  assert.match(p.sitePhone, /^1\d{10}$/);
  assertPhoneSealed({ table: 'small_projects', column: 'site_phone', id: p.id, phone: p.sitePhone, targetType: 'small_project' });
});

test('bad fields are refused with their code and field, and nothing is written', async () => {
  const before = await total();
  const cases = [
    [{ name: '' }, 'REQUIRED', 'name'],
    [{ name: 'x'.repeat(101) }, 'TOO_LONG', 'name'],
    [{ kind: 'palace' }, 'INVALID_VALUE', 'kind'],
    [{ location: undefined }, 'REQUIRED', 'location'],
    [{ investment: -1 }, 'INVALID_VALUE', 'investment'],
    [{ investment: '18' }, 'INVALID_TYPE', 'investment'],
    [{ area: 2e6 }, 'INVALID_VALUE', 'area'],
    [{ plannedStart: '2026-13-01' }, 'INVALID_VALUE', 'plannedStart'],
    [{ plannedEnd: localDate(0) }, 'INVALID_VALUE', 'plannedEnd'],
    [{ hotWorkMethods: [] }, 'REQUIRED', 'hotWorkMethods'],
    [{ hotWorkMethods: ['magic_fire'] }, 'INVALID_VALUE', 'hotWorkMethods'],
    [{ sitePhone: '12345' }, 'INVALID_VALUE', 'sitePhone'],
    [{ venueId: MISSING_ID }, 'VENUE_NOT_FOUND', 'venueId'],
    [{ unitId: MISSING_ID }, 'UNIT_NOT_FOUND', 'unitId'],
    [{ orgUnitId: org.byName.get('龙凤社区').id }, 'ORG_UNIT_NOT_FOUND', 'orgUnitId'],
    [{ owner: '甲方' }, 'UNKNOWN_FIELD', 'owner'],
  ];
  for (const [over, code, field] of cases) {
    const b = body(over);
    for (const [k, v] of Object.entries(over)) if (v === undefined) delete b[k];
    const res = await c.contractor.post('/api/small-projects', b);
    expectError(res, 400, code, field);
    assert.match(res.json.message, /[\u4e00-\u9fff]/, `${field}: message not Chinese`);
  }
  assert.equal(await total(), before, 'a refused filing was written');
});

test('a project above both limits is flagged for the reviewer, not refused', async () => {
  assert.equal((await file(c.contractor, { investment: 50, area: 800 })).overLimit, true);
  assert.equal((await file(c.contractor, { investment: 50, area: 200 })).overLimit, false, 'small by area');
  assert.equal((await file(c.contractor, { investment: 20, area: 800 })).overLimit, false, 'small by investment');
});

test('accept, guidance and an unannounced check, finish by the filer; wrong states are refused', async () => {
  const p = await file(c.contractor);
  // route guards: the filer cannot accept, the grid worker cannot file
  expectError(await c.contractor.post(`/api/small-projects/${p.id}/accept`, {}), 403, 'FORBIDDEN');
  expectError(await c.grid.post('/api/small-projects', body()), 403, 'FORBIDDEN');
  expectError(await c.sw.post(`/api/small-projects/${p.id}/guide`, { note: '过早' }), 409, 'PROJECT_STATE_INVALID');
  expectError(await c.sw.post(`/api/small-projects/${p.id}/finish`, {}), 409, 'PROJECT_STATE_INVALID');
  await cmd(c.sw, p, 'accept', { note: '材料齐全' }, 'accepted');
  expectError(await c.sw.post(`/api/small-projects/${p.id}/accept`, {}), 409, 'PROJECT_STATE_INVALID');
  expectError(await c.sw.post(`/api/small-projects/${p.id}/return`, { reason: '晚了' }), 409, 'PROJECT_STATE_INVALID');
  expectError(await c.contractor.put(`/api/small-projects/${p.id}`, body()), 409, 'PROJECT_STATE_INVALID');
  expectError(await c.sw.post(`/api/small-projects/${p.id}/guide`, {}), 400, 'REQUIRED', 'note');
  await cmd(c.sw, p, 'guide', { note: '现场指导：灭火器摆放到位' }, 'accepted');
  const checked = await cmd(c.sw, p, 'guide', { note: '暗访：动火时有专人监护', unannounced: true }, 'accepted');
  assert.deepEqual(checked.timeline.map((e) => e.action), ['submit', 'accept', 'guide', 'check']);
  assert.deepEqual(checked.timeline.map((e) => e.actionLabel), ['提交备案', '受理备案', '安全指导', '暗访检查']);
  // the grid worker may read it but neither finish it nor guide it
  expectError(await c.grid.post(`/api/small-projects/${p.id}/finish`, {}), 403, 'FORBIDDEN');
  expectError(await c.grid.post(`/api/small-projects/${p.id}/guide`, { note: '网格' }), 403, 'FORBIDDEN');
  const done = await cmd(c.contractor, p, 'finish', { note: '已完工' }, 'finished');
  assert.equal(done.stateLabel, '已完工');
  expectError(await c.contractor.post(`/api/small-projects/${p.id}/finish`, {}), 409, 'PROJECT_STATE_INVALID');
  expectError(await c.sw.post(`/api/small-projects/${p.id}/guide`, { note: '完工后' }), 409, 'PROJECT_STATE_INVALID');
  const actions = (await c.admin.getOk(`/api/audit-logs?targetType=small_project&targetId=${p.id}&pageSize=50`)).items.map((a) => a.action).sort();
  assert.deepEqual(actions, ['small_project.accept', 'small_project.check', 'small_project.file', 'small_project.finish', 'small_project.guide']);
});

test('returned for correction: only the filer corrects it, and it is submitted again', async () => {
  const p = await file(c.contractor);
  expectError(await c.sw.post(`/api/small-projects/${p.id}/return`, {}), 400, 'REQUIRED', 'reason');
  const returned = await cmd(c.sw, p, 'return', { reason: '缺少防火分隔方案' }, 'returned');
  assert.equal(returned.stateReason, '缺少防火分隔方案');
  expectError(await c.sw.post(`/api/small-projects/${p.id}/accept`, {}), 409, 'PROJECT_STATE_INVALID');
  // another user who may file (the admin sees everything) is not the filer
  expectError(await c.admin.put(`/api/small-projects/${p.id}`, body()), 403, 'FORBIDDEN');
  // a bad correction changes nothing
  expectError(await c.contractor.put(`/api/small-projects/${p.id}`, body({ sitePhone: 'abc' })), 400, 'INVALID_VALUE', 'sitePhone');
  assert.equal((await c.contractor.getOk(`/api/small-projects/${p.id}`)).state, 'returned');
  const res = await c.contractor.put(`/api/small-projects/${p.id}`, body({ fireMeasures: '增设防火卷帘分隔，配置灭火器 6 具', location: '二层西侧' }));
  assert.equal(res.status, 200, describe(res));
  assert.equal(res.json.state, 'submitted');
  assert.equal(res.json.stateReason, '');
  assert.equal(res.json.location, '二层西侧');
  assert.equal(res.json.version, p.version + 2);
  assert.deepEqual(res.json.timeline.map((e) => e.action), ['submit', 'return', 'resubmit']);
  assert.equal(res.json.timeline[1].note, '缺少防火分隔方案');
  await cmd(c.sw, res.json, 'accept', {}, 'accepted');
});

test('data scope: the receiving department and the venue supervisors see it; other departments and other filers do not', async () => {
  const p = await file(c.contractor);
  const ids = async (client) => (await client.getOk(`/api/small-projects?q=${encodeURIComponent(TAG)}&pageSize=200`)).items.map((x) => x.id);
  assert.ok((await ids(c.sw)).includes(p.id), 'the venue\'s supervising department');
  assert.ok((await ids(c.contractor)).includes(p.id), 'the filer');
  assert.ok(!(await ids(c.wj)).includes(p.id), 'another department');
  assert.equal((await c.wj.get(`/api/small-projects/${p.id}`)).status, 404);
  expectError(await c.wj.post(`/api/small-projects/${p.id}/accept`, {}), 404, 'NOT_FOUND');
  // filed by the admin: the contractor does not see it, and the venue manager of another venue does not either
  const other = await file(c.admin);
  assert.ok(!(await ids(c.contractor)).includes(other.id), 'another filer\'s project');
  assert.equal((await c.vm.get(`/api/small-projects/${other.id}`)).status, 404);
  // filters
  const accepted = await c.admin.getOk(`/api/small-projects?q=${encodeURIComponent(TAG)}&state=accepted&pageSize=200`);
  assert.ok(accepted.items.every((x) => x.state === 'accepted'));
  expectError(await c.admin.get('/api/small-projects?state=dreaming'), 400, 'INVALID_VALUE', 'state');
  const byVenue = await c.admin.getOk(`/api/small-projects?venueId=${venue.id}&pageSize=200`);
  assert.ok(byVenue.items.length >= 2 && byVenue.items.every((x) => x.venueId === venue.id));
});

test('the detail lists the permits at the venue that start within the project\'s dates', async () => {
  const permit = (await c.admin.getOk("/api/permits?pageSize=1")).items[0];
  assert.ok(permit, 'the demo has no permit');
  const day = new Date(Date.parse(permit.plannedStart) + 8 * 3600e3).toISOString().slice(0, 10);
  const around = await file(c.admin, { venueId: permit.venue.id, plannedStart: day, plannedEnd: day });
  const detail = await c.admin.getOk(`/api/small-projects/${around.id}`);
  assert.ok(detail.permits.some((x) => x.id === permit.id && x.number === permit.number), 'the permit of that day is not listed');
  const later = new Date(Date.parse(`${day}T00:00:00Z`) + 400 * 86400e3).toISOString().slice(0, 10);
  const after = await file(c.admin, { venueId: permit.venue.id, plannedStart: later, plannedEnd: later });
  assert.ok(!(await c.admin.getOk(`/api/small-projects/${after.id}`)).permits.some((x) => x.id === permit.id), 'a permit outside the dates is listed');
});

test('the receiving department is told of a filing, and again when it is corrected and filed again', async () => {
  const gj = await login('gj_officer');
  const told = async () => (await gj.getOk('/api/notifications?pageSize=100')).items.filter((n) => n.event === 'project.submitted');
  const before = (await told()).length;
  const p = await file(c.contractor);
  const mine = (await told()).filter((n) => n.link === `/small-projects/${p.id}`);
  assert.equal(mine.length, 1);
  assert.match(mine[0].title, new RegExp(TAG));
  assert.match(mine[0].body, new RegExp(p.number));
  await cmd(c.admin, p, 'return', { reason: '补充' }, 'returned');
  expectError(await c.contractor.put(`/api/small-projects/${p.id}`, body({ sitePhone: 'bad' })), 400, 'INVALID_VALUE', 'sitePhone');
  assert.equal((await told()).length, before + 1, 'a refused correction told the department');
  assert.equal((await c.contractor.put(`/api/small-projects/${p.id}`, body())).status, 200);
  assert.equal((await told()).length, before + 2);
  // another department's officer is not told
  assert.equal((await c.sw.getOk('/api/notifications?pageSize=100')).items.filter((n) => n.link === `/small-projects/${p.id}`).length, 0);
});

test('the filer is told when the filing is returned and when it is accepted, and no one else is', async () => {
  const p = await file(c.contractor);
  const told = async (client) => (await client.getOk('/api/notifications?pageSize=100')).items.filter((n) => n.event === 'project.reviewed' && n.link === `/small-projects/${p.id}`);
  await cmd(c.admin, p, 'return', { reason: '请补充防火分隔做法' }, 'returned');
  let mine = await told(c.contractor);
  assert.equal(mine.length, 1);
  assert.match(mine[0].title, /退回补正/);
  assert.match(mine[0].body, /请补充防火分隔做法/);
  assert.equal((await c.contractor.put(`/api/small-projects/${p.id}`, body())).status, 200);
  await cmd(c.admin, p, 'accept', {}, 'accepted');
  mine = await told(c.contractor);
  assert.equal(mine.length, 2);
  assert.ok(mine.some((n) => /已备案/.test(n.title)));
  assert.equal((await told(c.vm)).length, 0, 'the venue manager is not the filer');
});
