// Public reports (互联网+举报, docs/api-hazards.md): a citizen scans a venue's QR code and reports without an account
// (anonymously or with a phone), uploads photos (metadata stripped), follows the report by its tracking code; officials
// triage (duplicates, accept → hazard, reject with a reason, reward only when accepted); overdue triage is escalated by
// the timers; the reporter's phone never reaches the venue.
//
// Rate limits (10 reports per IP and 5 per deviceId an hour, 30 photos per IP an hour) count on the server's clock, and
// every test runs from 127.0.0.1 against a server shared with the other files. So each test that creates reports or
// photos does so at its own hour of the test clock, ahead of real time (T0 + 2 h, + 4 h, …), where the hits of other
// files (made at real time) are out of the window; the rate-limit test runs last, and at the end the clock jumps past
// every hour used here, so that the timers purge this file's hits (they are "in the future" for real time) before the
// clock goes back to real time for the next file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  login, request, describe, expectError, expectStatus, listAll, uid, orgUnits, createVenue, maskPhone, randomPhone, MISSING_ID,
  Cast, resetServerClock, serverClockTo, restDayChecker, localDateOf, addDays, tinyJpeg, tinyPng, HOUR, MINUTE, isoUtc, sqlOk,
  assertSealed,
} from './lib.mjs';

const T0 = Date.now();
const slot = (hours) => T0 + hours * HOUR;
const LAST_SLOT_HOURS = 13;
const cast = new Cast();
let org, venues, isRest;

before(async () => {
  await cast.add('admin', 'admin');
  await cast.add('sw', 'sw_officer');
  await cast.add('wj', 'wj_officer');
  await cast.add('vm', 'venue_mgr');
  await cast.add('inspector', 'inspector');
  await cast.add('contractor', 'contractor');
  org = await orgUnits(cast.admin);
  isRest = await restDayChecker(cast.admin);
  venues = {
    sw: await createVenue(cast.admin, org, { name: `举报测试超市${uid('v')}`, managerUserId: cast.vm.user.id }),
    wj: await createVenue(cast.admin, org, { name: `举报测试书店${uid('v')}`, supervisorOrgUnitIds: [org.byName.get('文教体旅岗').id] }),
  };
});

after(async () => {
  // purge this file's rate-limit hits (see above), then real time again
  try {
    await serverClockTo(slot(LAST_SLOT_HOURS + 3));
  } finally {
    await resetServerClock();
  }
});

function addWorkingDays(from, n) {
  let d = from;
  for (let counted = 0, i = 0; counted < n && i < 400; i++) {
    d = addDays(d, 1);
    if (!isRest(d)) counted++;
  }
  return d;
}
const publicPost = (path, body, contentType) => request('POST', path, { body, contentType });
async function submit(body) {
  const res = await publicPost('/api/public/reports', body);
  assert.equal(res.status, 201, `public report: ${describe(res)}`);
  assert.equal(typeof res.json.trackingCode, 'string');
  assert.ok(res.json.trackingCode.length >= 6, `tracking code ${res.json.trackingCode} is short enough to guess`);
  return res.json;
}
async function publicUpload(bytes, type) {
  return publicPost('/api/public/files', bytes, type);
}
/** The triage record of a tracking code (admin sees every report). */
async function byCode(code) {
  const all = await listAll(cast.admin, '/api/reports?state=received');
  const r = all.find((x) => x.trackingCode === code) ?? (await listAll(cast.admin, '/api/reports')).find((x) => x.trackingCode === code);
  assert.ok(r, `report ${code} not in the triage list`);
  return r;
}
const reportBody = (over = {}) => ({ venueToken: venues.sw.qrToken, category: 'blocked_exit', description: `安全出口被锁闭 ${uid('d')}`, ...over });

test('public venue by QR token: name, address and the categories, nothing else; unknown token → 404', async () => {
  const res = await request('GET', `/api/public/venues/${encodeURIComponent(venues.sw.qrToken)}`);
  const v = expectStatus(res, 200);
  assert.deepEqual(Object.keys(v).sort(), ['address', 'categories', 'name']);
  assert.equal(v.name, venues.sw.name);
  assert.equal(v.address, venues.sw.address);
  assert.ok(v.categories.length >= 5);
  for (const c of v.categories) assert.deepEqual(Object.keys(c).sort(), ['code', 'label']);
  assert.ok(v.categories.some((c) => c.code === 'blocked_exit'));
  assert.ok(!res.text.includes(venues.sw.principalPhone), 'the public venue shows the principal phone');
  expectError(await request('GET', '/api/public/venues/zzNoSuchVenueToken0'), 404, 'NOT_FOUND');
  expectError(await request('GET', '/api/public/reports/ZZZZZZZZ'), 404, 'NOT_FOUND');
});

test('report poster: an A4 HTML page with the venue name and an SVG QR code, within venue:read and scope', async () => {
  for (const c of [cast.admin, cast.vm, cast.sw]) {
    const res = await c.get(`/api/venues/${venues.sw.id}/report-poster`);
    assert.equal(res.status, 200, describe(res));
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    assert.ok(res.text.includes(venues.sw.name), 'the poster lacks the venue name');
    assert.match(res.text, /<svg[\s>]/, 'the poster has no SVG QR code');
  }
  expectError(await cast.wj.get(`/api/venues/${venues.sw.id}/report-poster`), 404, 'NOT_FOUND');
  expectError(await cast.admin.get(`/api/venues/${MISSING_ID}/report-poster`), 404, 'NOT_FOUND');
  expectError(await cast.contractor.get(`/api/venues/${venues.sw.id}/report-poster`), 403, 'FORBIDDEN');
  expectError(await request('GET', `/api/venues/${venues.sw.id}/report-poster`), 401, 'UNAUTHENTICATED');
});

test('validation: category, description, a venue (token or name), phone, photos, position', async () => {
  const base = reportBody();
  const without = (k) => { const b = { ...base }; delete b[k]; return b; };
  expectError(await publicPost('/api/public/reports', without('category')), 400, 'REQUIRED', 'category');
  expectError(await publicPost('/api/public/reports', { ...base, category: 'zz_no_such_category' }), 400, 'INVALID_VALUE', 'category');
  expectError(await publicPost('/api/public/reports', without('description')), 400, 'REQUIRED', 'description');
  expectError(await publicPost('/api/public/reports', { ...base, description: '   ' }), 400, 'REQUIRED', 'description');
  const noVenue = await publicPost('/api/public/reports', without('venueToken'));
  expectError(noVenue, 400, 'REQUIRED');
  assert.ok(['venueName', 'venueToken'].includes(noVenue.json.field), `field ${noVenue.json.field}`);
  expectError(await publicPost('/api/public/reports', { ...base, venueToken: 'zzNoSuchVenueToken0' }), 400, 'VENUE_NOT_FOUND', 'venueToken');
  expectError(await publicPost('/api/public/reports', { ...base, phone: '12345' }), 400, 'INVALID_VALUE', 'phone');
  expectError(await publicPost('/api/public/reports', { ...base, photos: ['zzNoSuchFile000000000000'] }), 400, 'FILE_NOT_FOUND', 'photos');
  expectError(await publicPost('/api/public/reports', { ...base, lat: 95, lng: 106.5 }), 400, 'INVALID_VALUE', 'lat');
  expectError(await publicPost('/api/public/reports', { ...base, description: '长'.repeat(1001) }), 400, 'TOO_LONG', 'description');
  expectError(await publicPost('/api/public/reports', { ...base, reporterName: '张三' }), 400, 'UNKNOWN_FIELD', 'reporterName');
});

test('public photos: media type, content decides, text as .jpg, oversize, truncated JPEG; EXIF stripped', async () => {
  try {
    await cast.jumpTo(slot(2));
    const png = await tinyPng([4, 5, 6]);
    expectError(await publicUpload(png, 'text/plain'), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectError(await publicUpload(png, 'image/gif'), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectError(await publicUpload(new TextEncoder().encode('{"a":1}'), 'application/json'), 415, 'UNSUPPORTED_MEDIA_TYPE');
    // a PNG declared as JPEG: recognised by its content — either stored as the PNG it is, or refused as a mismatch
    const declared = await publicUpload(png, 'image/jpeg');
    if (declared.status === 201) {
      const back = await cast.admin.get(`/api/files/${declared.json.id}`);
      assert.equal(back.status, 200, describe(back));
      assert.equal((back.headers.get('content-type') ?? '').split(';')[0], 'image/png', 'a PNG is served as something else');
    } else {
      expectError(declared, 400, 'FILE_TYPE_MISMATCH');
    }
    // a text file "photo.jpg", a truncated JPEG, a JPEG with its header only
    expectError(await publicUpload(new TextEncoder().encode('this is not a photo, just text named photo.jpg\n'), 'image/jpeg'), 400, 'FILE_TYPE_MISMATCH');
    const jpeg = tinyJpeg();
    expectError(await publicUpload(jpeg.subarray(0, jpeg.length - 2), 'image/jpeg'), 400, 'FILE_TYPE_MISMATCH');
    expectError(await publicUpload(jpeg.subarray(0, 40), 'image/jpeg'), 400, 'FILE_TYPE_MISMATCH');
    // over 5 MB
    const big = new Uint8Array(5 * 1024 * 1024 + 1);
    big.set(jpeg.subarray(0, 2));
    let res;
    try {
      res = await publicUpload(big, 'image/jpeg');
    } catch (e) {
      assert.fail(`over 5 MB: the connection failed instead of an answer (${e.cause?.code ?? e.message})`);
    }
    expectError(res, 413, 'BODY_TOO_LARGE');
    // EXIF (APP1) with a marker string right after SOI: stripped, the JPEG still whole
    const marker = `HUOYAN-EXIF-MARKER-${uid('x')}`;
    const exif = Buffer.concat([Buffer.from('Exif\0\0MM\0*\0\0\0\x08', 'latin1'), Buffer.from(`GPS 29.58N 106.55E ${marker}`, 'latin1')]);
    const withExif = new Uint8Array([0xff, 0xd8, 0xff, 0xe1, (exif.length + 2) >> 8, (exif.length + 2) & 0xff, ...exif, ...jpeg.subarray(2)]);
    assert.ok(Buffer.from(withExif).includes(marker));
    const up = await publicUpload(withExif, 'image/jpeg');
    assert.equal(up.status, 201, describe(up));
    assert.equal(typeof up.json.id, 'string');
    assert.ok(up.json.id.length >= 16, 'file id short enough to guess');
    expectError(await request('GET', `/api/files/${up.json.id}`), 401, 'UNAUTHENTICATED');
    const got = await cast.admin.get(`/api/files/${up.json.id}`);
    assert.equal(got.status, 200, describe(got));
    assert.equal((got.headers.get('content-type') ?? '').split(';')[0], 'image/jpeg');
    const b = Buffer.from(got.bytes);
    assert.ok(!b.includes(marker), 'the EXIF marker is still in the stored photo');
    assert.ok(!b.includes(Buffer.from('Exif\0\0', 'latin1')), 'an Exif segment is still in the stored photo');
    assert.deepEqual([...b.subarray(0, 2)], [0xff, 0xd8], 'the stored photo does not start with SOI');
    assert.deepEqual([...b.subarray(b.length - 2)], [0xff, 0xd9], 'the stored photo does not end with EOI');
    assert.ok(b.length < withExif.length, 'nothing was stripped');
    if (up.json.size !== undefined) assert.equal(up.json.size, b.length, 'size is not the stored size');
  } finally {
    await resetServerClock();
    await cast.relogin();
  }
});

test('report, follow, triage: duplicates, accept → hazard, reject with a reason, reward only when accepted; phones stay hidden', async () => {
  let now;
  try {
    now = await cast.jumpTo(slot(2.5));
    const phone = randomPhone();
    const device = uid('dev');
    const photo = await publicUpload(await tinyPng([7, 8, 9]), 'image/png');
    assert.equal(photo.status, 201, describe(photo));
    // A: with a phone and a photo; B: anonymous, same venue and category (a duplicate); C: only a typed place; D: another department
    const a = await submit(reportBody({ phone, photos: [photo.json.id], lat: 29.58, lng: 106.55, deviceId: device }));
    const b = await submit(reportBody());
    const c = await submit({ venueName: `金凤路口小区${uid('p')}`, category: 'ebike_charging', description: '楼道内给电动车充电' });
    const d = await submit(reportBody({ venueToken: venues.wj.qrToken, category: 'wiring', description: '电线乱拉乱接' }));
    // 24 h for a blocked exit; three working days (to the end of the day) otherwise
    assert.ok(Math.abs(Date.parse(a.verifyBy) - (now + 24 * HOUR)) < 2 * MINUTE, `verifyBy ${a.verifyBy} is not 24 h after ${isoUtc(now)}`);
    assert.equal(localDateOf(Date.parse(c.verifyBy)), addWorkingDays(localDateOf(now), 3), `verifyBy ${c.verifyBy}: not the third working day`);

    // the public status: no reporter data
    const statusA = await request('GET', `/api/public/reports/${a.trackingCode}`);
    const sa = expectStatus(statusA, 200);
    assert.deepEqual(Object.keys(sa).sort(), ['category', 'categoryLabel', 'createdAt', 'description', 'hazardState', 'hazardStateLabel', 'result',
      'state', 'stateLabel', 'trackingCode', 'venueName', 'verifyBy'].sort());
    assert.equal(sa.state, 'received');
    assert.equal(sa.stateLabel, '待核查');
    assert.equal(sa.venueName, venues.sw.name);
    assert.equal(sa.hazardState, null);
    assert.equal(sa.verifyBy, a.verifyBy);
    for (const secret of [phone, maskPhone(phone), device, '29.58']) assert.ok(!statusA.text.includes(secret), `the public status shows ${secret}`);

    // triage records: phone masked for triage staff, null when anonymous
    const ra = await byCode(a.trackingCode);
    const rb = await byCode(b.trackingCode);
    const rc = await byCode(c.trackingCode);
    const rd = await byCode(d.trackingCode);
    assert.equal(ra.phone, maskPhone(phone));
    assert.equal(ra.anonymous, false);
    assertSealed(sqlOk(`SELECT phone FROM public_reports WHERE id = ${ra.id}`), phone);
    assert.equal(rb.phone, null);
    assert.equal(rb.anonymous, true);
    assert.equal(ra.venueId, venues.sw.id);
    assert.equal(rc.venueId, null);
    assert.deepEqual(ra.photos, [photo.json.id]);
    assert.equal(ra.state, 'received');
    assert.equal(ra.overdue, false);
    assert.equal(ra.reward, null);
    for (const client of [cast.admin, cast.sw]) {
      const res = await client.get(`/api/reports/${ra.id}`);
      assert.equal(res.status, 200, describe(res));
      assert.equal(res.json.phone, maskPhone(phone), `${client.username}: phone not masked`);
      assert.ok(!res.text.includes(phone), `${client.username} sees the reporter's full phone`);
    }
    // scope: 商贸发展岗 triages reports of its venues only; reports without a venue are the task force's
    const swIds = new Set((await listAll(cast.sw, '/api/reports')).map((x) => x.id));
    assert.ok(swIds.has(ra.id) && swIds.has(rb.id), 'sw_officer misses reports of its venue');
    assert.ok(!swIds.has(rd.id), 'sw_officer sees a report of a 文教体旅岗 venue');
    assert.ok(!swIds.has(rc.id), 'sw_officer sees a report without a venue');
    expectError(await cast.sw.get(`/api/reports/${rd.id}`), 404, 'NOT_FOUND');
    expectError(await cast.sw.post(`/api/reports/${rd.id}/reject`, { reason: '不在本岗位' }), 404, 'NOT_FOUND');
    assert.ok((await listAll(cast.wj, '/api/reports')).some((x) => x.id === rd.id), 'wj_officer misses a report of its venue');
    const filtered = await listAll(cast.admin, `/api/reports?venueId=${venues.sw.id}&state=received`);
    assert.ok(filtered.some((x) => x.id === ra.id) && filtered.every((x) => x.venueId === venues.sw.id && x.state === 'received'));
    // who may triage
    for (const client of [cast.vm, cast.inspector, cast.contractor]) {
      expectError(await client.get('/api/reports'), 403, 'FORBIDDEN');
      expectError(await client.get(`/api/reports/${ra.id}`), 403, 'FORBIDDEN');
    }
    expectError(await cast.inspector.post(`/api/reports/${ra.id}/accept`, {}), 403, 'FORBIDDEN');

    // duplicates: the same venue and category within 7 days
    const db = await cast.sw.getOk(`/api/reports/${rb.id}`);
    assert.ok(db.duplicates.some((x) => x.type === 'report' && x.id === ra.id && x.trackingCode === a.trackingCode), `duplicates of B: ${JSON.stringify(db.duplicates)}`);
    const dd = await cast.admin.getOk(`/api/reports/${rd.id}`);
    assert.ok(!dd.duplicates.some((x) => x.id === ra.id || x.id === rb.id), 'a report of another venue and category is a duplicate');

    // accept A → a hazard from the report
    const acc = await cast.sw.post(`/api/reports/${ra.id}/accept`, {});
    assert.equal(acc.status, 200, describe(acc));
    const { report: accepted, hazard } = acc.json;
    assert.equal(accepted.state, 'accepted');
    assert.equal(accepted.stateLabel, '已受理');
    assert.equal(accepted.hazardId, hazard.id);
    assert.equal(hazard.source, 'report');
    assert.equal(hazard.sourceLabel, '举报');
    assert.equal(hazard.reportId, ra.id);
    assert.equal(hazard.state, 'reported');
    assert.equal(hazard.venueId, venues.sw.id);
    assert.equal(hazard.category, 'blocked_exit');
    expectError(await cast.sw.post(`/api/reports/${ra.id}/accept`, {}), 409, 'REPORT_STATE_INVALID');
    expectError(await cast.sw.post(`/api/reports/${ra.id}/reject`, { reason: '重复' }), 409, 'REPORT_STATE_INVALID');
    let st = await request('GET', `/api/public/reports/${a.trackingCode}`);
    assert.equal(st.json.state, 'accepted');
    assert.equal(st.json.hazardState, 'reported');
    assert.equal(st.json.hazardStateLabel, '待交办');
    const assigned = await cast.sw.post(`/api/hazards/${hazard.id}/assign`, { responsiblePerson: '冯建华' });
    assert.equal(assigned.status, 200, describe(assigned));
    st = await request('GET', `/api/public/reports/${a.trackingCode}`);
    assert.equal(st.json.hazardState, 'rectifying', 'the public status does not follow the hazard');
    assert.equal(st.json.hazardStateLabel, '整改中');
    assert.ok(!st.text.includes(phone) && !st.text.includes(maskPhone(phone)));
    // B's duplicates now name the hazard
    const db2 = await cast.sw.getOk(`/api/reports/${rb.id}`);
    assert.ok(db2.duplicates.some((x) => x.type === 'hazard' && x.id === hazard.id && x.number === hazard.number), `duplicates of B: ${JSON.stringify(db2.duplicates)}`);

    // the venue manager sees the hazard, never the reporter's phone
    const vmTexts = [
      (await cast.vm.get(`/api/hazards/${hazard.id}`)).text,
      (await cast.vm.get(`/api/hazards?venueId=${venues.sw.id}&pageSize=200`)).text,
      (await cast.vm.get(`/api/hazards?q=${encodeURIComponent(hazard.number)}`)).text,
    ];
    assert.ok(vmTexts[0].includes(hazard.number), 'venue_mgr does not see the hazard of its venue');
    for (const t of vmTexts) {
      assert.ok(!t.includes(phone) && !t.includes(maskPhone(phone)), 'venue_mgr sees the reporter phone in a hazard answer');
    }

    // reject B: a reason is required and becomes the public result
    expectError(await cast.sw.post(`/api/reports/${rb.id}/reject`, {}), 400, 'REQUIRED', 'reason');
    const rej = await cast.sw.post(`/api/reports/${rb.id}/reject`, { reason: '经现场核查，安全出口已开启' });
    assert.equal(rej.status, 200, describe(rej));
    assert.equal(rej.json.state, 'rejected');
    assert.ok(rej.json.result.includes('经现场核查，安全出口已开启'));
    const sb = (await request('GET', `/api/public/reports/${b.trackingCode}`)).json;
    assert.equal(sb.state, 'rejected');
    assert.equal(sb.stateLabel, '不予受理');
    assert.ok(sb.result.includes('经现场核查，安全出口已开启'), `public result: ${sb.result}`);
    assert.equal(sb.hazardState, null);
    expectError(await cast.sw.post(`/api/reports/${rb.id}/accept`, {}), 409, 'REPORT_STATE_INVALID');

    // reward: only an accepted report
    expectError(await cast.sw.post(`/api/reports/${rb.id}/reward`, { amount: 100 }), 409, 'REPORT_STATE_INVALID');
    expectError(await cast.sw.post(`/api/reports/${rd.id}/reward`, { amount: 100 }), 404, 'NOT_FOUND');
    expectError(await cast.admin.post(`/api/reports/${rd.id}/reward`, { amount: 100 }), 409, 'REPORT_STATE_INVALID');
    expectError(await cast.sw.post(`/api/reports/${ra.id}/reward`, {}), 400, 'REQUIRED', 'amount');
    expectError(await cast.sw.post(`/api/reports/${ra.id}/reward`, { amount: -5 }), 400, 'INVALID_VALUE', 'amount');
    const rew = await cast.sw.post(`/api/reports/${ra.id}/reward`, { amount: 200, note: '举报属实' });
    assert.equal(rew.status, 200, describe(rew));
    assert.equal(rew.json.reward?.amount, 200);
    assert.equal(rew.json.reward.note, '举报属实');

    // 重大 on accept needs the decision record; a report without a venue cannot become a hazard
    expectError(await cast.wj.post(`/api/reports/${rd.id}/accept`, { severity: 'major' }), 400, 'MAJOR_NEEDS_DECISION', 'decisionRecord');
    const major = await cast.wj.post(`/api/reports/${rd.id}/accept`, { severity: 'major', decisionRecord: '专班集体研究认定为重大火灾隐患', description: '配电箱周边电线乱拉乱接' });
    assert.equal(major.status, 200, describe(major));
    assert.equal(major.json.hazard.severity, 'major');
    assert.equal(major.json.hazard.description, '配电箱周边电线乱拉乱接');
    const noVenue = await cast.admin.post(`/api/reports/${rc.id}/accept`, {});
    assert.equal(noVenue.status, 400, `a report without a venue became a hazard: ${describe(noVenue)}`);
    assert.equal((await cast.admin.getOk(`/api/reports/${rc.id}`)).state, 'received');

    // audit: each triage command, and never the reporter's phone
    const logs = (await listAll(cast.admin, `/api/audit-logs?from=${encodeURIComponent(isoUtc(now - MINUTE))}`))
      .filter((l) => [ra.id, rb.id, rd.id].map(String).includes(l.targetId) && /report/.test(l.targetType));
    const acts = logs.map((l) => `${l.username}:${l.action}`);
    for (const [user, re] of [['sw_officer', /accept/], ['sw_officer', /reject/], ['sw_officer', /reward/], ['wj_officer', /accept/]]) {
      assert.ok(logs.some((l) => l.username === user && re.test(l.action)), `no audit row ${user} ${re}: ${acts}`);
    }
    assert.ok(!JSON.stringify(logs).includes(phone), 'the audit log holds the reporter phone');
    // a bad filter value: 400 INVALID_VALUE naming the parameter (as for every list)
    expectError(await cast.admin.get('/api/reports?state=nonsense'), 400, 'INVALID_VALUE', 'state');
    expectError(await cast.admin.get('/api/reports?overdue=maybe'), 400, 'INVALID_VALUE', 'overdue');
  } finally {
    await resetServerClock();
    await cast.relogin();
  }
});

test('overdue triage is escalated: 24 h for a blocked exit, 3 working days otherwise', async () => {
  try {
    const now = await cast.jumpTo(slot(4));
    const blocked = await submit(reportBody({ description: '消防通道被锁' }));
    const other = await submit(reportBody({ category: 'wiring', description: '电线乱拉' }));
    const verifyOther = Date.parse(other.verifyBy);
    assert.equal(localDateOf(verifyOther), addWorkingDays(localDateOf(now), 3));
    assert.ok(verifyOther > Date.parse(blocked.verifyBy));
    const rb = await byCode(blocked.trackingCode);
    const ro = await byCode(other.trackingCode);
    assert.equal(rb.overdue, false);
    // just before: nothing
    await cast.jumpTo(Date.parse(blocked.verifyBy) - 2 * MINUTE);
    assert.equal((await cast.admin.getOk(`/api/reports/${rb.id}`)).overdue, false, 'overdue before its time limit');
    // just after 24 h: the blocked exit is overdue, with an alert; the other one is not yet
    await cast.jumpTo(Date.parse(blocked.verifyBy) + 2 * MINUTE);
    assert.equal((await cast.admin.getOk(`/api/reports/${rb.id}`)).overdue, true, 'not overdue 24 h later');
    assert.equal((await cast.admin.getOk(`/api/reports/${ro.id}`)).overdue, false, 'a 3-working-day report overdue after 24 h');
    const overdue = await listAll(cast.sw, `/api/reports?overdue=true&venueId=${venues.sw.id}`);
    assert.ok(overdue.some((x) => x.id === rb.id), 'overdue=true does not find it');
    assert.ok(overdue.every((x) => x.overdue === true));
    assert.ok(!overdue.some((x) => x.id === ro.id));
    for (const c of [cast.admin, cast.sw]) {
      const alerts = (await listAll(c, `/api/alerts?sourceType=report&sourceId=${rb.id}`)).filter((x) => x.sourceId === String(rb.id));
      assert.equal(alerts.length, 1, `${c.username}: alerts for the overdue report: ${JSON.stringify(alerts).slice(0, 300)}`);
      assert.equal(alerts[0].kind, 'report_overdue');
      assert.equal(alerts[0].sourceType, 'report');
      assert.equal(alerts[0].venueId, venues.sw.id);
    }
    assert.equal((await listAll(cast.wj, `/api/alerts?sourceType=report&sourceId=${rb.id}`)).length, 0, 'wj_officer sees the alert of another department');
    assert.equal((await listAll(cast.admin, `/api/alerts?sourceType=report&sourceId=${ro.id}`)).length, 0, 'an alert before the time limit');
    // after the third working day the other one too
    await cast.jumpTo(verifyOther + 2 * MINUTE);
    assert.equal((await cast.admin.getOk(`/api/reports/${ro.id}`)).overdue, true, 'not overdue after three working days');
    assert.equal((await listAll(cast.admin, `/api/alerts?sourceType=report&sourceId=${ro.id}`)).length, 1);
    // triaging it ends the overdue state
    const rej = await cast.sw.post(`/api/reports/${ro.id}/reject`, { reason: '已核实，不属于火灾隐患' });
    assert.equal(rej.status, 200, describe(rej));
    assert.equal(rej.json.overdue, false, 'a triaged report stays overdue');
  } finally {
    await resetServerClock();
    await cast.relogin();
  }
});

// LAST in this file: it fills the limits. Each limit in an hour of its own on the test clock.
test('rate limits: 11th report from one IP in an hour → 429, the window moves with the server clock; 5 per deviceId; 30 photos', async () => {
  try {
    // per IP
    await serverClockTo(slot(6));
    const body = (i, over = {}) => ({ venueName: `限流测试地点${i}`, category: 'other', description: `限流测试 ${i}`, ...over });
    for (let i = 1; i <= 10; i++) {
      const res = await publicPost('/api/public/reports', body(i, { deviceId: uid('dev') }));
      assert.equal(res.status, 201, `report ${i} of 10: ${describe(res)}`);
    }
    expectError(await publicPost('/api/public/reports', body(11, { deviceId: uid('dev') })), 429, 'RATE_LIMITED');
    expectError(await publicPost('/api/public/reports', body(12)), 429, 'RATE_LIMITED');
    // a refused report is not counted, a bad one is refused for what it is
    expectError(await publicPost('/api/public/reports', { ...body(13), category: 'zz_no_such_category' }), 400, 'INVALID_VALUE', 'category');
    await serverClockTo(slot(6) + 61 * MINUTE);
    const again = await publicPost('/api/public/reports', body(14));
    assert.equal(again.status, 201, `an hour later (server clock): ${describe(again)}`);

    // per deviceId: 5 an hour, whatever the IP's count
    await serverClockTo(slot(9));
    const device = uid('dev');
    for (let i = 1; i <= 5; i++) {
      const res = await publicPost('/api/public/reports', body(i, { deviceId: device }));
      assert.equal(res.status, 201, `device report ${i} of 5: ${describe(res)}`);
    }
    expectError(await publicPost('/api/public/reports', body(6, { deviceId: device })), 429, 'RATE_LIMITED');
    const otherDevice = await publicPost('/api/public/reports', body(7, { deviceId: uid('dev') }));
    assert.equal(otherDevice.status, 201, `another device, 6 reports from the IP: ${describe(otherDevice)}`);

    // photos: 30 per IP an hour
    await serverClockTo(slot(12));
    const png = await tinyPng([1, 1, 1]);
    for (let i = 1; i <= 30; i++) {
      const res = await publicUpload(png, 'image/png');
      assert.equal(res.status, 201, `photo ${i} of 30: ${describe(res)}`);
    }
    expectError(await publicUpload(png, 'image/png'), 429, 'RATE_LIMITED');
    assert.ok(LAST_SLOT_HOURS >= 12);
  } finally {
    await resetServerClock();
  }
});
