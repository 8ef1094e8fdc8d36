// Hazards (隐患, docs/api-hazards.md): the closed loop 发现 → 交办 → 整改 → 复查 → 销号 over HTTP, with the demo accounts
// (inspector 罗勇 finds and assigns, venue_mgr 冯建华 rectifies, admin / officers recheck); every command from a wrong
// state; 重大 needs a decision record; default deadlines in working days on the holiday calendar; 挂牌督办 and 摘牌;
// overdue on the test clock (timers, filter, alert); notice print; data scope in list, detail, commands and the .xlsx
// export; audit rows. Every hazard of this file carries TAG in its description, so that `q=TAG` isolates them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  login, describe, expectError, expectStatus, listAll, uid, orgUnits, createVenue, venueBody, fetchXlsx, maskPhone, randomPhone, assertPhoneSealed,
  MISSING_ID, Cast, resetServerClock, serverClockTo, restDayChecker, localDateOf, addDays, localMs, isoUtc, uploadPng, MINUTE,
  uploadFile, tinyJpeg,
} from './lib.mjs';

const TAG = uid('hz');
const NUMBER = /^YH-(\d{8})-(\d{4})$/;
const STATES = ['reported', 'rectifying', 'awaiting_recheck', 'closed'];
const cast = new Cast();
let org, cats, cat, venues, fileId, isRest, startedAt;

before(async () => {
  startedAt = Date.now() - 2000;
  await cast.add('admin', 'admin');
  await cast.add('inspector', 'inspector');
  await cast.add('sw', 'sw_officer');
  await cast.add('wj', 'wj_officer');
  await cast.add('vm', 'venue_mgr');
  await cast.add('grid', 'grid_longfeng');
  await cast.add('contractor', 'contractor');
  org = await orgUnits(cast.admin);
  isRest = await restDayChecker(cast.admin);
  cats = (await cast.admin.getOk('/api/hazard-categories')).items;
  // a category whose default takes several working days, so that the calendar matters
  cat = cats.find((c) => c.defaultDays >= 3) ?? cats[0];
  const other = org.items.find((u) => u.kind === 'village' && u.name !== '龙凤社区');
  assert.ok(other, 'no second village in the demo town');
  // Both venues are also supervised by 安全应急岗, the inspector's department (data scope 本部门).
  const safety = org.byName.get('安全应急岗').id;
  venues = {
    // 龙凤社区, supervised by 商贸发展岗, managed by venue_mgr
    sw: await createVenue(cast.admin, org, {
      name: `隐患测试商场${uid('v')}`, managerUserId: cast.vm.user.id, supervisorOrgUnitIds: [org.byName.get('商贸发展岗').id, safety],
    }),
    // another village, supervised by 文教体旅岗, no manager
    wj: await createVenue(cast.admin, org, {
      name: `隐患测试学校${uid('v')}`, type: 'school', orgUnitId: other.id, supervisorOrgUnitIds: [org.byName.get('文教体旅岗').id, safety],
    }),
  };
  fileId = await uploadPng(cast.admin);
});

after(async () => {
  await resetServerClock();
});

const today = (ms = Date.now()) => localDateOf(ms);
function addWorkingDays(from, n) {
  let d = from;
  for (let counted = 0, i = 0; counted < n && i < 400; i++) {
    d = addDays(d, 1);
    if (!isRest(d)) counted++;
  }
  return d;
}

/** POST /api/hazards as `client`; 201 and `reported`. */
async function report(client, over = {}) {
  const body = { venueId: venues.sw.id, category: cat.code, description: `${TAG} 二楼东侧疏散通道堆放货物`, location: '二楼东侧', photos: [fileId], ...over };
  const res = await client.post('/api/hazards', body);
  assert.equal(res.status, 201, `report: ${describe(res)}`);
  assert.equal(res.json.state, 'reported');
  return res.json;
}
/** A hazard command; asserts 200 and the state. */
async function cmd(client, h, name, body, state) {
  const res = await client.post(`/api/hazards/${h.id}/${name}`, body);
  assert.equal(res.status, 200, `${name}: ${describe(res)}`);
  if (state) assert.equal(res.json.state, state, `${name}: state`);
  return res.json;
}
const assignBody = (over = {}) => ({ responsiblePerson: '冯建华', responsiblePhone: randomPhone(), interimMeasures: '设置警示标识', ...over });
const rectifyBody = (over = {}) => ({ measures: '已清理通道内货物', photos: [fileId], signedBy: '冯建华', ...over });
/** A hazard taken along the normal path to `state`. */
async function hazardIn(state, over = {}) {
  let h = await report(cast.inspector, over);
  if (state === 'reported') return h;
  h = await cmd(cast.inspector, h, 'assign', assignBody(), 'rectifying');
  if (state === 'rectifying') return h;
  // venue_mgr rectifies at the venue it manages; admin (hazard:rectify, all data) elsewhere
  h = await cmd(h.venueId === venues.sw.id ? cast.vm : cast.admin, h, 'rectify', rectifyBody(), 'awaiting_recheck');
  if (state === 'awaiting_recheck') return h;
  return cmd(cast.inspector, h, 'recheck', { passed: true, note: '复查合格' }, 'closed');
}
const get = async (client, h) => client.getOk(`/api/hazards/${h.id}`);
const listTagged = (client, query = '') => listAll(client, `/api/hazards?q=${encodeURIComponent(TAG)}${query}`);

test('hazard categories: codes, Chinese labels, default days; 24 h verification for blocked exits', async () => {
  assert.ok(cats.length >= 5, `only ${cats.length} categories`);
  for (const c of cats) {
    assert.match(c.code, /^[a-z_]+$/);
    assert.match(c.label, /[\u4e00-\u9fff]/, `${c.code}: label`);
    assert.ok(Number.isInteger(c.defaultDays) && c.defaultDays > 0, `${c.code}: defaultDays ${c.defaultDays}`);
    assert.ok(c.verifyHours === null || (Number.isInteger(c.verifyHours) && c.verifyHours > 0), `${c.code}: verifyHours`);
  }
  assert.equal(new Set(cats.map((c) => c.code)).size, cats.length, 'duplicate codes');
  const blocked = cats.find((c) => c.code === 'blocked_exit');
  assert.ok(blocked, 'no blocked_exit category');
  assert.equal(blocked.verifyHours, 24);
  assert.ok(cats.some((c) => c.verifyHours === null), 'no category verified within 3 working days');
  // every role that reads hazards reads the categories; others do not
  for (const c of [cast.vm, cast.grid, cast.sw]) expectStatus(await c.get('/api/hazard-categories'), 200);
  expectError(await cast.contractor.get('/api/hazard-categories'), 403, 'FORBIDDEN');
});

test('the closed loop: report → assign → rectify → recheck failed → rectify → recheck passed → closed → reopen', async () => {
  const now = await resetServerClock();
  await cast.relogin();
  // 发现
  const h0 = await report(cast.inspector);
  const m = NUMBER.exec(h0.number);
  assert.ok(m, `number ${h0.number}`);
  assert.equal(m[1], today(now).replace(/-/g, ''), 'the number carries the local date of creation');
  assert.equal(h0.source, 'inspection');
  assert.equal(h0.sourceLabel, '检查');
  assert.equal(h0.severity, 'general');
  assert.equal(h0.severityLabel, '一般');
  assert.equal(h0.venueId, venues.sw.id);
  assert.equal(h0.venueName, venues.sw.name);
  assert.equal(h0.villageName, '龙凤社区');
  assert.equal(h0.category, cat.code);
  assert.equal(h0.categoryLabel, cat.label);
  assert.equal(h0.foundBy, cast.inspector.user.name);
  assert.deepEqual(h0.photos, [fileId]);
  assert.equal(h0.overdue, false);
  assert.equal(h0.deadline, null);
  assert.equal(h0.noticeNumber, null);
  assert.equal(h0.stateLabel, '待交办');
  // the notice exists only once assigned
  expectError(await cast.inspector.get(`/api/hazards/${h0.id}/notice`), 409, 'HAZARD_STATE_INVALID');
  // 交办: a deadline in the past is refused, nothing changes
  const phone = randomPhone();
  expectError(await cast.inspector.post(`/api/hazards/${h0.id}/assign`, assignBody({ responsiblePhone: phone, deadline: addDays(today(now), -1) })), 400, 'DEADLINE_IN_PAST', 'deadline');
  expectError(await cast.inspector.post(`/api/hazards/${h0.id}/assign`, {}), 400, 'REQUIRED', 'responsiblePerson');
  assert.equal((await get(cast.admin, h0)).state, 'reported');
  // the default deadline: the category's working days from today on the holiday calendar
  let h = await cmd(cast.inspector, h0, 'assign', assignBody({ responsiblePhone: phone, funds: 2000 }), 'rectifying');
  assert.equal(h.deadline, addWorkingDays(today(now), cat.defaultDays), `default deadline for ${cat.defaultDays} working days`);
  assert.ok(!isRest(h.deadline), 'the deadline is a rest day');
  assert.equal(h.stateLabel, '整改中');
  assert.equal(h.responsiblePerson, '冯建华');
  assert.equal(h.responsiblePhone, maskPhone(phone), 'the responsible phone is masked for the inspector');
  assert.equal((await get(cast.admin, h)).responsiblePhone, phone, 'person:pii reads it in full');
  assertPhoneSealed({ table: 'hazards', column: 'responsible_phone', id: h.id, phone, targetType: 'hazard' });
  assert.equal(h.funds, 2000);
  assert.equal(h.interimMeasures, '设置警示标识');
  assert.equal(typeof h.noticeNumber, 'string');
  assert.ok(h.noticeNumber.length > 0);
  assert.ok(h.version > h0.version, 'version did not grow');
  // the notice: an A4 HTML page with its number
  const notice = await cast.inspector.get(`/api/hazards/${h.id}/notice`);
  assert.equal(notice.status, 200, describe(notice));
  assert.match(notice.headers.get('content-type') ?? '', /^text\/html/);
  assert.ok(notice.text.includes(h.noticeNumber), 'the notice lacks its number');
  assert.ok(notice.text.includes(venues.sw.name), 'the notice lacks the venue');
  // 整改: only hazard:rectify; photos required
  expectError(await cast.inspector.post(`/api/hazards/${h.id}/rectify`, rectifyBody()), 403, 'FORBIDDEN');
  expectError(await cast.sw.post(`/api/hazards/${h.id}/rectify`, rectifyBody()), 403, 'FORBIDDEN');
  expectError(await cast.vm.post(`/api/hazards/${h.id}/rectify`, rectifyBody({ photos: [] })), 400, 'PHOTOS_REQUIRED', 'photos');
  const noPhotos = rectifyBody();
  delete noPhotos.photos;
  expectError(await cast.vm.post(`/api/hazards/${h.id}/rectify`, noPhotos), 400, 'REQUIRED', 'photos');
  expectError(await cast.vm.post(`/api/hazards/${h.id}/rectify`, rectifyBody({ photos: ['zzNoSuchFile000000000000'] })), 400, 'FILE_NOT_FOUND', 'photos');
  assert.equal((await get(cast.admin, h)).state, 'rectifying');
  h = await cmd(cast.vm, h, 'rectify', rectifyBody(), 'awaiting_recheck');
  assert.equal(h.rectification.signedBy, '冯建华');
  assert.deepEqual(h.rectification.photos, [fileId]);
  assert.equal(h.rectification.measures, '已清理通道内货物');
  assert.ok(!('signature' in h.rectification), 'a signature nobody drew');
  // 复查不合格: a note is required; back to rectifying
  expectError(await cast.inspector.post(`/api/hazards/${h.id}/recheck`, { passed: false }), 400, 'NOTE_REQUIRED', 'note');
  expectError(await cast.inspector.post(`/api/hazards/${h.id}/recheck`, { passed: false, note: '   ' }), 400, 'NOTE_REQUIRED', 'note');
  expectError(await cast.vm.post(`/api/hazards/${h.id}/recheck`, { passed: true }), 403, 'FORBIDDEN');
  h = await cmd(cast.inspector, h, 'recheck', { passed: false, note: '通道内仍有杂物' }, 'rectifying');
  assert.equal(h.recheck.passed, false);
  assert.equal(h.recheck.note, '通道内仍有杂物');
  assert.equal(h.recheck.by, cast.inspector.user.name);
  // again, signed by hand: only with the rectifier's own PNG, and a refused signature writes nothing
  const jpeg = expectStatus(await uploadFile(cast.vm, tinyJpeg(), 'image/jpeg'), 201).id;
  const othersPng = await uploadPng(cast.admin, [1, 2, 3]);
  for (const [signature, status, code] of [[othersPng, 400, 'SIGNATURE_INVALID'], [jpeg, 400, 'SIGNATURE_INVALID'],
    ['zzNoSuchFile000000000000', 400, 'FILE_NOT_FOUND'], ['', 400, 'INVALID_VALUE'], ['x'.repeat(65), 400, 'INVALID_VALUE'], [12, 400, 'INVALID_TYPE']]) {
    expectError(await cast.vm.post(`/api/hazards/${h.id}/rectify`, rectifyBody({ measures: '杂物全部清走', signature })), status, code, 'signature');
  }
  assert.equal((await get(cast.admin, h)).state, 'rectifying');
  const signature = await uploadPng(cast.vm, [20, 20, 20]);
  h = await cmd(cast.vm, h, 'rectify', rectifyBody({ measures: '杂物全部清走', signature }), 'awaiting_recheck');
  assert.equal(h.rectification.signature, signature);
  assert.equal((await get(cast.inspector, h)).rectification.signature, signature);
  h = await cmd(cast.sw, h, 'recheck', { passed: true, note: '复查合格' }, 'closed');
  assert.equal(h.stateLabel, '已销号');
  assert.equal(h.recheck.passed, true);
  // 销号 of a closed one cannot be repeated; reopen needs a reason
  for (const [name, body] of [['assign', assignBody()], ['rectify', rectifyBody()], ['recheck', { passed: true }]]) {
    expectError(await cast.admin.post(`/api/hazards/${h.id}/${name}`, body), 409, 'HAZARD_STATE_INVALID');
  }
  expectError(await cast.inspector.post(`/api/hazards/${h.id}/reopen`, {}), 400, 'REQUIRED', 'reason');
  expectError(await cast.grid.post(`/api/hazards/${h.id}/reopen`, { reason: '网格员不能重开' }), 403, 'FORBIDDEN');
  h = await cmd(cast.inspector, h, 'reopen', { reason: '群众反映通道再次被占' }, 'rectifying');
  h = await cmd(cast.vm, h, 'rectify', rectifyBody(), 'awaiting_recheck');
  h = await cmd(cast.inspector, h, 'recheck', { passed: true }, 'closed');

  // the timeline: every step, in order, with Chinese labels
  const d = await get(cast.admin, h);
  // the action names the command (a recheck may carry its outcome: recheck_passed / recheck_failed)
  const actions = d.timeline.map((e) => e.action);
  for (const a of ['assign', 'rectify', 'recheck', 'reopen']) assert.ok(actions.some((x) => x === a || x.startsWith(`${a}_`)), `timeline lacks ${a}: ${actions}`);
  assert.equal(actions.filter((a) => a === 'rectify').length, 3, `three rectifications: ${actions}`);
  assert.equal(actions.filter((a) => /^recheck/.test(a)).length, 3, `three rechecks: ${actions}`);
  assert.ok(actions.indexOf('assign') < actions.indexOf('rectify'));
  for (const e of d.timeline) assert.match(e.actionLabel, /[\u4e00-\u9fff]/, `${e.action}: label`);
  const times = d.timeline.map((e) => Date.parse(e.at));
  assert.deepEqual(times, [...times].sort((a, b) => a - b), 'timeline out of order');
  assert.ok(d.timeline.some((e) => e.action === 'reopen' && e.note?.includes('群众反映通道再次被占')), 'the reopen reason is not in the timeline');
  assert.ok(d.timeline.some((e) => /^recheck/.test(e.action) && e.note?.includes('通道内仍有杂物')), 'the failed recheck note is not in the timeline');

  // audit rows for each command, by the right user
  const logs = (await listAll(cast.admin, `/api/audit-logs?from=${encodeURIComponent(isoUtc(startedAt))}`))
    .filter((l) => l.targetId === String(h.id) && /hazard/i.test(l.targetType));
  const seen = logs.map((l) => `${l.username}:${l.action}`);
  for (const [user, re] of [['inspector', /create|report/], ['inspector', /assign/], ['venue_mgr', /rectify/], ['inspector', /recheck/],
    ['sw_officer', /recheck/], ['inspector', /reopen/]]) {
    assert.ok(logs.some((l) => l.username === user && re.test(l.action)), `no audit row ${user} ${re}: ${seen}`);
  }
  assert.ok(logs.filter((l) => /rectify/.test(l.action)).length >= 3, `rectify audit rows: ${seen}`);
});

test('every command from a wrong state → 409 HAZARD_STATE_INVALID and nothing changes', async () => {
  const allowed = { reported: 'assign', rectifying: 'rectify', awaiting_recheck: 'recheck', closed: 'reopen' };
  const bodies = { assign: assignBody(), rectify: rectifyBody(), recheck: { passed: true, note: '合格' }, reopen: { reason: '重新打开' } };
  const problems = [];
  for (const state of STATES) {
    const h = await hazardIn(state);
    for (const name of Object.keys(bodies)) {
      if (allowed[state] === name) continue;
      const res = await cast.admin.post(`/api/hazards/${h.id}/${name}`, bodies[name]);
      if (!(res.status === 409 && res.json?.code === 'HAZARD_STATE_INVALID')) problems.push(`${name} from ${state}: ${describe(res)}`);
    }
    const after = await get(cast.admin, h);
    if (after.state !== state) problems.push(`${state}: moved to ${after.state}`);
    if (after.version !== h.version) problems.push(`${state}: version ${h.version} → ${after.version}`);
  }
  assert.deepEqual(problems, []);
});

test('重大 needs a decision record (create and assign); source, category and venue are checked', async () => {
  const base = { venueId: venues.sw.id, category: cat.code, description: `${TAG} 重大隐患` };
  expectError(await cast.inspector.post('/api/hazards', { ...base, severity: 'major' }), 400, 'MAJOR_NEEDS_DECISION', 'decisionRecord');
  expectError(await cast.inspector.post('/api/hazards', { ...base, severity: 'major', decisionRecord: '  ' }), 400, 'MAJOR_NEEDS_DECISION', 'decisionRecord');
  const major = await report(cast.inspector, { severity: 'major', decisionRecord: '2026年第3次专班会议集体研究认定为重大火灾隐患' });
  assert.equal(major.severity, 'major');
  assert.equal(major.severityLabel, '重大');
  assert.match(major.decisionRecord, /集体研究/);
  // made major when assigned
  const h = await report(cast.inspector);
  expectError(await cast.inspector.post(`/api/hazards/${h.id}/assign`, assignBody({ severity: 'major' })), 400, 'MAJOR_NEEDS_DECISION', 'decisionRecord');
  assert.equal((await get(cast.admin, h)).state, 'reported');
  const now = await resetServerClock();
  await cast.relogin();
  const general = await cmd(cast.inspector, await report(cast.inspector), 'assign', assignBody(), 'rectifying');
  const m = await cmd(cast.inspector, h, 'assign', assignBody({ severity: 'major', decisionRecord: '集体研究记录' }), 'rectifying');
  assert.equal(m.severity, 'major');
  assert.ok(m.deadline >= general.deadline, `a major hazard's default deadline ${m.deadline} is before a general one's ${general.deadline}`);
  assert.ok(!isRest(m.deadline), `the major deadline ${m.deadline} is a rest day`);
  // an explicit deadline: today is the earliest
  const t = await cmd(cast.inspector, await report(cast.inspector), 'assign', assignBody({ deadline: today(now) }), 'rectifying');
  assert.equal(t.deadline, today(now));
  expectError(await cast.inspector.post(`/api/hazards/${(await report(cast.inspector)).id}/assign`, assignBody({ deadline: '2026-02-30' })), 400, 'INVALID_VALUE', 'deadline');
  // registration: only inspection / patrol / self_check; known category; a venue in scope; description required
  for (const source of ['inspection', 'patrol', 'self_check']) {
    const x = await report(cast.grid, { source });
    assert.equal(x.source, source);
    assert.match(x.sourceLabel, /[\u4e00-\u9fff]/);
  }
  for (const source of ['report', 'device', 'nonsense']) {
    expectError(await cast.inspector.post('/api/hazards', { ...base, source }), 400, 'INVALID_VALUE', 'source');
  }
  expectError(await cast.inspector.post('/api/hazards', { ...base, category: 'zz_no_such_category' }), 400, 'INVALID_VALUE', 'category');
  expectError(await cast.inspector.post('/api/hazards', { ...base, severity: 'huge' }), 400, 'INVALID_VALUE', 'severity');
  expectError(await cast.inspector.post('/api/hazards', { venueId: venues.sw.id, category: cat.code }), 400, 'REQUIRED', 'description');
  expectError(await cast.inspector.post('/api/hazards', { ...base, venueId: MISSING_ID }), 400, 'VENUE_NOT_FOUND', 'venueId');
  expectError(await cast.sw.post('/api/hazards', { ...base, venueId: venues.wj.id }), 400, 'VENUE_NOT_FOUND', 'venueId');
  expectError(await cast.inspector.post('/api/hazards', { ...base, photos: ['zzNoSuchFile000000000000'] }), 400, 'FILE_NOT_FOUND', 'photos');
  // who may register
  expectError(await cast.vm.post('/api/hazards', base), 403, 'FORBIDDEN');
  expectError(await cast.contractor.post('/api/hazards', base), 403, 'FORBIDDEN');
  expectError(await cast.grid.post(`/api/hazards/${h.id}/recheck`, { passed: true }), 403, 'FORBIDDEN');
  expectError(await cast.contractor.get('/api/hazards'), 403, 'FORBIDDEN');
});

test('挂牌督办 and 摘牌: once at a time, removed only once closed', async () => {
  let h = await hazardIn('rectifying');
  const deadline = addDays(today(), 30);
  expectError(await cast.inspector.post(`/api/hazards/${h.id}/supervise`, { level: 'province', deadline }), 400, 'INVALID_VALUE', 'level');
  expectError(await cast.inspector.post(`/api/hazards/${h.id}/supervise`, { level: 'town' }), 400, 'REQUIRED', 'deadline');
  expectError(await cast.grid.post(`/api/hazards/${h.id}/supervise`, { level: 'town', deadline }), 403, 'FORBIDDEN');
  expectError(await cast.inspector.post(`/api/hazards/${h.id}/unsupervise`, {}), 409, 'NOT_SUPERVISED');
  h = await cmd(cast.inspector, h, 'supervise', { level: 'town', deadline, note: '镇级挂牌督办' });
  assert.equal(h.supervision?.level, 'town');
  assert.equal(h.supervision.levelLabel, '镇级');
  assert.equal(h.supervision.deadline, deadline);
  assert.equal(h.supervision.note, '镇级挂牌督办');
  expectError(await cast.inspector.post(`/api/hazards/${h.id}/supervise`, { level: 'district', deadline }), 409, 'ALREADY_SUPERVISED');
  const supervised = await listTagged(cast.admin, '&supervised=true');
  assert.ok(supervised.some((x) => x.id === h.id), 'supervised=true does not find it');
  assert.ok(supervised.every((x) => x.supervision !== null), 'supervised=true lists an unsupervised hazard');
  // 摘牌 only once closed
  expectError(await cast.inspector.post(`/api/hazards/${h.id}/unsupervise`, {}), 409, 'HAZARD_STATE_INVALID');
  h = await cmd(cast.vm, h, 'rectify', rectifyBody(), 'awaiting_recheck');
  h = await cmd(cast.inspector, h, 'recheck', { passed: true }, 'closed');
  assert.equal(h.supervision?.level, 'town', 'closing removed the supervision');
  h = await cmd(cast.inspector, h, 'unsupervise', { note: '整改完成，摘牌销案' }, 'closed');
  assert.equal(h.supervision, null);
  expectError(await cast.inspector.post(`/api/hazards/${h.id}/unsupervise`, {}), 409, 'NOT_SUPERVISED');
  const d = await get(cast.admin, h);
  const actions = d.timeline.map((e) => e.action);
  assert.ok(actions.includes('supervise') && actions.includes('unsupervise'), `timeline: ${actions}`);
  assert.ok(!(await listTagged(cast.admin, '&supervised=true')).some((x) => x.id === h.id), 'still listed as supervised');
  const logs = (await listAll(cast.admin, `/api/audit-logs?from=${encodeURIComponent(isoUtc(startedAt))}`))
    .filter((l) => l.targetId === String(h.id));
  assert.ok(logs.some((l) => /unsupervise/.test(l.action)), 'no audit row for unsupervise');
  assert.ok(logs.some((l) => /(^|\.)supervise/.test(l.action)), 'no audit row for supervise');
});

test('overdue: past the deadline the timers mark it, overdue=true finds it, an alert is raised for its department', async () => {
  try {
    const now = await resetServerClock();
    await cast.relogin();
    const day = today(now);
    const late = await cmd(cast.inspector, await report(cast.inspector), 'assign', assignBody({ deadline: day }), 'rectifying');
    const waiting = await cmd(cast.vm, await cmd(cast.inspector, await report(cast.inspector), 'assign', assignBody({ deadline: day }), 'rectifying'),
      'rectify', rectifyBody(), 'awaiting_recheck');
    const done = await hazardIn('rectifying');
    await cmd(cast.inspector, await cmd(cast.vm, done, 'rectify', rectifyBody(), 'awaiting_recheck'), 'recheck', { passed: true }, 'closed');
    const later = await cmd(cast.inspector, await report(cast.inspector), 'assign', assignBody({ deadline: addDays(day, 2) }), 'rectifying');
    assert.equal((await get(cast.admin, late)).overdue, false, 'overdue before its deadline');
    // the deadline is the end of that day in China: two minutes into the next day
    await cast.jumpTo(localMs(addDays(day, 1), '00:02'));
    const l = await get(cast.admin, late);
    assert.equal(l.overdue, true, 'not overdue after its deadline');
    assert.equal((await get(cast.admin, waiting)).overdue, true, 'awaiting recheck past its deadline is overdue too (未销号)');
    assert.equal((await get(cast.admin, done)).overdue, false, 'a closed hazard is overdue');
    assert.equal((await get(cast.admin, later)).overdue, false, 'overdue before its deadline');
    const found = await listTagged(cast.admin, '&overdue=true');
    assert.ok(found.some((x) => x.id === late.id), 'overdue=true does not find it');
    assert.ok(found.every((x) => x.overdue === true), 'overdue=true lists a hazard that is not overdue');
    assert.ok(!found.some((x) => x.id === later.id || x.id === done.id));
    const summary = await cast.admin.getOk('/api/hazards/summary');
    assert.equal(summary.overdue, (await cast.admin.getOk('/api/hazards?overdue=true&pageSize=1')).total, 'summary.overdue ≠ the overdue list');
    // the alert, for the task force and for the venue's supervising department
    for (const c of [cast.admin, cast.sw]) {
      const alerts = (await listAll(c, `/api/alerts?sourceType=hazard&sourceId=${late.id}`)).filter((a) => a.sourceId === String(late.id));
      assert.equal(alerts.length, 1, `${c.username}: alerts for the overdue hazard: ${JSON.stringify(alerts).slice(0, 300)}`);
      assert.equal(alerts[0].sourceType, 'hazard');
      assert.equal(alerts[0].kind, 'hazard_overdue');
      assert.equal(alerts[0].venueId, venues.sw.id);
      assert.ok(['open', 'acknowledged'].includes(alerts[0].state));
    }
    expectStatus(await cast.wj.get(`/api/alerts?sourceType=hazard&sourceId=${late.id}`), 200);
    assert.equal((await listAll(cast.wj, `/api/alerts?sourceType=hazard&sourceId=${late.id}`)).length, 0, 'wj_officer sees an alert of another department');
    assert.equal((await listAll(cast.admin, `/api/alerts?sourceType=hazard&sourceId=${later.id}`)).length, 0, 'an alert before the deadline');
  } finally {
    await resetServerClock();
    await cast.relogin();
  }
});

test('data scope: 商贸发展岗 sees only hazards of venues it supervises — list, detail, commands, export, summary', async () => {
  const swH = [await hazardIn('reported', { venueId: venues.sw.id }), await hazardIn('rectifying', { venueId: venues.sw.id })];
  const wjH = [await hazardIn('reported', { venueId: venues.wj.id }), await hazardIn('rectifying', { venueId: venues.wj.id })];
  const ids = (items) => new Set(items.map((x) => x.id));
  const adminAll = await listTagged(cast.admin);
  for (const h of [...swH, ...wjH]) assert.ok(ids(adminAll).has(h.id), 'admin does not see every hazard');
  const swAll = await listTagged(cast.sw);
  for (const h of swH) assert.ok(ids(swAll).has(h.id), 'sw_officer does not see a hazard of its venue');
  for (const h of wjH) assert.ok(!ids(swAll).has(h.id), 'sw_officer sees a hazard of a 文教体旅岗 venue');
  assert.ok(swAll.every((x) => x.venueId !== venues.wj.id));
  const wjAll = await listTagged(cast.wj);
  for (const h of wjH) assert.ok(ids(wjAll).has(h.id), 'wj_officer does not see a hazard of its venue');
  for (const h of swH) assert.ok(!ids(wjAll).has(h.id), 'wj_officer sees a hazard of a 商贸发展岗 venue');
  // venue_mgr (仅本人): hazards of the venues it manages; grid_longfeng (龙凤社区 and below)
  const vmAll = await listTagged(cast.vm);
  for (const h of swH) assert.ok(ids(vmAll).has(h.id), 'venue_mgr does not see a hazard of its venue');
  assert.ok(vmAll.every((x) => x.venueId !== venues.wj.id), 'venue_mgr sees a hazard of a venue it does not manage');
  const gridAll = await listTagged(cast.grid);
  for (const h of swH) assert.ok(ids(gridAll).has(h.id), 'grid_longfeng does not see a hazard in 龙凤社区');
  assert.ok(gridAll.every((x) => x.venueId !== venues.wj.id), 'grid_longfeng sees a hazard of another village');
  // out of scope: 404 for detail, notice and commands
  for (const [c, h] of [[cast.sw, wjH[1]], [cast.vm, wjH[1]], [cast.grid, wjH[1]], [cast.wj, swH[1]]]) {
    expectError(await c.get(`/api/hazards/${h.id}`), 404, 'NOT_FOUND');
    expectError(await c.get(`/api/hazards/${h.id}/notice`), 404, 'NOT_FOUND');
  }
  expectError(await cast.sw.post(`/api/hazards/${wjH[0].id}/assign`, assignBody()), 404, 'NOT_FOUND');
  expectError(await cast.vm.post(`/api/hazards/${wjH[1].id}/rectify`, rectifyBody()), 404, 'NOT_FOUND');
  expectError(await cast.sw.post(`/api/hazards/${wjH[1].id}/supervise`, { level: 'town', deadline: addDays(today(), 10) }), 404, 'NOT_FOUND');
  assert.equal((await get(cast.admin, wjH[0])).state, 'reported');
  expectError(await cast.sw.get(`/api/hazards/${MISSING_ID}`), 404, 'NOT_FOUND');
  // the export: the same rows as the list, in scope
  const rowsOf = (x) => {
    const sheet = [...x.files.entries()].find(([k]) => /^xl\/worksheets\/sheet\d*\.xml$/.test(k))[1].toString('utf8');
    return (sheet.match(/<row[\s>]/g) ?? []).length;
  };
  const q = `?q=${encodeURIComponent(TAG)}`;
  const swX = await fetchXlsx(cast.sw, `/api/hazards/export.xlsx${q}`);
  const adminX = await fetchXlsx(cast.admin, `/api/hazards/export.xlsx${q}`);
  const swNow = await listTagged(cast.sw);
  const adminNow = await listTagged(cast.admin);
  assert.equal(rowsOf(swX), swNow.length + 1, 'sw_officer export: a header row and one row per hazard in scope');
  assert.equal(rowsOf(adminX), adminNow.length + 1, 'admin export: a header row and one row per hazard');
  assert.ok(rowsOf(adminX) > rowsOf(swX));
  for (const h of swH) assert.ok(swX.text.includes(h.number), `sw export lacks ${h.number}`);
  for (const h of wjH) {
    assert.ok(!swX.text.includes(h.number), `sw export holds ${h.number} of a 文教体旅岗 venue`);
    assert.ok(adminX.text.includes(h.number), `admin export lacks ${h.number}`);
  }
  assert.ok(!swX.text.includes(venues.wj.name), 'sw export names a 文教体旅岗 venue');
  // filters apply to the export too
  const onlyWj = await fetchXlsx(cast.admin, `/api/hazards/export.xlsx${q}&venueId=${venues.wj.id}&state=rectifying`);
  assert.ok(onlyWj.text.includes(wjH[1].number) && !onlyWj.text.includes(wjH[0].number) && !onlyWj.text.includes(swH[1].number));
  // each export is in the audit log, with who exported and the filters (等保: 导出、下载)
  const exported = (await cast.admin.getOk('/api/audit-logs?action=hazard.export&pageSize=50')).items
    .filter((x) => x.summary.after.filters.q === TAG);
  assert.deepEqual(exported.map((x) => [x.username, x.summary.after.filters.state ?? null]).sort(),
    [[cast.admin.username, null], [cast.admin.username, 'rectifying'], [cast.sw.username, null]].sort());
  // the summary counts what the caller may see
  for (const c of [cast.sw, cast.admin]) {
    const s = await c.getOk('/api/hazards/summary');
    for (const st of STATES) {
      const total = (await c.getOk(`/api/hazards?state=${st}&pageSize=1`)).total;
      assert.equal(s.byState[st], total, `${c.username}: summary byState.${st}`);
    }
  }
  // the hazard's supervising department (督办岗位) brings it into that department's scope
  const swDept = org.byName.get('商贸发展岗');
  const moved = await cmd(cast.admin, wjH[0], 'assign', assignBody({ supervisorOrgUnitId: swDept.id }), 'rectifying');
  assert.equal(moved.supervisorOrgUnitId, swDept.id);
  assert.equal(moved.supervisorName, '商贸发展岗');
  expectStatus(await cast.sw.get(`/api/hazards/${wjH[0].id}`), 200);
  assert.ok((await listAll(cast.sw, `/api/hazards?orgUnitId=${swDept.id}&q=${encodeURIComponent(TAG)}`)).some((x) => x.id === wjH[0].id));
});

test('list filters: state, venue, village, category, severity, source, from/to, bad values', async () => {
  const h = await hazardIn('awaiting_recheck', { venueId: venues.wj.id, source: 'patrol' });
  const check = async (query, want) => {
    const items = await listTagged(cast.admin, query);
    assert.equal(items.some((x) => x.id === h.id), want, `${query}: ${want ? 'missing' : 'listed'}`);
    return items;
  };
  for (const x of await check('&state=awaiting_recheck', true)) assert.equal(x.state, 'awaiting_recheck');
  await check('&state=closed', false);
  for (const x of await check(`&venueId=${venues.wj.id}`, true)) assert.equal(x.venueId, venues.wj.id);
  await check(`&venueId=${venues.sw.id}`, false);
  await check(`&villageId=${venues.wj.orgUnitId}`, true);
  await check(`&villageId=${venues.sw.orgUnitId}`, false);
  await check(`&category=${cat.code}`, true);
  await check(`&category=${cats.find((c) => c.code !== cat.code).code}`, false);
  await check('&severity=general', true);
  await check('&severity=major', false);
  await check('&source=patrol', true);
  await check('&source=inspection', false);
  await check(`&from=${addDays(today(), -1)}&to=${addDays(today(), 1)}`, true);
  await check(`&to=${addDays(today(), -2)}`, false);
  const byNumber = await cast.admin.getOk(`/api/hazards?q=${encodeURIComponent(h.number)}`);
  assert.ok(byNumber.items.some((x) => x.id === h.id), 'q does not find the number');
  const byVenue = await cast.admin.getOk(`/api/hazards?q=${encodeURIComponent(venues.wj.name)}`);
  assert.ok(byVenue.items.some((x) => x.id === h.id), 'q does not find the venue name');
  for (const bad of ['state=nonsense', 'pageSize=500', 'overdue=maybe', 'from=2026-13-40']) {
    expectError(await cast.admin.get(`/api/hazards?${bad}`), 400, 'INVALID_VALUE');
  }
  assert.ok(!('timeline' in (await cast.admin.getOk(`/api/hazards?q=${encodeURIComponent(h.number)}`)).items[0]), 'list items carry the timeline');
});

test('the summary (kept counts) agrees with the ledger for every caller, after every kind of change above', async () => {
  // Runs last: the tests above created, assigned, moved between departments, supervised, overdue-marked,
  // closed and reopened hazards; the counts are kept by triggers and must still match the hazards themselves.
  // Last of all a venue with hazards moves to another village and takes its counts along.
  const village = (await cast.admin.getOk(`/api/venues/${venues.wj.id}`)).orgUnitId;
  const withHazards = (await cast.admin.getOk(`/api/hazards?pageSize=1&venueId=${venues.wj.id}`)).total;
  assert.ok(withHazards > 0, 'the moving venue has no hazards');
  const moved = await cast.admin.put(`/api/venues/${venues.wj.id}`, venueBody(org, {
    name: venues.wj.name, type: 'school', supervisorOrgUnitIds: [org.byName.get('文教体旅岗').id, org.byName.get('安全应急岗').id],
  }));
  assert.equal(moved.status, 200, describe(moved));
  assert.notEqual(moved.json.orgUnitId, village, 'the venue did not move');
  for (const c of [cast.admin, cast.inspector, cast.sw, cast.wj, cast.vm, cast.grid, cast.contractor]) {
    const r = await c.get('/api/hazards/summary');
    if (r.status === 403) {
      assert.equal((await c.get('/api/hazards')).status, 403, `${c.username}: the ledger without the summary`);
      continue;
    }
    assert.equal(r.status, 200, `${c.username}: summary ${r.status}`);
    const s = r.json;
    const total = async (q) => (await c.getOk(`/api/hazards?pageSize=1${q}`)).total;
    for (const st of STATES) assert.equal(s.byState[st], await total(`&state=${st}`), `${c.username}: byState.${st}`);
    assert.equal(s.overdue, await total('&overdue=true'), `${c.username}: overdue`);
    assert.equal(s.supervised, await total('&supervised=true'), `${c.username}: supervised`);
    for (const [rows, key] of [[s.byDepartment, 'orgUnitId'], [s.byVillage, 'villageId']]) {
      for (const r of rows) {
        const all = await total(`&${key}=${r.orgUnitId}`);
        const closed = await total(`&${key}=${r.orgUnitId}&state=closed`);
        assert.deepEqual([r.open, r.closed, r.overdue], [all - closed, closed, await total(`&${key}=${r.orgUnitId}&overdue=true`)],
          `${c.username}: ${key} ${r.name}`);
      }
    }
    const grouped = s.byVillage.reduce((n, r) => n + r.open + r.closed, 0);
    assert.equal(grouped, await total(''), `${c.username}: the villages do not add up to the ledger`);
  }
});
