// Concurrent writes (README "基准", the small version of `make bench`'s create + submit row): 64 connections creating
// and submitting permits at the same time get no error, no duplicate permit number and no stall; and when eight
// permits of one crew in the same hours are submitted at once, exactly one wins (一次作业一张证 holds under races);
// ledger exports in numbers do not hold up the reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  describe, resetServerClock, createCrew, createOpenVenue, permitBody, createPermit, HOUR, PERMIT_NUMBER,
} from './lib.mjs';
import { permitTestSetup } from './permit_setup.mjs';

const CONNECTIONS = 64;
const ROUNDS = 4; // per connection: 256 permits in all
let admin, contractor, world, venue, deng, approverUserId;
const held = permitTestSetup(async (b) => {
  ({ admin, contractor, world, approverUserId, deng } = b);
  venue = await createOpenVenue(admin, world, approverUserId);
});

const body = (crew, start) => permitBody({ venueId: venue.id, start, end: start + HOUR, jobLeaderId: deng.id, approverUserId, crew });

test(`${CONNECTIONS} connections create and submit ${CONNECTIONS * ROUNDS} permits at once: no error, no duplicate number`, async () => {
  const crew = await createCrew(admin, world);
  const base = Math.ceil((await resetServerClock()) / HOUR) * HOUR + 2 * HOUR;
  const failures = [];
  const permits = [];
  const started = Date.now();
  // Each permit has its own hour (two hours apart), so that one crew never clashes with itself.
  await Promise.all(Array.from({ length: CONNECTIONS }, async (_, c) => {
    for (let r = 0; r < ROUNDS; r++) {
      const start = base + (c * ROUNDS + r) * 2 * HOUR;
      const created = await contractor.post('/api/permits', body(crew, start));
      if (created.status !== 201) {
        failures.push(describe(created));
        continue;
      }
      held.push(created.json.id);
      const submitted = await contractor.post(`/api/permits/${created.json.id}/submit`, {});
      if (submitted.status !== 200) failures.push(describe(submitted));
      else permits.push(submitted.json);
    }
  }));
  const seconds = (Date.now() - started) / 1000;
  assert.deepEqual(failures.slice(0, 5), [], `${failures.length} failed requests`);
  assert.equal(permits.length, CONNECTIONS * ROUNDS);
  assert.ok(permits.every((p) => p.state === 'submitted'));
  const numbers = permits.map((p) => p.number);
  assert.ok(numbers.every((n) => PERMIT_NUMBER.test(n)), `malformed: ${numbers.find((n) => !PERMIT_NUMBER.test(n))}`);
  assert.equal(new Set(numbers).size, numbers.length, 'duplicate permit numbers');
  // Within a day the sequence has no gaps: numbers come from one counter, not from a count of rows.
  const byDay = new Map();
  for (const n of numbers) {
    const [, day, seq] = n.match(PERMIT_NUMBER);
    (byDay.get(day) ?? byDay.set(day, []).get(day)).push(Number(seq));
  }
  for (const [day, seqs] of byDay) {
    seqs.sort((a, b) => a - b);
    assert.equal(seqs.at(-1) - seqs[0] + 1, seqs.length, `gaps in the numbers of ${day} (other tests may interleave only on other days)`);
  }
  // No stall: 512 writes do not take minutes (a generous bound; speed is measured by make bench, not here).
  assert.ok(seconds < 120, `took ${seconds} s`);
  // What the server stored agrees with what it answered.
  const stored = await admin.getOk(`/api/permits?venueId=${venue.id}&state=submitted&pageSize=200`);
  assert.ok(stored.total >= CONNECTIONS * ROUNDS, `the list shows ${stored.total} submitted permits`);
});

test('eight permits of one crew in the same hour, submitted at once: exactly one wins', async () => {
  const crew = await createCrew(admin, world);
  const start = Math.ceil((await resetServerClock()) / HOUR) * HOUR + 3 * HOUR;
  const drafts = [];
  for (let i = 0; i < 8; i++) {
    const p = await createPermit(contractor, body(crew, start + i * 60_000));
    held.push(p.id);
    drafts.push(p);
  }
  const results = await Promise.all(drafts.map((p) => contractor.post(`/api/permits/${p.id}/submit`, {})));
  const won = results.filter((r) => r.status === 200);
  assert.equal(won.length, 1, results.map((r) => `${r.status} ${r.json?.code ?? ''}`).join(', '));
  for (const r of results.filter((x) => x.status !== 200)) {
    assert.equal(r.status, 409, describe(r));
    assert.ok(['WORKER_DOUBLE_BOOKED', 'MACHINE_DOUBLE_BOOKED', 'FIRE_WATCH_DOUBLE_BOOKED'].includes(r.json.code), describe(r));
  }
});

test('ledger exports have their own threads: sixteen at once do not hold up a read sent after them', async () => {
  // On the readers' threads, the read would queue behind the exports and end after most of them.
  const EXPORTS = 16;
  let exportsDone = 0;
  let exportsDoneBeforeRead = -1;
  const exports = Array.from({ length: EXPORTS }, () =>
    admin.get('/api/hazards/export.xlsx').then((res) => { exportsDone++; return res; }));
  const read = admin.get('/api/version').then((res) => { exportsDoneBeforeRead = exportsDone; return res; });
  const [readRes, ...exportRes] = await Promise.all([read, ...exports]);
  assert.equal(readRes.status, 200, describe(readRes));
  for (const r of exportRes) {
    assert.equal(r.status, 200, describe(r));
    assert.equal(String.fromCharCode(r.bytes[0], r.bytes[1]), 'PK', 'an .xlsx file (a zip)');
  }
  assert.ok(exportsDoneBeforeRead < EXPORTS / 2, `${exportsDoneBeforeRead} of ${EXPORTS} exports ended before the read`);
});
