#!/usr/bin/env bash
# Welding-machine benchmarks (issue: 焊机加芯赋码), one run on this machine:
#   1. in-process telemetry matching, events/s on one core (huoyan bench-match);
#   2. ingest through Mosquitto, as a ratio to the broker's own delivery rate
#      measured in the same run with its own tools (mosquitto_pub -l → mosquitto_sub);
#   3. scan-to-unlock latency at 1,000 scans per minute (HTTP on loopback);
#   4. the server's peak memory with 200,000 registered machines reporting.
# Writes bench/DEVICES.md.   scripts/bench-devices.sh [--smoke]   (--smoke: tiny sizes, for CI)
set -euo pipefail
cd "$(dirname "$0")/.."
smoke=0; [ "${1:-}" = --smoke ] && smoke=1
if [ $smoke = 1 ]; then
  match_machines=2000; match_events=200000; per_pub=2000; scan_seconds=3; fleet=2000; fleet_rate=500; fleet_seconds=3
else
  match_machines=200000; match_events=20000000; per_pub=50000; scan_seconds=30; fleet=200000; fleet_rate=5000; fleet_seconds=30
fi
work=$(mktemp -d /tmp/huoyan-bench-dev.XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
port=$(free_port); mqtt_port=$(free_port); url="http://127.0.0.1:$port"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$work"; }
trap cleanup EXIT

echo "== 1. matching"
match=$(build/huoyan bench-match --machines $match_machines --events $match_events)
echo "$match"
match_rate=$(echo "$match" | python3 -c 'import json,sys; print(json.load(sys.stdin)["eventsPerSecond"])')

echo "== 2. ingest through Mosquitto"
printf 'listener %s 127.0.0.1\nallow_anonymous true\nmax_queued_messages 0\n' "$mqtt_port" >"$work/mosquitto.conf"
mosquitto -c "$work/mosquitto.conf" >"$work/mosquitto.log" 2>&1 & pids+=($!)
build/huoyan demo --db "sqlite:$work/bench.db" >/dev/null
HUOYAN_BACKUP_SCHEDULED=0 build/huoyan serve --db "sqlite:$work/bench.db" --listen "127.0.0.1:$port" --web-root web/dist --mqtt "127.0.0.1:$mqtt_port" \
  >"$work/server.log" 2>&1 & server=$!; pids+=($server)
until curl -sf "$url/healthz" >/dev/null; do sleep 0.05; done
until grep -q "mqtt: connected" "$work/server.log"; do sleep 0.05; done
accepted() { curl -s "$url/metrics" | awk -F' ' '/^huoyan_device_messages_total\{outcome="accepted"\}/ {print $2}'; }
# Two publishers, one machine each (its own sequence); four files so Huoyan never sees a repeat.
for round in broker huoyan; do
  node bench/devices.mjs lines "$url" JF-HJ-0001 $per_pub "$work/$round.1"
  node bench/devices.mjs lines "$url" JF-HJ-0011 $per_pub "$work/$round.2"
done
total=$((per_pub * 2))
publish() {  # publish ROUND: both files at once, to their machines' topics
  mosquitto_pub -p "$mqtt_port" -V mqttv5 -q 1 -t huoyan/v1/machines/JF-HJ-0001/telemetry -l <"$work/$1.1" &
  local a=$!
  mosquitto_pub -p "$mqtt_port" -V mqttv5 -q 1 -t huoyan/v1/machines/JF-HJ-0011/telemetry -l <"$work/$1.2"
  wait $a
}
# The broker's own delivery rate: a subscriber of its own tools on a topic Huoyan does not read.
mosquitto_sub -p "$mqtt_port" -V mqttv5 -q 1 -t 'bench/#' -C $total >/dev/null & sub=$!
sleep 0.3
t0=$(now)
mosquitto_pub -p "$mqtt_port" -V mqttv5 -q 1 -t bench/a -l <"$work/broker.1" & a=$!
mosquitto_pub -p "$mqtt_port" -V mqttv5 -q 1 -t bench/b -l <"$work/broker.2"
wait $a; wait $sub
broker_rate=$(python3 -c "print(int($total/($(now)-$t0)))")
# Huoyan: the same publishers to the machines' topics, until every message is accepted.
before=$(accepted); t0=$(now)
publish huoyan
while [ $(( $(accepted) - before )) -lt $total ]; do sleep 0.02; done
huoyan_rate=$(python3 -c "print(int($total/($(now)-$t0)))")
ratio=$(python3 -c "print(f'{$huoyan_rate/$broker_rate*100:.0f}%')")
echo "broker $broker_rate msg/s, huoyan $huoyan_rate msg/s ($ratio)"

echo "== 3. scan-to-unlock at 1,000 scans/min"
scans=$(node bench/devices.mjs scans "$url" 1000 $scan_seconds)
echo "$scans"
read -r scan_n scan_failed scan_p50 scan_p99 < <(echo "$scans" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["scans"], d["failed"], d["p50"], d["p99"])')

echo "== 4. memory with $fleet machines"
build/huoyan simulate --db "sqlite:$work/bench.db" --mqtt "127.0.0.1:$mqtt_port" --machines $fleet --rate $fleet_rate \
  --violations 0.02 --seconds $fleet_seconds | tail -1
target=$(( $(accepted) ))
sleep 2
rss=$(awk '/VmHWM/ {printf "%.0f MB", $2/1024}' /proc/$server/status)
machines=$(curl -s "$url/metrics" >/dev/null; python3 -c "import sqlite3; print(sqlite3.connect('$work/bench.db').execute('select count(*) from machines').fetchone()[0])")
dbsize=$(du -h "$work/bench.db" | cut -f1)
echo "server peak memory $rss with $machines machines"

report=bench/DEVICES.md; [ $smoke = 1 ] && report=$work/DEVICES.md
{
  echo "# 焊机加芯赋码基准"
  echo
  echo "- 机器：$(nproc) 核，$(free -g | awk '/Mem:/ {print $2}') GiB；$(uname -sr)；Mosquitto $(mosquitto -h 2>/dev/null | awk 'NR==1 {print $3}')"
  echo "- 命令：\`make bench\`（scripts/bench-devices.sh），数据库 SQLite（演示镇），代理与服务、压测工具共用这两个核"
  echo
  echo "| 项目 | 结果 | 目标 |"
  echo "|---|---|---|"
  echo "| 进程内遥测匹配（单核，$match_machines 台焊机，$match_events 条） | $match_rate 条/秒 | ≥ 1,000,000 条/秒/核 |"
  echo "| 经 Mosquitto 端到端入库（2 个发布者，共 $total 条，QoS 1） | $huoyan_rate 条/秒，为代理自身投递速率 $broker_rate 条/秒的 $ratio | ≥ 90 % |"
  echo "| 扫码开机（每分钟 1000 次，共 $scan_n 次，失败 $scan_failed 次），回环地址上客户端测得 | p50 $scan_p50 ms，p99 $scan_p99 ms | p99 < 100 ms（服务端） |"
  echo "| 登记 $machines 台焊机、模拟上报 ${fleet_seconds} 秒（每秒 $fleet_rate 条）后服务进程峰值内存 | $rss（数据库 $dbsize） | — |"
} >"$report"
cat "$report"
