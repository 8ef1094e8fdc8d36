// Hot-work permits (docs/api-permits.md): the life cycle across roles, the state machine (wrong state → 409
// PERMIT_STATE_INVALID, wrong person → 403 NOT_YOUR_STEP / FORBIDDEN), every rule with its code and field, the timers
// (run by the test clock: the server is started with --test-clock), alerts, races, the public page and printables,
// permit numbers and data scope.
//
// The one-job rule spans the whole database, so every test brings its own fire watch, worker and machine
// (createCrew) or its own day; only the life cycle uses the demo's 唐国庆 and 曾小燕, on a day no demo permit holds
// them. Tests that move the clock put it back to real time in `finally`; the permits a test leaves unfinished are
// revoked at the end of the file so that they hold no one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  login, request, expectError, expectStatus, describe, listAll, uid, localDate, MISSING_ID, demoLoadedAt,
  createPerson, createCertificate, createMachine, createUserAndLogin,
  MINUTE, HOUR, PERMIT_NUMBER, PERMIT_STATES, TERMINAL_STATES, localDateOf, addDays, localMs, isoUtc, isoLocal,
  setServerClock, resetServerClock, serverClockTo, Cast, restDayChecker, datesFrom, permitWorld, validCert,
  createAccountPerson, createWorker, createCrew, createOpenVenue, permitBody, allMeasures, command, advancePermit,
  createPermit, releasePermits, uploadPng, uploadFile, tinyJpeg,
} from './lib.mjs';

let admin, world, vmUser, deng, cast, isRest, today, workdays, restDays, settings;
let openVenue; // no opening hours, managed by venue_mgr, supervised by 商贸发展岗
const held = [];

before(async () => {
  admin = await login('admin');
  world = await permitWorld(admin);
  vmUser = world.users.get('venue_mgr');
  deng = world.people.get('邓强');
  cast = new Cast();
  await cast.add('admin', 'admin');
  await cast.add('contractor', 'contractor');
  await cast.add('vm', 'venue_mgr');
  await cast.add('fw', 'firewatch');
  await cast.add('welder', 'welder');
  await cast.add('sw', 'sw_officer');
  isRest = await restDayChecker(admin);
  today = localDateOf(await resetServerClock());
  // Demo permits hold 唐国庆 and 曾小燕 from today to the day after tomorrow: the life cycle starts 4 days out.
  workdays = datesFrom(addDays(today, 4), 40, (d) => !isRest(d));
  restDays = datesFrom(addDays(today, 4), 10, (d) => isRest(d));
  settings = await admin.getOk('/api/rule-settings');
  openVenue = await createOpenVenue(admin, world, vmUser.id);
});

after(async () => {
  await resetServerClock();
  await releasePermits(held);
});

// ---------- helpers ----------

/** The usual cast for a permit of `crew`: contractor applies and leads, venue_mgr approves, the crew's fire watch watches. */
function whoFor(crew, over = {}) {
  return { applicant: cast.contractor, approver: cast.vm, jobLeader: cast.contractor, fireWatch: crew?.fireWatch.client, admin: cast.admin, ...over };
}

/** Create a draft (contractor applies, 邓强 leads, venue_mgr approves) and remember it for the cleanup. */
async function draft(crew, start, end, over = {}, { venue = openVenue, client = cast.contractor, approverUserId = vmUser.id } = {}) {
  const p = await createPermit(client, permitBody({ venueId: venue.id, start, end, jobLeaderId: deng.id, approverUserId, crew }, over));
  held.push(p.id);
  return p;
}

/** A draft of `crew` taken by its usual cast (whoFor) to `state`. */
async function permitIn(crew, state, start, end, over = {}) {
  return advancePermit(await draft(crew, start, end, over), state, whoFor(crew));
}

/** A window of `minutes` starting two minutes from the server's now (the clock reset to real time). */
async function nowWindow(minutes = 60) {
  const now = await resetServerClock();
  const start = Math.ceil(now / MINUTE) * MINUTE + 2 * MINUTE;
  return { now, start, end: start + minutes * MINUTE };
}

const get = (client, p) => client.getOk(`/api/permits/${typeof p === 'object' ? p.id : p}`);
const post = (client, p, name, body = {}) => client.post(`/api/permits/${typeof p === 'object' ? p.id : p}/${name}`, body);

/** A refusal whose code the contract does not name: status, field and a Chinese message. */
function expectRefused(res, status, field) {
  const where = describe(res);
  assert.equal(res.status, status, `expected ${status} (field ${field}): ${where}`);
  assert.ok(res.json && typeof res.json.code === 'string', `error body is not JSON: ${where}`);
  assert.match(res.json.message ?? '', /[\u4e00-\u9fff]/, `message is not Chinese: ${where}`);
  if (field !== undefined) assert.equal(res.json.field, field, `expected field ${field}: ${where}`);
}

/** Submit must be refused; returns the error's message. */
async function expectSubmitRefused(p, status, code, field) {
  const res = await post(cast.contractor, p, 'submit');
  expectError(res, status, code, field);
  assert.equal((await get(admin, p)).state, 'draft', `${code}: a refused submit changed the state`);
  return res.json.message;
}

/** Submit must pass; returns the submitted permit. */
async function expectSubmitted(p, what) {
  const res = await post(cast.contractor, p, 'submit');
  assert.equal(res.status, 200, `${what}: ${describe(res)}`);
  assert.equal(res.json.state, 'submitted');
  return res.json;
}
const cancel = (p) => command(cast.contractor, p, 'cancel', { reason: '测试完成，取消' }, 'cancelled');

async function alertsOf(client, permitId, kind) {
  const items = await listAll(client, `/api/alerts?kind=${kind}`);
  return items.filter((a) => a.sourceType === 'permit' && a.sourceId === String(permitId));
}

// ---------- the life cycle ----------

test('life cycle with the demo accounts: apply, edit, submit, survey, confirm risk, approve, check in, gas, start, suspend, resume, finish, rounds, close', async () => {
  const day = workdays[0];
  const mall = world.venues.get('金凤商业广场');
  const tang = world.people.get('唐国庆');
  const zeng = world.people.get('曾小燕');
  const cert = validCert(tang);
  const machine = await createMachine(admin, world.unit.id);
  const photoBefore = await uploadPng(cast.contractor, [10, 20, 30]);
  const body = permitBody({ venueId: mall.id, start: localMs(day, '06:00'), end: localMs(day, '09:30'), jobLeaderId: deng.id, approverUserId: vmUser.id, unitId: world.unit.id }, {
    fireWatchId: zeng.id,
    workers: [{ personId: tang.id, certificateId: cert.id }],
    machineIds: [machine.id],
    indoor: true,
    indoorReason: '设备间位于商场地下一层，无法移至室外',
    gasRequired: true,
    photosBefore: [photoBefore],
    riskAssessment: '营业前作业，动火点周边 10 米内无可燃物',
    controls: [{ control: '动火点配置 2 具灭火器', person: '曾小燕' }],
  });
  try {
    // draft
    let p = await createPermit(cast.contractor, body);
    held.push(p.id);
    assert.match(p.number, PERMIT_NUMBER);
    assert.equal(p.stateLabel, '草稿');
    assert.equal(p.venue.id, mall.id);
    assert.equal(p.venue.name, '金凤商业广场');
    assert.equal(p.applicant.name, '邓强');
    assert.equal(p.approver.id, vmUser.id);
    assert.equal(p.approver.name, '冯建华');
    assert.equal(p.jobLeader.id, deng.id);
    assert.equal(p.jobLeader.userId, world.users.get('contractor').id);
    assert.equal(p.fireWatch.id, zeng.id);
    assert.equal(p.fireWatch.checkedInAt, null);
    assert.deepEqual(p.workers.map((w) => [w.personId, w.certificateId, w.name]), [[tang.id, cert.id, '唐国庆']]);
    assert.deepEqual(p.machines.map((m) => m.id), [machine.id]);
    assert.equal(p.unit.id, world.unit.id);
    assert.deepEqual(p.photosBefore, [photoBefore]);
    assert.equal(p.indoorReason, body.indoorReason);
    assert.deepEqual(p.controls, body.controls);
    assert.equal(Date.parse(p.plannedStart), localMs(day, '06:00'));
    assert.equal(Date.parse(p.plannedEnd), localMs(day, '09:30'));
    const templates = (await cast.contractor.getOk('/api/measure-templates')).items;
    assert.deepEqual(p.measures.map((m) => m.code), templates.map((t) => t.code), 'a new permit carries every measure template');
    assert.ok(p.measures.every((m) => m.applies === null && m.confirmedBy === null && m.confirmedAt === null));
    for (const c of ['submit', 'cancel', 'update']) assert.ok(p.allowedCommands.includes(c), `applicant may ${c} a draft: ${p.allowedCommands}`);
    for (const c of ['survey', 'approve', 'start']) assert.ok(!p.allowedCommands.includes(c), `applicant may not ${c} a draft`);
    assert.deepEqual(p.timeline.map((e) => e.command), ['create']);

    // edit the draft
    const res = await cast.contractor.put(`/api/permits/${p.id}`, { ...body, place: '地下一层设备间 B2 支架' });
    p = expectStatus(res, 200);
    assert.equal(p.place, '地下一层设备间 B2 支架');
    assert.equal(p.state, 'draft');

    // the participants see it, with what each may do
    for (const c of [cast.vm, cast.fw, cast.welder]) await get(c, p);
    assert.ok(!(await get(cast.welder, p)).allowedCommands.some((c) => ['approve', 'survey', 'start', 'submit'].includes(c)));

    p = await command(cast.contractor, p, 'submit', {}, 'submitted');
    assert.equal(p.level, 'level2');
    assert.equal(p.levelDeclared, 'level2');
    assert.equal(p.levelLabel, '二级');
    assert.deepEqual(p.levelReasons, [], 'a workday morning window indoors is not raised');
    expectError(await cast.contractor.put(`/api/permits/${p.id}`, body), 409, 'PERMIT_LOCKED');

    let vmView = await get(cast.vm, p);
    assert.ok(vmView.allowedCommands.includes('survey') && vmView.allowedCommands.includes('reject'), `approver: ${vmView.allowedCommands}`);
    assert.ok(!vmView.allowedCommands.includes('approve'));
    const surveyPhoto = await uploadPng(cast.vm, [200, 200, 0]);
    p = await command(cast.vm, p, 'survey', { lat: 29.4402, lng: 106.3615, photos: [surveyPhoto], note: '现场已勘察，可燃物已清理' }, 'surveyed');
    assert.equal(p.survey.by, '冯建华');
    assert.deepEqual(p.survey.photos, [surveyPhoto]);
    assert.equal(p.survey.note, '现场已勘察，可燃物已清理');
    assert.equal(p.survey.lat, 29.4402);

    assert.ok((await get(cast.contractor, p)).allowedCommands.includes('confirm-risk'));
    p = await command(cast.contractor, p, 'confirm-risk', { measures: allMeasures(p, ['cylinders']), note: '已逐项确认' }, 'risk_confirmed');
    for (const m of p.measures) {
      assert.equal(m.applies, m.code !== 'cylinders', `measure ${m.code}`);
      assert.equal(m.confirmedBy, '邓强');
      assert.ok(m.confirmedAt);
    }
    assert.equal(p.riskConfirmation.by, '邓强');

    vmView = await get(cast.vm, p);
    assert.ok(vmView.allowedCommands.includes('approve'), `approver: ${vmView.allowedCommands}`);
    p = await command(cast.vm, p, 'approve', { note: '同意动火' }, 'approved');
    assert.equal(p.stateLabel, '已批准');
    const pub = expectStatus(await request('GET', `/api/public/permits/${p.publicToken}`), 200);
    assert.equal(pub.valid, true, 'an approved permit before its end is valid on the public page');

    // the day of the work, 20 minutes early: check in, gas, but not start yet
    await cast.jumpTo(localMs(day, '05:40'));
    p = await command(cast.fw, p, 'check-in', { personId: zeng.id, lat: 29.4402, lng: 106.3615 });
    assert.ok(p.fireWatch.checkedInAt, 'fire watch checked in');
    p = await command(cast.welder, p, 'check-in', { personId: tang.id });
    assert.ok(p.workers[0].checkedInAt, 'worker checked in');
    const sampled = isoUtc(localMs(day, '05:40'));
    p = await command(cast.contractor, p, 'gas-analyses', { sampledAt: sampled, gas: '甲烷', lelPercent: 5, resultPercent: 0.1, analyst: '王检测' });
    assert.equal(p.gasAnalyses.length, 1);
    assert.equal(p.gasAnalyses[0].passed, true);
    assert.equal(p.gasAnalyses[0].analyst, '王检测');
    expectError(await post(cast.contractor, p, 'start'), 400, 'PERMIT_NOT_YET', 'plannedStart');

    await cast.jumpTo(localMs(day, '05:50'));
    p = await command(cast.contractor, p, 'start', {}, 'in_progress');
    assert.ok(Math.abs(Date.parse(p.startedAt) - localMs(day, '05:50')) < 5 * MINUTE, `startedAt ${p.startedAt}`);
    p = await command(cast.fw, p, 'suspend', { reason: '监护人临时离开' }, 'suspended');
    assert.equal(p.stateReason, '监护人临时离开');
    assert.equal(expectStatus(await request('GET', `/api/public/permits/${p.publicToken}`), 200).state, 'suspended');
    p = await command(cast.contractor, p, 'resume', {}, 'in_progress');

    await cast.jumpTo(localMs(day, '08:00'));
    const photoAfter = await uploadPng(cast.contractor, [0, 90, 0]);
    p = await command(cast.contractor, p, 'finish', { photos: [photoAfter] }, 'watching');
    assert.deepEqual(p.photosAfter, [photoAfter]);
    const finished = Date.parse(p.finishedAt);
    assert.ok(Math.abs(finished - localMs(day, '08:00')) < 5 * MINUTE, `finishedAt ${p.finishedAt}`);
    assert.deepEqual(p.rounds.map((r) => r.seq), settings.roundOffsets.map((_, i) => i + 1));
    assert.deepEqual(p.rounds.map((r) => Date.parse(r.dueAt) - finished), settings.roundOffsets.map((m) => m * MINUTE), 'rounds due at the configured offsets');
    assert.ok(p.rounds.every((r) => r.doneAt === null && r.late === false));
    assert.ok((await get(cast.fw, p)).allowedCommands.includes('rounds'));

    for (const [i, offset] of settings.roundOffsets.entries()) {
      await cast.jumpTo(finished + offset * MINUTE);
      p = await command(cast.fw, p, 'rounds', { result: 'normal', note: `第 ${i + 1} 次巡查，无残留火种`, lat: 29.4402, lng: 106.3615 }, 'watching');
      assert.ok(p.rounds[i].doneAt, `round ${i + 1} done`);
      assert.equal(p.rounds[i].result, 'normal');
      assert.equal(p.rounds[i].late, false);
    }
    await cast.jumpTo(finished + (Math.max(settings.watchMinutes, settings.roundOffsets.at(-1)) + 1) * MINUTE);
    const photoClose = await uploadPng(cast.fw, [0, 0, 200]);
    p = await command(cast.fw, p, 'close', { siteClear: true, photos: [photoClose] }, 'closed');
    assert.equal(p.siteClear, true);
    assert.ok(p.closedAt);
    assert.ok(p.photosAfter.includes(photoAfter) && p.photosAfter.includes(photoClose), `photosAfter ${p.photosAfter}`);
    assert.deepEqual(p.allowedCommands.filter((c) => c !== 'revoke'), [], 'nothing is left to do on a closed permit');

    const steps = p.timeline.map((e) => e.command);
    assert.deepEqual(steps, ['create', 'update', 'submit', 'survey', 'confirm-risk', 'approve', 'check-in', 'check-in', 'gas-analyses',
      'start', 'suspend', 'resume', 'finish', ...settings.roundOffsets.map(() => 'rounds'), 'close']);
    const moves = p.timeline.filter((e) => e.fromState !== e.toState).map((e) => `${e.fromState}>${e.toState}`);
    assert.deepEqual(moves, ['draft>submitted', 'submitted>surveyed', 'surveyed>risk_confirmed', 'risk_confirmed>approved',
      'approved>in_progress', 'in_progress>suspended', 'suspended>in_progress', 'in_progress>watching', 'watching>closed']);
    const byWho = Object.fromEntries(p.timeline.map((e) => [e.command, e.name]));
    assert.equal(byWho.survey, '冯建华');
    assert.equal(byWho['confirm-risk'], '邓强');
    assert.equal(byWho.close, '曾小燕');
    assert.ok(p.timeline.every((e) => e.at && e.commandLabel && /[\u4e00-\u9fff]/.test(e.commandLabel)), 'every event has a time and a Chinese label');
    assert.equal(expectStatus(await request('GET', `/api/public/permits/${p.publicToken}`), 200).valid, false, 'a closed permit is no longer valid');
  } finally {
    await resetServerClock();
  }
});

test('each step tells whose step it now is (permit.step notices, linked to the permit), never the one who acted', async () => {
  const crew = await createCrew(admin, world, { welderAccount: true });
  const welder = crew.worker.client;
  const { start, end } = await nowWindow(60);
  /** The permit.step notices of `client` about p since the last call, as "title|body" (oldest first). */
  const seen = new Set();
  async function told(client, p) {
    const items = (await client.getOk('/api/notifications?pageSize=100')).items
      .filter((n) => n.link === `/permits/${p.id}` && !seen.has(n.id));
    for (const n of items) {
      seen.add(n.id);
      assert.equal(n.event, 'permit.step');
      assert.match(n.eventLabel, /动火作业证/);
      assert.ok(n.title.endsWith(`：${p.number}`), n.title);
      assert.ok(n.body.includes(p.venue.name) && n.body.includes(p.place), `the notice says where: ${n.body}`);
    }
    return items.reverse().map((n) => n.title.replace(`：${p.number}`, ''));
  }
  const everyone = { contractor: cast.contractor, vm: cast.vm, fw: crew.fireWatch.client, welder };
  /** Runs `step` and checks what each of the four was told about p by it. */
  async function expectTold(p, step, expected) {
    const after = await step();
    for (const [who, client] of Object.entries(everyone))
      assert.deepEqual(await told(client, after), expected[who] ?? [], `${who} after ${after.state}`);
    return after;
  }
  let p = await draft(crew, start, end);
  for (const [who, client] of Object.entries(everyone)) assert.deepEqual(await told(client, p), [], `${who}: nothing before submission`);
  // A personal to-do goes to webhooks that subscribe to it by name, not to those that take every event.
  const hook = async (events) => expectStatus(await admin.post('/api/webhooks', { name: `测试推送 ${uid('w')}`, url: 'http://127.0.0.1:9/hook', format: 'json', events }), 201);
  const [everyEvent, subscribed] = [await hook([]), await hook(['permit.step'])];
  const stepsTo = async (h) => (await admin.getOk(`/api/webhooks/${h.id}/deliveries`)).items.filter((d) => d.event === 'permit.step').length;
  p = await expectTold(p, () => command(cast.contractor, p, 'submit', {}, 'submitted'), { vm: ['动火作业证待现场勘察'] });
  try {
    assert.equal(await stepsTo(subscribed), 1, 'the subscribed webhook queues the step');
    assert.equal(await stepsTo(everyEvent), 0, 'a webhook of every event does not');
  } finally {
    for (const h of [everyEvent, subscribed]) expectStatus(await admin.del(`/api/webhooks/${h.id}`), 200);
  }
  p = await expectTold(p, () => command(cast.vm, p, 'survey', {}, 'surveyed'), { contractor: ['动火作业证待确认风险'] });
  p = await expectTold(p, () => command(cast.contractor, p, 'confirm-risk', { measures: allMeasures(p) }, 'risk_confirmed'),
    { vm: ['动火作业证待审批'] });
  p = await expectTold(p, () => command(cast.vm, p, 'approve', {}, 'approved'),
    { contractor: ['动火作业证已批准'], fw: ['动火作业证已批准'], welder: ['动火作业证已批准'] });
  p = await command(everyone.fw, p, 'check-in', { personId: p.fireWatch.id });
  p = await expectTold(p, () => command(welder, p, 'check-in', { personId: crew.worker.person.id }), {});
  p = await expectTold(p, () => command(cast.contractor, p, 'start', {}, 'in_progress'), { fw: ['动火作业证已开工'] });
  p = await expectTold(p, () => command(everyone.fw, p, 'suspend', { reason: '监护人临时离开' }, 'suspended'),
    { contractor: ['动火作业证已暂停'], vm: ['动火作业证已暂停'], welder: ['动火作业证已暂停'] });
  const suspended = (await cast.vm.getOk('/api/notifications?pageSize=20')).items.find((n) => n.link === `/permits/${p.id}`);
  assert.match(suspended.body, /暂停原因：监护人临时离开/);
  p = await expectTold(p, () => command(cast.contractor, p, 'resume', {}, 'in_progress'),
    { vm: ['动火作业证已恢复作业'], fw: ['动火作业证已恢复作业'], welder: ['动火作业证已恢复作业'] });
  p = await expectTold(p, () => command(cast.contractor, p, 'finish', {}, 'watching'), { fw: ['动火作业证作业结束，请开始作业后监护'] });
  const watch = (await everyone.fw.getOk('/api/notifications?pageSize=20')).items.find((n) => n.link === `/permits/${p.id}`);
  for (const r of p.rounds) assert.ok(watch.body.includes(`第 ${r.seq} 次 `), `the fire watch is told round ${r.seq}: ${watch.body}`);
  p = await expectTold(p, () => command(admin, p, 'revoke', { reason: '测试撤销' }, 'revoked'),
    { contractor: ['动火作业证已被撤销'], vm: ['动火作业证已被撤销'], fw: ['动火作业证已被撤销'], welder: ['动火作业证已被撤销'] });

  // Sent back: the applicant is told why.
  const other = await createCrew(admin, world);
  let q = await draft(other, start, end);
  q = await command(cast.contractor, q, 'submit', {}, 'submitted');
  await told(cast.contractor, q);
  await command(cast.vm, q, 'reject', { reason: '动火点周边可燃物未清理' }, 'draft');
  const back = (await cast.contractor.getOk('/api/notifications?pageSize=20')).items.find((n) => n.link === `/permits/${q.id}`);
  assert.equal(back.title, `动火作业证被退回：${q.number}`);
  assert.match(back.body, /退回原因：动火点周边可燃物未清理/);
  await cancel(q);
});

test('todo=true lists the permits whose next step is the caller\'s, on the list, by cursor and in the count', async () => {
  const crew = await createCrew(admin, world);
  const fw = crew.fireWatch.client;
  const { start, end } = await nowWindow(60);
  const todo = async (client) => (await listAll(client, '/api/permits?todo=true')).map((x) => x.id);
  /**
   * Whose to-do holds p, with its todoStep: of the contractor (applicant and job leader), the venue manager
   * (approver), the fire watch. The permit's own todoStep, in the plain list and the detail, says the same.
   */
  async function holders(p) {
    const out = [];
    for (const [who, client] of [['contractor', cast.contractor], ['vm', cast.vm], ['fw', fw]]) {
      const step = (await client.getOk(`/api/permits/${p.id}`)).todoStep;
      const row = (await client.getOk(`/api/permits?cursor=first&q=${p.number}`)).items.find((x) => x.id === p.id);
      assert.equal(row.todoStep, step, `${who}: the list row's todoStep is the detail's`);
      assert.equal((await todo(client)).includes(p.id), step !== null, `${who}: todo=true lists exactly the permits with a todoStep`);
      if (step !== null) out.push(`${who}:${step}`);
    }
    return out;
  }
  let p = await draft(crew, start, end);
  assert.deepEqual(await holders(p), ['contractor:待提交'], 'draft: the applicant submits');
  p = await command(cast.contractor, p, 'submit', {}, 'submitted');
  assert.deepEqual(await holders(p), ['vm:待现场勘察'], 'submitted: the approver surveys');
  p = await command(cast.vm, p, 'survey', {}, 'surveyed');
  assert.deepEqual(await holders(p), ['contractor:待确认风险'], 'surveyed: the job leader confirms the risks');
  p = await command(cast.contractor, p, 'confirm-risk', { measures: allMeasures(p) }, 'risk_confirmed');
  assert.deepEqual(await holders(p), ['vm:待审批'], 'risk confirmed: the approver approves');
  p = await command(cast.vm, p, 'approve', {}, 'approved');
  assert.deepEqual(await holders(p), ['contractor:待签到开工', 'fw:待到场签到'], 'approved: the job leader starts, the fire watch checks in');

  // The same filter by cursor and in the count.
  const mine = await todo(cast.contractor);
  const byCursor = [];
  for (let cursor = 'first'; cursor;) {
    const page = await cast.contractor.getOk(`/api/permits?todo=true&cursor=${encodeURIComponent(cursor)}&pageSize=2`);
    byCursor.push(...page.items.map((x) => x.id));
    cursor = page.nextCursor;
  }
  assert.deepEqual(byCursor, mine);
  assert.equal((await cast.contractor.getOk('/api/permits/count?todo=true')).total, mine.length);
  expectError(await cast.contractor.get('/api/permits?todo=maybe'), 400, 'INVALID_VALUE', 'todo');

  // On site: the job leader's and the fire watch's steps.
  p = await command(fw, p, 'check-in', { personId: crew.fireWatch.person.id });
  assert.deepEqual(await holders(p), ['contractor:待签到开工'], 'the fire watch has checked in');
  p = await command(cast.contractor, p, 'check-in', { personId: crew.worker.person.id });
  p = await command(cast.contractor, p, 'start', {}, 'in_progress');
  assert.deepEqual(await holders(p), ['contractor:待结束作业'], 'in progress: the job leader finishes');
  p = await command(fw, p, 'suspend', { reason: '监护人临时离开' }, 'suspended');
  assert.deepEqual(await holders(p), ['contractor:待恢复作业', 'fw:待恢复作业'], 'suspended: either resumes');
  p = await command(fw, p, 'resume', {}, 'in_progress');
  p = await command(cast.contractor, p, 'finish', {}, 'watching');
  assert.deepEqual(await holders(p), ['fw:待监护巡查'], 'watching: the fire watch does the rounds');

  await command(admin, p, 'revoke', { reason: '测试撤销' }, 'revoked');
  assert.deepEqual(await holders(p), [], 'nothing is left to do on a revoked permit');
});

// ---------- numbers ----------

test('permit numbers are DH-YYYYMMDD-NNNN, unique, also when created at the same moment', async () => {
  const crew = await createCrew(admin, world);
  const before = localDateOf(await resetServerClock());
  const day = workdays[1];
  const made = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => cast.contractor.post('/api/permits',
    permitBody({ venueId: openVenue.id, start: localMs(day, `0${i + 1}:00`), end: localMs(day, `0${i + 1}:30`), jobLeaderId: deng.id, approverUserId: vmUser.id, crew }))));
  const afterDay = localDateOf(await resetServerClock());
  for (const r of made) {
    assert.equal(r.status, 201, describe(r));
    held.push(r.json.id);
  }
  const numbers = made.map((r) => r.json.number);
  assert.equal(new Set(numbers).size, numbers.length, `numbers not unique: ${numbers}`);
  assert.equal(new Set(made.map((r) => r.json.publicToken)).size, numbers.length, 'public tokens not unique');
  for (const n of numbers) {
    const m = PERMIT_NUMBER.exec(n);
    assert.ok(m, `bad number ${n}`);
    if (before === afterDay) assert.equal(m[1], before.replace(/-/g, ''), `${n}: the date is the local day of creation`);
  }
  const all = await listAll(admin, '/api/permits');
  const seen = new Map();
  for (const p of all) {
    assert.match(p.number, PERMIT_NUMBER);
    assert.ok(!seen.has(p.number), `number ${p.number} used by permits ${seen.get(p.number)} and ${p.id}`);
    seen.set(p.number, p.id);
  }
  for (const r of made) await cancel(r.json);
});

// ---------- input ----------

test('create and edit: validation of PermitInput, closed nested objects, references; PERMIT_LOCKED after submission', async () => {
  const crew = await createCrew(admin, world);
  const day = workdays[2];
  const base = permitBody({ venueId: openVenue.id, start: localMs(day, '08:00'), end: localMs(day, '10:00'), jobLeaderId: deng.id, approverUserId: vmUser.id, crew });
  const create = (over) => cast.contractor.post('/api/permits', { ...base, ...over });
  const without = (k) => { const b = { ...base }; delete b[k]; return cast.contractor.post('/api/permits', b); };

  for (const k of ['venueId', 'place', 'indoor', 'content', 'method', 'level', 'plannedStart', 'plannedEnd', 'jobLeaderId', 'fireWatchId',
    'approverUserId', 'riskIdentification', 'fireSeparation', 'gasRequired']) {
    expectError(await without(k), 400, 'REQUIRED', k);
  }
  expectError(await create({ level: 'level3' }), 400, 'INVALID_VALUE', 'level');
  expectError(await create({ method: 'laser_magic' }), 400, 'INVALID_VALUE', 'method');
  expectError(await create({ windForce: 18 }), 400, 'INVALID_VALUE', 'windForce');
  expectError(await create({ windForce: -1 }), 400, 'INVALID_VALUE', 'windForce');
  expectError(await create({ plannedStart: '明天上午' }), 400, 'INVALID_VALUE', 'plannedStart');
  expectError(await create({ plannedEnd: '2026-13-01T08:00:00+08:00' }), 400, 'INVALID_VALUE', 'plannedEnd');
  expectError(await create({ place: 'x'.repeat(101) }), 400, 'TOO_LONG', 'place');
  // indoor work needs its reason
  expectRefused(await create({ indoor: true }), 400, 'indoorReason');
  // references must exist
  expectRefused(await create({ venueId: MISSING_ID }), 400, 'venueId');
  expectRefused(await create({ jobLeaderId: MISSING_ID }), 400, 'jobLeaderId');
  expectRefused(await create({ fireWatchId: MISSING_ID }), 400, 'fireWatchId');
  expectRefused(await create({ approverUserId: MISSING_ID }), 400, 'approverUserId');
  expectRefused(await create({ unitId: MISSING_ID }), 400, 'unitId');
  expectRefused(await create({ machineIds: [MISSING_ID] }), 400, 'machineIds');
  expectRefused(await create({ workers: [{ personId: MISSING_ID, certificateId: crew.worker.cert.id }] }), 400, 'workers');
  expectRefused(await create({ workers: [{ personId: crew.worker.person.id, certificateId: MISSING_ID }] }), 400, 'workers');
  expectRefused(await create({ photosBefore: ['no-such-file'] }), 400, 'photosBefore');
  // nested objects are closed and typed
  const unknownWorker = await create({ workers: [{ personId: crew.worker.person.id, certificateId: crew.worker.cert.id, note: 'x' }] });
  expectError(unknownWorker, 400, 'UNKNOWN_FIELD');
  assert.match(unknownWorker.json.field ?? '', /^workers/, 'field names the workers list');
  const unknownControl = await create({ controls: [{ control: '灭火器', person: '张三', phone: '13800000000' }] });
  expectError(unknownControl, 400, 'UNKNOWN_FIELD');
  assert.match(unknownControl.json.field ?? '', /^controls/);
  const badWorker = await create({ workers: [{ personId: 'one', certificateId: crew.worker.cert.id }] });
  assert.equal(badWorker.status, 400, describe(badWorker));
  assert.match(badWorker.json.field ?? '', /^workers/);
  expectRefused(await create({ controls: [{ person: '张三' }] }), 400);
  assert.equal((await listAll(admin, `/api/permits?venueId=${openVenue.id}&q=${encodeURIComponent(base.place)}`))
    .filter((p) => p.plannedStart === isoUtc(localMs(day, '08:00'))).length, 0, 'a refused create left a permit behind');

  // a valid create, +08:00 times stored as UTC, then edits while a draft
  const p = await draft(crew, localMs(day, '08:00'), localMs(day, '10:00'));
  assert.equal(p.plannedStart, isoUtc(localMs(day, '08:00')));
  assert.equal(p.windForce, null);
  assert.equal(p.unit, null);
  const edited = expectStatus(await cast.contractor.put(`/api/permits/${p.id}`, { ...base, content: '改为护栏补焊', windForce: 3, unitId: world.unit.id }), 200);
  assert.equal(edited.content, '改为护栏补焊');
  assert.equal(edited.windForce, 3);
  assert.equal(edited.unit.id, world.unit.id);
  expectError(await cast.contractor.put(`/api/permits/${p.id}`, { ...base, level: 'high' }), 400, 'INVALID_VALUE', 'level');
  expectError(await cast.contractor.put(`/api/permits/${MISSING_ID}`, base), 404, 'NOT_FOUND');
  // the list's worker count follows the draft's workers (kept beside the permit, not counted per row)
  const second = await createCrew(admin, world);
  const listed = async () => (await listAll(admin, `/api/permits?venueId=${openVenue.id}&q=${encodeURIComponent(p.number)}`)).find((x) => x.id === p.id);
  assert.equal((await listed()).workerCount, 1);
  for (const workers of [[crew.worker, second.worker], [second.worker]]) {
    const body = { ...base, content: '改为护栏补焊', workers: workers.map((w) => ({ personId: w.person.id, certificateId: w.cert.id })) };
    const saved = expectStatus(await cast.contractor.put(`/api/permits/${p.id}`, body), 200);
    assert.equal(saved.workers.length, workers.length);
    assert.equal((await listed()).workerCount, workers.length);
  }

  // after submission nothing of it may change
  await expectSubmitted(p, 'valid draft');
  for (const change of [{ place: '换一个地方' }, {}]) {
    expectError(await cast.contractor.put(`/api/permits/${p.id}`, { ...base, ...change }), 409, 'PERMIT_LOCKED');
  }
  const after = await get(admin, p);
  assert.equal(after.content, '改为护栏补焊');
  assert.equal(after.state, 'submitted');
  await cancel(p);
  expectError(await cast.contractor.put(`/api/permits/${p.id}`, base), 409, 'PERMIT_LOCKED');
});

// ---------- the state machine ----------

// Permits in every state, each with its own crew, built once for the two tests below.
let fixtures;
async function stateFixtures() {
  if (fixtures) return fixtures;
  fixtures = new Map();
  // a job leader who is not the applicant, with an account of his own
  const leader = await createAccountPerson(admin, world, 'contractor', { name: '测试负责人' });
  const leaderClient = leader.client;
  const who = (crew) => whoFor(crew, { jobLeader: leaderClient });
  const add = (state, permit, crew) => fixtures.set(state, {
    permit, crew, who: { ...who(crew), welder: crew.worker.client }, leader: leaderClient,
  });
  // future-day states share one crew on separate hours of one day
  const day = workdays[3];
  const crewA = await createCrew(admin, world, { welderAccount: true });
  const hours = { draft: 1, submitted: 2, surveyed: 3, risk_confirmed: 4, approved: 5, cancelled: 6, revoked: 7 };
  for (const [state, h] of Object.entries(hours)) {
    const start = localMs(day, '07:00') + h * HOUR;
    let p = await createPermit(cast.contractor, permitBody({ venueId: openVenue.id, start, end: start + HOUR, jobLeaderId: leader.person.id, approverUserId: vmUser.id, crew: crewA }));
    held.push(p.id);
    p = await advancePermit(p, state, who(crewA));
    add(state, p, crewA);
  }
  // running states start now, a crew each
  for (const state of ['in_progress', 'suspended', 'watching']) {
    const crew = await createCrew(admin, world, { welderAccount: true });
    const { start, end } = await nowWindow(120);
    let p = await createPermit(cast.contractor, permitBody({ venueId: openVenue.id, start, end, jobLeaderId: leader.person.id, approverUserId: vmUser.id, crew }));
    held.push(p.id);
    p = await advancePermit(p, state, who(crew));
    add(state, p, crew);
  }
  // closed and expired: the demo's own (金凤商业广场 / 金凤里综合体, applied and led by contractor, approved by venue_mgr)
  const loaded = await demoLoadedAt(admin);
  for (const state of ['closed', 'expired']) {
    const demo = (await listAll(admin, `/api/permits?state=${state}`)).find((p) => p.createdAt <= loaded
      && ['金凤商业广场', '金凤里综合体'].includes(p.venue.name) && p.jobLeader.id === deng.id);
    assert.ok(demo, `no demo permit in state ${state}`);
    const full = await get(admin, demo);
    const fwUser = await admin.getOk(`/api/users/${full.fireWatch.userId}`);
    assert.equal(full.approver.id, vmUser.id);
    const fwClient = await login(fwUser.username);
    fixtures.set(state, { permit: full, who: { ...whoFor(null), fireWatch: fwClient }, leader: cast.contractor, demo: true });
  }
  for (const s of PERMIT_STATES) assert.ok(fixtures.has(s), `no fixture in state ${s}`);
  return fixtures;
}

/** The right person and a valid body for each command on a fixture. */
function rightCall(cmd, fx) {
  const p = fx.permit;
  const w = fx.who;
  switch (cmd) {
    case 'submit': return [w.applicant, {}];
    case 'survey': return [w.approver, { note: '勘察' }];
    case 'confirm-risk': return [w.jobLeader, { measures: allMeasures(p) }];
    case 'approve': return [w.approver, {}];
    case 'reject': return [w.approver, { reason: '退回' }];
    case 'check-in': return [w.fireWatch, { personId: p.fireWatch.id }];
    case 'gas-analyses': return [w.jobLeader, { sampledAt: isoUtc(Date.now() - MINUTE), gas: '甲烷', lelPercent: 5, resultPercent: 0.1, analyst: '王检测' }];
    case 'start': return [w.jobLeader, {}];
    case 'suspend': return [w.fireWatch, { reason: '暂停' }];
    case 'resume': return [w.fireWatch, {}];
    case 'finish': return [w.jobLeader, {}];
    case 'rounds': return [w.fireWatch, { result: 'normal' }];
    case 'close': return [w.fireWatch, { siteClear: true }];
    case 'cancel': return [w.applicant, { reason: '取消' }];
    case 'revoke': return [w.admin, { reason: '撤销' }];
    default: throw new Error(cmd);
  }
}

// From which states the contract lets each command run. Commands whose source states the contract leaves open
// (check-in, gas analyses, cancel, revoke) are checked only from the finished states, where nothing may run.
const ALLOWED_FROM = {
  submit: ['draft'],
  survey: ['submitted'],
  'confirm-risk': ['surveyed'],
  approve: ['risk_confirmed'],
  reject: ['submitted', 'surveyed', 'risk_confirmed'],
  start: ['approved'],
  suspend: ['in_progress'],
  resume: ['suspended'],
  finish: ['in_progress', 'suspended'],
  rounds: ['watching'],
  close: ['watching'],
};
const CHECKED_ONLY_WHEN_FINISHED = ['check-in', 'gas-analyses', 'cancel', 'revoke'];

test('every command from a state that does not allow it → 409 PERMIT_STATE_INVALID (by the right person, with a valid body)', async () => {
  const fx = await stateFixtures();
  await resetServerClock();
  const problems = [];
  let checked = 0;
  for (const state of PERMIT_STATES) {
    const f = fx.get(state);
    for (const cmd of [...Object.keys(ALLOWED_FROM), ...CHECKED_ONLY_WHEN_FINISHED]) {
      const wrong = ALLOWED_FROM[cmd] ? !ALLOWED_FROM[cmd].includes(state) : TERMINAL_STATES.includes(state);
      if (!wrong) continue;
      const [client, body] = rightCall(cmd, f);
      const res = await post(client, f.permit, cmd, body);
      checked++;
      if (!(res.status === 409 && res.json?.code === 'PERMIT_STATE_INVALID')) {
        problems.push(`${cmd.padEnd(13)} from ${state.padEnd(15)} → ${res.status} ${res.json?.code ?? res.text.slice(0, 80)} ${res.json?.field ? `(field ${res.json.field})` : ''}`);
      }
      const now = await get(admin, f.permit);
      if (now.state !== state) {
        problems.push(`${cmd} from ${state} CHANGED the state to ${now.state}`);
        f.permit = now;
      }
    }
    // edits: only a draft may change
    if (state !== 'draft' && !f.demo) {
      const res = await f.who.applicant.put(`/api/permits/${f.permit.id}`, permitBody({ venueId: openVenue.id, start: Date.parse(f.permit.plannedStart),
        end: Date.parse(f.permit.plannedEnd), jobLeaderId: f.permit.jobLeader.id, approverUserId: vmUser.id, crew: f.crew }));
      checked++;
      if (!(res.status === 409 && res.json?.code === 'PERMIT_LOCKED')) problems.push(`PUT in ${state} → ${res.status} ${res.json?.code} (expected 409 PERMIT_LOCKED)`);
    }
  }
  assert.ok(checked > 80, `only ${checked} checks`);
  assert.deepEqual(problems, [], `${problems.length} of ${checked} wrong-state commands not refused with 409 PERMIT_STATE_INVALID:\n${problems.join('\n')}`);
});

test('every command by the wrong person → 403 NOT_YOUR_STEP, or FORBIDDEN when the role lacks the permission', async () => {
  const fx = await stateFixtures();
  await resetServerClock();
  const NYS = 'NOT_YOUR_STEP';
  const FB = 'FORBIDDEN';
  const f = (s) => fx.get(s);
  const gas = rightCall('gas-analyses', f('approved'))[1];
  // [state, command, body, [[client label, client, expected code(s)]]]
  const cases = [
    ['draft', 'submit', {}, [['admin', f('draft').who.admin, NYS], ['job leader', f('draft').leader, NYS], ['approver', cast.vm, FB], ['welder', f('draft').who.welder, FB]]],
    // cancel needs only permit:read at the route (the approver may cancel an approved permit): the step check refuses the rest
    ['draft', 'cancel', { reason: '取消' }, [['admin', cast.admin, NYS], ['job leader', f('draft').leader, NYS], ['fire watch', f('draft').who.fireWatch, NYS]]],
    ['submitted', 'survey', { note: '勘察' }, [['admin', cast.admin, NYS], ['applicant', cast.contractor, FB], ['fire watch', f('submitted').who.fireWatch, FB]]],
    ['submitted', 'reject', { reason: '退回' }, [['admin', cast.admin, NYS], ['applicant', cast.contractor, FB]]],
    ['surveyed', 'confirm-risk', { measures: allMeasures(f('surveyed').permit) }, [['applicant (not the job leader)', cast.contractor, NYS], ['admin', cast.admin, NYS], ['approver', cast.vm, FB]]],
    ['risk_confirmed', 'approve', {}, [['admin', cast.admin, NYS], ['applicant', cast.contractor, FB], ['job leader', f('risk_confirmed').leader, FB]]],
    ['approved', 'check-in', { personId: f('approved').permit.fireWatch.id }, [['welder (another person)', f('approved').who.welder, NYS]]],
    ['approved', 'check-in', { personId: f('approved').permit.workers[0].personId }, [['approver', cast.vm, NYS], ['admin', cast.admin, NYS], ['applicant', cast.contractor, NYS]]],
    ['approved', 'gas-analyses', gas, [['admin', cast.admin, NYS], ['welder', f('approved').who.welder, [NYS, FB]]]],
    ['approved', 'start', {}, [['applicant (not the job leader)', cast.contractor, NYS], ['admin', cast.admin, NYS], ['fire watch', f('approved').who.fireWatch, FB]]],
    ['in_progress', 'suspend', { reason: '暂停' }, [['welder', f('in_progress').who.welder, NYS], ['admin', cast.admin, NYS], ['applicant', cast.contractor, NYS]]],
    ['in_progress', 'finish', {}, [['applicant (not the job leader)', cast.contractor, NYS], ['admin', cast.admin, NYS], ['fire watch', f('in_progress').who.fireWatch, FB]]],
    ['in_progress', 'revoke', { reason: '撤销' }, [['applicant', cast.contractor, FB], ['approver', cast.vm, FB], ['fire watch', f('in_progress').who.fireWatch, FB], ['welder', f('in_progress').who.welder, FB]]],
    ['suspended', 'resume', {}, [['welder', f('suspended').who.welder, NYS], ['applicant', cast.contractor, NYS]]],
    ['watching', 'rounds', { result: 'normal' }, [['admin', cast.admin, NYS], ['welder', f('watching').who.welder, FB], ['job leader', f('watching').leader, FB]]],
    ['watching', 'close', { siteClear: true }, [['admin', cast.admin, NYS], ['job leader', f('watching').leader, FB], ['approver', cast.vm, FB]]],
  ];
  const problems = [];
  let checked = 0;
  for (const [state, cmd, body, wrongs] of cases) {
    const fxs = f(state);
    for (const [label, client, expected] of wrongs) {
      const res = await post(client, fxs.permit, cmd, body);
      checked++;
      const codes = [expected].flat();
      if (!(res.status === 403 && codes.includes(res.json?.code))) {
        problems.push(`${cmd.padEnd(13)} in ${state.padEnd(14)} by ${label.padEnd(32)} → ${res.status} ${res.json?.code ?? res.text.slice(0, 60)} (expected 403 ${codes.join('/')})`);
      }
    }
    const now = await get(admin, fxs.permit);
    if (now.state !== state) problems.push(`${cmd} in ${state} by a wrong person CHANGED the state to ${now.state}`);
  }
  // edits of a draft by anyone but the applicant
  const d = f('draft');
  const editBody = permitBody({ venueId: openVenue.id, start: Date.parse(d.permit.plannedStart), end: Date.parse(d.permit.plannedEnd), jobLeaderId: d.permit.jobLeader.id, approverUserId: vmUser.id, crew: d.crew }, { place: '被他人修改' });
  for (const [label, client, code] of [['admin', cast.admin, NYS], ['job leader', d.leader, NYS], ['approver', cast.vm, FB]]) {
    const res = await client.put(`/api/permits/${d.permit.id}`, editBody);
    checked++;
    if (!(res.status === 403 && res.json?.code === code)) problems.push(`PUT draft by ${label} → ${res.status} ${res.json?.code} (expected 403 ${code})`);
  }
  assert.notEqual((await get(admin, d.permit)).place, '被他人修改', 'an edit by another person took effect');
  assert.deepEqual(problems, [], `${problems.length} of ${checked} wrong-person commands not refused as the contract says:\n${problems.join('\n')}`);
});

test('reject sends the permit back to draft with its reason and clears the measures; the applicant edits and submits again', async () => {
  const crew = await createCrew(admin, world);
  const day = workdays[4];
  let p = await draft(crew, localMs(day, '08:00'), localMs(day, '10:00'));
  p = await advancePermit(p, 'risk_confirmed', whoFor(crew));
  assert.ok(p.measures.every((m) => m.applies !== null));
  expectError(await post(cast.vm, p, 'reject', {}), 400, 'REQUIRED', 'reason');
  expectError(await post(cast.vm, p, 'reject', { reason: '   ' }), 400, 'REQUIRED', 'reason');
  p = await command(cast.vm, p, 'reject', { reason: '动火点下方有人员通行，须增设警戒' }, 'draft');
  assert.equal(p.stateReason, '动火点下方有人员通行，须增设警戒');
  for (const m of p.measures) assert.deepEqual([m.applies, m.confirmedBy, m.confirmedAt], [null, null, null], `measure ${m.code} not cleared`);
  assert.equal(p.timeline.at(-1).command, 'reject');
  assert.equal(p.timeline.at(-1).toState, 'draft');
  const mine = await get(cast.contractor, p);
  assert.ok(mine.allowedCommands.includes('update') && mine.allowedCommands.includes('submit'), `after reject: ${mine.allowedCommands}`);
  const body = permitBody({ venueId: openVenue.id, start: localMs(day, '08:00'), end: localMs(day, '10:00'), jobLeaderId: deng.id, approverUserId: vmUser.id, crew }, { place: '增设警戒后的动火部位' });
  expectStatus(await cast.contractor.put(`/api/permits/${p.id}`, body), 200);
  p = await command(cast.contractor, p, 'submit', {}, 'submitted');
  // rejected again from submitted and surveyed
  p = await command(cast.vm, p, 'reject', { reason: '再次退回' }, 'draft');
  p = await advancePermit(p, 'surveyed', whoFor(crew));
  p = await command(cast.vm, p, 'reject', { reason: '勘察后退回' }, 'draft');
  assert.ok(p.measures.every((m) => m.applies === null));
  await cancel(p);
});

test('measures follow the checklist until the job leader confirms them, then keep what was confirmed', async () => {
  const templates = (await admin.getOk('/api/measure-templates')).items.map(({ code, label }) => ({ code, label }));
  const extra = { code: `t_${uid('m').replace(/\W/g, '_').toLowerCase()}`, label: '作业点旁配备灭火毯' };
  const crew = await createCrew(admin, world);
  const day = workdays[5];
  let p = await draft(crew, localMs(day, '08:00'), localMs(day, '10:00'));
  try {
    expectStatus(await admin.put('/api/measure-templates', { items: [...templates, extra] }), 200);
    const before = p;
    p = await get(cast.contractor, p);
    assert.deepEqual(p.measures.map((m) => m.code), [...templates.map((t) => t.code), extra.code], 'a draft follows the checklist');
    assert.ok(p.measures.every((m) => m.applies === null));
    p = await advancePermit(p, 'surveyed', whoFor(crew));
    expectError(await post(cast.contractor, p, 'confirm-risk', { measures: allMeasures(before) }), 400, 'MEASURES_UNCONFIRMED', 'measures');
    p = await command(cast.contractor, p, 'confirm-risk', { measures: allMeasures(p, [extra.code]) }, 'risk_confirmed');

    // The checklist changes after the confirmation: the permit keeps the measures and labels it was confirmed with.
    const relabelled = templates.map((t, i) => (i ? t : { ...t, label: `${t.label}（修订）` }));
    expectStatus(await admin.put('/api/measure-templates', { items: relabelled }), 200);
    p = await get(cast.contractor, p);
    assert.deepEqual(p.measures.map((m) => [m.code, m.label, m.applies]),
      [...templates.map((t) => [t.code, t.label, true]), [extra.code, extra.label, false]]);
    assert.ok(p.measures.every((m) => m.confirmedBy === '邓强' && m.confirmedAt));
    p = await advancePermit(p, 'approved', whoFor(crew));
    assert.equal(p.measures.length, templates.length + 1);

    // Rejected before approval, a permit's answers go and it follows the checklist again.
    let q = await draft(crew, localMs(day, '13:00'), localMs(day, '15:00'));
    q = await advancePermit(q, 'risk_confirmed', whoFor(crew));
    q = await command(cast.vm, q, 'reject', { reason: '措施不全' }, 'draft');
    assert.deepEqual(q.measures.map((m) => [m.label, m.applies]), relabelled.map((t) => [t.label, null]));
    await cancel(q);
  } finally {
    expectStatus(await admin.put('/api/measure-templates', { items: templates }), 200);
  }
  await cancel(p);
});

// ---------- rules at submit ----------

test('rules at submit: window invalid, start in the past, window too long for the level', async () => {
  const crew = await createCrew(admin, world);
  const day = workdays[5];
  const at = (hhmm) => localMs(day, hhmm);
  let p = await draft(crew, at('10:00'), at('10:00'));
  await expectSubmitRefused(p, 400, 'PERMIT_WINDOW_INVALID', 'plannedEnd');
  await cancel(p);
  p = await draft(crew, at('10:00'), at('09:00'));
  await expectSubmitRefused(p, 400, 'PERMIT_WINDOW_INVALID', 'plannedEnd');
  await cancel(p);
  const now = await resetServerClock();
  p = await draft(crew, now - 2 * HOUR, now + HOUR);
  await expectSubmitRefused(p, 400, 'PERMIT_START_IN_PAST', 'plannedStart');
  await cancel(p);
  // 特级 and 一级: at most maxHoursHigh; 二级: at most maxHoursLevel2 (no raise: a workday, daytime, outdoors, no wind)
  const high = settings.maxHoursHigh;
  for (const level of ['special', 'level1']) {
    p = await draft(crew, at('07:00'), at('07:00') + (high * 60 + 30) * MINUTE, { level });
    await expectSubmitRefused(p, 400, 'PERMIT_WINDOW_TOO_LONG', 'plannedEnd');
    await cancel(p);
    p = await draft(crew, at('07:00'), at('07:00') + high * HOUR, { level });
    const ok = await expectSubmitted(p, `${level} ${high} h`);
    assert.equal(ok.level, level);
    await cancel(ok);
  }
  p = await draft(crew, at('07:00'), at('17:00'));
  const ok = await expectSubmitted(p, '二级 10 h on a workday');
  assert.equal(ok.level, 'level2');
  assert.deepEqual(ok.levelReasons, []);
  await cancel(ok);
});

test('level raises: a 10 h 二级 window that passes on a workday is too long on a rest day, at night, in a key period, outdoors at wind force ≥ 5', async () => {
  const crew = await createCrew(admin, world);
  const work = workdays[6];
  const rest = restDays.find((d) => d > work) ?? restDays[0];
  const tenHours = (day, from = '07:00') => [localMs(day, from), localMs(day, from) + 10 * HOUR];
  const raisedTo = async (p, level, what) => {
    const s = await expectSubmitted(p, what);
    assert.equal(s.levelDeclared, 'level2', what);
    assert.equal(s.level, level, `${what}: level`);
    assert.equal(s.levelLabel, level === 'level1' ? '一级' : level === 'level2' ? '二级' : '特级');
    if (level === 'level2') assert.deepEqual(s.levelReasons, [], what);
    else assert.ok(s.levelReasons.length >= 1 && s.levelReasons.every((r) => /[\u4e00-\u9fff]/.test(r)), `${what}: levelReasons ${s.levelReasons}`);
    await cancel(s);
    return s;
  };
  // the baseline
  let p = await draft(crew, ...tenHours(work));
  await raisedTo(p, 'level2', 'workday 07:00-17:00');
  // rest day
  p = await draft(crew, ...tenHours(rest));
  await expectSubmitRefused(p, 400, 'PERMIT_WINDOW_TOO_LONG', 'plannedEnd');
  await cancel(p);
  p = await draft(crew, localMs(rest, '08:00'), localMs(rest, '10:00'));
  await raisedTo(p, 'level1', `rest day ${rest}`);
  p = await draft(crew, localMs(rest, '08:00'), localMs(rest, '10:00'), { level: 'special' });
  const special = await expectSubmitted(p, 'special on a rest day');
  assert.equal(special.level, 'special', '特级 stays 特级');
  await cancel(special);
  // night (22:00-06:00)
  p = await draft(crew, ...tenHours(work, '13:00'));
  await expectSubmitRefused(p, 400, 'PERMIT_WINDOW_TOO_LONG', 'plannedEnd');
  await cancel(p);
  p = await draft(crew, localMs(work, '21:00'), localMs(work, '23:00'));
  await raisedTo(p, 'level1', 'workday 21:00-23:00');
  // outdoor wind
  p = await draft(crew, ...tenHours(work), { windForce: settings.windForceLimit });
  await expectSubmitRefused(p, 400, 'PERMIT_WINDOW_TOO_LONG', 'plannedEnd');
  await cancel(p);
  p = await draft(crew, ...tenHours(work), { windForce: settings.windForceLimit - 1 });
  await raisedTo(p, 'level2', 'wind below the limit');
  p = await draft(crew, ...tenHours(work), { windForce: settings.windForceLimit + 1, indoor: true, indoorReason: '室内设备间' });
  await raisedTo(p, 'level2', 'indoors the wind does not count');
  p = await draft(crew, localMs(work, '08:00'), localMs(work, '10:00'), { windForce: settings.windForceLimit });
  await raisedTo(p, 'level1', 'outdoors at the wind limit');
  // key period
  const kday = workdays[7];
  const kp = expectStatus(await admin.post('/api/key-periods', { name: `测试重要时段${uid('k')}`, start: `${kday}T00:00:00+08:00`, end: `${addDays(kday, 1)}T00:00:00+08:00`, note: '接口测试' }), 201);
  try {
    p = await draft(crew, ...tenHours(kday));
    await expectSubmitRefused(p, 400, 'PERMIT_WINDOW_TOO_LONG', 'plannedEnd');
    await cancel(p);
    p = await draft(crew, localMs(kday, '08:00'), localMs(kday, '10:00'));
    const s = await raisedTo(p, 'level1', 'key period');
    assert.ok(s.levelReasons.some((r) => r.includes(kp.name)) || s.levelReasons.length === 1, `key period reason: ${s.levelReasons}`);
  } finally {
    expectStatus(await admin.del(`/api/key-periods/${kp.id}`), 200);
  }
});

test('opening hours: no hot work while a mall is open, never while a KTV is open (also past midnight); a school while open only with assessment, named controls and fire separation', async () => {
  const day = workdays[8];
  const at = (hhmm) => localMs(day, hhmm);
  // 金凤商业广场 10:00-22:00, approved by venue_mgr
  const mall = world.venues.get('金凤商业广场');
  let crew = await createCrew(admin, world);
  let p = await draft(crew, at('10:30'), at('12:00'), {}, { venue: mall });
  await expectSubmitRefused(p, 400, 'PERMIT_IN_BUSINESS_HOURS', 'plannedStart');
  // mitigations do not help a mall
  expectStatus(await cast.contractor.put(`/api/permits/${p.id}`, permitBody({ venueId: mall.id, start: at('10:30'), end: at('12:00'), jobLeaderId: deng.id, approverUserId: vmUser.id, crew },
    { riskAssessment: '全面评估', controls: [{ control: '专人看守', person: '张三' }], fireSeparation: true })), 200);
  await expectSubmitRefused(p, 400, 'PERMIT_IN_BUSINESS_HOURS', 'plannedStart');
  await cancel(p);
  p = await draft(crew, at('21:30'), at('23:00'), {}, { venue: mall });
  await expectSubmitRefused(p, 400, 'PERMIT_IN_BUSINESS_HOURS', 'plannedStart');
  await cancel(p);
  p = await draft(crew, at('07:00'), at('09:30'), {}, { venue: mall });
  await cancel(await expectSubmitted(p, 'mall before opening'));

  // 金凤星光KTV 14:00-02:00 (公共娱乐场所); admin approves
  const ktv = world.venues.get('金凤星光KTV');
  const ktvOpts = { venue: ktv, approverUserId: admin.user.id };
  const mitigated = { riskAssessment: '全面评估', controls: [{ control: '专人看守', person: '张三' }], fireSeparation: true };
  p = await draft(crew, at('15:00'), at('17:00'), mitigated, ktvOpts);
  await expectSubmitRefused(p, 400, 'PERMIT_ENTERTAINMENT_OPEN', 'plannedStart');
  await cancel(p);
  const next = addDays(day, 1);
  p = await draft(crew, localMs(next, '01:00'), localMs(next, '03:00'), {}, ktvOpts);
  await expectSubmitRefused(p, 400, 'PERMIT_ENTERTAINMENT_OPEN', 'plannedStart');
  await cancel(p);
  p = await draft(crew, at('09:00'), at('11:00'), {}, ktvOpts);
  await cancel(await expectSubmitted(p, 'KTV in the morning'));

  // 金凤中学 07:00-21:30: step by step to acceptance
  const school = world.venues.get('金凤中学');
  crew = await createCrew(admin, world);
  const schoolBody = (over) => permitBody({ venueId: school.id, start: at('10:00'), end: at('12:00'), jobLeaderId: deng.id, approverUserId: admin.user.id, crew }, over);
  p = await draft(crew, at('10:00'), at('12:00'), {}, { venue: school, approverUserId: admin.user.id });
  await expectSubmitRefused(p, 400, 'PERMIT_RISK_ASSESSMENT_REQUIRED', 'riskAssessment');
  const edit = async (over) => expectStatus(await cast.contractor.put(`/api/permits/${p.id}`, schoolBody(over)), 200);
  const assessment = '教学楼使用期间作业：已对火灾、烟气、疏散风险全面辨识评估';
  // the field of PERMIT_CONTROLS_UNASSIGNED is checked at the end, so that the rest of the walk runs either way
  const fieldProblems = [];
  const controlsUnassigned = async () => {
    const res = await post(cast.contractor, p, 'submit');
    expectError(res, 400, 'PERMIT_CONTROLS_UNASSIGNED');
    if (res.json.field !== 'controls') fieldProblems.push(`PERMIT_CONTROLS_UNASSIGNED names field ${res.json.field}, not controls (the input at fault)`);
  };
  await edit({ riskAssessment: assessment });
  await controlsUnassigned();
  await edit({ riskAssessment: assessment, controls: [{ control: '动火点周边学生疏散' }, { control: '配置灭火器', person: '李老师' }] });
  await controlsUnassigned();
  const controls = [{ control: '动火点周边学生疏散', person: '王主任' }, { control: '配置灭火器', person: '李老师' }];
  await edit({ riskAssessment: assessment, controls, fireSeparation: false });
  await expectSubmitRefused(p, 400, 'PERMIT_FIRE_SEPARATION_REQUIRED', 'fireSeparation');
  await edit({ riskAssessment: assessment, controls, fireSeparation: true });
  const accepted = await expectSubmitted(p, 'school with every mitigation');
  assert.equal(accepted.riskAssessment, assessment);
  assert.deepEqual(accepted.controls, controls);
  assert.equal(accepted.fireSeparation, true);
  await cancel(accepted);
  assert.deepEqual(fieldProblems, []);
});

test('certificates of the workers: expired, review overdue, revoked or suspended, another person\'s, a kind not accepted; at least one worker', async () => {
  const day = workdays[9];
  const crew = await createCrew(admin, world);
  const window = [localMs(day, '08:00'), localMs(day, '10:00')];
  const tryWorker = async (person, certificateId, code) => {
    const p = await draft(crew, ...window, { workers: [{ personId: person.id, certificateId }] });
    await expectSubmitRefused(p, 400, code, 'workers');
    await cancel(p);
  };
  const expired = await createWorker(admin, world, { cert: { validUntil: addDays(day, -1), nextReview: undefined } });
  await tryWorker(expired.person, expired.cert.id, 'CERT_EXPIRED');
  const review = await createWorker(admin, world, { cert: { nextReview: addDays(day, -1) } });
  await tryWorker(review.person, review.cert.id, 'CERT_REVIEW_OVERDUE');
  for (const status of ['revoked', 'suspended']) {
    const w = await createWorker(admin, world, { cert: { status } });
    assert.equal(w.cert.status, status);
    await tryWorker(w.person, w.cert.id, 'CERT_NOT_VALID');
  }
  const other = await createWorker(admin, world);
  await tryWorker(crew.worker.person, other.cert.id, 'CERT_NOT_HOLDER');
  // a certificate kind that is not a welding certificate (a dictionary item added for the test, disabled after)
  const item = expectStatus(await admin.post('/api/dict-types/certificate_type/items', { value: uid('elec').replace(/[^a-z0-9_]/g, '_'), label: `低压电工作业（测试${uid('l')}）`, sort: 900 }), 201);
  try {
    const person = await createPerson(admin, { unitId: world.unit.id });
    const cert = await createCertificate(admin, person, { kind: item.value, number: `电工${uid('n')}` });
    await tryWorker(person, cert.id, 'CERT_KIND_NOT_ACCEPTED');
  } finally {
    expectStatus(await admin.put(`/api/dict-items/${item.id}`, { label: item.label, sort: item.sort, enabled: false }), 200);
  }
  const none = await draft(crew, ...window, { workers: [] });
  await expectSubmitRefused(none, 400, 'WORKERS_REQUIRED', 'workers');
  await cancel(none);
  // the crew's own certificate passes
  await cancel(await expectSubmitted(await draft(crew, ...window), 'valid certificate'));
});

test('people and machines: fire watch is a worker, job leader / fire watch without an account, approver = applicant or without permit:approve, machine not active', async () => {
  const day = workdays[10];
  const window = [localMs(day, '08:00'), localMs(day, '10:00')];
  const crew = await createCrew(admin, world);
  // the fire watch as a worker too
  const fwCert = await createCertificate(admin, crew.fireWatch.person, { validUntil: localDate(400), nextReview: localDate(380) });
  let p = await draft(crew, ...window, { workers: [{ personId: crew.worker.person.id, certificateId: crew.worker.cert.id }, { personId: crew.fireWatch.person.id, certificateId: fwCert.id }] });
  await expectSubmitRefused(p, 400, 'FIRE_WATCH_IS_WORKER', 'fireWatchId');
  await cancel(p);
  // people without an account cannot confirm, check in or do rounds
  const plain = await createPerson(admin, { unitId: world.unit.id, name: '无账号人员' });
  p = await draft(crew, ...window, { jobLeaderId: plain.id });
  await expectSubmitRefused(p, 400, 'JOB_LEADER_NO_ACCOUNT', 'jobLeaderId');
  await cancel(p);
  p = await draft(crew, ...window, { fireWatchId: plain.id });
  await expectSubmitRefused(p, 400, 'FIRE_WATCH_NO_ACCOUNT', 'fireWatchId');
  await cancel(p);
  // the approver: not the applicant, and one who may approve
  const mine = await createPermit(cast.admin, permitBody({ venueId: openVenue.id, start: window[0], end: window[1], jobLeaderId: deng.id, approverUserId: admin.user.id, crew }));
  held.push(mine.id);
  expectError(await post(cast.admin, mine, 'submit'), 400, 'APPROVER_IS_APPLICANT', 'approverUserId');
  await command(cast.admin, mine, 'cancel', { reason: '测试' }, 'cancelled');
  p = await draft(crew, ...window, {}, { approverUserId: world.users.get('welder').id });
  await expectSubmitRefused(p, 400, 'APPROVER_NOT_ALLOWED', 'approverUserId');
  await cancel(p);
  // machines locked or retired
  for (const status of ['locked', 'retired']) {
    const m = await createMachine(admin, world.unit.id, { status });
    p = await draft(crew, ...window, { machineIds: [m.id] });
    await expectSubmitRefused(p, 400, 'MACHINE_NOT_ACTIVE', 'machineIds');
    await cancel(p);
  }
});

test('one job, one permit: worker, machine and fire watch double-booked across overlapping permits (any venue); adjacent windows pass', async () => {
  const day = workdays[11];
  const at = (hhmm) => localMs(day, hhmm);
  const a = await createCrew(admin, world);
  const b = await createCrew(admin, world);
  const venue2 = await createOpenVenue(admin, world, vmUser.id);
  const first = await expectSubmitted(await draft(a, at('08:00'), at('10:00')), 'first permit');
  const clash = async (over, code, field) => {
    const p = await draft(b, at('09:00'), at('11:00'), over, { venue: venue2 });
    const message = await expectSubmitRefused(p, 409, code, field);
    assert.ok(message.includes(first.number) && message.endsWith('（一次作业一张证）'), `${code}: ${message}`);
    await cancel(p);
  };
  await clash({ workers: [{ personId: a.worker.person.id, certificateId: a.worker.cert.id }] }, 'WORKER_DOUBLE_BOOKED', 'workers');
  await clash({ machineIds: [a.machine.id] }, 'MACHINE_DOUBLE_BOOKED', 'machineIds');
  await clash({ fireWatchId: a.fireWatch.person.id }, 'FIRE_WATCH_DOUBLE_BOOKED', 'fireWatchId');
  // a window inside the other one
  let p = await draft(b, at('08:30'), at('09:00'), { machineIds: [a.machine.id] }, { venue: venue2 });
  await expectSubmitRefused(p, 409, 'MACHINE_DOUBLE_BOOKED', 'machineIds');
  await cancel(p);
  // back to back is no overlap
  p = await draft(a, at('10:00'), at('12:00'));
  await cancel(await expectSubmitted(p, 'adjacent window, same crew'));
  // a draft holds no one; once the first permit is cancelled the worker is free
  await cancel(first);
  p = await draft(b, at('09:00'), at('11:00'), { workers: [{ personId: a.worker.person.id, certificateId: a.worker.cert.id }] }, { venue: venue2 });
  await cancel(await expectSubmitted(p, 'after the first permit was cancelled'));
});

test('confirm-risk: a measure the permit settles cannot be 不涉及 (extinguishers, fire watch, declared separation and gas test, the electric welder)', async () => {
  const crew = await createCrew(admin, world);
  const day = workdays[19];
  let p = await draft(crew, localMs(day, '08:00'), localMs(day, '10:00'), { fireSeparation: true, gasRequired: true });
  p = await advancePermit(p, 'surveyed', whoFor(crew));
  // The detail names what the permit settles, with why: exactly what the server refuses as 不涉及.
  const settled = ['extinguishers', 'fire_watch_ready', 'fire_separation', 'gas_tested', 'welder_grounding'];
  assert.deepEqual(p.measures.filter((m) => m.required).map((m) => m.code).sort(), [...settled].sort());
  assert.match(p.measures.find((m) => m.code === 'fire_separation').required, /已申报防火分隔/);
  assert.equal(p.measures.find((m) => m.code === 'cylinders').required, null);
  for (const code of settled) {
    const refused = await post(cast.contractor, p, 'confirm-risk', { measures: allMeasures(p, [code]) });
    expectError(refused, 400, 'MEASURE_REQUIRED', 'measures');
    assert.match(refused.json.message, new RegExp(`^第 ${p.measures.findIndex((m) => m.code === code) + 1} 项`), code);
  }
  assert.equal((await get(admin, p)).state, 'surveyed');
  // What the permit does not settle may be either way: gas cylinders for electric welding.
  p = await command(cast.contractor, p, 'confirm-risk', { measures: allMeasures(p, ['cylinders']) }, 'risk_confirmed');
  assert.equal(p.measures.find((m) => m.code === 'cylinders').applies, false);
  assert.equal(p.measures.find((m) => m.code === 'gas_tested').applies, true);
});

test('the check-in window and the start lead are rule settings', async () => {
  const crew = await createCrew(admin, world);
  const { start, end } = await nowWindow(60);
  const later = start + 38 * MINUTE; // about 40 minutes from now
  let p;
  const checkIn = (client, person) => post(client, p, 'check-in', { personId: person.id });
  try {
    expectStatus(await admin.put('/api/rule-settings', { ...settings, checkInBeforeMinutes: 30 }), 200);
    p = await permitIn(crew, 'approved', later, end + 38 * MINUTE);
    const approved = (await crew.fireWatch.client.getOk('/api/notifications?pageSize=20')).items.find((n) => n.link === `/permits/${p.id}`);
    assert.match(approved.body, /计划开始前 30 分钟起可到场签到/, 'the approval notice tells the window in force');
    assert.match((await get(cast.contractor, p)).notYet['check-in'], /起可签到（计划开始前 30 分钟）/);
    const refused = await checkIn(crew.fireWatch.client, crew.fireWatch.person);
    expectError(refused, 400, 'CHECK_IN_NOT_YET');
    assert.match(refused.json.message, /计划开始前 30 分钟起可到场签到/);
    expectStatus(await admin.put('/api/rule-settings', settings), 200); // 60 minutes again: open now
    expectStatus(await checkIn(crew.fireWatch.client, crew.fireWatch.person), 200);
    expectStatus(await checkIn(cast.contractor, crew.worker.person), 200);
    assert.match((await get(cast.contractor, p)).notYet.start, /起可开工（计划开始前 15 分钟）/);
    expectError(await post(cast.contractor, p, 'start'), 400, 'PERMIT_NOT_YET', 'plannedStart');
    expectStatus(await admin.put('/api/rule-settings', { ...settings, startBeforeMinutes: 45 }), 200);
    assert.deepEqual((await get(cast.contractor, p)).notYet, {});
    p = await command(cast.contractor, p, 'start', {}, 'in_progress');
  } finally {
    expectStatus(await admin.put('/api/rule-settings', settings), 200);
  }
  await command(admin, p, 'revoke', { reason: '测试撤销' }, 'revoked');
});

test('notYet: the commands of the caller that must wait, with why (check-in window, start time and people, the next round, close)', async () => {
  const crew = await createCrew(admin, world);
  const run = new Cast(); // the clock jumps: these two are logged in again
  const fw = run.adopt('fw', crew.fireWatch.client);
  const leader = await run.add('contractor', 'contractor');
  const boss = await run.add('admin', 'admin');
  const { start, end } = await nowWindow(60);
  const later = start + 90 * MINUTE; // planned 90 minutes from now: check-in opens in 30
  try {
    let p = await permitIn(crew, 'approved', later, end + 90 * MINUTE);
    const crew2 = await createCrew(admin, world);
    run.adopt('fw2', crew2.fireWatch.client);
    let g = await permitIn(crew2, 'approved', later, end + 90 * MINUTE, { gasRequired: true });
    let mine = await get(cast.contractor, p);
    assert.ok(mine.allowedCommands.includes('check-in') && mine.allowedCommands.includes('start'), `${mine.allowedCommands}`);
    assert.match(mine.notYet['check-in'], /起可签到（计划开始前 60 分钟）/);
    assert.match(mine.notYet.start, /起可开工（计划开始前 15 分钟）/);
    assert.deepEqual(Object.keys((await get(cast.vm, p)).notYet), [], 'the approver waits for nothing here');
    expectError(await post(fw, p, 'check-in', { personId: crew.fireWatch.person.id }), 400, 'CHECK_IN_NOT_YET');

    await run.jumpTo(later - 10 * MINUTE);
    mine = await get(leader, p);
    assert.equal(mine.notYet['check-in'], undefined, 'check-in is open');
    assert.equal(mine.notYet.start, '监护人尚未到岗签到');
    p = await command(fw, p, 'check-in', { personId: crew.fireWatch.person.id });
    assert.equal((await get(leader, p)).notYet.start, '还有 1 名作业人员未签到');
    p = await command(leader, p, 'check-in', { personId: crew.worker.person.id });
    assert.deepEqual(p.notYet, {}, 'everything may run');

    // A permit that needs a gas analysis waits for a passing one, as start says.
    g = await command(crew2.fireWatch.client, g, 'check-in', { personId: crew2.fireWatch.person.id });
    g = await command(leader, g, 'check-in', { personId: crew2.worker.person.id });
    assert.equal(g.notYet.start, '该作业须在动火前进行气体分析，尚无分析记录');
    expectError(await post(leader, g, 'start'), 400, 'GAS_ANALYSIS_MISSING');
    g = await command(leader, g, 'gas-analyses', { sampledAt: isoUtc(later - 10 * MINUTE), gas: '甲烷', lelPercent: 5, resultPercent: 0.1, analyst: '王检测' });
    assert.deepEqual(g.notYet, {});
    await command(boss, g, 'revoke', { reason: '测试撤销' }, 'revoked');
    p = await command(leader, p, 'start', {}, 'in_progress');
    p = await command(leader, p, 'finish', {}, 'watching');

    const finished = Date.parse(p.finishedAt);
    p = await get(fw, p);
    // A time on another day than today (near midnight) carries its date: "12-08 00:03".
    assert.match(p.notYet.rounds, /^第 1 次巡查 (\d\d-\d\d )?\d\d:\d\d 起可记录（应在 \d\d:\d\d 进行）$/);
    assert.match(p.notYet.close, new RegExp(`^作业后监护不少于 ${settings.watchMinutes} 分钟，(\\d\\d-\\d\\d )?\\d\\d:\\d\\d 起可关闭$`));
    for (const offset of settings.roundOffsets.slice(0, -1)) {
      await run.jumpTo(finished + offset * MINUTE);
      p = await get(fw, p);
      assert.equal(p.notYet.rounds, undefined, `round at +${offset} min is open`);
      p = await command(fw, p, 'rounds', { result: 'normal' });
    }
    // The watch time is over, the last round not done yet.
    await run.jumpTo(finished + (Math.max(settings.watchMinutes, settings.roundOffsets.at(-1)) + 1) * MINUTE);
    p = await get(fw, p);
    assert.equal(p.notYet.rounds, undefined);
    assert.equal(p.notYet.close, '还有 1 次巡查未完成');
    p = await command(fw, p, 'rounds', { result: 'normal' });
    assert.ok(!p.allowedCommands.includes('rounds'), 'no round is offered once all are done');
    assert.deepEqual(p.notYet, {});
    await command(fw, p, 'close', { siteClear: true }, 'closed');
  } finally {
    await resetServerClock();
  }
});

test('rules run again at approval: a certificate revoked after submission stops the approval', async () => {
  const crew = await createCrew(admin, world);
  const day = workdays[12];
  let p = await draft(crew, localMs(day, '08:00'), localMs(day, '10:00'));
  p = await advancePermit(p, 'risk_confirmed', whoFor(crew));
  const c = crew.worker.cert;
  expectStatus(await admin.put(`/api/certificates/${c.id}`, { personId: c.personId, kind: c.kind, number: c.number,
    issuer: c.issuer, firstIssued: c.firstIssued, validUntil: c.validUntil, nextReview: c.nextReview, status: 'revoked' }), 200);
  expectError(await post(cast.vm, p, 'approve'), 400, 'CERT_NOT_VALID', 'workers');
  assert.equal((await get(admin, p)).state, 'risk_confirmed');
});

test('confirm-risk: every measure answered, each {code, applies} and nothing else', async () => {
  const crew = await createCrew(admin, world);
  const day = workdays[13];
  let p = await draft(crew, localMs(day, '08:00'), localMs(day, '10:00'));
  p = await advancePermit(p, 'surveyed', whoFor(crew));
  const all = allMeasures(p);
  expectError(await post(cast.contractor, p, 'confirm-risk', { measures: all.slice(1) }), 400, 'MEASURES_UNCONFIRMED', 'measures');
  expectError(await post(cast.contractor, p, 'confirm-risk', { measures: [] }), 400, 'MEASURES_UNCONFIRMED', 'measures');
  expectError(await post(cast.contractor, p, 'confirm-risk', {}), 400, 'REQUIRED', 'measures');
  expectRefused(await post(cast.contractor, p, 'confirm-risk', { measures: [...all, { code: 'no_such_measure', applies: true }] }), 400, 'measures');
  expectRefused(await post(cast.contractor, p, 'confirm-risk', { measures: all.map((m, i) => (i ? m : { code: m.code, applies: 'yes' })) }), 400, 'measures');
  assert.equal((await get(admin, p)).state, 'surveyed');
  assert.ok((await get(admin, p)).measures.every((m) => m.applies === null), 'a refused confirmation recorded answers');
  const extra = await post(cast.contractor, p, 'confirm-risk', { measures: all.map((m, i) => (i ? m : { ...m, confirmedBy: '他人' })) });
  expectError(extra, 400, 'UNKNOWN_FIELD');
  assert.match(extra.json.field ?? '', /^measures/);
  p = await get(admin, p);
  if (p.state === 'surveyed') p = await command(cast.contractor, p, 'confirm-risk', { measures: all }, 'risk_confirmed');
  assert.ok(p.measures.every((m) => m.applies === true && m.confirmedBy === '邓强'));
});

// ---------- start ----------

test('start: fire watch and every worker checked in, not more than 15 minutes early, gas analysis present, fresh and passed', async () => {
  // the fire watch has not checked in
  let crew = await createCrew(admin, world);
  let w = await nowWindow(60);
  let p = await permitIn(crew, 'approved', w.start, w.end);
  expectRefused(await post(cast.contractor, p, 'check-in', { personId: MISSING_ID }), 400, 'personId');
  expectRefused(await post(cast.contractor, p, 'check-in', { personId: world.people.get('唐国庆').id }), 400, 'personId');
  p = await command(cast.contractor, p, 'check-in', { personId: crew.worker.person.id });
  expectError(await post(cast.contractor, p, 'start'), 400, 'FIRE_WATCH_NOT_CHECKED_IN', 'fireWatchId');
  p = await command(crew.fireWatch.client, p, 'check-in', { personId: crew.fireWatch.person.id });
  p = await command(cast.contractor, p, 'start', {}, 'in_progress');
  await command(cast.contractor, p, 'finish', {}, 'watching');

  // a second worker has not checked in
  crew = await createCrew(admin, world);
  const second = await createWorker(admin, world, { name: '第二焊工' });
  w = await nowWindow(60);
  p = await draft(crew, w.start, w.end, { workers: [{ personId: crew.worker.person.id, certificateId: crew.worker.cert.id }, { personId: second.person.id, certificateId: second.cert.id }] });
  p = await advancePermit(p, 'risk_confirmed', whoFor(crew));
  p = await command(cast.vm, p, 'approve', {}, 'approved');
  p = await command(crew.fireWatch.client, p, 'check-in', { personId: crew.fireWatch.person.id });
  p = await command(crew.fireWatch.client, p, 'check-in', { personId: crew.worker.person.id });
  expectError(await post(cast.contractor, p, 'start'), 400, 'WORKER_NOT_CHECKED_IN', 'workers');
  p = await command(cast.contractor, p, 'check-in', { personId: second.person.id });
  assert.ok(p.workers.every((x) => x.checkedInAt));
  p = await command(cast.contractor, p, 'start', {}, 'in_progress');
  await command(cast.contractor, p, 'finish', {}, 'watching');

  // checking in more than an hour early
  crew = await createCrew(admin, world);
  w = await nowWindow(60);
  p = await permitIn(crew, 'approved', w.start + 62 * MINUTE, w.end + 62 * MINUTE);
  const early = await post(crew.fireWatch.client, p, 'check-in', { personId: crew.fireWatch.person.id });
  expectError(early, 400, 'CHECK_IN_NOT_YET');
  assert.match(early.json.message, /计划开始前 60 分钟起可到场签到/);
  assert.equal((await get(admin, p)).fireWatch.checkedInAt, null, 'a refused check-in is not recorded');
  await cancel(p);

  // more than 15 minutes early
  crew = await createCrew(admin, world);
  w = await nowWindow(60);
  p = await permitIn(crew, 'approved', w.start + 30 * MINUTE, w.end + 30 * MINUTE);
  p = await command(crew.fireWatch.client, p, 'check-in', { personId: crew.fireWatch.person.id });
  p = await command(cast.contractor, p, 'check-in', { personId: crew.worker.person.id });
  expectError(await post(cast.contractor, p, 'start'), 400, 'PERMIT_NOT_YET', 'plannedStart');
  assert.equal((await get(admin, p)).state, 'approved');

  // gas analysis: missing, stale, failed, then passed
  crew = await createCrew(admin, world);
  w = await nowWindow(60);
  p = await permitIn(crew, 'approved', w.start, w.end, { gasRequired: true });
  p = await command(crew.fireWatch.client, p, 'check-in', { personId: crew.fireWatch.person.id });
  p = await command(cast.contractor, p, 'check-in', { personId: crew.worker.person.id });
  expectError(await post(cast.contractor, p, 'start'), 400, 'GAS_ANALYSIS_MISSING', 'gasAnalyses');
  const sample = (minutesAgo, resultPercent) => ({ sampledAt: isoLocal(w.now - minutesAgo * MINUTE), gas: '甲烷', lelPercent: 5, resultPercent, analyst: '王检测' });
  p = await command(cast.contractor, p, 'gas-analyses', sample(settings.gasMaxAgeMinutes + 10, 0.1));
  expectError(await post(cast.contractor, p, 'start'), 400, 'GAS_ANALYSIS_STALE', 'gasAnalyses');
  p = await command(cast.contractor, p, 'gas-analyses', sample(20, 0.8));
  assert.deepEqual(p.gasAnalyses.map((g) => g.passed), [true, false], 'LEL ≥ 4 %: at most 0.5 % passes');
  expectError(await post(cast.contractor, p, 'start'), 400, 'GAS_ANALYSIS_FAILED', 'gasAnalyses');
  p = await command(cast.contractor, p, 'gas-analyses', sample(1, 0.3));
  p = await command(cast.contractor, p, 'start', {}, 'in_progress');
  assert.equal(p.gasAnalyses.length, 3);
  // gas analysis input
  const bad = [
    [{ ...sample(1, 0.1), sampledAt: isoLocal(w.now + HOUR) }, 'sampledAt'],
    [{ ...sample(1, 0.1), sampledAt: 'gestern' }, 'sampledAt'],
    [{ ...sample(1, 0.1), lelPercent: 0 }, 'lelPercent'],
    [{ ...sample(1, 0.1), resultPercent: -1 }, 'resultPercent'],
    [{ ...sample(1, 0.1), analyst: '' }, 'analyst'],
    [{ ...sample(1, 0.1), lelPercent: undefined }, 'lelPercent'],
    [{ ...sample(1, 0.1), resultPercent: undefined }, 'resultPercent'],
    [{ ...sample(1, 0.1), gas: undefined }, 'gas'],
  ];
  const problems = [];
  for (const [body, field] of bad) {
    const res = await post(cast.contractor, p, 'gas-analyses', body);
    if (!(res.status === 400 && res.json?.field === field)) problems.push(`${JSON.stringify(body)} → ${res.status} ${res.json?.code ?? ''} (field ${res.json?.field}), expected 400 field ${field}`);
  }
  const recorded = (await get(admin, p)).gasAnalyses.length;
  if (recorded !== 3) problems.push(`${recorded - 3} refused gas analyses were recorded`);
  await command(cast.contractor, p, 'finish', {}, 'watching');
  assert.deepEqual(problems, [], `gas analysis input:\n${problems.join('\n')}`);
});

// ---------- timers and alerts ----------

test('timer: an approved permit not started by its planned end expires, with alert permit_not_started; it can no longer start', async () => {
  const crew = await createCrew(admin, world);
  const w = await nowWindow(30);
  const run = new Cast();
  run.adopt('fw', crew.fireWatch.client);
  await run.add('contractor', 'contractor');
  let p = await permitIn(crew, 'approved', w.start, w.end);
  // everyone on site, only the start is missing
  p = await command(crew.fireWatch.client, p, 'check-in', { personId: crew.fireWatch.person.id });
  p = await command(cast.contractor, p, 'check-in', { personId: crew.worker.person.id });
  try {
    await run.jumpTo(w.end - 5 * MINUTE);
    assert.equal((await get(admin, p)).state, 'approved', 'expired before its end');
    await run.jumpTo(w.end + MINUTE);
    p = await get(await login('admin'), p);
    assert.equal(p.state, 'expired');
    assert.equal(p.stateLabel, '已过期');
    assert.ok(p.stateReason, 'an expired permit says why');
    assert.equal(p.timeline.at(-1).command, 'expire');
    assert.equal(p.timeline.at(-1).fromState, 'approved');
    const alerts = await alertsOf(await login('admin'), p.id, 'permit_not_started');
    assert.equal(alerts.length, 1, `permit_not_started alerts: ${JSON.stringify(alerts)}`);
    assert.equal(alerts[0].state, 'open');
    assert.equal(alerts[0].venueId, openVenue.id);
    assert.match(alerts[0].title, new RegExp(p.number));
    const start = await post(run.contractor, p, 'start');
    assert.ok((start.status === 409 && start.json?.code === 'PERMIT_STATE_INVALID') || (start.status === 400 && start.json?.code === 'PERMIT_WINDOW_PASSED'),
      `start after the window: ${describe(start)}`);
    assert.equal(expectStatus(await request('GET', `/api/public/permits/${p.publicToken}`), 200).valid, false);
  } finally {
    await resetServerClock();
  }
});

test('an abnormal round needs what was found: refused without a note, then recorded with a critical alert that carries it', async () => {
  const crew = await createCrew(admin, world);
  const w = await nowWindow(30);
  let p = await permitIn(crew, 'watching', w.start, w.end);
  try {
    await serverClockTo(Date.parse(p.rounds[0].dueAt));
    const fw = await login(crew.fireWatch.user.username, crew.fireWatch.password);
    for (const note of [undefined, '  '])
      expectError(await post(fw, p, 'rounds', note === undefined ? { result: 'abnormal' } : { result: 'abnormal', note }), 400, 'ROUND_NOTE_REQUIRED', 'note');
    assert.equal((await get(admin, p)).rounds[0].doneAt, null, 'a refused round is not recorded');
    p = await command(fw, p, 'rounds', { result: 'abnormal', note: '焊点下方保温棉有余温，已浇水降温' }, 'watching');
    assert.equal(p.rounds[0].result, 'abnormal');
    const alerts = await alertsOf(await login('admin'), p.id, 'round_abnormal');
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0].severity, 'critical');
    assert.equal(alerts[0].detail, '焊点下方保温棉有余温，已浇水降温');
  } finally {
    await resetServerClock();
  }
});

test('timer: a running permit past its planned end raises permit_overrun once and expires 30 minutes after the end', async () => {
  const crew = await createCrew(admin, world);
  const w = await nowWindow(60);
  let p = await permitIn(crew, 'in_progress', w.start, w.end);
  try {
    await serverClockTo(w.end - MINUTE);
    const a = await login('admin');
    assert.equal((await get(a, p)).state, 'in_progress');
    assert.equal((await alertsOf(a, p.id, 'permit_overrun')).length, 0, 'overrun before the end');
    for (const m of [1, 10, 25]) {
      await serverClockTo(w.end + m * MINUTE);
      const c = await login('admin');
      assert.equal((await get(c, p)).state, 'in_progress', `${m} min after the end`);
      const alerts = await alertsOf(c, p.id, 'permit_overrun');
      assert.equal(alerts.length, 1, `${m} min after the end: ${alerts.length} overrun alerts`);
      assert.equal(alerts[0].state, 'open');
      assert.ok(['warning', 'critical'].includes(alerts[0].severity));
    }
    await serverClockTo(w.end + 31 * MINUTE);
    const c = await login('admin');
    p = await get(c, p);
    assert.equal(p.state, 'expired', '30 minutes after the end');
    assert.equal(p.timeline.at(-1).command, 'expire');
    assert.equal(p.timeline.at(-1).fromState, 'in_progress');
    assert.equal((await alertsOf(c, p.id, 'permit_overrun')).length, 1);
  } finally {
    await resetServerClock();
  }
});

test('timer: the fire watch is told once when each round opens (5 minutes before it is due), not for a round missed past its grace', async () => {
  const crew = await createCrew(admin, world);
  const w = await nowWindow(60);
  let p = await permitIn(crew, 'watching', w.start, w.end);
  const fin = Date.parse(p.finishedAt);
  const [o1, o2, o3] = settings.roundOffsets;
  const grace = settings.roundGraceMinutes;
  assert.ok(o2 + grace + 6 < o3, 'the demo settings leave room between the second round\'s grace and the third round');
  const run = new Cast();
  const fw = run.adopt('fw', crew.fireWatch.client);
  const reminders = async () => (await fw.getOk('/api/notifications?pageSize=100')).items
    .filter((n) => n.link === `/permits/${p.id}` && n.title.startsWith('动火作业证待监护巡查'))
    .map((n) => n.body.match(/第 (\d) 次巡查 \d\d:\d\d 到期/)?.[1]);
  try {
    await run.jumpTo(fin + (o1 - 6) * MINUTE);
    assert.deepEqual(await reminders(), [], 'not before the round opens');
    await run.jumpTo(fin + (o1 - 4) * MINUTE);
    assert.deepEqual(await reminders(), ['1']);
    await run.jumpTo(fin + (o1 - 2) * MINUTE);
    assert.deepEqual(await reminders(), ['1'], 'once');
    p = await command(fw, p, 'rounds', { result: 'normal' });
    await run.jumpTo(fin + (o2 + grace + 1) * MINUTE);
    assert.deepEqual(await reminders(), ['1'], 'a round missed past its grace raises round_late instead');
    await run.jumpTo(fin + (o3 - 4) * MINUTE);
    assert.deepEqual(await reminders(), ['3', '1']);
  } finally {
    await resetServerClock();
  }
});

test('timer: a late round raises round_late (one open alert); close is refused while rounds are missing, before the watch time and without siteClear', async () => {
  const crew = await createCrew(admin, world);
  const w = await nowWindow(60);
  let p = await permitIn(crew, 'watching', w.start, w.end);
  const fin = Date.parse(p.finishedAt);
  const [o1, o2, o3] = settings.roundOffsets;
  const grace = settings.roundGraceMinutes;
  const run = new Cast();
  run.adopt('fw', crew.fireWatch.client);
  try {
    await run.jumpTo(fin + (o1 + grace - 2) * MINUTE);
    assert.equal((await alertsOf(await login('admin'), p.id, 'round_late')).length, 0, 'round_late before due + grace');
    await run.jumpTo(fin + (o1 + grace + 1) * MINUTE);
    let alerts = await alertsOf(await login('admin'), p.id, 'round_late');
    assert.equal(alerts.length, 1, 'one round_late alert');
    p = await get(run.fw, p);
    assert.equal(p.rounds[0].late, true);
    assert.equal(p.rounds[0].doneAt, null);
    p = await command(run.fw, p, 'rounds', { result: 'normal', note: '迟到的巡查' });
    assert.ok(p.rounds[0].doneAt);
    assert.equal(p.rounds[0].late, true, 'a round done late stays late');
    await run.jumpTo(fin + (o2 + grace + 1) * MINUTE);
    alerts = await alertsOf(await login('admin'), p.id, 'round_late');
    assert.equal(alerts.filter((x) => ['open', 'acknowledged'].includes(x.state)).length, 1, 'still one open round_late alert for the permit');
    p = await command(run.fw, p, 'rounds', { result: 'normal' });
    // the watch time is over, the last round not done yet
    const t = fin + (Math.max(settings.watchMinutes, o2 + grace) + 1) * MINUTE;
    await run.jumpTo(t);
    expectError(await post(run.fw, p, 'close', { siteClear: true }), 400, 'ROUNDS_INCOMPLETE', 'rounds');
    if (fin + o3 * MINUTE > t) await run.jumpTo(fin + o3 * MINUTE);
    p = await command(run.fw, p, 'rounds', { result: 'normal' });
    assert.ok(p.rounds.every((r) => r.doneAt), 'every round done');
    // the watch time is a rule setting: make it longer than the time since finish
    const a = await login('admin');
    expectStatus(await a.put('/api/rule-settings', { ...settings, watchMinutes: settings.watchMinutes + 120 }), 200);
    try {
      expectError(await post(run.fw, p, 'close', { siteClear: true }), 400, 'WATCH_TOO_SHORT');
    } finally {
      expectStatus(await (await login('admin')).put('/api/rule-settings', settings), 200);
    }
    expectError(await post(run.fw, p, 'close', { siteClear: false }), 400, 'SITE_NOT_CLEAR', 'siteClear');
    assert.equal((await get(run.fw, p)).state, 'watching');
    p = await command(run.fw, p, 'close', { siteClear: true }, 'closed');
  } finally {
    await resetServerClock();
    expectStatus(await (await login('admin')).put('/api/rule-settings', settings), 200);
  }
});

test('alerts: list and filter, acknowledge, handle (also as false alarm), each within the caller\'s data scope', async () => {
  // two permits not started: one at a venue of 商贸发展岗 managed by venue_mgr, one at a venue of 文教体旅岗 only
  const wj = world.org.byName.get('文教体旅岗');
  const otherVenue = await createOpenVenue(admin, world, null, { supervisorOrgUnitIds: [wj.id] });
  const crewA = await createCrew(admin, world);
  const crewB = await createCrew(admin, world);
  const w = await nowWindow(30);
  const pA = await permitIn(crewA, 'approved', w.start, w.end);
  const pB = await advancePermit(await draft(crewB, w.start, w.end, {}, { venue: otherVenue, approverUserId: admin.user.id }), 'approved', whoFor(crewB, { approver: cast.admin }));
  try {
    await serverClockTo(w.end + MINUTE);
  } finally {
    await resetServerClock();
  }
  const a = await login('admin');
  const [alertA] = await alertsOf(a, pA.id, 'permit_not_started');
  const [alertB] = await alertsOf(a, pB.id, 'permit_not_started');
  assert.ok(alertA && alertB, 'both permits raised permit_not_started');
  assert.equal(alertA.venueId, openVenue.id);
  assert.equal(alertA.venueName, openVenue.name);
  assert.equal(alertA.kind, 'permit_not_started');
  assert.ok(alertA.kindLabel && alertA.title && alertA.openedAt);
  assert.deepEqual([alertA.acknowledgedAt, alertA.closedAt], [null, null]);

  // filters
  const open = await listAll(a, '/api/alerts?state=open&kind=permit_not_started');
  assert.ok(open.every((x) => x.state === 'open' && x.kind === 'permit_not_started'));
  assert.ok(open.some((x) => x.id === alertA.id) && open.some((x) => x.id === alertB.id));
  const page = await a.getOk('/api/alerts?pageSize=1');
  assert.equal(page.items.length, 1);
  assert.ok(page.total >= 2);

  // scope: sw_officer (商贸发展岗) sees A, not B; venue_mgr (仅本人) sees the venue it manages
  const sw = await login('sw_officer');
  const swSees = await listAll(sw, '/api/alerts');
  assert.ok(swSees.some((x) => x.id === alertA.id), 'sw_officer misses an alert of its department');
  assert.ok(!swSees.some((x) => x.id === alertB.id), 'sw_officer sees an alert of another department');
  for (const x of swSees) {
    if (x.venueId === null) continue;
    const v = await a.getOk(`/api/venues/${x.venueId}`);
    assert.ok(v.supervisorOrgUnitIds.includes(world.org.byName.get('商贸发展岗').id), `sw_officer sees alert ${x.id} of ${v.name}`);
  }
  expectError(await sw.post(`/api/alerts/${alertB.id}/acknowledge`), 404, 'NOT_FOUND');
  expectError(await sw.post(`/api/alerts/${alertB.id}/handle`, { result: '越权处置' }), 404, 'NOT_FOUND');
  const vm = await login('venue_mgr');
  const vmSees = await listAll(vm, '/api/alerts');
  assert.ok(vmSees.some((x) => x.id === alertA.id), 'venue_mgr misses the alert of its venue');
  assert.ok(!vmSees.some((x) => x.id === alertB.id), 'venue_mgr sees the alert of a venue it does not manage');
  expectError(await vm.post(`/api/alerts/${alertA.id}/acknowledge`), 403, 'FORBIDDEN');
  expectError(await (await login('welder')).get('/api/alerts'), 403, 'FORBIDDEN');

  // acknowledge, then handle
  const acked = expectStatus(await sw.post(`/api/alerts/${alertA.id}/acknowledge`), 200);
  assert.equal(acked.id, alertA.id);
  assert.equal(acked.state, 'acknowledged');
  assert.ok(acked.acknowledgedAt);
  expectRefused(await sw.post(`/api/alerts/${alertA.id}/acknowledge`), 409);
  expectError(await sw.post(`/api/alerts/${alertA.id}/handle`, {}), 400, 'REQUIRED', 'result');
  const handled = expectStatus(await sw.post(`/api/alerts/${alertA.id}/handle`, { result: '已联系施工单位，改期重新申请' }), 200);
  assert.equal(handled.state, 'handled');
  assert.equal(handled.result, '已联系施工单位，改期重新申请');
  assert.ok(handled.closedAt);
  expectRefused(await sw.post(`/api/alerts/${alertA.id}/handle`, { result: '再次处置' }), 409);
  expectRefused(await sw.post(`/api/alerts/${alertA.id}/acknowledge`), 409);
  assert.ok((await listAll(a, '/api/alerts?state=handled')).some((x) => x.id === alertA.id));
  assert.ok(!(await listAll(a, '/api/alerts?state=open')).some((x) => x.id === alertA.id));
  // handled straight from open, as a false alarm, by the department that supervises the venue
  const wjo = await login('wj_officer');
  assert.ok((await listAll(wjo, '/api/alerts')).some((x) => x.id === alertB.id));
  const fa = expectStatus(await wjo.post(`/api/alerts/${alertB.id}/handle`, { result: '误报：已改期', falseAlarm: true }), 200);
  assert.equal(fa.state, 'false_alarm');
  expectError(await a.post(`/api/alerts/${MISSING_ID}/acknowledge`), 404, 'NOT_FOUND');
});

// ---------- races ----------

test('two approvals of one permit at the same moment: exactly one 200, the other 409', async () => {
  const crew = await createCrew(admin, world);
  const day = workdays[14];
  const vm2 = await login('venue_mgr');
  for (const hour of ['08:00', '11:00', '14:00']) {
    let p = await draft(crew, localMs(day, hour), localMs(day, hour) + 2 * HOUR);
    p = await advancePermit(p, 'risk_confirmed', whoFor(crew));
    const results = await Promise.all([post(cast.vm, p, 'approve', { note: '甲' }), post(vm2, p, 'approve', { note: '乙' })]);
    const statuses = results.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 409], `concurrent approvals: ${results.map(describe).join(' | ')}`);
    const loser = results.find((r) => r.status === 409);
    assert.ok(['PERMIT_STATE_CHANGED', 'PERMIT_STATE_INVALID'].includes(loser.json?.code), describe(loser));
    const after = await get(admin, p);
    assert.equal(after.state, 'approved');
    assert.equal(after.timeline.filter((e) => e.command === 'approve').length, 1, 'approved twice');
    await cancel(after);
  }
});

test('two finishes of one permit at the same moment: exactly one 200 and one set of rounds, the other 409', async () => {
  const crew = await createCrew(admin, world);
  const { start, end } = await nowWindow(60);
  const p = await permitIn(crew, 'in_progress', start, end);
  const leader2 = await login('contractor');
  const results = await Promise.all([post(cast.contractor, p, 'finish'), post(leader2, p, 'finish')]);
  assert.deepEqual(results.map((r) => r.status).sort(), [200, 409], `concurrent finishes: ${results.map(describe).join(' | ')}`);
  const loser = results.find((r) => r.status === 409);
  assert.ok(['PERMIT_STATE_CHANGED', 'PERMIT_STATE_INVALID'].includes(loser.json?.code), describe(loser));
  const after = await get(admin, p);
  assert.equal(after.state, 'watching');
  assert.deepEqual(after.rounds.map((r) => r.seq), settings.roundOffsets.map((_, i) => i + 1));
});

// ---------- public page and printables ----------

test('public page (JSON and /p/:token) shows the permit without personal data; print and notice carry the number and a QR code', async () => {
  const mark = uid('p').slice(-6).replace(/[^a-z0-9]/g, '');
  const fireWatch = await createAccountPerson(admin, world, 'fire_watch', { name: `监护${mark}` });
  const worker = await createWorker(admin, world, { name: `焊工${mark}` });
  const crew = { fireWatch, worker, machine: await createMachine(admin, world.unit.id) };
  const day = workdays[15];
  let p = await draft(crew, localMs(day, '08:00'), localMs(day, '10:00'), { place: '屋面钢架', controls: [{ control: '配置灭火器', person: `责任${mark}` }] });
  p = await advancePermit(p, 'approved', whoFor(crew));
  const full = await get(admin, p);
  const leader = await admin.getOk(`/api/people/${deng.id}`);
  const fwP = await admin.getOk(`/api/people/${fireWatch.person.id}`);
  const wP = await admin.getOk(`/api/people/${worker.person.id}`);
  const personal = [full.jobLeader.name, full.fireWatch.name, full.applicant.name, full.approver.name, ...full.workers.map((x) => x.name),
    leader.phone, leader.citizenId, fwP.phone, fwP.citizenId, wP.phone, wP.citizenId, ...full.workers.map((x) => x.certificateNumber), `责任${mark}`]
    .filter((s) => typeof s === 'string' && s.length >= 2);
  const leaks = (text) => personal.filter((s) => text.includes(s));

  const pub = await request('GET', `/api/public/permits/${p.publicToken}`);
  const j = expectStatus(pub, 200);
  assert.equal(j.number, p.number);
  assert.equal(j.place, '屋面钢架');
  assert.equal(j.state, 'approved');
  assert.equal(j.valid, true);
  assert.equal(Date.parse(j.plannedStart), localMs(day, '08:00'));
  assert.ok(JSON.stringify(j).includes(openVenue.name), 'the public page names the venue');
  for (const k of ['jobLeader', 'fireWatch', 'workers', 'approver', 'applicant', 'controls', 'timeline', 'phone', 'citizenId']) {
    assert.ok(!(k in j), `public JSON has ${k}`);
  }
  assert.deepEqual(leaks(pub.text), [], 'personal data on the public JSON');

  const page = await request('GET', `/p/${p.publicToken}`);
  assert.equal(page.status, 200, describe(page));
  assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
  assert.ok(page.text.includes(p.number) && page.text.includes(openVenue.name) && page.text.includes('屋面钢架'));
  assert.deepEqual(leaks(page.text), [], 'personal data on the public page');

  const missing = await request('GET', '/api/public/permits/zzNoSuchToken123');
  expectError(missing, 404, 'NOT_FOUND');
  const missingPage = await request('GET', '/p/zzNoSuchToken123');
  assert.equal(missingPage.status, 404);
  assert.match(missingPage.headers.get('content-type') ?? '', /^text\/html/);

  for (const kind of ['print', 'notice']) {
    const res = await cast.contractor.get(`/api/permits/${p.id}/${kind}`);
    assert.equal(res.status, 200, describe(res));
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/, `${kind}: content-type`);
    assert.ok(res.text.includes(p.number), `${kind}: no permit number`);
    assert.match(res.text, /<svg[\s>][\s\S]*<\/svg>/, `${kind}: no QR code SVG`);
    assert.ok(res.text.includes(openVenue.name), `${kind}: no venue`);
    expectError(await request('GET', `/api/permits/${p.id}/${kind}`), 401, 'UNAUTHENTICATED');
    expectError(await cast.contractor.get(`/api/permits/${MISSING_ID}/${kind}`), 404, 'NOT_FOUND');
  }
  await cancel(p);
  assert.equal(expectStatus(await request('GET', `/api/public/permits/${p.publicToken}`), 200).valid, false, 'a cancelled permit is not valid');
});

test('handwritten signatures: survey, risk confirmation, approval and check-in keep the signer\'s own PNG, shown in the timeline and on the print', async () => {
  const crew = await createCrew(admin, world);
  const { start, end } = await nowWindow(60);
  let p = await draft(crew, start, end);
  p = await command(cast.contractor, p, 'submit', {}, 'submitted');
  const own = (client) => uploadPng(client, [10, 10, 10]);
  // Refused, and nothing written: another's drawing, not a PNG, no such file, a bad id, a step that takes none.
  const jpeg = expectStatus(await uploadFile(cast.vm, tinyJpeg(), 'image/jpeg'), 201).id;
  for (const [signature, code] of [[await own(cast.contractor), 'SIGNATURE_INVALID'], [jpeg, 'SIGNATURE_INVALID'],
    ['zzNoSuchFile000000000000', 'FILE_NOT_FOUND'], ['', 'INVALID_VALUE'], [7, 'INVALID_TYPE']]) {
    expectError(await post(cast.vm, p, 'survey', { note: '现场已勘察', signature }), 400, code, 'signature');
  }
  expectError(await post(cast.contractor, p, 'cancel', { reason: '不办了', signature: await own(cast.contractor) }), 400, 'UNKNOWN_FIELD', 'signature');
  const unchanged = await get(admin, p);
  assert.equal(unchanged.state, 'submitted');
  assert.equal(unchanged.timeline.length, p.timeline.length);

  const signed = {};
  signed.survey = await own(cast.vm);
  p = await command(cast.vm, p, 'survey', { note: '现场已勘察', signature: signed.survey }, 'surveyed');
  signed['confirm-risk'] = await own(cast.contractor);
  p = await command(cast.contractor, p, 'confirm-risk', { measures: allMeasures(p), signature: signed['confirm-risk'] }, 'risk_confirmed');
  signed.approve = await own(cast.vm);
  p = await command(cast.vm, p, 'approve', { signature: signed.approve }, 'approved');
  signed['check-in'] = await own(crew.fireWatch.client);
  p = await command(crew.fireWatch.client, p, 'check-in', { personId: p.fireWatch.id, signature: signed['check-in'] });
  const kept = Object.fromEntries(p.timeline.filter((e) => e.detail?.signature).map((e) => [e.command, e.detail.signature]));
  assert.deepEqual(kept, signed);

  // The print shows each signature beside its signer; the image is served to whoever may read the permit.
  const print = await cast.contractor.get(`/api/permits/${p.id}/print`);
  assert.equal(print.status, 200, describe(print));
  for (const command of ['survey', 'confirm-risk', 'approve'])
    assert.ok(print.text.includes(`src="/api/files/${signed[command]}"`), `the print lacks the ${command} signature`);
  assert.equal((await cast.contractor.get(`/api/files/${signed.approve}`)).status, 200);
});

test('a town may require signatures (rule signatureSteps): those steps are refused unsigned, with nothing written; the others not', async () => {
  const crew = await createCrew(admin, world);
  const { start, end } = await nowWindow(60);
  let p = await draft(crew, start, end);
  expectStatus(await admin.put('/api/rule-settings', { ...settings, signatureSteps: ['approve', 'survey'] }), 200);
  try {
    p = await command(cast.contractor, p, 'submit', {}, 'submitted');
    assert.deepEqual(p.signatureSteps, ['approve', 'survey'], 'the permit tells the forms which steps need a signature');
    const refused = await post(cast.vm, p, 'survey', { note: '现场已勘察' });
    expectError(refused, 400, 'SIGNATURE_REQUIRED', 'signature');
    assert.match(refused.json.message, /须手写签名/);
    const unchanged = await get(admin, p);
    assert.equal(unchanged.state, 'submitted');
    assert.equal(unchanged.timeline.length, p.timeline.length, 'a refused step wrote nothing');
    p = await command(cast.vm, p, 'survey', { note: '现场已勘察', signature: await uploadPng(cast.vm, [10, 10, 10]) }, 'surveyed');
    p = await command(cast.contractor, p, 'confirm-risk', { measures: allMeasures(p) }, 'risk_confirmed');
    expectError(await post(cast.vm, p, 'approve', {}), 400, 'SIGNATURE_REQUIRED', 'signature');
    p = await command(cast.vm, p, 'approve', { signature: await uploadPng(cast.vm, [10, 10, 10]) }, 'approved');
  } finally {
    expectStatus(await admin.put('/api/rule-settings', settings), 200);
  }
  assert.deepEqual((await get(admin, p)).signatureSteps, [], 'none required once the rule is lifted');
});

// ---------- data scope ----------

test('data scope: sw_officer sees the permits of venues 商贸发展岗 supervises and gets 404 for others; the welder only the permits he is on', async () => {
  const sw = world.org.byName.get('商贸发展岗');
  const all = await listAll(admin, '/api/permits');
  const venueSup = new Map();
  for (const id of new Set(all.map((p) => p.venue.id))) venueSup.set(id, (await admin.getOk(`/api/venues/${id}`)).supervisorOrgUnitIds);
  const inScope = all.filter((p) => venueSup.get(p.venue.id).includes(sw.id));
  const outScope = all.filter((p) => !venueSup.get(p.venue.id).includes(sw.id));
  assert.ok(inScope.length > 0 && outScope.length > 0, 'need permits on both sides of the scope');
  const swSees = await listAll(cast.sw, '/api/permits');
  assert.deepEqual(swSees.map((p) => p.id).sort((x, y) => x - y), inScope.map((p) => p.id).sort((x, y) => x - y), 'sw_officer sees exactly the permits of its venues');
  const other = outScope.find((p) => p.venue.name === '金凤镇卫生院') ?? outScope[0];
  expectError(await cast.sw.get(`/api/permits/${other.id}`), 404, 'NOT_FOUND');
  expectError(await cast.sw.get(`/api/permits/${other.id}/print`), 404, 'NOT_FOUND');
  expectError(await cast.sw.get(`/api/permits/${other.id}/notice`), 404, 'NOT_FOUND');
  expectError(await cast.sw.post(`/api/permits/${other.id}/revoke`, { reason: '越权撤销' }), 404, 'NOT_FOUND');
  assert.equal((await cast.sw.getOk(`/api/permits?venueId=${other.venue.id}`)).total, 0);
  const board = await cast.sw.getOk('/api/permits/board');
  for (const col of board.columns) for (const it of col.items) assert.ok(venueSup.get(it.venue.id)?.includes(sw.id), `board shows ${it.number} to sw_officer`);

  // an officer revokes a running permit in its scope
  const crew = await createCrew(admin, world);
  const w = await nowWindow(60);
  let p = await permitIn(crew, 'in_progress', w.start, w.end);
  p = await command(cast.sw, p, 'revoke', { reason: '检查发现未落实防火分隔' }, 'revoked');
  assert.equal(p.stateReason, '检查发现未落实防火分隔');
  assert.equal(expectStatus(await request('GET', `/api/public/permits/${p.publicToken}`), 200).valid, false);

  // the welder (仅本人): only the permits he takes part in (as a worker here; in other tests also as a would-be approver)
  const tang = world.people.get('唐国庆');
  const welderUser = world.users.get('welder');
  const takesPart = (d) => d.workers.some((wk) => wk.personId === tang.id) || [d.applicant?.id, d.approver?.id, d.jobLeader?.userId, d.fireWatch?.userId].includes(welderUser.id);
  const day = workdays[16];
  const mine = await draft(null, localMs(day, '08:00'), localMs(day, '10:00'), {
    fireWatchId: crew.fireWatch.person.id, workers: [{ personId: tang.id, certificateId: validCert(tang).id }], machineIds: [],
  });
  const welderSees = await listAll(cast.welder, '/api/permits');
  assert.ok(welderSees.some((x) => x.id === mine.id), 'the welder does not see a permit he is on');
  const expected = [];
  for (const x of await listAll(admin, '/api/permits')) if (takesPart(await get(admin, x))) expected.push(x.id);
  assert.deepEqual(welderSees.map((x) => x.id).sort((a, b) => a - b), expected.sort((a, b) => a - b), 'the welder sees exactly the permits he takes part in');
  const notHis = all.find((x) => !welderSees.some((y) => y.id === x.id));
  expectError(await cast.welder.get(`/api/permits/${notHis.id}`), 404, 'NOT_FOUND');
  expectError(await cast.welder.get(`/api/permits/${notHis.id}/print`), 404, 'NOT_FOUND');
  await cancel(mine);
});

test('personal data in permits: certificate numbers (T + citizen ID) are masked without person:pii, also on the printout', async () => {
  const tang = world.people.get('唐国庆');
  const day = workdays[17];
  const crew = await createCrew(admin, world);
  const p = await draft(crew, localMs(day, '08:00'), localMs(day, '10:00'), {
    venueId: world.venues.get('金凤商业广场').id, place: '一层通道', workers: [{ personId: tang.id, certificateId: validCert(tang).id }],
  });
  const raw = (await admin.post(`/api/people/${tang.id}/reveal`, { reason: '核对作业人员' })).json.citizenId;
  assert.match(raw, /^\d{17}[\dX]$/, 'admin (person:pii) sees the full citizen ID when giving a reason');
  const full = await get(admin, p);
  assert.equal(full.workers[0].certificateNumber, `T${raw}`, 'admin sees the full certificate number');
  for (const [name, client] of [['sw_officer', cast.sw], ['venue_mgr', cast.vm], ['welder', cast.welder], ['contractor', cast.contractor]]) {
    if (client.user.permissions.includes('person:pii')) continue;
    const seen = await get(client, p);
    assert.notEqual(seen.workers[0].certificateNumber, `T${raw}`, `${name} sees the full ID number in the certificate number`);
    assert.ok(!JSON.stringify(seen).includes(raw), `${name}: the citizen ID appears in the permit`);
    const print = await client.get(`/api/permits/${p.id}/print`);
    assert.equal(print.status, 200, describe(print));
    assert.ok(!print.text.includes(raw), `${name}: the citizen ID appears on the printout`);
  }
  await cancel(p);
});

// ---------- lists ----------

test('list filters, the day board and the measure templates', async () => {
  const crew = await createCrew(admin, world);
  const day = workdays[18];
  const p = await draft(crew, localMs(day, '08:00'), localMs(day, '10:00'), { place: `筛选测试${uid('q')}` });
  const submitted = await expectSubmitted(await draft(crew, localMs(day, '11:00'), localMs(day, '12:00')), 'second');
  const byQ = await admin.getOk(`/api/permits?q=${encodeURIComponent(p.place)}`);
  assert.deepEqual(byQ.items.map((x) => x.id), [p.id]);
  assert.equal((await admin.getOk(`/api/permits?q=${p.number}`)).items[0]?.id, p.id, 'search by number');
  const byState = await listAll(admin, '/api/permits?state=submitted');
  assert.ok(byState.every((x) => x.state === 'submitted') && byState.some((x) => x.id === submitted.id));
  expectError(await admin.get('/api/permits?state=bogus'), 400, 'INVALID_VALUE', 'state');
  const byVenue = await listAll(admin, `/api/permits?venueId=${openVenue.id}`);
  assert.ok(byVenue.every((x) => x.venue.id === openVenue.id) && byVenue.some((x) => x.id === p.id));
  const byDay = await listAll(admin, `/api/permits?from=${day}&to=${day}`);
  assert.ok(byDay.some((x) => x.id === p.id) && byDay.some((x) => x.id === submitted.id));
  for (const x of byDay) {
    assert.ok(Date.parse(x.plannedEnd) >= localMs(day, '00:00') && Date.parse(x.plannedStart) <= localMs(addDays(day, 1), '00:00'), `${x.number} is not on ${day}`);
  }
  assert.ok(!(await listAll(admin, `/api/permits?from=${addDays(day, 1)}&to=${addDays(day, 1)}`)).some((x) => x.id === p.id));
  expectError(await admin.get('/api/permits?from=yesterday'), 400, 'INVALID_VALUE', 'from');
  const summary = byQ.items[0];
  assert.equal(summary.workerCount, 1);
  assert.equal(typeof summary.jobLeader.name, 'string');
  assert.equal(typeof summary.fireWatch.name, 'string');
  assert.ok(!('timeline' in summary) && !('workers' in summary), 'the list carries summaries');

  const board = await admin.getOk(`/api/permits/board?date=${day}`);
  assert.equal(board.date, day);
  assert.deepEqual(board.columns.map((c) => c.state), PERMIT_STATES);
  assert.ok(board.columns.every((c) => /[\u4e00-\u9fff]/.test(c.label)));
  assert.ok(board.columns.find((c) => c.state === 'draft').items.some((x) => x.id === p.id));
  assert.ok(board.columns.find((c) => c.state === 'submitted').items.some((x) => x.id === submitted.id));
  assert.equal((await admin.getOk('/api/permits/board')).date, today);
  expectError(await admin.get('/api/permits/board?date=2026-02-30'), 400, 'INVALID_VALUE', 'date');
  // The counts of the same board, column by column, for callers of different scopes (the home page's figures).
  for (const [who, client] of [['admin', admin], ['sw_officer', cast.sw], ['welder', cast.welder]]) {
    for (const q of [`?date=${day}`, '']) {
      const [full, counts] = [await client.getOk(`/api/permits/board${q}`), await client.getOk(`/api/permits/board/counts${q}`)];
      assert.deepEqual(counts, { date: full.date, columns: full.columns.map((c) => ({ state: c.state, label: c.label, count: c.items.length })) },
        `${who}${q}: the counts are not the board's`);
    }
  }
  assert.ok((await admin.getOk(`/api/permits/board/counts?date=${day}`)).columns.find((c) => c.state === 'draft').count >= 1);
  for (const bad of ['2026-02-30', '2026-2-3', 'today', '2026-02-03T00:00']) {
    expectError(await admin.get(`/api/permits/board/counts?date=${bad}`), 400, 'INVALID_VALUE', 'date');
  }

  const tpl = await cast.welder.getOk('/api/measure-templates');
  assert.ok(tpl.items.length >= 5);
  assert.ok(tpl.items.every((t) => t.code && /[\u4e00-\u9fff]/.test(t.label) && Number.isInteger(t.sort)));
  await cancel(p);
  await cancel(submitted);
});
