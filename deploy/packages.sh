#!/usr/bin/env bash
# Install the Debian 12 packages the project needs, only those missing.
#   packages.sh run    build and run the service (compiler, libraries, PostgreSQL 15; libcurl
#                      posts the notifications to webhooks)
#   packages.sh test   the above plus what the test suite needs (Check, Node.js/npm)
set -euo pipefail

run_pkgs=(build-essential meson ninja-build pkg-config git curl
          libmicrohttpd-dev libjansson-dev libpq-dev libsodium-dev libcurl4-openssl-dev
          postgresql-15)
test_pkgs=(check)

want=("${run_pkgs[@]}")
if [ "${1:-run}" = test ]; then
    want+=("${test_pkgs[@]}")
    # Node.js runs the contract tests (spectral, ajv); keep a newer one if the machine has it
    command -v node >/dev/null && command -v npm >/dev/null || want+=(nodejs npm)
fi

missing=()
for p in "${want[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}" >&2
sudo=()
if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q >/dev/null
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
