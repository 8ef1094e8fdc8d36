// Rules: holiday calendar (preloaded 2025/2026, replace per year), key periods, rule settings and their validation.
// Changes are made in far-off years (2031+) or undone, so that other files see the demo's rules.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { login, expectError, expectStatus, describe, uid, MISSING_ID } from './lib.mjs';

let admin, original;

const DEFAULTS = {
  maxHoursHigh: 8, maxHoursLevel2: 72, nightStart: '22:00', nightEnd: '06:00', windForceLimit: 5,
  raiseOnRestDays: true, raiseAtNight: true, raiseInKeyPeriods: true, raiseInHighWind: true, gasMaxAgeMinutes: 30,
  watchMinutes: 60, roundOffsets: [15, 30, 60], roundGraceMinutes: 10, geofenceRadius: 200, checkInBeforeMinutes: 60,
  startBeforeMinutes: 15, signatureSteps: [],
};

before(async () => {
  admin = await login('admin');
  original = await admin.getOk('/api/rule-settings');
});

after(async () => {
  if (original) await admin.put('/api/rule-settings', original);
});

const weekday = (date) => new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday

// ---------- calendar ----------
test('preloaded calendars 2025 and 2026: holidays and make-up working days', async () => {
  for (const year of [2025, 2026]) {
    const { items } = await admin.getOk(`/api/calendar?year=${year}`);
    assert.ok(items.length >= 15, `${year}: only ${items.length} days`);
    const dates = items.map((d) => d.date);
    assert.deepEqual(dates, [...dates].sort(), `${year}: not sorted by date`);
    assert.equal(new Set(dates).size, dates.length, `${year}: a date twice`);
    for (const d of items) {
      assert.ok(d.date.startsWith(`${year}-`), `${year}: ${d.date} is another year`);
      assert.ok(['holiday', 'workday'].includes(d.kind), `${d.date}: kind ${d.kind}`);
      assert.match(d.name, /[\u4e00-\u9fff]/, `${d.date}: name ${d.name}`);
      if (d.kind === 'workday') assert.ok([0, 6].includes(weekday(d.date)), `${d.date} is a 调休上班 day but not a weekend day`);
    }
    const byDate = new Map(items.map((d) => [d.date, d.kind]));
    // weekend days inside a break may or may not be listed (they are rest days anyway); weekdays must be
    for (const h of [`${year}-01-01`, `${year}-05-01`, `${year}-10-01`, `${year}-10-02`, `${year}-10-03`]) {
      if ([0, 6].includes(weekday(h))) continue;
      assert.equal(byDate.get(h), 'holiday', `${h} should be a holiday`);
    }
    assert.ok(items.some((d) => d.kind === 'workday'), `${year} has no 调休上班 day`);
  }
  const y25 = new Map((await admin.getOk('/api/calendar?year=2025')).items.map((d) => [d.date, d.kind]));
  // 国办发明电〔2024〕12号: 春节 1月28日(除夕)至2月4日; 1月26日、2月8日上班; 国庆中秋 10月1日至8日, 9月28日、10月11日上班
  for (const h of ['2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31', '2025-02-03', '2025-02-04']) assert.equal(y25.get(h), 'holiday', h);
  for (const w of ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11']) assert.equal(y25.get(w), 'workday', w);
  assert.equal(y25.get('2025-10-08'), 'holiday');
  const y26 = new Map((await admin.getOk('/api/calendar?year=2026')).items.map((d) => [d.date, d.kind]));
  assert.equal(y26.get('2026-02-17'), 'holiday', '2026-02-17 (春节) should be a holiday');
});

test('GET /api/calendar without year: every year, in date order; a bad year is 400', async () => {
  const a = (await admin.getOk('/api/calendar')).items;
  const y25 = (await admin.getOk('/api/calendar?year=2025')).items;
  const y26 = (await admin.getOk('/api/calendar?year=2026')).items;
  assert.deepEqual(a.filter((d) => d.date.startsWith('2025-') || d.date.startsWith('2026-')), [...y25, ...y26]);
  const dates = a.map((d) => d.date);
  assert.deepEqual(dates, [...dates].sort(), 'not in date order');
  expectError(await admin.get('/api/calendar?year=abc'), 400, 'INVALID_VALUE', 'year');
});

const Y = 2031;
const CAL = [
  { date: `${Y}-01-01`, kind: 'holiday', name: '元旦' },
  { date: `${Y}-01-22`, kind: 'holiday', name: '春节' },
  { date: `${Y}-01-23`, kind: 'holiday', name: '春节' },
  { date: `${Y}-01-25`, kind: 'workday', name: '春节调休' },
  { date: `${Y}-10-01`, kind: 'holiday', name: '国庆节' },
];

test('PUT /api/calendar/:year replaces that year and only that year', async () => {
  const before2026 = await admin.getOk('/api/calendar?year=2026');
  const put = expectStatus(await admin.put(`/api/calendar/${Y}`, { items: [...CAL].reverse() }), 200);
  assert.deepEqual(put.items, CAL, 'answer is not the sorted calendar');
  assert.deepEqual((await admin.getOk(`/api/calendar?year=${Y}`)).items, CAL);
  // replace, not merge
  const fewer = [CAL[0], { date: `${Y}-05-01`, kind: 'holiday', name: '劳动节' }];
  expectStatus(await admin.put(`/api/calendar/${Y}`, { items: fewer }), 200);
  assert.deepEqual((await admin.getOk(`/api/calendar?year=${Y}`)).items, fewer);
  // an empty list empties the year
  expectStatus(await admin.put(`/api/calendar/${Y + 1}`, { items: [{ date: `${Y + 1}-01-01`, kind: 'holiday', name: '元旦' }] }), 200);
  assert.deepEqual(expectStatus(await admin.put(`/api/calendar/${Y + 1}`, { items: [] }), 200).items, []);
  assert.deepEqual((await admin.getOk(`/api/calendar?year=${Y + 1}`)).items, []);
  assert.deepEqual(await admin.getOk('/api/calendar?year=2026'), before2026, 'replacing one year changed another');
});

test('PUT /api/calendar/:year refuses dates of another year, impossible dates, bad kinds, duplicates', async () => {
  expectStatus(await admin.put(`/api/calendar/${Y}`, { items: CAL }), 200);
  const bad = (items) => admin.put(`/api/calendar/${Y}`, { items });
  const probes = [
    [...CAL, { date: `${Y + 1}-01-01`, kind: 'holiday', name: '元旦' }],
    [{ date: `${Y - 1}-12-31`, kind: 'holiday', name: '跨年' }],
    [{ date: `${Y}-02-30`, kind: 'holiday', name: '不存在' }],
    [{ date: `${Y}-13-01`, kind: 'holiday', name: '不存在' }],
    [{ date: `${Y}/01/01`, kind: 'holiday', name: '格式' }],
    [{ date: `${Y}-01-01`, kind: 'rest', name: '类型' }],
    [{ date: `${Y}-01-01`, kind: 'holiday', name: '元旦' }, { date: `${Y}-01-01`, kind: 'workday', name: '重复' }],
    [{ date: `${Y}-01-01`, kind: 'holiday' }],
    [{ date: `${Y}-01-01`, kind: 'holiday', name: '' }],
    [{ date: `${Y}-01-01`, kind: 'holiday', name: '元旦', extra: 1 }],
    [{ kind: 'holiday', name: '无日期' }],
  ];
  const wrong = [];
  for (const items of probes) {
    const res = await bad(items);
    const ok = res.status === 400 && ['INVALID_VALUE', 'REQUIRED', 'UNKNOWN_FIELD'].includes(res.json?.code)
      && String(res.json.field).startsWith('items');
    if (!ok) wrong.push(`${JSON.stringify(items).slice(-80)}: ${res.status} ${res.text.slice(0, 120)}`);
    if (res.status === 200) await admin.put(`/api/calendar/${Y}`, { items: CAL }); // undo
  }
  assert.deepEqual(wrong, [], 'expected 400 with field items');
  expectError(await admin.put(`/api/calendar/${Y}`, { items: [1] }), 400, 'INVALID_TYPE', 'items');
  expectError(await admin.put(`/api/calendar/${Y}`, {}), 400, 'REQUIRED', 'items');
  assert.deepEqual((await admin.getOk(`/api/calendar?year=${Y}`)).items, CAL, 'a refused PUT changed the calendar');
  for (const year of ['abc', '1800', '99999', '2031.5']) {
    const res = await admin.put(`/api/calendar/${year}`, { items: [] });
    assert.ok(res.status === 400 || res.status === 404, `PUT /api/calendar/${year}: ${describe(res)}`);
  }
});

// ---------- key periods ----------
test('key periods: create (times normalized to UTC), list, delete', async () => {
  const name = `测试重要时段${uid('k')}`;
  const body = { name, start: '2031-02-01T00:00:00+08:00', end: '2031-02-10T18:00:00+08:00', note: '测试' };
  const k = expectStatus(await admin.post('/api/key-periods', body), 201);
  assert.equal(k.name, name);
  assert.equal(k.note, '测试');
  assert.equal(Date.parse(k.start), Date.parse(body.start));
  assert.equal(Date.parse(k.end), Date.parse(body.end));
  assert.equal(k.start, '2031-01-31T16:00:00Z');
  assert.equal(k.end, '2031-02-10T10:00:00Z');
  const list = (await admin.getOk('/api/key-periods')).items;
  assert.deepEqual(list.find((x) => x.id === k.id), k);
  const starts = list.map((x) => x.start);
  assert.deepEqual(starts, [...starts].sort(), 'key periods not sorted by start');
  const noNote = expectStatus(await admin.post('/api/key-periods', { name: `${name}2`, start: '2031-03-01T00:00:00Z', end: '2031-03-02T00:00:00Z' }), 201);
  assert.ok(noNote.note === null || noNote.note === '');
  assert.deepEqual(expectStatus(await admin.del(`/api/key-periods/${k.id}`), 200), { ok: true });
  assert.ok(!(await admin.getOk('/api/key-periods')).items.some((x) => x.id === k.id), 'deleted key period still listed');
  expectError(await admin.del(`/api/key-periods/${k.id}`), 404, 'NOT_FOUND');
  expectError(await admin.del(`/api/key-periods/${MISSING_ID}`), 404, 'NOT_FOUND');
  expectStatus(await admin.del(`/api/key-periods/${noNote.id}`), 200);
});

test('key periods: validation', async () => {
  const post = (over) => admin.post('/api/key-periods', { name: `校验${uid('k')}`, start: '2031-04-01T00:00:00Z', end: '2031-04-02T00:00:00Z', ...over });
  for (const f of ['name', 'start', 'end']) {
    const body = { name: '缺字段', start: '2031-04-01T00:00:00Z', end: '2031-04-02T00:00:00Z' };
    delete body[f];
    expectError(await admin.post('/api/key-periods', body), 400, 'REQUIRED', f);
  }
  expectError(await post({ start: 'next week' }), 400, 'INVALID_VALUE', 'start');
  expectError(await post({ start: '2031-02-30T00:00:00Z' }), 400, 'INVALID_VALUE', 'start');
  expectError(await post({ end: '2031-04-01T25:00:00Z' }), 400, 'INVALID_VALUE', 'end');
  expectError(await post({ end: '2031-03-31T00:00:00Z' }), 400, 'INVALID_VALUE', 'end');
  expectError(await post({ end: '2031-04-01T00:00:00Z' }), 400, 'INVALID_VALUE', 'end');
  expectError(await post({ name: '名'.repeat(5000) }), 400, 'TOO_LONG', 'name');
});

// ---------- rule settings ----------
test('rule settings: the contract defaults in a new town', async () => {
  assert.deepEqual(original, DEFAULTS);
});

test('rule settings: PUT replaces all fields and answers the new settings', async () => {
  const changed = {
    maxHoursHigh: 6, maxHoursLevel2: 48, nightStart: '21:30', nightEnd: '06:30', windForceLimit: 6,
    raiseOnRestDays: false, raiseAtNight: true, raiseInKeyPeriods: false, raiseInHighWind: true, gasMaxAgeMinutes: 20,
    watchMinutes: 90, roundOffsets: [10, 30, 120, 240], roundGraceMinutes: 5, geofenceRadius: 300, checkInBeforeMinutes: 30,
    startBeforeMinutes: 0, signatureSteps: ['approve', 'close'],
  };
  assert.deepEqual(expectStatus(await admin.put('/api/rule-settings', changed), 200), changed);
  assert.deepEqual(await admin.getOk('/api/rule-settings'), changed);
  assert.deepEqual(expectStatus(await admin.put('/api/rule-settings', original), 200), original);
});

test('rule settings: every field is required', async () => {
  for (const f of Object.keys(DEFAULTS)) {
    const body = { ...original };
    delete body[f];
    expectError(await admin.put('/api/rule-settings', body), 400, 'REQUIRED', f);
  }
});

test('rule settings: negative, zero and huge values; bad times; roundOffsets ascending and positive', async () => {
  const wrong = [];
  const probe = async (field, value, codes = ['INVALID_VALUE']) => {
    const res = await admin.put('/api/rule-settings', { ...original, [field]: value });
    if (!(res.status === 400 && codes.includes(res.json?.code) && res.json?.field === field)) {
      wrong.push(`${field}=${JSON.stringify(value)}: ${res.status} ${res.text.slice(0, 120)}`);
    }
  };
  for (const f of ['maxHoursHigh', 'maxHoursLevel2', 'windForceLimit', 'gasMaxAgeMinutes', 'watchMinutes', 'geofenceRadius']) {
    for (const v of [-1, 0, 1000000, 2147483647]) await probe(f, v);
  }
  for (const v of [-1, 1000000]) await probe('roundGraceMinutes', v);
  for (const v of [-1, 241, 2147483647]) await probe('checkInBeforeMinutes', v);
  for (const v of [-1, 121]) await probe('startBeforeMinutes', v);
  // one cannot start before one may check in
  const res = await admin.put('/api/rule-settings', { ...original, checkInBeforeMinutes: 20, startBeforeMinutes: 30 });
  expectError(res, 400, 'INVALID_VALUE', 'startBeforeMinutes');
  for (const v of ['25:00', '9:00', '22:60', '2200']) {
    await probe('nightStart', v);
  }
  for (const v of ['24:01', '6:00', 'night']) await probe('nightEnd', v);
  await probe('roundOffsets', [], ['INVALID_VALUE', 'REQUIRED']);
  for (const v of [[30, 15, 60], [15, 15, 60], [0, 15, 30], [-5, 10], [15, 30, 1000000]]) await probe('roundOffsets', v);
  // only the steps whose forms take a signature (not check-in, not submit), each once
  for (const v of [['check-in'], ['submit'], ['approve', 'approve'], ['APPROVE'], ['']]) await probe('signatureSteps', v);
  for (const v of ['approve', {}, 1, [1], [null]]) await probe('signatureSteps', v, ['INVALID_TYPE']);
  assert.deepEqual(wrong, [], `accepted or answered wrongly:\n${wrong.join('\n')}`);
  assert.deepEqual(await admin.getOk('/api/rule-settings'), original, 'a refused PUT changed the settings');
  // wrong JSON types
  expectError(await admin.put('/api/rule-settings', { ...original, roundOffsets: [15, '30'] }), 400, 'INVALID_TYPE', 'roundOffsets');
  expectError(await admin.put('/api/rule-settings', { ...original, maxHoursHigh: 8.5 }), 400, 'INVALID_TYPE', 'maxHoursHigh');
  expectError(await admin.put('/api/rule-settings', { ...original, raiseAtNight: 'yes' }), 400, 'INVALID_TYPE', 'raiseAtNight');
});

test('rule settings changes are audited', async () => {
  const changed = { ...original, watchMinutes: original.watchMinutes + 1 };
  expectStatus(await admin.put('/api/rule-settings', changed), 200);
  expectStatus(await admin.put('/api/rule-settings', original), 200);
  const { items } = await admin.getOk('/api/audit-logs?username=admin&pageSize=20');
  assert.ok(items.some((e) => JSON.stringify(e.summary).includes(String(original.watchMinutes + 1))), 'rule settings change not audited');
});
