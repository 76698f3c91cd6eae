#!/usr/bin/env bash
# `npm run bench:admin-search`: 1,000,000 accounts on a throw-away PostgreSQL, then the
# administrators' account search through Tessera's JSON API. See bench/admin-search/README.md.
#   BENCH_PG_FSYNC=on        run PostgreSQL durably (default off: the load is faster, reads are the same)
#   BENCH_PG_SHARED_BUFFERS  PostgreSQL shared_buffers (default 1GB: the database, ~0.5 GB, fits, as in production)
#   BENCH_ACCOUNTS=N         accounts to generate (default 1000000)
#   BENCH_CELL_SECONDS=S     length of each measured cell (default 4)
#   BENCH_CONCURRENCY=1,4    concurrent API clients, one pass each
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PWD/node_modules/.bin:$PATH"
. scripts/pg.sh

bench_pg bench:admin-search off
if [[ "${BENCH_PG_SHARED_BUFFERS:=1GB}" != "default" ]]; then
  # pg_ctl restart keeps the command-line options pg_start gave (postmaster.opts).
  psql_q() { "$PG_BIN/psql" -X -q -d "$PG_URL" -c "$1" >/dev/null; }
  psql_q "ALTER SYSTEM SET shared_buffers = '${BENCH_PG_SHARED_BUFFERS}'"
  _pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR" -w -t 60 -l "$PG_DIR/server.log" restart >/dev/null
fi
echo "PostgreSQL: $("$PG_BIN/postgres" --version | sed 's/^postgres (PostgreSQL) //') on 127.0.0.1:$PG_PORT (fsync ${BENCH_PG_FSYNC:-off}, shared_buffers ${BENCH_PG_SHARED_BUFFERS})"
node scripts/build.mjs   # the server runs as `npm start` runs it: the JavaScript bundle
BENCH_PG_URL=$PG_URL BENCH_PG_DIR=$PG_DIR node --import tsx bench/admin-search/bench.ts
