#!/usr/bin/env bash
# A private PostgreSQL cluster in a folder: no system service, no TCP, a unix socket in DIR/run
# that only the cluster's owner (and root) can open.  Used by setup.sh and by the test suite.
#
#   pg.sh init DIR        initdb into DIR/data (PG_NOSYNC=1: no fsync, for throwaway test clusters)
#   pg.sh start DIR       start it (waits until it accepts connections)
#   pg.sh stop DIR [MODE] stop it (smart|fast|immediate, default fast)
#   pg.sh restart DIR [MODE]
#   pg.sh status DIR      exit 0 when running
#   pg.sh createdb DIR    roles subsidy_owner (owns the schema) and subsidy_app (the daemon's,
#                         least privilege), database subsidy; idempotent
#   pg.sh conninfo DIR ROLE   print the libpq connection string for ROLE
set -euo pipefail

PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[ -x "$PGBIN/initdb" ] || { echo "pg.sh: PostgreSQL server binaries not found (apt-get install postgresql-15)" >&2; exit 3; }

cmd=${1:?command}
dir=$(realpath -m "${2:?folder}")

as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

psql_su() {
    as_owner "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir/run" -U postgres -d postgres "$@"
}

case $cmd in
init)
    mkdir -p "$dir/run"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$dir" "$dir/run"; fi
    chmod 700 "$dir/run"
    nosync=()
    [ "${PG_NOSYNC:-0}" = 1 ] && nosync=(--no-sync)
    as_owner "$PGBIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
        "${nosync[@]}" >"$dir/initdb.log"
    {
        echo "listen_addresses = ''"
        echo "unix_socket_directories = '$dir/run'"
        echo "unix_socket_permissions = 0700"
        echo "max_connections = 200"
        echo "shared_buffers = 256MB"
        echo "log_min_messages = warning"
        echo "log_line_prefix = '%m [%p] '"
        if [ "${PG_NOSYNC:-0}" = 1 ]; then echo "fsync = off"; echo "full_page_writes = off"; fi
    } | as_owner tee -a "$dir/data/postgresql.conf" >/dev/null
    ;;
start)
    as_owner "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start >/dev/null
    ;;
stop)
    as_owner "$PGBIN/pg_ctl" -D "$dir/data" -m "${3:-fast}" -w -t 60 stop >/dev/null
    ;;
restart)
    as_owner "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -m "${3:-fast}" -w -t 60 restart >/dev/null
    ;;
status)
    as_owner "$PGBIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
    ;;
createdb)
    psql_su <<'SQL'
SELECT 'CREATE ROLE subsidy_owner LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'subsidy_owner')\gexec
SELECT 'CREATE ROLE subsidy_app LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'subsidy_app')\gexec
SELECT 'CREATE DATABASE subsidy OWNER subsidy_owner' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'subsidy')\gexec
SQL
    ;;
conninfo)
    echo "host=$dir/run dbname=subsidy user=${3:-subsidy_app}"
    ;;
*)
    echo "pg.sh: unknown command $cmd" >&2
    exit 2
    ;;
esac
