// Writes wrk scripts for the write rows of bench/REPORT.md, after setting their data up through the API.
//
// Row 6, "create + submit" (the concurrent-writes load): each permit is created and then submitted, by the demo
// contractor, over all of wrk's connections. Each of CREWS crews (welder, fire watch, machine, all fresh, as
// contractors' crews are) takes its permits one hour apart (61 minutes), so the one-job rule never refuses them
// while still checking every crew member's and machine's other permits. A connection sends the submit of a permit
// its wrk thread has created, or else creates the next. At the end the script prints one JSON line:
// {pairs (permits submitted), pairsPerSecond, errors (answers other than 201 / 200), duplicates (a permit number
// answered twice), firstError}; wrk's own latency lines are per request (a create or a submit).
//   HUOYAN_URL=http://127.0.0.1:8080 node scripts/bench-writes.mjs --wrk-pairs FILE [CREWS]
//   wrk -t2 -c64 -d10s --latency -s FILE http://127.0.0.1:8080/api/permits -- 2   (the last: wrk's threads, as -t)
// (wrk rather than a Node client: one Node process driving 64 connections used a whole core, more than the
// server did, and the row measured the client.)
//
// The "create alone" row (as the open peer's creation was measured): a wrk script that POSTs one valid draft
// permit as the demo contractor (drafts are not checked against each other, so the same body is created again
// and again).
//   HUOYAN_URL=... node scripts/bench-writes.mjs --wrk-create FILE
import { writeFileSync } from 'node:fs';
import {
  permitBasics, createCrew, createOpenVenue, permitBody, HOUR, DAY,
} from '../tests/api/lib.mjs';

const [mode, file, crewCount = '64'] = process.argv.slice(2);
if (!['--wrk-create', '--wrk-pairs'].includes(mode) || !file) {
  console.error('usage: bench-writes.mjs --wrk-create FILE | --wrk-pairs FILE [CREWS]');
  process.exit(2);
}
const { admin, contractor, world, approverUserId, deng } = await permitBasics();
const venue = await createOpenVenue(admin, world, approverUserId);
const base = Math.ceil(Date.now() / HOUR) * HOUR + 5 * DAY;
// Each crew's fire watch has an account, not logged in: one argon2id hash, the setup's main cost.
const newCrew = () => createCrew(admin, world, { fireWatchLoggedIn: false });
const body = (crew, start) => JSON.stringify(permitBody({ venueId: venue.id, start, end: start + HOUR, jobLeaderId: deng.id, approverUserId, crew }));
/** A Lua long string; no JSON body here contains its closing bracket. */
const luaString = (s) => {
  if (s.includes(']==]')) throw new Error('the text cannot be written as a Lua long string');
  return `[==[${s}]==]`;
};
const headers = [
  'wrk.method = "POST"',
  'wrk.headers["Content-Type"] = "application/json"',
  `wrk.headers["Cookie"] = "${contractor.cookie}"`,
  `wrk.headers["X-CSRF-Token"] = "${contractor.csrf}"`,
];

if (mode === '--wrk-create') {
  writeFileSync(file, [...headers, `wrk.body = ${luaString(body(await newCrew(), base))}`, ''].join('\n'));
  process.exit(0);
}

// Crews four at a time.
const crews = [];
while (crews.length < Number(crewCount)) {
  const batch = Math.min(4, Number(crewCount) - crews.length);
  crews.push(...await Promise.all(Array.from({ length: batch }, newCrew)));
}
// Each crew's body with its window as placeholders, filled in per permit by the script.
const START = '__START__';
const END = '__END__';
const templates = crews.map((crew) => {
  const b = body(crew, 0).replace(/"plannedStart":"[^"]*"/, `"plannedStart":"${START}"`).replace(/"plannedEnd":"[^"]*"/, `"plannedEnd":"${END}"`);
  if (!b.includes(START) || !b.includes(END)) throw new Error('the permit body has no planned window to fill in');
  return b;
});
writeFileSync(file, `${headers.join('\n')}
local bodies = { ${templates.map(luaString).join(',\n  ')} }
local base = ${base / 1000}  -- the first permit's planned start, epoch seconds

local threads = {}
function setup(thread)
  thread:set("index", #threads)
  table.insert(threads, thread)
end

-- Runs in each wrk thread: its share of the crews (args[1]: how many threads wrk runs, as -t), and what it has seen.
function init(args)
  local thread_count = tonumber(args[1]) or 2
  mine, uses, turn = {}, {}, 0
  for c = 1, #bodies do
    if (c - 1) % thread_count == index then mine[#mine + 1] = c; uses[c] = 0 end
  end
  if #mine == 0 then error("wrk thread " .. index .. " has no crew: give the number of threads after --, at most the crews") end
  to_submit, numbers, errors, first_error = {}, {}, 0, ""
end

local function iso(t) return os.date("!%Y-%m-%dT%H:%M:%S", t + 8 * 3600) .. "+08:00" end

function request()
  local id = table.remove(to_submit, 1)
  if id then return wrk.format("POST", "/api/permits/" .. id .. "/submit", nil, "{}") end
  turn = turn % #mine + 1
  local c = mine[turn]
  local start = base + uses[c] * 61 * 60
  uses[c] = uses[c] + 1
  local b = bodies[c]:gsub("${START}", iso(start), 1):gsub("${END}", iso(start + 3600), 1)
  return wrk.format("POST", "/api/permits", nil, b)
end

local function fail(what)
  errors = errors + 1
  -- cut at a whole UTF-8 character: the line is read as JSON
  if first_error == "" then first_error = what:sub(1, 200):gsub("[\\192-\\255][\\128-\\191]*$", "") end
end

function response(status, headers, body)
  local id = status == 201 and body:match('^{"id":(%d+)')
  local number = status == 200 and body:match('"number":"([^"]+)"')
  if id then to_submit[#to_submit + 1] = id
  elseif number then numbers[#numbers + 1] = number
  else fail(status .. " " .. body) end
end

-- A JSON string (the error's text: ASCII controls, quotes and backslashes escaped).
local function json_string(s)
  return '"' .. s:gsub('[%c"\\\\]', function(c) return string.format("\\\\u%04x", c:byte()) end) .. '"'
end

function done(summary, latency, requests)
  local seen, pairs_, duplicates, errs, first = {}, 0, 0, 0, ""
  for _, t in ipairs(threads) do
    for _, n in ipairs(t:get("numbers")) do
      pairs_ = pairs_ + 1
      if seen[n] then duplicates = duplicates + 1 end
      seen[n] = true
    end
    errs = errs + t:get("errors")
    if first == "" then first = t:get("first_error") end
  end
  io.write(string.format('{"pairs":%d,"pairsPerSecond":%.1f,"errors":%d,"duplicates":%d,"firstError":%s}\\n',
    pairs_, pairs_ / (summary.duration / 1e6),
    errs + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, duplicates,
    json_string(first)))
end
`);
