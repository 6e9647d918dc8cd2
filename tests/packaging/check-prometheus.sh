#!/usr/bin/env bash
# The Prometheus examples in docs/examples/prometheus: the scrape configuration and the alert
# rules pass promtool's checks, the rules' unit tests pass (each alert fires on the series that
# should fire it and stays silent on the others), every alert has a firing and a silent case
# there, and every Ferry metric the rules use is one the agent exports (docs/metrics.md).
# check-prometheus.sh SOURCE_DIR
set -euo pipefail
src=$1
dir=$src/docs/examples/prometheus
command -v promtool >/dev/null || { echo "promtool missing: install the Debian package prometheus" >&2; exit 1; }
status=0
promtool check config "$dir/prometheus.yml" || status=1
promtool check rules "$dir/ferry-alerts.yml" || status=1
(cd "$dir" && promtool test rules ferry-alerts.test.yml) || status=1

for alert in $(sed -nE 's/^ *- alert: ([A-Za-z]+)$/\1/p' "$dir/ferry-alerts.yml"); do
    cases=$(grep -A1 -E "^ *alertname: $alert$" "$dir/ferry-alerts.test.yml" | grep -E '^ *exp_alerts:' || true)
    if ! grep -q 'exp_alerts: \[\]$' <<<"$cases"; then
        echo "ferry-alerts.test.yml: no case where $alert must stay silent" >&2
        status=1
    fi
    if ! grep -q 'exp_alerts:$' <<<"$cases"; then
        echo "ferry-alerts.test.yml: no case where $alert must fire" >&2
        status=1
    fi
done

for metric in $(grep -oE '\bferry_[a-z_]+' "$dir/ferry-alerts.yml" | sort -u); do
    if ! grep -qF "| \`$metric\` |" "$src/docs/metrics.md"; then
        echo "ferry-alerts.yml uses $metric, which docs/metrics.md does not list" >&2
        status=1
    fi
done
exit $status
