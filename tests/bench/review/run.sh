#!/usr/bin/env bash
# GET /v1/review/claims (an approver's queue, 50 items, the default deadline order) and POST
# /v1/claims/{id}/approve through subsidyd against pgbench running the daemon's own statements
# for the same page and the same approval, with 1,000,000 claims in the table, measured in one
# run on one machine (tests/QUALITY.md P3; issue 13).
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
#   4. for each queue, page 1 and page 10,000 (BENCH_PAGE, or the queue's last whole page when
#      it has fewer: the district's 330,000 waiting claims make 6,600; its cursor, after=, is the
#      deadline and id of the last claim of the page before, found by SQL as the daemon orders
#      them):
#      wrk -t2 -c8 --latency of the page, and pgbench -M extended -c8 -j2 of the same
#      statements with the same values, DURATION_S each after a warm-up (extended, not
#      prepared: the daemon sends the queue's statements by their text, planned for their
#      values each time — plan_each in src/db/db.h; a generic plan scans the whole table);
#   5. approvals: BENCH_APPROVALS (default 40,000) claims submitted through the daemon
#      (claims/submit.lua: an enterprise's new employees, insured with it, so that judging them
#      again finds what their submission found), put in review held by the district's approver
#      by SQL (the take is not measured); a probe approval with log_statement = all checked
#      against approve.pgbench.in; then wrk -t2 -c8 of POST /v1/claims/{id}/approve
#      (approve.lua: every request another claim) on one half of them, and pgbench of the
#      approval's statements on the other half (each transaction another claim and person,
#      found in a table bench_approve: a round trip the daemon does not make);
#   6. prints pages (approvals) per second and p50/p99 of each run, the ratios subsidyd/pgbench
#      (the cost of HTTP, JSON and the daemon's work over PostgreSQL's own), page 10,000/page 1
#      (what keyset paging promises: a later page costs what the first costs), and the daemon's
#      CPU per request.
# Exit status: 0 whatever the figures (a measurement, not a test), 77 when wrk, pgbench or
# PostgreSQL is missing, 1 on a failure (a non-2xx reply, a failed pgbench transaction, a
# server dying, the daemon's statements no longer matching the template).
#
# Needs: wrk, curl, PostgreSQL server binaries with pgbench, python3, a build with subsidyd,
# subsidyctl and tests/bench/claims/bench_claims_script (ninja -C BUILD_DIR).  Installs nothing.
# The whole benchmark takes about 2 minutes for the load, 2 for the claims to approve, and
# 10 × (DURATION_S + warm-up).
#
# Caveats: 2 cores shared by wrk, the daemon, PostgreSQL and pgbench; figures are ratios of runs
# made one after the other in one run of this script, where absolute figures drift between runs.
# pgbench sends the page and the counts as two round trips, the daemon as one; an approval's
# nine statements as nine, where the daemon pipelines them into fewer (src/db/txn.c); a page's
# token look-up, prepared in the daemon, is planned each time by pgbench -M extended.
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
approvals=${BENCH_APPROVALS:-40000}
persons=$((rows * 4 / 5))
clients=8
limit=50

bench_check_load_args
[[ $page =~ ^[1-9][0-9]*$ ]] || die "BENCH_PAGE must be a page number from 2, got '$page'"
[ "$page" -ge 2 ] || die "BENCH_PAGE must be a page number from 2, got '$page'"
[[ $approvals =~ ^[1-9][0-9]*$ ]] && [ "$approvals" -ge 100 ] && [ "$approvals" -le 2000000 ] ||
    die "BENCH_APPROVALS must be a number of claims from 100 to 2000000, got '$approvals'"
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
    token_as approver --regions "$1"
}
token_as() { # ROLE [OPTIONS...] -> prints a new token's secret
    local role=$1
    shift
    "$subsidyctl" --db "$app_db" --token-key-file "$tmp/token.key" token create --role "$role" \
        "$@" 2>>"$tmp/tokens.log"
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

# The statements the daemon orders the queue by, to find page N's cursor: the waiting claims of
# the approver's regions (the region or its districts) in deadline order.
cursor_of_page() { # REGION PAGE -> the after= value that asks for PAGE
    psql_as postgres -At -c "
        SELECT c.review_due::text || '_' || c.id FROM claim c
        WHERE c.state IN ('submitted', 'resubmitted', 'in_review')
          AND c.region IN (SELECT code FROM region WHERE code = '$1' OR parent = '$1')
        ORDER BY c.review_due, c.id OFFSET $((($2 - 1) * limit - 1)) LIMIT 1"
}

wrk_threads() { # CONNECTIONS -> wrk's threads for them
    echo $(($1 < 2 ? $1 : 2))
}
run_wrk() { # NAME DURATION CONNECTIONS TOKEN PATH: the queue page PATH
    run_wrk_script "$1" "$2" "$3" "$here/queue.lua" "$4" "$5"
}
run_wrk_script() { # NAME DURATION CONNECTIONS SCRIPT ARGS...: wrk with SCRIPT -- ARGS, two
    # threads (one for one connection)
    local name=$1 t0 m0
    t0=$(cpu_ticks "$daemon_pid")
    m0=$(machine_ticks)
    wrk -t"$(wrk_threads "$3")" -c"$3" -d"$2s" --latency -s "$4" "http://127.0.0.1:$daemon_port" \
        -- "${@:5}" >"$tmp/$name.wrk" 2>&1 || { cat "$tmp/$name.wrk" >&2; die "wrk failed in $name"; }
    echo $(($(cpu_ticks "$daemon_pid") - t0)) >"$tmp/$name.cpu"
    busy_pct "$m0" "$(machine_ticks)" >"$tmp/$name.busy"
    kill -0 "$daemon_pid" 2>/dev/null || die "subsidyd died during $name"
    [ "$(wrk_field "$tmp/$name.wrk" non2xx)" = 0 ] || die "$name: non-2xx replies: $(cat "$tmp/$name.wrk")"
    [ -n "$(wrk_field "$tmp/$name.wrk" rps)" ] || die "could not read wrk's output for $name"
}

run_pgbench() { # NAME DURATION MODE SCRIPT -D ARGS... (MODE: pgbench -M, as the daemon sends them)
    local name=$1 secs=$2 mode=$3 script=$4 m0 rc=0
    shift 4
    m0=$(machine_ticks)
    PGOPTIONS="-c statement_timeout=5000 -c lock_timeout=2000" \
        "$PGBIN/pgbench" -h "$pg/run" -U subsidy_app -n -M "$mode" -c "$clients" -j 2 \
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
    bench_log_all on
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
            "$tmp/$name.seq" "$tmp/$name.vars" token_by_hash --texts "$tmp/unnamed.txt" 2>"$tmp/$name.probe"; then
            break
        fi
        [ "$n" -lt 40 ] || { cat "$tmp/$name.probe" >&2; die "could not read the probe's statements from PostgreSQL's log"; }
    done
    bench_log_all off
    bench_same_statements "$tmp/$name.seq" "$here/queue.pgbench.in" "GET /v1/review/claims"
    # an empty value: a filter not set, the first page's cursor
    cp "$tmp/queue.pgbench" "$tmp/$name.pgbench"
    bench_script_values "$tmp/$name.vars" "$tmp/$name.pgbench" "$tmp/$name.args"
}

"$script_gen" "$here/queue.pgbench.in" >"$tmp/queue.pgbench" ||
    die "bench_claims_script could not write the pgbench script"
"$script_gen" --unnamed >"$tmp/unnamed.txt" ||
    die "bench_claims_script could not list the statements sent by their text"

runs=()
declare -A last=()
for q in "${queues[@]}"; do
    # page BENCH_PAGE, or the queue's last whole page when it has fewer (a district's share)
    pages=$(psql_as postgres -At -c "
        SELECT count(*) / $limit FROM claim c
        WHERE c.state IN ('submitted', 'resubmitted', 'in_review')
          AND c.region IN (SELECT code FROM region WHERE code = '${region[$q]}' OR parent = '${region[$q]}')")
    last[$q]=$((pages < page ? pages : page))
    [ "${last[$q]}" -ge 2 ] || die "the $q queue has fewer than 2 pages: raise BENCH_ROWS"
    after=$(cursor_of_page "${region[$q]}" "${last[$q]}")
    [ -n "$after" ] || die "no cursor for page ${last[$q]} of the $q queue"
    for p in 1 "${last[$q]}"; do
        path="/v1/review/claims?limit=$limit"
        [ "$p" = 1 ] || path+="&after=$after"
        name=${q}_p$p
        echo "$name: $path ..."
        probe "$name" "${tok[$q]}" "$path"
        mapfile -t args <"$tmp/$name.args"
        run_wrk "warm_$name" "$warmup" "$clients" "${tok[$q]}" "$path"
        run_wrk "wrk_$name" "$duration" "$clients" "${tok[$q]}" "$path"
        run_pgbench "warm_pgb_$name" "$warmup" extended "$tmp/$name.pgbench" "${args[@]}"
        run_pgbench "pgb_$name" "$duration" extended "$tmp/$name.pgbench" "${args[@]}"
        runs+=("$name")
    done
done

# the queue's size, before the approvals add claims of their own
waiting=$(psql_as postgres -At -c "SELECT count(*) FROM claim WHERE state IN ('submitted', 'resubmitted', 'in_review')")

# --- approvals: POST /v1/claims/{id}/approve of claims the approver holds, one claim a request,
# against pgbench of the approval's statements on other claims of the same kind.  The claims are
# real submissions (submit.lua through the daemon: an enterprise's new employees, insured with
# it), so that judging them again finds what a submission found; then they are put in review,
# held by the district approver (the step a take makes, by SQL: the take is not measured).
echo "approvals: $approvals claims submitted through the daemon, then approved ..."
"$subsidyctl" --db "$("$bench_root/deploy/pg.sh" conninfo "$pg" subsidy_owner)" occupations load \
    "$bench_root/sql/ref/occupations.csv" >/dev/null || die "cannot load the occupations"
admin_token=$(token_as admin)
ent_token=$(token_as enterprise --subject "$bench_enterprise")
# insured: enough for the last 2-second run of submissions to overshoot (at under 5,000/s)
insured=$((approvals + 10000))
bench_enterprise "$daemon_port" "$admin_token" "$subsidyctl" "$app_db" "$insured"
next_base=0
submitted() {
    psql_as postgres -At -c "SELECT count(*) FROM claim WHERE owner_subject = '$bench_enterprise' AND state = 'submitted'"
}
while [ "$(submitted)" -lt "$approvals" ]; do
    wrk -t2 -c8 -d2s -s "$here/../claims/submit.lua" "http://127.0.0.1:$daemon_port" \
        -- "$ent_token" "$next_base" 2 "$insured" >"$tmp/submit.wrk" 2>&1 ||
        { cat "$tmp/submit.wrk" >&2; die "wrk failed submitting the claims to approve"; }
    [ "$(wrk_field "$tmp/submit.wrk" non2xx)" = 0 ] || die "submitting: non-2xx replies: $(cat "$tmp/submit.wrk")"
    next_base=$(awk '$1 == "next_base" {print $2}' "$tmp/submit.wrk")
    [[ $next_base =~ ^[0-9]+$ ]] || die "submit.lua did not report next_base"
done
district_token_id=$(awk '/^token [0-9]+ \(approver\) created/ {print $2}' "$tmp/tokens.log" | sed -n 2p)
[[ $district_token_id =~ ^[0-9]+$ ]] || die "could not read the district approver's token id"
# every second claim for wrk, the others for pgbench (bench_approve: n -> claim id, read by the
# pgbench script's first statement: a round trip and an index probe the daemon does not make)
psql_as postgres -c "
    UPDATE claim SET state = 'in_review', assigned_token = $district_token_id,
           assigned_until = now() + interval '6 hours'
     WHERE owner_subject = '$bench_enterprise' AND state = 'submitted';
    CREATE TABLE bench_approve (n int PRIMARY KEY, id bigint NOT NULL, person_id bigint NOT NULL);
    INSERT INTO bench_approve
    SELECT row_number() OVER (ORDER BY id) - 1, id, person_id
      FROM claim WHERE owner_subject = '$bench_enterprise' AND state = 'in_review' AND id % 2 = 1;
    GRANT SELECT ON bench_approve TO subsidy_app" -c "VACUUM ANALYZE claim" \
    -c "VACUUM ANALYZE bench_approve" >/dev/null
psql_as postgres -At -c "SELECT id FROM claim WHERE owner_subject = '$bench_enterprise'
    AND state = 'in_review' AND id % 2 = 0 ORDER BY id" >"$tmp/approve.ids"
pgb_ids=$(psql_as postgres -At -c "SELECT count(*) FROM bench_approve")
ids_used=0
run_approve() { # NAME DURATION [CONNECTIONS]: wrk of approvals, on ids no run before has taken
    local conns=${3:-$clients}
    tail -n "+$((ids_used + 1))" "$tmp/approve.ids" >"$tmp/$1.ids"
    run_wrk_script "$1" "$2" "$conns" "$here/approve.lua" "${tok[district]}" "$tmp/$1.ids" \
        "$(wrk_threads "$conns")" "$1"
    ids_used=$((ids_used + $(awk '$1 == "used" {print $2}' "$tmp/$1.wrk")))
}

# the probe: the statements of one approval, with their values (a write: from one COMMIT of a
# backend to its next), on a few claims of wrk's share
bench_log_all on
from=$(($(stat -c %s "$pg/postgres.log") + 1))
run_approve probe_approve 1 1
tail -c "+$from" "$pg/postgres.log" >"$tmp/approve.pglog"
bench_log_all off
python3 "$here/../claims/daemon_sql.py" "$tmp/approve.pglog" "$tmp/approve.seq" "$tmp/approve.vars" \
    --with token_by_hash ||
    die "could not read the approval's statements from PostgreSQL's log"
bench_same_statements "$tmp/approve.seq" "$here/approve.pgbench.in" "POST /v1/claims/{id}/approve"
"$script_gen" "$here/approve.pgbench.in" >"$tmp/approve.pgbench" ||
    die "bench_claims_script could not write the approval's pgbench script"
bench_script_values "$tmp/approve.vars" "$tmp/approve.pgbench" "$tmp/approve.args"
mapfile -t approve_args <"$tmp/approve.args"
approve_args+=(-D k=0 -D pgb_ids="$pgb_ids" -D clients="$clients")

run_approve warm_approve "$warmup"
run_approve wrk_approve "$duration"
run_pgbench warm_pgb_approve "$warmup" prepared "$tmp/approve.pgbench" "${approve_args[@]}" -D run=1
run_pgbench pgb_approve "$duration" prepared "$tmp/approve.pgbench" "${approve_args[@]}" -D run=2
runs+=(approve)
# every approval pgbench counted approved a claim of its share once (two runs never met)
pgb_done=$(awk '/^number of transactions actually processed:/ {s += $6} END {print s + 0}' \
    "$tmp/warm_pgb_approve.pgb" "$tmp/pgb_approve.pgb")
pgb_approved=$(psql_as postgres -At -c "SELECT count(*) FROM claim c JOIN bench_approve b ON b.id = c.id WHERE c.state = 'in_notice'")
[ "$pgb_done" = "$pgb_approved" ] ||
    die "pgbench counted $pgb_done approvals but $pgb_approved of its claims are approved: raise BENCH_APPROVALS"
wrk_approved=$(psql_as postgres -At -c "SELECT count(*) FROM claim WHERE owner_subject = '$bench_enterprise' AND state = 'in_notice' AND id % 2 = 0")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b > 0) ? a / b : 0}'; }
echo
echo "== GET /v1/review/claims?limit=$limit, default filters and order; $rows claims ($waiting waiting), loaded in $load_s s"
echo "   wrk -t2 -c$clients against subsidyd --threads $threads; pgbench -c$clients -j2 of the daemon's"
echo "   statements with its values (pages -M extended, approvals -M prepared, as the daemon sends"
echo "   them); $duration s each; $(nproc) CPUs shared by everything"
printf '%-22s %10s %9s %9s %12s %6s\n' "" "per second" "p50 ms" "p99 ms" "daemon cpu" "busy"
for n in "${runs[@]}"; do
    for k in wrk pgb; do
        cpu=$(field "${k}_$n" cpu_us)
        [ "$cpu" = - ] || cpu="$cpu us/req"
        printf '%-22s %10s %9s %9s %12s %5s%%\n' "${k}_$n" "$(field "${k}_$n" rps)" \
            "$(field "${k}_$n" p50)" "$(field "${k}_$n" p99)" "$cpu" "$(field "${k}_$n" busy)"
    done
done
echo
for q in "${queues[@]}"; do
    page=${last[$q]}
    for p in 1 "$page"; do
        n=${q}_p$p
        echo "P3 $n  subsidyd/pgbench: throughput $(ratio "$(field "wrk_$n" rps)" "$(field "pgb_$n" rps)"), p99 $(field "wrk_$n" p99) / $(field "pgb_$n" p99) ms"
    done
    echo "P3 ${q}    page $page / page 1, subsidyd: throughput $(ratio "$(field "wrk_${q}_p$page" rps)" "$(field "wrk_${q}_p1" rps)"), p99 $(field "wrk_${q}_p$page" p99) / $(field "wrk_${q}_p1" p99) ms; pgbench: throughput $(ratio "$(field "pgb_${q}_p$page" rps)" "$(field "pgb_${q}_p1" rps)")"
done
echo "P3 approvals  subsidyd/pgbench: throughput $(ratio "$(field wrk_approve rps)" "$(field pgb_approve rps)"), p99 $(field wrk_approve p99) / $(field pgb_approve p99) ms ($wrk_approved claims approved through the daemon, $pgb_approved by pgbench)"
