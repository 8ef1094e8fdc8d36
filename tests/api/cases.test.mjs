// Enforcement cases, exposure and credit marks (docs/api-hazards.md, last section 执法案件、警示曝光与失信联合惩戒):
// open a case from a hazard (SOURCE_NOT_FOUND, VENUE_NOT_FOUND, UNIT_NOT_FOUND), 一案双罚 (DOUBLE_PENALTY_REQUIRED, fines
// need an amount, no detention for a unit), every command from a wrong state (409 CASE_STATE_INVALID), refer → referral
// → close, 警示曝光 with names and numbers de-identified on the public page (no login), withdraw, 失信联合惩戒 (mark with
// a case of the unit, ALREADY_MARKED, lift with a reason, ALREADY_LIFTED), data scope (sw_officer vs wj_officer) in
// list, detail and commands, and the audit rows. Every case of this file carries TAG in its title, so `q=TAG` isolates them.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  login, request, describe, expectError, expectStatus, listAll, uid, orgUnits, createVenue, createUnit, randomPhone,
  makeCitizenId, localDate, MISSING_ID,
} from './lib.mjs';

const TAG = uid('aj');
const NUMBER = /^AJ-(\d{4})-(\d{4,})$/;
const c = {};
let org, venues, units, hazards;
const cases = {};

before(async () => {
  for (const [k, u] of [['admin', 'admin'], ['sw', 'sw_officer'], ['wj', 'wj_officer'], ['inspector', 'inspector'], ['vm', 'venue_mgr'], ['grid', 'grid_longfeng']]) {
    c[k] = await login(u);
  }
  org = await orgUnits(c.admin);
  const other = org.items.find((u) => u.kind === 'village' && u.name !== '龙凤社区');
  assert.ok(other, 'no second village in the demo town');
  venues = {
    // 龙凤社区, supervised by 商贸发展岗 (sw_officer's department)
    sw: await createVenue(c.admin, org, { name: `案件测试饭店${uid('v')}` }),
    // another village, supervised by 文教体旅岗 (wj_officer's department)
    wj: await createVenue(c.admin, org, { name: `案件测试学校${uid('v')}`, type: 'school', orgUnitId: other.id, supervisorOrgUnitIds: [org.byName.get('文教体旅岗').id] }),
  };
  units = { a: await createUnit(c.admin, { name: `案件测试单位甲${uid('n')}` }), b: await createUnit(c.admin, { name: `案件测试单位乙${uid('n')}` }) };
  const hazard = async (venue) => {
    const res = await c.admin.post('/api/hazards', { venueId: venue.id, category: 'other', description: `${TAG} 违规动火` });
    assert.equal(res.status, 201, describe(res));
    return res.json;
  };
  hazards = { sw: await hazard(venues.sw), wj: await hazard(venues.wj) };
});

/** POST /api/cases; asserts 201 and `open`. */
async function open(client, over = {}) {
  const body = { sourceType: 'other', venueId: venues.sw.id, title: `${TAG} 违规动火作业`, facts: '未办理动火作业证即进行电焊作业', ...over };
  const res = await client.post('/api/cases', body);
  assert.equal(res.status, 201, `open: ${describe(res)}`);
  assert.equal(res.json.state, 'open');
  return res.json;
}
/** A case command; asserts 200 and the state. */
async function cmd(client, k, name, body, state) {
  const res = await client.post(`/api/cases/${k.id}/${name}`, body);
  assert.equal(res.status, 200, `${name}: ${describe(res)}`);
  if (state) assert.equal(res.json.state, state, `${name}: state`);
  return res.json;
}
const penaltyBody = (over = {}) => ({
  decisionNumber: `渝北消行罚决字〔2026〕${uid('n')}号`,
  decidedOn: localDate(0),
  unitPenalty: { kind: 'fine', amount: 30000, note: '单位罚款' },
  personPenalties: [
    { name: '邓华', role: '主要负责人', kind: 'fine', amount: 5000 },
    { name: '欧阳明', role: '直接责任人员', kind: 'detention', note: '行政拘留五日' },
  ],
  ...over,
});

test('open from a hazard: the source must exist and concern the venue; the venue in scope; a unit that exists', async () => {
  const base = { sourceType: 'hazard', sourceId: hazards.sw.id, venueId: venues.sw.id, title: `${TAG} 来源校验`, facts: '事实' };
  // the hazard of another venue, a hazard that does not exist, no source at all
  expectError(await c.admin.post('/api/cases', { ...base, sourceId: hazards.wj.id }), 400, 'SOURCE_NOT_FOUND', 'sourceId');
  expectError(await c.admin.post('/api/cases', { ...base, sourceId: MISSING_ID }), 400, 'SOURCE_NOT_FOUND', 'sourceId');
  expectError(await c.admin.post('/api/cases', { ...base, sourceType: 'report', sourceId: hazards.sw.id + 1000000 }), 400, 'SOURCE_NOT_FOUND', 'sourceId');
  const noSource = { ...base };
  delete noSource.sourceId;
  expectError(await c.admin.post('/api/cases', noSource), 400, 'REQUIRED', 'sourceId');
  expectError(await c.admin.post('/api/cases', { ...base, sourceType: 'rumour' }), 400, 'INVALID_VALUE', 'sourceType');
  expectError(await c.admin.post('/api/cases', { ...base, unitId: MISSING_ID }), 400, 'UNIT_NOT_FOUND', 'unitId');
  expectError(await c.admin.post('/api/cases', { ...base, venueId: MISSING_ID }), 400, 'VENUE_NOT_FOUND', 'venueId');
  // 商贸发展岗 does not see the school of another village, even with that venue's own hazard
  expectError(await c.sw.post('/api/cases', { ...base, venueId: venues.wj.id, sourceId: hazards.wj.id }), 400, 'VENUE_NOT_FOUND', 'venueId');
  expectError(await c.wj.post('/api/cases', base), 400, 'VENUE_NOT_FOUND', 'venueId');
  // roles without case:write
  for (const k of ['vm', 'grid']) expectError(await c[k].post('/api/cases', base), 403, 'FORBIDDEN');
  // none of the refused requests opened a case
  assert.equal((await listAll(c.admin, `/api/cases?q=${encodeURIComponent(`${TAG} 来源校验`)}`)).length, 0, 'a refused request opened a case');

  const persons = [{ name: '邓华', role: '主要负责人' }, { name: '欧阳明', role: '直接责任人员' }];
  const k = await open(c.admin, { ...base, title: `${TAG} 违规动火作业`, unitId: units.a.id, responsiblePersons: persons, legalBasis: '《中华人民共和国消防法》第六十四条' });
  assert.match(k.number, NUMBER);
  assert.equal(NUMBER.exec(k.number)[1], localDate(0).slice(0, 4), 'the number carries the year');
  assert.deepEqual(
    [k.sourceType, k.sourceId, k.venueId, k.venueName, k.unitId, k.partyName, k.stateLabel],
    ['hazard', hazards.sw.id, venues.sw.id, venues.sw.name, units.a.id, units.a.name, '立案调查'],
  );
  assert.deepEqual(k.responsiblePersons, persons);
  assert.deepEqual([k.penalties, k.referral, k.exposure, k.decisionNumber, k.decidedOn, k.closedAt], [[], null, null, null, null, null]);
  assert.equal(k.legalBasis, '《中华人民共和国消防法》第六十四条');
  assert.deepEqual(k.timeline.map((e) => e.action), ['open']);
  assert.equal(k.timeline[0].by, c.admin.user.name);
  cases.main = k;

  // sourceType other needs no source; the party defaults to the venue without a unit, and partyName wins when given
  const other = await open(c.sw, { title: `${TAG} 其他来源` });
  assert.deepEqual([other.sourceType, other.sourceId, other.unitId, other.partyName], ['other', null, null, venues.sw.name]);
  const named = await open(c.admin, { unitId: units.b.id, partyName: '重庆某某餐饮有限公司' });
  assert.equal(named.partyName, '重庆某某餐饮有限公司');
  assert.notEqual(other.number, k.number);
  cases.noUnit = other;
  cases.unitB = named;
  // sw_officer opens on its own venue from its hazard
  const mine = await open(c.sw, { sourceType: 'hazard', sourceId: hazards.sw.id });
  assert.equal(mine.sourceId, hazards.sw.id);
  cases.swOwn = mine;
});

test('penalize (一案双罚): persons required (DOUBLE_PENALTY_REQUIRED), fines need an amount, no detention for a unit; then decided', async () => {
  const k = cases.main;
  const p = `/api/cases/${k.id}/penalize`;
  const noPersons = penaltyBody();
  delete noPersons.personPenalties;
  expectError(await c.admin.post(p, noPersons), 400, 'DOUBLE_PENALTY_REQUIRED', 'personPenalties');
  expectError(await c.admin.post(p, penaltyBody({ personPenalties: [] })), 400, 'DOUBLE_PENALTY_REQUIRED', 'personPenalties');
  const noUnit = penaltyBody();
  delete noUnit.unitPenalty;
  expectError(await c.admin.post(p, noUnit), 400, 'REQUIRED', 'unitPenalty');
  expectError(await c.admin.post(p, penaltyBody({ unitPenalty: { kind: 'fine' } })), 400, 'REQUIRED', 'unitPenalty');
  expectError(await c.admin.post(p, penaltyBody({ unitPenalty: { kind: 'fine', amount: 0 } })), 400, 'REQUIRED', 'unitPenalty');
  expectError(await c.admin.post(p, penaltyBody({ personPenalties: [{ name: '邓华', role: '主要负责人', kind: 'fine' }] })), 400, 'REQUIRED', 'personPenalties');
  expectError(await c.admin.post(p, penaltyBody({ unitPenalty: { kind: 'detention' } })), 400, 'INVALID_VALUE', 'unitPenalty');
  expectError(await c.admin.post(p, penaltyBody({ unitPenalty: { kind: 'warning', zzExtra: 1 } })), 400, 'UNKNOWN_FIELD', 'unitPenalty');
  expectError(await c.admin.post(p, penaltyBody({ personPenalties: [{ name: '邓华', role: '主要负责人', kind: 'warning', idNumber: '1' }] })), 400, 'UNKNOWN_FIELD', 'personPenalties');
  expectError(await c.admin.post(p, penaltyBody({ unitPenalty: { kind: 'flogging' } })), 400, 'INVALID_VALUE');
  expectError(await c.admin.post(p, penaltyBody({ decidedOn: localDate(3) })), 400, 'INVALID_VALUE', 'decidedOn');
  expectError(await c.admin.post(p, penaltyBody({ decidedOn: '2026-02-30' })), 400, 'INVALID_VALUE', 'decidedOn');
  const noNumber = penaltyBody();
  delete noNumber.decisionNumber;
  expectError(await c.admin.post(p, noNumber), 400, 'REQUIRED', 'decisionNumber');
  // nothing changed
  const still = await c.admin.getOk(`/api/cases/${k.id}`);
  assert.deepEqual([still.state, still.penalties, still.version], ['open', [], k.version], 'a refused penalty changed the case');

  const body = penaltyBody();
  const d = await cmd(c.admin, k, 'penalize', body, 'decided');
  assert.equal(d.stateLabel, '已作出处罚决定');
  assert.deepEqual([d.decisionNumber, d.decidedOn], [body.decisionNumber, body.decidedOn]);
  assert.ok(d.version > k.version, 'version not raised');
  const strip = (x) => ({ target: x.target, name: x.name, role: x.role, kind: x.kind, kindLabel: x.kindLabel, amount: x.amount, note: x.note });
  assert.deepEqual(d.penalties.map(strip), [
    { target: 'unit', name: k.partyName, role: '', kind: 'fine', kindLabel: '罚款', amount: 30000, note: '单位罚款' },
    { target: 'person', name: '邓华', role: '主要负责人', kind: 'fine', kindLabel: '罚款', amount: 5000, note: '' },
    { target: 'person', name: '欧阳明', role: '直接责任人员', kind: 'detention', kindLabel: '行政拘留', amount: null, note: '行政拘留五日' },
  ]);
  assert.deepEqual(d.timeline.map((e) => e.action), ['open', 'penalize']);
  // twice: 409, whatever the body
  expectError(await c.admin.post(`/api/cases/${k.id}/penalize`, penaltyBody()), 409, 'CASE_STATE_INVALID');
  assert.equal((await c.admin.getOk(`/api/cases/${k.id}`)).penalties.length, 3, 'a second decision added penalties');
  cases.main = d;
});

test('commands from wrong states: 409 CASE_STATE_INVALID; refer → referral (accepted, concluded) → close', async () => {
  const k = await open(c.admin, { title: `${TAG} 移交案件` });
  const p = (name) => `/api/cases/${k.id}/${name}`;
  // open: no close, no referral, no exposure without a penalty
  expectError(await c.admin.post(p('close'), {}), 409, 'CASE_STATE_INVALID');
  expectError(await c.admin.post(p('referral'), { status: 'accepted' }), 409, 'CASE_STATE_INVALID');
  expectError(await c.admin.post(p('expose'), { title: `${TAG} 曝光`, summary: '内容' }), 409, 'CASE_STATE_INVALID');
  expectError(await c.admin.post(p('refer'), {}), 400, 'REQUIRED', 'department');
  expectError(await c.admin.post(p('referral'), { status: 'lost' }), 400, 'INVALID_VALUE', 'status');
  assert.equal((await c.admin.getOk(`/api/cases/${k.id}`)).state, 'open');

  const r = await cmd(c.admin, k, 'refer', { department: '区消防救援支队', note: '涉嫌犯罪，移送' }, 'referred');
  assert.equal(r.stateLabel, '已移交执法部门');
  assert.deepEqual([r.referral.department, r.referral.note, r.referral.status, r.referral.statusLabel, r.referral.result], ['区消防救援支队', '涉嫌犯罪，移送', 'pending', '待接收', '']);
  assert.ok(Date.parse(r.referral.at) > Date.now() - 10 * 60 * 1000, 'referral.at not now');
  // referred: no second referral, no decision, no close while the referral is not concluded
  expectError(await c.admin.post(p('refer'), { department: '区应急管理局' }), 409, 'CASE_STATE_INVALID');
  expectError(await c.admin.post(p('penalize'), penaltyBody()), 409, 'CASE_STATE_INVALID');
  expectError(await c.admin.post(p('close'), {}), 409, 'CASE_STATE_INVALID');
  const a = await cmd(c.admin, k, 'referral', { status: 'accepted' }, 'referred');
  assert.deepEqual([a.referral.status, a.referral.statusLabel, a.referral.department], ['accepted', '已接收', '区消防救援支队']);
  expectError(await c.admin.post(p('close'), {}), 409, 'CASE_STATE_INVALID');
  const done = await cmd(c.admin, k, 'referral', { status: 'concluded', result: '已立案侦查' }, 'referred');
  assert.deepEqual([done.referral.status, done.referral.statusLabel, done.referral.result], ['concluded', '已办结', '已立案侦查']);
  assert.ok(done.referral.updatedAt, 'referral.updatedAt missing');
  const closed = await cmd(c.admin, k, 'close', { note: '移交办结' }, 'closed');
  assert.equal(closed.stateLabel, '已结案');
  assert.ok(closed.closedAt && Date.parse(closed.closedAt) > Date.now() - 10 * 60 * 1000, 'closedAt not set');
  assert.deepEqual(closed.timeline.map((e) => e.action), ['open', 'refer', 'referral', 'referral', 'close']);
  // closed: nothing more
  expectError(await c.admin.post(p('close'), {}), 409, 'CASE_STATE_INVALID');
  expectError(await c.admin.post(p('refer'), { department: '区应急管理局' }), 409, 'CASE_STATE_INVALID');
  expectError(await c.admin.post(p('referral'), { status: 'returned' }), 409, 'CASE_STATE_INVALID');
  expectError(await c.admin.post(p('penalize'), penaltyBody()), 409, 'CASE_STATE_INVALID');
  cases.referred = closed;

  // a decided case may also be referred; an unknown case is 404
  const dk = await open(c.admin, { title: `${TAG} 处罚后移交`, unitId: units.b.id });
  await cmd(c.admin, dk, 'penalize', penaltyBody({ unitPenalty: { kind: 'warning' }, personPenalties: [{ name: '张三', role: '直接责任人员', kind: 'warning' }] }), 'decided');
  const dr = await cmd(c.admin, dk, 'refer', { department: '区市场监管局' }, 'referred');
  assert.equal(dr.penalties.length, 2, 'the penalties stay with a referred case');
  expectError(await c.admin.post(`/api/cases/${MISSING_ID}/refer`, { department: '区应急管理局' }), 404, 'NOT_FOUND');
  expectError(await c.admin.get(`/api/cases/${MISSING_ID}`), 404, 'NOT_FOUND');
});

test('expose: names become 姓+某, phones and ID numbers masked; the public page without login; ALREADY_EXPOSED; withdraw', async () => {
  const k = cases.main;
  const phone = randomPhone();
  const citizenId = makeCitizenId();
  const title = `${TAG} 邓华经营的场所违规动火被处罚`;
  const summary = `当事单位主要负责人邓华（电话 ${phone}，身份证号 ${citizenId}）、直接责任人员欧阳明未落实动火审批制度。`;
  expectError(await c.admin.post(`/api/cases/${k.id}/expose`, { title }), 400, 'REQUIRED', 'summary');
  const e = (await cmd(c.admin, k, 'expose', { title, summary }, 'decided')).exposure;
  assert.ok(e && Number.isInteger(e.id), 'no exposure');
  const maskedPhone = `${phone.slice(0, 3)}****${phone.slice(7)}`;
  const maskedId = `${citizenId.slice(0, 6)}********${citizenId.slice(14)}`;
  assert.equal(e.title, `${TAG} 邓某经营的场所违规动火被处罚`);
  assert.equal(e.summary, `当事单位主要负责人邓某（电话 ${maskedPhone}，身份证号 ${maskedId}）、直接责任人员欧阳某未落实动火审批制度。`);
  assert.equal(e.withdrawnAt, null);
  assert.ok(Date.parse(e.publishedAt) > Date.now() - 10 * 60 * 1000, 'publishedAt not now');
  // twice → 409
  expectError(await c.admin.post(`/api/cases/${k.id}/expose`, { title, summary }), 409, 'ALREADY_EXPOSED');

  // the public page: no session, the de-identified text, the venue and the penalties as text; no personal data anywhere
  const pub = await request('GET', '/api/public/exposures');
  assert.equal(pub.status, 200, describe(pub));
  const item = pub.json.items.find((x) => x.id === e.id);
  assert.ok(item, 'the exposure is not on the public page');
  assert.deepEqual(Object.keys(item).sort(), ['id', 'penalties', 'publishedAt', 'summary', 'title', 'venueName']);
  assert.deepEqual([item.title, item.summary, item.venueName, item.publishedAt], [e.title, e.summary, venues.sw.name, e.publishedAt]);
  assert.deepEqual(item.penalties, ['单位罚款 30000 元', '责任人员罚款 5000 元', '责任人员行政拘留']);
  for (const secret of ['邓华', '欧阳明', phone, citizenId, citizenId.slice(6, 14), phone.slice(3, 7) + phone.slice(7)]) {
    assert.ok(!pub.text.includes(secret), `the public page contains ${secret}`);
  }
  // withdraw: gone from the public page, twice 409, unknown 404
  const w = await c.admin.post(`/api/exposures/${e.id}/withdraw`);
  assert.equal(w.status, 200, describe(w));
  assert.equal(w.json.id, k.id);
  assert.ok(w.json.exposure.withdrawnAt, 'withdrawnAt not set');
  assert.equal(w.json.timeline.at(-1).action, 'withdraw');
  const after = await request('GET', '/api/public/exposures');
  assert.ok(!after.json.items.some((x) => x.id === e.id), 'a withdrawn exposure is still public');
  expectError(await c.admin.post(`/api/exposures/${e.id}/withdraw`), 409, 'ALREADY_WITHDRAWN');
  expectError(await c.admin.post(`/api/exposures/${MISSING_ID}/withdraw`), 404, 'NOT_FOUND');
  // the decided case closes
  const closed = await cmd(c.admin, k, 'close', {}, 'closed');
  assert.deepEqual(closed.timeline.map((x) => x.action), ['open', 'penalize', 'expose', 'withdraw', 'close']);
  cases.main = closed;
  cases.exposureId = e.id;
});

test('credit marks (失信联合惩戒): the case must be of the unit (CASE_NOT_FOUND); ALREADY_MARKED; lift with a reason; ALREADY_LIFTED', async () => {
  const u = units.a;
  const path = `/api/units/${u.id}/credit-marks`;
  expectError(await c.admin.post(path, { reason: '拒不整改', caseId: cases.unitB.id }), 400, 'CASE_NOT_FOUND', 'caseId');
  expectError(await c.admin.post(path, { reason: '拒不整改', caseId: cases.noUnit.id }), 400, 'CASE_NOT_FOUND', 'caseId');
  expectError(await c.admin.post(path, { reason: '拒不整改', caseId: MISSING_ID }), 400, 'CASE_NOT_FOUND', 'caseId');
  expectError(await c.admin.post(path, { caseId: cases.main.id }), 400, 'REQUIRED', 'reason');
  expectError(await c.admin.post(`/api/units/${MISSING_ID}/credit-marks`, { reason: '拒不整改' }), 404, 'NOT_FOUND');
  for (const k of ['vm', 'grid']) expectError(await c[k].post(path, { reason: '拒不整改' }), 403, 'FORBIDDEN');
  assert.equal((await listAll(c.admin, `/api/credit-marks?unitId=${u.id}`)).length, 0, 'a refused request marked the unit');

  const res = await c.sw.post(path, { reason: '拒不整改重大火灾隐患', caseId: cases.main.id });
  assert.equal(res.status, 201, describe(res));
  const m = res.json;
  assert.deepEqual([m.unitId, m.caseId, m.reason, m.active], [u.id, cases.main.id, '拒不整改重大火灾隐患', true]);
  expectError(await c.admin.post(path, { reason: '再次纳入' }), 409, 'ALREADY_MARKED');

  const listed = await listAll(c.admin, `/api/credit-marks?unitId=${u.id}`);
  assert.equal(listed.length, 1);
  assert.deepEqual(
    [listed[0].id, listed[0].unitName, listed[0].creditCode, listed[0].caseId, listed[0].active, listed[0].liftedAt, listed[0].liftReason],
    [m.id, u.name, u.creditCode, cases.main.id, true, null, null],
  );
  assert.ok(listed[0].markedAt, 'markedAt missing');
  assert.ok((await listAll(c.inspector, '/api/credit-marks?active=true')).some((x) => x.id === m.id), 'not in the active list');
  assert.ok(!(await listAll(c.admin, '/api/credit-marks?active=false')).some((x) => x.id === m.id), 'an active mark listed as lifted');
  expectError(await c.vm.get('/api/credit-marks'), 403, 'FORBIDDEN');

  // lift: a reason is required; then inactive; twice 409; unknown 404
  expectError(await c.admin.post(`/api/credit-marks/${m.id}/lift`, {}), 400, 'REQUIRED', 'reason');
  expectError(await c.admin.post(`/api/credit-marks/${MISSING_ID}/lift`, { reason: '信用修复' }), 404, 'NOT_FOUND');
  assert.equal((await listAll(c.admin, `/api/credit-marks?unitId=${u.id}&active=true`)).length, 1, 'a refused lift lifted the mark');
  const lifted = await c.admin.post(`/api/credit-marks/${m.id}/lift`, { reason: '已完成整改并公开承诺，信用修复' });
  assert.equal(lifted.status, 200, describe(lifted));
  assert.deepEqual([lifted.json.id, lifted.json.unitId, lifted.json.active], [m.id, u.id, false]);
  expectError(await c.admin.post(`/api/credit-marks/${m.id}/lift`, { reason: '再次修复' }), 409, 'ALREADY_LIFTED');
  const gone = await listAll(c.admin, `/api/credit-marks?unitId=${u.id}`);
  assert.deepEqual(gone.map((x) => [x.id, x.active, x.liftReason]), [[m.id, false, '已完成整改并公开承诺，信用修复']]);
  assert.ok(gone[0].liftedAt, 'liftedAt missing');
  assert.ok(!(await listAll(c.admin, '/api/credit-marks?active=true')).some((x) => x.id === m.id), 'a lifted mark is still active');
  assert.ok((await listAll(c.admin, '/api/credit-marks?active=false')).some((x) => x.id === m.id), 'a lifted mark is not listed as lifted');
  // once lifted, the unit can be marked again
  const again = await c.admin.post(path, { reason: '再次违法' });
  assert.equal(again.status, 201, describe(again));
  assert.notEqual(again.json.id, m.id);
  expectStatus(await c.admin.post(`/api/credit-marks/${again.json.id}/lift`, { reason: '信用修复' }), 200);
  cases.mark = m;
});

test('data scope: 商贸发展岗 and 文教体旅岗 see and act on the cases of their own venues only', async () => {
  const wjCase = await open(c.wj, { venueId: venues.wj.id, sourceType: 'hazard', sourceId: hazards.wj.id, title: `${TAG} 学校案件` });
  const ids = async (client) => (await listAll(client, `/api/cases?q=${encodeURIComponent(TAG)}`)).map((x) => x.id);
  const adminIds = await ids(c.admin);
  const swIds = await ids(c.sw);
  const wjIds = await ids(c.wj);
  for (const k of [cases.main, cases.noUnit, cases.swOwn, cases.referred]) {
    assert.ok(adminIds.includes(k.id) && swIds.includes(k.id), `${k.number}: not listed for admin / sw_officer`);
    assert.ok(!wjIds.includes(k.id), `${k.number}: listed for wj_officer`);
  }
  assert.ok(adminIds.includes(wjCase.id) && wjIds.includes(wjCase.id) && !swIds.includes(wjCase.id), 'the school case in the wrong lists');
  // detail and commands out of scope: 404
  expectError(await c.sw.get(`/api/cases/${wjCase.id}`), 404, 'NOT_FOUND');
  expectError(await c.wj.get(`/api/cases/${cases.main.id}`), 404, 'NOT_FOUND');
  expectError(await c.sw.post(`/api/cases/${wjCase.id}/penalize`, penaltyBody()), 404, 'NOT_FOUND');
  expectError(await c.sw.post(`/api/cases/${wjCase.id}/refer`, { department: '区消防救援支队' }), 404, 'NOT_FOUND');
  expectEqualState(await c.admin.getOk(`/api/cases/${wjCase.id}`), 'open');
  expectStatus(await c.wj.get(`/api/cases/${wjCase.id}`), 200);
  expectStatus(await c.sw.get(`/api/cases/${cases.main.id}`), 200);
  // an exposure of a case out of scope cannot be withdrawn
  await cmd(c.wj, wjCase, 'penalize', penaltyBody({ unitPenalty: { kind: 'warning' }, personPenalties: [{ name: '王五', role: '主要负责人', kind: 'warning' }] }), 'decided');
  const ex = (await cmd(c.wj, wjCase, 'expose', { title: `${TAG} 学校曝光`, summary: '王五未落实动火审批' }, 'decided')).exposure;
  expectError(await c.sw.post(`/api/exposures/${ex.id}/withdraw`), 404, 'NOT_FOUND');
  assert.ok((await request('GET', '/api/public/exposures')).json.items.some((x) => x.id === ex.id), 'the out-of-scope withdraw took effect');
  expectStatus(await c.wj.post(`/api/exposures/${ex.id}/withdraw`), 200);
  // roles without case:read
  for (const k of ['vm', 'grid']) {
    expectError(await c[k].get('/api/cases'), 403, 'FORBIDDEN');
    expectError(await c[k].get(`/api/cases/${cases.main.id}`), 403, 'FORBIDDEN');
  }
  expectStatus(await c.inspector.get('/api/cases'), 200);
});

function expectEqualState(k, state) {
  assert.equal(k.state, state, `${k.number}: state ${k.state}, expected ${state}`);
}

test('list filters: state, venueId, q', async () => {
  const closed = await listAll(c.admin, `/api/cases?q=${encodeURIComponent(TAG)}&state=closed`);
  assert.ok(closed.length >= 2 && closed.every((k) => k.state === 'closed'), 'state=closed');
  assert.ok(closed.some((k) => k.id === cases.main.id) && closed.some((k) => k.id === cases.referred.id));
  const open = await listAll(c.admin, `/api/cases?q=${encodeURIComponent(TAG)}&state=open`);
  assert.ok(open.length > 0 && open.every((k) => k.state === 'open') && !open.some((k) => k.id === cases.main.id), 'state=open');
  const byVenue = await listAll(c.admin, `/api/cases?venueId=${venues.wj.id}`);
  assert.ok(byVenue.length === 1 && byVenue[0].venueId === venues.wj.id, `venueId filter: ${byVenue.length}`);
  const byNumber = await listAll(c.admin, `/api/cases?q=${encodeURIComponent(cases.main.number)}`);
  assert.deepEqual(byNumber.map((k) => k.id), [cases.main.id]);
  const byParty = await listAll(c.admin, `/api/cases?q=${encodeURIComponent(units.a.name)}`);
  assert.ok(byParty.some((k) => k.id === cases.main.id), 'q by party name');
  const list = await c.admin.getOk(`/api/cases?q=${encodeURIComponent(TAG)}&pageSize=1`);
  assert.equal(list.items.length, 1);
  assert.ok(list.total > 1);
  assert.equal(list.items[0].timeline, undefined, 'list items carry the timeline');
  expectError(await c.admin.get('/api/cases?state=pending'), 400, 'INVALID_VALUE', 'state');
  expectError(await c.admin.get('/api/cases?pageSize=500'), 400, 'INVALID_VALUE', 'pageSize');
});

test('audit rows for every command', async () => {
  const rows = async (type, id) => (await listAll(c.admin, `/api/audit-logs?targetType=${type}&targetId=${id}`)).sort((a, b) => a.id - b.id);
  const main = await rows('case', cases.main.id);
  assert.deepEqual(main.map((r) => r.action), ['case.open', 'case.penalize', 'case.expose', 'case.withdraw_exposure', 'case.close']);
  assert.ok(main.every((r) => r.username === 'admin' && r.ip), 'who / ip missing');
  assert.equal(main[0].summary.after.number, cases.main.number);
  assert.equal(main[1].summary.before.state, 'open');
  assert.equal(main[1].summary.after.state, 'decided');
  assert.equal(main[4].summary.after.state, 'closed');
  const referred = await rows('case', cases.referred.id);
  assert.deepEqual(referred.map((r) => r.action), ['case.open', 'case.refer', 'case.referral', 'case.referral', 'case.close']);
  const unit = await rows('unit', units.a.id);
  const credit = unit.filter((r) => r.action.startsWith('credit.'));
  assert.deepEqual(credit.map((r) => [r.action, r.username]), [['credit.mark', 'sw_officer'], ['credit.lift', 'admin'], ['credit.mark', 'admin'], ['credit.lift', 'admin']]);
  assert.equal(credit[0].summary.after.id, cases.mark.id);
  assert.equal(credit[0].summary.after.caseId, cases.main.id);
  assert.equal(credit[1].summary.after.active, false);
  // the chain still verifies
  const v = await c.admin.getOk('/api/audit-logs/verify');
  assert.equal(v.ok, true, `audit chain: ${JSON.stringify(v).slice(0, 200)}`);
});
