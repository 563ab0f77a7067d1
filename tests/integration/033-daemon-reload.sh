#!/bin/sh
# kigend notices changes made by the CLI (PRAGMA data_version) within a
# couple of seconds and re-renders once: the edited milestone's SEQUENCE
# grows, the ETag changes, an old ETag gets the full new feed; requests in
# between do not re-render; a purge moves Last-Modified on.
. "$TOP/tests/integration/lib-daemon.sh"

expect_rc 0 "$KIGEN" --db "$db" import "$TOP/data/secure-japan-2008-h1.txt"
start_kigend
expect_code 200 before /feed.ics
etag=$(header before ETag)
for i in 1 2 3 4 5; do expect_code 304 same /feed.ics -H "If-None-Match: $etag"; done
renders() {
	fetch metrics /metrics
	sed -n 's/^kigend_feed_renders_total //p' "$tmp/metrics"
}
[ "$(renders)" -eq 1 ] || fail "rendered more than once without a change"

# until_changed NAME [curl args]: fetches /feed.ics with a validator until
# the answer is no longer 304.
changed() { fetch "$@" && [ "$code" != 304 ]; }
until_changed() {
	name=$1
	shift
	wait_until "$name: the change in the feed" changed "$name" /feed.ics "$@"
}

expect_rc 0 "$KIGEN" --db "$db" --json list --status planned
id=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["milestones"][0]["id"])' "$tmp/out")
uid=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["milestones"][0]["uid"])' "$tmp/out")
expect_rc 0 "$KIGEN" --db "$db" done "$id"

until_changed after -H "If-None-Match: $etag"
[ "$code" = 200 ] || fail "after the change: $code"
[ "$(header after ETag)" != "$etag" ] || fail "ETag did not change"
"$py" - "$tmp/after" "$uid" <<'PY' || fail "edited milestone not updated in the feed"
import sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
ev = [e for e in cal.walk("VEVENT") if str(e["UID"]) == sys.argv[2]][0]
assert int(ev["SEQUENCE"]) >= 1, ev["SEQUENCE"]
assert str(ev["SUMMARY"]).startswith("\u2713"), ev["SUMMARY"]
PY
[ "$(renders)" -eq 2 ] || fail "want exactly one more render after one change"

# A purge changes no milestone's updated_at, yet the feed changed: its
# Last-Modified must move on, or If-Modified-Since clients keep the old one.
lm=$(header after Last-Modified)
expect_rc 0 "$KIGEN" --db "$db" --json list --status done
victim=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["milestones"][0]["id"])' "$tmp/out")
expect_rc 0 "$KIGEN" --db "$db" rm --purge "$victim"
until_changed purged -H "If-Modified-Since: $lm"
[ "$code" = 200 ] || fail "after a purge: $code"
[ "$(grep -c BEGIN:VEVENT "$tmp/purged")" -eq "$(($(grep -c BEGIN:VEVENT "$tmp/after") - 1))" ] ||
	fail "purged milestone still in the feed"
stop_kigend
echo ok
