#!/usr/bin/env bash
# Configures and builds with the given CMake preset (default: ci). Quick when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-ci}
export CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=1
[[ -f "build/$preset/build.ninja" ]] || cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
