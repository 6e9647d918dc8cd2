#!/usr/bin/env bash
# Regenerates the key table in docs/configuration.md from the agent's own table.
set -euo pipefail
cd "$(dirname "$0")/.."
agent=${1:-build/ci/agent/ferry-agent}
doc=docs/configuration.md
head=$(grep -n '^| key | environment variable |' "$doc" | cut -d: -f1)
{ head -n $((head - 1)) "$doc"; "$agent" config --markdown; } > "$doc.new"
mv "$doc.new" "$doc"
