#!/usr/bin/env bash
# POST /v1/claims (an enterprise submits a claim for a new employee): subsidyd against pgbench
# running the daemon's own SQL, on one durable PostgreSQL, measured in one run on one machine, so
# the ratios mean something where absolute figures do not (timing on the shared VMs drifts
# 20-40 % between identical runs).  Measures tests/QUALITY.md P2, P4 and P5 and prints them.
#
#   tests/bench/claims/run.sh [BUILD_DIR] [DURATION_S]     (defaults: build, 30)
#
# What it does, all on 127.0.0.1 and all removed again on exit (also on Ctrl-C):
#   1. a throwaway PostgreSQL cluster (deploy/pg.sh) in a mktemp folder, DURABLE: fsync on,
#      synchronous_commit on, as deploy/setup.sh leaves it (no PG_NOSYNC: tests/QUALITY.md's ceiling is
#      the durable commit rate); the subsidy database and roles, the schema migrated as
#      subsidy_owner, a fresh token key, an admin token and an enterprise token;
#   2. subsidyd on a free loopback port with --threads 8 (BENCH_THREADS), connected as
#      subsidy_app, its log (one access line per request) written to a file in that folder; the
#      enterprise 91330900MA28K1234U registered through PUT /v1/admin/enterprises/{code}, and
#      the employment records of the BENCH_INSURED (default 600,000) people submit.lua sends
#      imported with subsidyctl (insured_csv.py): an enterprise claims only for its insured;
#   3. a probe: one wrk connection for 1 s with log_statement = all, so that the statements the
#      daemon runs for one submission, in order and with the values it sends, are read back from
#      PostgreSQL's log (daemon_sql.py); the run stops when that order differs from
#      submit.pgbench.in.  bench_claims_script (pgbench_script.c, built by meson) turns the
#      template into a pgbench script from the daemon's own statement texts (db_statements[]),
#      and the logged values become pgbench variables (-D): the same SQL, the same values, a
#      fresh person hash and idempotency key per transaction;
#   4. a warm-up of each, then with an (almost) empty database: pgbench -M prepared -c16 -j2
#      of the minimal durable submit transaction (minimal.pgbench on the people of
#      minimal_setup.sql: lock the quota row, insert the claim and its audit row, commit; P2's
#      ceiling), pgbench -M prepared -c16 -j2 of the daemon's own SQL, wrk -t2 -c16 --latency with submit.lua (a new employee with a valid,
#      distinct ID number per request), and pgbench again with as many clients as the daemon has
#      database connections (for information: at 16 clients this SQL may do worse than at 8);
#      the daemon's VmRSS/VmHWM before and after the wrk run, and its
#      subsidyd_db_round_trips_total (/metrics) before and after: round trips per submission;
#   5. 1,000,000 earlier claims (BENCH_ROWS) of 800,000 people loaded with generate_series
#      (load_claims.sql, as the superuser, foreign-key triggers off for the load, then VACUUM
#      ANALYZE and a CHECKPOINT), then the minimal transaction, pgbench and wrk again (P4);
#   6. a soak: wrk -c16 for SOAK_SECONDS (default 120), the daemon's VmRSS sampled every 5 s;
#      growth is measured from the sample after the first minute (after half the soak when it
#      is shorter than 2 minutes) to the last (P5);
#      After each run the script waits until the daemon has linked every audit row of it into
#      its chain (sql/0015, 0018), so that no run pays for the rows of the one before;
#   7. prints requests/s and p50/p99 of each run (pgbench's from its per-transaction log), the
#      ratios against their bars, memory, and for every run the daemon's CPU time per request
#      and how busy the machine was (two cores: at 100 % the figures say more about CPU than
#      about the disk).
#
# Each measured run lasts DURATION_S; warm-ups BENCH_WARMUP (default 5) seconds.  With the
# defaults the whole benchmark takes about 7 minutes (the load alone about 2).  BENCH_PGSS=1 also
# loads pg_stat_statements and prints, for the empty-database runs (minimal, pgbench, wrk), where
# PostgreSQL spent its time per statement and how often it planned it, the statements run inside
# others (foreign-key checks, functions, triggers: "(inside)", their time also counted in their
# statement's, so left out of the percentages) among them (it costs both sides a little).
# Exit status: 0
# whatever the figures (it is a measurement, not a test), 77 when wrk, pgbench or PostgreSQL is
# missing, 1 on a failure (non-2xx replies, failed pgbench transactions, a server dying, the
# daemon's statements no longer matching the template).
#
# Needs: wrk (apt-get install wrk), PostgreSQL server binaries with pgbench (apt-get install
# postgresql-15; postgresql-contrib for BENCH_PGSS), python3, a build with subsidyd, subsidyctl
# and tests/bench/claims/bench_claims_script (ninja -C BUILD_DIR).  Installs nothing.
#
# Caveats: the machines have 2 cores.  wrk (2 threads), the daemon (8 workers), PostgreSQL's
# backends and pgbench share them, so the daemon's own CPU (HTTP, JSON, the rule module, the
# ID number's keyed hash and seal) is taken from PostgreSQL in a way pgbench's is barely; that
# is part of what the ratio measures.  pgbench at 16 clients has 16 backends committing, the
# daemon at most its 8 workers' connections: also part of the figure (tests/QUALITY.md: 8 did best).
# pgbench pays one round trip per transaction the daemon does not (see submit.pgbench.in).
# On the 2-core VMs this SQL makes the CPUs the limit rather than fsync: about 550-650
# submissions/s with the machine 95 % busy, PostgreSQL's own work per transaction (ten round
# trips, executor start-up of the large CTE statements) being most of it; so more clients can
# mean less throughput, and the ratios move with what else runs.  pgbench sends BEGIN and COMMIT
# alone; the daemon pipelines them with its first and last statements (src/db/pool.c), so the
# round trips per submission it prints are the daemon's own, counted, not the template's.
# The per-IP connection limit is raised to 128 (wrk opens 16 at once from 127.0.0.1, and a
# closing warm-up connection could be counted against the next run).
set -euo pipefail
set +m
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/bench/lib.sh
. "$here/../lib.sh"

build=${1:-build}
duration=${2:-30}
threads=${BENCH_THREADS:-8}
warmup=${BENCH_WARMUP:-5}
soak=${SOAK_SECONDS:-120}
rows=${BENCH_ROWS:-1000000}
persons=$((rows * 4 / 5))
clients=16
wrk_threads=2
per_ip=128
minimal_people=${BENCH_MINIMAL_PEOPLE:-100000}
enterprise=$bench_enterprise

bench_check_load_args
[[ $soak =~ ^[1-9][0-9]*$ ]] || die "SOAK_SECONDS must be a whole number of seconds, got '$soak'"
build=$(bench_build_dir "$build")
bench_need_load_tools
subsidyd=$build/src/http/subsidyd
subsidyctl=$build/src/cli/subsidyctl
script_gen=$build/tests/bench/claims/bench_claims_script
[ -x "$subsidyd" ] || die "$subsidyd not built (ninja -C $build)"
[ -x "$subsidyctl" ] || die "$subsidyctl not built (ninja -C $build)"
# Not compiled here as a fallback (unlike health's bench_hello): it links the daemon's database
# library, which only meson knows how to build.
[ -x "$script_gen" ] || die "$script_gen not built (ninja -C $build)"

sampler_pid=""
daemon_pid=""
bench_tmp claims sampler_pid daemon_pid
bench_on_failure() {
    echo "--- last lines of PostgreSQL's log:"
    tail -n 10 "$pg/postgres.log"
}

psql_as() { # ROLE [psql args...]: psql on the subsidy database as ROLE (postgres = superuser)
    local role=$1
    shift
    "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$pg/run" -U "$role" -d subsidy "$@"
}

# --- PostgreSQL, schema, key, tokens
echo "setting up a throwaway, durable PostgreSQL in $pg ..."
bench_pg_init
if [ "${BENCH_PGSS:-0}" = 1 ]; then
    [ -f "$(dirname "$PGBIN")/lib/pg_stat_statements.so" ] ||
        ls /usr/lib/postgresql/*/lib/pg_stat_statements.so >/dev/null 2>&1 ||
        skip "BENCH_PGSS=1 needs pg_stat_statements (apt-get install postgresql-contrib)"
    echo "shared_preload_libraries = 'pg_stat_statements'" >>"$pg/data/postgresql.conf"
    # planning too: how often a prepared statement is planned again, and what that costs
    echo "pg_stat_statements.track_planning = on" >>"$pg/data/postgresql.conf"
    # and the statements run inside others: foreign-key checks, functions, triggers
    echo "pg_stat_statements.track = all" >>"$pg/data/postgresql.conf"
fi
bench_pg_start "$subsidyctl"
"$subsidyctl" --db "$("$bench_root/deploy/pg.sh" conninfo "$pg" subsidy_owner)" occupations load \
    "$bench_root/sql/ref/occupations.csv" >/dev/null || die "cannot load the occupations"
[ "${BENCH_PGSS:-0}" = 1 ] && psql_as postgres -c "CREATE EXTENSION pg_stat_statements"
psql_as postgres -v n="$minimal_people" -f "$here/minimal_setup.sql" >/dev/null ||
    die "cannot make the people of the minimal transaction"
durability=$(psql_as postgres -At -c "SELECT 'fsync=' || current_setting('fsync') || ' synchronous_commit=' || current_setting('synchronous_commit') || ' wal_sync_method=' || current_setting('wal_sync_method')")
case $durability in
fsync=on\ synchronous_commit=on*) ;;
*) die "the cluster is not durable ($durability): the ceiling would be meaningless" ;;
esac
app_db=$("$bench_root/deploy/pg.sh" conninfo "$pg" subsidy_app)
token() { # ROLE [SUBJECT] -> prints a new token's secret
    "$subsidyctl" --db "$app_db" --token-key-file "$tmp/token.key" token create --role "$1" \
        ${2:+--subject "$2"} 2>>"$tmp/tokens.log"
}
admin_token=$(token admin)
ent_token=$(token enterprise "$enterprise")

# --- the daemon, in a session of its own so that a Ctrl-C reaches only this script and wrk
# (which then prints and exits): the EXIT trap stops it by PID.
daemon_port=$(free_port)
setsid "$subsidyd" --listen "127.0.0.1:$daemon_port" --db "$app_db" \
    --token-key-file "$tmp/token.key" --threads "$threads" \
    --max-connections-per-ip "$per_ip" 2>"$tmp/subsidyd.log" &
daemon_pid=$!
wait_healthy "$daemon_port" "$daemon_pid" subsidyd
[ "$(cat "/proc/$daemon_pid/comm")" = subsidyd ] || die "lost track of subsidyd's PID"
insured=${BENCH_INSURED:-600000} # submit.lua stops at that number
bench_enterprise "$daemon_port" "$admin_token" "$subsidyctl" "$app_db" "$insured"

rss_start=$(rss_kib "$daemon_pid" VmRSS)
hwm_start=$(rss_kib "$daemon_pid" VmHWM)

# --- runs
next_base=0 # first request number submit.lua has not used yet: every run gets new people

run_wrk() { # NAME DURATION CONNECTIONS THREADS: POST /v1/claims; leaves wrk's output in
    # $tmp/NAME.wrk, the daemon's CPU ticks during the run in $tmp/NAME.cpu, the machine's busy
    # percentage in $tmp/NAME.busy
    local name=$1 secs=$2 conns=$3 wthreads=$4 t0 m0
    t0=$(cpu_ticks "$daemon_pid")
    m0=$(machine_ticks)
    wrk -t"$wthreads" -c"$conns" -d"${secs}s" --latency -s "$here/submit.lua" \
        "http://127.0.0.1:$daemon_port" -- "$ent_token" "$next_base" "$wthreads" "$insured" >"$tmp/$name.wrk" 2>&1 ||
        { cat "$tmp/$name.wrk" >&2; die "wrk failed in the $name run"; }
    echo $(($(cpu_ticks "$daemon_pid") - t0)) >"$tmp/$name.cpu"
    busy_pct "$m0" "$(machine_ticks)" >"$tmp/$name.busy"
    kill -0 "$daemon_pid" 2>/dev/null || die "subsidyd died during the $name run"
    [ "$(field "$name" non2xx)" = 0 ] || die "$name: non-2xx replies: $(cat "$tmp/$name.wrk")"
    [ -n "$(field "$name" rps)" ] || die "could not read wrk's output for $name"
    next_base=$(awk '$1 == "next_base" {print $2}' "$tmp/$name.wrk")
    [[ $next_base =~ ^[0-9]+$ ]] || die "submit.lua did not report next_base in the $name run"
}

pgbench_args=() # -D variables from the probe, set below
run_pgbench() { # NAME DURATION [CLIENTS [SCRIPT ARGS...]]: pgbench with the daemon's SQL (or
    # SCRIPT with its -D ARGS); output in $tmp/NAME.pgb, per-transaction log in $tmp/NAME.log.*,
    # the machine's busy percentage in $tmp/NAME.busy
    local name=$1 secs=$2 n=${3:-$clients} script=${4:-$tmp/submit.pgbench} m0 rc=0
    local args=("${pgbench_args[@]}")
    [ $# -le 4 ] || args=("${@:5}")
    m0=$(machine_ticks)
    # the daemon's session settings (src/db/pool.c, the daemon's default timeouts)
    PGOPTIONS="-c statement_timeout=5000 -c lock_timeout=2000" \
        "$PGBIN/pgbench" -h "$pg/run" -U subsidy_app -n -M prepared -c "$n" -j 2 \
        -T "$secs" --log --log-prefix="$tmp/$name.log" "${args[@]}" \
        -f "$script" subsidy >"$tmp/$name.pgb" 2>&1 || rc=$?
    busy_pct "$m0" "$(machine_ticks)" >"$tmp/$name.busy"
    [ "$rc" = 0 ] || { tail -n 20 "$tmp/$name.pgb" >&2; die "pgbench failed in the $name run"; }
    grep -q '^number of failed transactions: 0 ' "$tmp/$name.pgb" ||
        { tail -n 20 "$tmp/$name.pgb" >&2; die "$name: pgbench had failed transactions"; }
    kill -0 "$daemon_pid" 2>/dev/null || die "subsidyd died during the $name run"
}

field() { # NAME what -> rps | p50 | p99 | non2xx | errors | cpu_us | busy, of a wrk or pgbench run
    if [ -f "$tmp/$1.pgb" ]; then
        case $2 in
        rps) awk '/^tps = / {printf "%.1f", $3}' "$tmp/$1.pgb" ;;
        # pgbench's per-transaction log: client, transaction, latency in us, ...
        p50 | p99) cat "$tmp/$1.log".* | awk '$3 ~ /^[0-9]+$/ {print $3}' | sort -n |
            awk -v q="${2#p}" '{v[NR] = $1} END {i = int(NR * q / 100 + 0.999999); if (i < 1) i = 1; printf "%.3f", v[i] / 1000}' ;;
        errors) echo "failed 0" ;;
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

run_minimal() { # NAME DURATION: pgbench of the minimal durable submit transaction at $clients
    run_pgbench "$1" "$2" "$clients" "$here/minimal.pgbench" -D minimal_people="$minimal_people"
}

round_trips() { # -> the daemon's subsidyd_db_round_trips_total so far (0 before it had one)
    local line
    { exec 4<>"/dev/tcp/127.0.0.1/$daemon_port"; } 2>/dev/null || die "cannot reach subsidyd"
    printf 'GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&4
    while IFS= read -r -t 5 line <&4; do
        case $line in subsidyd_db_round_trips_total\ *) echo "${line#* }" | tr -d '\r' ;; esac
    done | grep . || echo 0
    exec 4<&-
}

pgss_reset() {
    [ "${BENCH_PGSS:-0}" = 1 ] || return 0
    psql_as postgres -c "SELECT pg_stat_statements_reset()" >/dev/null
}
pgss_save() { # NAME: what PostgreSQL spent per statement since the last reset
    [ "${BENCH_PGSS:-0}" = 1 ] || return 0
    psql_as postgres -A -F ' | ' -P footer=off -c "
        SELECT calls, round(total_exec_time::numeric / nullif(calls, 0), 3) AS mean_ms,
               plans, round(total_plan_time::numeric / nullif(plans, 0), 3) AS plan_ms,
               round((100 * total_exec_time / sum(total_exec_time) FILTER (WHERE toplevel)
                      OVER ())::numeric, 1) AS pct,
               CASE WHEN toplevel THEN '' ELSE '(inside) ' END
               || regexp_replace(left(query, 70), '\s+', ' ', 'g') AS statement
        FROM pg_stat_statements WHERE calls > 100 ORDER BY total_exec_time DESC LIMIT 20" \
        >"$tmp/$1.pgss"
}

# --- the probe: which statements the daemon runs for one submission, with which values
echo "probe: the daemon's statements for one submission (log_statement = all, 1 connection, 1 s) ..."
bench_log_all on
run_wrk probe 1 1 1
bench_log_all off
python3 "$here/daemon_sql.py" "$pg/postgres.log" "$tmp/daemon.seq" "$tmp/daemon.vars" \
    --with token_by_hash ||
    die "could not read the probe's statements from PostgreSQL's log"
bench_same_statements "$tmp/daemon.seq" "$here/submit.pgbench.in" "POST /v1/claims"

# --- the pgbench script: the daemon's SQL; the values it logged as -D variables, except empty
# ones (pgbench refuses -D x=), which each client sets once with a \gset of ''
"$script_gen" "$here/submit.pgbench.in" >"$tmp/submit.body" ||
    die "bench_claims_script could not write the pgbench script"
pgbench_args=(-D vars_set=0)
while IFS= read -r v; do
    [[ $v == *= ]] || pgbench_args+=(-D "$v")
done <"$tmp/daemon.vars"
{
    printf '%s\n' '\if :vars_set = 0'
    sed -n 's/=$//p' "$tmp/daemon.vars" |
        awk -v q="'" '{s = s (NR > 1 ? ", " : "") q q " AS " $0} END {print "SELECT " s " \\gset"}'
    printf '%s\n' '\set vars_set 1' '\endif'
    cat "$tmp/submit.body"
} >"$tmp/submit.pgbench"

# After a run, until the daemon's background step has linked every audit row into its chain
# (sql/0015): so that no run pays for linking the rows of the one before.  Keeps how many rows
# the run left unchained and how long they took to link, for the summary.
settle() { # NAME
    local left waited=0
    left=$(psql_as postgres -At -c "SELECT count(*) FROM audit WHERE seq IS NULL")
    while [ "$(psql_as postgres -At -c "SELECT count(*) FROM audit WHERE seq IS NULL")" != 0 ]; do
        [ "$waited" -lt 600 ] || die "the audit chain did not catch up within 60 s after $1"
        sleep 0.1
        waited=$((waited + 1))
    done
    echo "$1 $left $((waited / 10)).$((waited % 10))" >>"$tmp/settle"
}

# --- the measurements
load=$(cut -d' ' -f1 /proc/loadavg)
echo "warming up ($warmup s each) ..."
run_minimal warm_minimal "$warmup"
run_pgbench warm_pgbench "$warmup"
run_wrk warm_wrk "$warmup" "$clients" "$wrk_threads"
settle warm_up

psql_as postgres -c CHECKPOINT
claims_empty=$(psql_as postgres -At -c "SELECT count(*) FROM claim")
echo "empty database ($claims_empty claims): the minimal transaction, pgbench, wrk ($clients connections), pgbench ($threads), $duration s each ..."
pgss_reset
run_minimal minimal_empty "$duration"
settle minimal_empty
pgss_save minimal_empty
pgss_reset
run_pgbench pgbench_empty "$duration"
settle pgbench_empty
pgss_save pgbench_empty
rss_before=$(rss_kib "$daemon_pid" VmRSS)
hwm_before=$(rss_kib "$daemon_pid" VmHWM)
pgss_reset
trips0=$(round_trips)
run_wrk wrk_empty "$duration" "$clients" "$wrk_threads"
trips1=$(round_trips)
pgss_save wrk_empty
settle wrk_empty
rss_after=$(rss_kib "$daemon_pid" VmRSS)
hwm_after=$(rss_kib "$daemon_pid" VmHWM)
runs=(minimal_empty pgbench_empty wrk_empty)
if [ "$threads" != "$clients" ]; then
    run_pgbench pgbench_pool "$duration" "$threads"
    settle pgbench_pool
    runs+=(pgbench_pool)
fi

echo "loading $rows earlier claims of $persons people ..."
t0=$(date +%s)
# a large max_wal_size for the load only, so that checkpoints do not double its WAL; foreign
# keys are not checked (session_replication_role = replica): the rows are consistent by
# construction, and the checks would double the time
psql_as postgres -c "ALTER SYSTEM SET max_wal_size = '8GB'" -c "SELECT pg_reload_conf()" >/dev/null
PGOPTIONS="-c session_replication_role=replica" \
    psql_as postgres -v rows="$rows" -v persons="$persons" -f "$here/load_claims.sql" >"$tmp/load.log" ||
    { cat "$tmp/load.log" >&2; die "loading the earlier claims failed"; }
psql_as postgres -c "ALTER SYSTEM RESET max_wal_size" -c "SELECT pg_reload_conf()" -c CHECKPOINT >/dev/null
load_s=$(($(date +%s) - t0))
claims_big=$(psql_as postgres -At -c "SELECT count(*) FROM claim")
db_size=$(psql_as postgres -At -c "SELECT pg_size_pretty(pg_database_size('subsidy'))")
echo "loaded in $load_s s; $claims_big claims, database $db_size; pgbench, then wrk, $duration s each ..."
run_minimal minimal_big "$duration"
settle minimal_big
run_pgbench pgbench_big "$duration"
settle pgbench_big
run_wrk wrk_big "$duration" "$clients" "$wrk_threads"
settle wrk_big

echo "soak: wrk -c$clients for $soak s, the daemon's memory sampled every 5 s ..."
soak_ref=$((soak >= 120 ? 60 : soak / 2))
(
    t=0
    while sleep 5; do
        t=$((t + 5))
        echo "$t $(rss_kib "$daemon_pid" VmRSS) $(rss_kib "$daemon_pid" VmHWM)"
    done
) >"$tmp/soak.rss" &
sampler_pid=$!
rss_soak_start=$(rss_kib "$daemon_pid" VmRSS)
run_wrk soak "$soak" "$clients" "$wrk_threads"
stop_pid "$sampler_pid"
sampler_pid=""
rss_soak_end=$(rss_kib "$daemon_pid" VmRSS)
hwm_end=$(rss_kib "$daemon_pid" VmHWM)
rss_soak_ref=$(awk -v r="$soak_ref" '$1 <= r {v = $2} END {print v}' "$tmp/soak.rss")
[ -n "$rss_soak_ref" ] || rss_soak_ref=$rss_soak_start
claims_end=$(psql_as postgres -At -c "SELECT count(*) FROM claim")
log_bytes=$(stat -c %s "$tmp/subsidyd.log")

# --- the summary
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b > 0) ? a / b : 0}'; }
verdict() { # VALUE OP BAR -> "meets the bar" / "BELOW the bar"
    awk -v v="$1" -v op="$2" -v b="$3" 'BEGIN {
        ok = (op == ">=") ? v >= b : (op == "<=") ? v <= b : v < b
        print ok ? "meets the bar" : "MISSES the bar" }'
}
mib() { awk -v k="$1" 'BEGIN {printf "%.1f MiB", k / 1024}'; }

echo
echo "== POST /v1/claims, enterprise, submit, a new employee per request; $clients connections"
echo "   subsidyd --threads $threads; pgbench -M prepared -c $clients -j 2 with the daemon's SQL;"
echo "   PostgreSQL $durability; $(nproc) CPUs shared by everything"
echo "   (load average before the run: $load; anything else busy on the machine skews requests/s)"
printf '%-15s %10s %9s %9s %12s %6s   %s\n' "" "per second" "p50 ms" "p99 ms" "daemon cpu" "busy" "errors"
for n in "${runs[@]}" minimal_big pgbench_big wrk_big soak; do
    cpu=$(field "$n" cpu_us)
    [ "$cpu" = - ] || cpu="$cpu us/req"
    printf '%-15s %10s %9s %9s %12s %5s%%   %s\n' "$n" "$(field "$n" rps)" "$(field "$n" p50)" \
        "$(field "$n" p99)" "$cpu" "$(field "$n" busy)" "$(field "$n" errors)"
done
echo "(busy: the machine's CPU in use during the run; daemon cpu: subsidyd's own CPU per request)"
echo "claims in the table: $claims_empty before the empty-database runs, $claims_big after the load, $claims_end at the end"
echo

p2min=$(ratio "$(field wrk_empty rps)" "$(field minimal_empty rps)")
p2min_p99=$(ratio "$(field wrk_empty p99)" "$(field minimal_empty p99)")
p2min_big=$(ratio "$(field wrk_big rps)" "$(field minimal_big rps)")
p2=$(ratio "$(field wrk_empty rps)" "$(field pgbench_empty rps)")
p2_p99=$(ratio "$(field wrk_empty p99)" "$(field pgbench_empty p99)")
p2_big=$(ratio "$(field wrk_big rps)" "$(field pgbench_big rps)")
wrk_requests=$(awk '/ requests in / {print $1}' "$tmp/wrk_empty.wrk")
per_submission=$(awk -v a="$trips0" -v b="$trips1" -v n="$wrk_requests" 'BEGIN {printf "%.2f", (n > 0) ? (b - a) / n : 0}')
p4=$(ratio "$(field wrk_big rps)" "$(field wrk_empty rps)")
p4_pgb=$(ratio "$(field pgbench_big rps)" "$(field pgbench_empty rps)")
growth=$(awk -v a="$rss_soak_ref" -v b="$rss_soak_end" 'BEGIN {printf "%+.1f", (b - a) * 100 / a}')
echo "P2 throughput  subsidyd $(field wrk_empty rps)/s / minimal transaction $(field minimal_empty rps)/s, empty database: $p2min (bar >= 0.6): $(verdict "$p2min" ">=" 0.6)"
echo "P2 p99         subsidyd $(field wrk_empty p99) ms / minimal transaction $(field minimal_empty p99) ms = $p2min_p99 (bar <= 2): $(verdict "$p2min_p99" "<=" 2)"
echo "   (the same with $claims_big claims: throughput $p2min_big, p99 $(field wrk_big p99) / $(field minimal_big p99) ms)"
echo "P2 round trips subsidyd_db_round_trips_total per submission: $per_submission ($((trips1 - trips0)) for $wrk_requests requests, wrk_empty run)"
echo "P2 own SQL     subsidyd/pgbench of the daemon's statements, empty database: $p2 (bar >= 0.85): $(verdict "$p2" ">=" 0.85)"
echo "   p99 subsidyd $(field wrk_empty p99) ms / pgbench $(field pgbench_empty p99) ms = $p2_p99; with $claims_big claims: throughput $p2_big, p99 $(field wrk_big p99) / $(field pgbench_big p99) ms"
if [ "$threads" != "$clients" ]; then
    echo "   (against pgbench with $threads clients, the daemon's connections: throughput $(ratio "$(field wrk_empty rps)" "$(field pgbench_pool rps)"), p99 $(field wrk_empty p99) / $(field pgbench_pool p99) ms)"
fi
echo "P4 growth      subsidyd with $rows earlier claims / empty: $p4 (bar >= 0.9): $(verdict "$p4" ">=" 0.9)"
echo "   (pgbench, same SQL, same data: $p4_pgb; loading took $load_s s)"
echo "P5 memory      VmRSS $(mib "$rss_start") at start, $(mib "$rss_before") before the P2 wrk run, $(mib "$rss_after") after it"
echo "               VmHWM $(mib "$hwm_start") at start, $(mib "$hwm_before") before, $(mib "$hwm_after") after, $(mib "$hwm_end") at the end (bar <= 64 MiB): $(verdict "$hwm_end" "<=" 65536)"
echo "P5 soak        VmRSS $(mib "$rss_soak_ref") after ${soak_ref} s, $(mib "$rss_soak_end") after $soak s: $growth % (bar < 5 %): $(verdict "${growth#+}" "<" 5)"
echo "subsidyd log:  $log_bytes bytes (to a file) over the whole benchmark"
echo "audit chain:   rows a run left unchained, and the seconds the daemon took to link them after it:"
awk '$1 != "warm_up" {printf "               %-14s %7d rows  %5s s\n", $1, $2, $3}' "$tmp/settle"
if [ "${BENCH_PGSS:-0}" = 1 ]; then
    for n in minimal_empty pgbench_empty wrk_empty; do
        echo
        echo "pg_stat_statements, $n run (calls | mean ms | plans | mean planning ms | % of PostgreSQL's execution time | statement):"
        cat "$tmp/$n.pgss"
    done
fi
