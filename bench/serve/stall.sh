#!/bin/sh
# bench/serve/stall.sh: how long `kigen status` (the control socket,
# answered by kigend's loop) waits while a 100,000-milestone report is
# imported into the served database and published (issue 14, row 2).
# The peer, same run: the same probes with nothing happening.  Also the
# publication's own times (kigend_feed_render_seconds).
#   bench/serve/stall.sh BUILD_DIR [N]
set -eu
: ${1:?usage: bench/serve/stall.sh BUILD_DIR [N]}
n=${2:-100000}
. "$(dirname "$0")/../lib.sh"
bench_init "$1"
pid=
"$py" "$top/tests/integration/genreport.py" "$n" >"$work/big.txt"
"$work/kigen" --db "$work/k.db" import "$top/data/secure-japan-2008-h1.txt" >/dev/null
kigend_start

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$py" - "$work" "$port" "$n" <<'PY'
import json, statistics, subprocess, sys, threading, time, urllib.request

work, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
kigen = work + "/kigen"

def status_ms():
    t = time.monotonic()
    subprocess.run([kigen, "--db", work + "/k.db", "status"], check=True,
                   stdout=subprocess.DEVNULL)
    return (time.monotonic() - t) * 1000

def health():
    with urllib.request.urlopen("http://127.0.0.1:%d/healthz" % port, timeout=60) as r:
        return json.load(r)

def row(name, times):
    times.sort()
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    print("| %s | %d | %.1f | %.1f | %.1f |" % (name, len(times), statistics.median(times), p99,
                                              times[-1]))

quiet = []
for i in range(50):
    quiet.append(status_ms())
    time.sleep(0.1)
busy, done = [], threading.Event()
def importer():
    subprocess.run([kigen, "--db", work + "/k.db", "import", work + "/big.txt"], check=True,
                   stdout=subprocess.DEVNULL)
    done.set()
t0 = time.monotonic()
threading.Thread(target=importer).start()
while not done.is_set() or health()["milestones"] < n:
    busy.append(status_ms())
    time.sleep(0.1)
took = time.monotonic() - t0
print()
print("| probes of `kigen status` | count | median ms | p99 ms | max ms |")
print("|---|---:|---:|---:|---:|")
row("nothing happening (peer)", quiet)
row("during the import of %d milestones and its publication" % n, busy)
print()
print("import and publication: %.1f s" % took)
m = urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=60).read().decode()
for line in m.splitlines():
    if line.startswith("kigend_feed_render"):
        print("  " + line)
PY
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
