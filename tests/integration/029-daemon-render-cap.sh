#!/bin/sh
# Renditions made on request (issue 14, row 9): feeds with query filters
# (and API listings) are rendered on a render thread, once per view and
# canonical set of parameters, and shared by every request that asks for
# it; beyond [http] render_threads + render_queue renders, or while
# renditions hold more than [http] render_memory, a request gets 503 with
# Retry-After — and the daemon goes on answering everything else.  The
# render thread is frozen (ptrace, that thread only) to hold renders in
# flight; memory is held by slow readers.  Latency and RSS goals: bench/.
. "$TOP/tests/integration/lib-daemon.sh"

"$py" "$TOP/tests/integration/genreport.py" 5000 >"$tmp/big.txt"
expect_rc 0 "$KIGEN" --db "$db" import "$tmp/big.txt"
# The slow readers stay silent for as long as the test takes on a loaded
# machine: no idle timeout may close them (and free what they hold) first.
cat >"$tmp/cap.conf" <<CONF
[http]
render_threads = 1
render_queue = 1
render_memory = 1M
idle_timeout = 1h
CONF
port=$(free_port)

"$py" - "$KIGEND" "$db" "$port" "$tmp/cap.conf" "$tmp/kigend.log" \
	"$TOP/tests/integration" "$KIGEN" <<'PY' || fail "render cap"
import json, os, re, socket, subprocess, sys, threading

kigend, db, port, conf, log, here, kigen = sys.argv[1:8]
sys.path.insert(0, here)
from threadctl import FUTEX, Kigend, until

def renders():
    text = k.get("/metrics")[2].decode()
    return int(re.search(r"^kigend_feed_request_renders_total (\d+)$", text, re.M).group(1))

# Each request on its own thread: a suspended request does not answer yet.
class Call(threading.Thread):
    def __init__(self, path):
        super().__init__(daemon=True)
        self.path, self.result = path, None
        self.start()
    def run(self):
        self.result = k.get(self.path)

k = Kigend(kigend, db, port, conf, log)
try:
    render = k.thread("kg-render")
    k.freeze(render, (FUTEX,))  # while it waits for work
    a1 = Call("/feed.ics?kind=exercise")
    a2 = Call("/feed.ics?kind=exercise&kind=exercise")     # the same, canonically
    b = Call("/api/v1/milestones?owner=%E5%86%85%E9%96%A3%E5%AE%98%E6%88%BF")
    until("two renders asked for", lambda: renders() == 2)
    # A third: one thread (frozen) and one queue slot are taken.
    code, headers, body = k.get("/feed.ics?kind=meeting")
    assert code == 503 and headers.get("Retry-After") == "5", (code, headers, body)
    # Everything else goes on.
    assert k.get("/healthz")[0] == 200
    assert k.get("/feed.ics")[0] == 200
    assert a1.result is None and a2.result is None and b.result is None, "answered early"

    k.thaw(render)
    for c in (a1, a2, b):
        c.join(120)
        assert c.result is not None and c.result[0] == 200, (c.path, c.result)
    assert a1.result[2] == a2.result[2], "one rendition, the same body"
    assert json.loads(b.result[2])["milestones"], "empty listing"
    # Asked again: served from the cache, conditional like any feed.
    etag = a1.result[1]["ETag"]
    assert k.get("/feed.ics?kind=exercise")[0] == 200 and renders() == 2
    assert k.get("/feed.ics?kind=exercise", {"If-None-Match": etag})[0] == 304

    # The rendition is the same feed kigen would filter.
    tmp = os.path.dirname(log)
    open(os.path.join(tmp, "ex.ics"), "wb").write(a1.result[2])
    listed = subprocess.run([kigen, "--db", db, "--json", "list", "--kind", "exercise"],
                            capture_output=True, check=True).stdout
    open(os.path.join(tmp, "ex.json"), "wb").write(listed)
    subprocess.run(["/usr/bin/python3", os.path.join(here, "feedcheck.py"),
                    os.path.join(tmp, "ex.ics"), os.path.join(tmp, "ex.json")], check=True,
                   stdout=subprocess.DEVNULL)

    # Memory: slow readers (identity: each inflates a big feed's gzip as it
    # is read) hold renditions; once they hold render_memory, a new render
    # is refused, while the published feeds and the rest are still served.
    readers, refused = [], None
    for q in ["status=planned", "status=planned&status=ongoing", "status=planned&status=done",
              "owner=%E5%86%85%E9%96%A3%E5%AE%98%E6%88%BF", "owner=%E7%B7%8F%E5%8B%99%E7%9C%81",
              "kind=exercise&kind=meeting&kind=report", "kind=meeting&kind=report&kind=survey",
              "kind=exercise&kind=survey&kind=publication",
              "status=ongoing&status=planned&kind=survey&kind=meeting&kind=report"]:
        code, headers, body = k.get("/feed.ics?" + q, {"Accept-Encoding": "gzip"})
        if code == 503:
            refused = body
            break
        assert code == 200, (q, code, body)
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.connect(("127.0.0.1", int(port)))
        s.sendall(("GET /feed.ics?%s HTTP/1.1\r\nHost: localhost\r\n\r\n" % q).encode())
        assert s.recv(12).startswith(b"HTTP/1.1 200"), q
        readers.append(s)
    assert refused is not None and b"render_memory" in refused, \
        "never refused: %d readers" % len(readers)
    assert k.get("/healthz")[0] == 200
    assert k.get("/feed.ics")[0] == 200
    for s in readers:
        s.close()
    assert k.stop() == 0, "kigend exited with %d" % k.proc.returncode
    print("ok: shared renders, 503 beyond the queue, 503 beyond render_memory (%d readers)"
          % len(readers))
finally:
    k.stop()
PY
echo ok
