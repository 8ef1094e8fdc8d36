// 存量焊机"加芯赋码"改造 (docs/openapi.yaml, tag retrofits): a unit applies for a machine of its own that carries no
// chip (GZ-YYYY-NNNN, audit row, the 专班 told), every bad field refused with its code and field and nothing written
// (a chipped, retired or someone else's machine, a second application in progress); a department approves with a
// subsidy no higher than asked and none to a unit under a credit mark, or refuses with a reason, the applicant told;
// the unit reports it done — the chip bound to the machine, or for a trade-in the new chipped machine registered and
// the old one retired — with its insurance; the department records the payment once; the unit may cancel before it
// is done; every command from a wrong state is 409; units see only their own; the summary moves with each step.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  login, describe, expectError, uid, localDate, permitWorld, createUnit, createMachine, createAccountPerson, makeMachineCode, fetchXlsx, MISSING_ID,
  resetServerClock, sqlOk,
} from './lib.mjs';

const NUMBER = /^GZ-(\d{4})-(\d{4,})$/;
const c = {};
let world, unitA, unitB, bClient;

before(async () => {
  for (const [k, u] of [['admin', 'admin'], ['contractor', 'contractor'], ['sw', 'sw_officer'], ['inspector', 'inspector'], ['vm', 'venue_mgr']]) {
    c[k] = await login(u);
  }
  world = await permitWorld(c.admin);
  unitA = world.unit; // the demo contractor's unit
  unitB = await createUnit(c.admin, { name: `改造测试钢构${uid('n')}` });
  bClient = (await createAccountPerson(c.admin, world, 'contractor', { name: '乙单位负责人', unitId: unitB.id })).client;
});

/** A machine of `unit` registered without a chip. */
const stockMachine = (unit, over = {}) => createMachine(c.admin, unit.id, { chipId: undefined, model: 'BX1-315', ...over });
const chipId = () => `CHIP${uid('g').replace(/[^a-z0-9]/g, '').toUpperCase()}`;

/** POST /api/retrofits; asserts 201 and applied. */
async function apply(machine, over = {}, client = c.contractor) {
  const res = await client.post('/api/retrofits', { machineId: machine.id, way: 'retrofit', subsidyRequested: 300, reason: '在用焊机加装芯片', ...over });
  assert.equal(res.status, 201, `apply: ${describe(res)}`);
  assert.equal(res.json.state, 'applied');
  return res.json;
}
/** A command that must succeed; returns the retrofit after it. */
async function run(client, r, command, body = {}) {
  const res = await client.post(`/api/retrofits/${r.id}/${command}`, body);
  assert.equal(res.status, 200, `${command}: ${describe(res)}`);
  return res.json;
}
const notices = async (client, event) => (await client.getOk('/api/notifications?pageSize=100')).items.filter((n) => n.event === event);
const machine = (id) => c.admin.getOk(`/api/machines/${id}`);
const insurance = { insurer: '中国人民财产保险股份有限公司', policyNumber: `PICC-${uid('p')}`, insuredUntil: localDate(365) };

test('a unit applies for its stock machine: numbered, labelled, audited, the 专班 told; other units do not see it', async () => {
  const m = await stockMachine(unitA);
  const r = await apply(m);
  assert.match(r.number, NUMBER);
  assert.equal(NUMBER.exec(r.number)[1], localDate(0).slice(0, 4));
  assert.deepEqual([r.machineId, r.machineCode, r.unitId, r.unitName], [m.id, m.code, unitA.id, unitA.name]);
  assert.deepEqual([r.way, r.wayLabel, r.stateLabel, r.subsidyRequested, r.subsidyGranted], ['retrofit', '加装芯片改造', '待审核', 300, null]);
  assert.equal(r.applicantName, '邓强');
  const audit = await c.admin.getOk(`/api/audit-logs?action=retrofit.apply&targetId=${r.id}`);
  assert.equal(audit.items.length, 1);
  const told = (await notices(c.admin, 'retrofit.pending')).find((n) => n.link === `/retrofits/${r.id}`);
  assert.ok(told, 'the 专班 is told an application waits');
  assert.match(told.title, /待审核/);
  // Scope: the officer sees it; another unit neither lists nor reads it.
  assert.equal((await c.sw.getOk(`/api/retrofits/${r.id}`)).id, r.id);
  expectError(await bClient.get(`/api/retrofits/${r.id}`), 404, 'NOT_FOUND');
  assert.ok(!(await bClient.getOk('/api/retrofits?pageSize=100')).items.some((x) => x.id === r.id));
  assert.ok((await c.contractor.getOk(`/api/retrofits?machineId=${m.id}`)).items.some((x) => x.id === r.id));
  expectError(await c.vm.get('/api/retrofits'), 403, 'FORBIDDEN');
});

test('bad applications: each refused with its code and field, nothing written', async () => {
  const m = await stockMachine(unitA);
  const chipped = await createMachine(c.admin, unitA.id);
  const retired = await stockMachine(unitA, { status: 'retired' });
  const theirs = await stockMachine(unitB);
  const count = async () => (await c.admin.getOk('/api/retrofits?pageSize=1')).total;
  const before = await count();
  const body = (over) => ({ machineId: m.id, way: 'retrofit', ...over });
  for (const [over, status, code, field] of [
    [{ machineId: undefined }, 400, 'REQUIRED', 'machineId'],
    [{ machineId: 'x' }, 400, 'INVALID_TYPE', 'machineId'],
    [{ machineId: MISSING_ID }, 400, 'MACHINE_NOT_FOUND', 'machineId'],
    [{ machineId: theirs.id }, 400, 'MACHINE_NOT_FOUND', 'machineId'], // another unit's machine
    [{ way: undefined }, 400, 'REQUIRED', 'way'],
    [{ way: 'rebuild' }, 400, 'INVALID_VALUE', 'way'],
    [{ subsidyRequested: -1 }, 400, 'INVALID_VALUE', 'subsidyRequested'],
    [{ subsidyRequested: 10001 }, 400, 'INVALID_VALUE', 'subsidyRequested'],
    [{ subsidyRequested: '300' }, 400, 'INVALID_TYPE', 'subsidyRequested'],
    [{ reason: '长'.repeat(501) }, 400, 'TOO_LONG', 'reason'],
    [{ extra: 1 }, 400, 'UNKNOWN_FIELD', 'extra'],
    [{ machineId: chipped.id }, 409, 'MACHINE_ALREADY_CHIPPED', 'machineId'],
    [{ machineId: retired.id }, 409, 'MACHINE_RETIRED', 'machineId'],
  ]) {
    expectError(await c.contractor.post('/api/retrofits', body(over)), status, code, field);
  }
  assert.equal(await count(), before, 'nothing written');
  expectError(await c.sw.post('/api/retrofits', body()), 403, 'FORBIDDEN'); // officers review, they do not apply
  const first = await apply(m);
  const again = await c.contractor.post('/api/retrofits', body());
  expectError(again, 409, 'RETROFIT_IN_PROGRESS', 'machineId');
  assert.match(again.json.message, new RegExp(first.number));
});

test('review: a subsidy no higher than asked, none to a unit under a credit mark; a refusal needs its reason; the applicant is told', async () => {
  const r = await apply(await stockMachine(unitA), { subsidyRequested: 400 });
  const bad = async (client, command, body, status, code, field) =>
    expectError(await client.post(`/api/retrofits/${r.id}/${command}`, body), status, code, field);
  await bad(c.contractor, 'approve', { subsidyGranted: 100 }, 403, 'FORBIDDEN');
  await bad(c.inspector, 'approve', { subsidyGranted: 100 }, 403, 'FORBIDDEN'); // reads, does not review
  await bad(c.sw, 'approve', {}, 400, 'REQUIRED', 'subsidyGranted');
  await bad(c.sw, 'approve', { subsidyGranted: -1 }, 400, 'INVALID_VALUE', 'subsidyGranted');
  await bad(c.sw, 'approve', { subsidyGranted: 401 }, 400, 'INVALID_VALUE', 'subsidyGranted');
  await bad(c.sw, 'reject', {}, 400, 'REQUIRED', 'note');
  await bad(c.contractor, 'complete', { chipId: chipId() }, 409, 'RETROFIT_STATE_INVALID');
  await bad(c.sw, 'pay', { amount: 1, paidOn: localDate(0), paymentRef: 'X-1' }, 409, 'RETROFIT_STATE_INVALID');
  expectError(await c.sw.post(`/api/retrofits/${MISSING_ID}/approve`, { subsidyGranted: 0 }), 404, 'NOT_FOUND');
  assert.equal((await c.admin.getOk(`/api/retrofits/${r.id}`)).state, 'applied', 'nothing written');

  const approved = await run(c.sw, r, 'approve', { subsidyGranted: 350, note: '按标准核定' });
  assert.deepEqual([approved.state, approved.stateLabel, approved.subsidyGranted, approved.reviewNote, approved.reviewerName],
    ['approved', '已批准待改造', 350, '按标准核定', '李晓梅']);
  await bad(c.sw, 'approve', { subsidyGranted: 1 }, 409, 'RETROFIT_STATE_INVALID');
  await bad(c.sw, 'reject', { note: '迟了' }, 409, 'RETROFIT_STATE_INVALID');
  const told = (await notices(c.contractor, 'retrofit.reviewed')).find((n) => n.link === `/retrofits/${r.id}`);
  assert.ok(told && /已批准/.test(told.title) && /350\.00/.test(told.body), 'the applicant is told the subsidy granted');

  const refused = await run(c.sw, await apply(await stockMachine(unitA)), 'reject', { note: '型号已淘汰，请以旧换新' });
  assert.deepEqual([refused.state, refused.stateLabel, refused.reviewNote], ['rejected', '未通过', '型号已淘汰，请以旧换新']);
  const audit = await c.admin.getOk(`/api/audit-logs?action=retrofit.reject&targetId=${refused.id}`);
  assert.equal(audit.items.length, 1);

  // A unit under a credit mark may be retrofitted but not subsidised.
  const marked = await apply(await stockMachine(unitB), {}, bClient);
  const mark = await c.admin.post(`/api/units/${unitB.id}/credit-marks`, { reason: '违规动火作业' });
  assert.equal(mark.status, 201, describe(mark));
  try {
    expectError(await c.sw.post(`/api/retrofits/${marked.id}/approve`, { subsidyGranted: 100 }), 409, 'UNIT_CREDIT_RESTRICTED', 'subsidyGranted');
    assert.equal((await run(c.sw, marked, 'approve', { subsidyGranted: 0 })).subsidyGranted, 0);
  } finally {
    const lifted = await c.admin.post(`/api/credit-marks/${mark.json.id}/lift`, { reason: '已整改' });
    assert.equal(lifted.status, 200, describe(lifted));
  }
});

test('a retrofit done: the chip is bound to the machine (audited), insurance all or nothing; the bad reports leave it as it was', async () => {
  const m = await stockMachine(unitA);
  const r = await run(c.sw, await apply(m), 'approve', { subsidyGranted: 300 });
  const taken = await createMachine(c.admin, unitA.id);
  const bad = async (body, status, code, field) =>
    expectError(await c.contractor.post(`/api/retrofits/${r.id}/complete`, body), status, code, field);
  await bad({}, 400, 'REQUIRED', 'chipId');
  await bad({ chipId: 'a b' }, 400, 'INVALID_VALUE', 'chipId');
  await bad({ chipId: taken.chipId }, 409, 'CHIP_ID_TAKEN', 'chipId');
  await bad({ chipId: chipId(), code: makeMachineCode() }, 400, 'INVALID_VALUE', 'code'); // a retrofit keeps its machine
  await bad({ chipId: chipId(), insurer: '某保险公司' }, 400, 'REQUIRED', 'policyNumber');
  await bad({ chipId: chipId(), ...insurance, insuredUntil: localDate(-1) }, 400, 'INVALID_VALUE', 'insuredUntil');
  await bad({ chipId: chipId(), ...insurance, insuredUntil: '2027-02-30' }, 400, 'INVALID_VALUE', 'insuredUntil');
  expectError(await c.sw.post(`/api/retrofits/${r.id}/complete`, { chipId: chipId() }), 403, 'FORBIDDEN');
  assert.equal((await machine(m.id)).chipId, null, 'no chip bound by a refused report');
  assert.equal((await c.admin.getOk(`/api/retrofits/${r.id}`)).state, 'approved');

  const chip = chipId();
  const done = await run(c.contractor, r, 'complete', { chipId: chip, ...insurance });
  assert.deepEqual([done.state, done.stateLabel, done.chipId, done.insurer, done.policyNumber, done.insuredUntil, done.newMachineId],
    ['done', '已完成', chip, insurance.insurer, insurance.policyNumber, insurance.insuredUntil, null]);
  assert.ok(done.doneAt);
  const after = await machine(m.id);
  assert.deepEqual([after.chipId, after.status], [chip, 'active']);
  const audit = await c.admin.getOk(`/api/audit-logs?action=machine.update&targetId=${m.id}`);
  assert.equal(audit.items.length, 1, 'the chip binding is in the machine\'s history');
  for (const client of [c.admin, c.sw]) {
    const pending = (await notices(client, 'retrofit.pending')).find((n) => n.link === `/retrofits/${r.id}` && /待拨付/.test(n.title));
    assert.ok(pending, 'the 专班 and the officer who granted it are told a subsidy is due');
  }
  expectError(await c.contractor.post(`/api/retrofits/${r.id}/complete`, { chipId: chipId() }), 409, 'RETROFIT_STATE_INVALID');
  expectError(await c.contractor.post('/api/retrofits', { machineId: m.id, way: 'retrofit' }), 409, 'MACHINE_ALREADY_CHIPPED', 'machineId');
});

test('a trade-in done: the new chipped machine is registered to the unit and the old one retired', async () => {
  const old = await stockMachine(unitA);
  const r = await run(c.sw, await apply(old, { way: 'trade_in', subsidyRequested: 800 }), 'approve', { subsidyGranted: 600 });
  const bad = async (body, status, code, field) =>
    expectError(await c.contractor.post(`/api/retrofits/${r.id}/complete`, body), status, code, field);
  const taken = await createMachine(c.admin, unitA.id);
  await bad({ chipId: chipId() }, 400, 'REQUIRED', 'code');
  await bad({ chipId: chipId(), code: makeMachineCode() }, 400, 'REQUIRED', 'kind');
  await bad({ chipId: chipId(), code: makeMachineCode(), kind: 'laser_welder' }, 400, 'INVALID_VALUE', 'kind');
  await bad({ chipId: chipId(), code: taken.code, kind: 'arc_welder' }, 409, 'MACHINE_CODE_TAKEN', 'code');
  assert.equal((await machine(old.id)).status, 'active', 'a refused report retires nothing');

  const code = makeMachineCode();
  const chip = chipId();
  const done = await run(c.contractor, r, 'complete', { chipId: chip, code, kind: 'co2_welder', model: 'NB-350' });
  assert.equal(done.newMachineCode, code);
  const fresh = await machine(done.newMachineId);
  assert.deepEqual([fresh.code, fresh.chipId, fresh.unitId, fresh.kind, fresh.model, fresh.status], [code, chip, unitA.id, 'co2_welder', 'NB-350', 'active']);
  assert.equal((await machine(old.id)).status, 'retired');
  const both = (await c.contractor.getOk(`/api/retrofits?machineId=${done.newMachineId}`)).items;
  assert.deepEqual(both.map((x) => x.id), [r.id], 'found by the new machine too');
});

test('payment: once, no more than granted, dated between the work and today; the applicant told; unpaid filter', async () => {
  const r = await run(c.sw, await apply(await stockMachine(unitA), { subsidyRequested: 500 }), 'approve', { subsidyGranted: 450 });
  await run(c.contractor, r, 'complete', { chipId: chipId() });
  const unpaid = async () => (await c.admin.getOk('/api/retrofits?unpaid=true&pageSize=100')).items.map((x) => x.id);
  assert.ok((await unpaid()).includes(r.id));
  const bad = async (client, body, status, code, field) => expectError(await client.post(`/api/retrofits/${r.id}/pay`, body), status, code, field);
  const pay = { amount: 450, paidOn: localDate(0), paymentRef: `BT-${uid('r')}` };
  await bad(c.contractor, pay, 403, 'FORBIDDEN');
  await bad(c.sw, { ...pay, amount: 450.01 }, 400, 'INVALID_VALUE', 'amount');
  await bad(c.sw, { ...pay, amount: 0 }, 400, 'INVALID_VALUE', 'amount');
  await bad(c.sw, { ...pay, paidOn: localDate(1) }, 400, 'INVALID_VALUE', 'paidOn');
  await bad(c.sw, { ...pay, paidOn: localDate(-3) }, 400, 'INVALID_VALUE', 'paidOn'); // before the work was done
  await bad(c.sw, { ...pay, paymentRef: '' }, 400, 'REQUIRED', 'paymentRef');
  await bad(c.sw, { ...pay, paidOn: undefined }, 400, 'REQUIRED', 'paidOn');
  assert.equal((await c.admin.getOk(`/api/retrofits/${r.id}`)).paidOn, null, 'nothing written');
  const paid = await run(c.sw, r, 'pay', pay);
  assert.deepEqual([paid.subsidyPaid, paid.paidOn, paid.paymentRef], [450, pay.paidOn, pay.paymentRef]);
  await bad(c.sw, pay, 409, 'SUBSIDY_ALREADY_PAID');
  assert.ok(!(await unpaid()).includes(r.id));
  const told = (await notices(c.contractor, 'retrofit.reviewed')).find((n) => n.link === `/retrofits/${r.id}` && /已拨付/.test(n.title));
  assert.ok(told && told.body.includes(pay.paymentRef), 'the applicant is told the payment');
  // Nothing granted, nothing to pay.
  const free = await run(c.sw, await apply(await stockMachine(unitA), { subsidyRequested: 0 }), 'approve', { subsidyGranted: 0 });
  await run(c.contractor, free, 'complete', { chipId: chipId() });
  expectError(await c.sw.post(`/api/retrofits/${free.id}/pay`, pay), 409, 'SUBSIDY_NOT_GRANTED');
});

test('cancel: by the unit before the work is done; the machine may then be applied for again', async () => {
  const m = await stockMachine(unitA);
  const r = await apply(m);
  expectError(await c.sw.post(`/api/retrofits/${r.id}/cancel`, {}), 403, 'FORBIDDEN');
  expectError(await bClient.post(`/api/retrofits/${r.id}/cancel`, {}), 404, 'NOT_FOUND');
  const cancelled = await run(c.contractor, r, 'cancel', { reason: '焊机已出售' });
  assert.deepEqual([cancelled.state, cancelled.stateLabel, cancelled.cancelReason], ['cancelled', '已撤销', '焊机已出售']);
  expectError(await c.contractor.post(`/api/retrofits/${r.id}/cancel`, {}), 409, 'RETROFIT_STATE_INVALID');
  const again = await apply(m);
  const approved = await run(c.sw, again, 'approve', { subsidyGranted: 0, note: '同意' });
  const withdrawn = await run(c.contractor, approved, 'cancel');
  assert.deepEqual([withdrawn.state, withdrawn.reviewNote, withdrawn.cancelReason], ['cancelled', '同意', ''], 'the review note is kept');
});

test('summary: the stock, the applications and the subsidies move with each step; a unit counts only its own', async () => {
  const summary = (client = c.admin) => client.getOk('/api/retrofits/summary');
  const s0 = await summary();
  const b0 = await summary(bClient);
  const m = await stockMachine(unitB);
  const s1 = await summary();
  assert.deepEqual([s1.machines.active - s0.machines.active, s1.machines.unchipped - s0.machines.unchipped], [1, 1]);
  const r = await apply(m, { subsidyRequested: 250 }, bClient);
  const s2 = await summary();
  assert.equal(s2.states.applied - s0.states.applied, 1);
  assert.equal(s2.subsidy.requested - s0.subsidy.requested, 250);
  await run(c.sw, r, 'approve', { subsidyGranted: 200 });
  await run(bClient, r, 'complete', { chipId: chipId(), ...insurance, policyNumber: `P-${uid('s')}` });
  await run(c.sw, r, 'pay', { amount: 200, paidOn: localDate(0), paymentRef: 'BT-S-1' });
  const s3 = await summary();
  assert.deepEqual([s3.states.applied - s0.states.applied, s3.states.done - s0.states.done], [0, 1]);
  assert.deepEqual([s3.done.retrofit - s0.done.retrofit, s3.done.insured - s0.done.insured], [1, 1]);
  assert.deepEqual([s3.subsidy.granted - s0.subsidy.granted, s3.subsidy.paid - s0.subsidy.paid], [200, 200]);
  assert.deepEqual([s3.machines.chipped - s0.machines.chipped, s3.machines.unchipped - s0.machines.unchipped], [1, 0]);
  // Unit B's own view counts only unit B: the machine added here and nothing of the demo's.
  const b3 = await summary(bClient);
  assert.ok(b3.machines.active < s3.machines.active);
  assert.deepEqual([b3.machines.chipped - b0.machines.chipped, b3.states.done - b0.states.done], [1, 1]);
  assert.ok(b3.units.every((u) => u.id === unitB.id), 'a unit sees only itself among the units to chip');
});

test('units to chip: those with the most machines without a chip first, with their applications in progress', async () => {
  const unit = await createUnit(c.admin, { name: `改造排名${uid('n')}` });
  const machines = [];
  for (let i = 0; i < 30; i++) machines.push(await stockMachine(unit)); // more than any other unit here
  await createMachine(c.admin, unit.id);
  await apply(machines[0], {}, c.admin);
  const { units } = await c.admin.getOk('/api/retrofits/summary');
  assert.ok(units.length <= 20);
  assert.deepEqual(units[0], { id: unit.id, name: unit.name, active: 31, chipped: 1, unchipped: 30, inProgress: 1 });
  for (let i = 1; i < units.length; i++) assert.ok(units[i - 1].unchipped >= units[i].unchipped, 'ordered by machines to chip');
  assert.ok(units.every((u) => u.unchipped > 0), 'only units with something to chip');
});

test('the ledger export: the list\'s filters and scope, amounts as numbers, the insurance and payment', async () => {
  const r = await run(c.sw, await apply(await stockMachine(unitA), { subsidyRequested: 500 }), 'approve', { subsidyGranted: 480 });
  const policy = `PICC-${uid('x')}`;
  await run(c.contractor, r, 'complete', { chipId: chipId(), ...insurance, policyNumber: policy });
  await run(c.sw, r, 'pay', { amount: 480, paidOn: localDate(0), paymentRef: 'BT-X-1' });
  const { text } = await fetchXlsx(c.admin, `/api/retrofits/export.xlsx?q=${r.number}`);
  for (const s of ['焊机改造台账', '核定补贴（元）', r.number, unitA.name, r.machineCode, policy, 'BT-X-1', '已完成']) assert.ok(text.includes(s), `the sheet has ${s}`);
  assert.match(text, /<v>480<\/v>/, 'the amount as a number');
  const other = await fetchXlsx(c.admin, '/api/retrofits/export.xlsx?state=rejected');
  assert.ok(!other.text.includes(r.number), 'filtered by state');
  const audited = (await c.admin.getOk('/api/audit-logs?action=retrofit.export&pageSize=100')).items.filter((x) => x.summary.after.filters.q === r.number);
  assert.equal(audited.length, 1, 'the export is in the audit log with its filters');
  const theirs = await fetchXlsx(bClient, '/api/retrofits/export.xlsx');
  assert.ok(!theirs.text.includes(r.number), 'another unit does not export it');
  expectError(await c.admin.get('/api/retrofits/export.xlsx?state=paid'), 400, 'INVALID_VALUE', 'state');
  expectError(await c.vm.get('/api/retrofits/export.xlsx'), 403, 'FORBIDDEN');
});

test('the monthly reminder: a unit with stock machines and none in progress is told once a month, with the number; others are not', async () => {
  const stock = await createUnit(c.admin, { name: `改造提醒甲${uid('n')}` });
  const stockPerson = await createAccountPerson(c.admin, world, 'contractor', { name: '甲单位负责人', unitId: stock.id });
  const stockWelder = await createAccountPerson(c.admin, world, 'welder', { name: '甲单位焊工', unitId: stock.id }); // may not apply
  await stockMachine(stock);
  await stockMachine(stock);
  await apply(await stockMachine(stock), {}, stockPerson.client); // in progress: not counted
  await createMachine(c.admin, stock.id); // chipped
  await stockMachine(stock, { status: 'retired' });
  const busy = await createUnit(c.admin, { name: `改造提醒乙${uid('n')}` });
  const busyPerson = await createAccountPerson(c.admin, world, 'contractor', { name: '乙单位负责人', unitId: busy.id });
  await apply(await stockMachine(busy), {}, busyPerson.client); // its only stock machine is being retrofitted

  // This month's round has run (at start-up); forget it, and run the timers again.
  sqlOk(`DELETE FROM job_days WHERE name = 'retrofit_reminder' AND day = '${localDate(0).slice(0, 7)}-01'`);
  await resetServerClock();
  const [told, ...more] = await notices(stockPerson.client, 'retrofit.remind');
  assert.ok(told, 'the unit with stock machines is reminded');
  assert.deepEqual(more, []);
  assert.equal(told.title, '焊机加芯赋码提醒：本单位有 2 台在用焊机未加装芯片');
  assert.equal(told.link, '/machines?chipped=false');
  assert.equal(told.eventLabel, '存量焊机加芯赋码提醒（每月）');
  assert.deepEqual(await notices(busyPerson.client, 'retrofit.remind'), [], 'a unit with every stock machine in progress is not reminded');
  assert.deepEqual(await notices(stockWelder.client, 'retrofit.remind'), [], 'only accounts that may apply are told');
  const listed = await stockPerson.client.getOk('/api/machines?chipped=false&pageSize=100');
  assert.equal(listed.items.filter((m) => m.unitId === stock.id && m.status !== 'retired').length, 3, 'the link lists the stock (the one in progress too)');

  await resetServerClock(); // the same month: not again
  assert.equal((await notices(stockPerson.client, 'retrofit.remind')).length, 1);
});

test('subsidy standards: the town sets one per way; an application may not ask more, nor a department grant more', async () => {
  const before = await c.contractor.getOk('/api/retrofits/standards'); // the demo sets 500 and 1000; other tests may change them
  assert.deepEqual(Object.keys(before).sort(), ['retrofit', 'tradeIn']);
  expectError(await c.contractor.put('/api/retrofits/standards', { retrofit: 600 }), 403, 'FORBIDDEN');
  expectError(await c.sw.put('/api/retrofits/standards', { retrofit: 600 }), 403, 'FORBIDDEN');
  for (const [bad, field] of [[{ retrofit: -1 }, 'retrofit'], [{ tradeIn: 10001 }, 'tradeIn'], [{ retrofit: '300' }, 'retrofit']]) {
    const res = await c.admin.put('/api/retrofits/standards', { retrofit: 400, tradeIn: 900, ...bad });
    assert.equal(res.status, 400, describe(res));
    assert.equal(res.json.field, field);
  }
  assert.deepEqual(await c.admin.getOk('/api/retrofits/standards'), before, 'a refused change writes nothing');
  const set = await c.admin.put('/api/retrofits/standards', { retrofit: 400, tradeIn: null });
  assert.equal(set.status, 200, describe(set));
  assert.deepEqual(set.json, { retrofit: 400, tradeIn: null });
  const audit = await c.admin.getOk('/api/audit-logs?action=retrofit.standards_update&pageSize=1');
  assert.equal(audit.items[0].targetId, 'retrofit_subsidy');

  try {
    const m = await stockMachine(unitA);
    expectError(await c.contractor.post('/api/retrofits', { machineId: m.id, way: 'retrofit', subsidyRequested: 400.01 }), 400,
      'SUBSIDY_OVER_STANDARD', 'subsidyRequested');
    assert.equal((await c.admin.getOk(`/api/retrofits?machineId=${m.id}`)).total, 0, 'nothing written');
    const r = await apply(m, { subsidyRequested: 400 });
    const traded = await apply(await stockMachine(unitA), { way: 'trade_in', subsidyRequested: 5000 }); // no standard for trade-ins now
    await c.admin.put('/api/retrofits/standards', { retrofit: 350, tradeIn: null }); // lowered after the application
    const res = await c.sw.post(`/api/retrofits/${r.id}/approve`, { subsidyGranted: 400 });
    expectError(res, 400, 'SUBSIDY_OVER_STANDARD', 'subsidyGranted');
    assert.match(res.json.message, /350\.00 元\/台/);
    assert.equal((await c.admin.getOk(`/api/retrofits/${r.id}`)).state, 'applied', 'still waiting');
    assert.equal((await run(c.sw, r, 'approve', { subsidyGranted: 350 })).subsidyGranted, 350);
    assert.equal((await run(c.sw, traded, 'approve', { subsidyGranted: 4000 })).subsidyGranted, 4000);
  } finally {
    await c.admin.put('/api/retrofits/standards', before);
  }
});
