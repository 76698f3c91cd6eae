#!/usr/bin/env bash
# AUTH-8: `bash bench/cert/run.sh` — certificate sign-in against the RSA ceiling and password
# sign-in, and a MOICA-sized CRL (read, cold load, per-sign-in look-up) on a throw-away PostgreSQL.
# See bench/cert/bench.ts.
#   BENCH_CRL_ENTRIES=N  revoked entries in the generated CRL (default 412000)
#   BENCH_SECONDS=N      seconds per load phase (default 8)
#   BENCH_CLIENTS=N      concurrent clients (default 4)
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PWD/node_modules/.bin:$PATH"
. scripts/pg.sh
bench_pg bench:cert off
echo "PostgreSQL: $("$PG_BIN/postgres" --version | sed 's/^postgres (PostgreSQL) //') on 127.0.0.1:$PG_PORT"
BENCH_PG_URL=$PG_URL node --import tsx bench/cert/bench.ts
