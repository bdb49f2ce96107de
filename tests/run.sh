#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what it needs (Debian packages, the npm
# tools of the contract tests), builds, and runs every tier (unit, db/api against throwaway
# PostgreSQL clusters, contract), then all of it again under AddressSanitizer and
# UndefinedBehaviorSanitizer.  Exit 0 only when everything passed.
#
#   tests/run.sh          everything
#   tests/run.sh --quick  without the sanitizer pass
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
quick=0
[ "${1:-}" = --quick ] && quick=1

deploy/packages.sh test

# The contract tests' Node tools, once per build folder (they SKIP if this fails).
npm_prefix=$top/build/npm
mkdir -p "$npm_prefix"
if [ ! -x "$npm_prefix/node_modules/.bin/spectral" ]; then
    echo "installing the contract tools from npm (spectral, ajv)..."
    (cd "$npm_prefix" && npm install --prefix "$npm_prefix" --no-audit --no-fund --loglevel=error \
        @stoplight/spectral-cli@6 ajv@8 ajv-formats@3 yaml@2 >/dev/null) ||
        echo "WARNING: npm install failed; the contract tests will SKIP"
fi
export SD_NPM_PREFIX=$npm_prefix

passed=0 failed=0 skipped=0
summarize() { # add up one meson test log
    read -r p f s < <(python3 - "$1" <<'PY'
import json, sys
p = f = s = 0
for line in open(sys.argv[1]):
    r = json.loads(line)["result"]
    if r in ("OK", "EXPECTEDFAIL"): p += 1
    elif r == "SKIP": s += 1
    else: f += 1
print(p, f, s)
PY
)
    passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
}

run_pass() { # build folder, extra meson options...
    local dir=$1
    shift
    [ -f "$dir/build.ninja" ] || meson setup "$dir" "$@" >/dev/null || return 1
    ninja -C "$dir" >"$dir.ninja.log" 2>&1 || { tail -40 "$dir.ninja.log"; echo "BUILD FAILED: $dir"; failed=$((failed + 1)); return 1; }
    local log=$top/$dir/contract-replies.jsonl
    rm -rf "$log" "$log.d"
    local rc=0
    SD_CONTRACT_LOG=$log meson test -C "$dir" --no-rebuild --print-errorlogs \
        --suite unit --suite db --suite api || rc=1
    summarize "$dir/meson-logs/testlog.json"
    SD_CONTRACT_LOG=$log meson test -C "$dir" --no-rebuild --print-errorlogs \
        --suite contract --logbase contractlog || rc=1
    summarize "$dir/meson-logs/contractlog.json"
    return $rc
}

status=0
echo "== plain build"
run_pass build || status=1
if [ $quick = 0 ]; then
    echo "== AddressSanitizer + UndefinedBehaviorSanitizer"
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:strict_string_checks=1
    export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
    run_pass build-san -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug || status=1
fi
echo
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit $status
