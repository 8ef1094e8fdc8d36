// Venues (场所): CRUD, conflicts, validation (type, opening hours, dates, coordinates, org units), QR code, filters.
// Data scope of venues is in scope.test.mjs.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  login, expectError, expectStatus, listAll, orgUnits, venueBody, createVenue, randomPhone, uid, describe,
  DEPARTMENTS, DAILY_HOURS, MISSING_ID, demoLoadedAt, assertPhoneSealed, sqlOk,
} from './lib.mjs';

let admin, org, longfeng, jiufeng, sw, wj, venueTypes;

before(async () => {
  admin = await login('admin');
  org = await orgUnits(admin);
  longfeng = org.byName.get('龙凤社区');
  jiufeng = org.byName.get('九凤村');
  sw = org.byName.get('商贸发展岗');
  wj = org.byName.get('文教体旅岗');
  assert.ok(longfeng && jiufeng && sw && wj, 'demo org units missing');
  venueTypes = (await admin.getOk('/api/dict-types/venue_type/items')).items;
  assert.ok(venueTypes.length >= 20, 'dictionary venue_type is missing items');
});

const VENUE_KEYS = ['id', 'name', 'type', 'typeLabel', 'crowded', 'entertainment', 'address', 'orgUnitId', 'orgUnitName',
  'supervisorOrgUnitIds', 'supervisors', 'lat', 'lng', 'geofenceRadius', 'openingHours', 'closedDates', 'principalName',
  'principalPhone', 'fireManagerName', 'fireManagerPhone', 'managerUserId', 'managerName', 'qrToken', 'publicUrl',
  'createdAt', 'updatedAt'];

const sortHours = (h) => [...h].sort((a, b) => a.weekday - b.weekday || a.from.localeCompare(b.from));

test('create → 201 Venue with the contract shape; GET by id returns the same', async () => {
  const body = venueBody(org, {
    type: 'hotel',
    supervisorOrgUnitIds: [sw.id, wj.id],
    closedDates: ['2026-12-25', '2027-01-01'],
    openingHours: [{ weekday: 0, from: '08:30', to: '12:00' }, { weekday: 0, from: '14:00', to: '22:00' }, { weekday: 5, from: '10:00', to: '24:00' }],
  });
  const v = expectStatus(await admin.post('/api/venues', body), 201);
  for (const k of VENUE_KEYS) assert.ok(k in v, `Venue lacks ${k}`);
  for (const k of ['name', 'type', 'crowded', 'entertainment', 'address', 'orgUnitId', 'lat', 'lng', 'geofenceRadius',
    'principalName', 'principalPhone', 'fireManagerName', 'fireManagerPhone']) {
    assert.deepEqual(v[k], body[k], `${k} does not round-trip`);
  }
  assert.equal(v.typeLabel, '宾馆');
  assert.equal(v.orgUnitName, '龙凤社区');
  assert.deepEqual([...v.supervisorOrgUnitIds].sort(), [sw.id, wj.id].sort());
  assert.deepEqual(v.supervisors.map((s) => s.name).sort(), ['商贸发展岗', '文教体旅岗'].sort());
  assert.deepEqual(v.supervisors.map((s) => s.id).sort(), [sw.id, wj.id].sort());
  assert.deepEqual(sortHours(v.openingHours), sortHours(body.openingHours));
  assert.deepEqual([...v.closedDates].sort(), body.closedDates);
  assert.equal(v.managerUserId, null);
  assert.equal(v.managerName, null);
  assert.ok(typeof v.qrToken === 'string' && v.qrToken.length >= 16, `qrToken too short to be unguessable: ${v.qrToken}`);
  assert.ok(v.publicUrl.includes(v.qrToken), `publicUrl ${v.publicUrl} does not carry the qrToken`);
  for (const k of ['createdAt', 'updatedAt']) assert.match(v[k], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, `${k} is not ISO UTC`);
  assert.deepEqual(await admin.getOk(`/api/venues/${v.id}`), v);
  // 等保 数据保密性: the contacts' phones are stored sealed, the audit records name them masked
  assertPhoneSealed({ table: 'venues', column: 'principal_phone', id: v.id, phone: body.principalPhone, targetType: 'venue' });
  assertPhoneSealed({ table: 'venues', column: 'fire_manager_phone', id: v.id, phone: body.fireManagerPhone, targetType: 'venue' });
  const phone = randomPhone();
  const u = expectStatus(await admin.put(`/api/venues/${v.id}`, { ...body, principalPhone: phone }), 200);
  assert.equal(u.principalPhone, phone);
  assertPhoneSealed({ table: 'venues', column: 'principal_phone', id: v.id, phone, targetType: 'venue' });
});

test('optional fields: geofenceRadius defaults to 200, lat/lng/fire manager/manager are null when left out', async () => {
  const body = venueBody(org);
  for (const k of ['lat', 'lng', 'geofenceRadius', 'closedDates', 'fireManagerName', 'fireManagerPhone']) delete body[k];
  const v = expectStatus(await admin.post('/api/venues', body), 201);
  assert.equal(v.geofenceRadius, 200);
  assert.equal(v.lat, null);
  assert.equal(v.lng, null);
  assert.deepEqual(v.closedDates, []);
  assert.ok(v.fireManagerName === null || v.fireManagerName === '', `fireManagerName ${v.fireManagerName}`);
  assert.equal(v.managerUserId, null);
  // integral coordinates are numbers too
  expectStatus(await admin.post('/api/venues', venueBody(org, { lat: 30, lng: 106 })), 201);
  // an empty week: not open to the public
  const closed = expectStatus(await admin.post('/api/venues', venueBody(org, { openingHours: [] })), 201);
  assert.deepEqual(closed.openingHours, []);
});

test('managerUserId links the venue to a login and names it', async () => {
  const users = await listAll(admin, '/api/users?q=venue_mgr');
  const mgr = users.find((u) => u.username === 'venue_mgr');
  const v = await createVenue(admin, org, { managerUserId: mgr.id });
  assert.equal(v.managerUserId, mgr.id);
  assert.equal(v.managerName, mgr.name);
});

test('opening hours past midnight and until 24:00 are kept as sent', async () => {
  const hours = [
    { weekday: 4, from: '18:00', to: '02:00' },
    { weekday: 5, from: '10:00', to: '24:00' },
    { weekday: 6, from: '00:00', to: '23:59' },
  ];
  const v = await createVenue(admin, org, { type: 'entertainment', entertainment: true, openingHours: hours });
  assert.deepEqual(sortHours(v.openingHours), sortHours(hours));
  assert.equal(v.entertainment, true);
});

test('update → 200: every field replaced; qrToken, publicUrl and createdAt stay', async () => {
  const v = await createVenue(admin, org);
  const upd = venueBody(org, {
    name: `改名场所${uid('v')}`, type: 'school', crowded: false, address: '九凤村 8 组', orgUnitId: jiufeng.id,
    supervisorOrgUnitIds: [wj.id], lat: -12.5, lng: -77.25, geofenceRadius: 80,
    openingHours: [{ weekday: 2, from: '07:30', to: '17:30' }], closedDates: ['2027-02-01'],
    principalName: '刘校长', principalPhone: randomPhone(),
  });
  delete upd.fireManagerName;
  delete upd.fireManagerPhone;
  const u = expectStatus(await admin.put(`/api/venues/${v.id}`, upd), 200);
  for (const k of ['name', 'type', 'crowded', 'address', 'orgUnitId', 'lat', 'lng', 'geofenceRadius', 'principalName', 'principalPhone']) {
    assert.deepEqual(u[k], upd[k], `${k} not updated`);
  }
  assert.equal(u.typeLabel, '学校');
  assert.equal(u.orgUnitName, '九凤村');
  assert.deepEqual(u.supervisorOrgUnitIds, [wj.id]);
  assert.deepEqual(u.supervisors, [{ id: wj.id, name: '文教体旅岗' }]);
  assert.deepEqual(u.openingHours, upd.openingHours);
  assert.deepEqual(u.closedDates, ['2027-02-01']);
  assert.ok(u.fireManagerName === null || u.fireManagerName === '', 'PUT without fireManagerName kept the old one');
  assert.equal(u.qrToken, v.qrToken);
  assert.equal(u.publicUrl, v.publicUrl);
  assert.equal(u.createdAt, v.createdAt);
  assert.ok(u.updatedAt >= v.updatedAt);
  assert.deepEqual(await admin.getOk(`/api/venues/${v.id}`), u);
  expectError(await admin.put(`/api/venues/${MISSING_ID}`, upd), 404, 'NOT_FOUND');
  expectError(await admin.get(`/api/venues/${MISSING_ID}`), 404, 'NOT_FOUND');
});

test('name taken → 409 VENUE_NAME_TAKEN (create and rename); keeping one\'s own name is fine', async () => {
  const a = await createVenue(admin, org);
  const b = await createVenue(admin, org);
  expectError(await admin.post('/api/venues', venueBody(org, { name: a.name })), 409, 'VENUE_NAME_TAKEN', 'name');
  expectError(await admin.put(`/api/venues/${b.id}`, venueBody(org, { name: a.name })), 409, 'VENUE_NAME_TAKEN', 'name');
  expectStatus(await admin.put(`/api/venues/${a.id}`, venueBody(org, { name: a.name, address: '新地址' })), 200);
});

test('REQUIRED for every required field', async () => {
  const wrong = [];
  for (const f of ['name', 'type', 'crowded', 'entertainment', 'address', 'orgUnitId', 'supervisorOrgUnitIds',
    'openingHours', 'principalName', 'principalPhone']) {
    const body = venueBody(org);
    delete body[f];
    const res = await admin.post('/api/venues', body);
    if (!(res.status === 400 && res.json?.code === 'REQUIRED' && res.json?.field === f)) wrong.push(`without ${f}: ${res.status} ${res.text.slice(0, 100)}`);
  }
  assert.deepEqual(wrong, []);
  expectError(await admin.post('/api/venues', venueBody(org, { name: '   ' })), 400, 'REQUIRED', 'name');
});

/** 400 with a field naming the bad part (`openingHours` or `openingHours[1].to` …). */
function expectBad(res, field, codes = ['INVALID_VALUE']) {
  const where = describe(res);
  assert.equal(res.status, 400, where);
  assert.ok(codes.includes(res.json?.code), `expected ${codes.join('/')}: ${where}`);
  assert.match(res.json.message, /[\u4e00-\u9fff]/, `message is not Chinese: ${where}`);
  assert.ok(res.json.field === field || String(res.json.field).startsWith(`${field}[`) || String(res.json.field).startsWith(`${field}.`),
    `expected field ${field}: ${where}`);
}

test('validation: type, opening hours, closed dates, coordinates, radius, phones, lengths', async () => {
  const post = (over) => admin.post('/api/venues', venueBody(org, over));
  expectBad(await post({ type: 'spaceport' }), 'type');
  expectBad(await post({ type: '饭店' }), 'type'); // the label is not the value
  const badHours = [
    [{ weekday: 0, from: '25:00', to: '26:00' }],
    [{ weekday: 0, from: '9:00', to: '18:00' }],
    [{ weekday: 0, from: '09:00', to: '18:60' }],
    [{ weekday: 0, from: '09:00', to: '24:01' }],
    [{ weekday: 0, from: '24:00', to: '02:00' }],
    [{ weekday: 0, from: '0900', to: '1800' }],
    [{ weekday: 7, from: '09:00', to: '18:00' }],
    [{ weekday: -1, from: '09:00', to: '18:00' }],
    [{ weekday: 1.5, from: '09:00', to: '18:00' }],
    [{ weekday: '1', from: '09:00', to: '18:00' }],
    [{ from: '09:00', to: '18:00' }],
    [{ weekday: 1, from: '09:00' }],
    [{ weekday: 1, from: 900, to: 1800 }],
    [...DAILY_HOURS.slice(0, 2), { weekday: 3, from: '09:00', to: '18:00', note: 'x' }],
  ];
  for (const openingHours of badHours) {
    expectBad(await post({ openingHours }), 'openingHours', ['INVALID_VALUE', 'INVALID_TYPE', 'REQUIRED', 'UNKNOWN_FIELD']);
  }
  expectBad(await post({ openingHours: [1, 2] }), 'openingHours', ['INVALID_TYPE']);
  for (const closedDates of [['2026-02-30'], ['2026-13-01'], ['2026/05/01'], ['2025-02-29'], ['tomorrow']]) {
    expectBad(await post({ closedDates }), 'closedDates');
  }
  expectStatus(await post({ closedDates: ['2028-02-29'] }), 201); // a leap day is real
  expectBad(await post({ lat: 90.5 }), 'lat');
  expectBad(await post({ lat: -91 }), 'lat');
  expectBad(await post({ lng: 180.01 }), 'lng');
  expectBad(await post({ lng: -181 }), 'lng');
  expectBad(await post({ lat: 'north' }), 'lat', ['INVALID_TYPE']);
  expectBad(await post({ geofenceRadius: 0 }), 'geofenceRadius');
  expectBad(await post({ geofenceRadius: -50 }), 'geofenceRadius');
  expectBad(await post({ geofenceRadius: 1e9 }), 'geofenceRadius');
  expectBad(await post({ geofenceRadius: 12.5 }), 'geofenceRadius', ['INVALID_TYPE']);
  expectBad(await post({ crowded: 'yes' }), 'crowded', ['INVALID_TYPE']);
  expectBad(await post({ principalPhone: 'abc' }), 'principalPhone');
  expectBad(await post({ name: '名'.repeat(5000) }), 'name', ['TOO_LONG']);
  expectBad(await post({ address: '址'.repeat(5000) }), 'address', ['TOO_LONG']);
});

test('validation: orgUnitId must be a village/community, supervisors departments, manager a user', async () => {
  const post = (over) => admin.post('/api/venues', venueBody(org, over));
  const orgErr = ['INVALID_VALUE', 'ORG_UNIT_NOT_FOUND', 'ORG_KIND_MISMATCH'];
  expectBad(await post({ orgUnitId: sw.id }), 'orgUnitId', orgErr);
  expectBad(await post({ orgUnitId: org.town.id }), 'orgUnitId', orgErr);
  expectBad(await post({ orgUnitId: MISSING_ID }), 'orgUnitId', orgErr);
  expectBad(await post({ supervisorOrgUnitIds: [] }), 'supervisorOrgUnitIds', ['INVALID_VALUE', 'REQUIRED']);
  expectBad(await post({ supervisorOrgUnitIds: [longfeng.id] }), 'supervisorOrgUnitIds', orgErr);
  expectBad(await post({ supervisorOrgUnitIds: [sw.id, MISSING_ID] }), 'supervisorOrgUnitIds', orgErr);
  expectBad(await post({ supervisorOrgUnitIds: ['x'] }), 'supervisorOrgUnitIds', ['INVALID_TYPE']);
  expectBad(await post({ managerUserId: MISSING_ID }), 'managerUserId', ['INVALID_VALUE', 'USER_NOT_FOUND']);
  // none of the refused bodies created anything
  const { total } = await admin.getOk(`/api/venues?orgUnitId=${sw.id}`);
  assert.equal(total, 0, 'a venue belongs to a department');
});

test('a grid below a community is not a venue\'s 村/社区 either', async () => {
  const grid = org.items.find((u) => u.kind === 'grid');
  assert.ok(grid, 'demo has no grid');
  expectBad(await admin.post('/api/venues', venueBody(org, { orgUnitId: grid.id })), 'orgUnitId',
    ['INVALID_VALUE', 'ORG_UNIT_NOT_FOUND', 'ORG_KIND_MISMATCH']);
});

test('list: q, type, orgUnitId and supervisorOrgUnitId filter; paging totals agree', async () => {
  const tag = uid('f');
  const a = await createVenue(admin, org, { name: `筛选甲${tag}`, type: 'mall', orgUnitId: longfeng.id, supervisorOrgUnitIds: [sw.id] });
  const b = await createVenue(admin, org, { name: `筛选乙${tag}`, type: 'library', orgUnitId: jiufeng.id, supervisorOrgUnitIds: [wj.id] });
  const q = await admin.getOk(`/api/venues?q=${encodeURIComponent(tag)}`);
  assert.deepEqual(q.items.map((v) => v.id).sort(), [a.id, b.id].sort());
  assert.equal(q.total, 2);
  const byType = await listAll(admin, '/api/venues?type=library');
  assert.ok(byType.some((v) => v.id === b.id) && byType.every((v) => v.type === 'library'), 'type filter');
  const byOrg = await listAll(admin, `/api/venues?orgUnitId=${jiufeng.id}`);
  assert.ok(byOrg.some((v) => v.id === b.id) && byOrg.every((v) => v.orgUnitId === jiufeng.id), 'orgUnitId filter');
  const bySup = await listAll(admin, `/api/venues?supervisorOrgUnitId=${sw.id}`);
  assert.ok(bySup.some((v) => v.id === a.id) && !bySup.some((v) => v.id === b.id), 'supervisorOrgUnitId filter');
  assert.ok(bySup.every((v) => v.supervisorOrgUnitIds.includes(sw.id)), 'supervisorOrgUnitId filter returns others');
  const page = await admin.getOk('/api/venues?page=1&pageSize=2');
  assert.ok(page.items.length <= 2 && page.total >= 2);
  expectError(await admin.get('/api/venues?pageSize=201'), 400, 'INVALID_VALUE', 'pageSize');
  expectError(await admin.get('/api/venues?orgUnitId=abc'), 400, 'INVALID_VALUE', 'orgUnitId');
});

test('demo: venues of every type, supervised by each of the nine departments', async () => {
  const t0 = await demoLoadedAt(admin);
  const all = (await listAll(admin, '/api/venues')).filter((v) => v.createdAt <= t0);
  const types = new Set(all.map((v) => v.type));
  const missingTypes = venueTypes.filter((t) => t.enabled && !types.has(t.value)).map((t) => `${t.value} ${t.label}`);
  assert.deepEqual(missingTypes, [], 'demo lacks venues of these types');
  const supervised = new Set(all.flatMap((v) => v.supervisors.map((s) => s.name)));
  assert.deepEqual(DEPARTMENTS.filter((d) => !supervised.has(d)), [], 'departments supervising no demo venue');
  for (const v of all) {
    assert.equal(v.typeLabel, venueTypes.find((t) => t.value === v.type)?.label, `typeLabel of ${v.name}`);
    assert.ok(v.supervisorOrgUnitIds.length >= 1, `${v.name} has no supervisor`);
  }
});

test('QR code: GET qr.svg is an SVG image; unknown venue → 404', async () => {
  const v = await createVenue(admin, org);
  const res = await admin.get(`/api/venues/${v.id}/qr.svg`);
  assert.equal(res.status, 200, describe(res));
  assert.match(res.headers.get('content-type') ?? '', /^image\/svg\+xml/);
  assert.match(res.text, /<svg[\s>]/);
  assert.match(res.text, /<\/svg>\s*$/);
  assert.ok(/<(path|rect)\b/.test(res.text), 'the SVG draws nothing');
  const other = await createVenue(admin, org);
  const res2 = await admin.get(`/api/venues/${other.id}/qr.svg`);
  assert.notEqual(res2.text, res.text, 'two venues have the same QR code');
  expectError(await admin.get(`/api/venues/${MISSING_ID}/qr.svg`), 404, 'NOT_FOUND');
});

test('qrToken is unique per venue', async () => {
  const a = await createVenue(admin, org);
  const b = await createVenue(admin, org);
  assert.notEqual(a.qrToken, b.qrToken);
  assert.notEqual(a.publicUrl, b.publicUrl);
});

test('create and update are audited', async () => {
  const v = await createVenue(admin, org);
  await admin.put(`/api/venues/${v.id}`, venueBody(org, { name: `${v.name}改` }));
  const { items } = await admin.getOk('/api/audit-logs?username=admin&pageSize=100');
  const rows = items.filter((e) => String(e.targetId) === String(v.id) && /venue/i.test(e.targetType));
  assert.ok(rows.length >= 2, `expected audit rows for create and update of venue ${v.id}, got ${rows.length}`);
  assert.ok(rows.some((r) => JSON.stringify(r.summary).includes(`${v.name}改`)), 'update summary lacks the new name');
});

test('等保 数据保密性: no contact phone anywhere in the clear, the demo\'s or any the tests wrote', async () => {
  const columns = [['public_reports', 'phone'], ['venues', 'principal_phone'], ['venues', 'fire_manager_phone'],
    ['units', 'contact_phone'], ['hazards', 'responsible_phone'], ['small_projects', 'site_phone'], ['work_requests', 'contact_phone']];
  for (const [table, column] of columns) {
    assert.equal(sqlOk(`SELECT COUNT(*) FROM ${table} WHERE ${column} <> '' AND ${column} NOT LIKE 'sm4:%'`), '0', `${table}.${column}`);
    assert.ok(Number(sqlOk(`SELECT COUNT(*) FROM ${table} WHERE ${column} LIKE 'sm4:%'`)) > 0, `${table}.${column}: none sealed to check`);
  }
});
