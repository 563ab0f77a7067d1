#!/bin/sh
# make run: imports the bundled report into ./run/kigen.db, prints what is
# due as of the report's own date, then runs kigend in the foreground serving
# http://127.0.0.1:5545/feed.ics until Ctrl-C.
#   scripts/run.sh BUILD_DIR
# While the importer finds no dated milestones in the report (its extractor
# not yet wired in), the milestones come from a small bundled fixture entered
# through `kigen add` instead.
set -eu
B=${1:?usage: scripts/run.sh BUILD_DIR}
top=$(cd "$(dirname "$0")/.." && pwd)
kigen="$top/$B/kigen"
db="$top/run/kigen.db"
report="$top/data/secure-japan-2008-h1.txt"
fixture="$top/data/fixture-milestones.tsv"
py=/usr/bin/python3
k() { "$kigen" --db "$db" "$@"; }

mkdir -p "$top/run"
rm -f "$db" "$db-wal" "$db-shm"
k import "$report"
as_of=$(k export | "$py" -c 'import json,sys; print(json.load(sys.stdin)["documents"][0]["as_of"])')
if [ "$(k --json list | "$py" -c 'import json,sys; print(len(json.load(sys.stdin)["milestones"]))')" -eq 0 ]; then
	echo "kigen: no dated milestones imported; adding the bundled fixture"
	grep -v '^#' "$fixture" |
	while IFS='	' read -r due from kind owner title; do
		k add "$title" --due "$due" --from "$from" --kind "$kind" --owner "$owner" >/dev/null
	done
fi
echo
echo "upcoming as of $as_of, the report's date (next 200 days):"
k --as-of "$as_of" upcoming --days 200

echo
echo "kigend: serving http://127.0.0.1:5545/feed.ics — subscribe a calendar to that"
echo "URL (also /api/v1/upcoming, /metrics); Ctrl-C stops it."
exec "$top/$B/kigend" --db "$db" --listen 127.0.0.1:5545
