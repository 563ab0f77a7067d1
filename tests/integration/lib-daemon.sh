# Shared by the 03x-daemon-*.sh tests (sourced): everything lib-cli.sh gives,
# plus a free loopback port, kigend started in the background on it (and
# stopped by PID on exit), and fetch helpers around curl.
. "$TOP/tests/integration/lib-cli.sh"
: "${KIGEND:?}"
command -v curl >/dev/null || fail "curl missing"
node=$(command -v node) || fail "node missing"
[ -d "$TOP/tests/node/node_modules/ical.js" ] || fail "tests/node/node_modules/ical.js missing (make deps)"

kigend_pid=
trap 'stop_kigend; rm -rf "$tmp"' EXIT

# start_kigend [args...]: on a free port with $db, logs in $tmp/kigend.log;
# waits until /healthz answers (fails at once if kigend exits, but for a
# port another program took meanwhile: then on another).  Sets $port and
# $base.
start_kigend() {
	for _try in 1 2 3 4 5; do
		port=$(free_port)
		base="http://127.0.0.1:$port"
		logged=$(cat "$tmp/kigend.log" 2>/dev/null | wc -l)
		"$KIGEND" --db "$db" --listen "127.0.0.1:$port" --log-level debug "$@" \
			>>"$tmp/kigend.log" 2>&1 &
		kigend_pid=$!
		wait_until "kigend to answer on $base" kigend_up
		[ -n "$kigend_pid" ] && return
	done
	fail "no free port for kigend in 5 tries"
}

# kigend_up: /healthz answers; kigend_pid is emptied when kigend found its
# port taken (retry), and the test fails when it exited for another reason.
kigend_up() {
	if gone "$kigend_pid"; then
		if tail -n +$((logged + 1)) "$tmp/kigend.log" |
		    grep -q "cannot listen on .*address in use"; then
			kigend_pid=
			return 0
		fi
		cat "$tmp/kigend.log"
		fail "kigend exited before answering on $base"
	fi
	http_ok "$base/healthz"
}

# Stops kigend by PID (SIGTERM) and checks it exited cleanly.
stop_kigend() {
	[ -n "$kigend_pid" ] || return 0
	kill -TERM "$kigend_pid" 2>/dev/null || true
	set +e
	wait "$kigend_pid"
	st=$?
	set -e
	kigend_pid=
	if [ "$st" -ne 0 ]; then
		cat "$tmp/kigend.log"
		fail "kigend exited with status $st"
	fi
}

# fetch NAME PATH [curl args...]: body in $tmp/NAME, headers in
# $tmp/NAME.h, status code in $code.
fetch() {
	name=$1 path=$2
	shift 2
	code=$(curl -s -o "$tmp/$name" -D "$tmp/$name.h" -w '%{http_code}' "$@" "$base$path")
}

# expect_code WANT NAME PATH [curl args...]
expect_code() {
	want=$1
	shift
	fetch "$@"
	[ "$code" = "$want" ] || { cat "$tmp/$1.h" "$tmp/$1" 2>/dev/null; fail "GET $2: $code, want $want"; }
}

# header NAME FIELD: the value of a response header (case-insensitive).
header() {
	tr -d '\r' <"$tmp/$1.h" | sed -n "s/^$2: //Ip" | tail -n 1
}
