#!/bin/sh
# Connection floods (issue 14, row 1): /healthz still answers with 10,000
# idle connections open (held, when max_connections allows them; shed
# oldest first, when it does not), and request heads have an absolute
# deadline: clients that drip a header line more often than any
# inactivity timeout are closed after [http] head_timeout all the same.
# Latency goals are measured in bench/ (bench/serve/floods.sh); here the
# daemon only has to answer, within generous bounds.
. "$TOP/tests/integration/lib-daemon.sh"

expect_rc 0 "$KIGEN" --db "$db" import "$TOP/data/secure-japan-2008-h1.txt"

# flood.py MODE PORT...: the clients, as one Python process (below).
cat >"$tmp/flood.py" <<'PY'
import re, resource, socket, subprocess, sys, time

mode, port = sys.argv[1], int(sys.argv[2])
base = "http://127.0.0.1:%d" % port

def fds(n):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < n:
        sys.exit("FAIL: the open-files hard limit is %d; this test needs %d" % (hard, n))
    if soft != resource.RLIM_INFINITY and soft < n:
        resource.setrlimit(resource.RLIMIT_NOFILE, (n, hard))

def curl(path, limit=60):
    t = time.monotonic()
    r = subprocess.run(["curl", "-s", "-o", "/dev/null", "-m", str(limit), "-w", "%{http_code}",
                        base + path], capture_output=True, text=True)
    return r.stdout, time.monotonic() - t

def metric(name):
    r = subprocess.run(["curl", "-s", "-m", "60", base + "/metrics"], capture_output=True, text=True)
    m = re.search(r"^%s (\d+)$" % re.escape(name), r.stdout, re.M)
    return int(m.group(1)) if m else -1

def until(what, cond, limit=120):
    end = time.monotonic() + limit
    while not cond():
        if time.monotonic() > end:
            sys.exit("FAIL: %s (waited %d s)" % (what, limit))
        time.sleep(0.2)

def closed_by_server(s):
    try:
        return s.recv(1) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True

def idle(n, hold):
    fds(n + 200)
    socks = []
    for i in range(n):
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", port))
        socks.append(s)
    if hold:
        until("kigend holds %d connections" % n,
              lambda: metric("kigend_http_connections") >= n)
    code, took = curl("/healthz")
    assert code == "200", "/healthz with %d idle connections: %r" % (n, code)
    print("healthz with %d idle connections: %s in %.3f s" % (n, code, took))
    # Idle means no head: every one is closed by the deadline, or was
    # closed to make room.
    until("every idle connection closed by kigend",
          lambda: all(closed_by_server(s) for s in socks))
    for s in socks:
        s.close()

def drip(n, every):
    fds(n + 200)
    socks = [socket.create_connection(("127.0.0.1", port), timeout=30) for i in range(n)]
    for s in socks:
        s.sendall(b"GET /feed.ics HTTP/1.1\r\nHost: localhost\r\n")
        s.setblocking(False)
    # A drip every `every` s of the clock, however long /healthz takes to
    # answer in between on a loaded machine.
    start, drips = time.monotonic(), 0
    while not all(closed_by_server(s) for s in socks):
        time.sleep(max(0, start + (drips + 1) * every - time.monotonic()))
        for s in socks:
            try:
                s.send(b"X-Drip: %d\r\n" % drips)
            except OSError:
                pass
        drips += 1
        code, took = curl("/healthz")
        assert code == "200", "/healthz with %d drippers: %r" % (n, code)
        assert time.monotonic() - start < 120, "drippers still open after 120 s"
    print("%d drippers closed after %d drips (%.1f s)" % (n, drips, time.monotonic() - start))
    assert drips >= 2, "closed before they could drip twice: %d" % drips
    for s in socks:
        s.close()

if mode == "idle":
    idle(int(sys.argv[3]), sys.argv[4] == "hold")
else:
    drip(int(sys.argv[3]), float(sys.argv[4]))
PY

# closed_at_least REASON N: /metrics counts at least N connections closed
# for REASON.
closed_at_least() {
	expect_code 200 metrics /metrics
	n=$(sed -n "s/^kigend_http_connections_closed_total{reason=\"$1\"} //p" "$tmp/metrics")
	[ "${n:-0}" -ge "$2" ] || fail "connections closed for $1: ${n:-none}, want $2 or more"
}

# 10,000 idle connections held (max_connections allows them), closed by
# the head deadline.
cat >"$tmp/hold.conf" <<CONF
[http]
max_connections = 11000
head_timeout = 5s
CONF
start_kigend --config "$tmp/hold.conf"
"$py" "$tmp/flood.py" idle "$port" 10000 hold || fail "10,000 idle connections held"
hasnt "$tmp/kigend.log" "max_connections lowered"
closed_at_least head_timeout 10000
stop_kigend

# 10,000 idle connections against the default limit (4,096): the oldest
# waiting ones make room, so /healthz gets in.
: >"$tmp/default.conf"
start_kigend --config "$tmp/default.conf"
"$py" "$tmp/flood.py" idle "$port" 10000 shed || fail "10,000 idle connections shed"
closed_at_least evicted 1000
stop_kigend

# 1,100 drippers sending a header line every half second, far more often
# than the inactivity timeout (60 s): closed by the absolute head deadline
# (3 s).
cat >"$tmp/drip.conf" <<CONF
[http]
head_timeout = 3s
idle_timeout = 60s
CONF
start_kigend --config "$tmp/drip.conf"
"$py" "$tmp/flood.py" drip "$port" 1100 0.5 || fail "drippers"
closed_at_least head_timeout 1100
expect_code 200 after /feed.ics
stop_kigend

# The limits are configuration, checked like any key.
printf '[http]\nhead_timeout = 0s\n' >"$tmp/bad.conf"
expect_rc 1 "$KIGEND" --check-config --config "$tmp/bad.conf"
has "$tmp/err" "bad.conf:2: invalid head_timeout '0s'"
printf '[http]\nmax_connections = 3\n' >"$tmp/bad.conf"
expect_rc 1 "$KIGEND" --check-config --config "$tmp/bad.conf"
has "$tmp/err" "bad.conf:2: invalid max_connections '3'"
echo ok
