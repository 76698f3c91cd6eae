#!/usr/bin/env bash
# The whole suite. First pass on embedded PGlite; the PostgreSQL pass is added by the CI helper.
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_ENV=test
node --import tsx --test --test-concurrency=2 'src/**/*.test.ts' 'test/**/*.test.ts'
