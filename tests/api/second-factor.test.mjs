// The second login factor (等保 身份鉴别 d): a role may require a time-based one-time password after the password.
// Setting it up, the two-step login, a code good once, the challenge's five minutes, the lock shared with password
// failures, an administrator's reset. Codes are computed here from the secret (tests/api/lib.mjs totpCode).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  login, rawLogin, request, expectError, expectStatus, getCookie, Client, createUserAndLogin, createRole, orgUnits,
  totpCode, setServerClock, resetServerClock, MISSING_ID, sqlOk, assertSealed,
} from './lib.mjs';

let admin;
let dept;
let strictRole; // requires a second factor
let offsetMs = 0; // the server clock's offset this file has set

before(async () => {
  admin = await login('admin');
  dept = (await orgUnits(admin)).byName.get('商贸发展岗');
  const res = await admin.post('/api/roles', {
    key: `tf${Date.now() % 1e9}`, name: '须动态口令的角色', dataScope: 'all', permissions: ['user:read'], customOrgUnitIds: [],
    secondFactor: true,
  });
  strictRole = expectStatus(res, 201);
  assert.equal(strictRole.secondFactor, true);
});
after(async () => {
  await resetServerClock();
});

const serverNow = () => Date.now() + offsetMs;

/** Moves the server clock on, so that the next code is of a step not used yet. */
async function laterBy(seconds) {
  offsetMs += seconds * 1000;
  await setServerClock(offsetMs / 1000);
  admin = await login('admin');
}

/** Sets up a second factor for `client`; the secret, and the server time whose code confirmed it (spent). */
async function setUpAt(client) {
  const setup = expectStatus(await client.post('/api/auth/second-factor/setup', {}), 200);
  const at = serverNow();
  const done = expectStatus(await client.post('/api/auth/second-factor/confirm', { code: totpCode(setup.secret, at) }), 200);
  return { secret: setup.secret, at, recoveryCodes: done.recoveryCodes };
}
const setUp = async (client) => (await setUpAt(client)).secret;

async function enrolledUser() {
  const u = await createUserAndLogin(admin, { orgUnitId: dept.id, roleId: strictRole.id });
  const { secret, at, recoveryCodes } = await setUpAt(u.client);
  return { ...u, secret, setUpAt: at, recoveryCodes };
}

async function challengeFor(username, password) {
  const res = await rawLogin(username, password);
  const body = expectStatus(res, 200);
  assert.equal(getCookie(res, 'hy_session'), null, 'a session cookie before the second factor');
  assert.equal(body.secondFactor, 'totp');
  assert.ok(!('user' in body) && !('csrfToken' in body), `the password alone gave a session: ${JSON.stringify(body)}`);
  assert.ok(typeof body.challenge === 'string' && body.challenge.length >= 32);
  assert.ok(Date.parse(body.expiresAt) - serverNow() > 4 * 60000 && Date.parse(body.expiresAt) - serverNow() <= 5 * 60000 + 2000,
    `challenge expires at ${body.expiresAt}`);
  return body.challenge;
}

const secondStep = (challenge, code) => request('POST', '/api/auth/login/second-factor', { body: { challenge, code } });
const recoveryStep = (challenge, recoveryCode) =>
  request('POST', '/api/auth/login/second-factor', { body: { challenge, recoveryCode } });

async function loginWithCode(username, password, secret) {
  await laterBy(60);
  const res = await secondStep(await challengeFor(username, password), totpCode(secret, serverNow()));
  const body = expectStatus(res, 200);
  return new Client({ cookie: `hy_session=${getCookie(res, 'hy_session').value}`, csrf: body.csrfToken, user: body.user });
}

test('the demo admin needs no second factor; a role can require one, and its new user can only set it up', async () => {
  const me = (await admin.getOk('/api/auth/me')).user;
  assert.deepEqual([me.secondFactor, me.mustEnrollSecondFactor], [{ required: false, enrolled: false, recoveryCodesLeft: 0 }, false]);

  const { user, client } = await createUserAndLogin(admin, { orgUnitId: dept.id, roleId: strictRole.id });
  const mine = (await client.getOk('/api/auth/me')).user;
  assert.deepEqual([mine.secondFactor, mine.mustEnrollSecondFactor], [{ required: true, enrolled: false, recoveryCodesLeft: 0 }, true]);
  expectError(await client.get('/api/users'), 403, 'SECOND_FACTOR_REQUIRED', null);
  expectError(await client.post('/api/auth/second-factor/confirm', { code: '123456' }), 409, 'SECOND_FACTOR_NOT_STARTED', 'code');

  const setup = expectStatus(await client.post('/api/auth/second-factor/setup', {}), 200);
  assert.match(setup.secret, /^[A-Z2-7]{32}$/);
  assert.equal(setup.uri, `otpauth://totp/%E7%81%AB%E7%9C%BC:${user.username}?secret=${setup.secret}` +
    '&issuer=%E7%81%AB%E7%9C%BC&algorithm=SHA256&digits=6&period=30');
  assert.match(setup.qrSvg, /^<svg[\s\S]*<\/svg>\s*$/);
  // a second setup before confirming replaces the secret: the first one's code no longer fits
  const again = expectStatus(await client.post('/api/auth/second-factor/setup', {}), 200);
  assert.notEqual(again.secret, setup.secret);
  assertSealed(sqlOk(`SELECT totp_pending_secret FROM users WHERE id = ${user.id}`), again.secret);
  expectError(await client.post('/api/auth/second-factor/confirm', { code: totpCode(setup.secret, serverNow()) }), 400, 'TOTP_WRONG', 'code');
  expectError(await client.post('/api/auth/second-factor/confirm', { code: totpCode(again.secret, serverNow() - 5 * 60000) }),
    400, 'TOTP_WRONG', 'code');
  expectError(await client.post('/api/auth/second-factor/confirm', { code: '12a456' }), 400, 'INVALID_VALUE', 'code');
  assert.equal((await client.getOk('/api/auth/me')).user.secondFactor.enrolled, false);

  const done = expectStatus(await client.post('/api/auth/second-factor/confirm', { code: totpCode(again.secret, serverNow()) }), 200);
  assert.deepEqual([done.user.secondFactor, done.user.mustEnrollSecondFactor], [{ required: true, enrolled: true, recoveryCodesLeft: 10 }, false]);
  // Ten recovery codes, shown this once; only their keyed hashes are kept.
  assert.equal(done.recoveryCodes.length, 10);
  assert.equal(new Set(done.recoveryCodes).size, 10);
  for (const code of done.recoveryCodes) assert.match(code, /^[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}$/);
  const stored = sqlOk(`SELECT code_hash FROM recovery_codes WHERE user_id = ${user.id} AND used_at IS NULL`).split('\n');
  assert.equal(stored.length, 10);
  for (const code of done.recoveryCodes)
    assert.ok(!stored.some((h) => h.includes(code.replace('-', ''))), 'a recovery code is stored in the clear');
  expectStatus(await client.get('/api/users'), 200);
  expectError(await client.post('/api/auth/second-factor/setup', {}), 409, 'SECOND_FACTOR_ENROLLED', null);

  assertSealed(sqlOk(`SELECT totp_secret FROM users WHERE id = ${user.id}`), again.secret);
  assert.equal(sqlOk(`SELECT COUNT(*) FROM users WHERE id = ${user.id} AND totp_pending_secret IS NULL`), '1');
  const listed = await admin.getOk(`/api/users/${user.id}`);
  assert.equal(listed.secondFactorEnrolled, true);
  const audit = (await admin.getOk(`/api/audit-logs?action=auth.second_factor_enable&targetId=${user.id}`)).items;
  assert.equal(audit.length, 1);
  assert.ok(!JSON.stringify(audit).includes(again.secret), 'the secret is in the audit log');
});

test('login: the password gives a challenge, the code the session; a code is good once, a challenge too', async () => {
  const { user, password, secret, setUpAt: spentAt } = await enrolledUser();
  // the code used to confirm the setup is spent: only a later one is taken (the step after it is within the drift)
  const challenge = await challengeFor(user.username, password);
  expectError(await secondStep(challenge, totpCode(secret, spentAt)), 401, 'TOTP_WRONG', 'code');
  const next = totpCode(secret, spentAt + 30000);
  const res = await secondStep(challenge, next);
  const body = expectStatus(res, 200);
  assert.equal(body.user.id, user.id);
  assert.equal(body.user.mustEnrollSecondFactor, false);
  const client = new Client({ cookie: `hy_session=${getCookie(res, 'hy_session').value}`, csrf: body.csrfToken });
  expectStatus(await client.get('/api/users'), 200);

  expectError(await secondStep(challenge, totpCode(secret, spentAt + 60000)), 401, 'LOGIN_CHALLENGE_EXPIRED', 'challenge');
  expectError(await secondStep(await challengeFor(user.username, password), next), 401, 'TOTP_WRONG', 'code');

  const logs = (await admin.getOk(`/api/login-logs?username=${user.username}&pageSize=50`)).items;
  assert.ok(logs.some((r) => r.success && r.reason === '登录成功（动态口令）'), JSON.stringify(logs));
  assert.ok(logs.some((r) => !r.success && r.reason === '动态口令错误'), JSON.stringify(logs));
});

test('a challenge lasts five minutes', async () => {
  const { user, password, secret } = await enrolledUser();
  await laterBy(60);
  const challenge = await challengeFor(user.username, password);
  await laterBy(5 * 60 + 5);
  expectError(await secondStep(challenge, totpCode(secret, serverNow())), 401, 'LOGIN_CHALLENGE_EXPIRED', 'challenge');
  // a new password step gives a new, good challenge
  await loginWithCode(user.username, password, secret);
});

test('password and code failures count together: the fifth locks the account, even against the right code', async () => {
  const { user, password, secret } = await enrolledUser();
  for (let i = 0; i < 2; i++) expectError(await rawLogin(user.username, 'Wrong#pass1'), 401, 'LOGIN_FAILED');
  await laterBy(60);
  const challenge = await challengeFor(user.username, password);
  const wrong = String((Number(totpCode(secret, serverNow())) + 1) % 1000000).padStart(6, '0');
  expectError(await secondStep(challenge, wrong), 401, 'TOTP_WRONG', 'code');
  expectError(await secondStep(challenge, wrong), 401, 'TOTP_WRONG', 'code');
  expectError(await secondStep(challenge, wrong), 423, 'ACCOUNT_LOCKED');
  expectError(await secondStep(challenge, totpCode(secret, serverNow())), 401, 'LOGIN_CHALLENGE_EXPIRED', 'challenge');
  expectError(await rawLogin(user.username, password), 423, 'ACCOUNT_LOCKED');
  const logs = (await admin.getOk(`/api/login-logs?username=${user.username}&pageSize=50`)).items;
  assert.ok(logs.some((r) => r.reason === '动态口令错误，账号已锁定'), JSON.stringify(logs));

  expectStatus(await admin.post(`/api/users/${user.id}/unlock`), 200);
  const client = await loginWithCode(user.username, password, secret);
  expectStatus(await client.get('/api/users'), 200);
});

test('an administrator resets a lost second factor: the sessions end and the next login sets it up again', async () => {
  const { user, password, secret, client } = await enrolledUser();
  const res = await admin.del(`/api/users/${user.id}/second-factor`);
  assert.equal(expectStatus(res, 200).secondFactorEnrolled, false);
  expectError(await client.get('/api/auth/me'), 401, 'UNAUTHENTICATED');
  expectError(await admin.del(`/api/users/${user.id}/second-factor`), 409, 'SECOND_FACTOR_NOT_ENROLLED');
  expectError(await admin.del(`/api/users/${MISSING_ID}/second-factor`), 404, 'NOT_FOUND');
  const audit = (await admin.getOk(`/api/audit-logs?action=user.second_factor_reset&targetId=${user.id}`)).items;
  assert.equal(audit.length, 1);

  const again = await login(user.username, password); // no challenge now
  assert.equal(again.user.mustEnrollSecondFactor, true);
  const fresh = await setUp(again);
  assert.notEqual(fresh, secret);
  await loginWithCode(user.username, password, fresh);
});

test('a role without the requirement: an enrolled user is still asked; roles keep the flag unless it is sent', async () => {
  const role = await createRole(admin, { dataScope: 'all', permissions: ['user:read'] });
  assert.equal(role.secondFactor, false);
  const { user, password, client } = await createUserAndLogin(admin, { orgUnitId: dept.id, roleId: role.id });
  assert.equal((await client.getOk('/api/auth/me')).user.mustEnrollSecondFactor, false);
  const secret = await setUp(client); // optional, but once set up it is asked for
  await loginWithCode(user.username, password, secret);

  const body = { name: role.name, dataScope: 'all', permissions: ['user:read'], customOrgUnitIds: [] };
  assert.equal(expectStatus(await admin.put(`/api/roles/${role.id}`, { ...body, secondFactor: true }), 200).secondFactor, true);
  assert.equal(expectStatus(await admin.put(`/api/roles/${role.id}`, body), 200).secondFactor, true);
  expectError(await admin.put(`/api/roles/${role.id}`, { ...body, secondFactor: 'yes' }), 400, 'INVALID_TYPE', 'secondFactor');
  const audit = (await admin.getOk(`/api/audit-logs?action=role.update&targetId=${role.id}`)).items;
  assert.ok(audit.some((a) => a.summary.before.secondFactor === false && a.summary.after.secondFactor === true), JSON.stringify(audit));
});

test('bad second steps: each field named, nothing counted against the account', async () => {
  const { user, password, secret } = await enrolledUser();
  await laterBy(60);
  const challenge = await challengeFor(user.username, password);
  expectError(await secondStep(undefined, '123456'), 400, 'REQUIRED', 'challenge');
  expectError(await secondStep(challenge, ''), 400, 'REQUIRED', 'code');
  expectError(await secondStep(challenge, '1234567'), 400, 'TOO_LONG', 'code');
  expectError(await secondStep(challenge, '12 456'), 400, 'INVALID_VALUE', 'code');
  expectError(await secondStep(challenge, 123456), 400, 'INVALID_TYPE', 'code');
  expectError(await secondStep('no-such-challenge', '123456'), 401, 'LOGIN_CHALLENGE_EXPIRED', 'challenge');
  const extra = await request('POST', '/api/auth/login/second-factor', { body: { challenge, code: '123456', user: 1 } });
  expectError(extra, 400, 'UNKNOWN_FIELD', 'user');
  // none of these counted: four wrong codes now still leave the right one working
  const wrong = String((Number(totpCode(secret, serverNow())) + 1) % 1000000).padStart(6, '0');
  for (let i = 0; i < 4; i++) expectError(await secondStep(challenge, wrong), 401, 'TOTP_WRONG', 'code');
  expectStatus(await secondStep(challenge, totpCode(secret, serverNow())), 200);
});

test('recovery codes: each good once instead of a code, typed in any case, only by their own user', async () => {
  const { user, password, recoveryCodes: codes } = await enrolledUser();
  await laterBy(60);
  const challenge = await challengeFor(user.username, password);
  const res = await recoveryStep(challenge, ` ${codes[0].toLowerCase().replace('-', ' ')} `);
  const body = expectStatus(res, 200);
  assert.equal(body.user.id, user.id);
  assert.equal(body.user.secondFactor.recoveryCodesLeft, 9);
  const client = new Client({ cookie: `hy_session=${getCookie(res, 'hy_session').value}`, csrf: body.csrfToken });
  expectStatus(await client.get('/api/users'), 200);

  // Used up; a wrong code leaves the challenge for another try; someone else's code is wrong here.
  const other = await enrolledUser();
  const next = await challengeFor(user.username, password);
  expectError(await recoveryStep(next, codes[0]), 401, 'RECOVERY_CODE_WRONG', 'recoveryCode');
  expectError(await recoveryStep(next, other.recoveryCodes[0]), 401, 'RECOVERY_CODE_WRONG', 'recoveryCode');
  assert.equal(expectStatus(await recoveryStep(next, codes[1].replace('-', '')), 200).user.secondFactor.recoveryCodesLeft, 8);
  expectStatus(await recoveryStep(await challengeFor(other.user.username, other.password), other.recoveryCodes[0]), 200);

  const logs = (await admin.getOk(`/api/login-logs?username=${user.username}&pageSize=50`)).items;
  assert.ok(logs.some((r) => r.success && r.reason === '登录成功（恢复码，还剩 9 个）'), JSON.stringify(logs));
  assert.ok(logs.some((r) => r.success && r.reason === '登录成功（恢复码，还剩 8 个）'), JSON.stringify(logs));
  assert.equal(logs.filter((r) => !r.success && r.reason === '恢复码错误').length, 2, JSON.stringify(logs));

  // The holder is told of each recovery login (not of the wrong tries), with what is left; the other user of theirs.
  const notices = (await client.getOk('/api/notifications?pageSize=50')).items.filter((n) => n.event === 'account.recovery_login');
  assert.deepEqual(notices.map((n) => [n.title, n.link, n.eventLabel.startsWith('账号用恢复码登录')]),
    [['您的账号用恢复码登录了', '/second-factor', true], ['您的账号用恢复码登录了', '/second-factor', true]]);
  assert.match(notices[0].body, /用恢复码登录，恢复码还剩 8 个。如不是您本人操作，请立即修改密码/);
  assert.match(notices[1].body, /还剩 9 个/);
  assert.doesNotMatch(notices[0].body, /快用完/);
  const theirs = (await other.client.getOk('/api/notifications?pageSize=50')).items.filter((n) => n.event === 'account.recovery_login');
  assert.equal(theirs.length, 1);
  assert.match(theirs[0].body, /还剩 9 个/);
});

test('a recovery login with three codes or fewer left says to make new ones', async () => {
  const { user, password, recoveryCodes: codes } = await enrolledUser();
  let client;
  for (const code of codes.slice(0, 7)) {
    const res = await recoveryStep(await challengeFor(user.username, password), code);
    const body = expectStatus(res, 200);
    client = new Client({ cookie: `hy_session=${getCookie(res, 'hy_session').value}`, csrf: body.csrfToken });
  }
  const bodies = (await client.getOk('/api/notifications?pageSize=50')).items
    .filter((n) => n.event === 'account.recovery_login').map((n) => n.body);
  assert.equal(bodies.length, 7);
  assert.match(bodies[0], /还剩 3 个。.*恢复码快用完了，请在「动态口令」页凭验证器上的口令重新生成。$/);
  assert.doesNotMatch(bodies[1], /快用完/);
});

test('new recovery codes for a current code replace the old; a reset removes them', async () => {
  const { user, password, secret, client, recoveryCodes: old } = await enrolledUser();
  await laterBy(60);
  expectError(await client.post('/api/auth/second-factor/recovery-codes', { code: '12a456' }), 400, 'INVALID_VALUE', 'code');
  const wrong = String((Number(totpCode(secret, serverNow())) + 1) % 1000000).padStart(6, '0');
  expectError(await client.post('/api/auth/second-factor/recovery-codes', { code: wrong }), 400, 'TOTP_WRONG', 'code');
  const renewed = expectStatus(await client.post('/api/auth/second-factor/recovery-codes', { code: totpCode(secret, serverNow()) }), 200);
  assert.equal(renewed.recoveryCodes.length, 10);
  assert.ok(!renewed.recoveryCodes.some((c) => old.includes(c)));
  assert.equal((await client.getOk('/api/auth/me')).user.secondFactor.recoveryCodesLeft, 10);
  // the code that renewed them is spent, as at login
  expectError(await client.post('/api/auth/second-factor/recovery-codes', { code: totpCode(secret, serverNow()) }), 400, 'TOTP_WRONG', 'code');
  const audit = (await admin.getOk(`/api/audit-logs?action=auth.recovery_codes_renew&targetId=${user.id}`)).items;
  assert.equal(audit.length, 1);
  assert.ok(!JSON.stringify(audit).includes(renewed.recoveryCodes[0]), 'a recovery code is in the audit log');

  const challenge = await challengeFor(user.username, password);
  expectError(await recoveryStep(challenge, old[2]), 401, 'RECOVERY_CODE_WRONG', 'recoveryCode');
  expectStatus(await recoveryStep(challenge, renewed.recoveryCodes[2]), 200);

  expectStatus(await admin.del(`/api/users/${user.id}/second-factor`), 200);
  assert.equal(sqlOk(`SELECT COUNT(*) FROM recovery_codes WHERE user_id = ${user.id}`), '0');
  const plain = await login(user.username, password);
  assert.equal(plain.user.secondFactor.recoveryCodesLeft, 0);
  expectError(await plain.post('/api/auth/second-factor/recovery-codes', { code: '123456' }), 409, 'SECOND_FACTOR_NOT_ENROLLED', 'code');
});

test('wrong recovery codes count with wrong passwords towards the lock', async () => {
  const { user, password, recoveryCodes: codes } = await enrolledUser();
  for (let i = 0; i < 2; i++) expectError(await rawLogin(user.username, 'Wrong#pass1'), 401, 'LOGIN_FAILED');
  await laterBy(60);
  const challenge = await challengeFor(user.username, password);
  expectError(await recoveryStep(challenge, 'ZZZZZ-ZZZZZ'), 401, 'RECOVERY_CODE_WRONG', 'recoveryCode');
  expectError(await recoveryStep(challenge, 'ZZZZZ-ZZZZY'), 401, 'RECOVERY_CODE_WRONG', 'recoveryCode');
  expectError(await recoveryStep(challenge, 'ZZZZZ-ZZZZX'), 423, 'ACCOUNT_LOCKED');
  expectError(await recoveryStep(challenge, codes[0]), 401, 'LOGIN_CHALLENGE_EXPIRED', 'challenge');
  expectError(await rawLogin(user.username, password), 423, 'ACCOUNT_LOCKED');
  // the right code was not spent by the refusals
  expectStatus(await admin.post(`/api/users/${user.id}/unlock`), 200);
  expectStatus(await recoveryStep(await challengeFor(user.username, password), codes[0]), 200);
});

test('bad recovery steps: the field named, nothing counted', async () => {
  const { user, password, recoveryCodes: codes } = await enrolledUser();
  await laterBy(60);
  const challenge = await challengeFor(user.username, password);
  const both = await request('POST', '/api/auth/login/second-factor', { body: { challenge, code: '123456', recoveryCode: codes[0] } });
  expectError(both, 400, 'INVALID_VALUE', 'recoveryCode');
  expectError(await recoveryStep(challenge, 'ABCDE-2345O'), 400, 'INVALID_VALUE', 'recoveryCode');
  expectError(await recoveryStep(challenge, '123456'), 400, 'INVALID_VALUE', 'recoveryCode');
  expectError(await recoveryStep(challenge, 'ABCDE-23456-ABCDE-23456'), 400, 'TOO_LONG', 'recoveryCode');
  expectError(await recoveryStep(challenge, 1234567890), 400, 'INVALID_TYPE', 'recoveryCode');
  expectError(await recoveryStep(challenge, ''), 400, 'REQUIRED', 'recoveryCode');
  assert.equal(sqlOk(`SELECT failed_logins FROM users WHERE id = ${user.id}`), '0');
  expectStatus(await recoveryStep(challenge, codes[0]), 200);
});
