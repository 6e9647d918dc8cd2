#!/usr/bin/env bash
# Network namespaces that stand in for separate agent hosts (root only).
#
#   scripts/netns-hosts.sh up N       hosts 1..N: namespace ferry-hostI with 10.77.I.2, linked to
#                                     this namespace's 10.77.I.1; services of this namespace are
#                                     reachable from every host at 10.77.0.1 (on lo)
#   scripts/netns-hosts.sh cut I      cut host I off the network (its link down, no RST: packets
#                                     vanish, as when a host or its switch dies)
#   scripts/netns-hosts.sh restore I  bring its link back
#   scripts/netns-hosts.sh down N     remove them
#   scripts/netns-hosts.sh exec I CMD... run CMD on host I
set -euo pipefail

cmd=${1:-}
arg=${2:-}
if [[ -z "$cmd" || -z "$arg" ]]; then
    echo "usage: $0 up|down N | cut|restore I | exec I CMD..." >&2
    exit 2
fi
if [[ $(id -u) -ne 0 ]]; then
    echo "netns-hosts: needs root (ip netns)" >&2
    exit 1
fi

link() { echo "fh$1-0"; }

down() {
    local i
    for i in $(seq 1 "$1"); do
        ip netns del "ferry-host$i" 2>/dev/null || true
        ip link del "$(link "$i")" 2>/dev/null || true
    done
    ip addr del 10.77.0.1/32 dev lo 2>/dev/null || true
}

case "$cmd" in
    up)
        down "$arg"
        ip addr add 10.77.0.1/32 dev lo
        for i in $(seq 1 "$arg"); do
            ns="ferry-host$i"
            ip netns add "$ns"
            ip link add "$(link "$i")" type veth peer name "fh$i-1"
            ip link set "fh$i-1" netns "$ns"
            ip addr add "10.77.$i.1/24" dev "$(link "$i")"
            ip link set "$(link "$i")" up
            ip netns exec "$ns" ip link set lo up
            ip netns exec "$ns" ip addr add "10.77.$i.2/24" dev "fh$i-1"
            ip netns exec "$ns" ip link set "fh$i-1" up
            ip netns exec "$ns" ip route add default via "10.77.$i.1"
        done
        ;;
    down) down "$arg" ;;
    cut) ip link set "$(link "$arg")" down ;;
    restore) ip link set "$(link "$arg")" up ;;
    exec)
        shift 2
        exec ip netns exec "ferry-host$arg" "$@"
        ;;
    *)
        echo "usage: $0 up|down N | cut|restore I | exec I CMD..." >&2
        exit 2
        ;;
esac
