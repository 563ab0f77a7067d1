#!/bin/sh
# The loop never stalls on a publication, and never stalls unseen (issue
# 14, row 2).  With the publisher thread frozen (ptrace, that thread only)
# while an import lands, the loop goes on: `kigen status` answers, /healthz
# is ok, the old feed is served; thawed, the new feed is swapped in.  When
# the loop's own thread is frozen, /healthz answers 503 "stalled" within
# [http] stall_limit and systemd's watchdog pings stop; both come back when
# the loop does.
. "$TOP/tests/integration/lib-daemon.sh"

expect_rc 0 "$KIGEN" --db "$db" import "$TOP/data/secure-japan-2008-h1.txt"
printf '[http]\nstall_limit = 2s\n' >"$tmp/stall.conf"
port=$(free_port)

"$py" "$TOP/tests/integration/genreport.py" 3000 >"$tmp/big.txt"
"$py" - "$KIGEND" "$db" "$port" "$tmp/stall.conf" "$tmp/kigend.log" "$KIGEN" "$tmp/big.txt" \
	"$TOP/tests/integration" <<'PY' || fail "stall"
import json, os, socket, struct, subprocess, sys, threading, time

kigend, db, port, conf, log, kigen, report, here = sys.argv[1:9]
sys.path.insert(0, here)
from threadctl import FUTEX, POLL, PPOLL, Kigend, until

# systemd's side of sd_notify, read all along (as systemd does: a full
# socket would block the sender).  Each WATCHDOG=1 is kept with the time
# the kernel queued it (SO_TIMESTAMPNS, taken in the sender's system call),
# so when the python thread reads it does not matter, however loaded the
# machine.  read_all() returns once every datagram sent before it was read:
# it sends a marker of its own and waits for the thread to see it (a
# datagram socket keeps the order).
SO_TIMESTAMPNS = 35  # x86_64, as threadctl's system call numbers
notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
notify.bind(os.path.join(os.path.dirname(log), "notify.sock"))
notify.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
notify.settimeout(0.1)
pings, marks = [], set()
def receive():
    while notify.fileno() >= 0:
        try:
            msg, anc, _, _ = notify.recvmsg(4096, socket.CMSG_SPACE(16))
        except socket.timeout:
            continue
        except OSError:
            return
        lines = msg.decode().split("\n")
        if lines[0].startswith("MARK="):
            marks.add(lines[0])
        elif "WATCHDOG=1" in lines:
            sec, nsec = [struct.unpack("qq", d) for _, t, d in anc if t == SO_TIMESTAMPNS][0]
            pings.append(sec + nsec / 1e9)
threading.Thread(target=receive, daemon=True).start()

def read_all(tag):
    mark = "MARK=" + tag
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as s:
        s.sendto(mark.encode(), notify.getsockname())
    until("the notifications read up to " + tag, lambda: mark in marks)
    return list(pings)

def health():
    """(status, the JSON answer or None): status 0 when nothing answered, None
    for a body that is not JSON (the plain-text 503 of a server with no data
    yet).  Conditions on it wait for the answer they need."""
    code, headers, body = k.get("/healthz")
    try:
        j = json.loads(body)
    except ValueError:
        j = None
    return code, j if isinstance(j, dict) else None

def feed():
    code, headers, body = k.get("/feed.ics")
    assert code == 200, code
    return headers["ETag"], body.count(b"BEGIN:VEVENT")

k = Kigend(kigend, db, port, conf, log,
           dict(os.environ, NOTIFY_SOCKET=notify.getsockname(), WATCHDOG_USEC="400000"))
try:
    # ---- the publisher frozen: the loop and the old feed go on ----
    publisher = k.thread("kg-publish")
    old_etag, old_events = feed()
    k.freeze(publisher, (FUTEX,))  # waiting for a request
    subprocess.run([kigen, "--db", db, "import", report], check=True,
                   stdout=subprocess.DEVNULL, timeout=240)
    until("the loop asks for a publication",
          lambda: open(log, "rb").read().count(b"publication asked for") >= 2)
    for i in range(3):
        t = time.monotonic()
        st = subprocess.run([kigen, "--db", db, "status"], capture_output=True, text=True,
                            timeout=60)
        assert st.returncode == 0, st.stderr
        print("kigen status during the publication: %.3f s" % (time.monotonic() - t))
    code, j = until("healthz to answer", lambda: (lambda h: h if h[1] else None)(health()))
    assert code == 200 and j["status"] == "ok", (code, j)
    assert feed() == (old_etag, old_events), "the old feed is not served meanwhile"
    k.thaw(publisher)
    new_etag, new_events = until("the new feed swapped in",
                                 lambda: (lambda f: f if f[0] != old_etag else None)(feed()))
    assert new_events == old_events + 3000, (old_events, new_events)

    # ---- the loop frozen: /healthz fails, watchdog pings stop ----
    until("watchdog pings", lambda: pings)
    loop = k.proc.pid  # the loop's thread is the main thread
    k.freeze(loop, (POLL, PPOLL))
    frozen = time.time()  # stopped: no ping of it is queued after this
    code, j = until("healthz 503 stalled while the loop is stuck",
                    lambda: (lambda h: h if h[0] == 503 and h[1] else None)(health()))
    assert j["status"] == "stalled" and j["loop_silent_ms"] >= 2000, j
    # The HTTP threads still serve the feed.
    feed()
    # Watch for pings while the loop stays silent 1 s more (kigend's clock).
    until("the loop silent 1 s more",
          lambda: (health()[1] or {}).get("loop_silent_ms", 0) >= j["loop_silent_ms"] + 1000)
    late = [t for t in read_all("stuck") if t > frozen]
    assert not late, "watchdog pings while the loop was stuck: %d" % len(late)
    thawed = time.time()
    k.thaw(loop)
    until("healthz ok again", lambda: health()[0] == 200)
    until("watchdog pings again", lambda: any(t > thawed for t in read_all("thawed")))
    assert k.stop() == 0, "kigend exited with %d" % k.proc.returncode
finally:
    k.stop()
print("ok: 503 while stuck, pings stopped, both back")
PY
echo ok
