#!/bin/sh
# bench/serve/floods.sh: how long /healthz takes while kigend is flooded
# (issue 14, row 1) — with no flood (the peer, same run), with 10,000 idle
# connections held (max_connections 11000), with 10,000 idle connections
# against the default limit (shed oldest first), and with 1,100 clients
# dripping one header line every 13 s (default head_timeout 10 s).
# Probes: PROBES curl requests of /healthz, each its own connection, 0.1 s
# apart (0.6 s with drippers, so that they span drips and head deadlines);
# median, p99 and max of curl's time_total.
#   bench/serve/floods.sh BUILD_DIR
set -eu
: ${1:?usage: bench/serve/floods.sh BUILD_DIR}
. "$(dirname "$0")/../lib.sh"
bench_init "$1"
pid=
probes=${PROBES:-50}
"$work/kigen" --db "$work/k.db" import "$top/data/secure-japan-2008-h1.txt" >/dev/null


# scenario NAME MODE ARGS...: the flood of MODE (none, idle N, drip N EVERY)
# held while the probes run; one table row.
scenario() {
	name=$1
	shift
	"$py" - "$port" "$probes" "$name" "$@" <<'PY'
import resource, socket, statistics, subprocess, sys, threading, time

port, probes, name, mode = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
socks = []
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
if mode == "idle":
    for i in range(int(sys.argv[5])):
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", port))
        socks.append(s)
    time.sleep(2)
elif mode == "drip":
    every = float(sys.argv[6])
    for i in range(int(sys.argv[5])):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"GET /feed.ics HTTP/1.1\r\nHost: localhost\r\n")
        socks.append(s)
    def drip():
        n = 0
        while True:
            time.sleep(every)
            for s in socks:
                try:
                    s.send(b"X-Drip: %d\r\n" % n)
                except OSError:
                    pass
            n += 1
    threading.Thread(target=drip, daemon=True).start()
    time.sleep(2)
times, failed = [], 0
gap = 0.6 if mode == "drip" else 0.1
for i in range(probes):
    r = subprocess.run(["curl", "-s", "-o", "/dev/null", "-m", "30", "-w", "%{http_code} %{time_total}",
                        "http://127.0.0.1:%d/healthz" % port], capture_output=True, text=True)
    code, t = r.stdout.split()
    if code != "200":
        failed += 1
    times.append(float(t) * 1000)
    time.sleep(gap)
times.sort()
p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
print("| %s | %d | %.1f | %.1f | %.1f | %d |" % (name, probes, statistics.median(times), p99,
                                                times[-1], failed))
PY
}

printf '[http]\nmax_connections = 11000\n' >"$work/hold.conf"
: >"$work/default.conf"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| flood | probes | median ms | p99 ms | max ms | failed |"
echo "|---|---:|---:|---:|---:|---:|"
kigend_start --config "$work/default.conf"
scenario "none (peer)" none
kigend_stop
kigend_start --config "$work/hold.conf"
scenario "10,000 idle connections, held" idle 10000
kigend_stop
kigend_start --config "$work/default.conf"
scenario "10,000 idle connections, limit 4,096" idle 10000
kigend_stop
kigend_start --config "$work/default.conf"
scenario "1,100 drippers, a line every 13 s" drip 1100 13
kigend_stop
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
