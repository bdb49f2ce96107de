#!/usr/bin/env bash
# Lint api/openapi.yaml with Spectral (api/.spectral.yaml); any warning fails.
# Needs @stoplight/spectral-cli under $SD_NPM_PREFIX/node_modules (else SKIP, exit 77).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
prefix=${SD_NPM_PREFIX:-${SD_NPM_PREFIX_DEFAULT:-}}
if [ -z "$prefix" ]; then
    echo "SKIP: SD_NPM_PREFIX is not set (the folder whose node_modules has @stoplight/spectral-cli)"
    exit 77
fi
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
