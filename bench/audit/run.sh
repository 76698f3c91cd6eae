#!/usr/bin/env bash
# `npm run bench:audit`: audited writes per second at 1, 8 and 32 clients against the same writes
# with auditing off, in the same run, on a throw-away PostgreSQL; seal lag p95. See README.md.
#   BENCH_PG_FSYNC=off   run PostgreSQL without fsync (default: durable, as in production)
#   BENCH_SECONDS=S      length of each phase (default 6)
#   BENCH_CLIENTS=1,8,32 the client counts
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PWD/node_modules/.bin:$PATH"
. scripts/pg.sh

bench_pg bench:audit on
echo "PostgreSQL: $("$PG_BIN/postgres" --version | sed 's/^postgres (PostgreSQL) //') on 127.0.0.1:$PG_PORT (fsync ${BENCH_PG_FSYNC:-on})"
BENCH_PG_URL=$PG_URL NODE_ENV=production LOG_LEVEL=silent node --import tsx bench/audit/bench.ts
