# Shared by the 04x-reminders-*.sh tests (sourced, not run).  Runs kigend
# and the node receiver (tests/integration/receiver.mjs, which verifies
# signatures with the reference `standardwebhooks` package) under one
# libfaketime clock: every process gets the same offset (FAKETIME=-N), so
# they agree on the time while monotonic clocks (timeouts) stay real.  The
# library is preloaded directly rather than through the faketime wrapper,
# which forks: $! must be kigend itself, or kill -9 would hit the wrapper.
set -eu
: "${KIGEN:?}" "${KIGEND:?}" "${TOP:?}"
tmp=$(mktemp -d)
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || :; done
	for p in $pids; do wait "$p" 2>/dev/null || :; done
	rm -rf "$tmp"
}
trap cleanup EXIT
db="$tmp/kigen.db"
export TZ=Asia/Tokyo NO_COLOR= FAKETIME_DONT_FAKE_MONOTONIC=1
export KIGEN_CONFIG="$tmp/kigen.conf"
: >"$KIGEN_CONFIG"
py=/usr/bin/python3
for tool in node "$py"; do
	command -v "$tool" >/dev/null 2>&1 || { echo "FAIL: $tool missing"; exit 1; }
done
fakelib=$(dpkg -L libfaketime 2>/dev/null | grep '/libfaketimeMT\.so\.1$' | head -n 1)
[ -n "$fakelib" ] && [ -f "$fakelib" ] || { echo "FAIL: libfaketimeMT missing"; exit 1; }
[ -d "$TOP/tests/node/node_modules/standardwebhooks" ] ||
	{ echo "FAIL: tests/node/node_modules missing (run scripts/deps.sh)"; exit 1; }
secret="whsec_$(head -c 32 /dev/urandom | base64)"

fail() { echo "FAIL: $*"; exit 1; }
k() { "$KIGEN" --db "$db" "$@"; }
# kf: kigen on the tests' fake clock (what it writes carries fake times).
kf() { LD_PRELOAD="$fakelib" FAKETIME="-$offset" "$KIGEN" --db "$db" "$@"; }

# A free loopback port (bound and released; good enough for a test).
free_port() {
	"$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# at 'YYYY-MM-DD hh:mm:ss': the faketime offset that makes now that (JST).
at() {
	offset=$(( $(date +%s) - $(date -d "$1" +%s) ))
}

# receiver [options]: starts receiver.mjs on the current fake clock.
receiver() {
	rm -f "$tmp/port"
	LD_PRELOAD="$fakelib" FAKETIME="-$offset" node "$TOP/tests/integration/receiver.mjs" \
	    --port-file "$tmp/port" --log "$tmp/received" "$@" >"$tmp/receiver.out" 2>&1 &
	rpid=$!
	pids="$pids $rpid"
	i=0
	while [ ! -s "$tmp/port" ]; do
		i=$((i + 1)); [ $i -lt 100 ] || fail "receiver did not start"; sleep 0.1
	done
	rport=$(cat "$tmp/port")
}

# config [webhook keys...]: writes kigen.conf with one [webhook:ops] to the
# receiver; extra lines go into that section.
config() {
	{
		printf '[general]\ntimezone = Asia/Tokyo\nlog_level = info\n'
		printf '[http]\nlisten = 127.0.0.1:%s\nbase_url = http://127.0.0.1:5545\n' "$(free_port)"
		printf '[reminders]\nlead = 30d, 7d, 1d, 0d\nat = 09:00\ncatch_up = 1d\n'
		printf 'overdue = 7d, 14d\n'
		printf '[webhook:ops]\nurl = http://127.0.0.1:%s/hooks/kigen\nsecret = %s\n' \
		    "$rport" "${hook_secret:-$secret}"
		for line in "$@"; do printf '%s\n' "$line"; done
	} >"$KIGEN_CONFIG"
}

# daemon: starts kigend on the current fake clock.
daemon() {
	LD_PRELOAD="$fakelib" FAKETIME="-$offset" "$KIGEND" --config "$KIGEN_CONFIG" --db "$db" \
	    >>"$tmp/kigend.log" 2>&1 &
	dpid=$!
	pids="$pids $dpid"
}

# stop_daemon: SIGTERM; kigend must exit 0 (under ASan: no leaks either).
stop_daemon() {
	kill "$dpid" 2>/dev/null || :
	if ! wait "$dpid"; then
		tail -n 40 "$tmp/kigend.log"
		fail "kigend did not exit cleanly"
	fi
}

# received_count FILTER: lines of the receiver log matching a python
# expression over e (one JSON line).
received() {
	[ -f "$tmp/received" ] || { echo 0; return; }
	"$py" -c '
import json, sys
n = 0
for line in open(sys.argv[1], encoding="utf-8"):
    e = json.loads(line)
    if eval(sys.argv[2]): n += 1
print(n)' "$tmp/received" "${1:-True}"
}

# wait_received N FILTER SECONDS: until N matching lines arrived.
wait_received() {
	i=0
	while [ "$(received "$2")" -lt "$1" ]; do
		i=$((i + 1))
		if [ $i -gt $(($3 * 10)) ]; then
			echo "--- received"; cat "$tmp/received" 2>/dev/null || :
			echo "--- kigend"; tail -n 30 "$tmp/kigend.log"
			fail "waited $3 s for $1 x $2"
		fi
		sleep 0.1
	done
}

# wait_delivered N: until kigend has recorded N delivered rows in the outbox
# (the receiver logs a request a moment before kigend writes its result).
wait_delivered() {
	i=0
	until [ "$("$py" -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(
	    "SELECT count(*) FROM outbox WHERE status = '"'delivered'"'").fetchone()[0])' "$db")" -ge "$1" ]; do
		i=$((i + 1)); [ $i -lt 300 ] || fail "fewer than $1 deliveries recorded"
		sleep 0.1
	done
}

. "$TOP/tests/integration/lib-bulk.sh"
