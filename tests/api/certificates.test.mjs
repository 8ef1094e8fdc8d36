// Certificates (证书数据库): CRUD, 人证不符 (special-operation numbers), real dates, states computed from today,
// filters, verification records, CSV / row import with per-row error reports, xlsx export.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  login, expectError, expectStatus, listAll, describe, createPerson, createUnit, certBody, createCertificate,
  makeCitizenId, makeCreditCode, randomPhone, localDate, daysFromToday, fetchXlsx, uid, MISSING_ID, orgUnits,
  createRole, createUserAndLogin, demoLoadedAt, maskCitizenId, sql, sqlOk, assertSealed,
} from './lib.mjs';

let admin, unit, certTypes;

before(async () => {
  admin = await login('admin');
  unit = await createUnit(admin);
  certTypes = (await admin.getOk('/api/dict-types/certificate_type/items')).items;
  assert.ok(certTypes.some((t) => t.value === 'special_op_fusion'), 'dictionary certificate_type lacks special_op_fusion');
});

const CERT_KEYS = ['id', 'personId', 'personName', 'citizenId', 'kind', 'kindLabel', 'number', 'issuer', 'firstIssued',
  'validUntil', 'nextReview', 'status', 'state', 'daysToExpiry', 'verification', 'createdAt'];

/** The state the contract computes for a certificate whose status is `valid`. */
function expectedState(c) {
  const today = localDate(0);
  const soon = localDate(60);
  if (c.validUntil < today) return 'expired';
  if (c.nextReview && c.nextReview < today) return 'review_overdue';
  if (c.validUntil <= soon || (c.nextReview && c.nextReview <= soon)) return 'expiring';
  return 'valid';
}

test('create → 201 Certificate with the contract shape; GET by id returns the same', async () => {
  const p = await createPerson(admin, { name: '证书测试人' });
  const body = certBody(p);
  const c = expectStatus(await admin.post('/api/certificates', body), 201);
  for (const k of CERT_KEYS) assert.ok(k in c, `Certificate lacks ${k}`);
  for (const k of Object.keys(body)) {
    const shown = k === 'number' ? `T${maskCitizenId(body.number.slice(1))}` : body[k]; // T + the citizen ID, masked
    assert.equal(c[k], shown, `${k} does not round-trip`);
  }
  assert.equal(c.personName, '证书测试人');
  assert.equal(c.citizenId, maskCitizenId(p.rawCitizenId), 'certificates show the citizenId masked, to admin too');
  assert.equal(c.kindLabel, certTypes.find((t) => t.value === 'special_op_fusion').label);
  assert.equal(c.status, 'valid', 'status defaults to valid');
  assert.equal(c.state, 'valid');
  assert.equal(c.daysToExpiry, daysFromToday(body.validUntil));
  assert.equal(c.verification, null);
  assert.match(c.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.deepEqual(await admin.getOk(`/api/certificates/${c.id}`), c);
  expectError(await admin.get(`/api/certificates/${MISSING_ID}`), 404, 'NOT_FOUND');
});

test('人证不符: a special-operation certificate number must be "T" + the holder\'s citizen ID', async () => {
  const p = await createPerson(admin);
  const other = makeCitizenId();
  for (const kind of certTypes.filter((t) => t.value.startsWith('special_op_')).map((t) => t.value)) {
    for (const number of [`T${other}`, p.rawCitizenId, `T${p.rawCitizenId.slice(0, 17)}`, `TT${p.rawCitizenId}`, `T${p.rawCitizenId}1`, 'T']) {
      expectError(await admin.post('/api/certificates', certBody(p, { kind, number })), 400, 'CERT_NUMBER_MISMATCH', 'number');
    }
  }
  // other kinds have their own numbering
  expectStatus(await admin.post('/api/certificates', certBody(p, { kind: 'construction_welder', number: `渝A${uid('n')}` })), 201);
  expectStatus(await admin.post('/api/certificates', certBody(p, { kind: 'special_equipment_welding', number: `TS${uid('n')}` })), 201);
  const ok = await createCertificate(admin, p);
  assert.deepEqual([ok.rawNumber, ok.number], [`T${p.rawCitizenId}`, `T${maskCitizenId(p.rawCitizenId)}`]);
  // moving the certificate to another person, or changing a free-numbered one into a special-operation kind
  const q = await createPerson(admin);
  expectError(await admin.put(`/api/certificates/${ok.id}`, certBody(p, { personId: q.id })), 400, 'CERT_NUMBER_MISMATCH', 'number');
  const free = await createCertificate(admin, q, { kind: 'construction_welder', number: `渝B${uid('n')}` });
  expectError(await admin.put(`/api/certificates/${free.id}`, certBody(q, { kind: 'special_op_brazing', number: free.number })), 400, 'CERT_NUMBER_MISMATCH', 'number');
  assert.equal((await admin.getOk(`/api/certificates/${ok.id}`)).personId, p.id, 'the refused PUT changed the holder');
});

test('dates must be real; validUntil ≥ firstIssued; nextReview optional', async () => {
  const p = await createPerson(admin);
  const post = (over) => admin.post('/api/certificates', certBody(p, over));
  for (const [field, value] of [
    ['firstIssued', '2026-02-30'], ['firstIssued', '2025-02-29'], ['firstIssued', '2026-13-01'], ['firstIssued', '2026-1-5'],
    ['firstIssued', '20260105'], ['validUntil', '2027-04-31'], ['validUntil', 'soon'], ['nextReview', '2027-00-10'],
    ['nextReview', '2027-06-31'],
  ]) {
    expectError(await post({ [field]: value }), 400, 'INVALID_VALUE', field);
  }
  expectError(await post({ firstIssued: '2026-05-02', validUntil: '2026-05-01' }), 400, 'INVALID_VALUE', 'validUntil');
  // leap day, validUntil == firstIssued, no nextReview
  const q = await createPerson(admin);
  const c = expectStatus(await admin.post('/api/certificates', certBody(q, { firstIssued: '2024-02-29', validUntil: '2024-02-29', nextReview: undefined })), 201);
  assert.equal(c.nextReview, null);
  assert.equal(c.state, 'expired');
});

test('validation: REQUIRED, unknown kind / status / person, lengths', async () => {
  const p = await createPerson(admin);
  for (const f of ['personId', 'kind', 'number', 'issuer', 'firstIssued', 'validUntil']) {
    const body = certBody(p);
    delete body[f];
    expectError(await admin.post('/api/certificates', body), 400, 'REQUIRED', f);
  }
  expectError(await admin.post('/api/certificates', certBody(p, { kind: 'driving_licence' })), 400, 'INVALID_VALUE', 'kind');
  expectError(await admin.post('/api/certificates', certBody(p, { status: 'lost' })), 400, 'INVALID_VALUE', 'status');
  expectError(await admin.post('/api/certificates', certBody(p, { status: 'expired' })), 400, 'INVALID_VALUE', 'status');
  expectError(await admin.post('/api/certificates', certBody(p, { issuer: '机'.repeat(5000) })), 400, 'TOO_LONG', 'issuer');
  const res = await admin.post('/api/certificates', certBody(p, { personId: MISSING_ID }));
  assert.equal(res.status, 400, describe(res));
  assert.ok(['INVALID_VALUE', 'PERSON_NOT_FOUND'].includes(res.json.code), describe(res));
  assert.equal(res.json.field, 'personId');
});

test('number taken → 409 CERT_NUMBER_TAKEN', async () => {
  const p = await createPerson(admin);
  await createCertificate(admin, p);
  expectError(await admin.post('/api/certificates', certBody(p)), 409, 'CERT_NUMBER_TAKEN', 'number');
  const number = `渝C${uid('n')}`;
  await createCertificate(admin, p, { kind: 'construction_welder', number });
  const q = await createPerson(admin);
  expectError(await admin.post('/api/certificates', certBody(q, { kind: 'construction_welder', number })), 409, 'CERT_NUMBER_TAKEN', 'number');
});

test('state and daysToExpiry are computed from the dates relative to today', async () => {
  const cases = [
    { name: 'valid', over: { validUntil: localDate(400), nextReview: localDate(200) }, state: 'valid' },
    { name: 'valid, no review', over: { validUntil: localDate(61), nextReview: undefined }, state: 'valid' },
    { name: 'expires in 30 days', over: { validUntil: localDate(30), nextReview: undefined }, state: 'expiring' },
    { name: 'expires in 60 days', over: { validUntil: localDate(60), nextReview: undefined }, state: 'expiring' },
    { name: 'expires today', over: { validUntil: localDate(0), nextReview: undefined }, state: 'expiring' },
    { name: 'review in 20 days', over: { validUntil: localDate(400), nextReview: localDate(20) }, state: 'expiring' },
    { name: 'expired yesterday', over: { validUntil: localDate(-1), nextReview: undefined }, state: 'expired' },
    { name: 'expired long ago', over: { firstIssued: '2015-03-01', validUntil: '2021-03-01', nextReview: '2018-03-01' }, state: 'expired' },
    { name: 'review overdue', over: { validUntil: localDate(400), nextReview: localDate(-1) }, state: 'review_overdue' },
    { name: 'review today', over: { validUntil: localDate(400), nextReview: localDate(0) }, state: 'expiring' },
    { name: 'suspended', over: { status: 'suspended' }, state: 'suspended' },
    { name: 'revoked', over: { status: 'revoked' }, state: 'revoked' },
  ];
  const wrong = [];
  for (const k of cases) {
    const p = await createPerson(admin);
    const body = certBody(p, { firstIssued: localDate(-1000), ...k.over });
    if (body.nextReview === undefined) delete body.nextReview;
    const c = expectStatus(await admin.post('/api/certificates', body), 201);
    const days = daysFromToday(body.validUntil);
    if (c.state !== k.state || c.daysToExpiry !== days) {
      wrong.push(`${k.name} (validUntil ${body.validUntil}, nextReview ${body.nextReview ?? '-'}, status ${body.status ?? 'valid'}): ` +
        `state ${c.state} daysToExpiry ${c.daysToExpiry}, expected ${k.state} ${days}`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('PUT changes the dates and the state follows; status suspended and back', async () => {
  const p = await createPerson(admin);
  const c = await createCertificate(admin, p);
  let u = expectStatus(await admin.put(`/api/certificates/${c.id}`, certBody(p, { validUntil: localDate(-3) })), 200);
  assert.equal(u.state, 'expired');
  assert.equal(u.daysToExpiry, -3);
  u = expectStatus(await admin.put(`/api/certificates/${c.id}`, certBody(p, { status: 'suspended' })), 200);
  assert.equal(u.state, 'suspended');
  assert.equal(u.status, 'suspended');
  u = expectStatus(await admin.put(`/api/certificates/${c.id}`, certBody(p)), 200);
  assert.equal(u.state, 'valid');
  assert.equal(u.status, 'valid', 'PUT without status must mean valid');
  assert.equal(u.createdAt, c.createdAt);
  expectError(await admin.put(`/api/certificates/${MISSING_ID}`, certBody(p)), 404, 'NOT_FOUND');
});

test('demo: certificates in every state, each state consistent with its dates', async () => {
  const t0 = await demoLoadedAt(admin);
  const all = (await listAll(admin, '/api/certificates')).filter((c) => c.createdAt <= t0);
  const states = new Set(all.map((c) => c.state));
  for (const s of ['valid', 'expiring', 'expired', 'review_overdue']) assert.ok(states.has(s), `no demo certificate is ${s}`);
  const wrong = all.filter((c) => c.status === 'valid' && (c.state !== expectedState(c) || c.daysToExpiry !== daysFromToday(c.validUntil)))
    .map((c) => `#${c.id} ${c.number} validUntil ${c.validUntil} nextReview ${c.nextReview}: ${c.state}/${c.daysToExpiry}, expected ${expectedState(c)}/${daysFromToday(c.validUntil)}`);
  assert.deepEqual(wrong, []);
  assert.ok(all.every((c) => c.status !== 'valid' ? c.state === c.status || c.state === 'expired' : true), 'suspended/revoked state');
});

test('filters: status (the computed state), kind, personId, expiringWithinDays, q; paging', async () => {
  const p = await createPerson(admin, { name: `筛选${uid('c')}`.slice(0, 30) });
  const soon = await createCertificate(admin, p, { kind: 'construction_welder', number: `渝D${uid('n')}`, validUntil: localDate(20), nextReview: undefined });
  const later = await createCertificate(admin, p, { kind: 'special_equipment_welding', number: `TS${uid('n')}`, validUntil: localDate(45), nextReview: undefined });
  const gone = await createCertificate(admin, p, { validUntil: localDate(-5), nextReview: undefined });
  const mine = await listAll(admin, `/api/certificates?personId=${p.id}`);
  assert.deepEqual(mine.map((c) => c.id).sort((a, b) => a - b), [soon.id, later.id, gone.id].sort((a, b) => a - b));

  const expired = await listAll(admin, '/api/certificates?status=expired');
  assert.ok(expired.some((c) => c.id === gone.id), 'status=expired misses an expired certificate');
  assert.ok(expired.every((c) => c.state === 'expired'), 'status=expired returns other states');
  const expiring = await listAll(admin, '/api/certificates?status=expiring');
  assert.ok(expiring.some((c) => c.id === soon.id) && expiring.every((c) => c.state === 'expiring'), 'status=expiring');

  const within = await listAll(admin, '/api/certificates?expiringWithinDays=30');
  assert.ok(within.some((c) => c.id === soon.id), 'expiringWithinDays=30 misses a certificate expiring in 20 days');
  assert.ok(!within.some((c) => c.id === later.id), 'expiringWithinDays=30 returns one expiring in 45 days');
  assert.ok(!within.some((c) => c.id === gone.id), 'expiringWithinDays=30 returns an expired certificate');
  for (const c of within) {
    const due = Math.min(c.daysToExpiry, c.nextReview ? daysFromToday(c.nextReview) : Infinity);
    assert.ok(due >= 0 && due <= 30, `expiringWithinDays=30 returned #${c.id} due in ${due} days`);
  }

  const byKind = await listAll(admin, '/api/certificates?kind=special_equipment_welding');
  assert.ok(byKind.some((c) => c.id === later.id) && byKind.every((c) => c.kind === 'special_equipment_welding'), 'kind filter');
  const byQ = await admin.getOk(`/api/certificates?q=${encodeURIComponent(soon.number)}`); // not a 特种作业 number: shown in full
  assert.deepEqual(byQ.items.map((c) => c.id), [soon.id], 'q by certificate number');
  const byName = await listAll(admin, `/api/certificates?q=${encodeURIComponent(p.name)}`);
  assert.equal(byName.length, 3, 'q by holder name');

  expectError(await admin.get('/api/certificates?status=bogus'), 400, 'INVALID_VALUE', 'status');
  expectError(await admin.get('/api/certificates?expiringWithinDays=-1'), 400, 'INVALID_VALUE', 'expiringWithinDays');
  expectError(await admin.get('/api/certificates?expiringWithinDays=x'), 400, 'INVALID_VALUE', 'expiringWithinDays');
  expectError(await admin.get('/api/certificates?personId=x'), 400, 'INVALID_VALUE', 'personId');
});

test('verify records who, when, result and note; a later verification replaces it', async () => {
  const p = await createPerson(admin);
  const c = await createCertificate(admin, p);
  const before = Date.now();
  const v = expectStatus(await admin.post(`/api/certificates/${c.id}/verify`, { result: 'match', note: '已在应急管理部特种作业操作证查询平台核验' }), 200);
  assert.ok(v.verification, 'verification not recorded');
  assert.equal(v.verification.result, 'match');
  assert.equal(v.verification.note, '已在应急管理部特种作业操作证查询平台核验');
  assert.ok(['admin', admin.user.name].includes(v.verification.by), `verification.by ${v.verification.by}`);
  const at = Date.parse(v.verification.at);
  assert.match(v.verification.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.ok(at >= before - 60000 && at <= Date.now() + 60000, `verification.at ${v.verification.at} is not now`);
  assert.deepEqual((await admin.getOk(`/api/certificates/${c.id}`)).verification, v.verification);

  // another user (person:write) verifies again
  const org = await orgUnits(admin);
  const role = await createRole(admin, { dataScope: 'all', permissions: ['person:read', 'person:write'] });
  const { client, user } = await createUserAndLogin(admin, { orgUnitId: org.byName.get('安全应急岗').id, roleId: role.id });
  const v2 = expectStatus(await client.post(`/api/certificates/${c.id}/verify`, { result: 'not_found' }), 200);
  assert.equal(v2.verification.result, 'not_found');
  assert.ok([user.username, user.name].includes(v2.verification.by), `verification.by ${v2.verification.by}`);
  assert.ok(v2.verification.note === null || v2.verification.note === '', 'note of the earlier verification kept');
  assert.ok(v2.verification.at >= v.verification.at);

  expectError(await admin.post(`/api/certificates/${c.id}/verify`, { result: 'ok' }), 400, 'INVALID_VALUE', 'result');
  expectError(await admin.post(`/api/certificates/${c.id}/verify`, {}), 400, 'REQUIRED', 'result');
  expectError(await admin.post(`/api/certificates/${MISSING_ID}/verify`, { result: 'match' }), 404, 'NOT_FOUND');
  const { items } = await admin.getOk('/api/audit-logs?pageSize=50');
  assert.ok(items.some((e) => String(e.targetId) === String(c.id) && e.username === user.username), 'verification not audited');
});

// ---------- import ----------
const HEAD_EN = ['name', 'citizenId', 'phone', 'unitCreditCode', 'kind', 'number', 'issuer', 'firstIssued', 'validUntil', 'nextReview'];
const HEAD_ZH = ['姓名', '身份证号', '手机号', '单位统一社会信用代码', '证书类型', '证书编号', '发证机关', '初领日期', '有效期至', '复审日期'];

/** One import row (a new person with a 熔化焊接与热切割 certificate). */
function importRow(over = {}) {
  const citizenId = over.citizenId ?? makeCitizenId();
  return {
    name: `导入${uid('i')}`.slice(0, 30), citizenId, phone: randomPhone(), unitCreditCode: unit.creditCode,
    kind: 'special_op_fusion', number: `T${citizenId}`, issuer: '重庆市应急管理局', firstIssued: localDate(-400),
    validUntil: localDate(800), nextReview: localDate(400), ...over,
  };
}
const csvCell = (v) => (/[",\r\n]/.test(String(v ?? '')) ? `"${String(v).replace(/"/g, '""')}"` : String(v ?? ''));
function toCsv(rows, { header = HEAD_ZH, eol = '\n', bom = false } = {}) {
  const lines = [header.join(','), ...rows.map((r) => HEAD_EN.map((k) => csvCell(r[k])).join(','))];
  return (bom ? '\ufeff' : '') + lines.join(eol) + eol;
}
async function personByName(name) {
  const { items } = await admin.getOk(`/api/people?q=${encodeURIComponent(name)}`);
  const p = items.find((x) => x.name === name);
  return p ? (await admin.post(`/api/people/${p.id}/reveal`, { reason: '核对导入结果' })).json : null;
}
function assertReport(r, { total, valid, imported }) {
  assert.ok(r && Number.isInteger(r.total) && Array.isArray(r.errors), `not an ImportReport: ${JSON.stringify(r)}`);
  assert.deepEqual({ total: r.total, valid: r.valid, imported: r.imported }, { total, valid, imported }, JSON.stringify(r.errors));
}

test('import CSV with Chinese headers: people and certificates are created', async () => {
  const rows = [importRow(), importRow({ kind: '特种作业操作证（熔化焊接与热切割作业）' }), importRow({ nextReview: '' })];
  const r = expectStatus(await admin.post('/api/certificates/import', { csv: toCsv(rows), mode: 'all' }), 200);
  assertReport(r, { total: 3, valid: 3, imported: 3 });
  assert.deepEqual(r.errors, []);
  for (const row of rows) {
    const p = await personByName(row.name);
    assert.ok(p, `person ${row.name} not created`);
    assert.equal(p.citizenId, row.citizenId);
    assert.equal(p.phone, row.phone);
    assert.equal(p.unitId, unit.id, 'unitCreditCode did not link the unit');
    assert.equal(p.certificates.length, 1);
    const c = p.certificates[0];
    assert.equal(c.kind, 'special_op_fusion');
    assert.equal(c.number, row.number);
    assert.equal(c.issuer, row.issuer);
    assert.equal(c.firstIssued, row.firstIssued);
    assert.equal(c.validUntil, row.validUntil);
    assert.equal(c.nextReview, row.nextReview || null);
  }
});

test('import CSV with English headers, a BOM, CRLF line ends and quoted cells', async () => {
  const rows = [importRow({ issuer: '重庆市应急管理局,渝北区分局' }), importRow({ issuer: '含"引号"的机关' })];
  const r = expectStatus(await admin.post('/api/certificates/import', { csv: toCsv(rows, { header: HEAD_EN, eol: '\r\n', bom: true }), mode: 'all' }), 200);
  assertReport(r, { total: 2, valid: 2, imported: 2 });
  const p = await personByName(rows[0].name);
  assert.equal(p?.certificates[0]?.issuer, '重庆市应急管理局,渝北区分局');
  const q = await personByName(rows[1].name);
  assert.equal(q?.certificates[0]?.issuer, '含"引号"的机关');
});

test('import: bad rows get a per-row report; mode all imports nothing, valid_rows imports the rest', async () => {
  const good = importRow();
  const badId = importRow({ citizenId: '110105194912310021', number: 'T110105194912310021' });
  const mismatch = importRow({ number: `T${makeCitizenId()}` });
  const badDate = importRow({ firstIssued: '2026-02-30' });
  const backwards = importRow({ firstIssued: '2026-05-02', validUntil: '2026-05-01' });
  const badKind = importRow({ kind: '驾驶证' });
  const good2 = importRow();
  const rows = [good, badId, mismatch, badDate, backwards, badKind, good2];
  const expected = [
    { row: 2, field: 'citizenId', code: 'INVALID_VALUE' },
    { row: 3, field: 'number', code: 'CERT_NUMBER_MISMATCH' },
    { row: 4, field: 'firstIssued', code: 'INVALID_VALUE' },
    { row: 5, field: 'validUntil', code: 'INVALID_VALUE' },
    { row: 6, field: 'kind', code: 'INVALID_VALUE' },
  ];
  const check = (r) => {
    const got = r.errors.map((e) => ({ row: e.row, field: e.field, code: e.code }));
    for (const e of expected) assert.ok(got.some((g) => g.row === e.row && g.field === e.field && g.code === e.code), `missing error ${JSON.stringify(e)} in ${JSON.stringify(got)}`);
    assert.ok(got.every((g) => g.row >= 2 && g.row <= 6), `errors on valid rows: ${JSON.stringify(got)}`);
    for (const e of r.errors) assert.match(e.message, /[\u4e00-\u9fff]/, `error message not Chinese: ${JSON.stringify(e)}`);
  };

  let r = expectStatus(await admin.post('/api/certificates/import', { csv: toCsv(rows), mode: 'all' }), 200);
  assertReport(r, { total: 7, valid: 2, imported: 0 });
  check(r);
  for (const row of rows) assert.equal(await personByName(row.name), null, `mode all imported ${row.name}`);

  r = expectStatus(await admin.post('/api/certificates/import', { csv: toCsv(rows), mode: 'valid_rows' }), 200);
  assertReport(r, { total: 7, valid: 2, imported: 2 });
  check(r);
  for (const row of [good, good2]) assert.equal((await personByName(row.name))?.certificates.length, 1, `${row.name} not imported`);
  for (const row of [badId, mismatch, badDate, backwards, badKind]) assert.equal(await personByName(row.name), null, `bad row ${row.name} imported`);
});

test('import dryRun checks only: nothing is created', async () => {
  const rows = [importRow(), importRow()];
  const r = expectStatus(await admin.post('/api/certificates/import', { csv: toCsv(rows), mode: 'valid_rows', dryRun: true }), 200);
  assertReport(r, { total: 2, valid: 2, imported: 0 });
  for (const row of rows) assert.equal(await personByName(row.name), null, 'dryRun imported a row');
  const r2 = expectStatus(await admin.post('/api/certificates/import', { rows: [importRow({ citizenId: '123' })], mode: 'all', dryRun: true }), 200);
  assertReport(r2, { total: 1, valid: 0, imported: 0 });
  assert.equal(r2.errors[0]?.field, 'citizenId');
});

test('import reuses people by citizen ID (and within one file)', async () => {
  const existing = await createPerson(admin, { name: '已登记人员' });
  const beforeCount = (await admin.getOk(`/api/people/${existing.id}`)).certificates.length;
  const fresh = makeCitizenId();
  const rows = [
    importRow({ citizenId: existing.rawCitizenId, name: existing.name, phone: existing.rawPhone, kind: 'construction_welder', number: `渝E${uid('n')}` }),
    importRow({ citizenId: fresh, kind: 'special_op_fusion', number: `T${fresh}` }),
    importRow({ citizenId: fresh, kind: 'construction_welder', number: `渝F${uid('n')}` }),
  ];
  rows[2].name = rows[1].name;
  const r = expectStatus(await admin.post('/api/certificates/import', { rows, mode: 'all' }), 200);
  assertReport(r, { total: 3, valid: 3, imported: 3 });
  const after = await admin.getOk(`/api/people/${existing.id}`);
  assert.equal(after.certificates.length, beforeCount + 1, 'the certificate did not go to the existing person');
  const sameId = (await listAll(admin, `/api/people?q=${encodeURIComponent(existing.rawCitizenId)}`));
  assert.equal(sameId.length, 1, 'a second person with the same citizen ID was created');
  const p = await personByName(rows[1].name);
  assert.equal(p?.certificates.length, 2, 'two rows of one new person made two people');
});

test('import rows: an existing certificate number and an unknown unit are row errors', async () => {
  const p = await createPerson(admin);
  const c = await createCertificate(admin, p);
  const taken = importRow({ citizenId: p.rawCitizenId, name: p.name, phone: p.rawPhone, number: c.rawNumber });
  const noUnit = importRow({ unitCreditCode: makeCreditCode() }); // well-formed, not registered
  const r = expectStatus(await admin.post('/api/certificates/import', { rows: [taken, noUnit], mode: 'valid_rows' }), 200);
  assertReport(r, { total: 2, valid: 0, imported: 0 });
  const got = r.errors.map((e) => `${e.row} ${e.field} ${e.code}`);
  assert.ok(got.includes('1 number CERT_NUMBER_TAKEN'), `errors: ${got}`);
  assert.ok(r.errors.some((e) => e.row === 2 && e.field === 'unitCreditCode'), `errors: ${got}`);
  assert.equal(await personByName(noUnit.name), null);
});

test('import rows: the same certificate twice, a known citizen ID under another name, unknown keys, missing cells', async () => {
  const p = await createPerson(admin, { name: '原登记姓名' });
  const dup = importRow({ kind: 'construction_welder', number: `渝H${uid('n')}` });
  const rows = [
    dup,
    { ...dup },
    importRow({ citizenId: p.rawCitizenId, name: '另一个名字', number: `T${p.rawCitizenId}` }),
    { ...importRow(), bogus: 1 },
    { citizenId: makeCitizenId() },
  ];
  const r = expectStatus(await admin.post('/api/certificates/import', { rows, mode: 'valid_rows', dryRun: true }), 200);
  assertReport(r, { total: 5, valid: 1, imported: 0 });
  const got = r.errors.map((e) => `${e.row} ${e.field} ${e.code}`);
  for (const e of ['2 number DUPLICATE_ROW', '3 name PERSON_NAME_MISMATCH', '4 bogus UNKNOWN_FIELD']) assert.ok(got.includes(e), `missing ${e} in ${got}`);
  assert.ok(r.errors.some((e) => e.row === 5 && e.code === 'REQUIRED'), `missing REQUIRED on row 5 in ${got}`);
  assert.ok(!r.errors.some((e) => e.row === 1), 'the first of two equal rows is an error');
});

test('import: the request itself is checked (mode, csv or rows, header)', async () => {
  expectError(await admin.post('/api/certificates/import', { csv: toCsv([importRow()]) }), 400, 'REQUIRED', 'mode');
  expectError(await admin.post('/api/certificates/import', { csv: toCsv([importRow()]), mode: 'some' }), 400, 'INVALID_VALUE', 'mode');
  const none = await admin.post('/api/certificates/import', { mode: 'all' });
  assert.equal(none.status, 400, describe(none));
  assert.equal(none.json.code, 'REQUIRED');
  assert.ok(['csv', 'rows'].includes(none.json.field), describe(none));
  const badHeader = await admin.post('/api/certificates/import', { csv: 'foo,bar\n1,2\n', mode: 'all' });
  assert.equal(badHeader.status, 400, describe(badHeader));
  assert.equal(badHeader.json.field, 'csv');
});

test('import: more than 5,000 rows are refused as a whole; 5,000 are accepted', async () => {
  const rows = Array.from({ length: 5001 }, () => importRow({ name: '超限' }));
  rows[0].name = `超限首行${uid('x')}`.slice(0, 30);
  const csv = toCsv(rows);
  assert.ok(csv.length < 1024 * 1024, 'test CSV too large for one request');
  const res = await admin.post('/api/certificates/import', { csv, mode: 'valid_rows' });
  assert.equal(res.status, 400, describe(res));
  assert.ok(['csv', 'rows'].includes(res.json.field), describe(res));
  assert.equal(await personByName(rows[0].name), null, 'rows of a refused import were imported');
  const res2 = await admin.post('/api/certificates/import', { rows: Array.from({ length: 5001 }, () => ({})), mode: 'valid_rows' });
  assert.equal(res2.status, 400, describe(res2));
  assert.equal(res2.json.field, 'rows', describe(res2));
  const ok = await admin.post('/api/certificates/import', { csv: toCsv(rows.slice(1)), mode: 'all', dryRun: true });
  assert.equal(ok.status, 200, describe(ok));
  assertReport(ok.json, { total: 5000, valid: 5000, imported: 0 });
});

// ---------- export ----------

test('export.xlsx is a real workbook with the filtered certificates', async () => {
  const p = await createPerson(admin, { name: `导出${uid('e')}`.slice(0, 30) });
  const c = await createCertificate(admin, p);
  const c2 = await createCertificate(admin, p, { kind: 'construction_welder', number: `渝G${uid('n')}` });
  const other = await createCertificate(admin, await createPerson(admin));
  const { text } = await fetchXlsx(admin, `/api/certificates/export.xlsx?personId=${p.id}`);
  // admin holds person:pii: the export has the full numbers
  for (const s of [c.rawNumber, c2.number, p.name, '证书编号']) assert.ok(text.includes(s), `export lacks ${s}`);
  assert.ok(!text.includes(other.rawNumber), 'export ignores the personId filter');
  const { text: byKind } = await fetchXlsx(admin, `/api/certificates/export.xlsx?personId=${p.id}&kind=construction_welder`);
  assert.ok(byKind.includes(c2.number) && !byKind.includes(c.rawNumber), 'export ignores the kind filter');
  const all = await fetchXlsx(admin, '/api/certificates/export.xlsx');
  assert.ok(all.text.includes(other.rawNumber), 'unfiltered export lacks a certificate');
  expectError(await admin.get('/api/certificates/export.xlsx?status=bogus'), 400, 'INVALID_VALUE', 'status');
  // audited with the filters; the refused one is not
  const exported = (await admin.getOk('/api/audit-logs?action=certificate.export&pageSize=100')).items
    .filter((x) => x.summary.after.filters.personId === String(p.id) || x.summary.after.filters.status === 'bogus');
  assert.deepEqual(exported.map((x) => x.summary.after.filters.kind ?? null).sort(), ['construction_welder', null].sort());
});

test('等保 数据保密性: numbers stored sealed; the whole number (any case of T and X) or the holder\'s whole ID finds the certificate; the audit log holds it masked', async () => {
  const p = await createPerson(admin, { name: `密存证${uid('c')}`.slice(0, 30) });
  const cert = await createCertificate(admin, p);
  const [number, hash] = sqlOk(`SELECT number, number_hash FROM certificates WHERE id = ${cert.id}`).split('|');
  assertSealed(number, cert.rawNumber);
  assert.match(hash, /^[0-9a-f]{32}$/);
  assert.equal(cert.number, `T${maskCitizenId(p.rawCitizenId)}`);

  const found = async (q) => (await admin.getOk(`/api/certificates?q=${encodeURIComponent(q)}`)).items.map((x) => x.id);
  assert.deepEqual(await found(cert.rawNumber), [cert.id]);
  assert.deepEqual(await found(cert.rawNumber.toLowerCase()), [cert.id]);
  assert.deepEqual(await found(p.rawCitizenId), [cert.id]);
  assert.deepEqual(await found(cert.rawNumber.slice(0, 12)), [], 'a part of the number finds the certificate');

  const audit = (await admin.getOk(`/api/audit-logs?action=certificate.create&targetId=${cert.id}`)).items;
  assert.equal(audit.length, 1);
  assert.equal(audit[0].summary.after.number, cert.number);

  // the database itself keeps a certificate once (kind and number's hash), whatever reaches it
  const twin = await createCertificate(admin, await createPerson(admin));
  const copy = sql(`UPDATE certificates SET number_hash = '${hash}' WHERE id = ${twin.id}`);
  assert.notEqual(copy.code, 0, 'a second row with the same kind and number hash was accepted');
  assert.ok(!JSON.stringify(audit).includes(p.rawCitizenId), 'the audit row holds the ID number');
});
