#!/bin/sh
# kigend's pages over HTTP: the timeline, a milestone (also by UID, also
# as .ics), a measure, the assets; the security headers; ETag/304 and gzip;
# text from a report that is markup stays text; the pages' parameters (an
# empty form is fine, bad values are 400s); the token rule (pages follow
# the API: [http] feed_token; closed while only named feeds have tokens);
# relative links, so a /t/TOKEN/ prefix carries through.
. "$TOP/tests/integration/lib-daemon.sh"

evil='<script>alert("x")</script> R&D "q" '"'"'s'
expect_rc 0 "$KIGEN" --db "$db" import "$TOP/data/secure-japan-2008-h1.txt"
expect_rc 0 "$KIGEN" --db "$db" add "$evil" --due 2008-12-24 --kind report
expect_rc 0 "$KIGEN" --db "$db" --json list
ex=$("$py" -c 'import json,sys; print([m for m in json.load(open(sys.argv[1]))["milestones"] if m["due"] == "2008-12-01" and m["kind"] == "exercise"][0]["id"])' "$tmp/out")
uid=$("$py" -c 'import json,sys; print([m for m in json.load(open(sys.argv[1]))["milestones"] if m["id"] == int(sys.argv[2])][0]["uid"])' "$tmp/out" "$ex")
bad=$("$py" -c 'import json,sys; print([m for m in json.load(open(sys.argv[1]))["milestones"] if m["title"].startswith("<script>")][0]["id"])' "$tmp/out")
mid=$("$py" -c 'import json,sys; print([m for m in json.load(open(sys.argv[1]))["milestones"] if m["id"] == int(sys.argv[2])][0]["measure_id"])' "$tmp/out" "$ex")
start_kigend

# The headers every page and asset carries.
page_headers() {
	has "$tmp/$1.h" "Content-Security-Policy: default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
	has "$tmp/$1.h" "X-Content-Type-Options: nosniff"
	has "$tmp/$1.h" "Referrer-Policy: no-referrer"
}

expect_code 200 home /
has "$tmp/home.h" "Content-Type: text/html; charset=utf-8"
page_headers home
header home Cache-Control | grep -qx 'no-cache' || fail "Cache-Control of /"
# Markup from a report stays text; no inline script, no other origin.
hasnt "$tmp/home" "<script>alert"
has "$tmp/home" "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; R&amp;D &quot;q&quot; &#39;s"
[ "$(grep -o '<script' "$tmp/home" | wc -l)" -eq 1 ] || fail "more than the page's own script"
has "$tmp/home" '<script src="assets/app.js" defer></script>'
hasnt "$tmp/home" 'http://'
hasnt "$tmp/home" 'https://'
hasnt "$tmp/home" 'style="'

# Cached like a feed: ETag, 304, gzip with the same text.
etag=$(header home ETag)
[ -n "$etag" ] || fail "no ETag on /"
expect_code 304 home304 / -H "If-None-Match: $etag"
expect_code 200 homegz / -H "Accept-Encoding: gzip"
[ "$(header homegz Content-Encoding)" = gzip ] || fail "/ not gzipped"
gzip -dc <"$tmp/homegz" | cmp -s - "$tmp/home" || fail "gzip body differs"

# The timeline's parameters: an empty form, the filters, bad values.
expect_code 200 form "/?q=&owner=&kind=&status=&from=&to=&as_of=&group=measure"
expect_code 200 asof "/?as_of=2008-11-24&group=owner"
has "$tmp/asof" 'data-today="2008-11-24"'
has "$tmp/asof" "as of 2008-11-24"
expect_code 200 q "/?q=%EF%BD%87%EF%BD%93%EF%BD%8F%EF%BD%83"   # ｇｓｏｃ finds ＧＳＯＣ
has "$tmp/q" 'class="ms '
expect_code 400 b1 "/?kind=nonsense"
has "$tmp/b1" "invalid kind 'nonsense'"
expect_code 400 b2 "/?days=3"
has "$tmp/b2" "unknown parameter 'days'"
expect_code 400 b3 "/?from=2008-13-01"
expect_code 400 b4 "/?view=todo"

# One milestone: its sentence, the expression marked, history; by UID too.
expect_code 200 ms "/milestones/$ex"
page_headers ms
has "$tmp/ms" "<mark>平成20年12月１日</mark>に演習を実施"
has "$tmp/ms" "<h2>History</h2>"
has "$tmp/ms" "import secure-japan-2008-h1.txt"
has "$tmp/ms" "href=\"../measures/$mid\""
has "$tmp/ms" 'href="../assets/style.css"'
expect_code 200 msuid "/milestones/$uid"
cmp -s "$tmp/ms" "$tmp/msuid" || fail "by id and by UID differ"
expect_code 200 msbad "/milestones/$bad"
hasnt "$tmp/msbad" "<script>alert"
has "$tmp/msbad" "<h1>&lt;script&gt;alert"
expect_code 404 ms404 /milestones/999999
expect_code 404 ms404b /milestones/
expect_code 400 msq "/milestones/$ex?kind=report"
# … and as iCalendar, just that one.
expect_code 200 ics "/milestones/$ex.ics"
has "$tmp/ics.h" "Content-Type: text/calendar; charset=utf-8"
"$py" - "$tmp/ics" "$uid" <<'PY' || fail "/milestones/ID.ics"
import sys
from icalendar import Calendar
cal = Calendar.from_ical(open(sys.argv[1], "rb").read())
ev = cal.walk("VEVENT")
assert len(ev) == 1 and str(ev[0]["UID"]) == sys.argv[2], ev
assert str(ev[0].decoded("DTSTART")) == "2008-12-01"
PY

# One measure: its progress and milestones.
expect_code 200 me "/measures/$mid"
has "$tmp/me" "<h2>Progress</h2>"
has "$tmp/me" "href=\"../milestones/$ex\""
expect_code 404 me404 /measures/999999
expect_code 404 me404b /measures/x

# Assets, compiled in; public even under a token prefix.
expect_code 200 css /assets/style.css
has "$tmp/css.h" "Content-Type: text/css; charset=utf-8"
has "$tmp/css" "prefers-color-scheme: dark"
expect_code 200 js /assets/app.js
has "$tmp/js.h" "Content-Type: text/javascript; charset=utf-8"
expect_code 200 icon /assets/icon.svg
has "$tmp/icon.h" "Content-Type: image/svg+xml"
page_headers icon
expect_code 404 a404 /assets/nope.css
expect_code 404 a404b /assets/../feed.ics --path-as-is

# Metrics count the pages.
expect_code 200 metrics /metrics
has "$tmp/metrics" 'kigend_http_requests_total{route="page",code="200"}'
stop_kigend

# With [http] feed_token the pages need it; relative links keep the prefix.
secret=pages-$$
printf '[http]\nfeed_token = %s\n' "$secret" >"$tmp/token.conf"
start_kigend --config "$tmp/token.conf"
expect_code 404 t1 /
expect_code 404 t2 "/milestones/$ex"
expect_code 404 t3 "/t/wrong/"
expect_code 404 t4 "/t/wrong/measures/$mid"
expect_code 200 t5 "/t/$secret/"
header t5 Cache-Control | grep -qx 'private, no-cache' || fail "Cache-Control with a token"
hasnt "$tmp/t5" "$secret"
has "$tmp/t5" "href=\"milestones/$ex\""
expect_code 200 t6 "/t/$secret/milestones/$ex"
expect_code 200 t7 "/t/$secret/assets/style.css"
expect_code 200 t8 "/t/$secret/milestones/$ex.ics"
stop_kigend

# Only a named feed has a token: the pages would show its milestones to
# anyone, so they stay closed, token or not.
printf '[feed:soumu]\nowner = 総務省\ntoken = %s\n' "$secret" >"$tmp/named.conf"
start_kigend --config "$tmp/named.conf"
expect_code 404 n1 /
expect_code 404 n2 "/t/$secret/"
expect_code 200 n3 /assets/style.css
stop_kigend
echo ok
