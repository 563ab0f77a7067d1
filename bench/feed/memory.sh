#!/bin/sh
# bench/feed/memory.sh: kigend's memory and publication time as the data
# grows.  For each size, milestones imported from a generated report
# (bench/upcoming/data.sh; VEVENTs with four alarms);
# kigend starts (first publication), then one milestone is edited (second
# publication, the old view still alive while the new one renders).  Prints
# VmHWM (peak) and VmRSS (steady) after each, and kigend_feed_render_seconds.
#   bench/feed/memory.sh BUILD_DIR [N...]     (default: 1000 10000 100000)
set -eu
: ${1:?usage: bench/feed/memory.sh BUILD_DIR [N...]}
. "$(dirname "$0")/../lib.sh"
bench_init "$1"
shift
sizes=${*:-1000 10000 100000}
pid=

status() { # FIELD: kB
	sed -n "s/^$1:\\s*\\([0-9]*\\) kB/\\1/p" "/proc/$pid/status"
}
# until_changed OLD CMD...: waits (2 minutes at most) until CMD prints
# something other than OLD ("" before kigend answers).
until_changed() {
	old=$1
	shift
	i=0
	while [ "$("$@" || true)" = "$old" ]; do
		i=$((i + 1))
		[ "$i" -lt 1200 ] || { echo "bench: kigend did not answer or publish"; exit 1; }
		sleep 0.1
	done
}
render_s() {
	curl -s "$base/metrics" | sed -n 's/^kigend_feed_render_seconds //p'
}

echo "| milestones | 1st publish s | peak MB | steady MB | 2nd publish s | peak MB | steady MB |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
for n in $sizes; do
	db="$work/r$n.db"
	sh "$top/bench/upcoming/data.sh" "$work/kigen" "$n" "$db"
	port=$(free_port)
	base="http://127.0.0.1:$port"
	"$work/kigend" --db "$db" --listen "127.0.0.1:$port" --log-level warning &
	pid=$!
	until_changed "" curl -sf "$base/healthz"
	sleep 0.5
	r1=$(render_s) h1=$(status VmHWM) s1=$(status VmRSS)
	health=$(curl -sf "$base/healthz")
	"$work/kigen" --db "$db" edit 1 --title "memory bench" >/dev/null
	until_changed "$health" curl -sf "$base/healthz"
	sleep 0.5
	r2=$(render_s) h2=$(status VmHWM) s2=$(status VmRSS)
	kill "$pid"
	wait "$pid" || true
	pid=
	rm -f "$db"*
	awk -v n="$n" -v r1="$r1" -v h1="$h1" -v s1="$s1" -v r2="$r2" -v h2="$h2" -v s2="$s2" \
	    'BEGIN { printf "| %d | %.2f | %.1f | %.1f | %.2f | %.1f | %.1f |\n",
	        n, r1, h1 / 1024, s1 / 1024, r2, h2 / 1024, s2 / 1024 }'
done
