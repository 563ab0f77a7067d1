#!/bin/sh
# A feed bigger than kigend keeps as plain text (1 MiB, daemon/rendition.c
# PLAIN_KEEP_MAX): kept gzipped only and inflated per request for
# clients without gzip.  Identity bodies must still be the bytes `kigen feed`
# writes, with the right Content-Length, ETag, 304s and HEAD, also for
# concurrent requests and after a republication.
. "$TOP/tests/integration/lib-daemon.sh"

n=2500
. "$TOP/tests/integration/lib-bulk.sh"
bulk "$n" 2008-12-01
start_kigend
expect_rc 0 "$KIGEN" --db "$db" feed --out "$tmp/static.ics"

expect_code 200 metrics /metrics
plain=$(sed -n 's/^kigend_feed_bytes{feed="default",encoding="identity"} //p' "$tmp/metrics")
[ "$plain" -gt 1048576 ] || fail "feed of $plain bytes: not big enough to test the inflated path"

# Identity: inflated per request, the same bytes as kigen feed.
expect_code 200 feed /feed.ics
cmp -s "$tmp/feed" "$tmp/static.ics" || fail "identity body differs from kigen feed"
[ "$(header feed Content-Length)" = "$plain" ] || fail "Content-Length $(header feed Content-Length), want $plain"
has "$tmp/feed.h" "Content-Type: text/calendar; charset=utf-8"
[ -z "$(header feed Content-Encoding)" ] || fail "identity response has a Content-Encoding"
etag=$(header feed ETag)
[ -n "$etag" ] && [ -n "$(header feed Last-Modified)" ] || fail "no validators"
expect_code 304 nm /feed.ics -H "If-None-Match: $etag"
[ ! -s "$tmp/nm" ] || fail "304 with a body"
expect_code 200 head /feed.ics -I
[ "$(header head Content-Length)" = "$plain" ] || fail "HEAD Content-Length"
[ "$(header head ETag)" = "$etag" ] || fail "HEAD ETag"

# gzip: the stored bytes, inflating to the same text.
expect_code 200 gz /feed.ics -H "Accept-Encoding: gzip"
[ "$(header gz Content-Encoding)" = gzip ] || fail "no Content-Encoding: gzip"
gzip -dc <"$tmp/gz" | cmp -s - "$tmp/static.ics" || fail "gzip body differs"

# Concurrent identity requests each inflate their own stream.
pids=
for i in 1 2 3 4; do
	curl -s -o "$tmp/par$i" "$base/feed.ics" & pids="$pids $!"
done
for p in $pids; do wait "$p" || fail "concurrent request failed"; done
for i in 1 2 3 4; do
	cmp -s "$tmp/par$i" "$tmp/static.ics" || fail "concurrent body $i differs"
done

# A change republishes: new bytes, new ETag, still whole.
expect_rc 0 "$KIGEN" --db "$db" edit 1 --title later
republished() { expect_code 200 feed2 /feed.ics && [ "$(header feed2 ETag)" != "$etag" ]; }
wait_until "the republication after a change" republished
expect_rc 0 "$KIGEN" --db "$db" feed --out "$tmp/static2.ics"
cmp -s "$tmp/feed2" "$tmp/static2.ics" || fail "identity body after the change differs from kigen feed"
has "$tmp/feed2" "SUMMARY:later"
stop_kigend
echo "ok: big feed ($plain bytes) served inflated"
