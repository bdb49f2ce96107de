#!/usr/bin/env bash
# Dump the daemon's route table with dump_routes and compare it with api/openapi.yaml.
#   routes.sh DUMP_ROUTES
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dump=${1:?usage: routes.sh DUMP_ROUTES}
if ! command -v node >/dev/null; then
    echo "SKIP: node not found"
    exit 77
fi
tmp=$(mktemp "${TMPDIR:-/tmp}/sd-routes.XXXXXX")
trap 'rm -f "$tmp"' EXIT
"$dump" >"$tmp"
cat "$tmp"
node "$here/check_routes.mjs" "$tmp"
