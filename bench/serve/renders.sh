#!/bin/sh
# bench/serve/renders.sh: renditions made on request under pressure, on a
# database of N milestones made by `kigen import` (issue 14, row 9).
#  1. 20 slow readers of filtered feeds (without gzip, reading 4 KiB a
#     second): kigend's RSS before, at its peak (VmHWM) and after; once
#     with one filter shared by all, once with 20 different filters.
#  2. 4 clients looping over filtered feeds and listings (40 different
#     parameter sets): /healthz latency, against the same probes with no
#     clients (the peer, same run).
#   bench/serve/renders.sh BUILD_DIR [N]
set -eu
: ${1:?usage: bench/serve/renders.sh BUILD_DIR [N]}
n=${2:-100000}
. "$(dirname "$0")/../lib.sh"
bench_init "$1"
pid=
"$py" "$top/tests/integration/genreport.py" "$n" >"$work/big.txt"
"$work/kigen" --db "$work/k.db" import "$work/big.txt" >/dev/null


echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| slow readers | RSS before MB | peak MB | after MB | answered | 503 |"
echo "|---|---:|---:|---:|---:|---:|"
for mode in shared distinct; do
	kigend_start
	"$py" - "$port" "$pid" "$mode" <<'PY'
import socket, sys, threading, time

port, pid, mode = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
def mb(field):
    for line in open("/proc/%d/status" % pid):
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
kinds = ["exercise", "meeting", "report", "survey", "publication"]
statuses = ["planned", "ongoing", "done"]
queries = []
for k in kinds:
    for s in statuses:
        queries.append("kind=%s&status=%s" % (k, s))
queries += ["kind=%s" % k for k in kinds]
before = mb("VmRSS")
codes = []
def reader(q):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect(("127.0.0.1", port))
    s.sendall(("GET /feed.ics?%s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
               % q).encode())
    head = s.recv(64)
    codes.append(head[9:12])
    while s.recv(4096):
        time.sleep(1)
    s.close()
threads = [threading.Thread(target=reader, daemon=True,
                            args=(queries[0] if mode == "shared" else queries[i],))
           for i in range(20)]
for t in threads:
    t.start()
time.sleep(30)
peak = mb("VmHWM")
for t in threads:
    t.join(0)
time.sleep(1)
print("| 20, %s | %.1f | %.1f | %.1f | %d | %d |" % (
    "one filter" if mode == "shared" else "20 different filters", before, peak, mb("VmRSS"),
    codes.count(b"200"), codes.count(b"503")))
PY
	kigend_stop
done

kigend_start
"$py" - "$port" <<'PY'
import statistics, subprocess, sys, threading, time, urllib.request, urllib.error

port = int(sys.argv[1])
base = "http://127.0.0.1:%d" % port
kinds = ["exercise", "meeting", "report", "survey", "publication"]
paths = []
for i, k in enumerate(kinds):
    for s in ["planned", "ongoing", "done", "cancelled"]:
        paths.append("/feed.ics?kind=%s&status=%s" % (k, s))
        paths.append("/api/v1/milestones?kind=%s&status=%s" % (k, s))
def probes(count=50):
    times = []
    for i in range(count):
        r = subprocess.run(["curl", "-s", "-o", "/dev/null", "-m", "60", "-w", "%{time_total}",
                            base + "/healthz"], capture_output=True, text=True)
        times.append(float(r.stdout) * 1000)
        time.sleep(0.1)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))], times[-1]
stop = threading.Event()
answered = {"200": 0, "503": 0}
def looper(k):
    i = k
    while not stop.is_set():
        try:
            with urllib.request.urlopen(base + paths[i % len(paths)], timeout=120) as r:
                r.read()
                answered["200"] += 1
        except urllib.error.HTTPError as e:
            answered[str(e.code)] = answered.get(str(e.code), 0) + 1
        i += 4
print()
print("| /healthz probes | median ms | p99 ms | max ms |")
print("|---|---:|---:|---:|")
print("| no other clients (peer) | %.1f | %.1f | %.1f |" % probes())
threads = [threading.Thread(target=looper, args=(k,), daemon=True) for k in range(4)]
for t in threads:
    t.start()
print("| 4 clients looping over 40 filtered feeds and listings | %.1f | %.1f | %.1f |" % probes())
stop.set()
print()
print("looping clients' answers: %r" % answered)
PY
kigend_stop
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
