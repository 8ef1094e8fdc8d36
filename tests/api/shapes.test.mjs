// Real responses match docs/openapi.yaml: every route is called once successfully and its body is checked
// against the documented schema (no undocumented properties); error answers are the Error schema and their
// code is one the spec lists for that route and status.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  login, request, Client, orgUnits, roles, createUser, serverRoutes, loadSpec, toOpenApiPath, fillPath,
  checkSchema, responseSchema, totpCode, documentedCodes, strongPassword, randomPhone, uid, MISSING_ID, deref,
  venueBody, unitBody, personBody, certBody, machineBody, makeCitizenId,
  MINUTE, Cast, resetServerClock, permitWorld, createCrew, createOpenVenue, permitBody, allMeasures, isoUtc, tinyPng,
  createVenue, localDate, createPerson, createCertificate, makeMachineCode,
} from './lib.mjs';

let spec, admin;
const problems = [];
const succeeded = new Set();

before(async () => {
  spec = loadSpec();
  admin = await login('admin');
});

/** Call a route (template path, e.g. /api/users/:id) and check the answer against the spec. */
async function hit(client, method, template, params = {}, body = undefined, opts = {}) {
  const path = fillPath(template, params) + (opts.query ?? '');
  const ro = { body, contentType: opts.contentType };
  const res = client ? await client.req(method, path, ro) : await request(method, path, ro);
  const oa = toOpenApiPath(template);
  const where = `${method} ${template} → ${res.status}`;
  if (!spec.paths[oa]?.[method.toLowerCase()]) {
    problems.push(`${method} ${template}: not in the spec`);
    return res;
  }
  const documented = deref(spec, spec.paths[oa][method.toLowerCase()].responses?.[String(res.status)]);
  const htmlPage = documented?.content && Object.keys(documented.content).every((m) => m === 'text/html');
  if (res.status >= 500) problems.push(`${where}: ${res.text.slice(0, 160)}`);
  else if (res.status >= 400 && htmlPage) {
    // a page for people (GET /p/{token}) answers its errors as an HTML page, as documented
    if (!/^text\/html/.test(res.headers.get('content-type') ?? '')) problems.push(`${where}: documented as an HTML page, got ${res.headers.get('content-type')}`);
  } else if (res.status >= 400) {
    const codes = documentedCodes(spec, method, oa, res.status);
    if (!res.json) problems.push(`${where}: error without a JSON body`);
    else {
      problems.push(...checkSchema(spec, { $ref: '#/components/schemas/Error' }, res.json).map((p) => `${where}: ${p}`));
      if (!codes.includes(res.json.code)) {
        problems.push(`${where}: code ${res.json.code} not documented for this status (spec lists: ${codes.join(', ') || 'nothing'})`);
      }
    }
  } else if (opts.binary) {
    // a non-JSON answer (SVG, xlsx): the media type must be the one documented for the status
    const op = spec.paths[oa][method.toLowerCase()];
    const media = Object.keys(deref(spec, op.responses?.[String(res.status)])?.content ?? {});
    const got = (res.headers.get('content-type') ?? '').split(';')[0].trim();
    if (!media.includes(got)) problems.push(`${where}: content-type ${got}, spec documents ${media.join(', ') || 'nothing'}`);
    else succeeded.add(`${method} ${template}`);
  } else {
    const schema = responseSchema(spec, method, oa, res.status);
    if (!schema) problems.push(`${where}: status ${res.status} not documented`);
    else if (res.json === null) problems.push(`${where}: body is not JSON`);
    else problems.push(...checkSchema(spec, schema, res.json).map((p) => `${where}: ${p}`));
    succeeded.add(`${method} ${template}`);
  }
  if (opts.expect !== undefined && res.status !== opts.expect) {
    problems.push(`${where}: expected ${opts.expect} (${res.text.slice(0, 120)})`);
  }
  return res;
}

test('successful answers match the documented schemas', async () => {
  const org = await orgUnits(admin);
  const roleMap = (await roles(admin)).byKey;
  const officer = roleMap.get('officer');
  const sw = org.byName.get('商贸发展岗');

  await hit(null, 'GET', '/healthz', {}, undefined, { expect: 200 });
  const served = new Set(serverRoutes().map((r) => `${r.method.toUpperCase()} ${r.path}`));
  if (served.has('GET /api/version')) await hit(null, 'GET', '/api/version', {}, undefined, { expect: 200 });
  const metrics = await request('GET', '/metrics');
  if (metrics.status !== 200 || !/^text\/plain/.test(metrics.headers.get('content-type') ?? '')) problems.push('GET /metrics: not 200 text/plain');
  else succeeded.add('GET /metrics');

  // auth
  const { user: fresh, password } = await createUser(admin, { orgUnitId: sw.id, roleId: officer.id });
  await hit(null, 'POST', '/api/auth/login', {}, { login: fresh.username, password }, { expect: 200 });
  const fc = await login(fresh.username, password);
  await hit(fc, 'GET', '/api/auth/me', {}, undefined, { expect: 200 });
  const newPassword = strongPassword();
  await hit(fc, 'POST', '/api/auth/password', {}, { oldPassword: password, newPassword }, { expect: 200 });
  await hit(fc, 'GET', '/api/permissions', {}, undefined, { expect: 200 });
  // the second factor: set up, new recovery codes (a code of the next step: this one went on the setup), the two-step
  // login with a recovery code, a reset
  const { secret: totpSecret } = (await hit(fc, 'POST', '/api/auth/second-factor/setup', {}, undefined, { expect: 200 })).json;
  await hit(fc, 'POST', '/api/auth/second-factor/confirm', {}, { code: totpCode(totpSecret, Date.now()) }, { expect: 200 });
  const { recoveryCodes } = (await hit(fc, 'POST', '/api/auth/second-factor/recovery-codes', {},
    { code: totpCode(totpSecret, Date.now() + 30000) }, { expect: 200 })).json;
  await hit(fc, 'POST', '/api/auth/logout', {}, undefined, { expect: 200 });
  const { challenge } = (await hit(null, 'POST', '/api/auth/login', {}, { login: fresh.username, password: newPassword }, { expect: 200 })).json;
  await hit(null, 'POST', '/api/auth/login/second-factor', {}, { challenge, recoveryCode: recoveryCodes[0] }, { expect: 200 });
  await hit(admin, 'DELETE', '/api/users/:id/second-factor', { id: fresh.id }, undefined, { expect: 200 });
  const policy = (await hit(admin, 'GET', '/api/security-policy', {}, undefined, { expect: 200 })).json;
  await hit(admin, 'PUT', '/api/security-policy', {}, policy, { expect: 200 });

  // org units
  await hit(admin, 'GET', '/api/org-units', {}, undefined, { expect: 200 });
  const unit = (await hit(admin, 'POST', '/api/org-units', {}, { parentId: org.town.id, kind: 'department', name: `形状${uid('o')}`, code: 'X1', sort: 3 }, { expect: 201 })).json;
  await hit(admin, 'PUT', '/api/org-units/:id', { id: unit.id }, { name: `${unit.name}改`, code: 'X2', sort: 4 }, { expect: 200 });

  // roles
  await hit(admin, 'GET', '/api/roles', {}, undefined, { expect: 200 });
  const role = (await hit(admin, 'POST', '/api/roles', {}, { key: uid('r'), name: '形状角色', dataScope: 'custom', permissions: ['user:read'], customOrgUnitIds: [sw.id] }, { expect: 201 })).json;
  await hit(admin, 'GET', '/api/roles/:id', { id: role.id }, undefined, { expect: 200 });
  await hit(admin, 'PUT', '/api/roles/:id', { id: role.id }, { name: '形状角色改', dataScope: 'dept', permissions: [], customOrgUnitIds: [] }, { expect: 200 });

  // users
  await hit(admin, 'GET', '/api/users', {}, undefined, { expect: 200, query: '?pageSize=5' });
  const u = (await hit(admin, 'POST', '/api/users', {}, { username: uid('u'), name: '形状', phone: randomPhone(), orgUnitId: unit.id, roleId: officer.id, password: strongPassword() }, { expect: 201 })).json;
  await hit(admin, 'GET', '/api/users/:id', { id: u.id }, undefined, { expect: 200 });
  await hit(admin, 'PUT', '/api/users/:id', { id: u.id }, { name: '形状改', phone: randomPhone(), orgUnitId: sw.id, roleId: role.id }, { expect: 200 });
  await hit(admin, 'PUT', '/api/users/:id/role', { id: u.id }, { roleId: officer.id }, { expect: 200 });
  await hit(admin, 'POST', '/api/users/:id/disable', { id: u.id }, undefined, { expect: 200 });
  await hit(admin, 'POST', '/api/users/:id/enable', { id: u.id }, undefined, { expect: 200 });
  await hit(admin, 'POST', '/api/users/:id/unlock', { id: u.id }, undefined, { expect: 200 });
  await hit(admin, 'POST', '/api/users/:id/reset-password', { id: u.id }, { password: strongPassword() }, { expect: 200 });
  await hit(admin, 'DELETE', '/api/org-units/:id', { id: unit.id }, undefined, { expect: 200 });

  // dictionaries
  await hit(admin, 'GET', '/api/dict-types', {}, undefined, { expect: 200 });
  const dt = (await hit(admin, 'POST', '/api/dict-types', {}, { code: uid('d'), name: '形状字典', description: '说明' }, { expect: 201 })).json;
  const item = (await hit(admin, 'POST', '/api/dict-types/:code/items', { code: dt.code }, { value: 'v1', label: '一', sort: 1 }, { expect: 201 })).json;
  await hit(admin, 'GET', '/api/dict-types/:code/items', { code: dt.code }, undefined, { expect: 200 });
  await hit(admin, 'PUT', '/api/dict-items/:id', { id: item.id }, { label: '一改', sort: 2, enabled: false }, { expect: 200 });

  // tokens
  const tok = (await hit(admin, 'POST', '/api/api-tokens', {}, { name: uid('k'), userId: admin.user.id }, { expect: 201 })).json;
  await hit(new Client({ bearer: tok.token }), 'GET', '/api/users/:id', { id: admin.user.id }, undefined, { expect: 200 });
  await hit(admin, 'GET', '/api/api-tokens', {}, undefined, { expect: 200 });
  await hit(admin, 'POST', '/api/api-tokens/:id/revoke', { id: tok.id }, undefined, { expect: 200 });

  // backups (one at a time: any other first ends)
  let overview;
  for (let i = 0; i < 100 && (overview = (await hit(admin, 'GET', '/api/backups', {}, undefined, { expect: 200 })).json).running; i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  await hit(admin, 'PUT', '/api/backups/settings', {}, overview.settings, { expect: 200 });
  await hit(admin, 'POST', '/api/backups', {}, undefined, { expect: 202 });

  // venues
  await hit(admin, 'GET', '/api/venues', {}, undefined, { expect: 200, query: '?pageSize=50' });
  // a venue's manager must be an account that may approve permits (MANAGER_NOT_ALLOWED otherwise)
  const mgr = (await createUser(admin, { orgUnitId: org.byName.get('龙凤社区').id, roleId: roleMap.get('venue_manager').id })).user;
  const venue = (await hit(admin, 'POST', '/api/venues', {}, venueBody(org, { managerUserId: mgr.id }), { expect: 201 })).json;
  const venue2 = (await hit(admin, 'POST', '/api/venues', {}, (() => { const b = venueBody(org); delete b.lat; delete b.lng; delete b.fireManagerName; delete b.fireManagerPhone; return b; })(), { expect: 201 })).json;
  await hit(admin, 'GET', '/api/venues/:id', { id: venue2.id }, undefined, { expect: 200 });
  await hit(admin, 'PUT', '/api/venues/:id', { id: venue.id }, venueBody(org, { name: venue.name, supervisorOrgUnitIds: [sw.id, org.byName.get('文教体旅岗').id] }), { expect: 200 });
  await hit(admin, 'GET', '/api/venues/:id/qr.svg', { id: venue.id }, undefined, { expect: 200, binary: true });

  // units, people, certificates, machines
  const regUnit = (await hit(admin, 'POST', '/api/units', {}, unitBody(), { expect: 201 })).json;
  const bare = unitBody();
  delete bare.address;
  await hit(admin, 'POST', '/api/units', {}, bare, { expect: 201 });
  await hit(admin, 'GET', '/api/units', {}, undefined, { expect: 200, query: '?pageSize=50' });
  await hit(admin, 'GET', '/api/units/:id', { id: regUnit.id }, undefined, { expect: 200 });
  await hit(admin, 'PUT', '/api/units/:id', { id: regUnit.id }, unitBody({ creditCode: regUnit.creditCode, kind: 'employer' }), { expect: 200 });
  const citizenId = makeCitizenId();
  const person = (await hit(admin, 'POST', '/api/people', {}, personBody({ citizenId, unitId: regUnit.id, userId: u.id }), { expect: 201 })).json;
  const loner = (await hit(admin, 'POST', '/api/people', {}, personBody(), { expect: 201 })).json;
  await hit(admin, 'GET', '/api/people', {}, undefined, { expect: 200, query: '?pageSize=50' });
  await hit(admin, 'PUT', '/api/people/:id', { id: person.id }, personBody({ citizenId, unitId: regUnit.id }), { expect: 200 });
  await hit(admin, 'POST', '/api/people/:id/reveal', { id: person.id }, { reason: '形状核对' }, { expect: 200 });
  const cert = (await hit(admin, 'POST', '/api/certificates', {}, certBody({ id: person.id, rawCitizenId: citizenId }), { expect: 201 })).json;
  const cert2 = (await hit(admin, 'POST', '/api/certificates', {}, (() => { const b = certBody(loner, { kind: 'construction_welder', number: `形状${uid('n')}` }); delete b.nextReview; return b; })(), { expect: 201 })).json;
  await hit(admin, 'GET', '/api/people/:id', { id: person.id }, undefined, { expect: 200 });
  await hit(admin, 'GET', '/api/certificates/:id', { id: cert2.id }, undefined, { expect: 200 });
  await hit(admin, 'PUT', '/api/certificates/:id', { id: cert.id }, certBody({ id: person.id, rawCitizenId: citizenId }, { status: 'suspended' }), { expect: 200 });
  await hit(admin, 'POST', '/api/certificates/:id/verify', { id: cert.id }, { result: 'mismatch', note: '形状' }, { expect: 200 });
  await hit(admin, 'GET', '/api/certificates', {}, undefined, { expect: 200, query: '?pageSize=50' });
  await hit(admin, 'GET', '/api/certificates/export.xlsx', {}, undefined, { expect: 200, binary: true, query: `?personId=${person.id}` });
  await hit(admin, 'POST', '/api/certificates/import', {}, { rows: [{ name: '形状', citizenId: '123' }], mode: 'all', dryRun: true }, { expect: 200 });
  const machine = (await hit(admin, 'POST', '/api/machines', {}, machineBody(regUnit.id), { expect: 201 })).json;
  await hit(admin, 'POST', '/api/machines', {}, { code: machineBody(0).code, unitId: regUnit.id, kind: 'other' }, { expect: 201 });
  await hit(admin, 'GET', '/api/machines', {}, undefined, { expect: 200, query: '?pageSize=50' });
  await hit(admin, 'GET', '/api/machines/:id', { id: machine.id }, undefined, { expect: 200 });
  await hit(admin, 'PUT', '/api/machines/:id', { id: machine.id }, machineBody(regUnit.id, { code: machine.code, chipId: machine.chipId, status: 'locked' }), { expect: 200 });
  await hit(admin, 'GET', '/api/machines/:id/qr.svg', { id: machine.id }, undefined, { expect: 200, binary: true });
  const secret = (await hit(admin, 'POST', '/api/machines/:id/secret', { id: machine.id }, {}, { expect: 200 })).json.secret;
  {
    // One signed device message (docs/device-protocol.md), and a scan refused for want of a permit.
    const { createHmac } = await import('node:crypto');
    const body = JSON.stringify({ code: machine.code, type: 'telemetry', seq: 1, at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), power: false });
    const envelope = { code: machine.code, body, sig: createHmac('sha256', secret).update(body).digest('hex') };
    await hit(null, 'POST', '/api/devices/messages', {}, { messages: [envelope] }, { expect: 200 });
    const welder = await login('welder');
    await hit(welder, 'POST', '/api/machines/scan', {}, { code: machine.code, lat: 29.44, lng: 106.36 });
  }

  // rules
  await hit(admin, 'GET', '/api/calendar', {}, undefined, { expect: 200, query: '?year=2026' });
  await hit(admin, 'PUT', '/api/calendar/:year', { year: 2034 }, { items: [{ date: '2034-01-01', kind: 'holiday', name: '元旦' }] }, { expect: 200 });
  const kp = (await hit(admin, 'POST', '/api/key-periods', {}, { name: `形状${uid('k')}`, start: '2034-02-01T00:00:00+08:00', end: '2034-02-03T00:00:00+08:00', note: '形状' }, { expect: 201 })).json;
  await hit(admin, 'GET', '/api/key-periods', {}, undefined, { expect: 200 });
  await hit(admin, 'DELETE', '/api/key-periods/:id', { id: kp.id }, undefined, { expect: 200 });
  const settings = (await hit(admin, 'GET', '/api/rule-settings', {}, undefined, { expect: 200 })).json;
  await hit(admin, 'PUT', '/api/rule-settings', {}, settings, { expect: 200 });

  // permits, files, alerts, the public page and the test clock (docs/api-permits.md)
  await permitRoutes();

  // hazards, public reports and their triage (docs/api-hazards.md)
  await hazardRoutes();

  // inspections, patrols and 双随机 draws (docs/api-hazards.md, last section)
  await inspectionRoutes();

  // enforcement cases, exposure and credit marks (docs/api-hazards.md, last section)
  await caseRoutes();

  // 小型工程备案
  await smallProjectRoutes();
  await marketRoutes();
  await meetingRoutes();
  await retrofitRoutes();

  // 专项行动
  await campaignRoutes();

  // logs
  await hit(admin, 'GET', '/api/audit-logs', {}, undefined, { expect: 200, query: '?pageSize=50' });
  await hit(admin, 'GET', '/api/audit-logs', {}, undefined, { expect: 200, query: '?pageSize=5&cursor=first' });
  await hit(admin, 'GET', '/api/audit-logs/count', {}, undefined, { expect: 200, query: '?action=user.' });
  await hit(admin, 'GET', '/api/audit-logs/verify', {}, undefined, { expect: 200 });
  await hit(admin, 'GET', '/api/login-logs', {}, undefined, { expect: 200, query: '?pageSize=50' });

  // A successful scan needs a running permit in its window (the demo's, which the permit tests move past);
  // devices.test.mjs checks that answer against the spec right after the demo loads.
  const elsewhere = new Set(['POST /api/machines/scan']);
  const missed = serverRoutes().map((r) => `${r.method.toUpperCase()} ${r.path}`).filter((k) => !succeeded.has(k) && !elsewhere.has(k));
  assert.deepEqual(missed, [], 'routes this suite did not call successfully (add them above)');
  assert.deepEqual(problems.splice(0), [], 'answers that differ from docs/openapi.yaml');
});

/** Every permit route once, along a permit's whole life (with the test clock for the rounds), plus reject, cancel and revoke. */
async function permitRoutes() {
  const world = await permitWorld(admin);
  const vmUser = world.users.get('venue_mgr');
  const deng = world.people.get('邓强');
  const cast = new Cast();
  await cast.add('contractor', 'contractor');
  await cast.add('vm', 'venue_mgr');
  const crew = await createCrew(admin, world);
  cast.adopt('fw', crew.fireWatch.client);
  const venue = await createOpenVenue(admin, world, vmUser.id);

  const png = await tinyPng();
  const file = (await hit(cast.contractor, 'POST', '/api/files', {}, png, { expect: 201, contentType: 'image/png' })).json;
  await hit(cast.contractor, 'GET', '/api/files/:id', { id: file.id }, undefined, { expect: 200, binary: true });
  await hit(cast.contractor, 'GET', '/api/lookups/venues', {}, undefined, { expect: 200, query: `?q=${encodeURIComponent('金凤')}` });
  await hit(cast.contractor, 'GET', '/api/lookups/people', {}, undefined, { expect: 200, query: '?hasAccount=true' });
  const templates = (await hit(cast.contractor, 'GET', '/api/measure-templates', {}, undefined, { expect: 200 })).json;
  await hit(admin, 'PUT', '/api/measure-templates', {}, { items: templates.items.map(({ code, label }) => ({ code, label })) }, { expect: 200 });

  try {
    const now = await resetServerClock();
    const start = Math.ceil(now / MINUTE) * MINUTE + 2 * MINUTE;
    const body = permitBody({ venueId: venue.id, start, end: start + 60 * MINUTE, jobLeaderId: deng.id, approverUserId: vmUser.id, crew, unitId: world.unit.id },
      { gasRequired: true, photosBefore: [file.id], windForce: 2, controls: [{ control: '配置灭火器', person: '张三' }] });
    let p = (await hit(cast.contractor, 'POST', '/api/permits', {}, body, { expect: 201 })).json;
    const id = { id: p.id };
    await hit(cast.contractor, 'PUT', '/api/permits/:id', id, { ...body, place: '改后的部位' }, { expect: 200 });
    await hit(cast.contractor, 'GET', '/api/permits', {}, undefined, { expect: 200, query: '?pageSize=20' });
    await hit(cast.contractor, 'GET', '/api/permits', {}, undefined, { expect: 200, query: '?pageSize=5&cursor=first' });
    await hit(cast.contractor, 'GET', '/api/permits/count', {}, undefined, { expect: 200, query: '?state=draft' });
    await hit(cast.contractor, 'GET', '/api/permits/board', {}, undefined, { expect: 200 });
    await hit(cast.contractor, 'GET', '/api/permits/board/counts', {}, undefined, { expect: 200 });
    await hit(cast.contractor, 'POST', '/api/permits/:id/submit', id, undefined, { expect: 200 });
    await hit(cast.vm, 'POST', '/api/permits/:id/survey', id, { lat: 29.44, lng: 106.36, photos: [file.id], note: '已勘察' }, { expect: 200 });
    p = (await hit(cast.contractor, 'GET', '/api/permits/:id', id, undefined, { expect: 200 })).json;
    await hit(cast.contractor, 'POST', '/api/permits/:id/confirm-risk', id, { measures: allMeasures(p), note: '已确认' }, { expect: 200 });
    await hit(cast.vm, 'POST', '/api/permits/:id/approve', id, { note: '同意' }, { expect: 200 });
    await hit(cast.contractor, 'GET', '/api/permits/:id/print', id, undefined, { expect: 200, binary: true });
    await hit(cast.contractor, 'GET', '/api/permits/:id/notice', id, undefined, { expect: 200, binary: true });
    await hit(null, 'GET', '/api/public/permits/:token', { token: p.publicToken }, undefined, { expect: 200 });
    await hit(null, 'GET', '/p/:token', { token: p.publicToken }, undefined, { expect: 200, binary: true });
    await hit(cast.fw, 'POST', '/api/permits/:id/check-in', id, { personId: crew.fireWatch.person.id, lat: 29.44, lng: 106.36 }, { expect: 200 });
    await hit(cast.contractor, 'POST', '/api/permits/:id/check-in', id, { personId: crew.worker.person.id }, { expect: 200 });
    await hit(cast.contractor, 'POST', '/api/permits/:id/gas-analyses', id, { sampledAt: isoUtc(now), gas: '甲烷', lelPercent: 5, resultPercent: 0.1, analyst: '王检测' }, { expect: 200 });
    await hit(cast.contractor, 'POST', '/api/permits/:id/start', id, undefined, { expect: 200 });
    await hit(cast.fw, 'POST', '/api/permits/:id/suspend', id, { reason: '暂停' }, { expect: 200 });
    await hit(cast.fw, 'POST', '/api/permits/:id/resume', id, undefined, { expect: 200 });
    const fin = Date.parse((await hit(cast.contractor, 'POST', '/api/permits/:id/finish', id, { photos: [file.id] }, { expect: 200 })).json.finishedAt);
    // the first round late: a round_late alert to acknowledge and handle
    await cast.jumpTo(fin + 26 * MINUTE);
    await hit(cast.fw, 'POST', '/api/permits/:id/rounds', id, { result: 'normal', note: '迟到', photos: [file.id], lat: 29.44, lng: 106.36 }, { expect: 200 });
    const a = await login('admin');
    const alert = (await hit(a, 'GET', '/api/alerts', {}, undefined, { expect: 200, query: '?kind=round_late&state=open&pageSize=200' })).json.items
      .find((x) => x.sourceId === String(p.id));
    if (!alert) problems.push('no round_late alert for the shapes permit');
    else {
      await hit(a, 'POST', '/api/alerts/:id/acknowledge', { id: alert.id }, undefined, { expect: 200 });
      await hit(a, 'POST', '/api/alerts/:id/handle', { id: alert.id }, { result: '已督促监护人', falseAlarm: false, photos: [file.id] }, { expect: 200 });
    }
    // the alert feed as JSON (the SSE form is alerts.test.mjs's), every filter of the list, and the map
    await hit(a, 'GET', '/api/alerts/stream', {}, undefined, { expect: 200, query: `?since=${encodeURIComponent(isoUtc(now - 10 * MINUTE))}` });
    await hit(a, 'GET', '/api/alerts', {}, undefined, { expect: 200, query: `?active=true&severity=warning&sourceType=permit&sourceId=${p.id}&venueId=${venue.id}` });
    await hit(a, 'GET', '/api/map', {}, undefined, { expect: 200 });
    await hit(a, 'GET', '/api/map', {}, undefined, { expect: 200, query: '?venueLimit=3' });
    await cast.jumpTo(fin + 30 * MINUTE);
    await hit(cast.fw, 'POST', '/api/permits/:id/rounds', id, { result: 'normal' }, { expect: 200 });
    await cast.jumpTo(fin + 60 * MINUTE);
    await hit(cast.fw, 'POST', '/api/permits/:id/rounds', id, { result: 'normal' }, { expect: 200 });
    await cast.jumpTo(fin + 61 * MINUTE);
    await hit(cast.fw, 'POST', '/api/permits/:id/close', id, { siteClear: true, photos: [file.id] }, { expect: 200 });
    await hit(cast.fw, 'GET', '/api/permits/:id', id, undefined, { expect: 200 });
  } finally {
    await resetServerClock();
  }
  // reject, cancel, revoke on permits of another day
  await cast.relogin();
  const day = Date.now() + 30 * 24 * 60 * MINUTE;
  const other = permitBody({ venueId: venue.id, start: day, end: day + 60 * MINUTE, jobLeaderId: deng.id, approverUserId: vmUser.id, crew });
  const q = (await hit(cast.contractor, 'POST', '/api/permits', {}, other, { expect: 201 })).json;
  await hit(cast.contractor, 'POST', '/api/permits/:id/submit', { id: q.id }, {}, { expect: 200 });
  await hit(cast.vm, 'POST', '/api/permits/:id/reject', { id: q.id }, { reason: '退回' }, { expect: 200 });
  await hit(cast.contractor, 'POST', '/api/permits/:id/cancel', { id: q.id }, { reason: '取消' }, { expect: 200 });
  const r = (await hit(cast.contractor, 'POST', '/api/permits', {}, other, { expect: 201 })).json;
  await hit(admin, 'POST', '/api/permits/:id/revoke', { id: r.id }, { reason: '撤销' }, { expect: 200 });
  await hit(admin, 'POST', '/api/test/clock', {}, { offsetSeconds: 0 }, { expect: 200 });
}

/** Every hazard and report route once: a hazard through the whole loop with 挂牌督办, two public reports (accepted with a
 * reward, and one whose detail lists duplicates, rejected), the public pages, the export and the poster. Two reports
 * from this IP at real time: well within the rate limit. */
async function hazardRoutes() {
  const org = await orgUnits(admin);
  const vm = await login('venue_mgr');
  const venue = await createVenue(admin, org, { managerUserId: vm.user.id });
  const png = await tinyPng([3, 2, 1]);
  const fileId = (await hit(admin, 'POST', '/api/files', {}, png, { expect: 201, contentType: 'image/png' })).json.id;
  await hit(admin, 'GET', '/api/hazard-categories', {}, undefined, { expect: 200 });
  const h = (await hit(admin, 'POST', '/api/hazards', {}, { venueId: venue.id, category: 'other', description: '形状', location: '一楼', photos: [fileId], source: 'patrol' }, { expect: 201 })).json;
  const id = { id: h.id };
  await hit(admin, 'POST', '/api/hazards/:id/assign', id, { responsiblePerson: '形状', responsiblePhone: randomPhone(), funds: 10, interimMeasures: '形状', supervisorOrgUnitId: org.byName.get('商贸发展岗').id }, { expect: 200 });
  await hit(admin, 'GET', '/api/hazards/:id/notice', id, undefined, { expect: 200, binary: true });
  await hit(admin, 'POST', '/api/hazards/:id/supervise', id, { level: 'town', deadline: localDate(30), note: '形状' }, { expect: 200 });
  await hit(vm, 'POST', '/api/hazards/:id/rectify', id, { measures: '形状', photos: [fileId], signedBy: '形状' }, { expect: 200 });
  await hit(admin, 'POST', '/api/hazards/:id/recheck', id, { passed: false, note: '形状' }, { expect: 200 });
  await hit(vm, 'POST', '/api/hazards/:id/rectify', id, { measures: '形状', photos: [fileId], signedBy: '形状' }, { expect: 200 });
  await hit(admin, 'POST', '/api/hazards/:id/recheck', id, { passed: true }, { expect: 200 });
  await hit(admin, 'POST', '/api/hazards/:id/unsupervise', id, { note: '形状' }, { expect: 200 });
  await hit(admin, 'POST', '/api/hazards/:id/reopen', id, { reason: '形状' }, { expect: 200 });
  await hit(admin, 'GET', '/api/hazards/:id', id, undefined, { expect: 200 });
  await hit(vm, 'GET', '/api/hazards', {}, undefined, { expect: 200, query: '?pageSize=20' });
  await hit(admin, 'GET', '/api/hazards', {}, undefined, { expect: 200, query: `?venueId=${venue.id}&state=rectifying&source=patrol` });
  await hit(admin, 'GET', '/api/hazards/summary', {}, undefined, { expect: 200 });
  await hit(admin, 'GET', '/api/hazards/export.xlsx', {}, undefined, { expect: 200, binary: true, query: `?venueId=${venue.id}` });
  await hit(admin, 'GET', '/api/venues/:id/report-poster', { id: venue.id }, undefined, { expect: 200, binary: true });
  // public
  await hit(null, 'GET', '/api/public/venues/:token', { token: venue.qrToken }, undefined, { expect: 200 });
  const pf = (await hit(null, 'POST', '/api/public/files', {}, png, { expect: 201, contentType: 'image/png' })).json;
  const one = (await hit(null, 'POST', '/api/public/reports', {}, { venueToken: venue.qrToken, category: 'blocked_exit', description: '形状', photos: [pf.id], lat: 29.5, lng: 106.5, phone: randomPhone(), deviceId: uid('dev') }, { expect: 201 })).json;
  const two = (await hit(null, 'POST', '/api/public/reports', {}, { venueToken: venue.qrToken, category: 'blocked_exit', description: '形状二' }, { expect: 201 })).json;
  const listed = (await hit(admin, 'GET', '/api/reports', {}, undefined, { expect: 200, query: `?venueId=${venue.id}&state=received` })).json.items;
  const r1 = listed.find((x) => x.trackingCode === one.trackingCode);
  const r2 = listed.find((x) => x.trackingCode === two.trackingCode);
  if (!r1 || !r2) { problems.push('the shapes reports are not in GET /api/reports'); return; }
  await hit(admin, 'POST', '/api/reports/:id/accept', { id: r1.id }, { severity: 'general', description: '形状' }, { expect: 200 });
  await hit(admin, 'POST', '/api/reports/:id/reward', { id: r1.id }, { amount: 50, note: '形状' }, { expect: 200 });
  const detail = (await hit(admin, 'GET', '/api/reports/:id', { id: r2.id }, undefined, { expect: 200 })).json;
  if (!(detail?.duplicates?.length >= 2)) problems.push('GET /api/reports/:id: the duplicates (a report and a hazard) are missing');
  await hit(admin, 'POST', '/api/reports/:id/reject', { id: r2.id }, { reason: '形状' }, { expect: 200 });
  await hit(null, 'GET', '/api/public/reports/:code', { code: one.trackingCode }, undefined, { expect: 200 });
  await hit(null, 'GET', '/api/public/reports/:code', { code: two.trackingCode }, undefined, { expect: 200 });
}

/** Every inspection route once: a template replaced with itself, an inspection planned and recorded with a finding, a grid
 * patrol, a draw (one venue of a type of its own) verified and published, and the public list. */
async function inspectionRoutes() {
  const org = await orgUnits(admin);
  const grid = await login('grid_longfeng');
  const inspector = await login('inspector');
  const templates = (await hit(admin, 'GET', '/api/checklist-templates', {}, undefined, { expect: 200 })).json.items;
  const school = templates.find((t) => t.venueType === 'school') ?? templates[0];
  await hit(admin, 'PUT', '/api/checklist-templates/:venueType', { venueType: school.venueType }, { items: school.items }, { expect: 200 });
  const venue = await createVenue(admin, org, { type: 'welfare_home' });
  const sw = (await login('sw_officer')).user;
  const planned = (await hit(admin, 'POST', '/api/inspections', {}, { venueId: venue.id, kind: 'routine', plannedOn: localDate(1), inspectorIds: [inspector.user.id, sw.id], unannounced: true }, { expect: 201 })).json;
  const results = (planned.checklist ?? []).map((c, i) => ({ code: c.code, passed: i > 0, ...(i === 0 ? { note: '形状' } : {}) }));
  await hit(inspector, 'POST', '/api/inspections/:id/record', { id: planned.id }, { results, findings: [{ category: 'other', description: '形状', location: '一楼' }], summary: '形状', lat: 29.5, lng: 106.5 }, { expect: 200 });
  await hit(inspector, 'GET', '/api/inspections/:id', { id: planned.id }, undefined, { expect: 200 });
  await hit(grid, 'POST', '/api/patrols', {}, { venueId: venue.id, findings: [{ category: 'wiring', description: '形状' }], summary: '形状' }, { expect: 201 });
  await hit(admin, 'GET', '/api/inspections', {}, undefined, { expect: 200, query: `?venueId=${venue.id}&state=done&kind=routine` });
  const draw = (await hit(admin, 'POST', '/api/draws', {}, { name: `形状${uid('d')}`, venueCount: 1, plannedOn: localDate(2), seed: '42', venueTypes: ['welfare_home'], keyPercent: 100, inspectorsPerVenue: 2, conflicts: [{ inspectorId: inspector.user.id, venueId: venue.id }] }, { expect: 201 })).json;
  await hit(admin, 'GET', '/api/draws', {}, undefined, { expect: 200, query: '?pageSize=5' });
  await hit(admin, 'GET', '/api/draws/:id', { id: draw.id }, undefined, { expect: 200 });
  await hit(admin, 'GET', '/api/draws/:id/verify', { id: draw.id }, undefined, { expect: 200 });
  await hit(admin, 'POST', '/api/draws/:id/publish', { id: draw.id }, undefined, { expect: 200 });
  await hit(null, 'GET', '/api/public/draws', {}, undefined, { expect: 200 });
  await hit(admin, 'GET', '/api/inspections', {}, undefined, { expect: 200, query: `?drawId=${draw.id}` });
}

/** Every case route once: a case from a hazard penalized (一案双罚), exposed, withdrawn and closed; another referred, its
 * referral concluded and closed; the public exposure page; a unit marked (with its case) and lifted. */
/** Every 专项行动 route once: deploy, report (as sw_officer, whose department leads), complete, read. */
async function campaignRoutes() {
  const org = await orgUnits(admin);
  const sw = await login('sw_officer');
  const k = (await hit(admin, 'POST', '/api/campaigns', {}, { name: '形状专项', goal: '形状', startsOn: localDate(-1), endsOn: localDate(30),
    phases: [{ name: '形状阶段', from: localDate(-1), to: localDate(30) }],
    tasks: [{ title: '形状任务', content: '形状', leadOrgUnitId: org.byName.get('商贸发展岗').id, helperOrgUnitIds: [org.byName.get('文教体旅岗').id], dueOn: localDate(10) }] },
  { expect: 201 })).json;
  const id = { id: k.tasks[0].id };
  await hit(sw, 'POST', '/api/campaign-tasks/:id/reports', id, { content: '形状', venuesChecked: 2, hazardsFound: 1, hazardsFixed: 0 }, { expect: 201 });
  await hit(sw, 'GET', '/api/campaign-tasks/:id/reports', id, undefined, { expect: 200 });
  await hit(sw, 'POST', '/api/campaign-tasks/:id/complete', id, { summary: '形状' }, { expect: 200 });
  await hit(admin, 'GET', '/api/campaigns/:id', { id: k.id }, undefined, { expect: 200 });
  await hit(admin, 'GET', '/api/campaigns', {}, undefined, { expect: 200 });
}

/** Every 小型工程备案 route once: file, return, correct, accept, guide, finish. */
async function smallProjectRoutes() {
  const org = await orgUnits(admin);
  const venue = await createVenue(admin, org);
  const unit = (await hit(admin, 'POST', '/api/units', {}, unitBody(), { expect: 201 })).json;
  const filing = { venueId: venue.id, unitId: unit.id, orgUnitId: org.byName.get('规建环保岗').id, name: '形状工程', kind: 'rebuild', location: '一层',
    investment: 12, area: 80.5, plannedStart: localDate(1), plannedEnd: localDate(9), hotWorkMethods: ['electric_welding'], fireMeasures: '形状措施',
    siteManager: '形状', sitePhone: randomPhone() };
  await hit(await login('contractor'), 'GET', '/api/lookups/departments', {}, undefined, { expect: 200 });
  const p = (await hit(admin, 'POST', '/api/small-projects', {}, filing, { expect: 201 })).json;
  const id = { id: p.id };
  await hit(admin, 'POST', '/api/small-projects/:id/return', id, { reason: '形状' }, { expect: 200 });
  await hit(admin, 'PUT', '/api/small-projects/:id', id, { ...filing, name: '形状工程改' }, { expect: 200 });
  await hit(admin, 'POST', '/api/small-projects/:id/accept', id, { note: '形状' }, { expect: 200 });
  await hit(admin, 'POST', '/api/small-projects/:id/guide', id, { note: '形状', unannounced: true }, { expect: 200 });
  await hit(admin, 'POST', '/api/small-projects/:id/finish', id, {}, { expect: 200 });
  await hit(admin, 'GET', '/api/small-projects/:id', id, undefined, { expect: 200 });
  await hit(admin, 'GET', '/api/small-projects', {}, undefined, { expect: 200, query: `?venueId=${venue.id}&state=finished&q=${encodeURIComponent('形状')}` });
}

/** Every 供需对接 route once: post, answer, withdraw, answer again, award, done; a second request cancelled; providers. */
async function marketRoutes() {
  const org = await orgUnits(admin);
  const venue = await createVenue(admin, org);
  const unit = (await hit(admin, 'POST', '/api/units', {}, unitBody(), { expect: 201 })).json;
  const person = await createPerson(admin, { unitId: unit.id });
  await createCertificate(admin, person, { validUntil: localDate(400), nextReview: localDate(380) });
  const request = { venueId: venue.id, title: '形状需求', description: '形状', place: '一层', methods: ['electric_welding'], windowStart: localDate(1),
    windowEnd: localDate(5), workersNeeded: 1, budget: 800, contactName: '形状', contactPhone: randomPhone() };
  const r = (await hit(admin, 'POST', '/api/market/requests', {}, request, { expect: 201 })).json;
  const id = { id: r.id };
  const answered = (await hit(admin, 'POST', '/api/market/requests/:id/offers', id, { unitId: unit.id, peopleIds: [person.id], price: 700, note: '形状' }, { expect: 200 })).json;
  const offer = { id: answered.offers[0].id };
  await hit(admin, 'POST', '/api/market/offers/:id/withdraw', offer, {}, { expect: 200 });
  await hit(admin, 'POST', '/api/market/requests/:id/offers', id, { unitId: unit.id, peopleIds: [person.id] }, { expect: 200 });
  await hit(admin, 'POST', '/api/market/offers/:id/accept', offer, {}, { expect: 200 });
  await hit(admin, 'POST', '/api/market/requests/:id/done', id, { note: '形状' }, { expect: 200 });
  await hit(admin, 'POST', '/api/market/requests/:id/rate', id, { rating: 5 }, { expect: 200 });
  await hit(admin, 'GET', '/api/market/requests/:id', id, undefined, { expect: 200 });
  await hit(admin, 'GET', '/api/market/requests', {}, undefined, { expect: 200, query: `?venueId=${venue.id}&state=done&mine=true&q=${encodeURIComponent('形状')}` });
  const r2 = (await admin.post('/api/market/requests', { ...request, budget: null })).json;
  await hit(admin, 'POST', '/api/market/requests/:id/cancel', { id: r2.id }, { reason: '形状' }, { expect: 200 });
  await hit(admin, 'GET', '/api/market/providers', {}, undefined, { expect: 200, query: `?q=${encodeURIComponent(unit.name)}` });
}

/** Every 焊机改造 route once: apply, approve, complete, pay; a trade-in completed; one refused, one cancelled; list, summary. */
async function retrofitRoutes() {
  const unit = (await hit(admin, 'POST', '/api/units', {}, unitBody(), { expect: 201 })).json;
  const stock = async () => (await admin.post('/api/machines', { ...machineBody(unit.id), chipId: null })).json;
  const chip = () => `CHIP${uid('s').replace(/[^a-z0-9]/g, '').toUpperCase()}`;
  const r = (await hit(admin, 'POST', '/api/retrofits', {}, { machineId: (await stock()).id, way: 'retrofit', subsidyRequested: 300, reason: '形状' }, { expect: 201 })).json;
  const id = { id: r.id };
  await hit(admin, 'POST', '/api/retrofits/:id/approve', id, { subsidyGranted: 300, note: '形状' }, { expect: 200 });
  await hit(admin, 'POST', '/api/retrofits/:id/complete', id, { chipId: chip(), insurer: '形状保险', policyNumber: uid('p'), insuredUntil: localDate(300) }, { expect: 200 });
  await hit(admin, 'POST', '/api/retrofits/:id/pay', id, { amount: 300, paidOn: localDate(0), paymentRef: '形状' }, { expect: 200 });
  await hit(admin, 'GET', '/api/retrofits/:id', id, undefined, { expect: 200 });
  const t = (await admin.post('/api/retrofits', { machineId: (await stock()).id, way: 'trade_in' })).json;
  await admin.post(`/api/retrofits/${t.id}/approve`, { subsidyGranted: 0 });
  await hit(admin, 'POST', '/api/retrofits/:id/complete', { id: t.id }, { chipId: chip(), code: makeMachineCode(), kind: 'arc_welder', model: '形状' }, { expect: 200 });
  const x = (await admin.post('/api/retrofits', { machineId: (await stock()).id, way: 'retrofit' })).json;
  await hit(admin, 'POST', '/api/retrofits/:id/reject', { id: x.id }, { note: '形状' }, { expect: 200 });
  const y = (await admin.post('/api/retrofits', { machineId: (await stock()).id, way: 'retrofit' })).json;
  await hit(admin, 'POST', '/api/retrofits/:id/cancel', { id: y.id }, { reason: '形状' }, { expect: 200 });
  await hit(admin, 'GET', '/api/retrofits', {}, undefined, { expect: 200, query: `?unitId=${unit.id}&state=done&way=retrofit&q=${encodeURIComponent(r.number)}` });
  await hit(admin, 'GET', '/api/retrofits', {}, undefined, { expect: 200, query: '?unpaid=true' });
  await hit(admin, 'GET', '/api/retrofits/summary', {}, undefined, { expect: 200 });
  const standards = (await hit(admin, 'GET', '/api/retrofits/standards', {}, undefined, { expect: 200 })).json;
  await hit(admin, 'PUT', '/api/retrofits/standards', {}, standards, { expect: 200 });
  await hit(admin, 'GET', '/api/retrofits/export.xlsx', {}, undefined, { expect: 200, binary: true, query: `?unitId=${unit.id}` });
}

/** Every 培训与约谈 route once: record, correct, read, list with every filter, summary. */
async function meetingRoutes() {
  const org = await orgUnits(admin);
  const venue = await createVenue(admin, org);
  const unit = (await hit(admin, 'POST', '/api/units', {}, unitBody(), { expect: 201 })).json;
  const person = await createPerson(admin, { unitId: unit.id });
  const body = { kind: 'interview', title: '形状约谈', orgUnitId: org.byName.get('商贸发展岗').id, heldOn: localDate(-1), place: '形状', content: '形状',
    headcount: 3, venueIds: [venue.id], unitIds: [unit.id], personIds: [person.id] };
  const m = (await hit(admin, 'POST', '/api/meetings', {}, body, { expect: 201 })).json;
  await hit(admin, 'PUT', '/api/meetings/:id', { id: m.id }, { ...body, kind: 'training', headcount: null }, { expect: 200 });
  await hit(admin, 'GET', '/api/meetings/:id', { id: m.id }, undefined, { expect: 200 });
  await hit(admin, 'GET', '/api/meetings', {}, undefined, { expect: 200,
    query: `?kind=training&orgUnitId=${body.orgUnitId}&venueId=${venue.id}&unitId=${unit.id}&personId=${person.id}&from=${localDate(-2)}&to=${localDate(0)}&q=${encodeURIComponent('形状')}` });
  await hit(admin, 'GET', '/api/meetings/summary', {}, undefined, { expect: 200, query: `?from=${localDate(-2)}&to=${localDate(0)}` });
}

async function caseRoutes() {
  const org = await orgUnits(admin);
  const venue = await createVenue(admin, org);
  const unit = (await hit(admin, 'POST', '/api/units', {}, unitBody(), { expect: 201 })).json;
  const h = (await admin.post('/api/hazards', { venueId: venue.id, category: 'other', description: '形状案件来源' })).json;
  if (!h?.id) { problems.push('caseRoutes: the source hazard could not be created'); return; }
  const k = (await hit(admin, 'POST', '/api/cases', {}, { sourceType: 'hazard', sourceId: h.id, venueId: venue.id, unitId: unit.id, partyName: '形状单位', responsiblePersons: [{ name: '邓形状', role: '主要负责人' }], title: '形状案由', facts: '形状事实', legalBasis: '《消防法》第六十条' }, { expect: 201 })).json;
  const id = { id: k.id };
  await hit(admin, 'GET', '/api/cases', {}, undefined, { expect: 200, query: `?venueId=${venue.id}&state=open&q=${encodeURIComponent('形状')}` });
  await hit(admin, 'POST', '/api/cases/:id/penalize', id, { decisionNumber: '形状罚决字〔2026〕1号', decidedOn: localDate(0), unitPenalty: { kind: 'fine', amount: 30000, note: '形状' }, personPenalties: [{ name: '邓形状', role: '主要负责人', kind: 'fine', amount: 5000, note: '形状' }, { name: '李形状', role: '直接责任人员', kind: 'warning' }] }, { expect: 200 });
  const exposed = (await hit(admin, 'POST', '/api/cases/:id/expose', id, { title: '邓形状违法动火', summary: '邓形状（13812345678）未履行消防安全职责' }, { expect: 200 })).json;
  await hit(null, 'GET', '/api/public/exposures', {}, undefined, { expect: 200 });
  if (!exposed?.exposure?.id) problems.push('POST /api/cases/:id/expose: no exposure id');
  else await hit(admin, 'POST', '/api/exposures/:id/withdraw', { id: exposed.exposure.id }, undefined, { expect: 200 });
  await hit(admin, 'POST', '/api/cases/:id/close', id, { note: '形状' }, { expect: 200 });
  await hit(admin, 'GET', '/api/cases/:id', id, undefined, { expect: 200 });
  const k2 = (await hit(admin, 'POST', '/api/cases', {}, { sourceType: 'other', venueId: venue.id, title: '形状案由二', facts: '形状事实' }, { expect: 201 })).json;
  await hit(admin, 'POST', '/api/cases/:id/refer', { id: k2.id }, { department: '区消防救援支队', note: '形状' }, { expect: 200 });
  await hit(admin, 'POST', '/api/cases/:id/referral', { id: k2.id }, { status: 'concluded', result: '形状' }, { expect: 200 });
  await hit(admin, 'GET', '/api/cases/:id', { id: k2.id }, undefined, { expect: 200 });
  await hit(admin, 'POST', '/api/cases/:id/close', { id: k2.id }, {}, { expect: 200 });
  await hit(admin, 'GET', '/api/cases', {}, undefined, { expect: 200, query: '?pageSize=20' });
  const mark = (await hit(admin, 'POST', '/api/units/:id/credit-marks', { id: unit.id }, { reason: '形状', caseId: k.id }, { expect: 201 })).json;
  await hit(admin, 'GET', '/api/credit-marks', {}, undefined, { expect: 200, query: `?unitId=${unit.id}&active=true` });
  await hit(admin, 'POST', '/api/credit-marks/:id/lift', { id: mark.id }, { reason: '形状' }, { expect: 200 });
  await hit(admin, 'GET', '/api/credit-marks', {}, undefined, { expect: 200, query: '?pageSize=20' });

  // notifications (the admin has some from the demo's alerts) and webhooks (to a port nobody listens on)
  const mine = (await hit(admin, 'GET', '/api/notifications', {}, undefined, { expect: 200, query: '?pageSize=5' })).json;
  await hit(admin, 'GET', '/api/notifications/unread', {}, undefined, { expect: 200 });
  if (mine?.items?.length) await hit(admin, 'POST', '/api/notifications/:id/read', { id: mine.items[0].id }, undefined, { expect: 200 });
  else problems.push('GET /api/notifications: the demo admin has no notification to read');
  await hit(admin, 'POST', '/api/notifications/read-all', {}, undefined, { expect: 200 });
  const hook = (await hit(admin, 'POST', '/api/webhooks', {}, { name: '形状推送', url: 'http://127.0.0.1:9/hook?key=0123456789abc', format: 'json', events: ['hazard.assigned'], secret: 's', siteUrl: 'https://huoyan.example.cn', enabled: true }, { expect: 201 })).json;
  await hit(admin, 'PUT', '/api/webhooks/:id', { id: hook.id }, { enabled: false }, { expect: 200 });
  await hit(admin, 'POST', '/api/webhooks/:id/test', { id: hook.id }, undefined, { expect: 200 });
  await hit(admin, 'GET', '/api/webhooks', {}, undefined, { expect: 200 });
  await hit(admin, 'GET', '/api/webhooks/:id/deliveries', { id: hook.id }, undefined, { expect: 200, query: '?state=failed' });
  await hit(admin, 'DELETE', '/api/webhooks/:id', { id: hook.id }, undefined, { expect: 200 });
}

test('error answers carry codes the spec documents for that route and status', async () => {
  const aud = await login('auditor');
  const anon = null;
  for (const r of serverRoutes()) {
    const method = r.method.toUpperCase();
    if (r.path === '/healthz' || r.path === '/metrics') continue;
    const params = { id: MISSING_ID, code: 'zz_no_such_type', year: 2099, token: 'zzNoSuchToken0', venueType: 'zz_no_such_type' };
    const body = method === 'GET' ? undefined : {};
    if (r.path !== '/api/auth/login') await hit(anon, method, r.path, params, body); // 401
    if (r.permission) await hit(aud, method, r.path, params, body); // 403 FORBIDDEN or allowed
    if (method !== 'GET' && r.path !== '/api/auth/logout') {
      await hit(admin, method, r.path, params, body); // 400 REQUIRED / 404
      await hit(admin, method, r.path, params, { zzUnknown: 1 }); // 400 UNKNOWN_FIELD (or 404)
    } else if (method === 'GET' && r.path.includes(':')) {
      await hit(admin, method, r.path, params); // 404
    }
  }
  assert.deepEqual(problems.splice(0), [], 'error answers that differ from docs/openapi.yaml');
});
