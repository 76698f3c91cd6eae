# A throw-away PostgreSQL server on a loopback port, for the test suite's second pass and the
# benchmarks. Source this file, then:
#
#   pg_available            true when a server binary is installed (/usr/lib/postgresql/*/bin)
#   pg_start [--durable]    initdb + start; sets PG_URL=postgres://postgres@127.0.0.1:PORT/postgres
#                           (trust auth, loopback only). Without --durable: fsync=off (tests).
#   pg_stop                 stop the server and delete its data directory (safe to call twice)
#
# As root (Debian's packages refuse to run initdb as root) the server runs as the `postgres`
# user; otherwise as the current user. The data directory is a short path under /tmp (the unix
# socket path inside it must stay under ~107 characters).

PG_BIN=""
PG_DIR=""
PG_PORT=""
PG_URL=""

pg_available() {
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [[ -n "$PG_BIN" && -x "$PG_BIN/initdb" && -x "$PG_BIN/pg_ctl" ]]
}

_pg_as() {
  # From / : the postgres user may not be able to enter the current directory.
  if [[ $(id -u) -eq 0 ]]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# A loopback port nobody listens on (a refused connection means free).
_pg_free_port() {
  local p
  for p in $(seq "${1:-55432}" 65000); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  return 1
}

pg_start() {
  local durable=0 opts out try port
  [[ "${1:-}" == "--durable" ]] && durable=1
  pg_available || { echo "pg.sh: no PostgreSQL server binary in /usr/lib/postgresql/*/bin" >&2; return 1; }
  PG_DIR=$(mktemp -d /tmp/tpg.XXXXXX)
  if [[ $(id -u) -eq 0 ]]; then chown postgres:postgres "$PG_DIR"; fi
  chmod 700 "$PG_DIR"
  if ! out=$(_pg_as "$PG_BIN/initdb" -D "$PG_DIR" --auth=trust -U postgres -E UTF8 --locale=C.UTF-8 2>&1); then
    echo "$out" >&2; echo "pg.sh: initdb failed" >&2; pg_stop; return 1
  fi
  opts="-c listen_addresses=127.0.0.1 -k $PG_DIR -c max_connections=200"
  if [[ $durable -eq 0 ]]; then opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"; fi
  port=$((55432 + RANDOM % 2000))
  for try in 1 2 3 4 5; do
    port=$(_pg_free_port "$port") || { echo "pg.sh: no free port" >&2; pg_stop; return 1; }
    if _pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR" -w -t 30 -l "$PG_DIR/server.log" -o "-p $port $opts" start >/dev/null; then
      PG_PORT=$port
      PG_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
      return 0
    fi
    port=$((port + 1)) # lost a race for the port (or another failure: the log says)
  done
  cat "$PG_DIR/server.log" >&2 2>/dev/null
  echo "pg.sh: the server did not start" >&2
  pg_stop
  return 1
}

pg_stop() {
  if [[ -n "$PG_DIR" && -d "$PG_DIR" ]]; then
    if [[ -f "$PG_DIR/postmaster.pid" ]]; then
      _pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
    fi
    rm -rf "$PG_DIR"
  fi
  PG_DIR=""
  PG_URL=""
}

# bench_pg NAME FSYNC: the benchmarks' throw-away server, stopped when the script exits.
# FSYNC (on|off) is the default; BENCH_PG_FSYNC overrides it.
bench_pg() {
  trap pg_stop EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  if ! pg_available; then
    echo "$1 needs a PostgreSQL server with contrib (Debian: apt-get install postgresql)" >&2
    exit 1
  fi
  if [[ "${BENCH_PG_FSYNC:-$2}" == "off" ]]; then pg_start; else pg_start --durable; fi
}
