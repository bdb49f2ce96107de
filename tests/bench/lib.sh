# shellcheck shell=bash
# What the benchmark scripts share; sourced by tests/bench/*/run.sh, never run by itself.
#
#   - die / skip: exit 1 with a message, or 77 (SKIP) when a tool is missing;
#   - bench_build_dir, bench_need_pg: the build folder, and the PostgreSQL binaries ($PGBIN);
#   - bench_tmp: a temporary folder ($tmp, the cluster in $pg) removed on exit, also on Ctrl-C,
#     after stopping the processes whose PIDs the named variables hold and the cluster;
#   - bench_pg_init / bench_pg_start: the throwaway cluster, migrated, with a token key;
#   - free_port, http_status, wait_healthy: the servers under test on 127.0.0.1;
#   - rss_kib, cpu_ticks, to_ms, wrk_field, machine_ticks, busy_pct: the figures from /proc and
#     from wrk's output;
#   - bench_enterprise: the enterprise submit.lua claims for, registered, its employees insured;
#   - bench_log_all, bench_same_statements, bench_script_values: the probes that read the
#     daemon's statements from PostgreSQL's log and turn them into a pgbench script.
#
# The caller runs with `set -euo pipefail` and `set +m` (without job control a background job
# is never a process group leader, so `setsid` execs in place and $! is the server's own PID).

bench_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

die() {
    echo "run.sh: $*" >&2
    exit 1
}
skip() {
    echo "run.sh: SKIP: $*" >&2
    exit 77
}

bench_build_dir() { # BUILD -> prints its absolute path (as given, or under the source tree)
    if [ -d "$1" ]; then
        (cd "$1" && pwd)
    elif [ -d "$bench_root/$1" ]; then
        (cd "$bench_root/$1" && pwd)
    else
        die "no build folder '$1' (meson setup build && ninja -C build)"
    fi
}

bench_need_pg() { # sets and exports PGBIN: the newest installed server, as deploy/pg.sh picks it
    # shellcheck disable=SC2012
    PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
    [ -x "$PGBIN/initdb" ] || skip "PostgreSQL server binaries not found (apt-get install postgresql-15)"
    export PGBIN
}

bench_tmp() { # NAME PID_VARIABLE...: makes $tmp and sets $pg; on exit the processes whose PIDs
    # the variables hold then (empty: none) are stopped in that order, then the cluster, and
    # the folder is removed.  On a failure the daemon's last log lines are shown, and what
    # bench_on_failure prints when the script defines it.
    tmp=$(mktemp -d -t "subsidyd-bench-$1.XXXXXX")
    shift
    bench_pid_vars=("$@")
    # pg.sh runs the cluster as the postgres user when we are root: it must reach $tmp/pg.
    if [ "$(id -u)" = 0 ]; then chmod 755 "$tmp"; fi
    pg="$tmp/pg"
    pg_started=0
    trap bench_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

stop_pid() { # PID: SIGTERM, wait up to 25 s (the daemon's drain is 20 s at most), then SIGKILL
    local pid=$1 i
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 250; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

bench_cleanup() {
    local rc=$? v
    trap - EXIT INT TERM
    set +e
    for v in "${bench_pid_vars[@]}"; do
        stop_pid "${!v:-}"
    done
    [ "$pg_started" = 1 ] && "$bench_root/deploy/pg.sh" stop "$pg" immediate >/dev/null 2>&1
    case $rc in
    0 | 77 | 130 | 143) ;;
    *)
        if [ -f "$tmp/subsidyd.log" ]; then
            echo "--- last lines of the daemon's log:" >&2
            grep -v '"msg":"access"' "$tmp/subsidyd.log" | tail -n 20 >&2
        fi
        if declare -F bench_on_failure >/dev/null; then bench_on_failure >&2; fi
        ;;
    esac
    rm -rf "$tmp"
    exit "$rc"
}

bench_pg_init() { # the cluster in $pg (PG_NOSYNC=1 in the environment: no fsync)
    "$bench_root/deploy/pg.sh" init "$pg"
}

bench_pg_start() { # SUBSIDYCTL: start the cluster, create the database and roles, migrate as
    # subsidy_owner, and write a fresh token key to $tmp/token.key
    "$bench_root/deploy/pg.sh" start "$pg"
    pg_started=1
    "$bench_root/deploy/pg.sh" createdb "$pg"
    "$1" --db "$("$bench_root/deploy/pg.sh" conninfo "$pg" subsidy_owner)" migrate >"$tmp/migrate.log" ||
        { cat "$tmp/migrate.log" >&2; die "migration failed"; }
    (umask 077 && "$1" keygen >"$tmp/token.key")
}

free_port() { # a port the kernel just handed out on 127.0.0.1 and released again
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

http_status() { # METHOD PORT PATH [TOKEN IDEMPOTENCY_KEY BODY] -> prints the HTTP status, or nothing
    local method=$1 port=$2 path=$3 token=${4:-} key=${5:-} body=${6:-} line head
    { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 0
    head="$method $path HTTP/1.1"$'\r\n'"Host: 127.0.0.1"$'\r\n'"Connection: close"$'\r\n'
    if [ -n "$token" ]; then
        # Content-Length counts bytes, and a body may have Chinese in it
        head+="Authorization: Bearer $token"$'\r\n'"Idempotency-Key: $key"$'\r\n'
        head+="Content-Type: application/json"$'\r\n'"Content-Length: $(LC_ALL=C; echo "${#body}")"$'\r\n'
    fi
    printf '%s\r\n%s' "$head" "$body" >&3
    IFS= read -r -t 5 line <&3 || true
    exec 3<&-
    line=${line%$'\r'}
    echo "${line#* }" | cut -d' ' -f1
}

wait_healthy() { # PORT PID NAME: until GET /v1/health is 200, at most 30 s
    local i
    for ((i = 0; i < 300; i++)); do
        kill -0 "$2" 2>/dev/null || die "$3 exited during start-up"
        [ "$(http_status GET "$1" /v1/health)" = 200 ] && return 0
        sleep 0.1
    done
    die "$3 did not answer GET /v1/health with 200 within 30 s"
}

rss_kib() { # PID FIELD -> the value in kB of FIELD (VmRSS, VmHWM) in /proc/PID/status
    awk -v f="$2:" '$1 == f {print $2}' "/proc/$1/status"
}

cpu_ticks() { # PID -> utime + stime of the process so far, in clock ticks
    sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'
}

to_ms() { # wrk's "312.45us" / "2.10ms" / "1.02s" -> milliseconds
    awk -v v="$1" 'BEGIN {
        n = v + 0
        if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000
        printf "%.3f", n }'
}

wrk_field() { # FILE what -> rps | p50 | p99 | non2xx | errors | cpu_us TICKS DECIMALS, of wrk's
    # output in FILE (cpu_us: TICKS of a server's CPU over the run, per request, in us)
    local f=$1
    case $2 in
    rps) awk '/^Requests\/sec:/ {print $2}' "$f" ;;
    p50) to_ms "$(awk '$1 == "50%" {print $2}' "$f")" ;;
    p99) to_ms "$(awk '$1 == "99%" {print $2}' "$f")" ;;
    non2xx) awk '/Non-2xx or 3xx responses:/ {print $NF}' "$f" | grep . || echo 0 ;;
    errors) grep -o "Socket errors:.*" "$f" | sed "s/^Socket errors: //" || echo none ;;
    cpu_us) awk -v t="$3" -v hz="$(getconf CLK_TCK)" -v d="$4" \
        '/ requests in / {printf "%." d "f", t * 1e6 / hz / $1}' "$f" ;;
    esac
}

bench_check_load_args() { # the load benchmarks' settings, from the variables duration, threads,
    # warmup and rows of the calling script: dies naming the first one out of bounds
    [[ $duration =~ ^[1-9][0-9]*$ ]] || die "DURATION_S must be a whole number of seconds, got '$duration'"
    [[ $threads =~ ^[1-9][0-9]?$ ]] || die "BENCH_THREADS must be from 1 to 99, got '$threads'"
    [[ $warmup =~ ^[1-9][0-9]*$ ]] || die "BENCH_WARMUP must be a whole number of seconds, got '$warmup'"
    if ! [[ $rows =~ ^[1-9][0-9]*$ ]] || [ "$rows" -lt 10 ]; then
        die "BENCH_ROWS must be a whole number from 10, got '$rows'"
    fi
}

bench_need_load_tools() { # wrk, pgbench and python3, or SKIP; sets PGBIN
    command -v wrk >/dev/null || skip "wrk is not installed (apt-get install wrk)"
    bench_need_pg
    [ -x "$PGBIN/pgbench" ] || skip "pgbench not found in $PGBIN (apt-get install postgresql-15)"
    command -v python3 >/dev/null || die "python3 is needed to read PostgreSQL's statement log"
}

machine_ticks() { # -> "busy total" jiffies of all CPUs so far (idle and iowait are not busy)
    awk '$1 == "cpu" {t = 0; for (i = 2; i <= NF; i++) t += $i; print t - $5 - $6, t}' /proc/stat
}

busy_pct() { # "BUSY0 TOTAL0" "BUSY1 TOTAL1" -> percentage of the machine's CPU time in use
    echo "$1 $2" | awk '{printf "%.0f", ($3 - $1) * 100 / (($4 - $2) > 0 ? ($4 - $2) : 1)}'
}

bench_enterprise=91330900MA28K1234U # the enterprise of tests/bench/claims/submit.lua
bench_enterprise() { # PORT ADMIN_TOKEN SUBSIDYCTL APP_DB COUNT: registers $bench_enterprise in
    # the district of Dinghai through PUT /v1/admin/enterprises/{code} and imports, with
    # subsidyctl, the employment records of the COUNT people submit.lua sends (request numbers
    # 0 .. COUNT - 1, in files of 5,000: subsidyctl's limit per import): an enterprise claims
    # only for people the records show insured with it
    local status f
    status=$(http_status PUT "$1" "/v1/admin/enterprises/$bench_enterprise" "$2" \
        bench-enterprise '{"name":"舟山示范企业","region":"330902"}')
    [ "$status" = 201 ] || die "registering the enterprise: HTTP '$status' instead of 201"
    python3 "$bench_root/tests/bench/claims/insured_csv.py" "$bench_enterprise" "$5" 5000 "$tmp/insured"
    for f in "$tmp"/insured/*.csv; do
        "$3" --db "$4" --token-key-file "$tmp/token.key" employment import \
            --source bench "$f" >/dev/null 2>>"$tmp/insured.log" ||
            die "importing the employment records ($f): $(tail -3 "$tmp/insured.log")"
    done
}

bench_log_all() { # on | off: PostgreSQL logs every statement with its values, or stops; the
    # caller defines psql_as
    if [ "$1" = on ]; then
        psql_as postgres -c "ALTER SYSTEM SET log_statement = 'all'" \
            -c "ALTER SYSTEM SET log_parameter_max_length = -1" -c "SELECT pg_reload_conf()" >/dev/null
    else
        psql_as postgres -c "ALTER SYSTEM RESET log_statement" \
            -c "ALTER SYSTEM RESET log_parameter_max_length" -c "SELECT pg_reload_conf()" >/dev/null
    fi
    sleep 0.5
}

bench_same_statements() { # SEQ TEMPLATE WHAT: dies, showing both, unless the statements the
    # daemon ran (SEQ, from daemon_sql.py) are the @-lines (and BEGIN; COMMIT;) of TEMPLATE
    awk '/^@/ {print substr($1, 2)} /^(BEGIN|COMMIT);/ {print substr($1, 1, length($1) - 1)}' \
        "$2" >"$1.template"
    if ! cmp -s "$1" "$1.template"; then
        paste <(echo "daemon:"; cat "$1") <(echo "template:"; cat "$1.template") >&2
        die "the daemon's statements for $3 differ from $2: update the template"
    fi
}

bench_script_values() { # VARS SCRIPT ARGS: the probe's values (VARS, NAME_N=VALUE lines) as
    # pgbench -D arguments, one a line, in ARGS; pgbench -D cannot carry an empty value, so an
    # empty one goes into SCRIPT as the literal '' in its variable's place
    local v
    : >"$3"
    while IFS= read -r v; do
        if [[ $v == *= ]]; then
            sed -i "s/:${v%=}\\b/''/g" "$2"
        else
            printf '%s\n' "-D" "$v" >>"$3"
        fi
    done <"$1"
}
