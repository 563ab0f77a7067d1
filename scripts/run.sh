#!/bin/sh
# make run: fills ./run/kigen.db and prints what is due.
#   scripts/run.sh BUILD_DIR
# Until the importer lands, the database is filled from a small bundled
# fixture through `kigen add`, and `upcoming` is shown as of a date in
# late 2008 (the report's deadlines lie in 2008-2009).
set -eu
B=${1:?usage: scripts/run.sh BUILD_DIR}
top=$(cd "$(dirname "$0")/.." && pwd)
kigen="$top/$B/kigen"
db="$top/run/kigen.db"
as_of=2008-11-24

mkdir -p "$top/run"
rm -f "$db" "$db-wal" "$db-shm"
grep -v '^#' "$top/data/fixture-milestones.tsv" |
while IFS='	' read -r due from kind owner title; do
	"$kigen" --db "$db" add "$title" --due "$due" --from "$from" --kind "$kind" \
	    --owner "$owner" >/dev/null
done
echo "kigen: $(grep -vc '^#' "$top/data/fixture-milestones.tsv") milestones in $db"
echo "upcoming as of $as_of (next 180 days):"
"$kigen" --db "$db" --as-of "$as_of" upcoming --days 180
