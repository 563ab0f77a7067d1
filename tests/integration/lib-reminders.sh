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
. "$TOP/tests/integration/lib-wait.sh"
k() { "$KIGEN" --db "$db" "$@"; }
# kf: kigen on the tests' fake clock (what it writes carries fake times).
kf() { LD_PRELOAD="$fakelib" FAKETIME="-$offset" "$KIGEN" --db "$db" "$@"; }

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
	wait_until "the receiver to start" file_ready "$tmp/port"
	rport=$(cat "$tmp/port")
}

# config [webhook keys...]: writes kigen.conf with one [webhook:ops] to the
# receiver; extra lines go into that section.  kigend serves on $hport.
config() {
	hport=$(free_port)
	{
		printf '[general]\ntimezone = Asia/Tokyo\nlog_level = info\n'
		printf '[http]\nlisten = 127.0.0.1:%s\nbase_url = http://127.0.0.1:5545\n' "$hport"
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

# wait_received N FILTER: until N matching lines arrived.
has_received() { [ "$(received "$2")" -ge "$1" ]; }
wait_received() {
	if ! poll_until "$patience" has_received "$1" "$2"; then
		echo "--- received"; cat "$tmp/received" 2>/dev/null || :
		echo "--- kigend"; tail -n 30 "$tmp/kigend.log"
		fail "waited $patience s for $1 x $2"
	fi
}

# wait_all_received N FILTER: until N matching lines arrived, for as long
# as they keep coming: fails only after $patience s without a new one.
wait_all_received() {
	_war_seen=-1
	while :; do
		_war_now=$(received "$2")
		[ "$_war_now" -lt "$1" ] || return 0
		if [ "$_war_now" -ne "$_war_seen" ]; then
			_war_seen=$_war_now
			_war_deadline=$(($(date +%s) + patience))
		elif [ "$(date +%s)" -ge "$_war_deadline" ]; then
			fail "only $_war_now of $1 x $2 after $patience s without progress"
		fi
		sleep 0.2
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

# status_ok PYEXPR: `kigen status` answers and PYEXPR holds over its JSON r.
# The control socket is served by kigend's loop thread between iterations,
# so an answer also means the iteration under way (changed data, due
# reminders, finished deliveries) is over.
status_ok() {
	k --json status >"$tmp/status.json" 2>/dev/null &&
	    "$py" -c 'import json,sys; r=json.load(open(sys.argv[1])); sys.exit(0 if eval(sys.argv[2]) else 1)' \
	    "$tmp/status.json" "$1"
}

# settled 'YYYY-MM-DD hh:mm:ss': kigend has handled every reminder due up to
# that fake time — its next planned one is later — and delivered them: none
# is pending or in flight.
settled() {
	after=$(date -u -d "@$(date -d "$1" +%s)" +%Y-%m-%dT%H:%M:%SZ)
	wait_until "kigend to settle after $1" status_ok \
	    "(r['reminders']['next'] or '9') > '$after' and r['reminders']['pending'] == 0 and r['reminders']['in_flight'] == 0"
}

# served PYEXPR: kigend serves data in which PYEXPR holds over m, the list of
# /api/v1/milestones: its loop has read a change the test made.
api_ok() {
	curl -fsS "http://127.0.0.1:$hport/api/v1/milestones" 2>/dev/null >"$tmp/api.json" &&
	    "$py" -c 'import json,sys; m=json.load(open(sys.argv[1]))["milestones"]; sys.exit(0 if eval(sys.argv[2]) else 1)' \
	    "$tmp/api.json" "$1"
}
served() { wait_until "kigend to serve data where $1" api_ok "$1"; }

. "$TOP/tests/integration/lib-bulk.sh"
