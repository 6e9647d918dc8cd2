#!/usr/bin/env bash
# Installs what is missing, builds, and runs the demo: a private PostgreSQL (unless
# FERRY_DATABASE_URL is set), a ferry-agent, a webhook receiver that verifies signatures and
# fails a share of requests, ferry-provider-sim (Twilio, WhatsApp, FCM) and an SMTP server for
# the email, SMS, WhatsApp and push routes, and 10,000 events. Extra arguments go to ferry-demo
# (see `build/ci/demo/ferry-demo --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh ci
if [[ -z "${FERRY_DATABASE_URL:-}" ]]; then
    echo "Starting a private PostgreSQL in .ferry/pg ..."
    FERRY_DATABASE_URL=$(bash scripts/pg-embedded.sh start .ferry/pg)
    export FERRY_DATABASE_URL
    # pg-embedded.sh leaves a server alone while FERRY_DATABASE_URL is set: stop it without.
    trap 'env -u FERRY_DATABASE_URL bash scripts/pg-embedded.sh stop .ferry/pg >/dev/null 2>&1 || true' EXIT
fi
build/ci/demo/ferry-demo "$@"
