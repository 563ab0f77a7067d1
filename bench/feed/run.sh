#!/bin/sh
# bench/feed: kigend's /feed.ics against nginx serving the identical bytes
# as a static file, in the same run — both on loopback, nginx with as many
# workers as kigend has HTTP threads (2), sendfile on — for full responses
# (wrk) and for 304s (If-None-Match with each server's own ETag; h2load,
# because wrk's HTTP parser reads a body after a 304 whose Content-Length
# is its 200's, which RFC 9110 allows and kigend sends).  Requests/s,
# latency, each server's own CPU time per request (its utime + stime over
# the run, from /proc: less swayed by other load than requests/s) and the
# client's (wrk or h2load shares the two CPUs: requests/s is about 2 CPUs
# over server + client CPU per request).  Full responses also from a
# kigend with [http] threads = 1, the variant its default is weighed
# against.
# Then how long rendering takes from 100 to 100,000 milestones:
# kg_feed_render alone (bench/feed/render) and kigend's publication in
# parts, cold and after one change: the feeds' render and the whole
# publication (reading the database: everything cold, the changed rows
# after the change; rendering feeds and pages).  Results: bench/out/feed.md (copy
# into bench/README.md).
#   bench/feed/run.sh BUILD_DIR
# Environment: DURATION (seconds per run, 10), ROUNDS (interleaved rounds,
# 5), CONNECTIONS (64), THREADS (client threads, 2), SIZES (render series).
set -eu
: ${1:?usage: bench/feed/run.sh BUILD_DIR}
. "$(dirname "$0")/../lib.sh"
bench_init "$1"
out="$top/bench/out"
kigend_pid= nginx_pid=
duration=${DURATION:-10}
rounds=${ROUNDS:-5}
conns=${CONNECTIONS:-64}
threads=${THREADS:-2}
sizes=${SIZES:-100 1000 10000 100000}
workers=2 # = [http] threads' default (config/kigen.conf)
nginx=$(command -v nginx || echo /usr/sbin/nginx)
for tool in wrk h2load "$nginx" curl "$py"; do
	command -v "$tool" >/dev/null || { echo "bench: $tool missing (make deps: scripts/deps.sh bench)"; exit 1; }
done
cp "$B/bench/feed/render" "$work/"
mkdir -p "$out" "$work/www" "$work/logs"
chmod a+rx "$work" "$work/www" # nginx workers may run as another user (when root)
report="$out/feed.md"

# Up to 2 minutes: kigend answers once its first publication is rendered.
wait_http() {
	i=0
	until curl -sf -o /dev/null "$1"; do
		i=$((i + 1))
		[ "$i" -lt 1200 ] || { echo "bench: $1 does not answer"; cat "$work/logs/error.log" 2>/dev/null; exit 1; }
		sleep 0.1
	done
}

start_kigend() { # DB [ARG...]
	kport=$(free_port)
	kdb=$1
	shift
	"$work/kigend" --db "$kdb" --listen "127.0.0.1:$kport" --log-level warning "$@" &
	kigend_pid=$!
	wait_http "http://127.0.0.1:$kport/healthz"
}

stop_kigend() {
	kill "$kigend_pid"
	wait "$kigend_pid" || true
	kigend_pid=
}

# cpu_ticks PID...: utime + stime of the processes, in clock ticks.
cpu_ticks() {
	t=0
	for p in "$@"; do
		t=$((t + $(sed 's/.*) //' "/proc/$p/stat" | cut -d' ' -f12,13 | tr ' ' '+')))
	done
	echo "$t"
}

# timed OUT CMD...: runs CMD, its output into OUT; prints the CPU seconds
# (user + system) it took.
timed() {
	"$py" - "$@" <<'PY'
import resource, subprocess, sys
with open(sys.argv[1], "w") as out:
    subprocess.run(sys.argv[2:], stdout=out, check=True)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%.6f" % (r.ru_utime + r.ru_stime))
PY
}

# load_run NAME TOOL URL PIDS [args]: one line "rps lat1_ms lat2_ms cpu_us
# client_us" in $work/NAME: wrk's p50 and p99, h2load's mean and max (it
# has no percentiles), the server's and the client's CPU microseconds per
# request.
load_run() {
	name=$1 tool=$2 url=$3 pids=$4
	shift 4
	c0=$(cpu_ticks $pids)
	case $tool in
	wrk) client=$(timed "$work/$name.out" wrk -t"$threads" -c"$conns" -d"${duration}s" --latency "$@" "$url") ;;
	h2load) client=$(timed "$work/$name.out" h2load --h1 -t"$threads" -c"$conns" -D "$duration" "$@" "$url") ;;
	esac
	c1=$(cpu_ticks $pids)
	"$py" - "$work/$name.out" "$tool" "$((c1 - c0))" "$(getconf CLK_TCK)" "$client" >"$work/$name" <<'PY'
import re, sys
text, tool, ticks, hz = open(sys.argv[1]).read(), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
client = float(sys.argv[5])
def ms(v):
    n, unit = re.match(r"([\d.]+)(us|ms|s)", v).groups()
    return float(n) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
if tool == "wrk":
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    total = int(re.search(r"(\d+) requests in", text).group(1))
    a = ms(re.search(r"^\s+50%\s+(\S+)", text, re.M).group(1))
    b = ms(re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1))
else:
    rps = float(re.search(r"finished in \S+, ([\d.]+) req/s", text).group(1))
    total = int(re.search(r"(\d+) succeeded", text).group(1))
    m = re.search(r"time for request:\s+\S+\s+(\S+)\s+(\S+)", text)
    a, b = ms(m.group(2)), ms(m.group(1))
if total == 0:
    sys.exit("bench: %s answered nothing" % sys.argv[1])
print("%.0f %.3f %.3f %.1f %.1f" % (rps, a, b, ticks * 1e6 / hz / total, client * 1e6 / total))
PY
	if grep -q "Socket errors\|[1-9][0-9]* failed\|[1-9][0-9]* errored" "$work/$name.out"; then
		echo "bench: $name: $(grep "Socket errors\|failed,\|errored" "$work/$name.out")"
	fi
	echo "bench: $name: $(cat "$work/$name") (req/s, latency ms, latency ms, server and client CPU us/request)"
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

# The variant: the same data and configuration but one request thread,
# on a copy of the database (one kigend per database).  Its PID in pid,
# which bench_cleanup stops too.
cp "$db" "$work/one.db"
printf '[http]\nthreads = 1\n' >"$work/one.conf"
main_pid=$kigend_pid main_port=$kport
start_kigend "$work/one.db" --config "$work/one.conf"
pid=$kigend_pid
k1url="http://127.0.0.1:$kport/feed.ics"
kigend_pid=$main_pid kport=$main_port
curl -s -o "$work/one.body" "$k1url"
cmp -s "$work/one.body" "$work/www/feed.ics" || { echo "bench: the one-thread kigend serves other bytes"; exit 1; }

nginx_pids="$nginx_pid $(pgrep -P "$nginx_pid" | tr '\n' ' ')"
# Interleaved rounds, the median one reported: identical code has given
# 0.56x and 1.23x nginx in two runs of best-of-two on this shared machine.
for round in $(seq "$rounds"); do
	load_run "k200.$round" wrk "$kurl" "$kigend_pid"
	load_run "k1200.$round" wrk "$k1url" "$pid"
	load_run "n200.$round" wrk "$nurl" "$nginx_pids"
	load_run "k304.$round" h2load "$kurl" "$kigend_pid" -H "If-None-Match: $ketag"
	load_run "n304.$round" h2load "$nurl" "$nginx_pids" -H "If-None-Match: $netag"
done
load_wrk=$(cut -d' ' -f1-3 /proc/loadavg)
rss=$(sed -n 's/^VmRSS:\s*//p' "/proc/$kigend_pid/status")
hwm=$(sed -n 's/^VmHWM:\s*//p' "/proc/$kigend_pid/status")
stop_kigend
kill "$pid"
wait "$pid" || true
pid=
kill "$nginx_pid"
wait "$nginx_pid" || true
nginx_pid=

median() { # NAME: the round with the median req/s (the lower middle one of an even count)
	for r in $(seq "$rounds"); do cat "$work/$1.$r"; done |
		sort -n | sed -n "$(( (rounds + 1) / 2 ))p"
}
row() { # LABEL K N
	"$py" - "$1" "$2" "$3" <<'PY'
import sys
label, k, n = sys.argv[1], sys.argv[2].split(), sys.argv[3].split()
print("| %s | %s | %s | %.2f× | %s / %s | %s / %s | %s / %s | %s / %s |" % (
    label, k[0], n[0], float(k[0]) / float(n[0]), k[1], k[2], n[1], n[2], k[3], n[3],
    k[4], n[4]))
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
	echo "| milestones | feed bytes | kg_feed_render (peer) ms | cold: feeds s | / peer | one change: feeds s | parts made / reused | cold: publication s | one change: publication s (rows read) | load average |"
	echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
} >"$work/render.md"
for n in $sizes; do
	"$py" "$top/tests/integration/genreport.py" "$n" >"$work/r$n.txt"
	"$work/kigen" --db "$work/r$n.db" import "$work/r$n.txt" >/dev/null
	line=$("$work/render" "$work/r$n.db" 3)
	echo "bench: render $line"
	start_kigend "$work/r$n.db"
	cold=$(metric kigend_feed_render_feeds_seconds)
	cold_pub=$(metric kigend_publication_seconds)
	version=$(metric kigend_data_version)
	"$work/kigen" --db "$work/r$n.db" edit 1 --title "bench: one change" >/dev/null
	i=0
	while [ "$(metric kigend_data_version)" = "$version" ]; do
		i=$((i + 1))
		[ "$i" -lt 1200 ] || { echo "bench: no publication after the change"; exit 1; }
		sleep 0.1
	done
	warm=$(metric kigend_feed_render_feeds_seconds)
	warm_pub=$(metric kigend_publication_seconds)
	warm_read=$(metric kigend_publication_milestones_read)
	made=$(metric 'kigend_feed_parts{feed="default",state="made"}')
	reused=$(metric 'kigend_feed_parts{feed="default",state="reused"}')
	stop_kigend
	echo "$line" | "$py" -c '
import re, sys
n, b, load, med = re.match(r"(\d+) milestones, (\d+) bytes, load ([\d.]+) ms, render median ([\d.]+)",
    sys.stdin.read()).groups()
cold, warm = float(sys.argv[1]), float(sys.argv[2])
print("| %s | %s | %s | %.3f | %.2f× | %.3f | %s / %s | %.3f | %.3f (%s) | %s |" % (n, b, med,
    cold, cold * 1000 / float(med), warm, sys.argv[3], sys.argv[4], float(sys.argv[5]),
    float(sys.argv[6]), sys.argv[7], sys.argv[8]))' \
	    "$cold" "$warm" "$made" "$reused" "$cold_pub" "$warm_pub" "$warm_read" \
	    "$(cut -d' ' -f1-3 /proc/loadavg)" >>"$work/render.md"
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
	echo "200s: \`wrk -t$threads -c$conns -d${duration}s --latency\` (latency p50 / p99);"
	echo "304s: \`h2load --h1 -t$threads -c$conns -D $duration\` (latency mean / max); median of $rounds"
	echo "interleaved rounds.  CPU: the server's own utime + stime per request, and the"
	echo "client's (wrk or h2load, on the same CPUs) against each."
	echo
	echo "| responses | kigend req/s | nginx req/s | kigend / nginx | kigend latency ms | nginx latency ms | CPU µs/req kigend / nginx | client CPU µs/req vs kigend / vs nginx |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|"
	row "200 (full)" "$(median k200)" "$(median n200)"
	row "200, kigend with [http] threads = 1" "$(median k1200)" "$(median n200)"
	row "304 (If-None-Match)" "$(median k304)" "$(median n304)"
	echo
	echo "kigend RSS after the runs: $rss (peak $hwm)."
	echo
	echo "Render time (a generated report imported with kigen, VEVENTs with four alarms;"
	echo "feeds s = kigend_feed_render_feeds_seconds: /feed.ics rendered in parts, gzip and"
	echo "ETags, cold at start and after one milestone changed; publication s ="
	echo "kigend_publication_seconds: from the publication's read of the database to the"
	echo "new view served (feeds, pages, API data), and the milestones it read):"
	echo
	cat "$work/render.md"
} >"$report"
cat "$report"
