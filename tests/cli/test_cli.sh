#!/usr/bin/env bash
# subsidyctl and subsidyd.
#   test_cli.sh SUBSIDYCTL SUBSIDYD VERSION MAIN_C
#     --version prints the name and the project's version and exits 0; subsidyctl --help exits 0
#     and lists every command of the table in src/cli/main.c, one line each.
#   test_cli.sh SUBSIDYCTL --db PG_SH
#     token create and token revoke write their audit rows (actor: none, the CLI), in a
#     throwaway cluster made with deploy/pg.sh; revoking again writes none.
set -euo pipefail
ctl=$1
fail=0
check() { echo "FAIL: $*"; fail=1; }

if [ "${2:-}" = --db ]; then
    pgsh=$3
    dir=$(mktemp -d /tmp/sdcli.XXXXXX)
    chmod 755 "$dir"
    trap 'bash "$pgsh" stop "$dir" immediate >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
    export PG_NOSYNC=1
    bash "$pgsh" init "$dir" >/dev/null || { st=$?; [ $st = 3 ] && { echo "SKIP: no PostgreSQL"; exit 77; }; exit $st; }
    bash "$pgsh" start "$dir" >/dev/null
    bash "$pgsh" createdb "$dir" >/dev/null
    owner="host=$dir/run dbname=subsidy user=subsidy_owner"
    app="host=$dir/run dbname=subsidy user=subsidy_app"
    psql=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)/psql
    sql() { "$psql" -X -q -At -h "$dir/run" -U postgres -d subsidy -c "$1"; }
    "$ctl" --db "$owner" migrate >/dev/null
    "$ctl" keygen >"$dir/token.key"
    "$ctl" --db "$app" --token-key-file "$dir/token.key" token create --role approver \
        --regions 330902 --label cli-test >/dev/null 2>"$dir/create.err" ||
        check "token create exited $?: $(cat "$dir/create.err")"
    id=$(sql "SELECT id FROM token WHERE label = 'cli-test'")
    [ -n "$id" ] || check "no token created"
    row=$(sql "SELECT coalesce(actor::text, 'none'), object_kind, after->>'role',
                      after->>'label', after->'regions'->>0, after ? 'token'
                 FROM audit WHERE action = 'token.create' AND object_id = '$id'")
    [ "$row" = "none|token|approver|cli-test|330902|f" ] ||
        check "token create's audit row is '$row'"
    "$ctl" --db "$app" token revoke "$id" || check "token revoke exited $?"
    row=$(sql "SELECT coalesce(actor::text, 'none'), before->>'revoked_at' IS NULL,
                      after->>'revoked_at' IS NOT NULL
                 FROM audit WHERE action = 'token.revoke' AND object_id = '$id'")
    [ "$row" = "none|t|t" ] || check "token revoke's audit row is '$row'"
    "$ctl" --db "$app" token revoke "$id" || check "token revoke again exited $?"
    n=$(sql "SELECT count(*) FROM audit WHERE action = 'token.revoke'")
    [ "$n" = 1 ] || check "revoking again wrote $n audit rows in all"
    [ $fail = 0 ] && echo "ok: token create and revoke are audited"
    exit $fail
fi

daemon=$2 version=$3 source=$4
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
