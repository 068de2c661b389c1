#!/usr/bin/env bash
# Issue 13's numbers on a generated repository of a million images: makes
# the PostgreSQL repository (in a durable cluster of its own, see
# scripts/bench-postgres.sh) and a SQLite one of the same size with
# internal/tools/pggen, unless they are there from an earlier run, then runs
# the browse, search and move benchmarks of internal/bigrepo on both, side by
# side, the moves each in a process of its own so that the peak memory is
# theirs. Output goes to the terminal and to WORK/results-DATE.txt.
#   scripts/bench-bigrepo.sh [WORK]       (default /tmp/ocular-bigrepo)
# Environment: IMAGES (1000000), SQLITE=0 to skip the SQLite side, KEEP=0 to
# remove the cluster and repositories at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(realpath -m "${1:-/tmp/ocular-bigrepo}")
images=${IMAGES:-1000000}
tags="sqlite_fts5 migrated_fynedo"
export PATH=/usr/local/go/bin:$PATH
mkdir -p "$work"
out="$work/results-$(date -u +%Y%m%dT%H%M).txt"
log() { echo "$@" | tee -a "$out"; }

go build -tags "$tags" -o "$work/pggen" ./internal/tools/pggen
go test -tags "$tags" -c -o "$work/bigrepo.test" ./internal/bigrepo

dsn=$(scripts/bench-postgres.sh start "$work/cluster")
if [ "${KEEP:-1}" = 0 ]; then trap 'scripts/bench-postgres.sh destroy "$work/cluster"; rm -rf "$work/sqlite" "$work/pgrepo"' EXIT; fi
log "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load: $(uptime | sed 's/.*load average: //')"
if [ ! -f "$work/pg.done" ]; then
  log "## generate PostgreSQL, $images images"
  "$work/pggen" --db "$dsn" --repo "$work/pgrepo" --images "$images" --reset --no-checks --workers 3 2>/dev/null | tee -a "$out"
  touch "$work/pg.done"
fi
if [ "${SQLITE:-1}" = 1 ] && [ ! -f "$work/sqlite.done" ]; then
  log "## generate SQLite, $images images"
  "$work/pggen" --sqlite "$work/sqlite" --images "$images" --reset 2>/dev/null | tee -a "$out"
  touch "$work/sqlite.done"
fi
export OCULAR_BIGREPO_PG="$dsn" OCULAR_BIGREPO_PG_DIR="$work/pgrepo"
[ "${SQLITE:-1}" = 1 ] && export OCULAR_BIGREPO_SQLITE="$work/sqlite"

bench() { # PATTERN BENCHTIME
  log "## $1 (load: $(uptime | sed 's/.*load average: //'))"
  "$work/bigrepo.test" -test.run '^$' -test.bench "$1" -test.benchtime "$2" 2>&1 | grep -v '^\(goos\|goarch\|pkg\|cpu\|PASS\)' | tee -a "$out"
}
bench 'BigBrowse' 10x
bench 'BigSearch/[a-z]+/(tag|exposure|cell|confocal|objective|comment)' 5x
for e in postgres sqlite; do
  [ "$e" = sqlite ] && [ "${SQLITE:-1}" != 1 ] && continue
  bench "BigMoveDryRun$/$e" 3x
  bench "BigMove$/$e" 1x
done
log "results in $out"
