// Load of "create + submit a permit" (row 6 of bench/REPORT.md): CONNECTIONS workers, each in a loop creating a
// permit and submitting it, for SECONDS. Each worker has its own fresh crew (welder, fire watch, machine), as
// contractors' crews do, and gives each permit its own hour (61 minutes apart), so the one-job rule never refuses
// them while still checking every crew member's and machine's other permits. Prints one JSON line: {pairs, rps, p50, p99 (ms per create + submit),
// errors, duplicates (permit numbers given twice)}.
//   HUOYAN_URL=http://127.0.0.1:8080 node scripts/bench-writes.mjs SECONDS CONNECTIONS
// The "create alone" row (as the open peer's creation was measured, with wrk): instead writes a wrk script that
// POSTs one valid draft permit as the demo contractor (its session and CSRF token; drafts are not checked
// against each other, so the same body can be created again and again).
//   HUOYAN_URL=... node scripts/bench-writes.mjs --wrk-create FILE
import { writeFileSync } from 'node:fs';
import {
  permitBasics, createCrew, createOpenVenue, permitBody, HOUR, DAY, MINUTE,
} from '../tests/api/lib.mjs';

const { admin, contractor, world, approverUserId, deng } = await permitBasics();
const venue = await createOpenVenue(admin, world, approverUserId);
const base = Math.ceil(Date.now() / HOUR) * HOUR + 5 * DAY;
// Each crew's fire watch has an account, not logged in: one argon2id hash, the setup's main cost.
const newCrew = () => createCrew(admin, world, { fireWatchLoggedIn: false });
if (process.argv[2] === '--wrk-create') {
  const body = JSON.stringify(permitBody({
    venueId: venue.id, start: base, end: base + HOUR, jobLeaderId: deng.id, approverUserId, crew: await newCrew(),
  }));
  if (body.includes(']==]')) throw new Error('the permit body cannot be written as a Lua long string');
  writeFileSync(process.argv[3], [
    'wrk.method = "POST"',
    'wrk.headers["Content-Type"] = "application/json"',
    `wrk.headers["Cookie"] = "${contractor.cookie}"`,
    `wrk.headers["X-CSRF-Token"] = "${contractor.csrf}"`,
    `wrk.body = [==[${body}]==]`,
    '',
  ].join('\n'));
  process.exit(0);
}

const seconds = Number(process.argv[2] ?? 10);
const connections = Number(process.argv[3] ?? 64);
// Crews four at a time.
const crews = [];
while (crews.length < connections) {
  const batch = Math.min(4, connections - crews.length);
  crews.push(...await Promise.all(Array.from({ length: batch }, newCrew)));
}
const latencies = [];
const numbers = new Set();
let errors = 0;
let duplicates = 0;
let firstError = '';

async function worker(crew) {
  for (let k = 0; Date.now() < until; k++) {
    const start = base + k * 61 * MINUTE;
    const body = permitBody({ venueId: venue.id, start, end: start + HOUR, jobLeaderId: deng.id, approverUserId, crew });
    const t = performance.now();
    const created = await contractor.post('/api/permits', body);
    const submitted = created.status === 201 ? await contractor.post(`/api/permits/${created.json.id}/submit`, {}) : created;
    if (submitted.status !== 200) {
      errors += 1;
      firstError ||= `${submitted.status} ${submitted.text.slice(0, 200)}`;
      continue;
    }
    latencies.push(performance.now() - t);
    if (numbers.has(submitted.json.number)) duplicates += 1;
    numbers.add(submitted.json.number);
  }
}
const until = Date.now() + seconds * 1000;
const t0 = performance.now();
await Promise.all(crews.map(worker));
const elapsed = (performance.now() - t0) / 1000;
latencies.sort((a, b) => a - b);
const at = (q) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] : 0);
console.log(JSON.stringify({
  pairs: latencies.length, rps: +(latencies.length / elapsed).toFixed(1), p50: +at(0.5).toFixed(1), p99: +at(0.99).toFixed(1),
  errors, duplicates, firstError,
}));
