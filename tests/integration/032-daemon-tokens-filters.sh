#!/bin/sh
# Secret feed tokens (path or ?token=, wrong or missing -> 404, never in the
# log), named feeds from [feed:NAME] with their own filters and token, query
# filters matching what `kigen list` selects, show_done.
. "$TOP/tests/integration/lib-daemon.sh"

secret=s3cr3t-T0ken-$$
soumu_secret=soumu-$$
cat >"$tmp/kigen.conf" <<CONF
[general]
db = $db
[http]
feed_token = $secret
[feed]
name = Test feed
show_done = no
[feed:soumu]
owner = 総務省
token = $soumu_secret
show_done = yes
[feed:exercises]
kind = exercise, meeting
CONF
export KIGEN_CONFIG="$tmp/kigen.conf"
expect_rc 0 "$KIGEN" import "$TOP/data/secure-japan-2008-h1.txt"
start_kigend --config "$tmp/kigen.conf"

# Tokens: none or wrong -> 404, as for an unknown path.
expect_code 404 t1 /feed.ics
expect_code 404 t2 "/feed.ics?token=wrong"
expect_code 404 t3 "/t/wrong/feed.ics"
expect_code 404 t4 "/t/wrong/feed.ics?token=$secret"
expect_code 404 t5 "/t/${secret}x/feed.ics"
expect_code 404 t6 /api/v1/milestones
expect_code 200 q "/feed.ics?token=$secret"
expect_code 200 p "/t/$secret/feed.ics"
cmp -s "$tmp/q" "$tmp/p" || fail "path and query token give different feeds"
has "$tmp/q.h" "Cache-Control: private"
expect_code 200 api "/t/$secret/api/v1/milestones"
# The named feed has its own token; the global one does not open it.
expect_code 404 s1 "/feeds/soumu.ics?token=$secret"
expect_code 200 soumu "/feeds/soumu.ics?token=$soumu_secret"
# Health and metrics carry no milestone data: no token.
expect_code 200 h /healthz

# The default feed: show_done = no, so exactly the not-done milestones.
expect_rc 0 "$KIGEN" --json list --status planned --status ongoing --status cancelled
cp "$tmp/out" "$tmp/notdone.json"
"$py" "$TOP/tests/integration/feedcheck.py" "$tmp/q" "$tmp/notdone.json" >/dev/null ||
	fail "show_done = no"
has "$tmp/q" "X-WR-CALNAME:Test feed"

# [feed:soumu]: owner = 総務省, show_done = yes.
expect_rc 0 "$KIGEN" --json list --owner 総務省
cp "$tmp/out" "$tmp/soumu.json"
"$py" -c 'import json,sys; assert len(json.load(open(sys.argv[1]))["milestones"]) >= 3' \
	"$tmp/soumu.json" || fail "too few 総務省 milestones for a meaningful test"
"$py" "$TOP/tests/integration/feedcheck.py" "$tmp/soumu" "$tmp/soumu.json" >/dev/null ||
	fail "[feed:soumu] differs from kigen list --owner 総務省"

# [feed:exercises]: kind filter, the global token, done left out.
expect_code 200 ex "/t/$secret/feeds/exercises.ics"
expect_rc 0 "$KIGEN" --json list --kind exercise --kind meeting --status planned \
	--status ongoing --status cancelled
cp "$tmp/out" "$tmp/ex.json"
"$py" "$TOP/tests/integration/feedcheck.py" "$tmp/ex" "$tmp/ex.json" >/dev/null ||
	fail "[feed:exercises]"

# Query filters on top of a feed, percent-encoded UTF-8 included.
expect_code 200 f1 "/t/$soumu_secret/feeds/soumu.ics" -G --data-urlencode "kind=exercise" \
	--data-urlencode "kind=report"
"$KIGEN" --json list --owner 総務省 --kind exercise --kind report >"$tmp/f1.json"
"$py" "$TOP/tests/integration/feedcheck.py" "$tmp/f1" "$tmp/f1.json" >/dev/null ||
	fail "soumu + kind filter"
expect_code 200 f2 "/feed.ics?token=$secret" -G --data-urlencode "owner=経済産業省" \
	--data-urlencode "status=planned"
"$KIGEN" --json list --owner 経済産業省 --status planned >"$tmp/f2.json"
"$py" "$TOP/tests/integration/feedcheck.py" "$tmp/f2" "$tmp/f2.json" >/dev/null ||
	fail "owner + status query filter"
mid=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["milestones"][0]["measure_id"])' "$tmp/soumu.json")
expect_code 200 f3 "/t/$secret/api/v1/milestones?measure=$mid"
"$py" -c 'import json,sys; j=json.load(open(sys.argv[1]));
assert j["milestones"] and all(m["measure_id"] == int(sys.argv[2]) for m in j["milestones"])' \
	"$tmp/f3" "$mid" || fail "measure filter"

# A filtered feed is conditional too.
etag=$(header f2 ETag)
expect_code 304 f2b "/feed.ics?token=$secret" -G --data-urlencode "owner=経済産業省" \
	--data-urlencode "status=planned" -H "If-None-Match: $etag"

stop_kigend
# Tokens never reach the log, whatever the log level.
grep -q "GET /t/\*\*\*/feed.ics" "$tmp/kigend.log" || fail "requests not logged at debug level"
hasnt "$tmp/kigend.log" "$secret"
hasnt "$tmp/kigend.log" "$soumu_secret"
echo ok
