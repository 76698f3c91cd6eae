#!/usr/bin/env bash
# The whole suite (`npm test`). It installs nothing.
#   Pass 1: every test (unit, integration, browser) on embedded PGlite.
#   Pass 2: the HTTP integration tests (test/*.test.ts) again, on a real PostgreSQL server: the
#           one named by TESSERA_TEST_PG_URL if set, otherwise a throw-away server started here
#           (needs Debian's `postgresql` package). Skipped with a notice when there is none,
#           an error when CI=true. TESSERA_TEST_PG=off skips it on purpose (not allowed in CI).
# Exits non-zero when either pass fails. Ends with one line: "total: N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_ENV=test
# The project's Node (the `node` devDependency, v24) also when run as `bash scripts/test.sh`.
export PATH="$PWD/node_modules/.bin:$PATH"
. scripts/pg.sh

TMP=$(mktemp -d /tmp/tessera-test.XXXXXX)
cleanup() { pg_stop; rm -rf "$TMP"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

header() { printf '\n==== %s ====\n\n' "$1"; }

TOTAL_PASS=0 TOTAL_FAIL=0 TOTAL_SKIP=0
SUMMARY=()
# run_pass NAME GLOB...: node's spec reporter to the terminal, a TAP copy to a file for the totals.
run_pass() {
  local name=$1; shift
  local tap="$TMP/$name.tap" rc=0
  node --import tsx --test --test-concurrency=2 \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$tap" \
    "$@" || rc=$?
  local pass fail cancelled skip
  pass=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$tap" | tail -1)
  fail=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$tap" | tail -1)
  cancelled=$(sed -n 's/^# cancelled \([0-9]*\)$/\1/p' "$tap" | tail -1)
  skip=$(sed -n 's/^# skipped \([0-9]*\)$/\1/p' "$tap" | tail -1)
  pass=${pass:-0} fail=$(( ${fail:-0} + ${cancelled:-0} )) skip=${skip:-0}
  # A runner that died before its summary still fails the pass.
  if [[ $rc -ne 0 && $fail -eq 0 ]]; then fail=1; fi
  TOTAL_PASS=$((TOTAL_PASS + pass)) TOTAL_FAIL=$((TOTAL_FAIL + fail)) TOTAL_SKIP=$((TOTAL_SKIP + skip))
  SUMMARY+=("$name: $pass passed, $fail failed, $skip skipped")
  return $rc
}

STATUS=0

header "Pass 1/2: all tests on embedded PGlite"
run_pass pglite 'src/**/*.test.ts' 'test/**/*.test.ts' || STATUS=1

header "Pass 2/2: HTTP integration tests (test/*.test.ts) on PostgreSQL"
if [[ -n "${TESSERA_TEST_PG_URL:-}" ]]; then
  echo "using the PostgreSQL server named by TESSERA_TEST_PG_URL"
  run_pass postgresql 'test/*.test.ts' || STATUS=1
elif [[ "${TESSERA_TEST_PG:-}" == "off" && "${CI:-}" != "true" ]]; then
  echo "NOTICE: PostgreSQL pass skipped (TESSERA_TEST_PG=off)."
elif pg_available; then
  if pg_start; then
    echo "throw-away PostgreSQL ($("$PG_BIN/postgres" --version)) on 127.0.0.1:$PG_PORT, data in $PG_DIR (fsync off)"
    export TESSERA_TEST_PG_URL=$PG_URL
    run_pass postgresql 'test/*.test.ts' || STATUS=1
    pg_stop
  else
    echo "ERROR: could not start the throw-away PostgreSQL server (see above)." >&2
    SUMMARY+=("postgresql: 0 passed, 1 failed, 0 skipped")
    TOTAL_FAIL=$((TOTAL_FAIL + 1))
    STATUS=1
  fi
elif [[ "${CI:-}" == "true" ]]; then
  echo "ERROR: CI=true but no PostgreSQL server is installed (/usr/lib/postgresql/*/bin)." >&2
  echo "ERROR: the PostgreSQL pass is required in CI: apt-get install -y postgresql" >&2
  SUMMARY+=("postgresql: 0 passed, 1 failed, 0 skipped")
  TOTAL_FAIL=$((TOTAL_FAIL + 1))
  STATUS=1
else
  echo "NOTICE: PostgreSQL pass skipped: no PostgreSQL server installed (Debian: apt-get install postgresql)."
fi

header "Summary"
for line in "${SUMMARY[@]}"; do echo "$line"; done
echo "total: $TOTAL_PASS passed, $TOTAL_FAIL failed, $TOTAL_SKIP skipped"
exit $STATUS
