#!/usr/bin/env bash
# Installs every Debian package Phishdrill needs to build, run and test.
# Idempotent, never prompts; run as root (or with sudo available) on Debian 12.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libcurl4-gnutls-dev libgmime-3.0-dev libsqlite3-dev sqlite3 libsodium-dev
  libgumbo-dev libcmark-gfm-dev libcmark-gfm-extensions-dev libidn2-dev
  libqrencode-dev libpng-dev zlib1g-dev zbar-tools libhunspell-dev hunspell-en-us hunspell-en-gb hunspell-es
  libpq-dev postgresql-15 dovecot-imapd
  libspdlog-dev libfmt-dev libcli11-dev libtomlplusplus-dev
  libgtest-dev libgmock-dev libbenchmark-dev clang-format
  clang-19 libclang-rt-19-dev
  python3 python3-pytest python3-requests python3-aiosmtpd wrk curl openssl ca-certificates haproxy
  chromium
)
# Node.js and npm build the admin web app and drive the browser tests. A newer
# Node.js already on the machine is used as it is; otherwise Debian's.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
echo "bootstrap: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq </dev/null
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null
