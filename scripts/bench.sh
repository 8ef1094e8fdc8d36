#!/usr/bin/env bash
# HTTP benchmark on loopback: starts the server on a copy of the demo town,
# drives each route with wrk (bounded in time) and writes bench/REPORT.md.
#   scripts/bench.sh [--smoke]   --smoke: one row, 2 seconds (CI keeps the code alive)
set -euo pipefail
cd "$(dirname "$0")/.."
smoke=0; [ "${1:-}" = --smoke ] && smoke=1
duration=${BENCH_SECONDS:-10}; [ $smoke = 1 ] && duration=2
work=$(mktemp -d /tmp/huoyan-bench.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
build/huoyan demo --db "sqlite:$work/bench.db" >/dev/null
start=$(date +%s.%N)
build/huoyan serve --db "sqlite:$work/bench.db" --listen "127.0.0.1:$port" --web-root web/dist >"$work/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
until curl -sf "$url/healthz" >/dev/null; do sleep 0.05; done
startup=$(python3 -c "import time; print(f'{time.time()-$start:.2f}')")
cookie=$(curl -s -i -X POST "$url/api/auth/login" -H 'Content-Type: application/json' \
  -d '{"login":"admin","password":"Huoyan@2025"}' | sed -n 's/^Set-Cookie: \(hy_session=[^;]*\).*/\1/p')

rows=()
ceiling=""
# row NAME CONNECTIONS PATH
row() {
  local name=$1 conns=$2 path=$3 out rps p50 p99 errors ratio
  out=$(wrk -t2 -c"$conns" -d"${duration}s" --latency -H "Cookie: $cookie" "$url$path")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  errors=$(echo "$out" | awk '/Non-2xx/ {print $5}'); errors=${errors:-0}
  [ -n "$ceiling" ] || ceiling=$rps
  ratio=$(python3 -c "print(f'{$rps/$ceiling*100:.0f}%')")
  rows+=("| $name | $conns | $rps | $p50 | $p99 | $ratio | $errors |")
  echo "$name: $rps req/s, p50 $p50, p99 $p99"
}

row "上限：不访问数据库的 JSON 路由 GET /api/version" 64 /api/version
if [ $smoke = 0 ]; then
  row "按 id 读取用户 GET /api/users/2" 64 /api/users/2
  row "用户列表第 1 页 GET /api/users" 64 "/api/users?page=1&pageSize=20"
  row "审计日志第 1 页 GET /api/audit-logs" 64 "/api/audit-logs?page=1&pageSize=20"
fi
rss=$(awk '/VmHWM/ {print $2/1024 " MB"}' /proc/$pid/status)
dbsize=$(du -h "$work/bench.db" | cut -f1)

report=bench/REPORT.md
[ $smoke = 1 ] && report=$work/REPORT.md
{
  echo "# 基准测试报告"
  echo
  echo "- 机器：$(nproc) 核，$(free -g | awk '/Mem:/ {print $2}') GiB；$(uname -sr)"
  echo "- 命令：\`make bench\`（wrk -t2 -d${duration}s --latency，回环地址，wrk 与服务共用这两个核）"
  echo "- 数据库：SQLite（演示镇数据，$dbsize）；启动到可服务：${startup} s；峰值内存（VmHWM）：$rss"
  echo
  echo "| 路由 | 连接数 | 请求/秒 | p50 | p99 | 占上限 | 非 2xx |"
  echo "|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
} >"$report"
cat "$report"
