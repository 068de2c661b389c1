#!/usr/bin/env bash
# seed.sh REPO: builds the training demo with three users into REPO with the
# real ocular-cli and prints shell assignments for run.sh: REPO, USERNAME,
# PASSWORD and SELECT (user-1's first project, its first dataset and first
# image, as Class:ID refs joined by '/', the path the app's --select opens).
set -euo pipefail
REPO=$1
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CLI=("$ROOT/bin/ocular-cli" --repo "$REPO")

summary=$("${CLI[@]}" --json demo --users 3)
# The summary is JSON; the password is its only "password" field.
password=$(printf '%s' "$summary" | sed -n 's/.*"password":"\([^"]*\)".*/\1/p')
[[ -n "$password" ]] || { echo "seed: no password in the demo summary: $summary" >&2; exit 1; }

# The tree as user-1 sees it, one "Class:ID name [owner]" per line, depth
# first: the first project, then the first dataset and image below it.
tree=$("${CLI[@]}" -u user-1 -w "$password" tree)
select=$(printf '%s\n' "$tree" | grep -o -E '(Project|Dataset|Image):[0-9]+' | awk '
	/^Project:/ && !p { p = $0; next }
	/^Dataset:/ && p && !d { d = $0; next }
	/^Image:/ && d && !i { i = $0 }
	END { if (i) print p "/" d "/" i }')
[[ -n "$select" ]] || { echo "seed: user-1 has no project with a dataset of images:" >&2; echo "$tree" >&2; exit 1; }
echo "seed: $(printf '%s' "$summary" | grep -o '"imagesPerUser":[0-9]*') for 3 users; selecting $select" >&2

cat <<EOS
REPO='$REPO'
USERNAME='user-1'
PASSWORD='$password'
SELECT='$select'
EOS
