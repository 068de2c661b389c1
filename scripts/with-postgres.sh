#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL cluster: initdb into a temporary
# folder, start it on a free loopback port, export its address as
# OCULAR_TEST_PG for the tests (internal/pgtest makes one database per test
# there), run the command, stop the cluster and remove the folder whatever
# the command did. Without PostgreSQL's server programs (Debian's
# postgresql package) the command runs alone and the PostgreSQL tests skip,
# saying so.
#   scripts/with-postgres.sh go test ./...
set -euo pipefail

bindir=""
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
  if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then bindir=$d; break; fi
done
if [ -z "$bindir" ] && command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
  bindir=$(dirname "$(command -v initdb)")
fi
if [ -z "$bindir" ] || [ -n "${OCULAR_TEST_PG:-}" ]; then
  [ -z "$bindir" ] && [ -z "${OCULAR_TEST_PG:-}" ] &&
    echo "note: PostgreSQL's server is not installed (Debian: apt-get install postgresql); the PostgreSQL tests will skip" >&2
  exec "$@"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ocular-pg.XXXXXX")
# PostgreSQL refuses to run as root: as root, the cluster belongs to the
# postgres account the Debian package creates.
as=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$tmp"
  as=(runuser -u postgres --)
fi

stop() {
  "${as[@]}" "$bindir/pg_ctl" -D "$tmp/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap stop EXIT

"${as[@]}" "$bindir/initdb" -D "$tmp/data" -U ocular --auth=trust -E UTF8 --locale=C.UTF-8 >"$tmp/initdb.log" 2>&1 ||
  { cat "$tmp/initdb.log" >&2; exit 1; }

# A free port: try a few at random until one starts.
started=""
for _ in 1 2 3 4 5 6 7 8; do
  port=$((20000 + RANDOM % 20000))
  # fsync off: a test cluster is thrown away, and its tests are about
  # behaviour, not durability (the benchmarks run their own cluster).
  if "${as[@]}" "$bindir/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -t 60 \
      -o "-p $port -k $tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400 -c shared_buffers=128MB" \
      start >/dev/null 2>&1; then
    started=1
    break
  fi
done
if [ -z "$started" ]; then
  echo "error: the test PostgreSQL cluster did not start:" >&2
  tail -20 "$tmp/server.log" >&2 || true
  exit 1
fi

export OCULAR_TEST_PG="postgres://ocular@127.0.0.1:$port/postgres?sslmode=disable"
echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') for the tests on 127.0.0.1:$port" >&2
set +e
"$@"
rc=$?
set -e
exit $rc
