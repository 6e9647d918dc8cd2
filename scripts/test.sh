#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite (benchmarks excluded).
# Tests use a private PostgreSQL cluster in build/ci/testdb (or FERRY_DATABASE_URL when set),
# started before the first test and stopped after the last, also when a test fails.
# Extra arguments go to ctest, e.g. `scripts/test.sh -L unit` or `-R tst_httpingest`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/install-sdks.sh
scripts/build.sh ci
trap 'bash scripts/pg-embedded.sh stop build/ci/testdb >/dev/null 2>&1 || true' EXIT
ctest --preset ci "$@"
