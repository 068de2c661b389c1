#!/usr/bin/env bash
# A PostgreSQL cluster for the issue 13 benchmarks, kept between runs (a
# generated repository of a million images takes minutes to make). Unlike the
# test cluster of scripts/with-postgres.sh it is durable: fsync,
# synchronous_commit and full_page_writes stay on, so the numbers are those
# of a real server. Settings are for a machine with 24 GB of memory shared
# with other work; docs/benchmarks.md repeats them beside the numbers.
#   scripts/bench-postgres.sh start DIR   # initdb on first use, then start; prints the DSN
#   scripts/bench-postgres.sh dsn DIR
#   scripts/bench-postgres.sh stop DIR
#   scripts/bench-postgres.sh destroy DIR # stop and remove the cluster
set -euo pipefail
cmd=${1:?usage: bench-postgres.sh start|dsn|stop|destroy DIR}
dir=$(realpath -m "${2:?usage: bench-postgres.sh $cmd DIR}")
port=${OCULAR_BENCH_PG_PORT:-54329}

bindir=""
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
  if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then bindir=$d; break; fi
done
[ -n "$bindir" ] || { echo "PostgreSQL's server is not installed (Debian: apt-get install postgresql)" >&2; exit 1; }
as=()
[ "$(id -u)" -eq 0 ] && as=(runuser -u postgres --)

settings=(
  -c listen_addresses=127.0.0.1 -c "unix_socket_directories=$dir"
  -c max_connections=400
  -c shared_buffers=2GB -c effective_cache_size=8GB
  -c work_mem=32MB -c maintenance_work_mem=1GB
  -c max_wal_size=8GB -c checkpoint_timeout=15min
  -c random_page_cost=1.1 -c effective_io_concurrency=100
  -c jit=off
)

dsn() { echo "postgres://ocular@127.0.0.1:$port/ocular?sslmode=disable"; }

case $cmd in
start)
  if [ ! -d "$dir/data" ]; then
    mkdir -p "$dir"
    [ ${#as[@]} -gt 0 ] && chown postgres: "$dir"
    "${as[@]}" "$bindir/initdb" -D "$dir/data" -U ocular --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
  fi
  "${as[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 120 -o "-p $port ${settings[*]}" start >/dev/null
  "${as[@]}" "$bindir/psql" -h 127.0.0.1 -p "$port" -U ocular -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = 'ocular'" | grep -q 1 ||
    "${as[@]}" "$bindir/psql" -h 127.0.0.1 -p "$port" -U ocular -d postgres -qc "CREATE DATABASE ocular"
  dsn
  ;;
dsn) dsn ;;
stop) "${as[@]}" "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop ;;
destroy)
  "${as[@]}" "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop 2>/dev/null || true
  rm -rf "$dir"
  ;;
*) echo "unknown command $cmd" >&2; exit 2 ;;
esac
