#!/bin/sh
# kigend serves the imported sample report as an iCalendar feed: every
# milestone on its deadline, checked by two parsers nobody here wrote
# (python3-icalendar, ical.js); byte-identical bodies and UIDs across a
# restart; `kigen feed` writes the same bytes; the JSON API answers with the
# same milestones.
. "$TOP/tests/integration/lib-daemon.sh"

expect_rc 0 "$KIGEN" --db "$db" import "$TOP/data/secure-japan-2008-h1.txt"
expect_rc 0 "$KIGEN" --db "$db" --json export
cp "$tmp/out" "$tmp/export.json"
n=$("$py" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["milestones"]))' "$tmp/export.json")
[ "$n" -gt 40 ] || fail "only $n milestones imported"

start_kigend
expect_code 200 feed /feed.ics
has "$tmp/feed.h" "Content-Type: text/calendar; charset=utf-8"
[ -n "$(header feed ETag)" ] || fail "no ETag"
[ -n "$(header feed Last-Modified)" ] || fail "no Last-Modified"
[ -n "$(header feed Date)" ] || fail "no Date"
header feed Cache-Control | grep -q 'max-age=3600' || fail "Cache-Control"
has "$tmp/feed" "TZID:Asia/Tokyo"
hasnt "$tmp/feed" "freeassociation"

"$py" "$TOP/tests/integration/feedcheck.py" "$tmp/feed" "$tmp/export.json" >"$tmp/uids1" ||
	fail "python3-icalendar rejects the feed"
[ "$(wc -l <"$tmp/uids1")" -eq "$n" ] || fail "feed has $(wc -l <"$tmp/uids1") events, want $n"
events=$("$node" "$TOP/tests/node/feedcheck.mjs" "$tmp/feed" "$tmp/export.json") ||
	fail "ical.js rejects the feed"
[ "$events" -eq "$n" ] || fail "ical.js saw $events events, want $n"

# The todo view, for task apps.
expect_code 200 todo "/feed.ics?view=todo"
"$py" "$TOP/tests/integration/feedcheck.py" "$tmp/todo" "$tmp/export.json" todo >/dev/null ||
	fail "todo view"

# The JSON API: the same milestones, the shape of kigen export.
expect_code 200 api /api/v1/milestones
has "$tmp/api.h" "Content-Type: application/json"
"$py" - "$tmp/api" "$tmp/export.json" <<'PY' || fail "api/v1/milestones differs from export"
import json, sys
api = json.load(open(sys.argv[1]))
exp = json.load(open(sys.argv[2]))
assert set(api) == {"as_of", "milestones"}, api.keys()
assert [m["uid"] for m in api["milestones"]] and \
    sorted(m["uid"] for m in api["milestones"]) == sorted(m["uid"] for m in exp["milestones"])
by_uid = {m["uid"]: m for m in exp["milestones"]}
for m in api["milestones"]:
    assert m == by_uid[m["uid"]], (m, by_uid[m["uid"]])
PY
expect_code 200 measures /api/v1/measures
"$py" -c 'import json,sys; a=json.load(open(sys.argv[1])); e=json.load(open(sys.argv[2]));
assert a["measures"] == e["measures"], "measures differ"' "$tmp/measures" "$tmp/export.json" ||
	fail "api/v1/measures differs from export"
expect_code 200 health /healthz
pyjson_file() { "$py" -c "import json,sys; j=json.load(open(sys.argv[1])); assert $2, j" "$1" || fail "json: $2"; }
pyjson_file "$tmp/health" "j['status'] == 'ok' and j['milestones'] == $n"

# kigen feed writes the bytes kigend serves (static hosting), filters too.
expect_rc 0 "$KIGEN" --db "$db" feed --out "$tmp/static.ics"
cmp -s "$tmp/static.ics" "$tmp/feed" || fail "kigen feed differs from /feed.ics"
expect_rc 0 "$KIGEN" --db "$db" feed --view todo
cmp -s "$tmp/out" "$tmp/todo" || fail "kigen feed --view todo differs from ?view=todo"
expect_rc 0 "$KIGEN" --db "$db" feed --owner 総務省 --kind exercise --kind report
expect_code 200 filtered /feed.ics -G --data-urlencode owner=総務省 --data-urlencode kind=exercise \
	--data-urlencode kind=report
cmp -s "$tmp/out" "$tmp/filtered" || fail "kigen feed --owner differs from ?owner="
expect_rc 2 "$KIGEN" --db "$db" feed --feed nosuch
has "$tmp/err" "no feed 'nosuch'"
expect_rc 2 "$KIGEN" --db "$db" feed --view month

# Restart: same bytes, same UIDs.
etag=$(header feed ETag)
stop_kigend
start_kigend
expect_code 200 feed2 /feed.ics
cmp -s "$tmp/feed" "$tmp/feed2" || fail "feed changed across a restart"
[ "$(header feed2 ETag)" = "$etag" ] || fail "ETag changed across a restart"
stop_kigend
has "$tmp/kigend.log" "stopping"
echo ok
