# Shared by the 05x-service-*.sh tests (sourced): the CLI test helpers, a
# configuration in the temporary directory, a free loopback port, and
# kigend started in the background with its sd_notify messages captured by
# a small datagram receiver, as systemd would receive them.
. "$TOP/tests/integration/lib-cli.sh"
: "${KIGEND:?}"
conf=$tmp/kigen.conf
sock=$db.sock
notify=$tmp/notify.sock
pids=""
trap 'for p in $pids; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"' EXIT
export KIGEN_CONFIG="$conf"

port=$(free_port)

# write_conf [EXTRA LINES]: the test's configuration, mode 0600.
write_conf() {
	printf '[general]\ndb = %s\n[http]\nlisten = 127.0.0.1:%s\n%s\n' "$db" "$port" "${1:-}" >"$conf"
	chmod 0600 "$conf"
}

# Receives sd_notify datagrams into $tmp/notify.log, one message a line
# (newlines inside a message become spaces).
start_notify() {
	"$py" -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "a", buffering=1) as log:
    while True:
        log.write(s.recv(4096).decode().replace("\n", " ") + "\n")
' "$notify" "$tmp/notify.log" &
	pids="$pids $!"
	wait_until "the notify receiver" test -S "$notify"
}

# start_kigend [ARGS]: kigend in the background (PID in $kigend_pid, log in
# $tmp/kigend.log), waits for READY=1.
start_kigend() {
	: >"$tmp/notify.log"
	NOTIFY_SOCKET=$notify "$KIGEND" --config "$conf" "$@" >>"$tmp/kigend.log" 2>&1 &
	kigend_pid=$!
	pids="$pids $kigend_pid"
	wait_notify 'READY=1'
}

# wait_notify TEXT: waits for a notify message containing TEXT.
wait_notify() {
	poll_until "$patience" file_has "$tmp/notify.log" "$1" ||
		{ cat "$tmp/kigend.log"; fail "no notify message '$1'"; }
}

# wait_log TEXT: waits for TEXT in kigend's log.
wait_log() {
	poll_until "$patience" file_has "$tmp/kigend.log" "$1" ||
		{ cat "$tmp/kigend.log"; fail "no '$1' in kigend's log"; }
}

# stop_kigend: SIGTERM; the process must exit, with status 0.
stop_kigend() {
	kill -TERM "$kigend_pid"
	poll_until "$patience" gone "$kigend_pid" ||
		{ cat "$tmp/kigend.log"; fail "kigend still running $patience s after SIGTERM"; }
	set +e; wait "$kigend_pid"; rc=$?; set -e
	[ "$rc" -eq 0 ] || { cat "$tmp/kigend.log"; fail "kigend exited $rc after SIGTERM"; }
}
