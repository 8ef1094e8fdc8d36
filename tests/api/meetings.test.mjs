// 培训、警示教育、约谈与调度会商 (docs/openapi.yaml, tag meetings): a department records a training with the venues,
// units and registered people who attended (organiser = its own department, headcount at least the people named,
// audit row); every bad field refused with its code and field and nothing written; an interview names whom it
// interviewed; data scope (the organiser's department; another department only the trainings naming people; a venue
// manager sees the records naming their venue, a contractor those naming their unit); filters by party, kind and dates; corrections by the recorder only;
// the summary by organiser and kind. Every record here has TAG in its title.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  login, describe, expectError, uid, localDate, permitWorld, createOpenVenue, createUnit, createPerson, createUserAndLogin, MISSING_ID,
} from './lib.mjs';

const TAG = uid('hy');
const c = {};
let world, venue, otherVenue, unit, people, sw2;

before(async () => {
  for (const [k, u] of [['admin', 'admin'], ['sw', 'sw_officer'], ['wj', 'wj_officer'], ['grid', 'grid_longfeng'], ['vm', 'venue_mgr'],
    ['contractor', 'contractor'], ['welder', 'welder']]) {
    c[k] = await login(u);
  }
  world = await permitWorld(c.admin);
  venue = await createOpenVenue(c.admin, world, world.users.get('venue_mgr').id, { name: `培训测试场所${uid('v')}` });
  otherVenue = await createOpenVenue(c.admin, world, null, { name: `培训他人场所${uid('v')}` });
  unit = world.unit; // the demo contractor's unit
  people = [await createPerson(c.admin, { name: '培训学员甲', unitId: unit.id }), await createPerson(c.admin, { name: '培训学员乙', unitId: unit.id })];
  sw2 = (await createUserAndLogin(c.admin, { orgUnitId: world.org.byName.get('商贸发展岗').id, roleId: world.roles.get('officer').id })).client;
});

const body = (over = {}) => ({
  kind: 'training',
  title: `${TAG} 动火作业安全培训`,
  heldOn: localDate(-3),
  place: '镇政府三楼会议室',
  content: '讲解人员密集场所动火作业"六必须"、动火作业证办理流程和典型事故案例',
  headcount: 35,
  venueIds: [venue.id],
  unitIds: [unit.id],
  personIds: people.map((p) => p.id),
  ...over,
});
async function record(client, over = {}) {
  const res = await client.post('/api/meetings', body(over));
  assert.equal(res.status, 201, describe(res));
  return res.json;
}
const total = async () => (await c.admin.getOk(`/api/meetings?q=${encodeURIComponent(TAG)}&pageSize=1`)).total;
const ids = async (client, query = '') => (await client.getOk(`/api/meetings?q=${encodeURIComponent(TAG)}&pageSize=100${query}`)).items.map((m) => m.id);

test('a department records a training: its own organiser, the parties, labelled and audited', async () => {
  const m = await record(c.sw);
  assert.equal(m.kind, 'training');
  assert.equal(m.kindLabel, '安全培训');
  assert.equal(m.orgUnitName, '商贸发展岗');
  assert.equal(m.headcount, 35);
  assert.deepEqual(m.venues.map((v) => v.id), [venue.id]);
  assert.deepEqual(m.units.map((u) => u.id), [unit.id]);
  assert.deepEqual(m.people.map((p) => p.id).sort(), people.map((p) => p.id).sort());
  assert.equal(m.people[0].unitName, unit.name);
  const audit = await c.admin.getOk(`/api/audit-logs?action=meeting.create&targetId=${m.id}`);
  assert.equal(audit.items.length, 1);
  // No headcount: the people named are the headcount.
  const n = await record(c.sw, { headcount: undefined, title: `${TAG} 无人数` });
  assert.equal(n.headcount, 2);
  // In the list: counts and the first party names, without the content.
  const item = (await c.sw.getOk(`/api/meetings?q=${encodeURIComponent(TAG)}&pageSize=100`)).items.find((x) => x.id === m.id);
  assert.deepEqual([item.venueCount, item.unitCount, item.personCount], [1, 1, 2]);
  assert.deepEqual(item.partyNames, [venue.name, unit.name]);
  assert.equal(item.content, undefined);
});

test('bad records: each field refused with its code and field, nothing written', async () => {
  const before = await total();
  const cases = [
    [{ kind: 'party' }, 'INVALID_VALUE', 'kind'],
    [{ kind: undefined }, 'REQUIRED', 'kind'],
    [{ title: '' }, 'REQUIRED', 'title'],
    [{ title: '长'.repeat(101) }, 'TOO_LONG', 'title'],
    [{ heldOn: '2026-02-30' }, 'INVALID_VALUE', 'heldOn'],
    [{ heldOn: localDate(1) }, 'INVALID_VALUE', 'heldOn'],
    [{ place: undefined }, 'REQUIRED', 'place'],
    [{ content: ' ' }, 'REQUIRED', 'content'],
    [{ headcount: -1 }, 'INVALID_VALUE', 'headcount'],
    [{ headcount: 1 }, 'INVALID_VALUE', 'headcount'], // fewer than the two people named
    [{ headcount: 0, personIds: [] }, 'REQUIRED', 'headcount'],
    [{ kind: 'interview', venueIds: [], unitIds: [] }, 'REQUIRED', 'venueIds'],
    [{ venueIds: [MISSING_ID] }, 'VENUE_NOT_FOUND', 'venueIds'],
    [{ unitIds: [MISSING_ID] }, 'UNIT_NOT_FOUND', 'unitIds'],
    [{ personIds: [people[0].id, MISSING_ID] }, 'PERSON_NOT_FOUND', 'personIds'],
    [{ personIds: 'x' }, 'INVALID_TYPE', 'personIds'],
    [{ orgUnitId: world.org.byName.get('文教体旅岗').id }, 'ORG_UNIT_NOT_FOUND', 'orgUnitId'], // not sw_officer's department
    [{ orgUnitId: MISSING_ID }, 'ORG_UNIT_NOT_FOUND', 'orgUnitId'],
    [{ extra: 1 }, 'UNKNOWN_FIELD', 'extra'],
  ];
  for (const [over, code, field] of cases) expectError(await c.sw.post('/api/meetings', body(over)), 400, code, field);
  assert.equal(await total(), before, 'nothing written');
  expectError(await c.vm.post('/api/meetings', body()), 403, 'FORBIDDEN');
  expectError(await c.welder.get('/api/meetings'), 403, 'FORBIDDEN');
});

test('scope: the organiser sees it, another department does not; a venue and a unit see the records naming them', async () => {
  const training = await record(c.sw, { title: `${TAG} 范围培训`, venueIds: [] });
  const interview = await record(c.sw, { kind: 'interview', title: `${TAG} 约谈`, venueIds: [venue.id], unitIds: [], personIds: [], headcount: 3,
    content: '营业期间违规动火，限 3 日内完成内部动火审批制度并报送' });
  const other = await record(c.admin, { title: `${TAG} 他处约谈`, kind: 'interview', venueIds: [otherVenue.id], unitIds: [], personIds: [], headcount: 2 });
  assert.equal(other.orgUnitName.length > 0, true);
  const sw = await ids(c.sw);
  assert.ok(sw.includes(training.id) && sw.includes(interview.id));
  // Another department sees a training that names registered people (it belongs with the workers), not the interview.
  const wj = await ids(c.wj);
  assert.ok(wj.includes(training.id), 'a training naming people is hidden from another department');
  assert.ok(!wj.includes(interview.id));
  expectError(await c.wj.get(`/api/meetings/${interview.id}`), 404, 'NOT_FOUND');
  const noPeople = await record(c.sw, { title: `${TAG} 无人员培训`, personIds: [], headcount: 12 });
  expectError(await c.wj.get(`/api/meetings/${noPeople.id}`), 404, 'NOT_FOUND');
  assert.equal((await c.wj.getOk(`/api/meetings/${training.id}`)).orgUnitName, '商贸发展岗');
  const vm = await ids(c.vm);
  assert.ok(vm.includes(interview.id), 'the venue manager sees the interview of their venue');
  assert.ok(!vm.includes(training.id) && !vm.includes(other.id));
  const contractor = await ids(c.contractor);
  assert.ok(contractor.includes(training.id), 'the contractor sees the training of their unit');
  assert.ok(!contractor.includes(interview.id));
  assert.equal((await c.vm.getOk(`/api/meetings/${interview.id}`)).kindLabel, '约谈警示');
  // A village records for itself.
  const g = await record(c.grid, { kind: 'warning', title: `${TAG} 小喇叭宣传`, venueIds: [], unitIds: [], personIds: [], headcount: 120 });
  assert.equal(g.orgUnitName, '龙凤社区');
});

test('filters by party, kind and dates', async () => {
  const a = await record(c.sw, { title: `${TAG} 筛选甲`, heldOn: localDate(-40), personIds: [people[0].id] });
  const b = await record(c.sw, { title: `${TAG} 筛选乙`, kind: 'briefing', heldOn: localDate(-1), venueIds: [], unitIds: [], personIds: [], headcount: 9 });
  assert.ok((await ids(c.sw, `&personId=${people[0].id}`)).includes(a.id));
  assert.ok(!(await ids(c.sw, `&personId=${people[1].id}`)).includes(a.id));
  assert.ok(!(await ids(c.sw, `&venueId=${venue.id}`)).includes(b.id));
  assert.deepEqual((await ids(c.sw, '&kind=briefing')), [b.id]);
  const recent = await ids(c.sw, `&from=${localDate(-7)}&to=${localDate(0)}`);
  assert.ok(recent.includes(b.id) && !recent.includes(a.id));
  expectError(await c.sw.get('/api/meetings?kind=party'), 400, 'INVALID_VALUE', 'kind');
  expectError(await c.sw.get('/api/meetings?from=2026-13-01'), 400, 'INVALID_VALUE', 'from');
});

test('corrections: by the recorder, parties replaced and audited; another officer of the department may not', async () => {
  const m = await record(c.sw, { title: `${TAG} 修改` });
  expectError(await sw2.put(`/api/meetings/${m.id}`, body({ title: `${TAG} 他人修改` })), 403, 'FORBIDDEN');
  expectError(await c.wj.put(`/api/meetings/${m.id}`, body()), 403, 'FORBIDDEN'); // readable (it names people), not theirs
  expectError(await c.sw.put(`/api/meetings/${m.id}`, body({ heldOn: localDate(2) })), 400, 'INVALID_VALUE', 'heldOn');
  const res = await c.sw.put(`/api/meetings/${m.id}`, body({ title: `${TAG} 修改后`, personIds: [people[1].id], headcount: 20 }));
  assert.equal(res.status, 200, describe(res));
  assert.equal(res.json.title, `${TAG} 修改后`);
  assert.deepEqual(res.json.people.map((p) => p.id), [people[1].id]);
  const audit = await c.admin.getOk(`/api/audit-logs?action=meeting.update&targetId=${m.id}`);
  assert.equal(audit.items.length, 1);
  assert.equal((await c.admin.put(`/api/meetings/${m.id}`, body({ title: `${TAG} 专班修改` }))).status, 200, 'the task force (全部数据) may correct');
});

test('summary: per organiser and kind, the count and the people, within scope and dates', async () => {
  const from = localDate(-2);
  const before = await c.sw.getOk(`/api/meetings/summary?from=${from}`);
  const count = (s, kind) => s.items.filter((r) => r.orgUnitName === '商贸发展岗' && r.kind === kind).reduce((n, r) => n + r.count, 0);
  const heads = (s, kind) => s.items.filter((r) => r.orgUnitName === '商贸发展岗' && r.kind === kind).reduce((n, r) => n + r.headcount, 0);
  await record(c.sw, { title: `${TAG} 统计一`, kind: 'warning', heldOn: localDate(-1), headcount: 40 });
  await record(c.sw, { title: `${TAG} 统计二`, kind: 'warning', heldOn: localDate(0), headcount: 15 });
  await record(c.sw, { title: `${TAG} 统计早`, kind: 'warning', heldOn: localDate(-10), headcount: 99 });
  const after = await c.sw.getOk(`/api/meetings/summary?from=${from}`);
  assert.equal(count(after, 'warning') - count(before, 'warning'), 2);
  assert.equal(heads(after, 'warning') - heads(before, 'warning'), 55);
  assert.equal(after.totals.warning.label, '警示教育');
  assert.ok(after.items.every((r) => r.orgUnitName === '商贸发展岗'), 'another department in an officer\'s summary');
  expectError(await c.sw.get('/api/meetings/summary?to=x'), 400, 'INVALID_VALUE', 'to');
});
