#!/usr/bin/env bash
# The sanitizer run: builds the asan preset (AddressSanitizer and UndefinedBehaviorSanitizer,
# debug) and runs the unit and integration tests under it; the ferry-agent processes the tests
# start are sanitized too. Too slow for every CI run on 2 cores, so it runs nightly
# (.ci/nightly; see "Nightly checks" in README.md). Extra arguments go to ctest, e.g. -R tst_api.
# Any finding fails the run: AddressSanitizer stops at the first error, UBSan is told to.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh asan
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/scripts/lsan.supp:print_suppressions=0}
trap 'bash scripts/pg-embedded.sh stop build/asan/testdb >/dev/null 2>&1 || true' EXIT
ctest --preset asan -L 'unit|integration' "$@"
