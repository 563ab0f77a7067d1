# threadctl.py — for tests that hold one of kigend's threads still while
# the others go on (imported by 037 and 038; not a test itself).
#
#   k = Kigend(kigend, db, port, conf, log, env)   starts kigend as a child:
#       a tracer that is the parent may trace under any ptrace policy
#       (Yama's ptrace_scope 1 included)
#   k.thread("kg-publish")     the thread id of the thread of that name
#   k.freeze(tid, calls)       stops that thread alone, caught while it sleeps
#                              in one of the system calls `calls` (frozen
#                              anywhere, it may hold a lock others need)
#   k.thaw(tid)                lets it go on
#   k.get(path, headers)       (status, headers, body); status 0: no answer
#   k.stop()                   thaws everything, SIGTERM, waits; the exit code
#   until(what, cond, limit)   polls cond until it is true; fails the test
#                              with `what` after limit seconds
import ctypes
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

FUTEX, POLL, PPOLL = 202, 7, 271  # x86_64 system call numbers
_PTRACE_DETACH, _PTRACE_SEIZE, _PTRACE_INTERRUPT, _WALL = 17, 0x4206, 0x4207, 0x40000000
_libc = ctypes.CDLL(None, use_errno=True)
_libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]


def until(what, cond, limit=120):
    end = time.monotonic() + limit
    while True:
        v = cond()
        if v:
            return v
        if time.monotonic() > end:
            sys.exit("FAIL: %s (waited %d s)" % (what, limit))
        time.sleep(0.1)


class Kigend:
    def __init__(self, kigend, db, port, conf, log, env=None):
        self.base = "http://127.0.0.1:%s" % port
        self.frozen = []
        with open(log, "ab") as out:
            self.proc = subprocess.Popen(
                [kigend, "--db", db, "--listen", "127.0.0.1:%s" % port, "--config", conf,
                 "--log-level", "debug"], stdout=out, stderr=out, env=env)
        self.tasks = "/proc/%d/task" % self.proc.pid
        until("kigend answers", lambda: self.get("/healthz")[0] == 200)

    def get(self, path, headers=None):
        req = urllib.request.Request(self.base + path, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=120) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()
        except OSError:
            return 0, {}, b""

    def thread(self, name):
        tids = [int(t) for t in os.listdir(self.tasks)
                if open("%s/%s/comm" % (self.tasks, t)).read().strip() == name]
        assert len(tids) == 1, "threads named %s: %r" % (name, tids)
        return tids[0]

    def _in(self, tid, calls):
        try:
            return int(open("%s/%d/syscall" % (self.tasks, tid)).read().split()[0]) in calls
        except (OSError, ValueError, IndexError):
            return False

    def freeze(self, tid, calls):
        self.frozen.append(tid)
        for attempt in range(1000):
            until("thread %d idle" % tid, lambda: self._in(tid, calls))
            if _libc.ptrace(_PTRACE_SEIZE, tid, None, None) != 0 or \
               _libc.ptrace(_PTRACE_INTERRUPT, tid, None, None) != 0:
                sys.exit("FAIL: ptrace: %s" % os.strerror(ctypes.get_errno()))
            os.waitpid(tid, _WALL)
            if self._in(tid, calls):
                return
            _libc.ptrace(_PTRACE_DETACH, tid, None, None)
            time.sleep(0.05)
        sys.exit("FAIL: thread %d never caught idle" % tid)

    def thaw(self, tid):
        _libc.ptrace(_PTRACE_DETACH, tid, None, None)
        self.frozen.remove(tid)

    def stop(self):
        for tid in self.frozen:
            _libc.ptrace(_PTRACE_DETACH, tid, None, None)
        self.frozen = []
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                raise
        return self.proc.returncode
