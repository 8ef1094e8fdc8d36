// 动火作业供需对接 (docs/openapi.yaml, tag market): a venue posts hot work it needs (XQ-YYYY-NNNN, audit row), every bad
// field refused with its code and field and nothing written; construction units answer with certified workers only
// (not in the unit, no certificate, a certificate that ends inside the period, too few workers, a unit under a
// credit mark: each refused); the venue sees every answer with the unit's standing, a unit only its own; awarding
// one declines the rest and tells both; the contact phone is masked until the work is awarded; done / cancel and
// every command from a wrong state (409); ratings (1-5, on done or once afterwards, averaged into the unit's standing);
// an open request past its period reads as expired (test clock); data scope;
// the providers' list. Every request here has TAG in its title.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  login, describe, expectError, uid, randomPhone, localDate, permitWorld, createOpenVenue, createUnit, createPerson,
  createCertificate, createMachine, createAccountPerson, setServerClock, resetServerClock, permitBody, HOUR, MISSING_ID,
  assertPhoneSealed,
} from './lib.mjs';

const TAG = uid('xq');
const NUMBER = /^XQ-(\d{4})-(\d{4,})$/;
const c = {};
let world, venue, otherVenue, unitA, unitB, workersA, workersB, bClient, bUser, vmUser, phone;

/** A worker of `unit` with a 熔化焊接与热切割 certificate valid until `validUntil`. */
async function certifiedWorker(unit, validUntil = localDate(400), name = '供需测试焊工') {
  const person = await createPerson(c.admin, { name, unitId: unit.id });
  await createCertificate(c.admin, person, { validUntil, nextReview: validUntil });
  return person;
}

before(async () => {
  for (const [k, u] of [['admin', 'admin'], ['vm', 'venue_mgr'], ['contractor', 'contractor'], ['sw', 'sw_officer'], ['wj', 'wj_officer'],
    ['grid', 'grid_longfeng'], ['welder', 'welder']]) {
    c[k] = await login(u);
  }
  world = await permitWorld(c.admin);
  vmUser = world.users.get('venue_mgr');
  // 龙凤社区, supervised by 商贸发展岗 (sw_officer); managed by venue_mgr
  venue = await createOpenVenue(c.admin, world, vmUser.id, { name: `供需测试场所${uid('v')}` });
  otherVenue = await createOpenVenue(c.admin, world, null, { name: `供需他人场所${uid('v')}` });
  unitA = world.unit; // the demo contractor's unit (重庆金凤建筑安装工程有限公司)
  workersA = [await certifiedWorker(unitA), await certifiedWorker(unitA)];
  await createMachine(c.admin, unitA.id);
  unitB = await createUnit(c.admin, { name: `供需测试钢构${uid('n')}` });
  const b = await createAccountPerson(c.admin, world, 'contractor', { name: '乙单位负责人', unitId: unitB.id });
  bClient = b.client;
  bUser = b.user;
  workersB = [await certifiedWorker(unitB), await certifiedWorker(unitB)];
  phone = randomPhone();
});

after(async () => {
  await resetServerClock();
});

const body = (over = {}) => ({
  venueId: venue.id,
  title: `${TAG} 后厨排烟管道焊接`,
  description: '后厨排烟管道支架约 12 米需电焊固定，旧管道一段需气割拆除',
  place: '一层后厨',
  methods: ['electric_welding', 'gas_cutting'],
  windowStart: localDate(2),
  windowEnd: localDate(12),
  workersNeeded: 2,
  budget: 3500,
  contactName: '王店长',
  contactPhone: phone,
  ...over,
});

/** POST /api/market/requests as the venue manager; asserts 201 and open. */
async function post(over = {}, client = c.vm) {
  const res = await client.post('/api/market/requests', body(over));
  assert.equal(res.status, 201, `post: ${describe(res)}`);
  assert.equal(res.json.state, 'open');
  return res.json;
}
/** An answer; asserts 200 and returns the request as the answering unit sees it. */
async function offer(client, r, unit, people, over = {}) {
  const res = await client.post(`/api/market/requests/${r.id}/offers`, { unitId: unit.id, peopleIds: people.map((p) => p.id), price: 3200, note: '两人一天完成', ...over });
  assert.equal(res.status, 200, `offer: ${describe(res)}`);
  return res.json;
}
const total = async () => (await c.admin.getOk(`/api/market/requests?q=${encodeURIComponent(TAG)}&pageSize=1`)).total;
const notices = async (client, event) => (await client.getOk('/api/notifications?pageSize=100')).items.filter((n) => n.event === event);

test('a venue manager posts a request: numbered, open, labelled, audited; the phone is shown to the venue side only', async () => {
  const r = await post();
  assert.match(r.number, NUMBER);
  assert.equal(NUMBER.exec(r.number)[1], localDate(0).slice(0, 4));
  assert.equal(r.stateLabel, '征集中');
  assert.equal(r.expired, false);
  assert.equal(r.venueName, venue.name);
  assert.equal(r.villageName, '龙凤社区');
  assert.deepEqual(r.methods, ['electric_welding', 'gas_cutting']);
  assert.deepEqual(r.methodLabels, ['电焊', '气割']);
  assert.equal(r.budget, 3500);
  assert.equal(r.workersNeeded, 2);
  assert.equal(r.contactPhone, phone);
  assert.equal(r.venueSide, true);
  assert.deepEqual(r.offers, []);
  const audit = await c.admin.getOk(`/api/audit-logs?action=market.request_post&targetId=${r.id}`);
  assert.equal(audit.items.length, 1);
  assertPhoneSealed({ table: 'work_requests', column: 'contact_phone', id: r.id, phone, targetType: 'work_request' });
  // A construction unit reads it among the open requests, with the phone masked and no contact in the list.
  const listed = (await c.contractor.getOk(`/api/market/requests?state=open&q=${encodeURIComponent(TAG)}`)).items.find((x) => x.id === r.id);
  assert.ok(listed, 'the contractor lists the open request');
  assert.equal(listed.contactPhone, undefined);
  const seen = await c.contractor.getOk(`/api/market/requests/${r.id}`);
  assert.equal(seen.contactPhone, `${phone.slice(0, 3)}****${phone.slice(7)}`);
  assert.equal(seen.venueSide, false);
  // No budget is a request too.
  const nb = await post({ budget: undefined, title: `${TAG} 无预算` });
  assert.equal(nb.budget, null);
});

test('bad requests: each field refused with its code and field, nothing written', async () => {
  const before = await total();
  const cases = [
    [{ venueId: undefined }, 'REQUIRED', 'venueId'],
    [{ venueId: 'x' }, 'INVALID_TYPE', 'venueId'],
    [{ venueId: MISSING_ID }, 'VENUE_NOT_FOUND', 'venueId'],
    [{ venueId: otherVenue.id }, 'VENUE_NOT_FOUND', 'venueId'], // not the manager's venue
    [{ title: '' }, 'REQUIRED', 'title'],
    [{ title: '长'.repeat(101) }, 'TOO_LONG', 'title'],
    [{ description: undefined }, 'REQUIRED', 'description'],
    [{ place: '  ' }, 'REQUIRED', 'place'],
    [{ methods: [] }, 'REQUIRED', 'methods'],
    [{ methods: 'electric_welding' }, 'INVALID_TYPE', 'methods'],
    [{ methods: ['laser'] }, 'INVALID_VALUE', 'methods'],
    [{ windowStart: '2026-13-01' }, 'INVALID_VALUE', 'windowStart'],
    [{ windowStart: localDate(-1) }, 'INVALID_VALUE', 'windowStart'],
    [{ windowEnd: localDate(1) }, 'INVALID_VALUE', 'windowEnd'],
    [{ windowEnd: localDate(2 + 90) }, 'INVALID_VALUE', 'windowEnd'],
    [{ workersNeeded: 0 }, 'INVALID_VALUE', 'workersNeeded'],
    [{ workersNeeded: 21 }, 'INVALID_VALUE', 'workersNeeded'],
    [{ budget: -1 }, 'INVALID_VALUE', 'budget'],
    [{ contactName: undefined }, 'REQUIRED', 'contactName'],
    [{ contactPhone: '123' }, 'INVALID_VALUE', 'contactPhone'],
    [{ extra: 1 }, 'UNKNOWN_FIELD', 'extra'],
  ];
  for (const [over, code, field] of cases) {
    const res = await c.vm.post('/api/market/requests', body({ ...over, title: over.title ?? `${TAG} 坏输入` }));
    expectError(res, 400, code, field);
  }
  assert.equal(await total(), before, 'nothing written');
  // Who may post: a contractor or an officer may not.
  expectError(await c.contractor.post('/api/market/requests', body()), 403, 'FORBIDDEN');
  expectError(await c.sw.post('/api/market/requests', body()), 403, 'FORBIDDEN');
});

test('answers: only the unit\'s own workers with certificates covering the period, enough of them, each refusal with its code', async () => {
  const r = await post({ title: `${TAG} 应征校验` });
  const ids = workersA.map((p) => p.id);
  const bad = async (over, status, code, field) => {
    const res = await c.contractor.post(`/api/market/requests/${r.id}/offers`, { unitId: unitA.id, peopleIds: ids, ...over });
    expectError(res, status, code, field);
  };
  await bad({ peopleIds: [] }, 400, 'REQUIRED', 'peopleIds');
  await bad({ peopleIds: [ids[0], ids[0]] }, 400, 'INVALID_VALUE', 'peopleIds');
  await bad({ peopleIds: [ids[0], 'x'] }, 400, 'INVALID_TYPE', 'peopleIds');
  await bad({ peopleIds: [ids[0], MISSING_ID] }, 400, 'PERSON_NOT_FOUND', 'peopleIds');
  await bad({ peopleIds: [ids[0], workersB[0].id] }, 400, 'PERSON_NOT_IN_UNIT', 'peopleIds');
  await bad({ peopleIds: [ids[0]] }, 400, 'NOT_ENOUGH_WORKERS', 'peopleIds');
  const uncertified = await createPerson(c.admin, { name: '无证人员', unitId: unitA.id });
  await bad({ peopleIds: [ids[0], uncertified.id] }, 400, 'PERSON_NOT_CERTIFIED', 'peopleIds');
  const shortCert = await certifiedWorker(unitA, localDate(5), '证书将到期');
  const res = await c.contractor.post(`/api/market/requests/${r.id}/offers`, { unitId: unitA.id, peopleIds: [ids[0], shortCert.id] });
  expectError(res, 400, 'PERSON_NOT_CERTIFIED', 'peopleIds');
  assert.match(res.json.message, /证书将到期.*有效期至/);
  await bad({ unitId: unitB.id, peopleIds: workersB.map((p) => p.id) }, 400, 'UNIT_NOT_FOUND', 'unitId'); // not the caller's unit
  await bad({ price: -5 }, 400, 'INVALID_VALUE', 'price');
  await bad({ note: '长'.repeat(1001) }, 400, 'TOO_LONG', 'note');
  expectError(await c.vm.post(`/api/market/requests/${r.id}/offers`, { unitId: unitA.id, peopleIds: ids }), 403, 'FORBIDDEN');
  expectError(await c.contractor.post(`/api/market/requests/${MISSING_ID}/offers`, { unitId: unitA.id, peopleIds: ids }), 404, 'NOT_FOUND');
  const detail = await c.vm.getOk(`/api/market/requests/${r.id}`);
  assert.deepEqual(detail.offers, [], 'no refused answer was written');
});

test('a unit under a credit mark cannot answer until the mark is lifted', async () => {
  const r = await post({ title: `${TAG} 信用惩戒` });
  const mark = await c.admin.post(`/api/units/${unitB.id}/credit-marks`, { reason: '违规动火作业' });
  assert.equal(mark.status, 201, describe(mark));
  try {
    expectError(await bClient.post(`/api/market/requests/${r.id}/offers`, { unitId: unitB.id, peopleIds: workersB.map((p) => p.id) }), 409,
      'UNIT_CREDIT_RESTRICTED');
    const providers = await c.vm.getOk(`/api/market/providers?q=${encodeURIComponent(unitB.name)}`);
    assert.equal(providers.items[0].standing.creditMarks, 1);
  } finally {
    const lifted = await c.admin.post(`/api/credit-marks/${mark.json.id}/lift`, { reason: '已整改' });
    assert.equal(lifted.status, 200, describe(lifted));
  }
  const seen = await offer(bClient, r, unitB, workersB);
  assert.equal(seen.offers.length, 1);
});

test('answer, see, award: the venue sees all answers with standing, units their own; the award declines the rest and tells both', async () => {
  const r = await post({ title: `${TAG} 选定流程` });
  const a = await offer(c.contractor, r, unitA, workersA);
  assert.equal(a.offers.length, 1);
  assert.equal(a.offers[0].mine, true);
  assert.equal(a.offers[0].state, 'pending');
  assert.equal(a.offers[0].stateLabel, '待选定');
  assert.deepEqual(a.offers[0].people.map((p) => p.id), workersA.map((p) => p.id));
  assert.match(a.offers[0].people[0].certificate.kindLabel, /熔化焊接与热切割/);
  // The unit answers again: its answer is replaced, not doubled.
  const again = await offer(c.contractor, r, unitA, workersA, { price: 3000 });
  assert.equal(again.offers.length, 1);
  assert.equal(again.offers[0].price, 3000);
  const b = await offer(bClient, r, unitB, workersB);
  assert.deepEqual(b.offers.map((o) => o.unitId), [unitB.id], 'a unit sees only its own answer');
  const told = await notices(c.vm, 'market.offer');
  assert.ok(told.some((n) => n.link === `/market/${r.id}`), 'the poster is told of answers');

  const seen = await c.vm.getOk(`/api/market/requests/${r.id}`);
  assert.deepEqual(seen.offers.map((o) => o.unitId).sort(), [unitA.id, unitB.id].sort());
  assert.equal(seen.offerCount, 2);
  const standing = seen.offers.find((o) => o.unitId === unitA.id).standing;
  assert.ok(standing.certifiedPeople >= 2, `certified people: ${standing.certifiedPeople}`);
  assert.ok(standing.chippedMachines >= 1);
  assert.equal(standing.creditMarks, 0);

  const offerA = seen.offers.find((o) => o.unitId === unitA.id);
  const offerB = seen.offers.find((o) => o.unitId === unitB.id);
  expectError(await c.contractor.post(`/api/market/offers/${offerA.id}/accept`, {}), 403, 'FORBIDDEN');
  expectError(await bClient.post(`/api/market/offers/${offerA.id}/withdraw`, {}), 403, 'FORBIDDEN'); // not B's answer
  const res = await c.vm.post(`/api/market/offers/${offerA.id}/accept`, {});
  assert.equal(res.status, 200, describe(res));
  assert.equal(res.json.state, 'awarded');
  assert.equal(res.json.stateLabel, '已选定');
  assert.equal(res.json.awardedOfferId, offerA.id);
  assert.equal(res.json.awardedUnitName, unitA.name);
  assert.deepEqual(Object.fromEntries(res.json.offers.map((o) => [o.unitId, o.state])), { [unitA.id]: 'accepted', [unitB.id]: 'declined' });

  // The awarded unit now sees the phone; the other still sees it masked, and its declined answer cannot be withdrawn.
  assert.equal((await c.contractor.getOk(`/api/market/requests/${r.id}`)).contactPhone, phone);
  assert.notEqual((await bClient.getOk(`/api/market/requests/${r.id}`)).contactPhone, phone);
  expectError(await bClient.post(`/api/market/offers/${offerB.id}/withdraw`, {}), 409, 'OFFER_STATE_INVALID');
  expectError(await c.vm.post(`/api/market/offers/${offerB.id}/accept`, {}), 409, 'REQUEST_NOT_OPEN');
  expectError(await c.contractor.post(`/api/market/requests/${r.id}/offers`, { unitId: unitA.id, peopleIds: workersA.map((p) => p.id) }), 409,
    'REQUEST_NOT_OPEN');
  const won = (await notices(c.contractor, 'market.result')).filter((n) => n.link === `/market/${r.id}`);
  const lost = (await notices(bClient, 'market.result')).filter((n) => n.link === `/market/${r.id}`);
  assert.equal(won.length, 1);
  assert.match(won[0].title, /已选定贵单位/);
  assert.equal(lost.length, 1);
  assert.match(lost[0].title, /未选定贵单位/);
  const actions = (await c.admin.getOk(`/api/audit-logs?targetType=work_offer&targetId=${offerA.id}&pageSize=50`)).items.map((x) => x.action).sort();
  assert.deepEqual(actions, ['market.offer_accept', 'market.offer_submit', 'market.offer_submit']);

  // Done, by the venue's side only, and only once.
  expectError(await c.vm.post(`/api/market/requests/${r.id}/done`, { note: 1 }), 400, 'INVALID_TYPE', 'note');
  const done = await c.vm.post(`/api/market/requests/${r.id}/done`, { note: '已按期完成，动火作业证 DH 已关闭' });
  assert.equal(done.status, 200, describe(done));
  assert.equal(done.json.state, 'done');
  assert.equal(done.json.closeNote, '已按期完成，动火作业证 DH 已关闭');
  expectError(await c.vm.post(`/api/market/requests/${r.id}/done`, {}), 409, 'REQUEST_STATE_INVALID');
  expectError(await c.vm.post(`/api/market/requests/${r.id}/cancel`, { reason: '不再需要' }), 409, 'REQUEST_STATE_INVALID');
});

test('the awarded unit\'s permit names the request, which then lists it; work not awarded to the unit or at another venue is refused', async () => {
  const r = await post({ title: `${TAG} 关联作业证` });
  const open = await post({ title: `${TAG} 未选定` });
  const answered = await offer(c.contractor, r, unitA, workersA);
  await offer(bClient, r, unitB, workersB);
  const accepted = await c.vm.post(`/api/market/offers/${answered.offers[0].id}/accept`, {});
  assert.equal(accepted.status, 200, describe(accepted));
  const start = Date.now() + 50 * HOUR;
  const body = (over) => permitBody({ venueId: venue.id, start, end: start + 4 * HOUR, jobLeaderId: world.people.get('邓强').id,
    approverUserId: vmUser.id, unitId: unitA.id }, { fireWatchId: world.people.get('曾小燕').id, workRequestId: r.id, ...over });
  for (const over of [{ workRequestId: open.id }, { workRequestId: MISSING_ID }, { unitId: unitB.id }, { unitId: undefined },
    { venueId: otherVenue.id }]) {
    expectError(await c.contractor.post('/api/permits', body(over)), 400, 'WORK_REQUEST_MISMATCH', 'workRequestId');
  }
  expectError(await c.contractor.post('/api/permits', body({ workRequestId: 'x' })), 400, 'INVALID_TYPE', 'workRequestId');
  assert.deepEqual((await c.vm.getOk(`/api/market/requests/${r.id}`)).permits, [], 'no refused permit was written');
  const created = await c.contractor.post('/api/permits', body());
  assert.equal(created.status, 201, describe(created));
  assert.equal(created.json.workRequestId, r.id);
  const listed = [{ id: created.json.id, number: created.json.number, state: 'draft', stateLabel: '草稿', plannedStart: created.json.plannedStart }];
  assert.deepEqual((await c.vm.getOk(`/api/market/requests/${r.id}`)).permits, listed, 'the venue sees the permit on the request');
  assert.deepEqual((await c.contractor.getOk(`/api/market/requests/${r.id}`)).permits, listed);
  assert.deepEqual((await bClient.getOk(`/api/market/requests/${r.id}`)).permits, [], 'the unit not chosen does not');
  const plain = await c.contractor.post('/api/permits', body({ workRequestId: undefined }));
  assert.equal(plain.status, 201, describe(plain));
  assert.equal(plain.json.workRequestId, null);
});

test('ratings: given on done or once afterwards by the venue side, 1 to 5 only, averaged into the unit\'s standing', async () => {
  // unitB has no rated work before this test.
  const awarded = async (title) => {
    const r = await post({ title: `${TAG} ${title}` });
    await offer(bClient, r, unitB, workersB);
    const offerId = (await c.vm.getOk(`/api/market/requests/${r.id}`)).offers.find((o) => o.unitId === unitB.id).id;
    const res = await c.vm.post(`/api/market/offers/${offerId}/accept`, {});
    assert.equal(res.status, 200, describe(res));
    return r;
  };
  const standingB = async () => (await c.vm.getOk(`/api/market/providers?q=${encodeURIComponent(unitB.name)}`)).items.find((u) => u.id === unitB.id).standing;
  assert.deepEqual([(await standingB()).rating, (await standingB()).ratings], [null, 0]);

  const first = await awarded('评价一');
  for (const [rating, code] of [[0, 'INVALID_VALUE'], [6, 'INVALID_VALUE'], [-1, 'INVALID_VALUE'], [4.5, 'INVALID_TYPE'], ['5', 'INVALID_TYPE'], [true, 'INVALID_TYPE']]) {
    expectError(await c.vm.post(`/api/market/requests/${first.id}/done`, { note: '完成', rating }), 400, code, 'rating');
  }
  const untouched = await c.vm.getOk(`/api/market/requests/${first.id}`);
  assert.deepEqual([untouched.state, untouched.closeNote, untouched.rating], ['awarded', '', null], 'a refused done wrote nothing');
  expectError(await c.vm.post(`/api/market/requests/${first.id}/rate`, { rating: 4 }), 409, 'REQUEST_STATE_INVALID'); // not done yet
  const done = await c.vm.post(`/api/market/requests/${first.id}/done`, { note: '按期完成', rating: 4 });
  assert.equal(done.status, 200, describe(done));
  assert.deepEqual([done.json.state, done.json.rating], ['done', 4]);
  expectError(await c.vm.post(`/api/market/requests/${first.id}/rate`, { rating: 5 }), 409, 'REQUEST_ALREADY_RATED');
  assert.equal((await c.vm.getOk(`/api/market/requests/${first.id}`)).rating, 4, 'a rating is not changed');
  assert.equal((await bClient.getOk(`/api/market/requests/${first.id}`)).rating, 4, 'the unit sees the rating of its work');
  assert.deepEqual([(await standingB()).rating, (await standingB()).ratings], [4, 1]);
  const told = async (r) => (await notices(bClient, 'market.closed')).filter((n) => n.link === `/market/${r.id}`).map((n) => `${n.title} ${n.body}`);
  const heardFirst = await told(first);
  assert.equal(heardFirst.length, 1, 'the awarded unit hears its work confirmed done, once');
  assert.match(heardFirst[0], /已确认完成.*场所评价：满意（4 星）/);

  // Done without a rating; rated later, once, by the venue's side only.
  const second = await awarded('评价二');
  const plain = await c.vm.post(`/api/market/requests/${second.id}/done`, {});
  assert.equal(plain.status, 200, describe(plain));
  assert.equal(plain.json.rating, null);
  expectError(await c.vm.post(`/api/market/requests/${second.id}/rate`, {}), 400, 'REQUIRED', 'rating');
  expectError(await c.vm.post(`/api/market/requests/${second.id}/rate`, { rating: 9 }), 400, 'INVALID_VALUE', 'rating');
  expectError(await bClient.post(`/api/market/requests/${second.id}/rate`, { rating: 5 }), 403, 'FORBIDDEN'); // the rated unit itself
  expectError(await c.admin.post(`/api/market/requests/${MISSING_ID}/rate`, { rating: 5 }), 404, 'NOT_FOUND');
  assert.equal((await c.vm.getOk(`/api/market/requests/${second.id}`)).rating, null, 'refused ratings wrote nothing');
  const rated = await c.vm.post(`/api/market/requests/${second.id}/rate`, { rating: 5 });
  assert.equal(rated.status, 200, describe(rated));
  assert.deepEqual([rated.json.state, rated.json.rating], ['done', 5]);
  const heardSecond = await told(second);
  assert.equal(heardSecond.length, 2);
  assert.match(heardSecond[1], /已确认完成.*场所暂未评价/); // newest first
  assert.match(heardSecond[0], /场所评价了贵单位承接的动火作业.*很满意（5 星）/);
  const audit = (await c.admin.getOk(`/api/audit-logs?action=market.request_rate&targetId=${second.id}`)).items;
  assert.equal(audit.length, 1);
  assert.deepEqual([audit[0].summary.before.rating, audit[0].summary.after.rating], [null, 5]);

  // The mean shows wherever the unit's standing does: the providers' list and its answers to another request.
  assert.deepEqual([(await standingB()).rating, (await standingB()).ratings], [4.5, 2]);
  const third = await post({ title: `${TAG} 评价三` });
  await offer(bClient, third, unitB, workersB);
  const standing = (await c.vm.getOk(`/api/market/requests/${third.id}`)).offers.find((o) => o.unitId === unitB.id).standing;
  assert.deepEqual([standing.rating, standing.ratings], [4.5, 2]);
});

test('withdraw and cancel: a pending answer is withdrawn by its unit; cancelling declines what is pending', async () => {
  const r = await post({ title: `${TAG} 撤销` });
  const a = await offer(c.contractor, r, unitA, workersA);
  const w = await c.contractor.post(`/api/market/offers/${a.offers[0].id}/withdraw`, {});
  assert.equal(w.status, 200, describe(w));
  assert.equal(w.json.offers[0].state, 'withdrawn');
  expectError(await c.contractor.post(`/api/market/offers/${a.offers[0].id}/withdraw`, {}), 409, 'OFFER_STATE_INVALID');
  expectError(await c.vm.post(`/api/market/offers/${a.offers[0].id}/accept`, {}), 409, 'OFFER_STATE_INVALID');
  // Answering again brings it back.
  assert.equal((await offer(c.contractor, r, unitA, workersA)).offers[0].state, 'pending');
  expectError(await c.vm.post(`/api/market/requests/${r.id}/done`, {}), 409, 'REQUEST_STATE_INVALID'); // not awarded
  expectError(await c.vm.post(`/api/market/requests/${r.id}/cancel`, {}), 400, 'REQUIRED', 'reason');
  expectError(await c.contractor.post(`/api/market/requests/${r.id}/cancel`, { reason: 'x' }), 403, 'FORBIDDEN');
  const cancelled = await c.vm.post(`/api/market/requests/${r.id}/cancel`, { reason: '改由自有维修人员处理' });
  assert.equal(cancelled.status, 200, describe(cancelled));
  assert.equal(cancelled.json.state, 'cancelled');
  assert.equal(cancelled.json.offers[0].state, 'declined');
  const heard = (await notices(c.contractor, 'market.closed')).filter((n) => n.link === `/market/${r.id}`);
  assert.equal(heard.length, 1, 'the unit still in the running hears of the cancellation');
  assert.match(`${heard[0].title} ${heard[0].body}`, /已撤销.*撤销原因：改由自有维修人员处理/);
  expectError(await c.vm.post(`/api/market/requests/${MISSING_ID}/cancel`, { reason: 'x' }), 404, 'NOT_FOUND');
});

test('scope: the supervising department and the village see the request, another department and a welder do not', async () => {
  const r = await post({ title: `${TAG} 范围` });
  const inList = async (client) => (await client.getOk(`/api/market/requests?q=${encodeURIComponent(TAG)}&pageSize=100`)).items.some((x) => x.id === r.id);
  assert.equal(await inList(c.sw), true);
  assert.equal(await inList(c.grid), true);
  assert.equal((await c.sw.getOk(`/api/market/requests/${r.id}`)).contactPhone, phone, 'officials over the venue see the phone');
  assert.equal(await inList(c.wj), false);
  expectError(await c.wj.get(`/api/market/requests/${r.id}`), 404, 'NOT_FOUND');
  expectError(await c.welder.get('/api/market/requests'), 403, 'FORBIDDEN');
  // A unit sees an open request, and one it answered after it is awarded to someone else; not another unit's award.
  await offer(bClient, r, unitB, workersB);
  const offerB = (await c.vm.getOk(`/api/market/requests/${r.id}`)).offers[0];
  assert.equal((await c.vm.post(`/api/market/offers/${offerB.id}/accept`, {})).status, 200);
  assert.equal((await bClient.getOk(`/api/market/requests/${r.id}`)).state, 'awarded');
  expectError(await c.contractor.get(`/api/market/requests/${r.id}`), 404, 'NOT_FOUND');
  // mine=true: what the caller posted, or answered
  const mineB = (await bClient.getOk('/api/market/requests?mine=true&pageSize=100')).items.map((x) => x.id);
  assert.ok(mineB.includes(r.id));
  const mineVm = (await c.vm.getOk(`/api/market/requests?mine=true&q=${encodeURIComponent(TAG)}&pageSize=100`)).items;
  assert.ok(mineVm.length >= 1 && mineVm.every((x) => x.createdBy === vmUser.id));
  expectError(await c.vm.get('/api/market/requests?state=closed'), 400, 'INVALID_VALUE', 'state');
});

test('providers: units with a certified worker, with their standing; a unit with none is not listed', async () => {
  const empty = await createUnit(c.admin, { name: `供需无证单位${uid('n')}` });
  await createPerson(c.admin, { name: '无证', unitId: empty.id });
  const listed = await c.vm.getOk(`/api/market/providers?q=${encodeURIComponent(unitB.name)}`);
  assert.equal(listed.total, 1);
  assert.equal(listed.items[0].id, unitB.id);
  assert.equal(listed.items[0].standing.certifiedPeople, 2);
  assert.ok(listed.items[0].awarded >= 1);
  assert.equal((await c.vm.getOk(`/api/market/providers?q=${encodeURIComponent(empty.name)}`)).total, 0);
  expectError(await c.welder.get('/api/market/providers'), 403, 'FORBIDDEN');
});

test('an open request past its period reads as expired and takes no answers (test clock)', async () => {
  const r = await post({ title: `${TAG} 过期`, windowStart: localDate(0), windowEnd: localDate(1) });
  await setServerClock(3 * 24 * 3600);
  const vm = await login('venue_mgr');
  const contractor = await login('contractor');
  const seen = await vm.getOk(`/api/market/requests/${r.id}`);
  assert.equal(seen.expired, true);
  assert.equal(seen.stateLabel, '已过期');
  assert.ok((await vm.getOk(`/api/market/requests?state=expired&q=${encodeURIComponent(TAG)}&pageSize=100`)).items.some((x) => x.id === r.id));
  assert.ok(!(await vm.getOk(`/api/market/requests?state=open&q=${encodeURIComponent(TAG)}&pageSize=100`)).items.some((x) => x.id === r.id));
  expectError(await contractor.post(`/api/market/requests/${r.id}/offers`, { unitId: unitA.id, peopleIds: workersA.map((p) => p.id) }), 409,
    'REQUEST_EXPIRED');
  // It can still be cancelled by the venue.
  assert.equal((await vm.post(`/api/market/requests/${r.id}/cancel`, { reason: '过期未找到单位' })).status, 200);
  await resetServerClock();
});

test('a request about to start without a unit chosen reminds its poster once: none answered yet, or how many wait', async () => {
  // None is due yet (each starts in three days or more), so the scheduler's own rounds leave them alone meanwhile.
  const none = await post({ title: `${TAG} 提醒无应征`, windowStart: localDate(3), windowEnd: localDate(8) });
  const some = await post({ title: `${TAG} 提醒待选定`, windowStart: localDate(3), windowEnd: localDate(8) });
  await offer(c.contractor, some, unitA, workersA);
  const later = await post({ title: `${TAG} 提醒尚早`, windowStart: localDate(5), windowEnd: localDate(9) });
  const chosen = await post({ title: `${TAG} 提醒已选定`, windowStart: localDate(3), windowEnd: localDate(8) });
  const [answer] = (await offer(c.contractor, chosen, unitA, workersA)).offers;
  assert.equal((await c.vm.post(`/api/market/offers/${answer.id}/accept`, {})).status, 200);

  const told = async (client, r) => (await notices(client, 'market.remind')).filter((n) => n.link === `/market/${r.id}`);
  assert.deepEqual(await told(c.vm, none), [], 'not before two days ahead');
  await setServerClock(24 * 3600 + 60); // a day on (and the timers run): the first ones start within two days
  const vm = await login('venue_mgr');
  const [a, ...moreA] = await told(vm, none);
  assert.deepEqual(moreA, []);
  assert.equal(a.title, `动火作业需求尚无单位应征：${none.title}`);
  assert.equal(a.body, `${none.number}，作业期限 ${localDate(3)} 至 ${localDate(8)}，可在“持证施工单位”中联系有资质的单位，或调整、撤销需求`);
  assert.equal(a.eventLabel, '动火作业需求临近开始仍未选定');
  const [b] = await told(vm, some);
  assert.equal(b.title, `动火作业需求待选定承接单位：${some.title}`);
  assert.match(b.body, /已有 1 家单位应征，请选定承接单位或撤销需求$/);
  assert.deepEqual(await told(vm, later), [], 'not yet: it starts in four days');
  assert.deepEqual(await told(vm, chosen), [], 'a unit is chosen');
  assert.deepEqual(await told(await login('contractor'), some), [], 'the answering unit is not told');

  await setServerClock(3 * 24 * 3600 + 60); // two days more: the later one too, the first ones not again
  const vm2 = await login('venue_mgr');
  assert.equal((await told(vm2, later)).length, 1);
  assert.equal((await told(vm2, none)).length, 1, 'once per request');
  assert.equal((await told(vm2, some)).length, 1, 'once per request');
  await resetServerClock();
});
