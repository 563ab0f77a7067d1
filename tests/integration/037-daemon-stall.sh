#!/bin/sh
# The loop never stalls unseen (issue 14, row 2): when kigend's main loop
# stops (here: its thread alone frozen with ptrace, the HTTP threads
# running on), /healthz answers 503 "stalled" within [http] stall_limit and
# systemd's watchdog pings stop; both come back when the loop does.
. "$TOP/tests/integration/lib-daemon.sh"

expect_rc 0 "$KIGEN" --db "$db" import "$TOP/data/secure-japan-2008-h1.txt"
printf '[http]\nstall_limit = 2s\n' >"$tmp/stall.conf"
port=$(free_port)

# Python starts kigend itself: a tracer that is the parent may trace under
# any ptrace policy (Yama's ptrace_scope 1 included).
"$py" - "$KIGEND" "$db" "$port" "$tmp/stall.conf" "$tmp/kigend.log" <<'PY' || fail "stall"
import ctypes, json, os, socket, subprocess, sys, time, urllib.request, urllib.error

kigend, db, port, conf, log = sys.argv[1:6]
base = "http://127.0.0.1:%s" % port
libc = ctypes.CDLL(None, use_errno=True)
libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
PTRACE_DETACH, PTRACE_SEIZE, PTRACE_INTERRUPT, WALL = 17, 0x4206, 0x4207, 0x40000000

def health():
    try:
        with urllib.request.urlopen(base + "/healthz", timeout=30) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)
    except OSError:
        return 0, None

def until(what, cond, limit=60):
    end = time.monotonic() + limit
    while True:
        v = cond()
        if v:
            return v
        if time.monotonic() > end:
            sys.exit("FAIL: %s (waited %d s)" % (what, limit))
        time.sleep(0.1)

notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
notify.bind(os.path.join(os.path.dirname(log), "notify.sock"))
notify.setblocking(False)
pings = []
def drain():
    while True:
        try:
            msg = notify.recv(4096).decode()
        except BlockingIOError:
            return
        if "WATCHDOG=1" in msg.split("\n"):
            pings.append(time.monotonic())

env = dict(os.environ, NOTIFY_SOCKET=notify.getsockname(), WATCHDOG_USEC="400000")
with open(log, "ab") as out:
    k = subprocess.Popen([kigend, "--db", db, "--listen", "127.0.0.1:" + port, "--config",
                          conf, "--log-level", "debug"], stdout=out, stderr=out, env=env)
try:
    until("kigend healthy", lambda: health() == (200, health()[1]) and health()[1]["status"] == "ok")
    until("watchdog pings", lambda: drain() or pings)
    # Freeze the loop's thread (the main thread) only.
    if libc.ptrace(PTRACE_SEIZE, k.pid, None, None) != 0 or \
       libc.ptrace(PTRACE_INTERRUPT, k.pid, None, None) != 0:
        sys.exit("FAIL: ptrace: %s" % os.strerror(ctypes.get_errno()))
    os.waitpid(k.pid, WALL)
    drain()  # what was sent before the freeze
    frozen = time.monotonic()
    code, j = until("healthz 503 while the loop is stuck",
                    lambda: (lambda h: h if h[0] == 503 else None)(health()))
    assert j["status"] == "stalled" and j["loop_silent_ms"] >= 2000, j
    # The HTTP threads still serve the feed.
    with urllib.request.urlopen(base + "/feed.ics", timeout=30) as r:
        assert r.status == 200 and b"BEGIN:VCALENDAR" in r.read()
    time.sleep(1)
    drain()
    late = [t for t in pings if t > frozen]
    assert not late, "watchdog pings while the loop was stuck: %d" % len(late)
    libc.ptrace(PTRACE_DETACH, k.pid, None, None)
    thawed = time.monotonic()
    until("healthz ok again", lambda: health()[0] == 200)
    def pinged_again():
        drain()
        return any(t > thawed for t in pings)
    until("watchdog pings again", pinged_again)
finally:
    libc.ptrace(PTRACE_DETACH, k.pid, None, None)  # (fails when not attached)
    k.terminate()
    try:
        k.wait(timeout=60)
    except subprocess.TimeoutExpired:
        k.kill()
        raise
print("ok: 503 while stuck, pings stopped, both back")
PY
echo ok
