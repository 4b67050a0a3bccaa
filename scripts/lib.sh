# Shared set-up for scripts/demo, scripts/test and scripts/bench: sourced, not run.
# Installs what a fresh Debian machine with only the Swift toolchain lacks, then builds.

set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
    export PATH="/opt/swift/usr/bin:$PATH"
fi

say() { printf '\n\033[1m==> %s\033[0m\n' "$*" >&2; }

# Installs Debian packages (names given) with apt-get, as root or through sudo. The package lists are
# refreshed first, once per run: a fresh machine has none (apt-get then knows no package at all).
APT_UPDATED="${APT_UPDATED:-}"
apt_install() {
    [ $# -gt 0 ] || return 0
    say "installing $* with apt-get"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    if [ -z "$APT_UPDATED" ]; then
        $sudo apt-get update -qq
        APT_UPDATED=1
        export APT_UPDATED
    fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# The network door from outside (scripts/web-check, and the suite's smoke of it): chromium driven by
# selenium, with Chinese fonts, and schemathesis (PyPI).
ensure_web_tools() {
    local missing=()
    command -v chromium >/dev/null 2>&1 || missing+=(chromium)
    command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
    /usr/bin/python3 -c 'import selenium' 2>/dev/null || missing+=(python3-selenium)
    [ -d /usr/share/fonts/opentype/noto ] || missing+=(fonts-noto-cjk)
    apt_install "${missing[@]}"
    if ! command -v schemathesis >/dev/null 2>&1; then
        say "installing schemathesis with pip"
        python3 -m pip install --quiet schemathesis 2>/dev/null \
            || python3 -m pip install --quiet --break-system-packages schemathesis
    fi
}

ensure_packages() {
    local missing=()
    command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
    [ -f /usr/include/postgresql/libpq-fe.h ] || missing+=(libpq-dev)
    [ -f /usr/include/zlib.h ] || missing+=(zlib1g-dev)
    compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
    command -v curl >/dev/null 2>&1 || missing+=(curl)
    apt_install "${missing[@]}"
}

ensure_packages
