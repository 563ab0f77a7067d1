#!/bin/sh
# The API as the pages need it: as_of= on the listings (the bundled 2008
# report shows nothing useful without it), one milestone with its history
# and webhook deliveries, one measure with its progress and milestones;
# feeds with ?span=window and [feed] span = window (windows as multi-day
# events, DTEND exclusive) and URL: links to the milestones' pages.
. "$TOP/tests/integration/lib-daemon.sh"

cat >"$tmp/kigen.conf" <<CONF
[http]
base_url = https://kigen.example.org/
CONF
export KIGEN_CONFIG="$tmp/kigen.conf"
expect_rc 0 "$KIGEN" --db "$db" import "$TOP/data/secure-japan-2008-h1.txt"
expect_rc 0 "$KIGEN" --db "$db" --as-of 2008-11-24 --json upcoming --days 14
cp "$tmp/out" "$tmp/cli-upcoming.json"
ex=$("$py" -c 'import json,sys; m=json.load(open(sys.argv[1]))["milestones"]; assert len(m)==1 and m[0]["kind"]=="exercise", m; print(m[0]["id"])' "$tmp/cli-upcoming.json")
uid=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["milestones"][0]["uid"])' "$tmp/cli-upcoming.json")
mid=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["milestones"][0]["measure_id"])' "$tmp/cli-upcoming.json")
# A move recorded in the history, and a delivery as kigend's outbox keeps
# one (a failed attempt), so that both lists have something to show.
expect_rc 0 "$KIGEN" --db "$db" edit "$ex" --due 2008-12-02
expect_rc 0 "$KIGEN" --db "$db" edit "$ex" --due 2008-12-01
sqlite3 "$db" "INSERT INTO outbox (endpoint, milestone_id, lead_days, deadline, type,
    webhook_id, body, fire_at, status, attempts, next_attempt_at, last_attempt_at,
    last_http_status, last_error, created_at, done_at)
    VALUES ('ops', $ex, 7, 14214, 'milestone.reminder', 'msg_test1', '{}', 1227484800,
    'failed', 8, 1227484800, 1227520000, 503, 'http 503 <b>', 1227484800, 1227520000)" ||
	fail "cannot write the outbox row"
start_kigend

# as_of on the listings: upcoming as `kigen --as-of … upcoming` says.
expect_code 200 up "/api/v1/upcoming?as_of=2008-11-24&days=14"
"$py" - "$tmp/up" "$tmp/cli-upcoming.json" <<'PY' || fail "upcoming?as_of differs from the CLI"
import json, sys
a, c = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert a["as_of"] == "2008-11-24", a["as_of"]
assert [m["id"] for m in a["milestones"]] == [m["id"] for m in c["milestones"]], (a, c)
PY
expect_code 200 all "/api/v1/milestones?as_of=2008-09-30&kind=exercise"
"$py" -c 'import json,sys; j=json.load(open(sys.argv[1])); assert j["as_of"] == "2008-09-30" and j["milestones"] and all(m["kind"] == "exercise" for m in j["milestones"]), j' "$tmp/all" ||
	fail "milestones?as_of"
expect_code 400 bad1 "/api/v1/upcoming?as_of=2008-02-30"
has "$tmp/bad1" "invalid as_of '2008-02-30' (expected YYYY-MM-DD)"
expect_code 400 bad2 "/api/v1/milestones?days=3"
has "$tmp/bad2" "unknown parameter 'days'"
expect_code 400 bad3 "/api/v1/milestones?q=x"
has "$tmp/bad3" "unknown parameter 'q'"

# One milestone, by id and by UID: the same answer.
expect_code 200 one "/api/v1/milestones/$ex"
expect_code 200 byuid "/api/v1/milestones/$uid"
cmp -s "$tmp/one" "$tmp/byuid" || fail "by id and by UID differ"
"$py" - "$tmp/one" "$ex" "$mid" <<'PY' || fail "api/v1/milestones/ID"
import json, sys
j = json.load(open(sys.argv[1]))
ex, mid = int(sys.argv[2]), int(sys.argv[3])
assert list(j) == ["milestone", "measure", "history", "deliveries"], list(j)
assert j["milestone"]["id"] == ex and j["milestone"]["due"] == "2008-12-01"
assert j["measure"]["id"] == mid
h = j["history"]
assert h[0]["created"] and [c["new"]["window_end"] for c in h[1:]] == ["2008-12-02", "2008-12-01"], h
assert [c["slip_days"] for c in h[1:]] == [1, -1], h
d = j["deliveries"]
assert len(d) == 1 and d[0]["status"] == "failed" and d[0]["attempts"] == 8, d
assert d[0]["last_error"] == "http 503 <b>" and d[0]["last_http_status"] == 503, d
assert d[0]["endpoint"] == "ops" and d[0]["deadline"] == "2008-12-01", d
PY
expect_code 404 none "/api/v1/milestones/999999"
expect_code 404 none2 "/api/v1/milestones/"
expect_code 400 none3 "/api/v1/milestones/$ex?as_of=2008-09-30"

# One measure: its progress and exactly its milestones.
expect_code 200 me "/api/v1/measures/$mid"
expect_rc 0 "$KIGEN" --db "$db" --json list --measure "$mid"
"$py" - "$tmp/me" "$tmp/out" "$mid" <<'PY' || fail "api/v1/measures/ID"
import json, sys
j, c, mid = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), int(sys.argv[3])
assert list(j) == ["measure", "progress", "milestones"], list(j)
assert j["measure"]["id"] == mid and j["progress"], j
assert sorted(m["id"] for m in j["milestones"]) == sorted(m["id"] for m in c["milestones"]), j
PY
expect_code 404 nome "/api/v1/measures/999999"
expect_code 404 nome2 "/api/v1/measures/x"

# Feeds: URL: links; ?span=window makes windows multi-day events.
expect_code 200 feed /feed.ics
has "$tmp/feed" "URL:https://kigen.example.org/milestones/$ex"
expect_code 200 span "/feed.ics?span=window"
"$py" - "$tmp/feed" "$tmp/span" <<'PY' || fail "span=window"
import sys
from icalendar import Calendar
def events(path):
    cal = Calendar.from_ical(open(path, "rb").read())
    return {str(e["UID"]): (e.decoded("DTSTART"), e.decoded("DTEND"))
            for e in cal.walk("VEVENT")}
day, win = events(sys.argv[1]), events(sys.argv[2])
assert day.keys() == win.keys()
wide = 0
for uid, (s, e) in day.items():
    assert (e - s).days == 1, (uid, s, e)          # the default: the deadline day
    ws, we = win[uid]
    assert we == e, (uid, we, e)                    # DTEND: the day after the deadline
    wide += (we - ws).days > 1
assert wide >= 5, wide
PY
# The fiscal-year window of 平成20年度中 runs 2008-04-01 .. 2009-03-31.
has "$tmp/span" "DTSTART;VALUE=DATE:20080401"
expect_code 400 span2 "/feed.ics?span=week"
stop_kigend

# [feed] span = window makes it the feed's own (served from its rendition).
printf '[feed]\nspan = window\n' >>"$tmp/kigen.conf"
start_kigend
expect_code 200 span3 /feed.ics
cmp -s "$tmp/span" "$tmp/span3" || fail "[feed] span = window differs from ?span=window"
expect_code 200 span4 "/feed.ics?span=deadline"
cmp -s "$tmp/feed" "$tmp/span4" || fail "?span=deadline differs from the default"
expect_rc 0 "$KIGEN" --db "$db" feed
cmp -s "$tmp/span" "$tmp/out" || fail "kigen feed ignores [feed] span"
stop_kigend
echo ok
