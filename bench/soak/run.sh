#!/usr/bin/env bash
# `npm run bench:soak`: a bounded soak of Tessera on a throw-away PostgreSQL (issue 15, OPS-2):
# capacity of a login + token + admin-search mix measured briefly, then that mix at 70 % of it
# for BENCH_SOAK_MINUTES. See bench/soak/README.md.
#   BENCH_SOAK_MINUTES=M        length of the soak (default 10; 30 for the long run)
#   BENCH_CAPACITY_SECONDS=S    length of the capacity measurement (default 20)
#   BENCH_CLIENTS=N             concurrent clients of the capacity measurement (default 8)
#   BENCH_LOAD_SHARE=0.7        share of the capacity the soak runs at
#   BENCH_PG_FSYNC=off          run PostgreSQL without fsync (default: durable, as in production)
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PWD/node_modules/.bin:$PATH"
. scripts/pg.sh

bench_pg bench:soak on
echo "PostgreSQL: $("$PG_BIN/postgres" --version | sed 's/^postgres (PostgreSQL) //') on 127.0.0.1:$PG_PORT (fsync ${BENCH_PG_FSYNC:-on})"
node scripts/build.mjs   # the server runs as `npm start` runs it: the JavaScript bundle
BENCH_PG_URL=$PG_URL BENCH_PG_DIR=$PG_DIR node --import tsx bench/soak/bench.ts
