#!/usr/bin/env bash
# `npm run bench:incidents` (INC-6, INC-7): 100,000 incidents with their events and clock outcomes on a
# throw-away PostgreSQL; p50/p95 of the "what is overdue now" query that drives escalation and of the
# statistics, against a plain count over the same rows in the same run.
#   BENCH_INCIDENTS=N   how many incidents (default 100000)
#   BENCH_RUNS=N        timed runs per query (default 40)
#   BENCH_EXPLAIN=1     also print the plans of the clock and the grouping queries
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PWD/node_modules/.bin:$PATH"
. scripts/pg.sh

bench_pg bench:incidents off
echo "PostgreSQL: $("$PG_BIN/postgres" --version | sed 's/^postgres (PostgreSQL) //') on 127.0.0.1:$PG_PORT"
BENCH_PG_URL=$PG_URL NODE_ENV=production LOG_LEVEL=silent node --import tsx bench/incidents/bench.ts
