// 专项行动 (docs/openapi.yaml, tag campaigns): deploying a campaign with phases and tasks (every bad date, count and
// department refused with its code and field, nothing written), the demo's 今冬明春 campaign (phase, late task,
// completed task, totals), progress reports only by the lead or a helping department (NOT_TASK_DEPARTMENT), completion
// only by the lead department (NOT_LEAD_DEPARTMENT), no report after completion (TASK_DONE), the task totals and the
// hazards found within the campaign's dates by department, permissions, and the audit rows.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { login, describe, expectError, uid, orgUnits, localDate, resetServerClock, MISSING_ID } from './lib.mjs';

const c = {};
let org;

before(async () => {
  for (const [k, u] of [['admin', 'admin'], ['sw', 'sw_officer'], ['wj', 'wj_officer'], ['ms', 'ms_officer'], ['grid', 'grid_longfeng'], ['contractor', 'contractor'], ['inspector', 'inspector']]) {
    c[k] = await login(u);
  }
  org = await orgUnits(c.admin);
});

const dept = (name) => org.byName.get(name).id;
const body = (over = {}) => ({
  name: `测试专项行动${uid('z')}`,
  goal: '除险清患',
  startsOn: localDate(-10),
  endsOn: localDate(50),
  phases: [{ name: '部署发动', from: localDate(-10), to: localDate(-1) }, { name: '组织实施', from: localDate(0), to: localDate(50) }],
  tasks: [
    { title: '商场隐患整治', content: '疏散通道', leadOrgUnitId: dept('商贸发展岗'), helperOrgUnitIds: [dept('文教体旅岗')], dueOn: localDate(30) },
    { title: '已过期的任务', leadOrgUnitId: dept('民政社事岗'), dueOn: localDate(-2) },
  ],
  ...over,
});
const count = async () => (await c.admin.getOk('/api/campaigns')).items.length;

test('the demo town runs 今冬明春消防安全防范 in its 组织实施 phase, with a late task and a completed one', async () => {
  const k = (await c.sw.getOk('/api/campaigns')).items.find((x) => x.name.includes('今冬明春'));
  assert.ok(k, 'no demo campaign');
  assert.equal(k.status, 'active');
  assert.equal(k.currentPhase, '组织实施');
  const d = await c.sw.getOk(`/api/campaigns/${k.id}`);
  assert.equal(d.tasks.length, k.taskCount);
  assert.ok(d.tasks.some((t) => t.late && t.state === 'open'), 'no late task');
  const done = d.tasks.find((t) => t.state === 'done');
  assert.ok(done && done.doneSummary && !done.late, 'no completed task');
  assert.equal(k.lateCount, d.tasks.filter((t) => t.late).length);
  assert.equal(k.doneCount, d.tasks.filter((t) => t.state === 'done').length);
  const first = d.tasks[0];
  const reports = (await c.sw.getOk(`/api/campaign-tasks/${first.id}/reports`)).items;
  assert.equal(first.reportCount, reports.length);
  assert.equal(first.venuesChecked, reports.reduce((s, r) => s + r.venuesChecked, 0));
  assert.ok(Array.isArray(d.hazardStats) && d.hazardStats.length > 0, 'no hazards within the demo campaign');
});

test('deploying: bad dates, counts and departments are refused with their field, and nothing is written', async () => {
  const before = await count();
  const cases = [
    [{ name: '' }, 'REQUIRED', 'name'],
    [{ startsOn: '2026-02-30' }, 'INVALID_VALUE', 'startsOn'],
    [{ endsOn: localDate(-20) }, 'INVALID_VALUE', 'endsOn'],
    [{ tasks: [] }, 'REQUIRED', 'tasks'],
    [{ tasks: Array.from({ length: 31 }, (_, i) => ({ title: `任务${i}`, leadOrgUnitId: dept('商贸发展岗'), dueOn: localDate(1) })) }, 'INVALID_VALUE', 'tasks'],
    [{ tasks: [{ title: '越界', leadOrgUnitId: dept('商贸发展岗'), dueOn: localDate(60) }] }, 'INVALID_VALUE', 'tasks'],
    [{ tasks: [{ title: '重复', leadOrgUnitId: dept('商贸发展岗'), helperOrgUnitIds: [dept('商贸发展岗')], dueOn: localDate(1) }] }, 'INVALID_VALUE', 'tasks'],
    [{ tasks: [{ title: '无此部门', leadOrgUnitId: MISSING_ID, dueOn: localDate(1) }] }, 'ORG_UNIT_NOT_FOUND', 'tasks'],
    [{ tasks: [{ title: '镇本身', leadOrgUnitId: org.town.id, dueOn: localDate(1) }] }, 'ORG_UNIT_NOT_FOUND', 'tasks'],
    [{ tasks: [{ title: '多字段', leadOrgUnitId: dept('商贸发展岗'), dueOn: localDate(1), owner: 'x' }] }, 'UNKNOWN_FIELD', 'tasks'],
    [{ phases: [{ name: '越界阶段', from: localDate(-20), to: localDate(0) }] }, 'INVALID_VALUE', 'phases'],
    [{ phases: [{ name: '倒置', from: localDate(5), to: localDate(1) }] }, 'INVALID_VALUE', 'phases'],
  ];
  for (const [over, code, field] of cases) {
    const res = await c.admin.post('/api/campaigns', body(over));
    expectError(res, 400, code, field);
    assert.match(res.json.message, /[\u4e00-\u9fff]/);
  }
  assert.equal(await count(), before, 'a refused campaign was written');
  expectError(await c.sw.post('/api/campaigns', body()), 403, 'FORBIDDEN');
});

test('progress: the lead and helping departments report, others may not; the lead completes; nothing after that', async () => {
  const res = await c.admin.post('/api/campaigns', body());
  assert.equal(res.status, 201, describe(res));
  const k = res.json;
  assert.equal(k.status, 'active');
  assert.equal(k.currentPhase, '组织实施');
  assert.equal(k.lateCount, 1);
  const [task, late] = k.tasks;
  assert.deepEqual(task.helperOrgUnitNames, ['文教体旅岗']);
  assert.equal(late.late, true);

  const r1 = await c.sw.post(`/api/campaign-tasks/${task.id}/reports`, { content: '检查商场 6 家', venuesChecked: 6, hazardsFound: 3, hazardsFixed: 1 });
  assert.equal(r1.status, 201, describe(r1));
  const r2 = await c.wj.post(`/api/campaign-tasks/${task.id}/reports`, { content: '配合检查影院 2 家', venuesChecked: 2 });
  assert.equal(r2.status, 201, describe(r2));
  assert.deepEqual([r2.json.reportCount, r2.json.venuesChecked, r2.json.hazardsFound, r2.json.hazardsFixed], [2, 8, 3, 1]);
  // 安全应急岗 (the inspector) neither leads nor helps; the grid worker may only read
  expectError(await c.inspector.post(`/api/campaign-tasks/${task.id}/reports`, { content: '越权' }), 403, 'NOT_TASK_DEPARTMENT');
  expectError(await c.grid.post(`/api/campaign-tasks/${task.id}/reports`, { content: '越权' }), 403, 'FORBIDDEN');
  expectError(await c.sw.post(`/api/campaign-tasks/${task.id}/reports`, { content: '负数', venuesChecked: -1 }), 400, 'INVALID_VALUE', 'venuesChecked');
  expectError(await c.sw.post(`/api/campaign-tasks/${task.id}/reports`, {}), 400, 'REQUIRED', 'content');
  const reports = (await c.grid.getOk(`/api/campaign-tasks/${task.id}/reports`)).items;
  assert.deepEqual(reports.map((r) => r.orgUnitName), ['文教体旅岗', '商贸发展岗']);

  // only the lead completes, with a summary
  expectError(await c.wj.post(`/api/campaign-tasks/${task.id}/complete`, { summary: '配合部门' }), 403, 'NOT_LEAD_DEPARTMENT');
  expectError(await c.sw.post(`/api/campaign-tasks/${task.id}/complete`, {}), 400, 'REQUIRED', 'summary');
  const done = await c.sw.post(`/api/campaign-tasks/${task.id}/complete`, { summary: '整治完成' });
  assert.equal(done.status, 200, describe(done));
  assert.equal(done.json.state, 'done');
  expectError(await c.sw.post(`/api/campaign-tasks/${task.id}/complete`, { summary: '再次' }), 409, 'TASK_DONE');
  expectError(await c.wj.post(`/api/campaign-tasks/${task.id}/reports`, { content: '完成后' }), 409, 'TASK_DONE');
  const after = await c.admin.getOk(`/api/campaigns/${k.id}`);
  assert.equal(after.doneCount, 1);
  expectError(await c.sw.post(`/api/campaign-tasks/${MISSING_ID}/reports`, { content: 'x' }), 404, 'NOT_FOUND');
  assert.equal((await c.admin.get(`/api/campaigns/${MISSING_ID}`)).status, 404);
  expectError(await c.contractor.get('/api/campaigns'), 403, 'FORBIDDEN');

  const audit = (await c.admin.getOk(`/api/audit-logs?targetType=campaign_task&targetId=${task.id}&pageSize=20`)).items.map((a) => a.action).sort();
  assert.deepEqual(audit, ['campaign.complete', 'campaign.report', 'campaign.report']);
  assert.equal((await c.admin.getOk(`/api/audit-logs?action=campaign.create&targetId=${k.id}`)).items.length, 1);
});

test('the hazards found within the dates are counted by supervising department', async () => {
  const venue = (await c.admin.getOk('/api/venues?pageSize=1')).items[0];
  const k = (await c.admin.post('/api/campaigns', body())).json;
  const before = k.hazardStats.reduce((s, x) => s + x.found, 0);
  const h = await c.admin.post('/api/hazards', { venueId: venue.id, category: 'other', description: `专项统计 ${uid('h')}` });
  assert.equal(h.status, 201, describe(h));
  const after = await c.admin.getOk(`/api/campaigns/${k.id}`);
  assert.equal(after.hazardStats.reduce((s, x) => s + x.found, 0), before + 1);
  // a campaign that ended before today does not count it
  const old = (await c.admin.post('/api/campaigns', body({ startsOn: localDate(-40), endsOn: localDate(-5), phases: [],
    tasks: [{ title: '旧任务', leadOrgUnitId: dept('商贸发展岗'), dueOn: localDate(-6) }] }))).json;
  assert.equal(old.status, 'ended');
  const oldAfter = await c.admin.getOk(`/api/campaigns/${old.id}`);
  assert.equal(oldAfter.hazardStats.reduce((s, x) => s + x.found, 0), old.hazardStats.reduce((s, x) => s + x.found, 0));
});

test('deploying tells the lead and helping departments; a late task is told to the lead and the task force once', async () => {
  const mine = async (client, event, link) =>
    (await client.getOk('/api/notifications?pageSize=100')).items.filter((n) => n.event === event && n.link === link);
  const k = (await c.admin.post('/api/campaigns', body())).json;
  const link = `/campaigns/${k.id}`;
  assert.equal((await mine(c.sw, 'campaign.task_assigned', link)).length, 1, 'the lead department');
  assert.equal((await mine(c.wj, 'campaign.task_assigned', link)).length, 1, 'a helping department');
  assert.equal((await mine(c.ms, 'campaign.task_assigned', link)).length, 1, 'the late task\'s lead');
  assert.equal((await mine(c.inspector, 'campaign.task_assigned', link)).length, 0, 'a department without a task');
  assert.equal((await mine(c.admin, 'campaign.task_assigned', link)).length, 0, 'the one who deployed it');
  // the timers run (POST /api/test/clock runs them): the late task, and only it, is told of, and only once
  await resetServerClock();
  await resetServerClock();
  const late = await mine(c.ms, 'campaign.task_late', link);
  assert.equal(late.length, 1);
  assert.match(late[0].title, /已过期的任务/);
  assert.equal((await mine(c.admin, 'campaign.task_late', link)).length, 1, 'the task force');
  assert.equal((await mine(c.sw, 'campaign.task_late', link)).length, 0, 'the on-time task');
});
