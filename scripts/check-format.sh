#!/usr/bin/env bash
# Fails when a C++ file of the project is not formatted per .clang-format.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v clang-format >/dev/null; then
    echo "check-format: clang-format is not installed, so the formatting cannot be checked;" \
         "install it (scripts/install-deps.sh does)" >&2
    exit 1
fi
bad=$(git ls-files '*.cpp' '*.h' | while read -r f; do
    clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || echo "$f"
done)
if [[ -n "$bad" ]]; then
    echo "not formatted (run clang-format -i on them):"
    echo "$bad"
    exit 1
fi
echo "all C++ files are formatted"
