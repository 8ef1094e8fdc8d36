// Inspections, grid patrols and 双随机 draws (docs/api-hazards.md, last section "监督检查、网格巡查与双随机"):
// plans with at least two inspectors, checklists by venue type, recording only by a named inspector (also out of the
// venue's data scope), findings that become hazards, patrols by the grid worker, the list's data scope, checklist
// templates; draws with a seed: picks and their inspectors, conflicts of interest (a venue's manager, `conflicts`),
// verification, reproducibility, key units by keyPercent and not drawn this year first, DRAW_IMPOSSIBLE, the public
// list and the `random` inspections a draw plans. Every expectation is computed from what the test created or read back.
// Draws are restricted (venueTypes, inspectorIds) so that records of other files do not change their inputs.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  login, request, describe, expectError, expectStatus, listAll, uid, orgUnits, roles, createVenue, createUser,
  MISSING_ID, localDate, localDateOf, resetServerClock, uploadPng,
} from './lib.mjs';

// 重点单位 by the contract: 医院、养老、福利院、托幼、学校、商场市场、娱乐场所、宾馆、体育场馆
const KEY_TYPES = new Set(['hospital', 'elderly_care', 'welfare_home', 'nursery', 'kindergarten', 'school', 'mall', 'market',
  'entertainment', 'hotel', 'stadium']);
const KINDS = { routine: '日常检查', special: '专项检查', random: '双随机抽查', patrol: '网格巡查' };

let c; // clients: admin, inspector, inspector2, sw, wj, grid, vm, contractor, auditor
let org, roleMap, users, templates, fileId;
let venues; // sw: 龙凤社区, 商贸发展岗 (restaurant); wj: another village, 文教体旅岗 (school)

before(async () => {
  await resetServerClock();
  c = {};
  for (const [k, u] of [['admin', 'admin'], ['inspector', 'inspector'], ['inspector2', 'inspector2'], ['sw', 'sw_officer'],
    ['wj', 'wj_officer'], ['grid', 'grid_longfeng'], ['vm', 'venue_mgr'], ['contractor', 'contractor'], ['auditor', 'auditor']]) {
    c[k] = await login(u);
  }
  org = await orgUnits(c.admin);
  roleMap = (await roles(c.admin)).byKey;
  users = new Map((await listAll(c.admin, '/api/users')).map((u) => [u.id, u]));
  templates = (await c.admin.getOk('/api/checklist-templates')).items;
  const other = org.items.find((u) => u.kind === 'village' && u.name !== '龙凤社区');
  assert.ok(other, 'no second village in the demo town');
  venues = {
    sw: await createVenue(c.admin, org, { name: `检查测试饭店${uid('v')}` }),
    wj: await createVenue(c.admin, org, {
      name: `检查测试学校${uid('v')}`, type: 'school', orgUnitId: other.id, supervisorOrgUnitIds: [org.byName.get('文教体旅岗').id],
    }),
  };
  fileId = await uploadPng(c.admin);
});

const templateFor = (type) => (templates.find((t) => t.venueType === type) ?? templates.find((t) => t.venueType === 'default')).items;
const allPassed = (checklist) => checklist.map((i) => ({ code: i.code, passed: true }));
const ids = (xs) => xs.map((x) => x.id);
const sorted = (xs) => [...xs].sort((a, b) => a - b);

async function plan(client, over = {}) {
  const body = { venueId: venues.sw.id, kind: 'routine', inspectorIds: [c.inspector.user.id, c.sw.user.id], ...over };
  const res = await client.post('/api/inspections', body);
  assert.equal(res.status, 201, `plan: ${describe(res)}`);
  return res.json;
}

/** Checks an Inspection against what was planned. */
function checkInspection(i, { venue, kind, inspectorIds, plannedOn, unannounced = false, state = 'planned' }) {
  assert.equal(i.venueId, venue.id);
  assert.equal(i.venueName, venue.name);
  assert.equal(i.venueType, venue.type);
  assert.equal(i.kind, kind);
  assert.equal(i.kindLabel, KINDS[kind]);
  assert.equal(i.unannounced, unannounced);
  assert.equal(i.plannedOn, plannedOn);
  assert.equal(i.state, state);
  assert.equal(i.stateLabel, state === 'done' ? '已检查' : '待检查');
  assert.deepEqual(sorted(i.inspectorIds), sorted(inspectorIds));
  assert.deepEqual(sorted(ids(i.inspectors)), sorted(inspectorIds));
  for (const p of i.inspectors) assert.equal(p.name, users.get(p.id)?.name, `inspector ${p.id}: name`);
}

test('checklist templates: a default one and some per venue type; codes unique, categories are hazard categories', async () => {
  const cats = new Set((await c.admin.getOk('/api/hazard-categories')).items.map((x) => x.code));
  const types = new Set((await c.admin.getOk('/api/dict-types/venue_type/items')).items.map((x) => x.value));
  assert.ok(templates.some((t) => t.venueType === 'default'), 'no default template');
  assert.ok(templates.length >= 2, 'no template of its own for any venue type');
  for (const t of templates) {
    assert.ok(t.venueType === 'default' || types.has(t.venueType), `${t.venueType}: not a venue type`);
    assert.ok(t.items.length > 0, `${t.venueType}: empty`);
    assert.equal(new Set(t.items.map((i) => i.code)).size, t.items.length, `${t.venueType}: duplicate codes`);
    for (const i of t.items) {
      assert.ok(cats.has(i.category), `${t.venueType}/${i.code}: category ${i.category} is not a hazard category`);
      assert.match(i.label, /[\u4e00-\u9fff]/);
    }
  }
  // every role with inspection:read reads them; others do not
  for (const k of ['inspector', 'sw', 'grid']) expectStatus(await c[k].get('/api/checklist-templates'), 200);
  for (const k of ['vm', 'contractor', 'auditor']) expectError(await c[k].get('/api/checklist-templates'), 403, 'FORBIDDEN');
  // the old dictionaries of hazard and report categories are gone (migration 0009: hazard_categories replaces them)
  const dicts = (await c.admin.getOk('/api/dict-types')).items.map((d) => d.code);
  assert.ok(!dicts.includes('hazard_category') && !dicts.includes('report_category'), `old category dictionaries still there: ${dicts}`);
});

test('plan: at least two inspectors (INSPECTORS_TOO_FEW), active accounts, a venue in scope; the checklist of the venue type', async () => {
  const base = { venueId: venues.sw.id, kind: 'routine' };
  expectError(await c.admin.post('/api/inspections', { ...base, inspectorIds: [c.inspector.user.id] }), 400, 'INSPECTORS_TOO_FEW', 'inspectorIds');
  expectError(await c.admin.post('/api/inspections', { ...base, inspectorIds: [] }), 400, 'INSPECTORS_TOO_FEW', 'inspectorIds');
  expectError(await c.admin.post('/api/inspections', { ...base }), 400, 'INSPECTORS_TOO_FEW', 'inspectorIds');
  // the same person twice is one inspector
  expectError(await c.admin.post('/api/inspections', { ...base, inspectorIds: [c.inspector.user.id, c.inspector.user.id] }), 400, 'INSPECTORS_TOO_FEW', 'inspectorIds');
  expectError(await c.admin.post('/api/inspections', { ...base, kind: 'special', inspectorIds: [c.sw.user.id] }), 400, 'INSPECTORS_TOO_FEW', 'inspectorIds');
  expectError(await c.admin.post('/api/inspections', { ...base, inspectorIds: [c.inspector.user.id, MISSING_ID] }), 400, 'USER_NOT_FOUND', 'inspectorIds');
  // a disabled account is no inspector
  const { user: gone } = await createUser(c.admin, { orgUnitId: org.byName.get('安全应急岗').id, roleId: roleMap.get('inspector').id });
  expectStatus(await c.admin.post(`/api/users/${gone.id}/disable`), 200);
  expectError(await c.admin.post('/api/inspections', { ...base, inspectorIds: [c.inspector.user.id, gone.id] }), 400, 'USER_NOT_FOUND', 'inspectorIds');
  // random inspections come from draws only
  expectError(await c.admin.post('/api/inspections', { ...base, kind: 'random', inspectorIds: [c.inspector.user.id, c.sw.user.id] }), 400, 'INVALID_VALUE', 'kind');
  expectError(await c.admin.post('/api/inspections', { ...base, inspectorIds: [c.inspector.user.id, c.sw.user.id], plannedOn: '2026-02-30' }), 400, 'INVALID_VALUE', 'plannedOn');
  expectError(await c.admin.post('/api/inspections', { ...base, venueId: MISSING_ID, inspectorIds: [c.inspector.user.id, c.sw.user.id] }), 400, 'VENUE_NOT_FOUND', 'venueId');
  // a venue outside the caller's data scope
  expectError(await c.sw.post('/api/inspections', { ...base, venueId: venues.wj.id, inspectorIds: [c.inspector.user.id, c.sw.user.id] }), 400, 'VENUE_NOT_FOUND', 'venueId');
  // none of the refused plans was made
  assert.equal((await listAll(c.admin, `/api/inspections?venueId=${venues.sw.id}`)).length, 0, 'a refused plan made an inspection');

  const now = await resetServerClock();
  const plannedOn = localDate(3);
  const i = await plan(c.sw, { kind: 'special', plannedOn, unannounced: true, inspectorIds: [c.sw.user.id, c.inspector.user.id] });
  checkInspection(i, { venue: venues.sw, kind: 'special', inspectorIds: [c.sw.user.id, c.inspector.user.id], plannedOn, unannounced: true });
  assert.equal(i.results, null);
  assert.equal(i.drawId, null);
  assert.equal(i.inspectedAt, null);
  assert.deepEqual(i.hazards, []);
  assert.deepEqual(i.checklist, templateFor(venues.sw.type), 'the checklist is the venue type\'s template');
  // plannedOn defaults to today (Beijing)
  const d = await plan(c.admin);
  assert.equal(d.plannedOn, localDateOf(now));
  assert.equal(d.unannounced, false);
  // a school gets the school checklist (or the default one)
  const s = await plan(c.admin, { venueId: venues.wj.id });
  assert.deepEqual(s.checklist, templateFor('school'));
  assert.deepEqual(await c.admin.getOk(`/api/inspections/${i.id}`), i, 'GET differs from the answer of the plan');
  const log = (await c.admin.getOk('/api/audit-logs?action=inspection.plan&pageSize=50')).items.find((x) => x.targetId === String(i.id));
  assert.ok(log, 'no audit row inspection.plan');
  assert.equal(log.username, 'sw_officer');
});

test('grid worker: no routine or special plans (403), but patrols; findings become hazards with source patrol', async () => {
  const grid = c.grid.user;
  for (const kind of ['routine', 'special']) {
    expectError(await c.grid.post('/api/inspections', { venueId: venues.sw.id, kind, inspectorIds: [grid.id, c.inspector.user.id] }), 403, 'FORBIDDEN');
  }
  // a planned patrol: the grid worker alone
  const p = await plan(c.grid, { kind: 'patrol', inspectorIds: undefined });
  checkInspection(p, { venue: venues.sw, kind: 'patrol', inspectorIds: [grid.id], plannedOn: p.plannedOn });
  // a patrol in one step, with two findings
  const findings = [
    { category: 'ebike_charging', description: `楼道内电动车充电 ${uid('f')}`, location: '一楼楼道', photos: [fileId] },
    { category: 'blocked_exit', description: `后门上锁 ${uid('f')}` },
  ];
  const checklist = templateFor(venues.sw.type);
  const res = await c.grid.post('/api/patrols', { venueId: venues.sw.id, results: [{ code: checklist[0].code, passed: false, note: '有隐患' }], findings, summary: '巡查', lat: 29.58, lng: 106.55 });
  const patrol = expectStatus(res, 201);
  checkInspection(patrol, { venue: venues.sw, kind: 'patrol', inspectorIds: [grid.id], plannedOn: patrol.plannedOn, state: 'done' });
  assert.deepEqual(patrol.results, [{ code: checklist[0].code, label: checklist[0].label, passed: false, note: '有隐患' }]);
  assert.equal(patrol.summary, '巡查');
  assert.equal(patrol.lat, 29.58);
  assert.equal(patrol.lng, 106.55);
  assert.ok(patrol.inspectedAt, 'inspectedAt not set');
  assert.equal(patrol.hazards.length, 2);
  for (const [n, f] of findings.entries()) {
    const ref = patrol.hazards.find((h) => h.category === f.category);
    assert.ok(ref, `finding ${n} not listed`);
    assert.equal(ref.state, 'reported');
    const h = await c.grid.getOk(`/api/hazards/${ref.id}`);
    assert.equal(h.source, 'patrol');
    assert.equal(h.number, ref.number);
    assert.equal(h.venueId, venues.sw.id);
    assert.equal(h.description, f.description);
    assert.equal(h.location, f.location ?? h.location);
    assert.deepEqual(h.photos, f.photos ?? []);
    assert.equal(h.foundBy, grid.name);
    assert.equal(h.state, 'reported');
  }
  assert.deepEqual(await c.grid.getOk(`/api/inspections/${patrol.id}`), patrol);
  // a patrol outside the grid worker's village is refused; nothing is made
  expectError(await c.grid.post('/api/patrols', { venueId: venues.wj.id, findings }), 400, 'VENUE_NOT_FOUND', 'venueId');
  assert.equal((await c.admin.getOk(`/api/inspections?venueId=${venues.wj.id}&kind=patrol`)).total, 0);
});

test('record: only a named inspector, the whole checklist, findings become hazards; twice → 409', async () => {
  // 罗勇 (安全应急岗) is sent to a venue outside his data scope (龙凤社区, 商贸发展岗)
  expectError(await c.inspector.get(`/api/venues/${venues.sw.id}`), 404, 'NOT_FOUND');
  const i = await plan(c.admin, { inspectorIds: [c.inspector.user.id, c.inspector2.user.id] });
  const checklist = i.checklist;
  assert.ok(checklist.length >= 2, 'checklist too short to test');
  // he reads it, by id and in the list
  assert.deepEqual(await c.inspector.getOk(`/api/inspections/${i.id}`), await c.admin.getOk(`/api/inspections/${i.id}`));
  assert.ok((await listAll(c.inspector, '/api/inspections?state=planned')).some((x) => x.id === i.id), 'not in the list of an inspector sent on it');
  // someone in scope but not named may not record it
  expectError(await c.admin.post(`/api/inspections/${i.id}/record`, { results: allPassed(checklist) }), 403, 'NOT_YOUR_STEP');
  expectError(await c.sw.post(`/api/inspections/${i.id}/record`, { results: allPassed(checklist) }), 403, 'NOT_YOUR_STEP');
  // out of scope and not named: 404
  expectError(await c.wj.get(`/api/inspections/${i.id}`), 404, 'NOT_FOUND');
  expectError(await c.wj.post(`/api/inspections/${i.id}/record`, { results: allPassed(checklist) }), 404, 'NOT_FOUND');
  // the checklist, item by item
  expectError(await c.inspector.post(`/api/inspections/${i.id}/record`, { results: allPassed(checklist).slice(1) }), 400, 'CHECKLIST_INCOMPLETE', 'results');
  expectError(await c.inspector.post(`/api/inspections/${i.id}/record`, {}), 400, 'CHECKLIST_INCOMPLETE', 'results');
  expectError(await c.inspector.post(`/api/inspections/${i.id}/record`, { results: [...allPassed(checklist), { code: 'zz_no_such_item', passed: true }] }), 400, 'INVALID_VALUE', 'results');
  expectError(await c.inspector.post(`/api/inspections/${i.id}/record`, { results: [...allPassed(checklist).slice(1), { code: 'zz_no_such_item', passed: true }] }), 400, 'INVALID_VALUE', 'results');
  expectError(await c.inspector.post(`/api/inspections/${i.id}/record`, { results: [...allPassed(checklist).slice(1), { code: checklist[1].code, passed: true }] }), 400, 'INVALID_VALUE', 'results');
  expectError(await c.inspector.post(`/api/inspections/${i.id}/record`, { results: allPassed(checklist), findings: [{ category: 'zz_no_such_category', description: '无' }] }), 400, 'INVALID_VALUE');
  expectError(await c.inspector.post(`/api/inspections/${i.id}/record`, { results: allPassed(checklist), findings: [{ category: 'other', description: '重大', severity: 'major' }] }), 400, 'MAJOR_NEEDS_DECISION');
  const unchanged = await c.admin.getOk(`/api/inspections/${i.id}`);
  assert.equal(unchanged.state, 'planned', 'a refused record changed the inspection');
  assert.deepEqual(unchanged.hazards, [], 'a refused record made a hazard');

  const results = checklist.map((item, n) => (n === 0 ? { code: item.code, passed: false, note: '锁闭' } : { code: item.code, passed: true }));
  const finding = { category: checklist[0].category, description: `安全出口锁闭 ${uid('f')}`, location: '后门', photos: [fileId] };
  const done = expectStatus(await c.inspector.post(`/api/inspections/${i.id}/record`, { results, findings: [finding], summary: '发现一处隐患', lat: 29.5, lng: 106.5 }), 200);
  checkInspection(done, { venue: venues.sw, kind: 'routine', inspectorIds: [c.inspector.user.id, c.inspector2.user.id], plannedOn: i.plannedOn, state: 'done' });
  assert.deepEqual(done.results, checklist.map((item, n) => ({ code: item.code, label: item.label, passed: n !== 0, note: n === 0 ? '锁闭' : '' })));
  assert.equal(done.summary, '发现一处隐患');
  assert.ok(done.inspectedAt && Date.parse(done.inspectedAt) > Date.now() - 60_000, `inspectedAt ${done.inspectedAt}`);
  assert.equal(done.hazards.length, 1);
  const h = await c.admin.getOk(`/api/hazards/${done.hazards[0].id}`);
  assert.equal(h.source, 'inspection');
  assert.equal(h.venueId, venues.sw.id);
  assert.equal(h.category, finding.category);
  assert.equal(h.description, finding.description);
  assert.equal(h.location, finding.location);
  assert.deepEqual(h.photos, finding.photos);
  assert.equal(h.foundBy, c.inspector.user.name);
  assert.equal(h.state, 'reported');
  assert.deepEqual(done.hazards[0], { id: h.id, number: h.number, state: h.state, category: h.category });
  assert.deepEqual(await c.inspector.getOk(`/api/inspections/${i.id}`), done);
  // twice: 409, by either inspector; nothing more is recorded
  expectError(await c.inspector.post(`/api/inspections/${i.id}/record`, { results: allPassed(checklist) }), 409, 'INSPECTION_STATE_INVALID');
  expectError(await c.inspector2.post(`/api/inspections/${i.id}/record`, { results: allPassed(checklist), findings: [finding] }), 409, 'INSPECTION_STATE_INVALID');
  assert.deepEqual((await c.admin.getOk(`/api/inspections/${i.id}`)).hazards, done.hazards);
  const log = (await c.admin.getOk('/api/audit-logs?action=inspection.record&pageSize=50')).items.find((x) => x.targetId === String(i.id));
  assert.ok(log, 'no audit row inspection.record');
  assert.equal(log.username, 'inspector');
  // a planned patrol needs no checklist
  const p = await plan(c.grid, { kind: 'patrol', inspectorIds: undefined });
  const pd = expectStatus(await c.grid.post(`/api/inspections/${p.id}/record`, { summary: '无异常' }), 200);
  assert.equal(pd.state, 'done');
  assert.deepEqual(pd.results, []);
});

test('data scope of the list: the venue\'s scope, plus the inspections the caller is sent on', async () => {
  const other = [c.inspector.user.id, c.inspector2.user.id];
  const inScope = await plan(c.admin, { inspectorIds: other });
  const outOfScope = await plan(c.admin, { venueId: venues.wj.id, inspectorIds: other });
  const sentOn = await plan(c.admin, { venueId: venues.wj.id, inspectorIds: [c.inspector.user.id, c.sw.user.id] });
  const swVenues = new Set((await listAll(c.sw, '/api/venues')).map((v) => v.id));
  assert.ok(swVenues.has(venues.sw.id) && !swVenues.has(venues.wj.id), 'sw_officer\'s venue scope is not as the fixtures expect');
  const listed = await listAll(c.sw, '/api/inspections');
  const bad = listed.filter((x) => !swVenues.has(x.venueId) && !x.inspectorIds.includes(c.sw.user.id));
  assert.deepEqual(bad.map((x) => x.id), [], 'inspections outside sw_officer\'s scope listed');
  const listedIds = new Set(ids(listed));
  assert.ok(listedIds.has(inScope.id), 'an inspection at a venue in scope is missing');
  assert.ok(listedIds.has(sentOn.id), 'an inspection the officer is sent on is missing');
  assert.ok(!listedIds.has(outOfScope.id), 'an inspection outside the scope is listed');
  // every inspection the admin sees that sw_officer should see is there
  const all = await listAll(c.admin, '/api/inspections');
  const want = all.filter((x) => swVenues.has(x.venueId) || x.inspectorIds.includes(c.sw.user.id)).map((x) => x.id);
  assert.deepEqual(sorted([...listedIds]), sorted(want));
  expectStatus(await c.sw.get(`/api/inspections/${sentOn.id}`), 200);
  expectError(await c.sw.get(`/api/inspections/${outOfScope.id}`), 404, 'NOT_FOUND');
  expectError(await c.sw.get(`/api/inspections/${MISSING_ID}`), 404, 'NOT_FOUND');
  // the grid worker (龙凤社区) sees the 龙凤社区 venue's inspections, not the other village's
  const g = new Set(ids(await listAll(c.grid, `/api/inspections?venueId=${venues.wj.id}`)));
  assert.equal(g.size, 0, 'grid_longfeng sees inspections of another village');
  assert.ok(ids(await listAll(c.grid, `/api/inspections?venueId=${venues.sw.id}`)).includes(inScope.id));
  // filters
  for (const [q, pred] of [['state=planned', (x) => x.state === 'planned'], ['state=done', (x) => x.state === 'done'],
    ['kind=patrol', (x) => x.kind === 'patrol'], ['kind=routine', (x) => x.kind === 'routine'], [`venueId=${venues.wj.id}`, (x) => x.venueId === venues.wj.id]]) {
    const got = await listAll(c.admin, `/api/inspections?${q}`);
    assert.ok(got.length > 0, `${q}: nothing`);
    assert.ok(got.every(pred), `${q}: an item does not match`);
    assert.equal(got.length, all.filter(pred).length, `${q}: count`);
  }
  expectError(await c.admin.get('/api/inspections?state=zz'), 400, 'INVALID_VALUE', 'state');
  expectError(await c.admin.get('/api/inspections?kind=zz'), 400, 'INVALID_VALUE', 'kind');
  for (const k of ['vm', 'contractor', 'auditor']) expectError(await c[k].get('/api/inspections'), 403, 'FORBIDDEN');
});

test('checklist template: replace (rule:write), validation, audit; new inspections of that type use it', async () => {
  const type = 'hall';
  const before = templates.find((t) => t.venueType === type);
  const items = [
    { code: 'exits', label: `会场安全出口畅通 ${uid('l')}`, category: 'blocked_exit' },
    { code: 'stage', label: '舞台灯光线路规范', category: 'wiring' },
  ];
  const put = (client, body, t = type) => client.put(`/api/checklist-templates/${t}`, body);
  expectError(await put(c.sw, { items }), 403, 'FORBIDDEN');
  expectError(await put(c.grid, { items }), 403, 'FORBIDDEN');
  expectError(await put(c.admin, { items: [] }), 400, 'REQUIRED', 'items');
  expectError(await put(c.admin, {}), 400, 'REQUIRED', 'items');
  expectError(await put(c.admin, { items: [...items, { ...items[0], label: '重复' }] }), 400, 'INVALID_VALUE', 'items');
  expectError(await put(c.admin, { items: [{ ...items[0], category: 'zz_no_such_category' }] }), 400, 'INVALID_VALUE', 'items');
  expectError(await put(c.admin, { items: [{ ...items[0], zz: 1 }] }), 400, 'UNKNOWN_FIELD');
  expectError(await put(c.admin, { items }, 'zz_no_such_type'), 404, 'NOT_FOUND');
  // the old report_category dictionary is no venue type either
  expectError(await put(c.admin, { items }, 'report_category'), 404, 'NOT_FOUND');
  const unchanged = (await c.admin.getOk('/api/checklist-templates')).items.find((t) => t.venueType === type);
  assert.deepEqual(unchanged?.items, before?.items, 'a refused replace changed the template');

  const saved = expectStatus(await put(c.admin, { items }), 200);
  assert.equal(saved.venueType, type);
  assert.deepEqual(saved.items, items);
  const now = (await c.admin.getOk('/api/checklist-templates')).items.find((t) => t.venueType === type);
  assert.deepEqual(now.items, items);
  assert.ok(Date.parse(now.updatedAt) > Date.now() - 60_000, `updatedAt ${now.updatedAt}`);
  const venue = await createVenue(c.admin, org, { type });
  const i = await plan(c.admin, { venueId: venue.id });
  assert.deepEqual(i.checklist, items);
  const log = (await c.admin.getOk('/api/audit-logs?action=checklist.replace&pageSize=50')).items.find((x) => x.targetId === type);
  assert.ok(log, 'no audit row checklist.replace');
  assert.equal(log.username, 'admin');
  assert.ok(JSON.stringify(log.summary).includes(items[0].label), 'the audit row does not show the new items');
  // put back what was there (the default template's items when the type had none)
  expectStatus(await put(c.admin, { items: before?.items ?? templateFor('default') }), 200);
});

// ---- 双随机 ----

/** Crowded venues by id, with their types (admin: all data). */
async function crowdedVenues() {
  return new Map((await listAll(c.admin, '/api/venues')).filter((v) => v.crowded).map((v) => [v.id, v]));
}
async function createDraw(body) {
  const res = await c.admin.post('/api/draws', { name: `抽查测试${uid('d')}`, plannedOn: localDate(7), ...body });
  assert.equal(res.status, 201, `draw: ${describe(res)}`);
  return res.json;
}
const pickKey = (p) => `${p.venueId}:${sorted(ids(p.inspectors)).join(',')}`;
/** Key-unit slots by the contract: keyPercent of the count, non-key units keep a share when there are some. */
function keySlots(n, percent, keyTotal, otherTotal) {
  let key = Math.min(keyTotal, Math.floor((n * percent + 50) / 100));
  if (key === n && otherTotal > 0 && n > 1) key--;
  const other = Math.min(otherTotal, n - key);
  return Math.min(keyTotal, n - other);
}

test('draw: picks with two inspectors each, none at a venue they manage or are in conflict with; verify; the planned random inspections', async () => {
  // X manages a venue, then becomes an inspector: the draw must not send X there
  const lf = org.byName.get('龙凤社区').id;
  const { user: x0, phone } = await createUser(c.admin, { orgUnitId: lf, roleId: roleMap.get('venue_manager').id, name: '回避测试' });
  const type = 'tourism';
  const managed = await createVenue(c.admin, org, { type, managerUserId: x0.id });
  const conflicted = await createVenue(c.admin, org, { type });
  const x = expectStatus(await c.admin.put(`/api/users/${x0.id}`, { name: x0.name, phone, orgUnitId: org.byName.get('安全应急岗').id, roleId: roleMap.get('inspector').id }), 200);
  users.set(x.id, x);
  const a = c.inspector.user.id;
  const b = c.inspector2.user.id;
  const crowded = await crowdedVenues();
  const pool = [...crowded.values()].filter((v) => v.type === type).map((v) => v.id);
  assert.ok(pool.includes(managed.id) && pool.includes(conflicted.id));
  const seed = String(1000000 + Math.floor(Math.random() * 1e9));
  const plannedOn = localDate(6);
  const d = await createDraw({ venueCount: pool.length, plannedOn, seed, venueTypes: [type], inspectorIds: [x.id, a, b], conflicts: [{ inspectorId: a, venueId: conflicted.id }] });
  assert.equal(d.seed, seed);
  assert.equal(d.venueCount, pool.length);
  assert.equal(d.poolSize, pool.length);
  assert.equal(d.rosterSize, 3);
  assert.equal(d.keyPercent, 70);
  assert.equal(d.plannedOn, plannedOn);
  assert.equal(d.publishedAt, null);
  assert.deepEqual(sorted(d.picks.map((p) => p.venueId)), sorted(pool), 'the whole pool is drawn');
  for (const p of d.picks) {
    const got = ids(p.inspectors);
    assert.equal(got.length, 2, `${p.venueId}: ${got.length} inspectors`);
    assert.equal(new Set(got).size, 2, `${p.venueId}: the same inspector twice`);
    assert.ok(got.every((i) => [x.id, a, b].includes(i)), `${p.venueId}: inspector outside the roster`);
    for (const i of p.inspectors) assert.equal(i.name, i.id === x.id ? x.name : users.get(i.id).name);
    assert.equal(p.venueName, crowded.get(p.venueId).name);
    assert.equal(p.keyUnit, KEY_TYPES.has(type));
  }
  assert.deepEqual(sorted(ids(d.picks.find((p) => p.venueId === managed.id).inspectors)), sorted([a, b]), 'the manager is sent to the venue he manages');
  assert.deepEqual(sorted(ids(d.picks.find((p) => p.venueId === conflicted.id).inspectors)), sorted([x.id, b]), 'a listed conflict is not avoided');
  // the stored inputs
  const full = await c.admin.getOk(`/api/draws/${d.id}`);
  const { inputs } = full;
  assert.deepEqual(sorted(inputs.inspectors), sorted([x.id, a, b]));
  assert.deepEqual(sorted(inputs.venues.map((v) => v.id)), sorted(pool));
  assert.deepEqual(inputs.venueTypes, [type]);
  assert.equal(inputs.venueCount, pool.length);
  assert.equal(inputs.inspectorsPerVenue, 2);
  const conflicts = inputs.conflicts.map((p) => p.join(':'));
  assert.ok(conflicts.includes(`${x.id}:${managed.id}`), `the manager conflict is not in the inputs: ${conflicts}`);
  assert.ok(conflicts.includes(`${a}:${conflicted.id}`), `the listed conflict is not in the inputs: ${conflicts}`);
  delete full.inputs;
  assert.deepEqual(full, d, 'GET differs from the answer of the draw');
  // verify: the same result from the stored seed and inputs
  const v = await c.inspector.getOk(`/api/draws/${d.id}/verify`);
  assert.equal(v.matches, true);
  assert.deepEqual(v.result.map((r) => `${r.venueId}:${sorted(r.inspectorIds).join(',')}`), d.picks.map(pickKey));
  // the planned random inspections
  const planned = await listAll(c.admin, `/api/inspections?drawId=${d.id}`);
  assert.equal(planned.length, d.picks.length);
  for (const p of d.picks) {
    const i = planned.find((y) => y.id === p.inspectionId);
    assert.ok(i, `no inspection for the pick at ${p.venueId}`);
    checkInspection(i, { venue: crowded.get(p.venueId), kind: 'random', inspectorIds: ids(p.inspectors), plannedOn });
    assert.equal(i.drawId, d.id);
    assert.equal(p.inspectionState, 'planned');
    assert.equal(p.hazardCount, 0);
  }
  // one of them recorded with a finding: the draw shows it
  const pick = d.picks.find((p) => p.venueId === managed.id);
  const insp = await c.admin.getOk(`/api/inspections/${pick.inspectionId}`);
  const results = insp.checklist.map((it, n) => ({ code: it.code, passed: n !== 0 }));
  expectError(await c.admin.post(`/api/inspections/${insp.id}/record`, { results }), 403, 'NOT_YOUR_STEP');
  expectStatus(await c.inspector2.post(`/api/inspections/${insp.id}/record`, { results, findings: [{ category: insp.checklist[0].category, description: '抽查发现' }] }), 200);
  const after = (await c.admin.getOk(`/api/draws/${d.id}`)).picks.find((p) => p.venueId === managed.id);
  assert.equal(after.inspectionState, 'done');
  assert.equal(after.hazardCount, 1);
  // validation; none of the refused draws is made
  const count = (await c.admin.getOk('/api/draws?pageSize=1')).total;
  const base = { name: `抽查测试${uid('d')}`, plannedOn, venueTypes: [type], inspectorIds: [x.id, a, b] };
  expectError(await c.admin.post('/api/draws', { ...base, venueCount: pool.length + 1 }), 400, 'DRAW_IMPOSSIBLE', 'venueCount');
  // only x and a: nobody left for the venue x manages
  expectError(await c.admin.post('/api/draws', { ...base, venueCount: pool.length, inspectorIds: [x.id, a] }), 400, 'DRAW_IMPOSSIBLE', 'venueCount');
  expectError(await c.admin.post('/api/draws', { ...base, venueCount: 1, inspectorsPerVenue: 1 }), 400, 'INVALID_VALUE', 'inspectorsPerVenue');
  expectError(await c.admin.post('/api/draws', { ...base, venueCount: 1, keyPercent: 101 }), 400, 'INVALID_VALUE', 'keyPercent');
  expectError(await c.admin.post('/api/draws', { ...base, venueCount: 1, seed: '12ab' }), 400, 'INVALID_VALUE', 'seed');
  expectError(await c.admin.post('/api/draws', { ...base, venueCount: 0 }), 400, 'INVALID_VALUE', 'venueCount');
  expectError(await c.admin.post('/api/draws', { ...base, plannedOn: undefined, venueCount: 1 }), 400, 'REQUIRED', 'plannedOn');
  expectError(await c.admin.post('/api/draws', { ...base, venueCount: 1, conflicts: [{ inspectorId: a, venueId: managed.id, zz: 1 }] }), 400, 'UNKNOWN_FIELD');
  for (const k of ['sw', 'wj', 'inspector', 'grid']) expectError(await c[k].post('/api/draws', { ...base, venueCount: 1 }), 403, 'FORBIDDEN');
  assert.equal((await c.admin.getOk('/api/draws?pageSize=1')).total, count, 'a refused draw was made');
  expectError(await c.admin.get(`/api/draws/${MISSING_ID}`), 404, 'NOT_FOUND');
  expectError(await c.admin.get(`/api/draws/${MISSING_ID}/verify`), 404, 'NOT_FOUND');
  for (const k of ['vm', 'contractor', 'auditor']) expectError(await c[k].get(`/api/draws/${d.id}`), 403, 'FORBIDDEN');
});

test('draw: the same seed and inputs give the same picks; the seed matters', async () => {
  const type = 'exhibition'; // not a key unit: earlier draws do not change the order
  for (let n = 0; n < 3; n++) await createVenue(c.admin, org, { type });
  const roster = [c.inspector.user.id, c.inspector2.user.id, c.sw.user.id, c.wj.user.id];
  const body = { venueCount: 2, venueTypes: [type], inspectorIds: roster, seed: '424242' };
  const one = await createDraw(body);
  const two = await createDraw(body);
  assert.deepEqual(two.picks.map(pickKey), one.picks.map(pickKey), 'the same seed and inputs gave other picks');
  const [i1, i2] = [(await c.admin.getOk(`/api/draws/${one.id}`)).inputs, (await c.admin.getOk(`/api/draws/${two.id}`)).inputs];
  assert.deepEqual(i2.venues.map((v) => v.id), i1.venues.map((v) => v.id), 'the pool changed between the draws');
  for (const d of [one, two]) assert.equal((await c.admin.getOk(`/api/draws/${d.id}/verify`)).matches, true);
  // other seeds: not all the same result
  const others = new Set();
  for (const seed of ['1', '2', '3', '4', '5']) others.add((await createDraw({ ...body, seed })).picks.map(pickKey).join('|'));
  assert.ok(others.size > 1, 'five seeds gave the same picks');
  // no seed: a random one is chosen and stored
  const r = await createDraw({ ...body, seed: undefined });
  assert.match(r.seed, /^[0-9]+$/);
  assert.equal((await c.admin.getOk(`/api/draws/${r.id}/verify`)).matches, true);
});

test('draw: keyPercent of the picks are key units (the contract\'s key types)', async () => {
  const crowded = await crowdedVenues();
  for (const percent of [70, 30]) {
    const n = 10;
    const d = await createDraw({ venueCount: n, keyPercent: percent, inspectorIds: [c.inspector.user.id, c.inspector2.user.id, c.sw.user.id] });
    const { inputs } = await c.admin.getOk(`/api/draws/${d.id}`);
    // the pool: every crowded venue, key units by the contract's list
    assert.deepEqual(sorted(inputs.venues.map((v) => v.id)), sorted([...crowded.keys()]), 'the pool is not every crowded venue');
    for (const v of inputs.venues) assert.equal(v.key, KEY_TYPES.has(crowded.get(v.id)?.type), `venue ${v.id} (${crowded.get(v.id)?.type}): key ${v.key}`);
    const keyTotal = inputs.venues.filter((v) => v.key).length;
    const want = keySlots(n, percent, keyTotal, inputs.venues.length - keyTotal);
    for (const p of d.picks) assert.equal(p.keyUnit, KEY_TYPES.has(crowded.get(p.venueId).type), `pick ${p.venueId}: keyUnit`);
    const got = d.picks.filter((p) => p.keyUnit).length;
    assert.equal(got, want, `keyPercent ${percent}: ${got} key units of ${n}, expected ${want}`);
    assert.equal(d.picks.length, n);
    assert.equal(new Set(d.picks.map((p) => p.venueId)).size, n, 'a venue drawn twice');
  }
});

test('draw: key units not drawn this year come first', async () => {
  const type = 'nursery';
  for (let n = 0; n < 4; n++) await createVenue(c.admin, org, { type });
  const roster = [c.inspector.user.id, c.inspector2.user.id, c.sw.user.id];
  const body = { venueTypes: [type], keyPercent: 100, inspectorIds: roster };
  const first = await createDraw({ ...body, venueCount: 2 });
  const in1 = (await c.admin.getOk(`/api/draws/${first.id}`)).inputs;
  const due1 = new Set(in1.venues.filter((v) => v.key && !v.drawnThisYear).map((v) => v.id));
  assert.ok(due1.size >= 4, `only ${due1.size} key units not drawn this year (4 were just created)`);
  for (const p of first.picks) assert.ok(due1.has(p.venueId), `the first draw took ${p.venueId}, drawn already this year`);
  // the second draw sees the first one's picks as drawn, and takes exactly the remaining key units
  const due2 = new Set([...due1].filter((id) => !first.picks.some((p) => p.venueId === id)));
  const second = await createDraw({ ...body, venueCount: due2.size });
  const in2 = (await c.admin.getOk(`/api/draws/${second.id}`)).inputs;
  assert.deepEqual(sorted(in2.venues.filter((v) => !v.drawnThisYear).map((v) => v.id)), sorted([...due2]), 'drawnThisYear not updated by the first draw');
  assert.ok(in2.venues.length > due2.size, 'the pool has no drawn key units: the test proves nothing');
  assert.deepEqual(sorted(second.picks.map((p) => p.venueId)), sorted([...due2]), 'the key units not drawn this year were not taken first');
  // now all are drawn: a third draw may take any of them
  const third = await createDraw({ ...body, venueCount: 2 });
  const in3 = (await c.admin.getOk(`/api/draws/${third.id}`)).inputs;
  assert.ok(in3.venues.every((v) => v.drawnThisYear), 'a venue of the pool not marked as drawn this year');
  expectError(await c.admin.post('/api/draws', { name: uid('d'), plannedOn: localDate(7), ...body, venueCount: in3.venues.length + 1 }), 400, 'DRAW_IMPOSSIBLE', 'venueCount');
});

test('publish: the public list shows venue and inspector names only; twice → 409', async () => {
  const type = 'religious';
  await createVenue(c.admin, org, { type });
  const roster = [c.inspector.user.id, c.inspector2.user.id, c.sw.user.id];
  const d = await createDraw({ venueCount: 1, venueTypes: [type], inspectorIds: roster });
  const hidden = await createDraw({ venueCount: 1, venueTypes: [type], inspectorIds: roster });
  expectError(await c.sw.post(`/api/draws/${d.id}/publish`), 403, 'FORBIDDEN');
  expectError(await c.inspector.post(`/api/draws/${d.id}/publish`), 403, 'FORBIDDEN');
  expectError(await c.admin.post(`/api/draws/${MISSING_ID}/publish`), 404, 'NOT_FOUND');
  const pub = expectStatus(await c.admin.post(`/api/draws/${d.id}/publish`), 200);
  assert.ok(pub.publishedAt && Date.parse(pub.publishedAt) > Date.now() - 60_000, `publishedAt ${pub.publishedAt}`);
  assert.deepEqual(pub.picks, d.picks);
  expectError(await c.admin.post(`/api/draws/${d.id}/publish`), 409, 'ALREADY_PUBLISHED');
  assert.equal((await c.admin.getOk(`/api/draws/${d.id}`)).publishedAt, pub.publishedAt, 'publishing twice changed publishedAt');

  const res = await request('GET', '/api/public/draws'); // no login
  assert.equal(res.status, 200, describe(res));
  const entry = res.json.items.find((x) => x.name === d.name);
  assert.ok(entry, 'the published draw is not in the public list');
  assert.ok(!res.json.items.some((x) => x.name === hidden.name), 'an unpublished draw is in the public list');
  assert.deepEqual(Object.keys(entry).sort(), ['createdAt', 'name', 'picks', 'plannedOn', 'poolSize', 'publishedAt', 'seed']);
  assert.equal(entry.seed, d.seed);
  assert.equal(entry.plannedOn, d.plannedOn);
  assert.equal(entry.poolSize, d.poolSize);
  assert.equal(entry.publishedAt, pub.publishedAt);
  assert.equal(entry.createdAt, d.createdAt);
  assert.deepEqual(entry.picks, d.picks.map((p) => ({ venueName: p.venueName, inspectors: p.inspectors.map((i) => i.name), inspectionState: p.inspectionState, hazardCount: p.hazardCount })));
  for (const p of entry.picks) {
    assert.deepEqual(Object.keys(p).sort(), ['hazardCount', 'inspectionState', 'inspectors', 'venueName']);
    assert.ok(p.inspectors.every((n) => typeof n === 'string'), 'an inspector that is not just a name');
  }
  // no phone numbers of anybody in the public answer
  assert.doesNotMatch(res.text.replace(/"seed":"\d+"/g, ''), /1[3-9]\d{9}/, 'a phone number in the public list');
  assert.doesNotMatch(res.text, /"(id|venueId|inspectorIds|inspectionId|userId)"/, 'ids in the public list');
});
