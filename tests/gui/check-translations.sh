#!/usr/bin/env bash
# Fails when the German translation misses a string of the console's sources: runs lupdate (as
# the build's update_translations target does) on a copy of the .ts and counts the unfinished.
# check-translations.sh LUPDATE SOURCE_DIR
set -euo pipefail
lupdate=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$src/translations/ferry-console_de.ts" "$tmp/de.ts"
"$lupdate" -no-obsolete -locations none -extensions cpp,h -I "$src" "$src/console" \
    -ts "$tmp/de.ts" >"$tmp/lupdate.log" 2>&1 || { cat "$tmp/lupdate.log"; exit 1; }
cat "$tmp/lupdate.log"
total=$(grep -c '<message' "$tmp/de.ts" || true)
unfinished=$(grep -c 'type="unfinished"' "$tmp/de.ts" || true)
echo "ferry-console_de.ts: $total messages, $unfinished unfinished"
if [[ $total -lt 100 ]]; then
    echo "too few messages: lupdate did not find the console's sources" >&2
    exit 1
fi
if [[ $unfinished -ne 0 ]]; then
    echo "untranslated (run the update_translations target and translate them):" >&2
    grep -B3 'type="unfinished"' "$tmp/de.ts" | grep '<source>' >&2 || true
    exit 1
fi
