#!/usr/bin/env bash
# Runs every libFuzzer harness (tests/fuzz, docs/fuzzing.md) for the given time, one after the
# other on one core: scripts/fuzz.sh [seconds per harness, default 60] [harness ...]
# New inputs go to build/fuzz/scratch/<harness>/ (the checked-in corpus is only read); crashes,
# timeouts and leaks to build/fuzz/findings/<harness>/. Exits non-zero when any harness found
# something.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
all=(cloudevent compactjson webhooksignature httpparser agentconfig zmqheader apibody template)
harnesses=("$@")
[[ $# -gt 0 ]] || harnesses=("${all[@]}")

# clang-15 and libFuzzer are needed here only, not by the default build.
if ! dpkg -s clang-15 libfuzzer-15-dev >/dev/null 2>&1; then
    [[ $(id -u) -eq 0 ]] || { echo "fuzz.sh: install clang-15 and libfuzzer-15-dev (as root)" >&2; exit 1; }
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends clang-15 libfuzzer-15-dev >/dev/null
fi

export CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=1
[[ -f build/fuzz/build.ninja ]] || cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --target "${harnesses[@]/#/fuzz_}"

bin=build/fuzz/tests/fuzz
status=0
summary=()
for h in "${harnesses[@]}"; do
    scratch=build/fuzz/scratch/$h findings=build/fuzz/findings/$h log=build/fuzz/logs/$h.log
    rm -rf "$findings" # this run's findings only
    mkdir -p "$scratch" "$findings" "$(dirname "$log")"
    echo "== $h: ${seconds}s"
    rc=0
    start=$(cut -d' ' -f14-17 /proc/$$/stat) # this shell's children's CPU time so far
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ASAN_OPTIONS=detect_leaks=1 \
        "$bin/fuzz_$h" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -max_len=8192 -print_final_stats=1 -artifact_prefix="$findings/" \
        "$scratch" "tests/fuzz/corpus/$h" >"$log" 2>&1 || rc=$?
    cpu=$(awk -v a="$start" -v tck="$(getconf CLK_TCK)" \
        'BEGIN{split(a,s," ")} {printf "%d", ($16+$17-s[3]-s[4])/tck}' /proc/$$/stat)
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
    speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo 0)
    crashes=$(find "$findings" -type f | wc -l)
    summary+=("$(printf '%-18s %8s %12s %10s %8s %8s' "$h" "$cpu" "$runs" "$speed" "$cov" "$crashes")")
    if [[ $rc -ne 0 || $crashes -gt 0 ]]; then
        status=1
        echo "   finding: see $log and $findings/"
    fi
done

printf '%-18s %8s %12s %10s %8s %8s\n' harness cpu-s runs execs/s coverage crashes
printf '%s\n' "${summary[@]}"
exit $status
