#!/bin/sh
# bench/feed: wrk against kigend's /feed.ics and, in the same run, against
# nginx serving the identical bytes as a static file — both on loopback,
# same wrk connections, nginx with as many workers as kigend has HTTP
# threads (2) — for full responses and for 304s (If-None-Match with each
# server's own ETag).  Requests/s, p50/p99 latency, kigend's RSS.  Then how
# long rendering takes from 100 to 100,000 milestones: kg_feed_render alone
# (bench/feed/render) and kigend's whole publication (events view, gzip,
# ETags; its kigend_feed_render_seconds metric).  Results:
# bench/out/feed.md (copy into bench/README.md).
#   bench/feed/run.sh BUILD_DIR
# Environment: DURATION (wrk seconds, 10), CONNECTIONS (64), THREADS (wrk
# threads, 2), SIZES (render series).
set -eu
B=${1:?usage: bench/feed/run.sh BUILD_DIR}
top=$(cd "$(dirname "$0")/../.." && pwd)
case $B in /*) ;; *) B=$top/$B ;; esac
out="$top/bench/out"
work=$(mktemp -d)
kigend_pid= nginx_pid=
cleanup() {
	[ -z "$kigend_pid" ] || { kill "$kigend_pid" 2>/dev/null; wait "$kigend_pid" 2>/dev/null || true; }
	[ -z "$nginx_pid" ] || { kill "$nginx_pid" 2>/dev/null; wait "$nginx_pid" 2>/dev/null || true; }
	rm -rf "$work"
}
trap cleanup EXIT
py=/usr/bin/python3
duration=${DURATION:-10}
conns=${CONNECTIONS:-64}
threads=${THREADS:-2}
sizes=${SIZES:-100 1000 10000 100000}
workers=2 # = KG_SERVER_THREADS in daemon/server.h
nginx=$(command -v nginx || echo /usr/sbin/nginx)
for tool in wrk "$nginx" curl "$py"; do
	command -v "$tool" >/dev/null || { echo "bench: $tool missing (make deps: scripts/deps.sh bench)"; exit 1; }
done
# private copies: a rebuild during the run must not swap the binaries
cp "$B/kigen" "$B/kigend" "$B/bench/feed/render" "$work/"
export KIGEN_CONFIG=/dev/null
mkdir -p "$out" "$work/www" "$work/logs"
chmod a+rx "$work" "$work/www" # nginx workers may run as another user (when root)
report="$out/feed.md"

free_port() {
	"$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Up to 2 minutes: kigend answers once its first publication is rendered.
wait_http() {
	i=0
	until curl -sf -o /dev/null "$1"; do
		i=$((i + 1))
		[ "$i" -lt 1200 ] || { echo "bench: $1 does not answer"; cat "$work/logs/error.log" 2>/dev/null; exit 1; }
		sleep 0.1
	done
}

start_kigend() { # DB
	kport=$(free_port)
	"$work/kigend" --db "$1" --listen "127.0.0.1:$kport" --log-level warning &
	kigend_pid=$!
	wait_http "http://127.0.0.1:$kport/healthz"
}

stop_kigend() {
	kill "$kigend_pid"
	wait "$kigend_pid" || true
	kigend_pid=
}

# wrk_run NAME URL [wrk args]: one line "rps p50_ms p99_ms" in $work/NAME.
wrk_run() {
	name=$1 url=$2
	shift 2
	wrk -t"$threads" -c"$conns" -d"${duration}s" --latency "$@" "$url" >"$work/$name.wrk"
	"$py" - "$work/$name.wrk" >"$work/$name" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def ms(v):
    n, unit = re.match(r"([\d.]+)(us|ms|s)", v).groups()
    return float(n) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
p50 = ms(re.search(r"^\s+50%\s+(\S+)", text, re.M).group(1))
p99 = ms(re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1))
print("%.0f %.3f %.3f" % (rps, p50, p99))
PY
	if grep -q "Socket errors" "$work/$name.wrk"; then
		echo "bench: $name: $(grep 'Socket errors' "$work/$name.wrk")"
	fi
	echo "bench: $name: $(cat "$work/$name") (req/s, p50 ms, p99 ms)"
}

load_start=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- the sample report's feed: kigend vs nginx ----
db="$work/sample.db"
"$work/kigen" --db "$db" import "$top/data/secure-japan-2008-h1.txt" >/dev/null
start_kigend "$db"
kurl="http://127.0.0.1:$kport/feed.ics"
curl -s -D "$work/k.h" -o "$work/www/feed.ics" "$kurl"
ketag=$(tr -d '\r' <"$work/k.h" | sed -n 's/^ETag: //Ip')
bytes=$(wc -c <"$work/www/feed.ics")
milestones=$(grep -c 'BEGIN:VEVENT' "$work/www/feed.ics")

nport=$(free_port)
cat >"$work/nginx.conf" <<CONF
worker_processes $workers;
daemon off;
pid $work/nginx.pid;
error_log $work/logs/error.log warn;
events { worker_connections 4096; }
http {
	access_log off;
	types { text/calendar ics; }
	sendfile on;
	tcp_nopush on;
	keepalive_requests 100000000;
	client_body_temp_path $work/body;
	proxy_temp_path $work/proxy;
	fastcgi_temp_path $work/fastcgi;
	uwsgi_temp_path $work/uwsgi;
	scgi_temp_path $work/scgi;
	server {
		listen 127.0.0.1:$nport;
		root $work/www;
	}
}
CONF
"$nginx" -p "$work" -c "$work/nginx.conf" &
nginx_pid=$!
nurl="http://127.0.0.1:$nport/feed.ics"
wait_http "$nurl"
curl -s -D "$work/n.h" -o "$work/n.body" "$nurl"
cmp -s "$work/n.body" "$work/www/feed.ics" || { echo "bench: nginx serves other bytes"; exit 1; }
netag=$(tr -d '\r' <"$work/n.h" | sed -n 's/^ETag: //Ip')
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $ketag" "$kurl")" = 304 ]
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $netag" "$nurl")" = 304 ]

# Interleaved, twice each, best of two: the machine is shared.
for round in 1 2; do
	wrk_run "k200.$round" "$kurl"
	wrk_run "n200.$round" "$nurl"
	wrk_run "k304.$round" "$kurl" -H "If-None-Match: $ketag"
	wrk_run "n304.$round" "$nurl" -H "If-None-Match: $netag"
done
load_wrk=$(cut -d' ' -f1-3 /proc/loadavg)
rss=$(sed -n 's/^VmRSS:\s*//p' "/proc/$kigend_pid/status")
hwm=$(sed -n 's/^VmHWM:\s*//p' "/proc/$kigend_pid/status")
stop_kigend
kill "$nginx_pid"
wait "$nginx_pid" || true
nginx_pid=

best() { # NAME: the round with more req/s
	sort -n -r "$work/$1.1" "$work/$1.2" | head -n 1
}
row() { # LABEL K N
	"$py" - "$1" "$2" "$3" <<'PY'
import sys
label, k, n = sys.argv[1], sys.argv[2].split(), sys.argv[3].split()
print("| %s | %s | %s | %.2f× | %s / %s | %s / %s |" % (
    label, k[0], n[0], float(k[0]) / float(n[0]), k[1], k[2], n[1], n[2]))
PY
}

# ---- render time as the data grows ----
# Data made the way users make it: a generated progress report of N dated
# milestones (tests/integration/genreport.py), imported with kigen.  The
# peer, same run: kg_feed_render, the whole feed on one thread (what a
# publication did before feeds were rendered in parts).
metric() { # NAME: its value on kigend's /metrics
	curl -s "http://127.0.0.1:$kport/metrics" | sed -n "s/^$1 //p"
}
{
	echo "| milestones | feed bytes | kg_feed_render (peer) ms | cold: feeds s | / peer | one change: feeds s | parts made / reused | load average |"
	echo "|---:|---:|---:|---:|---:|---:|---:|---|"
} >"$work/render.md"
for n in $sizes; do
	"$py" "$top/tests/integration/genreport.py" "$n" >"$work/r$n.txt"
	"$work/kigen" --db "$work/r$n.db" import "$work/r$n.txt" >/dev/null
	line=$("$work/render" "$work/r$n.db" 3)
	echo "bench: render $line"
	start_kigend "$work/r$n.db"
	cold=$(metric kigend_feed_render_feeds_seconds)
	version=$(metric kigend_data_version)
	"$work/kigen" --db "$work/r$n.db" edit 1 --title "bench: one change" >/dev/null
	i=0
	while [ "$(metric kigend_data_version)" = "$version" ]; do
		i=$((i + 1))
		[ "$i" -lt 1200 ] || { echo "bench: no publication after the change"; exit 1; }
		sleep 0.1
	done
	warm=$(metric kigend_feed_render_feeds_seconds)
	made=$(metric 'kigend_feed_parts{feed="default",state="made"}')
	reused=$(metric 'kigend_feed_parts{feed="default",state="reused"}')
	stop_kigend
	echo "$line" | "$py" -c '
import re, sys
n, b, load, med = re.match(r"(\d+) milestones, (\d+) bytes, load ([\d.]+) ms, render median ([\d.]+)",
    sys.stdin.read()).groups()
cold, warm = float(sys.argv[1]), float(sys.argv[2])
print("| %s | %s | %s | %.3f | %.2f× | %.3f | %s / %s | %s |" % (n, b, med, cold,
    cold * 1000 / float(med), warm, sys.argv[3], sys.argv[4], sys.argv[5]))' \
	    "$cold" "$warm" "$made" "$reused" "$(cut -d' ' -f1-3 /proc/loadavg)" >>"$work/render.md"
	rm -f "$work/r$n.db"* "$work/r$n.txt"
done

{
	echo "## feed — $(date -u +%Y-%m-%d), $(nproc) CPUs, $(uname -m)"
	echo
	echo "Load average at the start: $load_start; after the wrk runs: $load_wrk."
	echo
	echo "The sample report's /feed.ics ($milestones events, $bytes bytes, identity),"
	echo "kigend (libmicrohttpd $(pkg-config --modversion libmicrohttpd), $workers threads) against"
	echo "$("$nginx" -v 2>&1 | sed 's/.*: //') ($workers workers, sendfile, the same bytes as a static file),"
	echo "\`wrk -t$threads -c$conns -d${duration}s --latency\`, best of two interleaved rounds."
	echo
	echo "| responses | kigend req/s | nginx req/s | kigend / nginx | kigend p50 / p99 ms | nginx p50 / p99 ms |"
	echo "|---|---:|---:|---:|---:|---:|"
	row "200 (full)" "$(best k200)" "$(best n200)"
	row "304 (If-None-Match)" "$(best k304)" "$(best n304)"
	echo
	echo "kigend RSS after the runs: $rss (peak $hwm)."
	echo
	echo "Render time (a generated report imported with kigen, VEVENTs with four alarms;"
	echo "feeds s = kigend_feed_render_feeds_seconds: /feed.ics rendered in parts, gzip and"
	echo "ETags, cold at start and after one milestone changed):"
	echo
	cat "$work/render.md"
} >"$report"
cat "$report"
