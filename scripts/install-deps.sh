#!/usr/bin/env bash
# Installs the Debian 12 packages Ferry builds, tests and runs with; does nothing (in well
# under a second) when they are all present. Works as root or as a user with sudo.
set -euo pipefail

packages=(
    # toolchain
    g++ cmake ninja-build ccache pkg-config git clang-format
    # clang-tidy: scripts/check-tidy.sh (the nightly job)
    clang-tidy
    # Qt 6 (libqt6opengl6-dev: Qt6Charts' CMake package needs Qt6OpenGL)
    qt6-base-dev qt6-base-dev-tools libqt6opengl6-dev qt6-charts-dev libqt6sql6-psql
    qt6-httpserver-dev qt6-websockets-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
    # keychain (QtKeychain loads libsecret at run time without depending on it)
    qtkeychain-qt6-dev libsecret-1-0
    # messaging, HTTP, crypto, database
    cppzmq-dev libzmq3-dev libcurl4-openssl-dev libsodium-dev libpq-dev libssl-dev postgresql
    # sd_notify: the agent's READY, STATUS, STOPPING and watchdog under its Type=notify unit
    libsystemd-dev
    # the agent's memory allocator (decision 0017)
    libjemalloc-dev
    # headless GUI tests and screenshots (curl: scripts/console-screenshots.sh stores a credential)
    xvfb xauth dbus-x11 gnome-keyring curl
    # pdftotext, which reads the console's PDF reports in the tests
    poppler-utils
    # promtool, which checks the agent's Prometheus exposition in the tests
    prometheus
    # PostgreSQL failover under the agents (tests/chaos/tst_chaos_failover.cpp,
    # scripts/pg-autofailover.sh)
    postgresql-15-auto-failover
    # the agent behind a connection pooler (tests/integration/tst_pgbouncer.cpp)
    pgbouncer
    # agent hosts as network namespaces (scripts/netns-hosts.sh, tests/chaos/tst_chaos_hosts.cpp)
    iproute2
    # the SMTP server the email tests and the demo send to (tests/simulators/smtp-server.py)
    python3-aiosmtpd
    # the packaging tests: systemd-analyze, systemd-sysusers and systemd-tmpfiles; cpack's
    # dpkg-shlibdeps; lintian; desktop-file-validate; setpriv (util-linux) runs the installed
    # agent as its user
    systemd dpkg-dev lintian desktop-file-utils util-linux
    # Qt's own German (standard buttons) for the console, which loads it when present
    qt6-translations-l10n
    # the man pages: python3 writes them (packaging/man/help-to-man.py); groff, man, lexgrog and
    # col check them (tests/packaging/check-man.sh)
    python3 groff-base man-db bsdextrautils
    # the providers' SDKs that sign requests in the inbound tests (scripts/install-sdks.sh)
    nodejs npm
)

missing=()
for p in "${packages[@]}"; do
    # Node.js counts by its commands: a Node.js from elsewhere (NodeSource's bundles npm and
    # conflicts with Debian's npm package, which apt then cannot install) is as good.
    case $p in
        nodejs) command -v node >/dev/null && continue ;;
        npm) command -v npm >/dev/null && continue ;;
    esac
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

sudo=()
if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "install-deps: run as root or install sudo" >&2; exit 1; }
    sudo=(sudo)
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The Debian package starts a system cluster; Ferry's scripts run their own and do not need it.
echo "install-deps: done"
