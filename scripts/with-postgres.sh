#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL 15 cluster on loopback.
# The cluster lives in a temporary directory owned by `postgres` and is
# removed afterwards, whatever the command's outcome.
#   scripts/with-postgres.sh COMMAND [ARG...]
# The command sees HUOYAN_PG_URL=postgresql://postgres@127.0.0.1:PORT/huoyan
set -euo pipefail

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bindir/initdb" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }

as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@"
  elif [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"
  else sudo -u postgres -- "$@"; fi
}

port=${HUOYAN_PG_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
dir=$(mktemp -d /tmp/huoyan-pg.XXXXXX)
chmod 755 "$dir"
if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir"; fi

cleanup() {
  as_postgres "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT

# The C locale, as deploy/postgresql.md advises: text compared byte by byte, as on SQLite.
as_postgres "$bindir/initdb" --no-sync -A trust -U postgres -E UTF8 --locale=C -D "$dir/data" >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
as_postgres "$bindir/pg_ctl" -D "$dir/data" -w -l "$dir/server.log" \
  -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=off" start >/dev/null \
  || { cat "$dir/server.log" >&2; exit 1; }
as_postgres "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres huoyan

export HUOYAN_PG_URL="postgresql://postgres@127.0.0.1:$port/huoyan"
# The throwaway database's field key goes with it.
export HUOYAN_KEY_FILE="$dir/huoyan.key"
"$@"
