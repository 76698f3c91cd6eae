#!/usr/bin/env bash
# `npm run bench:login`: full HTTP password logins against Tessera on a throw-away PostgreSQL,
# compared with this machine's argon2id verify ceiling. See bench/login/README.md.
#   BENCH_PG_FSYNC=off   run PostgreSQL without fsync (default: durable, as in production)
#   BENCH_CLIENTS=N      concurrent HTTP clients (default 8)
#   BENCH_SECONDS=S      length of the load phase (default 10)
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PWD/node_modules/.bin:$PATH"
. scripts/pg.sh

bench_pg bench:login on
echo "PostgreSQL: $("$PG_BIN/postgres" --version | sed 's/^postgres (PostgreSQL) //') on 127.0.0.1:$PG_PORT (fsync ${BENCH_PG_FSYNC:-on})"
node scripts/build.mjs   # the server runs as `npm start` runs it: the JavaScript bundle
BENCH_PG_URL=$PG_URL BENCH_PG_DIR=$PG_DIR node --import tsx bench/login/bench.ts
