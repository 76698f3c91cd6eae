#!/usr/bin/env bash
# The whole suite (`npm test`). It installs nothing.
#   Pass 1: every test (unit, integration, browser) on embedded PGlite.
#   Pass 2: the integration tests that open a database (test/**/*.test.ts but browser, docs and
#           pure-rule tests) again, on a real PostgreSQL server: the one named by
#           TESSERA_TEST_PG_URL if set, otherwise a
#           throw-away server started here (needs Debian's `postgresql` package). Skipped with
#           a notice when there is none, an error when CI=true. TESSERA_TEST_PG=off skips it on
#           purpose (not allowed in CI).
# A test running longer than TESSERA_TEST_TIMEOUT_MS (default 180000) fails; a pass running longer
# than TESSERA_TEST_PASS_LIMIT (default 35m) is stopped and fails.
# TESSERA_TEST_TAP_DIR=DIR keeps each pass's TAP output there (per-file durations for profiling).
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

TEST_TIMEOUT_MS=${TESSERA_TEST_TIMEOUT_MS:-180000}
PASS_LIMIT=${TESSERA_TEST_PASS_LIMIT:-35m}

header() { printf '\n==== %s ====\n\n' "$1"; }

TOTAL_PASS=0 TOTAL_FAIL=0 TOTAL_SKIP=0
SUMMARY=()
# run_pass NAME GLOB...: node's spec reporter to the terminal, a TAP copy to a file for the totals.
run_pass() {
  local name=$1; shift
  local tap="$TMP/$name.tap" rc=0
  # A hung test fails after TEST_TIMEOUT_MS instead of holding CI to its 90-minute cap; a
  # whole pass is stopped after PASS_LIMIT.
  timeout --foreground -k 30 "$PASS_LIMIT" node --import tsx --test --test-concurrency=2 --test-timeout="$TEST_TIMEOUT_MS" \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$tap" \
    "$@" || rc=$?
  local pass fail cancelled skip
  pass=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$tap" 2>/dev/null | tail -1)
  fail=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$tap" 2>/dev/null | tail -1)
  cancelled=$(sed -n 's/^# cancelled \([0-9]*\)$/\1/p' "$tap" 2>/dev/null | tail -1)
  skip=$(sed -n 's/^# skipped \([0-9]*\)$/\1/p' "$tap" 2>/dev/null | tail -1)
  pass=${pass:-0} fail=$(( ${fail:-0} + ${cancelled:-0} )) skip=${skip:-0}
  if [[ -n "${TESSERA_TEST_TAP_DIR:-}" ]]; then mkdir -p "$TESSERA_TEST_TAP_DIR" && cp "$tap" "$TESSERA_TEST_TAP_DIR/"; fi
  if [[ $rc -eq 124 || $rc -eq 137 ]]; then echo "ERROR: the $name pass was stopped after $PASS_LIMIT" >&2; fi
  # A runner that died before its summary still fails the pass.
  if [[ $rc -ne 0 && $fail -eq 0 ]]; then fail=1; fi
  TOTAL_PASS=$((TOTAL_PASS + pass)) TOTAL_FAIL=$((TOTAL_FAIL + fail)) TOTAL_SKIP=$((TOTAL_SKIP + skip))
  SUMMARY+=("$name: $pass passed, $fail failed, $skip skipped")
  return $rc
}

STATUS=0
# Pass 1 is on PGlite whatever the environment says; a given server is for pass 2.
GIVEN_PG_URL=${TESSERA_TEST_PG_URL:-}
unset TESSERA_TEST_PG_URL

# Pass 2's files: the integration tests under test/ (folders mirror src/) that open a database,
# not browser tests (test/browser/, *-browser.test.ts), not the documentation checks (test/docs/),
# and not the tests of pure rules (clocks, filters, PDF layout), which no database changes.
DB_USE='startTestApp|createDeps|openDb|migratedCliEnv|freshPgDatabase|TESSERA_TEST_PG_URL|runTessera|runCliHere'
# The longest files start first (browser tests, matrices, fuzz, processes), so that the end of a
# pass is not one long file running alone on one core.
LONG='^test/browser/|matrix|fuzz|reliability|operations|multi-instance|cli\.test'
ALL_FILES=() PG_FILES=()
shopt -s globstar nullglob
for f in test/**/*.test.ts src/**/*.test.ts; do
  [[ "$f" =~ $LONG ]] && ALL_FILES+=("$f")
done
for f in test/**/*.test.ts src/**/*.test.ts; do
  [[ "$f" =~ $LONG ]] || ALL_FILES+=("$f")
done
for f in "${ALL_FILES[@]}"; do
  if [[ "$f" == test/* && "$f" != test/browser/* && "$f" != test/docs/* && "$f" != *-browser.test.ts ]] && grep -qE "$DB_USE" "$f"; then PG_FILES+=("$f"); fi
done
shopt -u globstar nullglob

header "Pass 1/2: all tests on embedded PGlite"
run_pass pglite "${ALL_FILES[@]}" || STATUS=1

header "Pass 2/2: integration tests that open a database (test/**, no browser tests) on PostgreSQL"
if [[ ${#PG_FILES[@]} -eq 0 ]]; then
  echo "NOTICE: no integration test files: nothing to run on PostgreSQL."
elif [[ -n "$GIVEN_PG_URL" ]]; then
  echo "using the PostgreSQL server named by TESSERA_TEST_PG_URL"
  export TESSERA_TEST_PG_URL=$GIVEN_PG_URL
  run_pass postgresql "${PG_FILES[@]}" || STATUS=1
elif [[ "${TESSERA_TEST_PG:-}" == "off" && "${CI:-}" != "true" ]]; then
  echo "NOTICE: PostgreSQL pass skipped (TESSERA_TEST_PG=off)."
elif pg_available; then
  if pg_start; then
    echo "throw-away PostgreSQL ($("$PG_BIN/postgres" --version)) on 127.0.0.1:$PG_PORT, data in $PG_DIR (fsync off)"
    export TESSERA_TEST_PG_URL=$PG_URL
    run_pass postgresql "${PG_FILES[@]}" || STATUS=1
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
