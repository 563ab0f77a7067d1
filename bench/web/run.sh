#!/bin/sh
# bench/web: how fast kigend's pages are.
#  1. in process (bench/web/render): each page rendered RUNS times from the
#     sample report and from 100,000 milestones over 2,000 measures
#     (bench/web/render gen), beside the feed of the same data rendered in
#     the same run;
#  2. over HTTP: time to first byte (curl) of the timeline, cached (/) and
#     rendered per request (filters, search, group by owner), of a
#     milestone's and a measure's page, on both databases; in the same run
#     nginx serving the same bytes of / as a static file.
# Results: bench/out/web.md (copy into bench/README.md, section "web").
#   bench/web/run.sh BUILD_DIR
# Environment: RUNS (in-process renders, 51), REQUESTS (HTTP, 21), N (100000),
# MEASURES (2000).
set -eu
: ${1:?usage: bench/web/run.sh BUILD_DIR}
. "$(dirname "$0")/../lib.sh"
bench_init "$1"
out="$top/bench/out"
kigend_pid= nginx_pid=
runs=${RUNS:-51}
requests=${REQUESTS:-21}
n=${N:-100000}
measures=${MEASURES:-2000}
nginx=$(command -v nginx || echo /usr/sbin/nginx)
for tool in "$nginx" curl "$py"; do
	command -v "$tool" >/dev/null || { echo "bench: $tool missing (make deps: scripts/deps.sh bench)"; exit 1; }
done
cp "$B/bench/web/render" "$work/"
mkdir -p "$out" "$work/www" "$work/logs"
chmod a+rx "$work" "$work/www" # nginx workers may run as another user (when root)
report="$out/web.md"

# Up to 5 minutes: kigend answers once its first publication is rendered.
wait_http() {
	i=0
	until curl -sf -o /dev/null "$1"; do
		i=$((i + 1))
		[ "$i" -lt 3000 ] || { echo "bench: $1 does not answer"; exit 1; }
		sleep 0.1
	done
}

# ttfb URL: "median p90" of time to first byte, ms, over $requests requests
# (one more first, not counted: the one that may fill a cache).
ttfb() {
	curl -s -o /dev/null "$1"
	i=0
	while [ "$i" -lt "$requests" ]; do
		curl -s -o /dev/null -w '%{time_starttransfer}\n' "$1"
		i=$((i + 1))
	done | "$py" -c '
import sys
t = sorted(float(x) * 1000 for x in sys.stdin)
print("%.2f %.2f" % (t[len(t) // 2], t[len(t) * 9 // 10]))'
}

# first_ttfb URL: ms to the first byte of a request nobody made before.
first_ttfb() {
	curl -s -o /dev/null -w '%{time_starttransfer}\n' "$1" | "$py" -c '
import sys; print("%.2f" % (float(sys.stdin.read()) * 1000))'
}

# ---- 1. in process ----
"$work/kigen" --db "$work/sample.db" import "$top/data/secure-japan-2008-h1.txt" >/dev/null
"$work/render" time "$work/sample.db" 2008-11-24 "$runs" >"$work/sample.render"
"$work/render" gen "$n" "$measures" "$work/big.db" >/dev/null
"$work/render" time "$work/big.db" 2010-01-01 "$(( runs < 11 ? runs : 11 ))" >"$work/big.render"

# ---- 2. over HTTP ----
# http DB AS_OF NAME: TTFBs of the pages of DB into $work/NAME.http.
http() {
	kport=$(free_port)
	"$work/kigend" --db "$1" --listen "127.0.0.1:$kport" --log-level warning &
	kigend_pid=$!
	base="http://127.0.0.1:$kport"
	wait_http "$base/healthz"
	# The first publication renders / for today; wait until it is there.
	wait_http "$base/"
	mid=$(curl -s "$base/api/v1/milestones?kind=exercise" | "$py" -c '
import json, sys; m = json.load(sys.stdin)["milestones"]; print(m[len(m) // 2]["id"])')
	meid=$(curl -s "$base/api/v1/measures" | "$py" -c '
import json, sys; print(json.load(sys.stdin)["measures"][0]["id"])')
	{
		echo "cached / $(ttfb "$base/")"
		echo "as_of $(ttfb "$base/?as_of=$2")"
		echo "owner $(ttfb "$base/?owner=%E7%B7%8F%E5%8B%99%E7%9C%81&as_of=$2")"
		echo "by_owner $(ttfb "$base/?group=owner&as_of=$2")"
		echo "q_first $(first_ttfb "$base/?q=%E6%BC%94%E7%BF%92")"
		echo "q $(ttfb "$base/?q=%E6%BC%94%E7%BF%92&as_of=$2")"
		echo "milestone $(ttfb "$base/milestones/$mid")"
		echo "measure $(ttfb "$base/measures/$meid")"
	} >"$work/$3.http"
	curl -s -o "$work/www/$3.html" "$base/"
	pub=$(curl -s "$base/metrics" | sed -n 's/^kigend_feed_render_seconds //p')
	echo "publication $pub" >>"$work/$3.http"
	rss=$(sed -n 's/^VmRSS:\s*//p' "/proc/$kigend_pid/status")
	echo "rss $rss" >>"$work/$3.http"
	kill "$kigend_pid"
	wait "$kigend_pid" || true
	kigend_pid=
}
http "$work/sample.db" 2008-11-24 sample
http "$work/big.db" 2010-01-01 big

nport=$(free_port)
cat >"$work/nginx.conf" <<CONF
worker_processes 2;
daemon off;
pid $work/nginx.pid;
error_log $work/logs/error.log warn;
events { worker_connections 1024; }
http {
	access_log off;
	types { text/html html; }
	sendfile on;
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
wait_http "http://127.0.0.1:$nport/sample.html"
echo "sample $(ttfb "http://127.0.0.1:$nport/sample.html")" >"$work/nginx.http"
echo "big $(ttfb "http://127.0.0.1:$nport/big.html")" >>"$work/nginx.http"
kill "$nginx_pid"
wait "$nginx_pid" || true
nginx_pid=

load=$(cut -d' ' -f1-3 /proc/loadavg)
"$py" - "$work" "$n" "$measures" "$runs" "$requests" "$load" >"$report" <<'PY'
import sys, datetime, os
work, n, measures, runs, requests, load = sys.argv[1:7]
def table(path):
    return {l.split()[0]: l.split()[1:] for l in open(path) if l.strip()}
def http(path):
    d = {}
    for l in open(path):
        p = l.split()
        if p[0] == "cached":
            d["cached /"] = p[2:]
        else:
            d[p[0]] = p[1:]
    return d
s, b = table(f"{work}/sample.render"), table(f"{work}/big.render")
hs, hb, ng = http(f"{work}/sample.http"), http(f"{work}/big.http"), table(f"{work}/nginx.http")
print(f"## web — {datetime.date.today()}, {os.cpu_count()} CPUs, load average {load}")
print()
print(f"In process (bench/web/render, median and 90th percentile of {runs} renders; 11 at")
print(f"{n}): the sample report ({s['load'][2]} milestones) and {n} milestones over")
print(f"{measures} measures; `feed` is kg_feed_write of the same milestones, the other")
print("rendition of the data kigend makes (3 renders at the large size).")
print()
print(f"| page | sample median ms | p90 | bytes | {n} median ms | p90 | bytes |")
print("|---|---:|---:|---:|---:|---:|---:|")
for k in ["timeline", "timeline_owner", "timeline_by_owner", "timeline_q", "timeline_fy",
          "timeline_page2", "milestone", "measure", "feed"]:
    print(f"| {k} | {s[k][0]} | {s[k][1]} | {s[k][2]} | {b[k][0]} | {b[k][1]} | {b[k][2]} |")
print()
print(f"Loading the data as a publication does: {s['load'][0]} ms and {b['load'][0]} ms; folding")
print(f"every title and sentence for search (once per view, on the first q=): {s['fold'][0]} ms")
print(f"and {b['fold'][0]} ms.")
print()
print(f"Over HTTP (curl, time to the first byte, median and 90th percentile of {requests}")
print("requests after one more; loopback), kigend on each database and, in the same run,")
print("nginx (2 workers, sendfile) serving the bytes of / as a static file:")
print()
print(f"| request | sample median ms | p90 | {n} median ms | p90 |")
print("|---|---:|---:|---:|---:|")
names = {"cached /": "/ (cached)", "as_of": "/?as_of= (rendered)", "owner": "/?owner=総務省",
         "by_owner": "/?group=owner", "q": "/?q=演習 (folded)",
         "milestone": "/milestones/ID", "measure": "/measures/ID"}
for k, label in names.items():
    print(f"| {label} | {hs[k][0]} | {hs[k][1]} | {hb[k][0]} | {hb[k][1]} |")
print(f"| /?q=演習, the first (folds) | {hs['q_first'][0]} | | {hb['q_first'][0]} | |")
print(f"| nginx, the same bytes of / | {ng['sample'][0]} | {ng['sample'][1]} | {ng['big'][0]} | {ng['big'][1]} |")
print()
print(f"kigend's publication (feeds and the timeline, kigend_feed_render_seconds):")
print(f"{float(hs['publication'][0]):.3f} s and {float(hb['publication'][0]):.3f} s; RSS after the requests")
print(f"{' '.join(hs['rss'])} and {' '.join(hb['rss'])}.")
PY
cat "$report"
