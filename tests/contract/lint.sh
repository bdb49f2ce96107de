#!/usr/bin/env bash
# Lint api/openapi.yaml with Spectral (api/.spectral.yaml); any warning fails.
# Needs @stoplight/spectral-cli under $SD_NPM_PREFIX/node_modules, by default build/npm (where
# tests/run.sh installs it), else SKIP (exit 77).  Run from anywhere: tests/contract/lint.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
prefix=${SD_NPM_PREFIX:-${SD_NPM_PREFIX_DEFAULT:-$root/build/npm}}
spectral=$prefix/node_modules/.bin/spectral
if [ ! -x "$spectral" ]; then
    echo "SKIP: $spectral not found (npm install --prefix \"$prefix\" @stoplight/spectral-cli@6)"
    exit 77
fi
if ! command -v node >/dev/null; then
    echo "SKIP: node not found"
    exit 77
fi
cd "$root"
"$spectral" --version
exec "$spectral" lint api/openapi.yaml --ruleset api/.spectral.yaml --fail-severity warn
