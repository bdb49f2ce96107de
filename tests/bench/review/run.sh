#!/usr/bin/env bash
# GET /v1/review/claims (an approver's queue, 50 items, the default deadline order) through
# subsidyd against pgbench running the daemon's own statements for the same page, with 1,000,000
# claims in the table, measured in one run on one machine (tests/QUALITY.md P3; issue 13).
#
#   tests/bench/review/run.sh [BUILD_DIR] [DURATION_S]     (defaults: build, 20)
#
# What it does, all on 127.0.0.1 and all removed again on exit (also on Ctrl-C):
#   1. a throwaway PostgreSQL cluster (deploy/pg.sh) in a mktemp folder, durable as
#      deploy/setup.sh leaves it; the schema migrated; BENCH_ROWS (default 1,000,000) claims of
#      four fifths as many people loaded with tests/bench/claims/load_claims.sql (in the
#      districts and counties of Zhoushan, 88 % of them waiting: submitted or in review), then
#      VACUUM ANALYZE and a CHECKPOINT;
#   2. subsidyd with --threads 8 (BENCH_THREADS) and tokens of two approvers: one of the city of
#      Zhoushan (330900: every waiting claim of the table is in its queue) and one of the
#      district of Dinghai (330902: three eighths of them);
#   3. a probe per queue with log_statement = all: the statements the daemon runs for one page,
#      with the values it sends, read back from PostgreSQL's log (claims/daemon_sql.py); the run
#      stops when their order differs from queue.pgbench.in, which bench_claims_script (built
#      under tests/bench/claims) turns into a pgbench script of the daemon's own statement texts;
#   4. for each queue, page 1 and page 10,000 (BENCH_PAGE; its cursor, after=, is the deadline
#      and id of the last claim of the page before, found by SQL as the daemon orders them):
#      wrk -t2 -c8 --latency of the page, and pgbench -M prepared -c8 -j2 of the same
#      statements with the same values, DURATION_S each after a warm-up;
#   5. prints pages per second and p50/p99 of each run, the ratios subsidyd/pgbench (the cost of
#      HTTP, JSON and the daemon's work over PostgreSQL's own) and page 10,000/page 1 (what
#      keyset paging promises: a later page costs what the first costs), and the daemon's
#      CPU per page.
# Exit status: 0 whatever the figures (a measurement, not a test), 77 when wrk, pgbench or
# PostgreSQL is missing, 1 on a failure (a non-2xx reply, a failed pgbench transaction, a
# server dying, the daemon's statements no longer matching the template).
#
# Needs: wrk, curl, PostgreSQL server binaries with pgbench, python3, a build with subsidyd,
# subsidyctl and tests/bench/claims/bench_claims_script (ninja -C BUILD_DIR).  Installs nothing.
# The whole benchmark takes about 2 minutes for the load and 8 × (DURATION_S + warm-up).
#
# Caveats: 2 cores shared by wrk, the daemon, PostgreSQL and pgbench; figures are ratios of runs
# made one after the other in one run of this script, where absolute figures drift between runs.
# pgbench sends the page and the counts as two round trips, the daemon as one.
set -euo pipefail
set +m
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/bench/lib.sh
. "$here/../lib.sh"

build=${1:-build}
duration=${2:-20}
threads=${BENCH_THREADS:-8}
warmup=${BENCH_WARMUP:-3}
rows=${BENCH_ROWS:-1000000}
page=${BENCH_PAGE:-10000}
persons=$((rows * 4 / 5))
clients=8
limit=50

bench_check_load_args
[[ $page =~ ^[1-9][0-9]*$ ]] || die "BENCH_PAGE must be a page number from 2, got '$page'"
[ "$page" -ge 2 ] || die "BENCH_PAGE must be a page number from 2, got '$page'"
build=$(bench_build_dir "$build")
bench_need_load_tools
command -v curl >/dev/null || skip "curl is not installed (apt-get install curl)"
subsidyd=$build/src/http/subsidyd
subsidyctl=$build/src/cli/subsidyctl
script_gen=$build/tests/bench/claims/bench_claims_script
for x in "$subsidyd" "$subsidyctl" "$script_gen"; do
    [ -x "$x" ] || die "$x not built (ninja -C $build)"
done

daemon_pid=""
bench_tmp review daemon_pid
bench_on_failure() {
    echo "--- last lines of PostgreSQL's log:"
    tail -n 10 "$pg/postgres.log"
}
psql_as() { # ROLE [psql args...]: psql on the subsidy database as ROLE (postgres = superuser)
    local role=$1
    shift
    "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$pg/run" -U "$role" -d subsidy "$@"
}

echo "setting up a throwaway PostgreSQL in $pg and loading $rows claims ..."
bench_pg_init
bench_pg_start "$subsidyctl"
t0=$(date +%s)
psql_as postgres -c "ALTER SYSTEM SET max_wal_size = '8GB'" -c "SELECT pg_reload_conf()" >/dev/null
PGOPTIONS="-c session_replication_role=replica" \
    psql_as postgres -v rows="$rows" -v persons="$persons" -f "$here/../claims/load_claims.sql" \
    >"$tmp/load.log" || { cat "$tmp/load.log" >&2; die "loading the claims failed"; }
psql_as postgres -c "ALTER SYSTEM RESET max_wal_size" -c "SELECT pg_reload_conf()" -c CHECKPOINT >/dev/null
load_s=$(($(date +%s) - t0))

app_db=$("$bench_root/deploy/pg.sh" conninfo "$pg" subsidy_app)
token() { # REGIONS -> prints a new approver token's secret
    "$subsidyctl" --db "$app_db" --token-key-file "$tmp/token.key" token create --role approver \
        --regions "$1" 2>>"$tmp/tokens.log"
}
queues=(city district)
declare -A region=([city]=330900 [district]=330902) tok=()
for q in "${queues[@]}"; do tok[$q]=$(token "${region[$q]}"); done

daemon_port=$(free_port)
setsid "$subsidyd" --listen "127.0.0.1:$daemon_port" --db "$app_db" \
    --token-key-file "$tmp/token.key" --threads "$threads" \
    --max-connections-per-ip 128 2>"$tmp/subsidyd.log" &
daemon_pid=$!
wait_healthy "$daemon_port" "$daemon_pid" subsidyd

machine_ticks() { # -> "busy total" jiffies of all CPUs so far
    awk '$1 == "cpu" {t = 0; for (i = 2; i <= NF; i++) t += $i; print t - $5 - $6, t}' /proc/stat
}
busy_pct() {
    echo "$1 $2" | awk '{printf "%.0f", ($3 - $1) * 100 / (($4 - $2) > 0 ? ($4 - $2) : 1)}'
}

# The statements the daemon orders the queue by, to find page N's cursor: the waiting claims of
# the approver's regions (the region or its districts) in deadline order.
cursor_of_page() { # REGION PAGE -> the after= value that asks for PAGE
    psql_as postgres -At -c "
        SELECT c.review_due::text || '_' || c.id FROM claim c
        WHERE c.state IN ('submitted', 'resubmitted', 'in_review')
          AND c.region IN (SELECT code FROM region WHERE code = '$1' OR parent = '$1')
        ORDER BY c.review_due, c.id OFFSET $((($2 - 1) * limit - 1)) LIMIT 1"
}

run_wrk() { # NAME DURATION CONNECTIONS TOKEN PATH
    local name=$1 t0 m0
    t0=$(cpu_ticks "$daemon_pid")
    m0=$(machine_ticks)
    wrk -t2 -c"$3" -d"$2s" --latency -s "$here/queue.lua" "http://127.0.0.1:$daemon_port" \
        -- "$4" "$5" >"$tmp/$name.wrk" 2>&1 || { cat "$tmp/$name.wrk" >&2; die "wrk failed in $name"; }
    echo $(($(cpu_ticks "$daemon_pid") - t0)) >"$tmp/$name.cpu"
    busy_pct "$m0" "$(machine_ticks)" >"$tmp/$name.busy"
    kill -0 "$daemon_pid" 2>/dev/null || die "subsidyd died during $name"
    [ "$(wrk_field "$tmp/$name.wrk" non2xx)" = 0 ] || die "$name: non-2xx replies: $(cat "$tmp/$name.wrk")"
    [ -n "$(wrk_field "$tmp/$name.wrk" rps)" ] || die "could not read wrk's output for $name"
}

run_pgbench() { # NAME DURATION SCRIPT -D ARGS...
    local name=$1 secs=$2 script=$3 m0 rc=0
    shift 3
    m0=$(machine_ticks)
    PGOPTIONS="-c statement_timeout=5000 -c lock_timeout=2000" \
        "$PGBIN/pgbench" -h "$pg/run" -U subsidy_app -n -M prepared -c "$clients" -j 2 \
        -T "$secs" --log --log-prefix="$tmp/$name.log" "$@" -f "$script" subsidy \
        >"$tmp/$name.pgb" 2>&1 || rc=$?
    busy_pct "$m0" "$(machine_ticks)" >"$tmp/$name.busy"
    [ "$rc" = 0 ] || { tail -n 20 "$tmp/$name.pgb" >&2; die "pgbench failed in $name"; }
    grep -q '^number of failed transactions: 0 ' "$tmp/$name.pgb" ||
        { tail -n 20 "$tmp/$name.pgb" >&2; die "$name: pgbench had failed transactions"; }
}

field() { # NAME rps | p50 | p99 | cpu_us | busy
    if [ -f "$tmp/$1.pgb" ]; then
        case $2 in
        rps) awk '/^tps = / {printf "%.1f", $3}' "$tmp/$1.pgb" ;;
        p50 | p99) cat "$tmp/$1.log".* | awk '$3 ~ /^[0-9]+$/ {print $3}' | sort -n |
            awk -v q="${2#p}" '{v[NR] = $1} END {i = int(NR * q / 100 + 0.999999); if (i < 1) i = 1; printf "%.3f", v[i] / 1000}' ;;
        cpu_us) echo "-" ;;
        busy) cat "$tmp/$1.busy" ;;
        esac
        return
    fi
    case $2 in
    cpu_us) wrk_field "$tmp/$1.wrk" cpu_us "$(cat "$tmp/$1.cpu")" 0 ;;
    busy) cat "$tmp/$1.busy" ;;
    *) wrk_field "$tmp/$1.wrk" "$2" ;;
    esac
}

probe() { # NAME TOKEN PATH: the daemon's statements for the page, as -D arguments in $tmp/NAME.args
    local name=$1 v
    psql_as postgres -c "ALTER SYSTEM SET log_statement = 'all'" \
        -c "ALTER SYSTEM SET log_parameter_max_length = -1" -c "SELECT pg_reload_conf()" >/dev/null
    sleep 0.5
    # One request at a time until one backend of the daemon's pool has served two of them
    # (a read has no COMMIT to end it: daemon_sql.py takes the statements between that
    # backend's last two token look-ups); a page may take longer than a second.
    local n=0 from
    from=$(($(stat -c %s "$pg/postgres.log") + 1))
    while :; do
        n=$((n + 1))
        curl -sf -o /dev/null -H "Authorization: Bearer $2" "http://127.0.0.1:$daemon_port$3" ||
            die "the probe's request $3 failed"
        tail -c "+$from" "$pg/postgres.log" >"$tmp/$name.pglog"
        if [ "$n" -ge 2 ] && python3 "$here/../claims/daemon_sql.py" "$tmp/$name.pglog" \
            "$tmp/$name.seq" "$tmp/$name.vars" token_by_hash 2>"$tmp/$name.probe"; then
            break
        fi
        [ "$n" -lt 40 ] || { cat "$tmp/$name.probe" >&2; die "could not read the probe's statements from PostgreSQL's log"; }
    done
    psql_as postgres -c "ALTER SYSTEM RESET log_statement" \
        -c "ALTER SYSTEM RESET log_parameter_max_length" -c "SELECT pg_reload_conf()" >/dev/null
    sleep 0.5
    if ! cmp -s "$tmp/$name.seq" "$tmp/template.seq"; then
        paste <(echo "daemon:"; cat "$tmp/$name.seq") <(echo "template:"; cat "$tmp/template.seq") >&2
        die "the daemon's statements for GET /v1/review/claims differ from $here/queue.pgbench.in"
    fi
    # pgbench -D cannot carry an empty value: an empty one (a filter not set, the first page's
    # cursor) goes into this run's script as the literal '' in its parameter's place.
    : >"$tmp/$name.args"
    cp "$tmp/queue.pgbench" "$tmp/$name.pgbench"
    while IFS= read -r v; do
        if [[ $v == *= ]]; then
            sed -i "s/:${v%=}\b/''/g" "$tmp/$name.pgbench"
        else
            printf '%s\n' "-D" "$v" >>"$tmp/$name.args"
        fi
    done <"$tmp/$name.vars"
}

awk '/^@/ {print substr($1, 2)}' "$here/queue.pgbench.in" >"$tmp/template.seq"
"$script_gen" "$here/queue.pgbench.in" >"$tmp/queue.pgbench" ||
    die "bench_claims_script could not write the pgbench script"

runs=()
for q in "${queues[@]}"; do
    after=$(cursor_of_page "${region[$q]}" "$page")
    [ -n "$after" ] || die "the $q queue has fewer than $page pages: raise BENCH_ROWS"
    for p in 1 "$page"; do
        path="/v1/review/claims?limit=$limit"
        [ "$p" = 1 ] || path+="&after=$after"
        name=${q}_p$p
        echo "$name: $path ..."
        probe "$name" "${tok[$q]}" "$path"
        mapfile -t args <"$tmp/$name.args"
        run_wrk "warm_$name" "$warmup" "$clients" "${tok[$q]}" "$path"
        run_wrk "wrk_$name" "$duration" "$clients" "${tok[$q]}" "$path"
        run_pgbench "warm_pgb_$name" "$warmup" "$tmp/$name.pgbench" "${args[@]}"
        run_pgbench "pgb_$name" "$duration" "$tmp/$name.pgbench" "${args[@]}"
        runs+=("$name")
    done
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b > 0) ? a / b : 0}'; }
waiting=$(psql_as postgres -At -c "SELECT count(*) FROM claim WHERE state IN ('submitted', 'resubmitted', 'in_review')")
echo
echo "== GET /v1/review/claims?limit=$limit, default filters and order; $rows claims ($waiting waiting), loaded in $load_s s"
echo "   wrk -t2 -c$clients against subsidyd --threads $threads; pgbench -M prepared -c$clients -j2 of the daemon's"
echo "   statements with its values; $duration s each; $(nproc) CPUs shared by everything"
printf '%-22s %10s %9s %9s %12s %6s\n' "" "per second" "p50 ms" "p99 ms" "daemon cpu" "busy"
for n in "${runs[@]}"; do
    for k in wrk pgb; do
        cpu=$(field "${k}_$n" cpu_us)
        [ "$cpu" = - ] || cpu="$cpu us/page"
        printf '%-22s %10s %9s %9s %12s %5s%%\n' "${k}_$n" "$(field "${k}_$n" rps)" \
            "$(field "${k}_$n" p50)" "$(field "${k}_$n" p99)" "$cpu" "$(field "${k}_$n" busy)"
    done
done
echo
for q in "${queues[@]}"; do
    for p in 1 "$page"; do
        n=${q}_p$p
        echo "P3 $n  subsidyd/pgbench: throughput $(ratio "$(field "wrk_$n" rps)" "$(field "pgb_$n" rps)"), p99 $(field "wrk_$n" p99) / $(field "pgb_$n" p99) ms"
    done
    echo "P3 ${q}    page $page / page 1, subsidyd: throughput $(ratio "$(field "wrk_${q}_p$page" rps)" "$(field "wrk_${q}_p1" rps)"), p99 $(field "wrk_${q}_p$page" p99) / $(field "wrk_${q}_p1" p99) ms; pgbench: throughput $(ratio "$(field "pgb_${q}_p$page" rps)" "$(field "pgb_${q}_p1" rps)")"
done
