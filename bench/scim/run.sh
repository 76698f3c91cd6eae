#!/usr/bin/env bash
# SSO-6: `bash bench/scim/run.sh` — SCIM reads on a throw-away PostgreSQL against the admin-search
# API in the same run. See bench/scim/bench.ts.
#   BENCH_ACCOUNTS=N   accounts to generate (default 200000; the issue's figure is 1000000)
#   BENCH_REQUESTS=N   requests per measured cell (default 300)
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PWD/node_modules/.bin:$PATH"
. scripts/pg.sh
bench_pg bench:scim off
echo "PostgreSQL: $("$PG_BIN/postgres" --version | sed 's/^postgres (PostgreSQL) //') on 127.0.0.1:$PG_PORT"
BENCH_PG_URL=$PG_URL node --import tsx bench/scim/bench.ts
