// Bad input on EVERY write route of the server's own route table (`huoyan routes --json`):
// malformed JSON, non-object bodies, oversized bodies, unknown fields, wrongly typed fields, wrong media type,
// missing CSRF token — each answered with the contract error, never a 5xx.
//
// Permit commands are sent by the person whose step it is (applicant, approver, job leader, fire watch), so that
// the body is checked rather than the caller; the permits are in states where a probe that gets through changes
// nothing that matters (a cancelled permit, an approved one for gas analyses whose fields are all required, a
// permit in post-work watching whose first round is not due yet). POST /api/files takes an image, not JSON: it is
// probed with the non-JSON cases only (see RAW_BODY).
// Hazard commands go to fixture hazards in states where a valid body is refused (a closed hazard for assign, a
// reported one for rectify / recheck / reopen, a supervised one for supervise, an unsupervised one for unsupervise);
// report triage to a rejected report (accept, reject) and a received one (reward). The public routes are sent
// without a session; POST /api/public/reports creates a report for every probe that gets through (null for an
// optional field), so its probes run an hour of their own on the test clock (3 h back), away from the rate limit
// that later files meet at real time.
// Inspections: the checklist template of one venue type is sent its own items (a probe that gets through changes
// nothing); record goes to an inspection already recorded (a valid body → 409); plans and patrols that get through
// create records on the fixture venue; POST /api/draws is sent a plannedOn in the past, so that every probe that gets
// past the field checks is refused (DEADLINE_IN_PAST) and no draw plans inspections; publish goes to a published draw.
// Cases: POST /api/cases is sent a source hazard of another venue, so that every probe that gets past the field checks
// is refused (SOURCE_NOT_FOUND) and opens nothing; the case commands go to a closed case that was penalized and is
// exposed (a valid body → 409 for every command); withdraw to an exposure already withdrawn; a credit mark to a unit
// already marked (ALREADY_MARKED), lift to a mark already lifted (ALREADY_LIFTED). A null personPenalties is refused
// with the contract's own code for a missing one (DOUBLE_PENALTY_REQUIRED).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  login, request, describe, orgUnits, roles, createOrgUnit, createRole, createUser, createUserAndLogin,
  serverRoutes, loadSpec, requestSchema, deref, toOpenApiPath, fillPath, strongPassword, randomPhone, uid,
  venueBody, createVenue, unitBody, createUnit, personBody, createPerson, certBody, createCertificate, machineBody,
  createMachine, MINUTE, HOUR, DAY, Cast, resetServerClock, serverClockTo, permitWorld, createCrew, createOpenVenue, permitBody,
  allMeasures, advancePermit, createPermit, command, releasePermits, uploadPng, tinyJpeg, isoUtc, uploadFile, listAll, localDate,
} from './lib.mjs';

const WRITE = ['POST', 'PUT', 'DELETE'];
const routes = serverRoutes().filter((r) => WRITE.includes(r.method.toUpperCase()));
const UNKNOWN = 'zzUnknownField';

let admin, fx, selfClient, logoutClient;
let pfx; // permit fixtures: {cast, world, body, fileId, templates, permits: {draft, cancelled, approved, watching}, alert, crews}

// Routes whose body is not JSON: only the probes that make sense for a raw body are sent (CSRF, media type, size).
// POST /api/files: the body is the image itself (image/jpeg|png|webp, ≤ 5 MB); a JSON body is a wrong media type.
const RAW_BODY = new Map([
  ['POST /api/files', { type: 'image/jpeg', bytes: () => tinyJpeg(), limit: 5 * 1024 * 1024 }],
  ['POST /api/public/files', { type: 'image/jpeg', bytes: () => tinyJpeg(), limit: 5 * 1024 * 1024 }],
]);
let hfx; // hazard and report fixtures: {reported, closed, supervised, received, rejected, fileId}
let ifx; // inspection fixtures: {venueType, template, recorded, results, draw}
let cfx; // case fixtures: {venue2, kase, withdrawn, exposure, marked, lifted, unit2}
let mfx; // market fixtures: {done (a request awarded and done), accepted (its awarded answer)}; a meeting record; a retrofit done and paid
// A null field that the route refuses with a code of its own rather than REQUIRED / INVALID_TYPE.
const NULL_CODES = new Map([['POST /api/cases/:id/penalize personPenalties', 'DOUBLE_PENALTY_REQUIRED']]);

before(async () => {
  admin = await login('admin');
  const org = await orgUnits(admin);
  const officer = (await roles(admin)).byKey.get('officer');
  const unit = await createOrgUnit(admin, { parentId: org.town.id, code: uid('c') });
  const emptyUnit = await createOrgUnit(admin, { parentId: org.town.id });
  const role = await createRole(admin, { dataScope: 'dept', permissions: ['dict:read'] });
  const target = (await createUser(admin, { orgUnitId: unit.id, roleId: officer.id })).user;
  const self = await createUserAndLogin(admin, { orgUnitId: unit.id, roleId: role.id });
  selfClient = self.client;
  const dictType = (await admin.post('/api/dict-types', { code: uid('d'), name: '坏输入测试' })).json;
  const item = (await admin.post(`/api/dict-types/${dictType.code}/items`, { value: 'v1', label: '一', sort: 1 })).json;
  const token = (await admin.post('/api/api-tokens', { name: uid('k'), userId: target.id })).json;
  assert.ok(dictType?.code && item?.id && token?.id, 'fixtures could not be created');
  logoutClient = await login('admin');
  // registries and rules
  const venue = await createVenue(admin, org);
  const regUnit = await createUnit(admin);
  const person = await createPerson(admin, { unitId: regUnit.id });
  const cert = await createCertificate(admin, person, { kind: 'construction_welder', number: `坏输入${uid('n')}` });
  const machine = await createMachine(admin, regUnit.id);
  const kp = await admin.post('/api/key-periods', { name: `坏输入${uid('k')}`, start: '2033-03-01T00:00:00Z', end: '2033-03-02T00:00:00Z' });
  assert.equal(kp.status, 201, describe(kp));
  const ruleSettings = await admin.getOk('/api/rule-settings');
  fx = { org, officer, unit, emptyUnit, role, target, dictType, item, token, venue, regUnit, person, cert, machine, keyPeriod: kp.json, ruleSettings };
  pfx = await permitFixtures();
  hfx = await hazardFixtures();
  ifx = await inspectionFixtures();
  mfx = await marketFixtures(); // before the case fixtures put a credit mark on the fixture unit
  cfx = await caseFixtures();
});

after(async () => {
  await resetServerClock();
  if (pfx) await releasePermits(Object.values(pfx.permits).map((p) => p.id));
});

/** A 供需对接 request awarded to the fixture unit and done: every command on it or its answer is refused (409). */
async function marketFixtures() {
  const body = { venueId: fx.venue.id, title: '坏输入需求', description: '坏输入', place: '一层', methods: ['electric_welding'], windowStart: localDate(1),
    windowEnd: localDate(5), workersNeeded: 1, contactName: '坏输入', contactPhone: randomPhone() };
  const done = (await admin.post('/api/market/requests', body)).json;
  const answered = (await admin.post(`/api/market/requests/${done?.id}/offers`, { unitId: fx.regUnit.id, peopleIds: [fx.person.id] })).json;
  const accepted = answered?.offers?.[0];
  assert.ok(accepted?.id, `market fixtures: ${JSON.stringify(answered)}`);
  assert.equal((await admin.post(`/api/market/offers/${accepted.id}/accept`, {})).status, 200);
  assert.equal((await admin.post(`/api/market/requests/${done.id}/done`, {})).status, 200);
  // a 培训与约谈 record that PUT probes may correct (they change only its own fields)
  const meeting = (await admin.post('/api/meetings', meetingBody())).json;
  assert.ok(meeting?.id, 'meeting fixture');
  // a machine retrofit done and paid, on which every command is refused (409); and a stock machine to apply for
  const stock = async () => createMachine(admin, fx.regUnit.id, { chipId: undefined });
  const retrofit = (await admin.post('/api/retrofits', { machineId: (await stock()).id, way: 'retrofit', subsidyRequested: 1 })).json;
  for (const [command, b] of [['approve', { subsidyGranted: 1 }], ['complete', { chipId: `CHIP${uid('b').replace(/[^a-z0-9]/g, '').toUpperCase()}` }],
    ['pay', { amount: 1, paidOn: localDate(0), paymentRef: '坏输入' }]]) {
    assert.equal((await admin.post(`/api/retrofits/${retrofit?.id}/${command}`, b)).status, 200, `retrofit fixture: ${command}`);
  }
  return { done, accepted, meeting, retrofit, stockMachine: await stock() };
}

const meetingBody = () => ({ kind: 'training', title: '坏输入培训', heldOn: localDate(-1), place: '坏输入', content: '坏输入', headcount: 5,
  venueIds: [fx.venue.id], unitIds: [fx.regUnit.id], personIds: [fx.person.id] });

/** Permits in the states the probes need, an alert, a file and the measure templates. */
async function permitFixtures() {
  const world = await permitWorld(admin);
  const vmUser = world.users.get('venue_mgr');
  const cast = new Cast();
  await cast.add('contractor', 'contractor');
  await cast.add('vm', 'venue_mgr');
  const venue = await createOpenVenue(admin, world, vmUser.id);
  const fileId = await uploadPng(cast.contractor);
  const templates = (await admin.getOk('/api/measure-templates')).items;
  const crews = { future: await createCrew(admin, world), watching: await createCrew(admin, world), alert: await createCrew(admin, world) };
  const who = (crew) => ({ applicant: cast.contractor, approver: cast.vm, jobLeader: cast.contractor, fireWatch: crew.fireWatch.client, admin });
  const base = (crew, start, end) => permitBody({ venueId: venue.id, start, end, jobLeaderId: world.people.get('邓强').id, approverUserId: vmUser.id, crew, unitId: world.unit.id },
    { riskAssessment: '坏输入测试', controls: [{ control: '配置灭火器', person: '张三' }], windForce: 2, photosBefore: [fileId] });
  const day = Date.now() + 40 * DAY;
  const body = base(crews.future, day, day + 60 * MINUTE);
  const permits = {};
  permits.draft = await createPermit(cast.contractor, body);
  permits.cancelled = await command(cast.contractor, await createPermit(cast.contractor, body), 'cancel', { reason: '坏输入测试' }, 'cancelled');
  permits.approved = await advancePermit(await createPermit(cast.contractor, base(crews.future, day + 2 * 60 * MINUTE, day + 3 * 60 * MINUTE)), 'approved', who(crews.future));
  let now = await resetServerClock();
  let start = Math.ceil(now / MINUTE) * MINUTE + 2 * MINUTE;
  permits.watching = await advancePermit(await createPermit(cast.contractor, base(crews.watching, start, start + 60 * MINUTE)), 'watching', who(crews.watching));
  // an alert: a permit not started by its end
  now = await resetServerClock();
  start = Math.ceil(now / MINUTE) * MINUTE + 2 * MINUTE;
  const late = await advancePermit(await createPermit(cast.contractor, base(crews.alert, start, start + 30 * MINUTE)), 'approved', who(crews.alert));
  try {
    await serverClockTo(start + 31 * MINUTE);
  } finally {
    await resetServerClock();
  }
  admin = await login('admin');
  const alert = (await listAll(admin, '/api/alerts?kind=permit_not_started')).find((a) => a.sourceId === String(late.id));
  assert.ok(alert, 'the alert fixture was not raised');
  await cast.relogin();
  for (const c of Object.values(crews)) {
    const fresh = await login(c.fireWatch.client.username, c.fireWatch.client.password);
    Object.assign(c.fireWatch.client, { cookie: fresh.cookie, csrf: fresh.csrf });
  }
  return { cast, world, body, fileId, templates, permits, alert, crews };
}

/** Hazards in harmless states (see the header) and two public reports, one rejected. */
async function hazardFixtures() {
  const fileId = await uploadPng(admin);
  const create = async () => {
    const res = await admin.post('/api/hazards', { venueId: fx.venue.id, category: 'other', description: '坏输入测试隐患' });
    assert.equal(res.status, 201, describe(res));
    return res.json;
  };
  const step = async (h, name, body) => {
    const res = await admin.post(`/api/hazards/${h.id}/${name}`, body);
    assert.equal(res.status, 200, `${name}: ${describe(res)}`);
    return res.json;
  };
  const reported = await create();
  let closed = await create();
  closed = await step(closed, 'assign', { responsiblePerson: '坏输入' });
  closed = await step(closed, 'rectify', { measures: '坏输入', photos: [fileId], signedBy: '坏输入' });
  closed = await step(closed, 'recheck', { passed: true });
  let supervised = await step(await create(), 'assign', { responsiblePerson: '坏输入' });
  supervised = await step(supervised, 'supervise', { level: 'town', deadline: localDate(30) });
  const report = async () => {
    const res = await request('POST', '/api/public/reports', { body: { venueToken: fx.venue.qrToken, category: 'other', description: '坏输入测试举报' } });
    assert.equal(res.status, 201, describe(res));
    return (await listAll(admin, '/api/reports?state=received')).find((r) => r.trackingCode === res.json.trackingCode);
  };
  const received = await report();
  const rejected = await report();
  const rej = await admin.post(`/api/reports/${rejected.id}/reject`, { reason: '坏输入测试' });
  assert.equal(rej.status, 200, describe(rej));
  return { reported, closed, supervised, received, rejected: rej.json, fileId };
}

/** A checklist template, an inspection recorded by admin (one of its inspectors) and a published draw. */
async function inspectionFixtures() {
  const templates = (await admin.getOk('/api/checklist-templates')).items;
  const template = templates.find((t) => t.venueType === 'hospital') ?? templates.find((t) => t.venueType !== 'default');
  assert.ok(template, 'no checklist template of a venue type');
  const other = (await listAll(admin, '/api/users')).find((u) => u.username === 'inspector');
  const plan = await admin.post('/api/inspections', { venueId: fx.venue.id, kind: 'routine', inspectorIds: [admin.user.id, other.id] });
  assert.equal(plan.status, 201, describe(plan));
  const results = plan.json.checklist.map((c) => ({ code: c.code, passed: true }));
  const rec = await admin.post(`/api/inspections/${plan.json.id}/record`, { results });
  assert.equal(rec.status, 200, describe(rec));
  const draw = await admin.post('/api/draws', { name: `坏输入${uid('d')}`, venueCount: 1, plannedOn: localDate(5), venueTypes: [fx.venue.type] });
  assert.equal(draw.status, 201, describe(draw));
  const pub = await admin.post(`/api/draws/${draw.json.id}/publish`);
  assert.equal(pub.status, 200, describe(pub));
  return { venueType: template.venueType, template, recorded: rec.json, results, draw: pub.json };
}

/** A closed case (penalized, exposed, withdrawn, exposed again) with fx.regUnit as its party; fx.regUnit marked; another
 * unit marked and lifted; a second venue (the source hazard of POST /api/cases probes is not of it). */
async function caseFixtures() {
  const ok = async (res, status = 200) => {
    assert.equal(res.status, status, describe(res));
    return res.json;
  };
  const venue2 = await createVenue(admin, fx.org);
  let kase = await ok(await admin.post('/api/cases', { sourceType: 'other', venueId: fx.venue.id, unitId: fx.regUnit.id, title: '坏输入测试案件', facts: '坏输入', responsiblePersons: [{ name: '邓坏输', role: '主要负责人' }] }), 201);
  const c = `/api/cases/${kase.id}`;
  await ok(await admin.post(`${c}/penalize`, { decisionNumber: '坏输入1号', decidedOn: localDate(0), unitPenalty: { kind: 'warning' }, personPenalties: [{ name: '邓坏输', role: '主要负责人', kind: 'warning' }] }));
  const first = (await ok(await admin.post(`${c}/expose`, { title: '坏输入曝光一', summary: '坏输入' }))).exposure;
  await ok(await admin.post(`/api/exposures/${first.id}/withdraw`));
  await ok(await admin.post(`${c}/expose`, { title: '坏输入曝光二', summary: '坏输入' }));
  kase = await ok(await admin.post(`${c}/close`, { note: '坏输入' }));
  assert.equal(kase.state, 'closed');
  const marked = await ok(await admin.post(`/api/units/${fx.regUnit.id}/credit-marks`, { reason: '坏输入', caseId: kase.id }), 201);
  const unit2 = await createUnit(admin);
  const m2 = await ok(await admin.post(`/api/units/${unit2.id}/credit-marks`, { reason: '坏输入' }), 201);
  const lifted = await ok(await admin.post(`/api/credit-marks/${m2.id}/lift`, { reason: '坏输入修复' }));
  return { venue2, kase, withdrawn: first, exposure: kase.exposure, marked, lifted, unit2 };
}

/** For each permit command: the fixture permit and the person whose step it is. */
function permitCommand(cmd) {
  const { permits, crews, cast } = pfx;
  const terminal = { permit: permits.cancelled, crew: crews.future };
  const table = {
    submit: [terminal, cast.contractor],
    survey: [terminal, cast.vm],
    'confirm-risk': [terminal, cast.contractor],
    approve: [terminal, cast.vm],
    reject: [terminal, cast.vm],
    'check-in': [terminal, crews.future.fireWatch.client],
    'gas-analyses': [{ permit: permits.approved, crew: crews.future }, cast.contractor],
    start: [terminal, cast.contractor],
    suspend: [terminal, crews.future.fireWatch.client],
    resume: [terminal, crews.future.fireWatch.client],
    finish: [terminal, cast.contractor],
    rounds: [{ permit: permits.watching, crew: crews.watching }, crews.watching.fireWatch.client],
    close: [{ permit: permits.watching, crew: crews.watching }, crews.watching.fireWatch.client],
    cancel: [terminal, cast.contractor],
    revoke: [terminal, admin],
  };
  const hit = table[cmd];
  return hit ? { ...hit[0], client: hit[1] } : null;
}

/** Path parameters for a route: an existing record of the right kind. */
function paramsFor(path) {
  if (path.startsWith('/api/org-units/')) return { id: fx.emptyUnit.id };
  if (path.startsWith('/api/users/')) return { id: fx.target.id };
  if (path.startsWith('/api/roles/')) return { id: fx.role.id };
  if (path.startsWith('/api/dict-items/')) return { id: fx.item.id };
  if (path.startsWith('/api/api-tokens/')) return { id: fx.token.id };
  if (path.startsWith('/api/dict-types/')) return { code: fx.dictType.code };
  if (path.startsWith('/api/venues/')) return { id: fx.venue.id };
  if (path.startsWith('/api/units/')) return { id: fx.regUnit.id };
  if (path.startsWith('/api/cases/')) return { id: cfx.kase.id };
  if (path.startsWith('/api/exposures/')) return { id: cfx.withdrawn.id };
  if (path.startsWith('/api/credit-marks/')) return { id: cfx.lifted.id };
  if (path.startsWith('/api/people/')) return { id: fx.person.id };
  if (path.startsWith('/api/certificates/')) return { id: fx.cert.id };
  if (path.startsWith('/api/machines/')) return { id: fx.machine.id };
  if (path.startsWith('/api/key-periods/')) return { id: fx.keyPeriod.id };
  if (path.startsWith('/api/calendar/')) return { year: 2033 };
  if (path.startsWith('/api/market/requests/')) return { id: mfx.done.id };
  if (path.startsWith('/api/meetings/')) return { id: mfx.meeting.id };
  if (path.startsWith('/api/market/offers/')) return { id: mfx.accepted.id };
  if (path.startsWith('/api/retrofits/')) return { id: mfx.retrofit.id };
  const cmd = /^\/api\/permits\/:id\/([a-z-]+)$/.exec(path);
  if (cmd && permitCommand(cmd[1])) return { id: permitCommand(cmd[1]).permit.id };
  if (path === '/api/permits/:id') return { id: pfx.permits.draft.id };
  if (path.startsWith('/api/alerts/')) return { id: pfx.alert.id };
  const hz = /^\/api\/hazards\/:id\/([a-z-]+)$/.exec(path);
  if (hz) return { id: { assign: hfx.closed, supervise: hfx.supervised, unsupervise: hfx.reported }[hz[1]]?.id ?? hfx.reported.id };
  const rp = /^\/api\/reports\/:id\/([a-z-]+)$/.exec(path);
  if (rp) return { id: rp[1] === 'reward' ? hfx.received.id : hfx.rejected.id };
  if (path === '/api/checklist-templates/:venueType') return { venueType: ifx.venueType };
  if (path === '/api/inspections/:id/record') return { id: ifx.recorded.id };
  if (path === '/api/draws/:id/publish') return { id: ifx.draw.id };
  return { id: 1, code: 'x', year: 2033, venueType: 'x' }; // a route this suite does not know yet: still checked for the generic cases
}

/** A body the route would accept (fresh unique values), or null for routes without a body. */
function validBody(method, path, schema) {
  const k = `${method} ${path}`;
  switch (k) {
    case 'POST /api/auth/login': return { login: uid('nobody'), password: 'Wrong#Pass123' };
    case 'POST /api/auth/password': return { oldPassword: 'Not#My0ldPassword', newPassword: strongPassword() };
    case 'POST /api/auth/login/second-factor': return { challenge: 'no-such-challenge', code: '123456' };
    case 'POST /api/auth/second-factor/confirm': return { code: '123456' };
    case 'POST /api/people/:id/reveal': return { reason: '核对身份' };
    case 'PUT /api/security-policy':
      return { maxFailedLogins: 5, lockMinutes: 30, idleMinutes: 30, passwordMaxAgeDays: 90, passwordHistory: 5, inactiveAccountDays: 90 };
    case 'POST /api/org-units': return { parentId: fx.org.town.id, kind: 'department', name: `坏输入${uid('o')}`, code: uid('c'), sort: 1 };
    case 'PUT /api/org-units/:id': return { name: fx.emptyUnit.name, code: fx.emptyUnit.code, sort: fx.emptyUnit.sort };
    case 'POST /api/users': return { username: uid('u'), name: '坏输入', phone: randomPhone(), orgUnitId: fx.unit.id, roleId: fx.officer.id, password: strongPassword() };
    case 'PUT /api/users/:id': return { name: fx.target.name, phone: fx.target.phone, orgUnitId: fx.target.orgUnitId, roleId: fx.target.roleId };
    case 'POST /api/users/:id/reset-password': return { password: strongPassword() };
    case 'PUT /api/users/:id/role': return { roleId: fx.target.roleId };
    case 'POST /api/roles': return { key: uid('r'), name: '坏输入角色', dataScope: 'dept', permissions: ['dict:read'], customOrgUnitIds: [] };
    case 'PUT /api/roles/:id': return { name: fx.role.name, dataScope: 'dept', permissions: ['dict:read'], customOrgUnitIds: [] };
    case 'POST /api/dict-types': return { code: uid('d'), name: '坏输入字典', description: '说明' };
    case 'POST /api/dict-types/:code/items': return { value: uid('v'), label: '坏输入', sort: 2 };
    case 'PUT /api/dict-items/:id': return { label: fx.item.label, sort: fx.item.sort, enabled: true };
    case 'POST /api/api-tokens': return { name: uid('k'), userId: fx.target.id };
    case 'POST /api/venues': return venueBody(fx.org);
    case 'PUT /api/venues/:id': return venueBody(fx.org, { name: fx.venue.name });
    case 'POST /api/units': return unitBody();
    case 'PUT /api/units/:id': return unitBody({ name: fx.regUnit.name, creditCode: fx.regUnit.creditCode });
    case 'POST /api/people': return personBody();
    case 'PUT /api/people/:id': return personBody({ name: fx.person.name, citizenId: fx.person.rawCitizenId, phone: fx.person.rawPhone });
    case 'POST /api/certificates': return certBody(fx.person, { kind: 'construction_welder', number: `坏输入${uid('n')}` });
    case 'PUT /api/certificates/:id': return certBody(fx.person, { kind: 'construction_welder', number: fx.cert.number });
    case 'POST /api/certificates/:id/verify': return { result: 'match', note: '坏输入' };
    // one bad row and mode all: even a body that gets through imports nothing
    case 'POST /api/certificates/import': return { rows: [{ name: '坏输入', citizenId: '123' }], mode: 'all', dryRun: true };
    case 'POST /api/machines': return machineBody(fx.regUnit.id);
    case 'PUT /api/machines/:id': return machineBody(fx.regUnit.id, { code: fx.machine.code, chipId: fx.machine.chipId });
    case 'PUT /api/calendar/:year': return { items: [{ date: '2033-01-01', kind: 'holiday', name: '元旦' }] };
    case 'POST /api/key-periods': return { name: `坏输入${uid('k')}`, start: '2033-02-01T00:00:00Z', end: '2033-02-02T00:00:00Z', note: '坏输入' };
    case 'PUT /api/rule-settings': return { ...fx.ruleSettings };
    case 'POST /api/campaigns': return {
      name: '坏输入专项', goal: '坏输入', startsOn: '2033-01-01', endsOn: '2033-03-31', phases: [{ name: '实施', from: '2033-01-01', to: '2033-03-31' }],
      tasks: [{ title: '坏输入任务', content: '坏输入', leadOrgUnitId: fx.org.byName.get('商贸发展岗').id, helperOrgUnitIds: [], dueOn: '2033-02-01' }],
    };
    case 'POST /api/campaign-tasks/:id/reports': return { content: '坏输入', venuesChecked: 1, hazardsFound: 0, hazardsFixed: 0 };
    case 'POST /api/campaign-tasks/:id/complete': return { summary: '坏输入' };
    case 'POST /api/market/requests': return {
      venueId: fx.venue.id, title: '坏输入需求', description: '坏输入', place: '一层', methods: ['electric_welding'], windowStart: localDate(1),
      windowEnd: localDate(5), workersNeeded: 1, budget: 100, contactName: '坏输入', contactPhone: randomPhone(),
    };
    case 'POST /api/market/requests/:id/done': return { note: '坏输入', rating: 4 };
    case 'POST /api/market/requests/:id/rate': return { rating: 4 };
    case 'POST /api/market/requests/:id/cancel': return { reason: '坏输入' };
    case 'POST /api/market/requests/:id/offers': return { unitId: fx.regUnit.id, peopleIds: [fx.person.id], price: 1, note: '坏输入' };
    case 'POST /api/meetings':
    case 'PUT /api/meetings/:id': return meetingBody();
    case 'POST /api/retrofits': return { machineId: mfx.stockMachine.id, way: 'retrofit', subsidyRequested: 1, reason: '坏输入' };
    case 'POST /api/retrofits/:id/approve': return { subsidyGranted: 0, note: '坏输入' };
    case 'PUT /api/retrofits/standards': return { retrofit: 500, tradeIn: 1000 }; // the demo's
    case 'POST /api/retrofits/:id/reject': return { note: '坏输入' };
    case 'POST /api/retrofits/:id/cancel': return { reason: '坏输入' };
    case 'POST /api/retrofits/:id/complete': return { chipId: 'CHIP-BAD-1', insurer: '坏输入', policyNumber: '坏输入', insuredUntil: localDate(30) };
    case 'POST /api/retrofits/:id/pay': return { amount: 1, paidOn: localDate(0), paymentRef: '坏输入' };
    case 'POST /api/small-projects':
    case 'PUT /api/small-projects/:id': return {
      venueId: fx.venue.id, unitId: fx.regUnit.id, orgUnitId: fx.org.byName.get('规建环保岗').id, name: '坏输入工程', kind: 'decorate', location: '一层',
      investment: 10, area: 50, plannedStart: '2033-01-01', plannedEnd: '2033-01-05', hotWorkMethods: ['electric_welding'], fireMeasures: '坏输入',
      siteManager: '坏输入', sitePhone: randomPhone(),
    };
    case 'POST /api/permits': return { ...pfx.body };
    case 'PUT /api/permits/:id': return { ...pfx.body };
    case 'POST /api/permits/:id/survey': return { lat: 29.44, lng: 106.36, photos: [pfx.fileId], note: '坏输入' };
    case 'POST /api/permits/:id/confirm-risk': return { measures: allMeasures(pfx.permits.cancelled), note: '坏输入' };
    case 'POST /api/permits/:id/approve': return { note: '坏输入' };
    case 'POST /api/permits/:id/reject':
    case 'POST /api/permits/:id/suspend':
    case 'POST /api/permits/:id/cancel':
    case 'POST /api/permits/:id/revoke': return { reason: '坏输入' };
    case 'POST /api/permits/:id/check-in': return { personId: pfx.crews.future.fireWatch.person.id, lat: 29.44, lng: 106.36 };
    case 'POST /api/permits/:id/gas-analyses': return { sampledAt: isoUtc(Date.now() - MINUTE), gas: '甲烷', lelPercent: 5, resultPercent: 0.1, analyst: '坏输入' };
    case 'POST /api/permits/:id/finish': return { photos: [pfx.fileId] };
    case 'POST /api/permits/:id/rounds': return { result: 'normal', note: '坏输入', photos: [pfx.fileId], lat: 29.44, lng: 106.36 };
    case 'POST /api/permits/:id/close': return { siteClear: true, photos: [pfx.fileId] };
    case 'POST /api/alerts/:id/handle': return { result: '坏输入', falseAlarm: false };
    case 'POST /api/test/clock': return { offsetSeconds: 0 };
    case 'POST /api/hazards': return { venueId: fx.venue.id, category: 'other', description: '坏输入测试', location: '一楼', photos: [hfx.fileId], source: 'patrol', severity: 'general' };
    case 'POST /api/hazards/:id/assign': return { responsiblePerson: '坏输入', responsiblePhone: randomPhone(), deadline: localDate(10), interimMeasures: '坏输入', funds: 100, severity: 'general' };
    case 'POST /api/hazards/:id/rectify': return { measures: '坏输入', photos: [hfx.fileId], signedBy: '坏输入' };
    case 'POST /api/hazards/:id/recheck': return { passed: true, note: '坏输入' };
    case 'POST /api/hazards/:id/reopen': return { reason: '坏输入' };
    case 'POST /api/hazards/:id/supervise': return { level: 'town', deadline: localDate(30), note: '坏输入' };
    case 'POST /api/hazards/:id/unsupervise': return { note: '坏输入' };
    case 'POST /api/public/reports': return { venueToken: fx.venue.qrToken, category: 'other', description: '坏输入测试举报' };
    case 'POST /api/reports/:id/accept': return { severity: 'general', description: '坏输入' };
    case 'POST /api/reports/:id/reject': return { reason: '坏输入' };
    case 'POST /api/reports/:id/reward': return { amount: 100, note: '坏输入' };
    case 'PUT /api/checklist-templates/:venueType': return { items: ifx.template.items.map(({ code, label, category }) => ({ code, label, category })) };
    case 'POST /api/inspections': return { venueId: fx.venue.id, kind: 'routine', plannedOn: localDate(3), inspectorIds: [ifx.recorded.inspectorIds[0], ifx.recorded.inspectorIds[1]], unannounced: false };
    case 'POST /api/inspections/:id/record': return { results: ifx.results, findings: [{ category: 'other', description: '坏输入', location: '一楼', photos: [hfx.fileId], severity: 'general' }], summary: '坏输入', lat: 29.5, lng: 106.5 };
    case 'POST /api/patrols': return { venueId: fx.venue.id, results: [{ code: ifx.results[0].code, passed: true, note: '坏输入' }], findings: [{ category: 'other', description: '坏输入' }], summary: '坏输入', lat: 29.5, lng: 106.5 };
    case 'POST /api/draws': return { name: `坏输入${uid('d')}`, venueCount: 1, inspectorsPerVenue: 2, keyPercent: 70, plannedOn: localDate(-1), seed: '7', venueTypes: [fx.venue.type], inspectorIds: ifx.recorded.inspectorIds, conflicts: [{ inspectorId: ifx.recorded.inspectorIds[0], venueId: fx.venue.id }] };
    case 'POST /api/cases': return { sourceType: 'hazard', sourceId: hfx.reported.id, venueId: cfx.venue2.id, unitId: fx.regUnit.id, partyName: '坏输入', responsiblePersons: [{ name: '邓坏输', role: '主要负责人' }], title: '坏输入', facts: '坏输入', legalBasis: '坏输入' };
    case 'POST /api/cases/:id/penalize': return { decisionNumber: '坏输入2号', decidedOn: localDate(0), unitPenalty: { kind: 'fine', amount: 100, note: '坏输入' }, personPenalties: [{ name: '邓坏输', role: '主要负责人', kind: 'fine', amount: 10, note: '坏输入' }] };
    case 'POST /api/cases/:id/refer': return { department: '坏输入', note: '坏输入' };
    case 'POST /api/cases/:id/referral': return { status: 'concluded', result: '坏输入' };
    case 'POST /api/cases/:id/close': return { note: '坏输入' };
    case 'POST /api/cases/:id/expose': return { title: '坏输入', summary: '坏输入' };
    case 'POST /api/webhooks': return { name: '坏输入', url: 'http://127.0.0.1:9/none', format: 'json', events: ['hazard.assigned'], secret: 'x', siteUrl: 'https://x.example.cn', enabled: false };
    case 'POST /api/units/:id/credit-marks': return { reason: '坏输入', caseId: cfx.kase.id };
    case 'POST /api/credit-marks/:id/lift': return { reason: '坏输入' };
    case 'PUT /api/measure-templates': return { items: pfx.templates.map(({ code, label }) => ({ code, label })) };
    default: break;
  }
  if (!schema) return null;
  // a route this suite does not know: build a body from the spec
  const body = {};
  for (const [name, p] of Object.entries(schema.properties)) {
    body[name] = p.type === 'integer' || p.type === 'number' ? 1 : p.type === 'boolean' ? true
      : p.type === 'array' ? [] : p.type === 'object' ? {} : (p.enum?.[0] ?? 'x');
  }
  return body;
}

/** Values of the wrong JSON type for a property schema (arrays also get elements of the wrong type). */
function wrongValues(p) {
  switch (p.type) {
    case 'string': return [12345];
    case 'integer': return ['x1', 1.5];
    case 'number': return ['x1', true];
    case 'boolean': return ['yes'];
    case 'object': return ['x', [{}]];
    case 'array': {
      const item = deref(loadSpec(), p.items) ?? {};
      const inner = item.type === 'object' ? [1, 'x', [1]] : item.type === 'integer' ? ['x', 1.5] : item.type === 'string' ? [1] : [];
      return ['x', { a: 1 }, ...inner.map((v) => [v])];
    }
    default: return [p.enum ? 12345 : [[]]];
  }
}

function clientFor(path) {
  if (path.startsWith('/api/auth/login') || path.startsWith('/api/public/')) return null;
  const cmd = /^\/api\/permits\/:id\/([a-z-]+)$/.exec(path);
  if (cmd && permitCommand(cmd[1])) return permitCommand(cmd[1]).client;
  if (path === '/api/permits/:id') return pfx.cast.contractor;
  if (path === '/api/auth/logout') return logoutClient;
  if (path === '/api/auth/password' || path.startsWith('/api/auth/second-factor/')) return selfClient;
  return admin;
}

async function send(route, path, { raw, body, csrf = true, contentType } = {}) {
  const c = clientFor(route.path);
  const opts = { csrf, contentType };
  if (raw !== undefined) opts.body = raw;
  else if (body !== undefined) opts.body = JSON.stringify(body);
  if (!c) return request(route.method, path, opts);
  return c.req(route.method, path, opts);
}

function check(problems, res, status, code, field, what) {
  const j = res.json;
  const ok = res.status === status && j && j.code === code && (field === undefined || j.field === field);
  if (!ok) problems.push(`${what}: expected ${status} ${code}${field !== undefined ? ` (field ${field})` : ''}, got ${res.status} ${res.text.slice(0, 160)}`);
  if (res.status >= 500) problems.push(`${what}: 5xx — ${describe(res)}`);
}

test('the route table has write routes', () => {
  assert.ok(routes.length >= 15, `only ${routes.length} write routes in \`routes --json\``);
});

for (const route of routes) {
  const method = route.method.toUpperCase();
  test(`${method} ${route.path}`, async () => {
    if (route.path !== '/api/public/reports') return probe(route);
    try {
      await serverClockTo(Date.now() - 3 * HOUR);
      return await probe(route);
    } finally {
      await resetServerClock();
    }
  });
}

async function probe(route) {
  const method = route.method.toUpperCase();
  {
    const spec = loadSpec();
    const schema = requestSchema(spec, method, toOpenApiPath(route.path));
    const path = fillPath(route.path, paramsFor(route.path));
    const takesBody = !!schema;
    const base = validBody(method, route.path, schema);
    const problems = [];
    const needsCsrf = route.guard !== 'public' && route.path !== '/api/auth/login'; // CSRF guards cookie sessions only
    const raw = RAW_BODY.get(`${method} ${route.path}`);
    if (raw) {
      // not JSON: a JSON body is the wrong media type; the size limit is the route's own; CSRF as everywhere
      check(problems, await send(route, path, { body: { a: 1 } }), 415, 'UNSUPPORTED_MEDIA_TYPE', undefined, 'JSON body');
      check(problems, await send(route, path, { raw: '{bad json}' }), 415, 'UNSUPPORTED_MEDIA_TYPE', undefined, 'malformed JSON body');
      check(problems, await send(route, path, { raw: raw.bytes(), contentType: 'text/plain' }), 415, 'UNSUPPORTED_MEDIA_TYPE', undefined, 'Content-Type: text/plain');
      try {
        const big = new Uint8Array(raw.limit + 1);
        big.set(raw.bytes().subarray(0, 4));
        check(problems, await send(route, path, { raw: big, contentType: raw.type }), 413, 'BODY_TOO_LARGE', undefined, 'body over the limit');
      } catch (e) {
        problems.push(`body over the limit: connection failed instead of a 413 answer (${e.cause?.code ?? e.message})`);
      }
      if (needsCsrf) {
        check(problems, await send(route, path, { raw: raw.bytes(), contentType: raw.type, csrf: false }), 403, 'CSRF_INVALID', undefined, 'no X-CSRF-Token');
        check(problems, await send(route, path, { raw: raw.bytes(), contentType: raw.type, csrf: 'forged' }), 403, 'CSRF_INVALID', undefined, 'wrong X-CSRF-Token');
      }
      const ok = await send(route, path, { raw: raw.bytes(), contentType: raw.type });
      if (ok.status !== 201) problems.push(`a valid ${raw.type} body: expected 201, got ${ok.status} ${ok.text.slice(0, 120)}`);
      assert.deepEqual(problems, [], `${method} ${route.path} (raw body):\n  ${problems.join('\n  ')}`);
      return;
    }

    // malformed JSON
    for (const raw of ['{"a":', '{bad json}', '{"a":1,}']) {
      check(problems, await send(route, path, { raw }), 400, 'MALFORMED_JSON', undefined, `malformed ${JSON.stringify(raw)}`);
    }
    // not an object
    if (takesBody) {
      for (const raw of ['[]', '42', '"text"', 'null']) {
        check(problems, await send(route, path, { raw }), 400, 'INVALID_TYPE', undefined, `body ${raw}`);
      }
    }
    // over 1 MiB
    try {
      const big = JSON.stringify({ [Object.keys(base ?? { x: 1 })[0]]: 'a'.repeat(1024 * 1024 + 16) });
      check(problems, await send(route, path, { raw: big }), 413, 'BODY_TOO_LARGE', undefined, 'body > 1 MiB');
    } catch (e) {
      problems.push(`body > 1 MiB: connection failed instead of a 413 answer (${e.cause?.code ?? e.message})`);
    }
    // unknown field
    const withUnknown = { ...(base ?? {}), [UNKNOWN]: 1 };
    check(problems, await send(route, path, { body: withUnknown }), 400, 'UNKNOWN_FIELD', UNKNOWN, 'unknown field');
    if (!takesBody) {
      check(problems, await send(route, path, { body: { [UNKNOWN]: 'junk', another: [1] } }), 400, 'UNKNOWN_FIELD', undefined, '{}-with-junk');
    }
    // wrong type for each known field (the rest of the body valid)
    if (takesBody) {
      for (const [name, p] of Object.entries(schema.properties)) {
        for (const wrong of wrongValues(p)) {
          const body = { ...base, [name]: wrong };
          check(problems, await send(route, path, { body }), 400, 'INVALID_TYPE', name, `${name}: ${JSON.stringify(wrong)}`);
        }
      }
      // null for a field: a required field is refused (REQUIRED or INVALID_TYPE) with its name; never a 5xx
      for (const name of Object.keys(schema.properties)) {
        const body = { ...base, [name]: null };
        const res = await send(route, path, { body });
        if (res.status >= 500) problems.push(`${name}: null → 5xx ${res.text.slice(0, 160)}`);
        else if ((schema.required ?? []).includes(name)
          && !(res.status === 400 && ['REQUIRED', 'INVALID_TYPE', NULL_CODES.get(`${method} ${route.path} ${name}`)].includes(res.json?.code) && res.json?.field === name)) {
          problems.push(`${name}: null: expected 400 ${NULL_CODES.get(`${method} ${route.path} ${name}`) ?? 'REQUIRED/INVALID_TYPE'} (field ${name}), got ${res.status} ${res.text.slice(0, 160)}`);
        }
      }
      // wrong media type
      const res = await send(route, path, { raw: JSON.stringify(base), contentType: 'text/plain' });
      check(problems, res, 415, 'UNSUPPORTED_MEDIA_TYPE', undefined, 'Content-Type: text/plain');
    }
    // missing / wrong CSRF token
    if (needsCsrf) {
      const body = base ?? undefined;
      check(problems, await send(route, path, { body, csrf: false }), 403, 'CSRF_INVALID', undefined, 'no X-CSRF-Token');
      check(problems, await send(route, path, { body, csrf: 'forged' }), 403, 'CSRF_INVALID', undefined, 'wrong X-CSRF-Token');
    }
    if (route.path === '/api/auth/logout') {
      const me = await logoutClient.get('/api/auth/me');
      if (me.status !== 200) problems.push(`a rejected logout request ended the session (me → ${me.status})`);
    }
    if (!spec.paths[toOpenApiPath(route.path)]) problems.push('route not described in docs/openapi.yaml (only generic cases checked)');
    assert.deepEqual(problems, [], `${method} ${route.path} (${path}):\n  ${problems.join('\n  ')}`);
  }
}

test('the fixtures survived the bad input unchanged', async () => {
  const u = await admin.getOk(`/api/users/${fx.target.id}`);
  assert.equal(u.status, fx.target.status);
  assert.equal(u.name, fx.target.name);
  assert.equal(u.mustChangePassword, fx.target.mustChangePassword);
  const { items } = await admin.getOk('/api/org-units');
  assert.ok(items.some((x) => x.id === fx.emptyUnit.id), 'the empty org unit was deleted by a bad request');
  const toks = (await admin.getOk('/api/api-tokens')).items;
  assert.equal(toks.find((t) => t.id === fx.token.id)?.revokedAt, null, 'the token was revoked by a bad request');
  const its = (await admin.getOk(`/api/dict-types/${fx.dictType.code}/items`)).items;
  assert.deepEqual(its.find((i) => i.id === fx.item.id), fx.item, 'the dict item was changed by a bad request');
  const kps = (await admin.getOk('/api/key-periods')).items;
  assert.ok(kps.some((k) => k.id === fx.keyPeriod.id), 'the key period was deleted by a bad request');
  assert.deepEqual(await admin.getOk('/api/rule-settings'), fx.ruleSettings, 'the rule settings were changed by a bad request');
  const imported = await admin.getOk(`/api/people?q=${encodeURIComponent('坏输入')}`);
  assert.equal(imported.total, 0, 'a bad import request imported a row');
  const state = async (p) => (await admin.getOk(`/api/permits/${p.id}`)).state;
  assert.equal(await state(pfx.permits.cancelled), 'cancelled');
  assert.equal(await state(pfx.permits.approved), 'approved', 'a bad request moved the approved permit');
  assert.equal((await admin.getOk(`/api/permits/${pfx.permits.approved.id}`)).gasAnalyses.length, 0, 'a bad gas analysis was recorded');
  const w = await admin.getOk(`/api/permits/${pfx.permits.watching.id}`);
  assert.equal(w.state, 'watching', 'a bad request closed the watching permit');
  assert.ok(w.rounds.every((r) => r.doneAt === null), 'a bad request recorded a round');
  assert.deepEqual((await admin.getOk('/api/measure-templates')).items, pfx.templates, 'the measure templates were changed by a bad request');
  const hz = async (h) => admin.getOk(`/api/hazards/${h.id}`);
  assert.equal((await hz(hfx.reported)).state, 'reported', 'a bad request moved the reported hazard');
  assert.equal((await hz(hfx.reported)).supervision, null, 'a bad request supervised the reported hazard');
  assert.equal((await hz(hfx.closed)).state, 'closed', 'a bad request moved the closed hazard');
  assert.equal((await hz(hfx.supervised)).state, 'rectifying', 'a bad request moved the supervised hazard');
  assert.equal((await hz(hfx.supervised)).supervision?.level, 'town', 'a bad request changed the supervision');
  assert.equal((await admin.getOk(`/api/reports/${hfx.received.id}`)).state, 'received', 'a bad request triaged the received report');
  assert.equal((await admin.getOk(`/api/reports/${hfx.received.id}`)).reward, null, 'a bad request rewarded a report');
  assert.equal((await admin.getOk(`/api/reports/${hfx.rejected.id}`)).state, 'rejected', 'a bad request moved the rejected report');
  const tpl = (await admin.getOk('/api/checklist-templates')).items.find((t) => t.venueType === ifx.venueType);
  assert.deepEqual(tpl?.items, ifx.template.items, 'a bad request changed the checklist template');
  const rec = await admin.getOk(`/api/inspections/${ifx.recorded.id}`);
  assert.deepEqual([rec.state, rec.results, rec.hazards], [ifx.recorded.state, ifx.recorded.results, ifx.recorded.hazards], 'a bad request recorded the inspection again');
  assert.equal((await admin.getOk(`/api/draws/${ifx.draw.id}`)).publishedAt, ifx.draw.publishedAt, 'a bad request published the draw again');
  const draws = (await listAll(admin, '/api/draws')).filter((d) => d.name.startsWith('坏输入'));
  assert.deepEqual(draws.map((d) => d.id).filter((id) => id !== ifx.draw.id && id > ifx.draw.id), [], 'a bad request made a draw');
  // cases: nothing opened, the closed case unchanged, the exposures and credit marks as they were
  const k = await admin.getOk(`/api/cases/${cfx.kase.id}`);
  assert.deepEqual([k.state, k.version, k.penalties, k.referral, k.exposure], [cfx.kase.state, cfx.kase.version, cfx.kase.penalties, cfx.kase.referral, cfx.exposure], 'a bad request changed the closed case');
  assert.equal((await admin.getOk(`/api/cases?venueId=${cfx.venue2.id}`)).total, 0, 'a bad request opened a case on the second venue');
  assert.deepEqual((await listAll(admin, `/api/cases?venueId=${fx.venue.id}`)).map((x) => x.id), [cfx.kase.id], 'a bad request opened a case');
  const pub = (await request('GET', '/api/public/exposures')).json.items.map((e) => e.id);
  assert.ok(pub.includes(cfx.exposure.id) && !pub.includes(cfx.withdrawn.id), 'a bad request withdrew or republished an exposure');
  const marks = await listAll(admin, `/api/credit-marks?unitId=${fx.regUnit.id}`);
  assert.deepEqual(marks.map((m) => [m.id, m.active]), [[cfx.marked.id, true]], 'a bad request changed the unit\'s credit marks');
  const m2 = await listAll(admin, `/api/credit-marks?unitId=${cfx.unit2.id}`);
  assert.deepEqual(m2.map((m) => [m.id, m.active, m.liftReason]), [[cfx.lifted.id, false, '坏输入修复']], 'a bad request changed the lifted mark');
});
