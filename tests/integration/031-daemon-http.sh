#!/bin/sh
# kigend's HTTP behaviour: conditional requests (ETag / If-None-Match,
# Last-Modified / If-Modified-Since), gzip, keep-alive, HEAD, and the 4xx
# answers to unknown paths, other methods, traversal, oversized or
# malformed requests; /metrics in the Prometheus text format.
. "$TOP/tests/integration/lib-daemon.sh"

expect_rc 0 "$KIGEN" --db "$db" import "$TOP/data/secure-japan-2008-h1.txt"
start_kigend

expect_code 200 feed /feed.ics
etag=$(header feed ETag)
lm=$(header feed Last-Modified)
size=$(wc -c <"$tmp/feed")

# Conditional GETs.
expect_code 304 nm /feed.ics -H "If-None-Match: $etag"
[ ! -s "$tmp/nm" ] || fail "304 with a body"
[ "$(header nm ETag)" = "$etag" ] || fail "304 without the ETag"
expect_code 304 nm2 /feed.ics -H "If-None-Match: \"other\", $etag"
expect_code 200 nm3 /feed.ics -H 'If-None-Match: "0123456789abcdef0123456789abcdef"'
expect_code 304 ims /feed.ics -H "If-Modified-Since: $lm"
expect_code 200 ims2 /feed.ics -H "If-Modified-Since: Mon, 01 Jan 2001 00:00:00 GMT"
# If-None-Match wins over If-Modified-Since.
expect_code 200 both /feed.ics -H 'If-None-Match: "nope"' -H "If-Modified-Since: $lm"

# The todo view (rendered on its first request) is conditional too.
expect_code 200 todo "/feed.ics?view=todo"
expect_code 304 todo2 "/feed.ics?view=todo" -H "If-None-Match: $(header todo ETag)"
[ "$(header todo ETag)" != "$etag" ] || fail "todo and event views share an ETag"

# gzip when asked for, with its own ETag; the same bytes once inflated.
expect_code 200 gz /feed.ics -H "Accept-Encoding: gzip"
[ "$(header gz Content-Encoding)" = gzip ] || fail "no Content-Encoding: gzip"
header gz Vary | grep -qi accept-encoding || fail "no Vary: Accept-Encoding"
gzip -dc <"$tmp/gz" | cmp -s - "$tmp/feed" || fail "gzip body differs"
[ "$(wc -c <"$tmp/gz")" -lt "$((size / 3))" ] || fail "gzip body is not much smaller"
gzetag=$(header gz ETag)
[ "$gzetag" != "$etag" ] || fail "gzip and identity share an ETag"
expect_code 304 gznm /feed.ics -H "Accept-Encoding: gzip" -H "If-None-Match: $gzetag"
expect_code 200 nogz /feed.ics -H "Accept-Encoding: gzip;q=0, identity"
[ -z "$(header nogz Content-Encoding)" ] || fail "gzip sent although q=0"

# HEAD: the headers of the GET, no body.
code=$(curl -s -I -o "$tmp/head.h" -w '%{http_code}' "$base/feed.ics")
[ "$code" = 200 ] || fail "HEAD: $code"
[ "$(tr -d '\r' <"$tmp/head.h" | sed -n 's/^Content-Length: //Ip')" = "$size" ] ||
	fail "HEAD Content-Length differs from the body size $size"

# Keep-alive: curl reuses one connection for three requests.
curl -sv -o /dev/null -o /dev/null -o /dev/null "$base/feed.ics" "$base/healthz" \
	"$base/api/v1/measures" 2>"$tmp/keepalive"
[ "$(grep -c 'Re-using existing connection' "$tmp/keepalive")" -eq 2 ] ||
	{ cat "$tmp/keepalive"; fail "connection not kept alive"; }
if grep -qi '^< Connection: close' "$tmp/keepalive"; then fail "Connection: close"; fi

# Errors.
expect_code 404 e1 /nope
expect_code 404 e2 /feeds/nope.ics
expect_code 404 e3 /feeds/../feed.ics --path-as-is
expect_code 404 e4 /feeds/%2e%2e/feed.ics --path-as-is
expect_code 404 e5 /feed.ics/../../etc/passwd --path-as-is
expect_code 405 e6 /feed.ics -X POST -d x
header e6 Allow | grep -q GET || fail "405 without Allow"
expect_code 405 e7 /feed.ics -X DELETE
expect_code 400 e8 "/feed.ics?kind=nonsense"
has "$tmp/e8" "invalid kind 'nonsense'"
expect_code 400 e9 "/feed.ics?color=red"
expect_code 400 e10 "/api/v1/upcoming?days=-3"
expect_code 414 e11 "/$("$py" -c 'print("a" * 3000)')"
big=$("$py" -c 'print("x" * 40000)')
fetch e12 /feed.ics -H "X-Big: $big"
case $code in 431 | 400) ;; *) fail "huge header: $code, want 431 or 400" ;; esac

# Raw, malformed requests: an answer in 4xx/5xx, a closed connection, or
# (binary junk) silence until the connection timeout; never a crash.
"$py" - "$port" <<'PY' || fail "malformed requests"
import socket, sys
port = int(sys.argv[1])
for req in [b"GARBAGE\r\n\r\n", b"GET /feed.ics HTTP/9.9\r\n\r\n",
            b"GET feed.ics HTTP/1.1\r\nHost: x\r\n\r\n",
            b"GET /feed.ics HTTP/1.1\r\n" + b"X: y\r\n" * 5000 + b"\r\n",
            b"\x00\x01\x02\xff\r\n\r\n"]:
    s = socket.create_connection(("127.0.0.1", port), timeout=2)
    try:
        s.sendall(req)
        data = s.recv(200)
    except (ConnectionResetError, BrokenPipeError, TimeoutError):
        data = b""
    s.close()
    assert data == b"" or data.split(b" ")[1][:1] in (b"4", b"5"), (req[:30], data[:60])
PY
kill -0 "$kigend_pid" || fail "kigend died"
expect_code 200 alive /healthz

# Slow clients: 300 connections dribbling half a request do not keep
# others waiting.  The answer comes while they are still held: kigend drops
# an idle client after 15 s, so a server that served us only once they
# timed out would have dropped the newest of them too.
"$py" - "$port" "$base/feed.ics" <<'PY' || fail "slow clients starve others"
import socket, subprocess, sys
port, url = int(sys.argv[1]), sys.argv[2]
slow = []
for i in range(300):
    s = socket.create_connection(("127.0.0.1", port), timeout=60)
    s.sendall(b"GET /feed.ics HTTP/1.1\r\nHost: x\r\nX-Slow: ")
    slow.append(s)
code = subprocess.run(["curl", "-s", "-o", "/dev/null", "-m", "120", "-w", "%{http_code}", url],
                      capture_output=True, text=True).stdout
assert code == "200", code
newest = slow[-1]
newest.setblocking(False)
try:
    assert newest.recv(1, socket.MSG_PEEK) != b"", "the newest slow client was dropped"
except BlockingIOError:
    pass  # still open, nothing to read: held, as it should be
for s in slow:
    s.close()
PY

# Metrics: Prometheus text, the counters moved.
expect_code 200 metrics /metrics
has "$tmp/metrics.h" "Content-Type: text/plain; version=0.0.4"
"$py" - "$tmp/metrics" <<'PY' || fail "metrics"
import re, sys
text = open(sys.argv[1]).read()
samples = {}
for line in text.splitlines():
    if line.startswith("#"):
        assert re.match(r"# (HELP|TYPE) kigend_\w+ ", line), line
        continue
    m = re.match(r'^(kigend_\w+)(\{[^}]*\})? (\S+)$', line)
    assert m, line
    samples[m.group(1) + (m.group(2) or "")] = float(m.group(3))
assert samples['kigend_http_requests_total{route="feed",code="200"}'] >= 5
assert samples['kigend_http_requests_total{route="feed",code="304"}'] >= 4
assert samples['kigend_http_requests_total{route="other",code="404"}'] >= 1
assert samples["kigend_feed_renders_total"] >= 1
total = sum(v for k, v in samples.items() if k.startswith("kigend_milestones{"))
assert total >= 40, total
assert samples['kigend_milestones{status="done"}'] > 0
PY
stop_kigend

# IPv6 and several listen addresses: the same feed on each.
port6=$("$py" -c 'import socket; s=socket.socket(socket.AF_INET6); s.bind(("::1", 0)); print(s.getsockname()[1])')
start_kigend --listen "[::1]:$port6"
expect_code 200 v4 /feed.ics
code=$(curl -s -o "$tmp/v6" -w '%{http_code}' "http://[::1]:$port6/feed.ics")
[ "$code" = 200 ] || fail "IPv6: $code"
cmp -s "$tmp/v4" "$tmp/v6" || fail "IPv6 serves another feed"
stop_kigend
echo ok
