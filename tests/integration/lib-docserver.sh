# Shared by the tests that download documents (sourced after lib-cli.sh):
# start_docserver DIR runs tests/integration/docserver.py on DIR, on a free
# loopback port, waits until it listens, and sets $docs
# (its base URL), $docserver_pid and $docserver_log (its request log).
# stop_docserver stops it by PID; call it from the test's EXIT trap.
docserver_pid=

start_docserver() {
	docserver_log="$tmp/docserver.log"
	rm -f "$tmp/docserver.port"
	"$py" "$TOP/tests/integration/docserver.py" "$1" "$tmp/docserver.port" \
		"$docserver_log" 2>>"$tmp/docserver.err" &
	docserver_pid=$!
	wait_until "the docserver to start" docserver_up
	docs="http://127.0.0.1:$(cat "$tmp/docserver.port")"
}

docserver_up() {
	if gone "$docserver_pid"; then
		cat "$tmp/docserver.err"
		fail "docserver exited before it listened"
	fi
	file_ready "$tmp/docserver.port"
}

stop_docserver() {
	[ -n "$docserver_pid" ] || return 0
	kill -TERM "$docserver_pid" 2>/dev/null || true
	wait "$docserver_pid" 2>/dev/null || true
	docserver_pid=
}
