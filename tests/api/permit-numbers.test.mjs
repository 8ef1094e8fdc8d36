// Permit numbers (DH-YYYYMMDD-NNNN) come from the day's counter. A number already held by a permit the counter
// did not give (an imported one; here: the counter set back in the database) is passed over, not given twice,
// and later creates of the day still succeed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resetServerClock, createCrew, createOpenVenue, permitBody, createPermit, sqlOk, HOUR } from './lib.mjs';
import { permitTestSetup } from './permit_setup.mjs';

let admin, contractor, world, approverUserId, deng;
const held = permitTestSetup((b) => ({ admin, contractor, world, approverUserId, deng } = b));

test('a number the counter would give again is passed over', async () => {
  const venue = await createOpenVenue(admin, world, approverUserId);
  const crew = await createCrew(admin, world);
  const base = Math.ceil((await resetServerClock()) / HOUR) * HOUR + 2 * HOUR;
  const create = async (k) => {
    const p = await createPermit(contractor, permitBody({ venueId: venue.id, start: base + k * 2 * HOUR, end: base + k * 2 * HOUR + HOUR,
      jobLeaderId: deng.id, approverUserId, crew }));
    held.push(p.id);
    return p;
  };
  const first = await create(0);
  const m = /^DH-(\d{4})(\d{2})(\d{2})-(\d{4,})$/.exec(first.number);
  assert.ok(m, `number format: ${first.number}`);
  const day = `${m[1]}-${m[2]}-${m[3]}`;
  const n = Number(m[4]);
  const numberOf = (k) => `DH-${m[1]}${m[2]}${m[3]}-${String(k).padStart(4, '0')}`;
  // The counter set back by two: its next two numbers (n - 1 is free or taken by an earlier test, n is the first permit's).
  sqlOk(`UPDATE permit_counters SET last = ${n - 2} WHERE day = '${day}'`);
  const free = sqlOk(`SELECT COUNT(*) FROM permits WHERE number = '${numberOf(n - 1)}'`) === '0';
  const second = await create(1);
  const third = await create(2);
  const given = [second.number, third.number];
  assert.ok(!given.includes(first.number), `the first permit's number was given again: ${given}`);
  assert.deepEqual(given, free ? [numberOf(n - 1), numberOf(n + 1)] : [numberOf(n + 1), numberOf(n + 2)]);
  assert.equal(sqlOk(`SELECT COUNT(DISTINCT number) FROM permits WHERE id IN (${first.id}, ${second.id}, ${third.id})`), '3');
});
