#!/usr/bin/env bash
# Runs every test suite against real parts and ends with one line
# "N passed, N failed" summing them all. Exit status 1 if anything failed.
#   scripts/test-all.sh [suite...]   suites: unit api-sqlite api-postgres mqtt web-unit e2e bench-smoke
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bin=$root/build/huoyan
out=$root/build/test-results
suites=("$@")
[ "${1:-}" = __api_pg ] || rm -rf "$out"
mkdir -p "$out"
[ ${#suites[@]} -gt 0 ] || suites=(unit api-sqlite api-postgres mqtt web-unit e2e bench-smoke)

total_pass=0; total_fail=0; summary=()
add_result() {  # suite passed failed
  total_pass=$((total_pass + $2)); total_fail=$((total_fail + $3))
  summary+=("$(printf '%-14s %5s passed, %s failed' "$1" "$2" "$3")")
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

server_pid=""
# start_server DB_URL LOG [EXTRA SERVE ARGS]: loads the demo town into DB_URL and serves it; sets $server_url.
start_server() {
  local db=$1 log=$2 port
  shift 2
  port=$(free_port)
  "$bin" demo --db "$db" >"$log.demo" 2>&1 || { cat "$log.demo"; return 1; }
  # Backups (the server's own, at start and on the moved clock's nights) stay beside the log, not in the checkout;
  # their second store too.
  HUOYAN_BACKUP_DIR="$log.backups" HUOYAN_BACKUP_COPY_TO="$log.offsite" "$bin" serve --db "$db" --listen "127.0.0.1:$port" --web-root "$root/web/dist" --test-clock --trust-proxy "$@" >"$log" 2>&1 &
  server_pid=$!
  server_url="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do
    curl -sf "$server_url/healthz" >/dev/null 2>&1 && return 0
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "server did not start:"; cat "$log"; return 1
}
stop_server() {
  [ -n "$server_pid" ] || return 0
  kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null
  server_pid=""
}
trap stop_server EXIT

# node_suite NAME DIR FILES...: node's test runner, counted from its TAP report.
node_suite() {
  local name=$1; shift
  local tap="$out/$name.tap"
  node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$tap" "$@"
  local pass fail
  pass=$(grep -E '^# pass ' "$tap" | tail -n1 | awk '{print $3}')
  fail=$(grep -E '^# fail ' "$tap" | tail -n1 | awk '{print $3}')
  if [ -z "$pass" ]; then pass=0; fail=1; fi  # the runner itself broke
  add_result "$name" "$pass" "$fail"
}

api_suite() {  # NAME DB_URL
  local name=$1 db=$2
  echo "== $name"
  if start_server "$db" "$out/$name.server.log"; then
    HUOYAN_URL=$server_url HUOYAN_BIN=$bin HUOYAN_DB=$db node_suite "$name" $(ls "$root"/tests/api/*.test.mjs | sort)
  else
    add_result "$name" 0 1
  fi
  stop_server
}

# sql URL QUERY: the query's rows, one per line, on a sqlite: or postgresql: URL.
sql() {
  case $1 in
    sqlite:*) sqlite3 "${1#sqlite:}" "$2" ;;
    *) psql "$1" -Atc "$2" ;;
  esac
}

# city_generator NAME DB_URL FRESH_URL: `huoyan demo --scale` fills an empty database with a tiny city, whose every
# permit number is at or below its day's counter (so that new permits of those days get new numbers), whose every
# permit's timeline runs unbroken (each event starts where the one before ended) to the permit's state, whose records
# agree with their timelines (start, finish, survey and risk confirmation written where the timeline has them, workers
# checked in where the work started, a closed permit's site cleared with its three rounds done between finish and
# close, measures answered in full or not at all, none the permit settles as 不涉及, and a recent month's), whose audit
# chain verifies (2,550 generated rows: full inserts of 500 and a short last one), whose hazard counts by village and
# department (the summary's) are those of its hazards, and whose indexes and triggers
# (set aside during the load) are those of FRESH_URL, an empty database the migrations alone made.
city_generator() {
  local name=$1 db=$2 fresh=$3 behind broken unlike miscounted schema
  # The summary's hazard counts per village and department (kept by triggers, which the load bypasses), and the
  # same counted from the hazards.
  local kept="SELECT village_org_unit_id, supervisor_org_unit_id, reported, rectifying, awaiting_recheck, closed, overdue,
    supervised FROM hazard_village_counts WHERE reported + rectifying + awaiting_recheck + closed > 0"
  local counted="SELECT v.org_unit_id, COALESCE(h.supervisor_org_unit_id, 0), SUM(CASE WHEN h.state = 'reported' THEN 1 ELSE 0 END),
    SUM(CASE WHEN h.state = 'rectifying' THEN 1 ELSE 0 END), SUM(CASE WHEN h.state = 'awaiting_recheck' THEN 1 ELSE 0 END),
    SUM(CASE WHEN h.state = 'closed' THEN 1 ELSE 0 END), SUM(h.overdue), SUM(CASE WHEN h.supervision IS NOT NULL THEN 1 ELSE 0 END)
    FROM hazards h JOIN venues v ON v.id = h.venue_id GROUP BY v.org_unit_id, COALESCE(h.supervisor_org_unit_id, 0)"
  case $db in
    sqlite:*) schema="SELECT type || ' ' || name || ' ' || sql FROM sqlite_master WHERE type IN ('index', 'trigger') ORDER BY 1" ;;
    *) schema="SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() UNION ALL
         SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1" ;;
  esac
  if "$bin" demo --db "$db" --scale 0.00051 >"$out/$name.log" 2>&1 &&
     behind=$(sql "$db" "SELECT COUNT(*) FROM permits p WHERE NOT EXISTS (SELECT 1 FROM permit_counters c WHERE c.day =
       substr(p.number, 4, 4) || '-' || substr(p.number, 8, 2) || '-' || substr(p.number, 10, 2)
       AND c.last >= CAST(substr(p.number, 13) AS INTEGER))") && [ "$behind" = 0 ] &&
     broken=$(sql "$db" "SELECT (SELECT COUNT(*) FROM permits p WHERE COALESCE((SELECT e.to_state FROM permit_events e
       WHERE e.permit_id = p.id ORDER BY e.id DESC LIMIT 1), '') <> p.state) + (SELECT COUNT(*) FROM permit_events e
       WHERE e.from_state <> COALESCE((SELECT b.to_state FROM permit_events b WHERE b.permit_id = e.permit_id AND b.id < e.id
       ORDER BY b.id DESC LIMIT 1), e.from_state))") && [ "$broken" = 0 ] &&
     unlike=$(sql "$db" "SELECT (SELECT COUNT(*) FROM permits p WHERE (p.started_at IS NULL) = EXISTS (SELECT 1 FROM permit_events e
       WHERE e.permit_id = p.id AND e.command = 'start') OR (p.fire_watch_checked_in_at IS NULL) <> (p.started_at IS NULL)
       OR (p.finished_at IS NULL) = EXISTS (SELECT 1 FROM permit_events e WHERE e.permit_id = p.id AND e.command = 'finish')
       OR (p.survey IS NULL) = EXISTS (SELECT 1 FROM permit_events e WHERE e.permit_id = p.id AND e.command = 'survey')
       OR (p.risk_confirmation IS NULL) = EXISTS (SELECT 1 FROM permit_events e WHERE e.permit_id = p.id AND e.command = 'confirm-risk'))
       + (SELECT COUNT(*) FROM permits p WHERE p.state = 'closed' AND (p.site_clear <> 1 OR 3 <> (SELECT COUNT(*) FROM permit_rounds r
       WHERE r.permit_id = p.id AND r.result = 'normal' AND r.done_at >= p.finished_at AND r.done_at <= p.closed_at)))
       + (SELECT COUNT(*) FROM permit_workers w JOIN permits p ON p.id = w.permit_id WHERE (w.checked_in_at IS NULL) <> (p.started_at IS NULL))
       + (SELECT COUNT(*) FROM permits p WHERE (SELECT COUNT(*) FROM permit_measures m WHERE m.permit_id = p.id)
       NOT IN (0, (SELECT COUNT(*) FROM measure_templates WHERE enabled = 1)))
       + (SELECT COUNT(*) FROM permit_measures m JOIN permits p ON p.id = m.permit_id WHERE m.applies = 0 AND (m.code IN
       ('extinguishers', 'fire_watch_ready') OR (m.code = 'welder_grounding' AND p.method = 'electric_welding')
       OR (m.code = 'cylinders' AND p.method IN ('gas_welding', 'gas_cutting'))))
       + CASE WHEN (SELECT COUNT(DISTINCT permit_id) FROM permit_measures) > 100 THEN 0 ELSE 1 END") && [ "$unlike" = 0 ] &&
     miscounted=$(sql "$db" "SELECT (SELECT COUNT(*) FROM (SELECT * FROM ($kept) a EXCEPT SELECT * FROM ($counted) b) x)
       + (SELECT COUNT(*) FROM (SELECT * FROM ($counted) b EXCEPT SELECT * FROM ($kept) a) y)") && [ "$miscounted" = 0 ] &&
     "$bin" audit verify --db "$db" >>"$out/$name.log" 2>&1 &&
     "$bin" migrate --db "$fresh" >>"$out/$name.log" 2>&1 &&
     diff <(sql "$fresh" "$schema") <(sql "$db" "$schema") >>"$out/$name.log"; then
    add_result "$name" 1 0
  else
    tail -8 "$out/$name.log"
    echo "$name: permits ahead of their day's counter: ${behind:-?}, timelines broken: ${broken:-?}, records unlike the timeline: ${unlike:-?}, hazard counts unlike the hazards: ${miscounted:-?} (or the chain did not verify, or the indexes differ: above)"
    add_result "$name" 0 1
  fi
}

for suite in "${suites[@]}"; do
  case $suite in
    unit)
      echo "== unit (C++)"
      # (Postgres* tests need a cluster: they run in the api-postgres suite.)
      ctest --test-dir build --output-on-failure -j2 -E '^Postgres\.' | tee "$out/unit.log"
      line=$(grep -E 'tests passed, [0-9]+ tests failed out of [0-9]+' "$out/unit.log" | tail -n1)
      if [ -n "$line" ]; then
        failed=$(echo "$line" | sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/')
        all=$(echo "$line" | sed -E 's/.* out of ([0-9]+).*/\1/')
        add_result unit $((all - failed)) "$failed"
      else
        add_result unit 0 1
      fi ;;
    api-sqlite)
      api_suite api-sqlite "sqlite:$out/api.db"
      city_generator city-generator:sqlite "sqlite:$out/city.db" "sqlite:$out/fresh.db" ;;
    api-postgres)
      echo "== api-postgres"
      scripts/with-postgres.sh bash -c "scripts/test-all.sh __api_pg" \
        || true
      if [ -f "$out/api-postgres.count" ]; then
        read -r p f <"$out/api-postgres.count"; add_result api-postgres "$p" "$f"
      else
        add_result api-postgres 0 1
      fi ;;
    __api_pg)
      # Inside the throwaway cluster (called by the api-postgres suite above).
      api_suite api-postgres "$HUOYAN_PG_URL"
      if build/unit_tests --gtest_filter='Postgres.*' >"$out/unit-postgres.log" 2>&1; then add_result unit-postgres 1 0
      else tail -30 "$out/unit-postgres.log"; add_result unit-postgres 0 1; fi
      psql "$HUOYAN_PG_URL" -Atqc "CREATE DATABASE city" -c "CREATE DATABASE fresh"
      city_generator city-generator:postgresql "${HUOYAN_PG_URL%/*}/city" "${HUOYAN_PG_URL%/*}/fresh"
      echo "$total_pass $total_fail" >"$out/api-postgres.count"
      exit 0 ;;
    mqtt)
      echo "== mqtt (Mosquitto)"
      mqtt_port=$(free_port)
      if start_server "sqlite:$out/mqtt.db" "$out/mqtt.server.log" --mqtt "127.0.0.1:$mqtt_port"; then
        MQTT_PORT=$mqtt_port HUOYAN_URL=$server_url HUOYAN_BIN=$bin node_suite mqtt "$root"/tests/mqtt/*.test.mjs
      else
        add_result mqtt 0 1
      fi
      stop_server ;;
    web-unit)
      echo "== web-unit (vitest)"
      (cd web && npx vitest run --reporter=default --reporter=json --outputFile="$out/vitest.json")
      if [ -f "$out/vitest.json" ]; then
        read -r p f < <(node -e 'const r=require(process.argv[1]);console.log(r.numPassedTests, r.numFailedTests + (r.success||r.numFailedTests? 0 : 1))' "$out/vitest.json")
        add_result web-unit "$p" "$f"
      else
        add_result web-unit 0 1
      fi ;;
    e2e)
      echo "== e2e (Chromium)"
      if start_server "sqlite:$out/e2e.db" "$out/e2e.server.log"; then
        pushd web >/dev/null
        HUOYAN_URL=$server_url HUOYAN_BIN=$bin node_suite e2e $(ls e2e/*.test.mjs | sort)
        popd >/dev/null
      else
        add_result e2e 0 1
      fi
      stop_server ;;
    bench-smoke)
      # The benchmark scripts at tiny sizes, so their code cannot rot; figures come from `make bench`.
      echo "== bench-smoke"
      for script in bench.sh bench-devices.sh; do
        if scripts/$script --smoke >"$out/$script.log" 2>&1; then add_result "bench:$script" 1 0
        else tail -20 "$out/$script.log"; add_result "bench:$script" 0 1; fi
      done ;;
    *) echo "unknown suite: $suite"; exit 2 ;;
  esac
done

echo
echo "== summary"
printf '%s\n' "${summary[@]}"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
