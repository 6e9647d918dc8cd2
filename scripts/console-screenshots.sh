#!/usr/bin/env bash
# Renders each main screen of ferry-console to docs/screenshots/*.png, offscreen, connected to a
# freshly seeded agent: a private PostgreSQL, two tenants (one with quotas), a webhook receiver
# that fails a share of requests, an endpoint that is down (its deliveries reach the DLQ and put
# its tenant below its SLA; its breaker opens), a second shop route through a rate-limited webhook
# provider account (its signing credential stored through the API with curl), and events flowing
# while the console runs. The console uses an admin
# token so that the reports screen shows too; the first page of the PDF report it exports is
# rendered to report-pdf.png (pdftoppm, from poppler-utils).
#   scripts/console-screenshots.sh [BUILD_DIR]     (default: build/dev, built beforehand)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/dev}
agent=${FERRY_SCREENSHOT_AGENT:-$build/agent/ferry-agent}
receiver=$build/tests/simulators/ferry-webhook-receiver
console=$build/console/ferry-console
for tool in pdftoppm curl; do
    command -v $tool >/dev/null || { echo "console-screenshots: $tool is missing; run scripts/install-deps.sh" >&2; exit 1; }
done
for bin in "$agent" "$receiver" "$console"; do
    [[ -x $bin ]] || { echo "console-screenshots: $bin is missing; build first (cmake --build --preset dev)" >&2; exit 1; }
done
out=${FERRY_SCREENSHOT_DIR:-docs/screenshots}
mkdir -p "$out"
work=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    bash scripts/pg-embedded.sh destroy "$work/pg" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
# Free ports below the ephemeral range: pick_ports N sets ports=(…), N different ones.
pick_ports() {
    local p=$((26000 + RANDOM % 3000))
    ports=()
    while ((${#ports[@]} < $1)); do
        (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || ports+=("$p")
        p=$((p + 1))
    done
}
pick_ports 4
receiver_port=${ports[0]} api_port=${ports[1]} http_port=${ports[2]} zmq_port=${ports[3]}
# HTTP over bash's /dev/tcp (no curl needed): http_status METHOD PORT PATH [TOKEN BODY]
http_status() {
    local method=$1 port=$2 path=$3 token=${4:-} body=${5:-} status
    exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
    printf '%s %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nAuthorization: Bearer %s\r\nContent-Type: application/cloudevents+json\r\nContent-Length: %d\r\n\r\n%s' \
        "$method" "$path" "$token" "${#body}" "$body" >&3
    read -r _ status _ <&3 || true
    cat <&3 >/dev/null || true
    exec 3<&-
    echo "$status"
}

unset FERRY_DATABASE_URL
FERRY_DATABASE_URL=$(bash scripts/pg-embedded.sh start "$work/pg")
export FERRY_DATABASE_URL
export FERRY_WEBHOOK_ALLOWED_NETWORKS=127.0.0.0/8 # the receivers listen on loopback
"$agent" migrate >/dev/null
pin=$("$agent" cert generate --out "$work" --name localhost | sed -n 's/.*fingerprint  *\(sha256\/[^ ]*\).*/\1/p')
token=$("$agent" token create --role admin 2>/dev/null)
shop=$("$agent" tenant create shop --max-events-per-second 500 --max-events-per-day 2000000 \
    --max-payload-bytes 262144 2>/dev/null)
billing=$("$agent" tenant create billing 2>/dev/null)
secret=$("$agent" endpoint add --tenant shop --url "http://127.0.0.1:$receiver_port/hook" 2>/dev/null)
"$agent" endpoint add --tenant billing --url "http://127.0.0.1:9/down" >/dev/null 2>&1
"$agent" credentials generate-key "$work/master.key" >/dev/null 2>&1
account_secret=whsec_$(head -c 24 /dev/urandom | base64)
"$receiver" --listen "127.0.0.1:$receiver_port" --secret "$secret" --secret "$account_secret" \
    --fail-rate 0.15 >/dev/null 2>&1 &
pids+=($!)

FERRY_HTTP_LISTEN=127.0.0.1:$http_port FERRY_ZMQ_LISTEN=tcp://127.0.0.1:$zmq_port \
FERRY_API_LISTEN=127.0.0.1:$api_port FERRY_API_CERTIFICATE=$work/api.crt \
FERRY_API_PRIVATE_KEY=$work/api.key FERRY_WEBHOOK_ALLOWED_NETWORKS=127.0.0.0/8 \
FERRY_CREDENTIALS_MASTER_KEY_FILE=$work/master.key \
FERRY_RETRY_SCHEDULE=exponential FERRY_RETRY_BASE=100ms FERRY_RETRY_CAP=1s \
FERRY_RETRY_MAX_ATTEMPTS=3 FERRY_DISPATCH_POLL_INTERVAL=200ms \
    "$agent" run >"$work/agent.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
    [[ $(http_status GET "$http_port" /healthz 2>/dev/null) == 200 ]] && break
    sleep 0.2
done

# The provider account (at most 12 requests per second and 4 in flight, all agents together) and
# a route through it: the shop's events reach the receiver twice, once over this route.
curl -sS --fail --cacert "$work/api.crt" --resolve "localhost:$api_port:127.0.0.1" -X PUT \
    -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
    -d "{\"provider\":\"webhook\",\"secret\":{\"signing_secret\":\"$account_secret\"},\"rate_per_second\":12,\"max_concurrency\":4}" \
    "https://localhost:$api_port/v1/tenants/shop/credentials/erp-signing" >/dev/null
"$agent" endpoint add --tenant shop --url "http://127.0.0.1:$receiver_port/erp" \
    --credential erp-signing --rate 10 >/dev/null 2>&1

# Events for both tenants while the console runs (about 20 per second).
(
    n=0
    while true; do
        n=$((n + 1))
        for t in shop billing; do
            tok=$shop; [[ $t == billing ]] && tok=$billing
            http_status POST "$http_port" /v1/events "$tok" \
                "{\"specversion\":\"1.0\",\"id\":\"$t-$n\",\"source\":\"/shop/orders\",\"type\":\"order.created\",\"partitionkey\":\"customer-$((n % 7))\",\"data\":{\"order\":$n,\"total\":$((n * 13 % 500)).90,\"currency\":\"EUR\"}}" >/dev/null
        done
        sleep 0.1
    done
) &
pids+=($!)

# The console with its own settings (a known agent pinned) and no keychain.
mkdir -p "$work/config/Ferry"
cat >"$work/config/Ferry/ferry-console.conf" <<CONF
[profiles]
demo\\name=demo agent (localhost)
demo\\url=https://127.0.0.1:$api_port
demo\\trust=pinned
demo\\pin=$pin
staging\\name=staging
staging\\url=https://ferry-staging.example.internal:7643
staging\\trust=system
CONF
HOME=$work XDG_CONFIG_HOME=$work/config DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent \
QT_QPA_PLATFORM=offscreen LANGUAGE=${FERRY_SCREENSHOT_LANG:-en} LANG=C.UTF-8 FERRY_CONSOLE_TOKEN=$token \
    "$console" --url "https://127.0.0.1:$api_port" --pin "$pin" --screenshots "$out"
pdftoppm -png -r 60 -singlefile -f 1 -l 1 "$out/report.pdf" "$out/report-pdf"
rm -f "$out/report.pdf"
ls -l "$out"
