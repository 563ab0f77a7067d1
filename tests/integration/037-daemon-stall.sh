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

# Python starts kigend itself: a tracer that is the parent may trace under
# any ptrace policy (Yama's ptrace_scope 1 included).
"$py" "$TOP/tests/integration/genreport.py" 3000 >"$tmp/big.txt"
"$py" - "$KIGEND" "$db" "$port" "$tmp/stall.conf" "$tmp/kigend.log" "$KIGEN" "$tmp/big.txt" \
	<<'PY' || fail "stall"
import ctypes, json, os, socket, subprocess, sys, threading, time, urllib.request, urllib.error

kigend, db, port, conf, log, kigen, report = sys.argv[1:8]
base = "http://127.0.0.1:%s" % port
libc = ctypes.CDLL(None, use_errno=True)
libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
PTRACE_DETACH, PTRACE_SEIZE, PTRACE_INTERRUPT, WALL = 17, 0x4206, 0x4207, 0x40000000

def health():
    try:
        with urllib.request.urlopen(base + "/healthz", timeout=30) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        body = e.read()
        return e.code, json.loads(body) if body.startswith(b"{") else body
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

frozen_tids = []
env = dict(os.environ, NOTIFY_SOCKET=notify.getsockname(), WATCHDOG_USEC="400000")
with open(log, "ab") as out:
    k = subprocess.Popen([kigend, "--db", db, "--listen", "127.0.0.1:" + port, "--config",
                          conf, "--log-level", "debug"], stdout=out, stderr=out, env=env)
try:
    until("kigend healthy", lambda: health()[0] == 200)

    # ---- the publisher frozen: the loop and the old feed go on ----
    def feed():
        with urllib.request.urlopen(base + "/feed.ics", timeout=30) as r:
            return r.headers["ETag"], r.read().count(b"BEGIN:VEVENT")
    # Frozen anywhere, a thread may hold a lock others need (malloc's):
    # freeze it only while it sleeps in one of its idle system calls.
    def in_syscall(tid, calls):
        try:
            return int(open("/proc/%d/task/%d/syscall" % (k.pid, tid)).read().split()[0]) in calls
        except (OSError, ValueError, IndexError):
            return False
    def freeze(tid, calls):
        frozen_tids.append(tid)
        for attempt in range(1000):
            until("thread %d idle" % tid, lambda: in_syscall(tid, calls))
            if libc.ptrace(PTRACE_SEIZE, tid, None, None) != 0 or \
               libc.ptrace(PTRACE_INTERRUPT, tid, None, None) != 0:
                sys.exit("FAIL: ptrace: %s" % os.strerror(ctypes.get_errno()))
            os.waitpid(tid, WALL)
            if in_syscall(tid, calls):
                return
            libc.ptrace(PTRACE_DETACH, tid, None, None)
            time.sleep(0.05)
        sys.exit("FAIL: thread %d never caught idle" % tid)
    FUTEX, POLL, PPOLL = 202, 7, 271  # x86_64
    tasks = "/proc/%d/task" % k.pid
    publisher = [int(t) for t in os.listdir(tasks)
                 if open("%s/%s/comm" % (tasks, t)).read().strip() == "kg-publish"]
    assert len(publisher) == 1, "no publisher thread: %r" % publisher
    old_etag, old_events = feed()
    freeze(publisher[0], (FUTEX,))  # waiting for a request
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
    libc.ptrace(PTRACE_DETACH, publisher[0], None, None)
    new_etag, new_events = until("the new feed swapped in",
                                 lambda: (lambda f: f if f[0] != old_etag else None)(feed()))
    assert new_events == old_events + 3000, (old_events, new_events)

    # ---- the loop frozen: /healthz fails, watchdog pings stop ----
    until("watchdog pings", lambda: pings)
    freeze(k.pid, (POLL, PPOLL))  # the loop's thread is the main thread
    frozen = time.monotonic() + 0.2  # (a ping may still be on its way)
    code, j = until("healthz 503 while the loop is stuck",
                    lambda: (lambda h: h if h[0] == 503 else None)(health()))
    assert j["status"] == "stalled" and j["loop_silent_ms"] >= 2000, j
    # The HTTP threads still serve the feed.
    with urllib.request.urlopen(base + "/feed.ics", timeout=30) as r:
        assert r.status == 200 and b"BEGIN:VCALENDAR" in r.read()
    time.sleep(1)
    late = [t for t in pings if t > frozen]
    assert not late, "watchdog pings while the loop was stuck: %d" % len(late)
    libc.ptrace(PTRACE_DETACH, k.pid, None, None)
    thawed = time.monotonic()
    until("healthz ok again", lambda: health()[0] == 200)
    until("watchdog pings again", lambda: any(t > thawed for t in pings))
finally:
    for tid in frozen_tids + [k.pid]:
        libc.ptrace(PTRACE_DETACH, tid, None, None)  # (fails when not attached)
    k.terminate()
    try:
        k.wait(timeout=60)
    except subprocess.TimeoutExpired:
        k.kill()
        raise
print("ok: 503 while stuck, pings stopped, both back")
PY
echo ok
