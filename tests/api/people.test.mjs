// People (人员): CRUD, GB 11643 citizen IDs, conflicts, links to units and logins, detail with certificates.
// Masking of ID numbers and phones for callers without person:pii is in scope.test.mjs.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  login, expectError, expectStatus, listAll, personBody, createPerson, createUnit, createCertificate, makeCitizenId,
  citizenIdCheck, randomPhone, uid, MISSING_ID, orgUnits, roles, createUser, demoLoadedAt, maskCitizenId, maskPhone, sqlOk,
  assertSealed,
} from './lib.mjs';

let admin;

before(async () => {
  admin = await login('admin');
});

const PERSON_KEYS = ['id', 'name', 'citizenId', 'phone', 'unitId', 'unitName', 'userId', 'username', 'certificateCount', 'createdAt'];

test('create → 201 Person with the contract shape (masked ID and phone, admin too); GET has certificates', async () => {
  const body = personBody({ name: '王焊工' });
  const p = expectStatus(await admin.post('/api/people', body), 201);
  for (const k of PERSON_KEYS) assert.ok(k in p, `Person lacks ${k}`);
  assert.equal(p.name, '王焊工');
  assert.equal(p.citizenId, maskCitizenId(body.citizenId), 'the answer shows the citizenId masked');
  assert.equal(p.phone, maskPhone(body.phone), 'the answer shows the phone masked');
  assert.equal(p.unitId, null);
  assert.equal(p.unitName, null);
  assert.equal(p.userId, null);
  assert.equal(p.username, null);
  assert.equal(p.certificateCount, 0);
  assert.match(p.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const got = await admin.getOk(`/api/people/${p.id}`);
  assert.deepEqual(got.certificates, []);
  const { certificates, ...rest } = got;
  const { certificates: _ignored, ...created } = p; // the create answer is a Person (shapes.test.mjs checks it has no more)
  assert.deepEqual(rest, created);
});

test('unitId and userId link the person to a unit and a login; a login belongs to one person', async () => {
  const unit = await createUnit(admin);
  const org = await orgUnits(admin);
  const welderRole = (await roles(admin)).byKey.get('welder');
  const { user: welder } = await createUser(admin, { orgUnitId: org.byName.get('龙凤社区').id, roleId: welderRole.id });
  const p = await createPerson(admin, { unitId: unit.id, userId: welder.id });
  assert.equal(p.unitId, unit.id);
  assert.equal(p.unitName, unit.name);
  assert.equal(p.userId, welder.id);
  assert.equal(p.username, welder.username);
  const byUnit = await admin.getOk(`/api/people?unitId=${unit.id}`);
  assert.deepEqual(byUnit.items.map((x) => x.id), [p.id]);
  // the server's addition to the contract: a second person for the same login is refused
  expectError(await admin.post('/api/people', personBody({ userId: welder.id })), 409, 'USER_ALREADY_LINKED', 'userId');
  expectStatus(await admin.put(`/api/people/${p.id}`, { name: p.name, citizenId: p.rawCitizenId, phone: p.rawPhone, userId: welder.id }), 200);
});

test('citizen ID: GB 11643 check digit and a real birth date', async () => {
  for (const id of ['11010519491231002X', '440524188001010014']) {
    const res = await admin.post('/api/people', personBody({ citizenId: id }));
    assert.ok(res.status === 201 || (res.status === 409 && res.json?.code === 'CITIZEN_ID_TAKEN'), `${id} is valid: ${res.status} ${res.text}`);
  }
  const withCheck = (first17) => first17 + citizenIdCheck(first17);
  const bad = [
    '110105194912310021', // wrong check digit (should be X)
    '440524188001010015',
    '11010519491231002', // 17 characters
    '1101051949123100211', // 19 characters
    withCheck('11010519490230002'), // 1949-02-30
    withCheck('11010519491301002'), // month 13
    withCheck('11010520250229002'), // 2025 is not a leap year
    '11010519491231002Y',
    'ABCDEFGHIJKLMNOPQR',
  ];
  for (const citizenId of bad) {
    const res = await admin.post('/api/people', personBody({ citizenId }));
    if (res.json?.code === 'TOO_LONG') { expectError(res, 400, 'TOO_LONG', 'citizenId'); continue; }
    expectError(res, 400, 'INVALID_VALUE', 'citizenId');
  }
  // a leap-day birth date is real
  const leap = withCheck(`50010720000229${String(Math.floor(Math.random() * 900) + 100)}`);
  const res = await admin.post('/api/people', personBody({ citizenId: leap }));
  assert.ok(res.status === 201 || res.json?.code === 'CITIZEN_ID_TAKEN', `born 2000-02-29: ${res.status} ${res.text}`);
});

test('citizen ID taken → 409 CITIZEN_ID_TAKEN (create and update); keeping one\'s own is fine', async () => {
  const a = await createPerson(admin);
  const b = await createPerson(admin);
  expectError(await admin.post('/api/people', personBody({ citizenId: a.rawCitizenId })), 409, 'CITIZEN_ID_TAKEN', 'citizenId');
  expectError(await admin.put(`/api/people/${b.id}`, personBody({ citizenId: a.rawCitizenId })), 409, 'CITIZEN_ID_TAKEN', 'citizenId');
  const u = expectStatus(await admin.put(`/api/people/${a.id}`, { name: '改名', citizenId: a.rawCitizenId, phone: a.rawPhone }), 200);
  assert.equal(u.name, '改名');
});

test('update → 200; missing person → 404', async () => {
  const unit = await createUnit(admin);
  const p = await createPerson(admin, { unitId: unit.id });
  const upd = { name: '李更新', citizenId: makeCitizenId(), phone: randomPhone() };
  const u = expectStatus(await admin.put(`/api/people/${p.id}`, upd), 200);
  assert.equal(u.name, upd.name);
  const full = expectStatus(await admin.post(`/api/people/${p.id}/reveal`, { reason: '核对更新结果' }), 200);
  assert.deepEqual([u.citizenId, full.citizenId, full.phone], [maskCitizenId(upd.citizenId), upd.citizenId, upd.phone]);
  assert.equal(u.unitId, null, 'PUT without unitId kept the unit');
  assert.equal(u.createdAt, p.createdAt);
  expectError(await admin.put(`/api/people/${MISSING_ID}`, upd), 404, 'NOT_FOUND');
  expectError(await admin.get(`/api/people/${MISSING_ID}`), 404, 'NOT_FOUND');
});

test('validation: REQUIRED, phone, unknown unit or user, lengths, types', async () => {
  for (const f of ['name', 'citizenId', 'phone']) {
    const body = personBody();
    delete body[f];
    expectError(await admin.post('/api/people', body), 400, 'REQUIRED', f);
  }
  expectError(await admin.post('/api/people', personBody({ phone: '1234567' })), 400, 'INVALID_VALUE', 'phone');
  expectError(await admin.post('/api/people', personBody({ name: '名'.repeat(5000) })), 400, 'TOO_LONG', 'name');
  expectError(await admin.post('/api/people', personBody({ unitId: '1' })), 400, 'INVALID_TYPE', 'unitId');
  for (const [field, codes] of [['unitId', ['INVALID_VALUE', 'UNIT_NOT_FOUND']], ['userId', ['INVALID_VALUE', 'USER_NOT_FOUND']]]) {
    const res = await admin.post('/api/people', personBody({ [field]: MISSING_ID }));
    assert.equal(res.status, 400, `${field}=${MISSING_ID}: ${res.status} ${res.text}`);
    assert.ok(codes.includes(res.json.code), `${field}: code ${res.json.code}`);
    assert.equal(res.json.field, field);
  }
});

test('detail lists the person\'s certificates; certificateCount counts them', async () => {
  const p = await createPerson(admin);
  const c1 = await createCertificate(admin, p);
  const c2 = await createCertificate(admin, p, { kind: 'construction_welder', number: `JZ${uid('n')}`, issuer: '重庆市住房和城乡建设委员会' });
  const got = await admin.getOk(`/api/people/${p.id}`);
  assert.deepEqual(got.certificates.map((c) => c.id).sort((a, b) => a - b), [c1.id, c2.id].sort((a, b) => a - b));
  assert.equal(got.certificateCount, 2);
  const { rawNumber, ...shown } = c1;
  assert.deepEqual(got.certificates.find((c) => c.id === c1.id), shown);
  assert.equal(rawNumber, `T${p.rawCitizenId}`);
});

test('list: q by name, unitId filter, paging', async () => {
  const tag = uid('p');
  const p = await createPerson(admin, { name: `检索${tag}`.slice(0, 30) });
  const byName = await admin.getOk(`/api/people?q=${encodeURIComponent(tag)}`);
  assert.deepEqual(byName.items.map((x) => x.id), [p.id]);
  assert.equal(byName.total, 1);
  const all = await listAll(admin, '/api/people');
  assert.ok(all.some((x) => x.id === p.id));
  expectError(await admin.get('/api/people?unitId=x'), 400, 'INVALID_VALUE', 'unitId');
});

test('demo: people with certificates', async () => {
  const t0 = await demoLoadedAt(admin);
  const all = (await listAll(admin, '/api/people')).filter((p) => p.createdAt <= t0);
  assert.ok(all.length >= 3, 'demo has too few people');
  assert.ok(all.some((p) => p.certificateCount > 0), 'no demo person has a certificate');
});

test('the full ID and phone: person:pii with a reason, audited; every other read masked; a masked value sent back is kept', async () => {
  const p = await createPerson(admin, { name: '查看原因测试' });
  const listed = (await admin.getOk(`/api/people?q=${encodeURIComponent('查看原因测试')}`)).items.find((x) => x.id === p.id);
  assert.deepEqual([listed.citizenId, listed.phone], [maskCitizenId(p.rawCitizenId), maskPhone(p.rawPhone)]);
  const shown = await admin.getOk(`/api/people/${p.id}`);
  assert.deepEqual([shown.citizenId, shown.phone], [maskCitizenId(p.rawCitizenId), maskPhone(p.rawPhone)]);

  for (const [reason, code] of [[undefined, 'REQUIRED'], ['', 'REQUIRED'], ['看', 'INVALID_VALUE'], ['长'.repeat(101), 'TOO_LONG'], [5, 'INVALID_TYPE']]) {
    expectError(await admin.post(`/api/people/${p.id}/reveal`, { reason }), 400, code, 'reason');
  }
  expectError(await admin.post(`/api/people/${MISSING_ID}/reveal`, { reason: '核对身份' }), 404, 'NOT_FOUND');
  const officer = await login('sw_officer');
  expectError(await officer.post(`/api/people/${p.id}/reveal`, { reason: '核对身份' }), 403, 'FORBIDDEN');
  assert.equal((await admin.getOk(`/api/audit-logs?action=person.reveal&targetId=${p.id}`)).items.length, 0, 'a refused reveal was recorded');

  const full = expectStatus(await admin.post(`/api/people/${p.id}/reveal`, { reason: '核对持证人身份' }), 200);
  assert.deepEqual([full.citizenId, full.phone], [p.rawCitizenId, p.rawPhone]);
  const audit = (await admin.getOk(`/api/audit-logs?action=person.reveal&targetId=${p.id}`)).items;
  assert.equal(audit.length, 1);
  assert.deepEqual(audit[0].summary.after, { reason: '核对持证人身份' });
  assert.ok(!JSON.stringify(audit).includes(p.rawCitizenId), 'the audit row holds the full ID');

  // the edit form sends the masked values back: the stored ones stay
  const u = expectStatus(await admin.put(`/api/people/${p.id}`, { name: '改了名', citizenId: shown.citizenId, phone: shown.phone }), 200);
  assert.equal(u.name, '改了名');
  const again = expectStatus(await admin.post(`/api/people/${p.id}/reveal`, { reason: '核对修改结果' }), 200);
  assert.deepEqual([again.citizenId, again.phone], [p.rawCitizenId, p.rawPhone]);
});

test('等保 数据保密性: ID and phone stored sealed with keyed lookup hashes; the whole ID or phone finds the person, a part does not', async () => {
  const name = `密存${uid('s')}`.slice(0, 30);
  const p = await createPerson(admin, { name });
  const stored = () => sqlOk(`SELECT citizen_id, citizen_id_hash, phone, phone_hash FROM people WHERE id = ${p.id}`).split('|');
  const [citizenId, citizenHash, phone, phoneHash] = stored();
  assertSealed(citizenId, p.rawCitizenId);
  assertSealed(phone, p.rawPhone);
  for (const h of [citizenHash, phoneHash]) assert.match(h, /^[0-9a-f]{32}$/);
  assert.notEqual(citizenHash, phoneHash);

  const found = async (q) => (await admin.getOk(`/api/people?q=${encodeURIComponent(q)}`)).items.map((x) => x.id);
  assert.deepEqual(await found(p.rawCitizenId), [p.id]);
  assert.deepEqual(await found(p.rawPhone), [p.id]);
  assert.deepEqual(await found(p.rawCitizenId.slice(0, 14)), [], 'a part of the ID finds the person');
  assert.deepEqual(await found(p.rawPhone.slice(0, 7)), [], 'a part of the phone finds the person');

  // a new ID and phone: sealed anew, found by the new values only; the old ID is free again
  const newId = makeCitizenId(), newPhone = randomPhone();
  expectStatus(await admin.put(`/api/people/${p.id}`, { name, citizenId: newId, phone: newPhone }), 200);
  const [citizenId2, citizenHash2, phone2] = stored();
  assertSealed(citizenId2, newId);
  assertSealed(phone2, newPhone);
  assert.notEqual(citizenHash2, citizenHash);
  assert.deepEqual(await found(newId), [p.id]);
  assert.deepEqual(await found(p.rawCitizenId), []);
  expectError(await admin.post('/api/people', personBody({ citizenId: newId })), 409, 'CITIZEN_ID_TAKEN', 'citizenId');
  const other = expectStatus(await admin.post('/api/people', personBody({ citizenId: p.rawCitizenId })), 201);
  assert.equal(other.citizenId, maskCitizenId(p.rawCitizenId));

  // nothing in the database in the clear: the demo's people and certificates, and everything the tests wrote
  assert.equal(sqlOk("SELECT COUNT(*) FROM people WHERE citizen_id NOT LIKE 'sm4:%' OR citizen_id_hash IS NULL OR "
    + "(phone <> '' AND (phone NOT LIKE 'sm4:%' OR phone_hash IS NULL))"), '0');
  assert.equal(sqlOk("SELECT COUNT(*) FROM certificates WHERE number NOT LIKE 'sm4:%' OR number_hash IS NULL"), '0');
  assert.ok(Number(sqlOk('SELECT COUNT(*) FROM certificates')) > 5);
});
