#!/usr/bin/env bash
# `npm run bench:oidc`: refresh-token, client-credentials and userinfo throughput of Tessera's
# OpenID Connect provider on a throw-away PostgreSQL, against oidc-provider with its in-memory
# adapter as the library ceiling, in the same run. See bench/oidc/README.md.
#   BENCH_PG_FSYNC=off       run PostgreSQL without fsync (default: durable, as in production)
#   BENCH_PG_STATEMENTS=off  do not load pg_stat_statements (default on: SQL statements per grant)
#   BENCH_CONCURRENCY=1,8,32 concurrent clients, one cell per value, target and grant
#   BENCH_SECONDS=S          length of each cell (default 5)
#   BENCH_GRANTS=…           cells to run (default refresh,userinfo,client_credentials,jwks)
#   BENCH_CHAIN_LENGTH=N     refreshes per chain before a client takes a fresh one (default 48)
#   BENCH_PROFILE=DIR        V8 CPU profiles of Tessera and the ceiling (tessera.cpuprofile, ceiling.cpuprofile)
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PWD/node_modules/.bin:$PATH"
. scripts/pg.sh

bench_pg bench:oidc on
if [[ "${BENCH_PG_STATEMENTS:-on}" != "off" ]]; then
  # pg_ctl restart keeps the command-line options pg_start gave (postmaster.opts).
  "$PG_BIN/psql" -X -q -d "$PG_URL" -c "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'" >/dev/null
  _pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR" -w -t 60 -l "$PG_DIR/server.log" restart >/dev/null
fi
echo "PostgreSQL: $("$PG_BIN/postgres" --version | sed 's/^postgres (PostgreSQL) //') on 127.0.0.1:$PG_PORT (fsync ${BENCH_PG_FSYNC:-on}, pg_stat_statements ${BENCH_PG_STATEMENTS:-on})"
node scripts/build.mjs   # the server runs as `npm start` runs it: the JavaScript bundle
BENCH_PG_URL=$PG_URL BENCH_PG_DIR=$PG_DIR BENCH_PG_STATEMENTS=${BENCH_PG_STATEMENTS:-on} node --import tsx bench/oidc/bench.ts
