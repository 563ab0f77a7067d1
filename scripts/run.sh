#!/bin/sh
# make run: imports the bundled report into ./run/kigen.db, prints what is
# due as of the report's own date, then runs kigend in the foreground serving
# the timeline at http://127.0.0.1:5545/ and the feed at
# http://127.0.0.1:5545/feed.ics until Ctrl-C.
#   scripts/run.sh BUILD_DIR
# The database is kept between runs: importing the same report again changes
# nothing, and what was added or edited by hand stays.
set -eu
B=${1:?usage: scripts/run.sh BUILD_DIR}
top=$(cd "$(dirname "$0")/.." && pwd)
kigen="$top/$B/kigen"
db="$top/run/kigen.db"
report="$top/data/secure-japan-2008-h1.txt"
k() { "$kigen" --db "$db" "$@"; }

mkdir -p "$top/run"
k import "$report" >/dev/null
k export | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
doc = d["documents"][0]
print("imported %s (as of %s): %d measures, %d milestones"
      % (doc["name"], doc["as_of"], len(d["measures"]), len(d["milestones"])))
print(doc["as_of"], file=open(sys.argv[1], "w"))' "$top/run/as-of"
as_of=$(cat "$top/run/as-of")
echo
echo "upcoming as of $as_of, the report's date (next 200 days):"
k --as-of "$as_of" upcoming --days 200

echo
echo "kigend: serving, Ctrl-C stops it."
echo "  the timeline:  http://127.0.0.1:5545/?as_of=$as_of  (a browser; as of the report's date)"
echo "  the feed:      http://127.0.0.1:5545/feed.ics  (subscribe a calendar to that URL)"
echo "  also /api/v1/upcoming?as_of=$as_of, /metrics"
exec "$top/$B/kigend" --db "$db" --listen 127.0.0.1:5545
