#!/usr/bin/env bash
# subsidyctl and subsidyd: --version prints the name and the project's version and exits 0;
# subsidyctl --help exits 0 and lists every command of the table in src/cli/main.c, one line each.
#   test_cli.sh SUBSIDYCTL SUBSIDYD VERSION MAIN_C
set -euo pipefail
ctl=$1 daemon=$2 version=$3 source=$4
fail=0
check() { echo "FAIL: $*"; fail=1; }

out=$("$ctl" --version) || check "subsidyctl --version exited $?"
[ "$out" = "subsidyctl $version" ] || check "subsidyctl --version printed '$out'"
out=$("$daemon" --version) || check "subsidyd --version exited $?"
case $out in "subsidyd $version"*) ;; *) check "subsidyd --version printed '$out'" ;; esac

help=$("$ctl" --help) || check "subsidyctl --help exited $?"
# the rows of the command table: {"catalog", "import", ...} or {"migrate", NULL, ...}
commands=$(sed -n '/^static const struct command commands/,/^};/p' "$source" |
    sed -nE 's/^ *\{"([a-z-]+)", (NULL|"([a-z-]+)"),.*/\1 \3/p' | sed 's/ $//' | sort -u)
[ -n "$commands" ] || check "no commands found in $source"
while read -r c; do
    [ -z "$c" ] && continue
    n=$(grep -c "^  $c\( \|\$\)" <<<"$help" || true)
    [ "$n" -ge 1 ] || check "subsidyctl --help does not list '$c'"
done <<<"$commands"
[ $fail = 0 ] && echo "ok: versions and $(wc -l <<<"$commands") commands in --help"
exit $fail
