#!/usr/bin/env bash
# The layers of STYLE: http, cli -> flow -> (rules, db).  Fails, naming the file and line, when
#   - anything above src/db sees libpq (an include, a PGresult/PGconn, a PQ* call),
#   - src/flow knows about HTTP (microhttpd, http.h, struct req),
#   - src/rules includes anything of the service or a JSON or SQL library,
#   - a file under src/ grows past 600 lines.
set -u
src=${1:?usage: check_layers.sh SOURCE_ROOT}/src
bad=0
hits() { # description, grep arguments...
    local what=$1
    shift
    local out
    out=$(grep -rnE "$@" 2>/dev/null)
    if [ -n "$out" ]; then
        echo "$what:"
        echo "$out" | sed 's/^/  /'
        bad=1
    fi
}
hits "libpq above src/db" 'libpq-fe\.h|PGresult|PGconn|\bPQ[a-zA-Z]+\(' \
    "$src/http" "$src/flow" "$src/cli" "$src/util" "$src/rulesjson"
hits "HTTP in src/flow" 'microhttpd\.h|"http\.h"|struct req\b' "$src/flow"
hits "the rule module depends on the service" \
    '#include [<"](jansson|libpq-fe|microhttpd|ops|db|http|jspec)\.h[>"]' "$src/rules"
while read -r n f; do
    [ "$f" = total ] && continue
    if [ "$n" -gt 600 ]; then
        echo "over 600 lines: $f ($n)"
        bad=1
    fi
done < <(find "$src" -name '*.[ch]' -print0 | xargs -0 wc -l)
[ $bad = 0 ] && echo "layers hold: no libpq above src/db, no HTTP in src/flow, no file over 600 lines"
exit $bad
