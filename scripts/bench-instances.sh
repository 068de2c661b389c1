#!/usr/bin/env bash
# Issue 13's "two instances ≥ 1.6× one", measured with real processes: one,
# then two `ocular-cli serve` processes over one PostgreSQL repository, each
# in a cgroup of its own capped at a fixed CPU budget (a quarter of a core
# by default), with PostgreSQL and the load generator (internal/loadtest's
# TestLoad: 200 clients, 60 s of mixed work, requests round-robin over the
# instances) outside the caps. On a small machine this is the only honest
# way to ask whether a second instance's CPU turns into throughput: without
# caps both instances share the same cores and can only split them (the
# in-process TestLoadInstances measured 1.02×). The caps stand for what a
# real deployment gives each instance: a machine of its own.
#
# Why a quarter of a core: the database and the clients need CPU in
# proportion to the throughput, and here they share the machine with the
# instances. On 2 cores, two instances of half a core each plus PostgreSQL
# plus 200 clients need more than the machine has (docs/benchmarks.md: the
# machine was busy to the end, the instances were not), so the ratio would
# measure the machine; with a quarter each the instances are what runs out,
# as in a deployment whose database has a machine of its own. On a bigger
# machine, raise OCULAR_INST_QUOTA_US.
#
#   scripts/bench-instances.sh            # or: make bench-instances
#
# Settings (environment):
#   OCULAR_BENCH_PG_DIR    the PostgreSQL cluster's folder (default /work/wt/inst-pg)
#   OCULAR_BENCH_PG_PORT   its port (default 54395)
#   OCULAR_BENCH_KEEP_PG=1 leave the cluster running and its folder in place
#   OCULAR_INST_QUOTA_US   each instance's CPU per 100 ms period (default 25000: a quarter of a core)
#   OCULAR_INST_GOMAXPROCS each instance's GOMAXPROCS (default 1, matching the quota)
#   OCULAR_INST_COUNTS     the instance counts to run, in order (default "1 2";
#                          "1 2 1 2" alternates them and reports the means)
#   OCULAR_LOAD_CLIENTS, OCULAR_LOAD_SECONDS (default 200 and 60)
# Without root or a cgroup v1 cpu controller it says so and runs uncapped,
# which measures nothing about scaling on one machine. Run it without nice:
# the PostgreSQL cluster it starts, and the instances, inherit the niceness.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/usr/local/go/bin:$PATH
TAGS="sqlite_fts5 migrated_fynedo"
pgdir=${OCULAR_BENCH_PG_DIR:-/work/wt/inst-pg}
export OCULAR_BENCH_PG_PORT=${OCULAR_BENCH_PG_PORT:-54395}
quota=${OCULAR_INST_QUOTA_US:-25000}
procs=${OCULAR_INST_GOMAXPROCS:-1}
counts=${OCULAR_INST_COUNTS:-1 2}
export OCULAR_LOAD_CLIENTS=${OCULAR_LOAD_CLIENTS:-200} OCULAR_LOAD_SECONDS=${OCULAR_LOAD_SECONDS:-60}
cpucg=/sys/fs/cgroup/cpu acctcg=/sys/fs/cgroup/cpuacct
cgname=ocular-bench-instances-$$

work=$(mktemp -d "${TMPDIR:-/tmp}/ocular-inst.XXXXXX")
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  [ -n "${sampler:-}" ] && kill "$sampler" 2>/dev/null || true
  # A kept cluster goes back to the root group before its group is removed.
  if [ -f "$acctcg/$cgname/pg/cgroup.procs" ]; then
    for p in $(cat "$acctcg/$cgname/pg/cgroup.procs"); do echo "$p" >"$acctcg/cgroup.procs" 2>/dev/null || true; done
  fi
  for d in "$cpucg/$cgname"/* "$acctcg/$cgname"/* "$cpucg/$cgname" "$acctcg/$cgname"; do
    [ -d "$d" ] && rmdir "$d" 2>/dev/null || true
  done
  if [ "${OCULAR_BENCH_KEEP_PG:-}" != 1 ]; then scripts/bench-postgres.sh destroy "$pgdir" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# Can each instance have a budget of its own?
capped=""
if [ "$(id -u)" -eq 0 ] && [ -w "$cpucg" ] && [ -f "$cpucg/cpu.cfs_quota_us" ]; then
  mkdir -p "$cpucg/$cgname" && capped=1
  [ -d "$acctcg" ] && mkdir -p "$acctcg/$cgname"
else
  echo "WARNING: cannot cap the instances' CPU (needs root and a cgroup v1 cpu controller at $cpucg):" >&2
  echo "WARNING: they share this machine's cores, so the ratio below says nothing about scaling." >&2
fi

echo "building ocular-cli and the load test" >&2
go build -tags "$TAGS" -o "$work/ocular-cli" ./cmd/ocular-cli
go test -tags "$TAGS" -c -o "$work/loadtest.test" ./internal/loadtest/

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
# A cluster kept from an earlier run (OCULAR_BENCH_KEEP_PG=1) is reused.
if "${pgbin:+$pgbin/}pg_isready" -q -h 127.0.0.1 -p "$OCULAR_BENCH_PG_PORT"; then
  dsn=$(scripts/bench-postgres.sh dsn "$pgdir")
else
  dsn=$(scripts/bench-postgres.sh start "$pgdir" | tail -1)
fi
psql_() { "${pgbin:+$pgbin/}psql" -h 127.0.0.1 -p "$OCULAR_BENCH_PG_PORT" -U ocular "$@"; }

# startServe I REPO: one `serve` in its capped cgroup; sets url, fp.
startServe() {
  local i=$1 repo=$2 out=$work/serve-$1.out
  local enter="true"
  if [ -n "$capped" ]; then
    mkdir -p "$cpucg/$cgname/s$i"
    echo 100000 >"$cpucg/$cgname/s$i/cpu.cfs_period_us"
    echo "$quota" >"$cpucg/$cgname/s$i/cpu.cfs_quota_us"
    enter="echo \$\$ >$cpucg/$cgname/s$i/cgroup.procs"
    if [ -d "$acctcg/$cgname" ]; then
      mkdir -p "$acctcg/$cgname/s$i"
      enter="$enter; echo \$\$ >$acctcg/$cgname/s$i/cgroup.procs"
    fi
  fi
  # The shell joins the cgroup, then becomes serve: every thread is inside.
  GOMAXPROCS=$procs sh -c "$enter; exec \"$work/ocular-cli\" --repo \"$repo\" serve --listen 127.0.0.1:0" \
    >"$out" 2>"$work/serve-$i.err" &
  pids+=($!)
  for _ in $(seq 1 300); do
    grep -q '^Certificate fingerprint:' "$out" 2>/dev/null && break
    kill -0 "${pids[-1]}" 2>/dev/null || { cat "$work/serve-$i.err" >&2; exit 1; }
    sleep 0.1
  done
  url=$(sed -n 's/^Serving .* on \(https:[^ ]*\)$/\1/p' "$out")
  fp=$(sed -n 's/^Certificate fingerprint: //p' "$out")
  [ -n "$url" ] && [ -n "$fp" ] || { echo "serve $i did not start:" >&2; cat "$out" "$work/serve-$i.err" >&2; exit 1; }
}

# cpuSeconds CG: CPU time used so far in cgroup CG (cpuacct), in seconds.
cpuSeconds() { [ -f "$acctcg/$cgname/$1/cpuacct.usage" ] && awk '{printf "%.1f", $1/1e9}' "$acctcg/$cgname/$1/cpuacct.usage" || echo "?"; }

# PostgreSQL and the load generator are not capped, only counted (cpuacct
# groups "pg" and "gen"), so the summary says where the machine's CPU went.
pgacct=""
if [ -n "$capped" ] && [ -d "$acctcg/$cgname" ] && [ -f "$pgdir/data/postmaster.pid" ]; then
  mkdir -p "$acctcg/$cgname/pg" "$acctcg/$cgname/gen"
  pm=$(head -1 "$pgdir/data/postmaster.pid")
  for p in $pm $(pgrep -P "$pm"); do echo "$p" >"$acctcg/$cgname/pg/cgroup.procs" 2>/dev/null || true; done
  pgacct=1
fi
genEnter="true"
[ -n "$pgacct" ] && genEnter="echo \$\$ >$acctcg/$cgname/gen/cgroup.procs"

summary=$work/summary
for n in $counts; do
  db=ocular_inst_${n}_$$
  psql_ -d postgres -qc "CREATE DATABASE $db"
  repo=$work/repo-$n
  rootpw=bench-$$-root
  "$work/ocular-cli" --repo "$repo" --db "${dsn%/ocular*}/$db?sslmode=disable" init --root-password "$rootpw" >/dev/null
  urls=""
  for i in $(seq 1 "$n"); do
    startServe "$i" "$repo"
    urls=${urls:+$urls,}$url
  done
  cap="none (uncapped)"
  [ -n "$capped" ] && cap="$quota µs of CPU per 100 ms each, GOMAXPROCS=$procs"
  echo "== $n instance(s): $urls; cap: $cap" | tee -a "$summary"
  # What PostgreSQL's busy backends wait on, once a second: "active" ones
  # (Lock:advisory is the write lock's queue) and those idle in a
  # transaction, i.e. waiting for their instance to send the next statement.
  (while sleep 1; do
     psql_ -d "$db" -tAc "SELECT state||' '||coalesce(wait_event_type,'CPU')||':'||coalesce(wait_event,'-') FROM pg_stat_activity WHERE datname = current_database() AND state <> 'idle' AND pid <> pg_backend_pid()"
   done >"$work/waits-$n" 2>/dev/null) &
  sampler=$!
  read -r la1 _ </proc/loadavg
  pg0=$(cpuSeconds pg) gen0=$(cpuSeconds gen)
  busy0=$(awk '/^cpu / {print $2+$3+$4+$7+$8}' /proc/stat) t0=$(date +%s.%N)
  set +e
  OCULAR_LOAD_URLS=$urls OCULAR_LOAD_FINGERPRINT=$fp OCULAR_LOAD_ROOT_PASSWORD=$rootpw \
    sh -c "$genEnter; exec \"$work/loadtest.test\" -test.run '^TestLoad\$' -test.v -test.count=1 -test.timeout 30m" 2>&1 | tee "$work/load-$n.log"
  rc=${PIPESTATUS[0]}
  set -e
  read -r la2 _ </proc/loadavg
  busy1=$(awk '/^cpu / {print $2+$3+$4+$7+$8}' /proc/stat) t1=$(date +%s.%N)
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  sampler=""
  {
    grep -E 'operations in|errors: [0-9]|^ +load_test.go:[0-9]+: (operation|[a-z]+ +[0-9]+ )' "$work/load-$n.log" | sed 's/^ *load_test.go:[0-9]*: //'
    grep -E -- '--- (PASS|FAIL)' "$work/load-$n.log" || true
    echo "test exit status $rc"
    echo "load average (1 min) before/after: $la1 / $la2"
    for i in $(seq 1 "$n"); do
      thr=""
      [ -n "$capped" ] && thr=$(awk '/nr_periods|nr_throttled/ {printf "%s=%s ", $1, $2}' "$cpucg/$cgname/s$i/cpu.stat")
      echo "instance $i: CPU $(cpuSeconds "s$i") s over the whole test (setup included); $thr"
    done
    awk -v b0="$busy0" -v b1="$busy1" -v t0="$t0" -v t1="$t1" -v hz="$(getconf CLK_TCK)" \
      'BEGIN { printf "whole machine: %.1f CPU-s busy of %.1f (2 cores x %.1f s wall, setup included)\n", (b1 - b0) / hz, 2 * (t1 - t0), t1 - t0 }'
    [ -n "$pgacct" ] && awk -v a="$pg0" -v b="$(cpuSeconds pg)" -v c="$gen0" -v d="$(cpuSeconds gen)" \
      'BEGIN { printf "PostgreSQL: %.1f CPU-s; load generator (clients): %.1f CPU-s\n", b - a, d - c }'
    echo "PostgreSQL backends (state and wait, sampled 1/s):"
    sort "$work/waits-$n" | uniq -c | sort -rn | head -8
    echo "the servers' logs (error, heartbeat, panic):"
    grep -h -iE 'error|heartbeat|panic' "$work"/serve-*.err | sort | uniq -c | head -5 || true
    [ -n "${OCULAR_BENCH_SERVE_LOGS:-}" ] && cp "$work"/serve-*.err "$OCULAR_BENCH_SERVE_LOGS"/ 2>/dev/null || true
  } | tee -a "$summary"
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
  for i in $(seq 1 "$n"); do
    [ -n "$capped" ] && rmdir "$cpucg/$cgname/s$i" 2>/dev/null || true
    [ -d "$acctcg/$cgname/s$i" ] && rmdir "$acctcg/$cgname/s$i" 2>/dev/null || true
  done
  psql_ -d postgres -qc "DROP DATABASE $db" || true
  rm -rf "$repo"
done

echo
echo "===== summary ====="
cat "$summary"
# Per instance count, the mean of its runs (OCULAR_INST_COUNTS="1 2 1 2"
# alternates them, so a change in the machine's other load falls on both).
awk '/^== [0-9]+ instance/ { n = $2 }
     /operations in .*\/s\)/ { r = $0; sub(/.*\(/, "", r); sub(/\/s\).*/, "", r); sum[n] += r; runs[n]++ }
     END {
       for (n in sum) printf "%s instance(s): %.0f ops/s (mean of %d run(s))\n", n, sum[n] / runs[n], runs[n]
       if (runs[1] && runs[2]) printf "throughput: one instance %.0f ops/s, two %.0f ops/s: %.2f×\n", sum[1] / runs[1], sum[2] / runs[2], (sum[2] / runs[2]) / (sum[1] / runs[1])
     }' "$summary"
