#!/usr/bin/env bash
# Runs a program with a private, unlocked GNOME keyring (Secret Service) on a private D-Bus
# session bus and a private HOME: with-keyring.sh HOME_DIR PROGRAM [ARGS…]
set -euo pipefail
home=$1
shift
rm -rf "$home"
mkdir -p "$home/.config" "$home/.local/share" "$home/.cache" "$home/run"
chmod 700 "$home/run"
export HOME=$home XDG_CONFIG_HOME=$home/.config XDG_DATA_HOME=$home/.local/share \
    XDG_CACHE_HOME=$home/.cache XDG_RUNTIME_DIR=$home/run
# With a DISPLAY, a locked keyring would open an invisible prompt and hang.
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS
for tool in dbus-run-session gnome-keyring-daemon; do
    command -v $tool >/dev/null || { echo "with-keyring: $tool is missing (scripts/install-deps.sh)" >&2; exit 1; }
done
exec dbus-run-session -- sh -c \
    'echo ferry-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@"' \
    sh "$@"
