#!/bin/sh
# Webhook delivery benchmark: N reminders come due at once (N milestones due
# 2008-12-01, the 7-day reminder firing 2008-11-24 09:00 JST under a
# libfaketime clock) and kigend delivers them to a local receiver on
# loopback (nginx answering 204).  Measures, per N: the time from the fire
# time until the outbox is empty, deliveries per second, and kigend's peak
# RSS (VmHWM).  The peer, in the same run: wrk POSTing a body of the same
# size to the same nginx with the same concurrency: what the receiver and
# loopback allow at most.
#
#   bench/webhooks/run.sh [BUILD_DIR] [N...]     (default: build 10000 100000)
#
# Needs: nginx, wrk, python3's sqlite3, libfaketime (scripts/deps.sh bench).
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
B=${1:-build}
shift 2>/dev/null || :
case $B in /*) ;; *) B=$TOP/$B ;; esac
sizes=${*:-10000 100000}
conc=64
for tool in nginx wrk python3; do
	command -v $tool >/dev/null 2>&1 || { echo "bench: $tool missing" >&2; exit 1; }
done
fakelib=$(dpkg -L libfaketime 2>/dev/null | grep '/libfaketimeMT\.so\.1$' | head -n 1)
[ -f "$fakelib" ] || { echo "bench: libfaketime missing" >&2; exit 1; }

tmp=$(mktemp -d)
ngpid=""
dpid=""
cleanup() {
	[ -z "$dpid" ] || kill "$dpid" 2>/dev/null || :
	[ -z "$ngpid" ] || kill "$ngpid" 2>/dev/null || :
	wait 2>/dev/null || :
	rm -rf "$tmp"
}
trap cleanup EXIT
export TZ=Asia/Tokyo FAKETIME_DONT_FAKE_MONOTONIC=1

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$tmp/ng"
cat >"$tmp/ng/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $tmp/ng/nginx.pid;
error_log $tmp/ng/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $tmp/ng;
    keepalive_requests 1000000;
    server {
        listen 127.0.0.1:$port;
        location / { return 204; }
    }
}
EOF
nginx -p "$tmp/ng" -c "$tmp/ng/nginx.conf" &
ngpid=$!
sleep 0.5

secret="whsec_$(head -c 32 /dev/urandom | base64)"
cat >"$tmp/kigen.conf" <<EOF
[general]
timezone = Asia/Tokyo
log_level = warning
[http]
listen = 127.0.0.1:$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
[reminders]
lead = 7d
at = 09:00
catch_up = 1d
[webhook:bench]
url = http://127.0.0.1:$port/hooks/kigen
secret = $secret
concurrency = $conc
EOF

chmod 600 "$tmp/kigen.conf"
printf '%-8s %-10s %-12s %-14s %-12s %-10s %s\n' N seconds deliveries/s enqueued_by_s \
    rss_before_MB peak_MB growth_MB
for n in $sizes; do
	db="$tmp/kigen-$n.db"
	"$B/kigen" --db "$db" add seed --due 2000-01-01 >/dev/null
	python3 - "$db" "$n" <<'PY'
import sqlite3, sys
db, n = sys.argv[1], int(sys.argv[2])
day = 14214  # 2008-12-01
c = sqlite3.connect(db)
first = c.execute("SELECT coalesce(max(id), 0) + 1 FROM milestones").fetchone()[0]
c.executemany(
    "INSERT INTO milestones (id, due, uid, title, kind, status, certainty, window_start,"
    " window_end, precision, manual, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, 'exercise', 'planned', 'planned', ?, ?, 'day', 1, 0, 0)",
    ((first + i, day, f"bench-{i}@kigen", f"官民連携の演習 {i}", day, day)
     for i in range(n)))
c.commit()
PY
	fire=$(date -d '2008-11-24 09:00:00' +%s)
	offset=$(( $(date +%s) - fire + 8 ))
	LD_PRELOAD="$fakelib" FAKETIME="-$offset" "$B/kigend" --config "$tmp/kigen.conf" \
	    --db "$db" 2>"$tmp/kigend.log" &
	dpid=$!
	trap 'cat "$tmp/kigend.log" >&2; cleanup' EXIT
	# The fire is 8 s away: kigend loads (feeds included) before it; the peak
	# RSS then is the baseline.  Then poll the outbox until nothing is left.
	python3 - "$db" "$n" "$dpid" <<'PY'
import os, sqlite3, sys, time
db, n, pid = sys.argv[1], int(sys.argv[2]), sys.argv[3]
c = sqlite3.connect(db, timeout=30)
start = time.time() + 8
def hwm():
    return int([l.split()[1] for l in open(f"/proc/{pid}/status") if l.startswith("VmHWM")][0])
time.sleep(7.5)
base = hwm()
enqueued_at = None
while True:
    time.sleep(0.1)
    if not os.path.exists(f"/proc/{pid}"):
        sys.exit("bench: kigend exited")
    try:
        total, open_ = c.execute("SELECT count(*), count(*) FILTER (WHERE status IN"
                                 " ('pending', 'in_flight')) FROM outbox").fetchone()
    except sqlite3.OperationalError:
        continue
    if total >= n and enqueued_at is None:
        enqueued_at = time.time()
    if total >= n and open_ == 0:
        break
    if time.time() - start > 600:
        sys.exit(f"bench: timeout, {total} queued, {open_} open")
end = time.time()
peak = hwm()
secs = end - start
print(f"{n:<8} {secs:<10.2f} {n / secs:<12.0f} {enqueued_at - start:<14.2f}"
      f" {base / 1024:<12.1f} {peak / 1024:<10.1f} {(peak - base) / 1024:.1f}")
PY
	kill "$dpid"; wait "$dpid" 2>/dev/null || :
	dpid=""
	delivered=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"select count(*) from outbox where status='delivered'\").fetchone()[0])" "$db")
	[ "$delivered" -eq "$n" ] || { echo "bench: only $delivered of $n delivered" >&2; exit 1; }
done

# The peer: wrk, same receiver, same concurrency, a body of the same size.
body=$(python3 - "$tmp/kigen-$n.db" <<'PY'
import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("select body from outbox limit 1").fetchone()[0])
PY
)
cat >"$tmp/post.lua" <<EOF
wrk.method = "POST"
wrk.body = [==[$body]==]
wrk.headers["Content-Type"] = "application/json"
EOF
echo "peer: wrk -t2 -c$conc -d10s, POST of ${#body} bytes to the same nginx"
wrk -t2 -c$conc -d10s -s "$tmp/post.lua" "http://127.0.0.1:$port/hooks/kigen" | grep -E "Requests/sec|Latency"
