#!/bin/sh
# HTTP hygiene (issue 14, row 13): Host checked against [http]
# allowed_hosts (DNS rebinding: 421), HTTP/1.1 without Host or with two is
# a 400, a NUL in the target (raw or %00) is a 400 and never a shorter
# path, a 304 carries no Content-Length: 0, every response says nosniff,
# token-protected API answers are not stored by caches, and at debug level
# no spelling of a token reaches the log.  Token scope (row 8): one private
# feed makes the API and filters on public feeds need [http] feed_token;
# /metrics names no private feed.
. "$TOP/tests/integration/lib-daemon.sh"

expect_rc 0 "$KIGEN" --db "$db" import "$TOP/data/secure-japan-2008-h1.txt"

# raw REQUEST...: sends each raw request on its own connection, prints each
# status line's code (000: closed without an answer).
raw() {
	"$py" - "$port" "$@" <<'PY'
import socket, sys
port = int(sys.argv[1])
for req in sys.argv[2:]:
    s = socket.create_connection(("127.0.0.1", port), timeout=20)
    s.sendall(req.encode("latin-1").decode("unicode_escape").encode("latin-1"))
    data = b""
    try:
        while b"\r\n" not in data:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    except OSError:
        pass
    s.close()
    print(data.split(b" ")[1].decode() if data.startswith(b"HTTP/") else "000")
PY
}

start_kigend

# ---- Host ----
expect_code 200 h1 /feed.ics
expect_code 200 h2 /feed.ics -H "Host: localhost:$port"
expect_code 200 h3 /feed.ics -H "Host: LOCALHOST"
expect_code 421 h4 /feed.ics -H "Host: attacker.example"
expect_code 421 h5 /api/v1/milestones -H "Host: attacker.example:$port"
expect_code 421 h6 /healthz -H "Host: 127.0.0.2"
set -- $(raw 'GET /healthz HTTP/1.1\r\n\r\n' 'GET /healthz HTTP/1.0\r\n\r\n' \
	'GET /healthz HTTP/1.1\r\nHost: localhost\r\nHost: attacker.example\r\n\r\n' \
	'GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n')
[ "$*" = "400 200 400 200" ] || fail "Host rules: $*, want 400 200 400 200"

# ---- NUL in the target ----
set -- $(raw 'GET /feed.ics\x00.txt HTTP/1.1\r\nHost: localhost\r\n\r\n' \
	'GET /feed.ics%00.txt HTTP/1.1\r\nHost: localhost\r\n\r\n' \
	'GET /feed.ics?kind=report%00x HTTP/1.1\r\nHost: localhost\r\n\r\n' \
	'GET /feed.ics?kind=rep\x00ort HTTP/1.1\r\nHost: localhost\r\n\r\n' \
	'GET /feed.ics HTTP/1.1\r\nHost: localhost\r\n\r\n')
[ "$*" = "400 400 400 400 200" ] || fail "NUL rules: $*, want 400 400 400 400 200"

# ---- 304: no Content-Length: 0 ----
etag=$(header h1 ETag)
size=$(wc -c <"$tmp/h1")
expect_code 304 nm /feed.ics -H "If-None-Match: $etag"
cl=$(header nm Content-Length)
[ -z "$cl" ] || [ "$cl" = "$size" ] || fail "304 with Content-Length: $cl (the 200 has $size)"
expect_code 304 nmgz /feed.ics -H "If-None-Match: $(curl -s -D - -o /dev/null \
	-H 'Accept-Encoding: gzip' "$base/feed.ics" | tr -d '\r' | sed -n 's/^ETag: //Ip')" \
	-H "Accept-Encoding: gzip"
[ "$(header nmgz Content-Length)" != 0 ] || fail "gzip 304 with Content-Length: 0"

# ---- nosniff everywhere ----
expect_code 200 api /api/v1/measures
expect_code 200 hz /healthz
expect_code 200 mx /metrics
expect_code 404 nf /nope
expect_code 405 na /feed.ics -X DELETE
expect_code 400 bad "/feed.ics?kind=nonsense"
for r in h1 nm nmgz api hz mx nf na bad h4; do
	[ "$(header $r X-Content-Type-Options)" = nosniff ] || fail "$r: no X-Content-Type-Options: nosniff"
done
stop_kigend

# ---- allowed_hosts configured: only those ----
cat >"$tmp/hosts.conf" <<CONF
[http]
allowed_hosts = feeds.example.org, [::1], 127.0.0.1
CONF
start_kigend --config "$tmp/hosts.conf"
expect_code 200 c1 /feed.ics -H "Host: feeds.example.org"
expect_code 200 c2 /feed.ics -H "Host: [::1]:$port"
expect_code 421 c3 /feed.ics -H "Host: localhost"
stop_kigend
printf '[http]\nallowed_hosts = bad host\n' >"$tmp/bad.conf"
expect_rc 1 "$KIGEND" --check-config --config "$tmp/bad.conf"
has "$tmp/err" "bad.conf:2: invalid allowed_hosts 'bad host'"

# ---- token scope: one private feed, no feed_token ----
secret=feedsecret-$$
api_secret=apisecret-$$
cat >"$tmp/scope.conf" <<CONF
[feed:soumu]
owner = 総務省
token = $secret
CONF
: >"$tmp/kigend.log"
start_kigend --config "$tmp/scope.conf"
expect_code 200 s1 /feed.ics
expect_code 404 s2 "/feed.ics?owner=%E7%B7%8F%E5%8B%99%E7%9C%81"
expect_code 404 s3 "/feed.ics?token=$secret&kind=report"
expect_code 404 s4 /api/v1/milestones
expect_code 404 s5 "/t/$secret/api/v1/milestones"
expect_code 404 s6 "/api/v1/upcoming?owner=%E7%B7%8F%E5%8B%99%E7%9C%81"
expect_code 200 s7 "/t/$secret/feeds/soumu.ics?kind=report"
expect_code 404 s8 "/feeds/soumu.ics?kind=report"
expect_code 200 s9 /metrics
hasnt "$tmp/s9" soumu
has "$tmp/s9" 'kigend_feed_bytes{feed="private-1",encoding="gzip"}'
has "$tmp/kigend.log" "API and query filters on public feeds are off"
stop_kigend

# ---- with [http] feed_token: it opens the API and filters, nothing else does ----
cat >>"$tmp/scope.conf" <<CONF
[http]
feed_token = $api_secret
CONF
start_kigend --config "$tmp/scope.conf"
expect_code 404 f1 "/t/$secret/api/v1/milestones"
expect_code 200 f2 "/t/$api_secret/api/v1/milestones"
has "$tmp/f2.h" "Cache-Control: private, no-store"
expect_code 421 f3 "/api/v1/milestones?token=$api_secret" -H "Host: attacker.example"
expect_code 200 f4 "/feed.ics?token=$api_secret&kind=report"

# ---- tokens never reach the debug log, however the target is spelled ----
for target in "//t/$secret/feed.ics" "/t/$secret" "/t//$secret/feeds/soumu.ics" \
	"/feed.ics%3ftoken=$secret" "/feed.ics%253Ftoken%253D$secret" "/t%2F$secret%2Ffeed.ics" \
	"/feeds/soumu.ics?kind=report&TOKEN=$secret" "/x;token=$secret" \
	"/api/v1/measures?%74oken=$api_secret"; do
	curl -s -o /dev/null --path-as-is "$base$target"
done
raw "GET /t/$secret/feed.ics?token=$api_secret HTTP/1.1\r\nHost: localhost\r\nX-Junk: \x01\r\n\r\n" >/dev/null
stop_kigend
grep -q "GET //t/\*\*\*/feed.ics" "$tmp/kigend.log" || { cat "$tmp/kigend.log"; fail "targets not logged"; }
hasnt "$tmp/kigend.log" "$secret"
hasnt "$tmp/kigend.log" "$api_secret"
echo ok
