#!/usr/bin/env bash
# Installs the providers' SDKs that sign requests in the inbound signature tests (stripe, twilio
# and standardwebhooks from npm, at the versions tests/inbound-sdk/package-lock.json pins) into
# build/npm/inbound-sdk/node_modules, where tests/unit/tst_inboundsdk.cpp finds them. Does
# nothing (in well under a second) when the lockfile has not changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/.."

src=tests/inbound-sdk
dest=build/npm/inbound-sdk
stamp=$dest/.installed-lock.sha256

if ! command -v npm >/dev/null; then
    echo "install-sdks: npm is not installed; run scripts/install-deps.sh first" >&2
    exit 1
fi

want=$(cat "$src/package.json" "$src/package-lock.json" | sha256sum | cut -d' ' -f1)
if [[ -d $dest/node_modules && -f $stamp && $(cat "$stamp") == "$want" ]]; then
    exit 0
fi

echo "install-sdks: installing the inbound tests' SDKs into $dest"
mkdir -p "$dest"
rm -f "$stamp" # written again only once the install has succeeded
cp "$src/package.json" "$src/package-lock.json" "$dest/"
npm ci --no-audit --no-fund --prefix "$dest"
echo "$want" >"$stamp"
