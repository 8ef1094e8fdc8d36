// The permit list's department filter (?orgUnitId=): a permit is listed under its venue's own unit and under each
// unit that supervises the venue, and follows them when they change (the server files permits by department as it
// writes them, so that the filtered list reads only that department's rows). Cursor and numbered pages agree, and the
// filter combines with the state and text filters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  describe, uid, resetServerClock, createCrew, createOpenVenue, permitBody, createPermit, listAll, venueBody, expectError, HOUR, MINUTE,
} from './lib.mjs';
import { permitTestSetup } from './permit_setup.mjs';

let admin, contractor, world, approverUserId, deng;
const held = permitTestSetup((b) => ({ admin, contractor, world, approverUserId, deng } = b));

/** The ids listed for `query`, walked by cursor and by numbered pages (which must agree). */
async function listed(query) {
  const numbered = (await listAll(admin, `/api/permits?${query}`)).map((p) => p.id);
  const walked = [];
  for (let cursor = 'first'; cursor;) {
    const r = await admin.getOk(`/api/permits?${query}&pageSize=2&cursor=${encodeURIComponent(cursor)}`);
    walked.push(...r.items.map((p) => p.id));
    cursor = r.nextCursor;
    assert.ok(walked.length < 1000, 'the cursor never ends');
  }
  assert.deepEqual(walked, numbered, `${query}: cursor and numbered pages differ`);
  return numbered;
}

test('a permit is listed under its venue’s unit and supervisors, and follows them when they change', async () => {
  const org = world.org;
  const unit = (name) => org.byName.get(name).id;
  const [trade, safety, culture] = [unit('商贸发展岗'), unit('安全应急岗'), unit('文教体旅岗')];
  const home = unit('龙凤社区');
  const elsewhere = org.items.find((u) => u.kind === 'village' && u.id !== home).id;
  const venue = await createOpenVenue(admin, world, approverUserId, { supervisorOrgUnitIds: [trade] });
  const tag = uid('dept');
  const base = Math.ceil((await resetServerClock()) / HOUR) * HOUR + 2 * HOUR;
  const crew = await createCrew(admin, world);
  const permits = [];
  for (let k = 0; k < 3; k++) {
    const body = permitBody({ venueId: venue.id, start: base + k * 3 * HOUR, end: base + k * 3 * HOUR + HOUR, jobLeaderId: deng.id,
      approverUserId, crew }, { place: `${tag} 第${k + 1}处` });
    const p = await createPermit(contractor, body);
    held.push(p.id);
    permits.push(p.id);
  }
  const newestFirst = [...permits].reverse();
  const under = (orgUnitId, more = '') => listed(`q=${tag}&orgUnitId=${orgUnitId}${more}`);

  assert.deepEqual(await under(trade), newestFirst, 'under the supervising department');
  assert.deepEqual(await under(home), newestFirst, 'under the venue’s own village');
  assert.deepEqual(await under(safety), [], 'not under a department that does not supervise the venue');

  // The venue is now supervised by two other departments.
  const res = await admin.put(`/api/venues/${venue.id}`, venueBody(org, { name: venue.name, openingHours: [], managerUserId: approverUserId,
    supervisorOrgUnitIds: [safety, culture] }));
  assert.equal(res.status, 200, describe(res));
  assert.deepEqual(await under(trade), [], 'left the department that no longer supervises');
  assert.deepEqual(await under(safety), newestFirst);
  assert.deepEqual(await under(culture), newestFirst);
  assert.deepEqual(await under(home), newestFirst, 'still under its village');

  // The venue moves to another village.
  const moved = await admin.put(`/api/venues/${venue.id}`, venueBody(org, { name: venue.name, openingHours: [], managerUserId: approverUserId,
    supervisorOrgUnitIds: [safety, culture], orgUnitId: elsewhere }));
  assert.equal(moved.status, 200, describe(moved));
  assert.deepEqual(await under(home), [], 'left the old village');
  assert.deepEqual(await under(elsewhere), newestFirst);

  // A change of state files the permit anew: the state filter reads the department's filing.
  const submitted = await contractor.post(`/api/permits/${permits[1]}/submit`, {});
  assert.equal(submitted.status, 200, describe(submitted));
  assert.deepEqual(await under(safety, '&state=submitted'), [permits[1]]);
  assert.deepEqual(await under(safety, '&state=draft'), [permits[2], permits[0]]);
  assert.deepEqual(await under(elsewhere, '&state=submitted'), [permits[1]]);

  // A draft moved to a later start is filed at its new start: the department's list orders and bounds by it.
  const later = base + 9 * HOUR;
  const movedDraft = await contractor.put(`/api/permits/${permits[0]}`, permitBody({ venueId: venue.id, start: later, end: later + HOUR,
    jobLeaderId: deng.id, approverUserId, crew }, { place: `${tag} 第1处` }));
  assert.equal(movedDraft.status, 200, describe(movedDraft));
  assert.deepEqual(await under(safety), [permits[0], permits[2], permits[1]], 'ordered by the new start');
  assert.deepEqual(await under(safety, `&to=${encodeURIComponent(new Date(later - HOUR).toISOString())}`), [permits[2], permits[1]],
    'bounded by the new start');
});

// A period (?from=&to=) lists the permits whose window meets it. The list bounds its scan by the longest window any
// permit may have (168 h, refused past that when a draft is saved), so one that began that long before the period
// must still be found, in the whole list and in a department’s filing, by cursor, by page and in the count, and on
// the day board of its last day.
test('a period finds a permit that began the longest window (168 h) before it; a longer window is refused', async () => {
  const trade = world.org.byName.get('商贸发展岗').id;
  const venue = await createOpenVenue(admin, world, approverUserId, { supervisorOrgUnitIds: [trade] });
  const tag = uid('week');
  const start = Math.ceil((await resetServerClock()) / HOUR) * HOUR + 2 * HOUR;
  const longest = 168 * HOUR;
  const crew = await createCrew(admin, world);
  const body = (end) => permitBody({ venueId: venue.id, start, end, jobLeaderId: deng.id, approverUserId, crew }, { place: `${tag} 七天` });
  expectError(await contractor.post('/api/permits', body(start + longest + MINUTE)), 400, 'PERMIT_WINDOW_TOO_LONG', 'plannedEnd');
  const p = await createPermit(contractor, body(start + longest));
  held.push(p.id);
  expectError(await contractor.put(`/api/permits/${p.id}`, body(start + longest + MINUTE)), 400, 'PERMIT_WINDOW_TOO_LONG', 'plannedEnd');

  const at = (ms) => encodeURIComponent(new Date(ms).toISOString());
  const lastMinute = `from=${at(start + longest - MINUTE)}&to=${at(start + longest)}`;
  for (const dept of ['', `&orgUnitId=${trade}`]) {
    assert.deepEqual(await listed(`q=${tag}&${lastMinute}${dept}`), [p.id], `its last minute${dept}`);
    assert.equal((await admin.getOk(`/api/permits/count?q=${tag}&${lastMinute}${dept}`)).total, 1, `counted${dept}`);
    assert.deepEqual(await listed(`q=${tag}&from=${at(start + longest + MINUTE)}${dept}`), [], `after its end${dept}`);
  }
  // The day board of its last day shows it too, though the town's settings allow no level more than 72 h.
  const lastDay = new Date(start + longest - MINUTE + 8 * HOUR).toISOString().slice(0, 10);  // Beijing date
  const board = await admin.getOk(`/api/permits/board?date=${lastDay}`);
  assert.ok(board.columns.find((c) => c.state === 'draft').items.some((x) => x.id === p.id), `on the board of ${lastDay}`);
});

test('an unknown or malformed department lists nothing or is refused', async () => {
  assert.deepEqual((await admin.getOk('/api/permits?orgUnitId=999999999&cursor=first')).items, []);
  assert.equal((await admin.getOk('/api/permits?orgUnitId=999999999')).total, 0);
  const bad = await admin.get('/api/permits?orgUnitId=abc');
  assert.equal(bad.status, 400, describe(bad));
  assert.equal(bad.json.field, 'orgUnitId');
});
