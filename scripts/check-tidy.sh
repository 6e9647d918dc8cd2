#!/usr/bin/env bash
# Runs clang-tidy (Debian's) with the checks of .clang-tidy over Ferry's own C++ sources
# (agent, shared, console, demo; not the tests), on the compile commands of build/ci, and fails
# on any finding. About 15 s of CPU per file, half an hour for all of them on 2 cores: too slow
# for every CI run, so .ci/nightly runs it on every file. Before a commit, check what changed:
#
#   scripts/check-tidy.sh                 every source file
#   scripts/check-tidy.sh --changed [REF] the files changed since REF (default: main), and
#                                         the sources beside changed headers
#   scripts/check-tidy.sh FILE...         those files
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v clang-tidy >/dev/null; then
    echo "check-tidy: clang-tidy is not installed; install it (scripts/install-deps.sh does)" >&2
    exit 1
fi
[[ -f build/ci/compile_commands.json ]] || cmake --preset ci >/dev/null

# The project's own sources in the compile database (not moc or resource files).
mapfile -t known < <(python3 - <<'PY'
import json, os
root = os.getcwd() + "/"
seen = set()
for entry in json.load(open("build/ci/compile_commands.json")):
    path = os.path.normpath(os.path.join(entry["directory"], entry["file"]))
    rel = path[len(root):] if path.startswith(root) else None
    if rel and rel.split("/")[0] in ("agent", "shared", "console", "demo") and rel not in seen:
        seen.add(rel)
        print(rel)
PY
)

files=()
if [[ "${1:-}" == "--changed" ]]; then
    base=${2:-main}
    while read -r f; do
        f=${f%.h}
        f=${f%.cpp}.cpp
        for k in "${known[@]}"; do [[ "$k" == "$f" ]] && files+=("$k"); done
    done < <(git diff --name-only "$(git merge-base "$base" HEAD)" -- '*.cpp' '*.h' | sort -u)
elif [[ $# -gt 0 ]]; then
    files=("$@")
else
    files=("${known[@]}")
fi
if [[ ${#files[@]} -eq 0 ]]; then
    echo "check-tidy: no source file to check"
    exit 0
fi

jobs=${FERRY_TIDY_JOBS:-$(nproc)}
echo "check-tidy: ${#files[@]} file(s), $jobs at a time"
if printf '%s\n' "${files[@]}" | sort -u |
        xargs -P "$jobs" -n 1 clang-tidy -p build/ci --quiet --warnings-as-errors='*' \
            2> >(grep -v 'warnings\? generated\.$' >&2); then
    echo "check-tidy: no findings"
else
    echo "check-tidy: findings above (fix them, or turn a check that is noise off in .clang-tidy" \
         "with the reason)" >&2
    exit 1
fi
