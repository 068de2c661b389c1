#!/bin/sh
# Sustained thumbnails per second: Ocular's render_thumbnail against
# Debian's nginx serving the same JPEG files from disk, both on loopback,
# loaded in turns by wrk (issue 11: Ocular >= 0.5x nginx).
# Needs nginx and wrk: apt-get install nginx-light wrk
# OCULAR_BENCH_SECONDS sets each wrk run's length (default 8).
set -eu
cd "$(dirname "$0")/../.."
export PATH=/usr/local/go/bin:$PATH
for tool in wrk; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install nginx-light wrk" >&2; exit 1; }
done
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null || { echo "nginx is missing: apt-get install nginx-light" >&2; exit 1; }
echo "$(date -u '+%Y-%m-%d %H:%M UTC') on $(uname -n), $(nproc) CPUs: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
OCULAR_BENCH_NGINX=1 go test -tags "sqlite_fts5 migrated_fynedo" -count=1 -v \
  -run '^TestThumbnailsPerSecondVsNginx$' ./repository/remote/ 2>&1 | grep -E 'thumbnails/s|FAIL|SKIP|ok|panic'
