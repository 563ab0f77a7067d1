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
import json, os, socket, subprocess, sys, threading, time

kigend, db, port, conf, log, kigen, report, here = sys.argv[1:9]
sys.path.insert(0, here)
from threadctl import FUTEX, POLL, PPOLL, Kigend, until

# systemd's side of sd_notify, read all along (as systemd does: a full
# socket would block the sender): when each WATCHDOG=1 arrived.
notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
notify.bind(os.path.join(os.path.dirname(log), "notify.sock"))
notify.settimeout(0.1)
pings = []
def receive():
    while notify.fileno() >= 0:
        try:
            msg = notify.recv(4096).decode()
        except socket.timeout:
            continue
        except OSError:
            return
        if "WATCHDOG=1" in msg.split("\n"):
            pings.append(time.monotonic())
threading.Thread(target=receive, daemon=True).start()

def health():
    code, headers, body = k.get("/healthz")
    return code, json.loads(body) if body.startswith(b"{") else body

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
    assert health()[0] == 200, health()
    assert feed() == (old_etag, old_events), "the old feed is not served meanwhile"
    k.thaw(publisher)
    new_etag, new_events = until("the new feed swapped in",
                                 lambda: (lambda f: f if f[0] != old_etag else None)(feed()))
    assert new_events == old_events + 3000, (old_events, new_events)

    # ---- the loop frozen: /healthz fails, watchdog pings stop ----
    until("watchdog pings", lambda: pings)
    loop = k.proc.pid  # the loop's thread is the main thread
    k.freeze(loop, (POLL, PPOLL))
    frozen = time.monotonic() + 0.2  # (a ping may still be on its way)
    code, j = until("healthz 503 while the loop is stuck",
                    lambda: (lambda h: h if h[0] == 503 else None)(health()))
    assert j["status"] == "stalled" and j["loop_silent_ms"] >= 2000, j
    # The HTTP threads still serve the feed.
    feed()
    time.sleep(1)
    late = [t for t in pings if t > frozen]
    assert not late, "watchdog pings while the loop was stuck: %d" % len(late)
    k.thaw(loop)
    thawed = time.monotonic()
    until("healthz ok again", lambda: health()[0] == 200)
    until("watchdog pings again", lambda: any(t > thawed for t in pings))
    assert k.stop() == 0, "kigend exited with %d" % k.proc.returncode
finally:
    k.stop()
print("ok: 503 while stuck, pings stopped, both back")
PY
echo ok
