#!/bin/sh
# Replaces the key table of docs/configuration.md with the one ferry-agent prints
# (tst_agentconfig checks that they agree). Usage: scripts/regen-config-table.sh [ferry-agent]
set -eu
agent=${1:-build/ci/agent/ferry-agent}
doc=docs/configuration.md
table=$(mktemp)
"$agent" config --markdown >"$table"
awk -v table="$table" '
    /^\| key \| environment variable/ { while ((getline line < table) > 0) print line; skipping = 1; next }
    skipping && /^\| / { next }
    { skipping = 0; print }
' "$doc" >"$doc.new"
mv "$doc.new" "$doc"
rm -f "$table"
