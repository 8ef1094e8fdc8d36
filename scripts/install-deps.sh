#!/usr/bin/env bash
# Installs what Huoyan needs to build, run and test on Debian 12, skipping
# what is already there: Debian packages (as root or through sudo), then the
# web app's npm packages (npm ci, only when package-lock.json changed).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake pkg-config ccache python3
  librestinio-dev libasio-dev libfmt-dev libsoci-dev libboost-dev libsqlite3-dev sqlite3 libpq-dev
  libsodium-dev libssl-dev nlohmann-json3-dev libspdlog-dev libcli11-dev libtomlplusplus-dev
  libgtest-dev libgmock-dev libbenchmark-dev libqrencode-dev libxlsxwriter-dev
  libcurl4-openssl-dev libmosquitto-dev mosquitto mosquitto-clients libjemalloc-dev libpcre2-dev rapidjson-dev
  postgresql postgresql-client
  chromium fonts-noto-cjk wrk curl
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if command -v node >/dev/null 2>&1; then :; else missing+=(nodejs npm); fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "安装缺少的软件包: ${missing[*]}"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get -o DPkg::Lock::Timeout=600 update -q
  $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${missing[@]}"
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "需要 Node.js 20 或更高版本（当前 $(node --version)）" >&2
  exit 1
fi

# The postgres service is not needed: tests start their own throwaway clusters.
# npm ci only when the lock file is newer than the last install.
stamp=web/node_modules/.huoyan-installed
if [ ! -f "$stamp" ] || [ web/package-lock.json -nt "$stamp" ]; then
  (cd web && npm ci --no-audit --no-fund)
  touch "$stamp"
fi
