// Keyset paging of the permit list (?cursor=first, then each answer's nextCursor): the same rows in the same order
// as page/pageSize paging, to the last page; a cursor that is not one is refused. The count asked apart agrees.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { login, expectError, request } from './lib.mjs';

test('cursor pages walk the list exactly as numbered pages do, and end with nextCursor null', async () => {
  const admin = await login('admin');
  const size = 4; // the demo town's permits alone make several pages
  const numbered = [];
  for (let page = 1; ; page++) {
    const r = await admin.getOk(`/api/permits?page=${page}&pageSize=${size}`);
    numbered.push(...r.items.map((p) => p.id));
    if (r.items.length < size || numbered.length >= r.total) break;
  }
  assert.ok(numbered.length > 2 * size, `the demo has only ${numbered.length} permits`);
  const walked = [];
  let cursor = 'first';
  let pages = 0;
  while (cursor) {
    const r = await admin.getOk(`/api/permits?cursor=${encodeURIComponent(cursor)}&pageSize=${size}`);
    assert.ok(!('total' in r), 'a cursor page does not count the whole list');
    assert.ok(r.items.length <= size);
    walked.push(...r.items.map((p) => p.id));
    cursor = r.nextCursor;
    assert.ok(++pages < 1000, 'the cursor never ends');
  }
  assert.deepEqual(walked, numbered);
});

test('cursor pages keep the filters', async () => {
  const admin = await login('admin');
  const { items } = await admin.getOk('/api/permits?state=closed&pageSize=200');
  const first = await admin.getOk('/api/permits?state=closed&cursor=first&pageSize=1');
  assert.equal(first.items[0]?.id, items[0]?.id);
  if (items.length > 1) {
    const second = await admin.getOk(`/api/permits?state=closed&pageSize=1&cursor=${encodeURIComponent(first.nextCursor)}`);
    assert.equal(second.items[0].id, items[1].id);
    assert.ok(second.items.every((p) => p.state === 'closed'));
  }
});

test('a cursor that is not one is refused', async () => {
  const admin = await login('admin');
  for (const bad of ['2026-12-01T00:00:00Z', 'x~1', '2026-13-40T00:00:00Z~3', '2026-12-01T00:00:00Z~', '2026-12-01T00:00:00Z~1x']) {
    expectError(await admin.get(`/api/permits?cursor=${encodeURIComponent(bad)}`), 400, 'INVALID_VALUE', 'cursor');
  }
});

test('cursor pages keep a date range; a cursor later than the range still stops at its end', async () => {
  const admin = await login('admin');
  const all = (await admin.getOk('/api/permits?pageSize=200')).items;
  const to = all[Math.floor(all.length / 3)].plannedStart.slice(0, 10);
  const from = all.at(-1).plannedStart.slice(0, 10);
  const range = `from=${from}&to=${to}`;
  const numbered = (await admin.getOk(`/api/permits?${range}&pageSize=200`)).items.map((p) => p.id);
  assert.ok(numbered.length > 6 && numbered.length < all.length, `the range holds ${numbered.length} of ${all.length} permits`);
  const walked = [];
  for (let cursor = 'first'; cursor; ) {
    const r = await admin.getOk(`/api/permits?${range}&pageSize=3&cursor=${encodeURIComponent(cursor)}`);
    walked.push(...r.items.map((p) => p.id));
    cursor = r.nextCursor;
  }
  assert.deepEqual(walked, numbered);
  const late = await admin.getOk(`/api/permits?${range}&pageSize=5&cursor=${encodeURIComponent('2099-01-01T00:00:00Z~999999999')}`);
  assert.deepEqual(late.items.map((p) => p.id), numbered.slice(0, 5), 'the range still bounds the page');
});

test('/api/permits/count counts what the list holds under the same filters, in the caller\'s scope', async () => {
  const admin = await login('admin');
  const all = (await admin.getOk('/api/permits?pageSize=200')).items;
  const venue = all[0].venue.id;
  const department = (await admin.getOk('/api/org-units')).items.find((u) => u.kind === 'department');
  const to = all[Math.floor(all.length / 3)].plannedStart.slice(0, 10);
  const cases = ['', 'state=closed', 'state=draft', `venueId=${venue}`, `orgUnitId=${department.id}`, `orgUnitId=${department.id}&state=approved`,
    'q=DH-', 'q=没有这样的作业', `to=${to}`, `from=${to}`, `from=${all.at(-1).plannedStart.slice(0, 10)}&to=${to}`];
  const counted = new Set();
  for (const who of ['admin', 'sw_officer', 'contractor']) {
    const client = who === 'admin' ? admin : await login(who);
    for (const filters of cases) {
      const { total } = await client.getOk(`/api/permits/count?${filters}`);
      // The list's own total (numbered pages) and the rows a cursor walk reaches.
      const numbered = await client.getOk(`/api/permits?${filters}&pageSize=1`);
      let walked = 0;
      for (let cursor = 'first'; cursor; ) {
        const r = await client.getOk(`/api/permits?${filters}&pageSize=200&cursor=${encodeURIComponent(cursor)}`);
        walked += r.items.length;
        cursor = r.nextCursor;
      }
      assert.deepEqual([total, walked], [numbered.total, numbered.total], `${who} ?${filters}`);
      counted.add(total);
    }
  }
  assert.ok(counted.size > 4, `the cases count different numbers (${[...counted]})`);
  for (const [query, field] of [['state=bogus', 'state'], ['from=2026-13-01', 'from'], ['venueId=-1', 'venueId'], ['orgUnitId=x', 'orgUnitId']]) {
    expectError(await admin.get(`/api/permits/count?${query}`), 400, 'INVALID_VALUE', field);
  }
  expectError(await request('GET', '/api/permits/count'), 401, 'UNAUTHENTICATED');
});
