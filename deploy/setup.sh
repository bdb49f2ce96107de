#!/usr/bin/env bash
# Set up and run subsidyd on this machine, from nothing to a daemon on 127.0.0.1:8080:
# packages, build, a private PostgreSQL cluster in var/ (no system service), database and roles,
# migrations and reference data (regions, calendar, the policies' plan tables), the token hashing key, a first admin token (printed once), and
# the daemon.  Running it again keeps the cluster and its data and restarts the daemon.
#
#   deploy/setup.sh              set up (if needed) and start the daemon in the background
#   deploy/setup.sh --foreground the same, with the daemon in the foreground (Ctrl-C stops it)
#   deploy/setup.sh stop         stop the daemon and the cluster
#
# SUBSIDY_VAR (default ./var) is the data folder; SUBSIDYD_LISTEN (default 127.0.0.1:8080).
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
var=${SUBSIDY_VAR:-$top/var}
listen=${SUBSIDYD_LISTEN:-127.0.0.1:8080}
mode=${1:-background}

stop_daemon() {
    if [ -f "$var/subsidyd.pid" ] && kill -0 "$(cat "$var/subsidyd.pid")" 2>/dev/null; then
        kill -TERM "$(cat "$var/subsidyd.pid")"
        for _ in $(seq 1 250); do kill -0 "$(cat "$var/subsidyd.pid")" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -f "$var/subsidyd.pid"
}

if [ "$mode" = stop ]; then
    stop_daemon
    deploy/pg.sh status "$var/pg" && deploy/pg.sh stop "$var/pg"
    echo "stopped; data kept in $var"
    exit 0
fi

deploy/packages.sh run
[ -d build ] || meson setup build >/dev/null
ninja -C build >/dev/null

mkdir -p "$var"
if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$var"; then
    echo "the postgres user cannot reach $var; set SUBSIDY_VAR to a folder it can (e.g. /var/lib/subsidyd)" >&2
    exit 1
fi
if ! deploy/pg.sh status "$var/pg"; then
    [ -d "$var/pg/data" ] || deploy/pg.sh init "$var/pg"
    deploy/pg.sh start "$var/pg"
fi
deploy/pg.sh createdb "$var/pg"
owner=$(deploy/pg.sh conninfo "$var/pg" subsidy_owner)
app=$(deploy/pg.sh conninfo "$var/pg" subsidy_app)
build/src/cli/subsidyctl --db "$owner" migrate
build/src/cli/subsidyctl --db "$owner" plans load sql/ref/plans >/dev/null
# the sample list of occupations, only into an empty list (a city loads its full 大典 list)
build/src/cli/subsidyctl --db "$owner" occupations load --if-empty sql/ref/occupations.csv >/dev/null

if [ ! -s "$var/token.key" ]; then
    (umask 077 && build/src/cli/subsidyctl keygen >"$var/token.key")
fi
export SUBSIDYD_TOKEN_KEY_FILE=$var/token.key
admin=$(build/src/cli/subsidyctl --db "$app" token create --role admin --label "first admin (setup)" \
        --days 365 --if-no-admin 2>/dev/null)

stop_daemon
args=(--listen "$listen" --db "$app" --token-key-file "$var/token.key")
if [ -n "$admin" ]; then
    echo
    echo "First admin token (shown once; keep it safe, it is stored only as a keyed hash):"
    echo "  $admin"
    echo
fi
if [ "$mode" = --foreground ]; then
    echo "subsidyd on http://$listen (Ctrl-C stops it; 'deploy/setup.sh stop' stops PostgreSQL)"
    exec build/src/http/subsidyd "${args[@]}"
fi
nohup build/src/http/subsidyd "${args[@]}" >>"$var/subsidyd.log" 2>&1 &
echo $! >"$var/subsidyd.pid"
for _ in $(seq 1 100); do
    curl -fsS "http://$listen/v1/ready" >/dev/null 2>&1 && break
    kill -0 "$(cat "$var/subsidyd.pid")" 2>/dev/null || { tail -5 "$var/subsidyd.log" >&2; exit 1; }
    sleep 0.1
done
curl -fsS "http://$listen/v1/ready" >/dev/null
echo "subsidyd is running on http://$listen (pid $(cat "$var/subsidyd.pid"), log $var/subsidyd.log)"
echo "try:  curl -s http://$listen/v1/health"
echo "      curl -s -H \"Authorization: Bearer \$TOKEN\" http://$listen/v1/me"
echo "stop: deploy/setup.sh stop"
