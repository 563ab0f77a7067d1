# bench/lib.sh: what the benchmarks that start kigend begin with.  Sourced
# after `set -eu` as  . "$(dirname "$0")/../lib.sh"; bench_init BUILD_DIR
# then gives:
#   top   the repository;  B  the build directory, absolute;
#   py    the Python that writes reports and opens sockets;
#   work  a private directory with copies of kigen and kigend (a rebuild
#         during the run must not swap the binaries), removed on exit;
# and on exit stops the processes whose PIDs the script keeps in pid,
# kigend_pid or nginx_pid.  KIGEN_CONFIG is /dev/null: no user config.

bench_cleanup() {
	for p in ${pid:-} ${kigend_pid:-} ${nginx_pid:-}; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$work"
}

bench_init() {
	top=$(cd "$(dirname "$0")/../.." && pwd)
	B=$1
	case $B in /*) ;; *) B=$top/$B ;; esac
	py=/usr/bin/python3
	work=$(mktemp -d)
	trap bench_cleanup EXIT
	cp "$B/kigen" "$B/kigend" "$work/"
	export KIGEN_CONFIG=/dev/null
}

# kigend_start [ARG...]: kigend on $work/k.db at a free loopback port
# (in port), once it answers /healthz; its PID in pid.  kigend_stop ends it.
kigend_start() {
	port=$(free_port)
	"$work/kigend" --db "$work/k.db" --listen "127.0.0.1:$port" --log-level warning "$@" &
	pid=$!
	until curl -sf -o /dev/null "http://127.0.0.1:$port/healthz"; do sleep 0.1; done
}

kigend_stop() {
	kill "$pid"
	wait "$pid" || true
	pid=
}

# A loopback port free now.
free_port() {
	"$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
