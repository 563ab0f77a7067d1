# Waiting in integration tests, and free ports (sourced by the other
# lib-*.sh, after they define fail and py).  A test never sleeps a fixed time to let something happen:
# it polls for what it needs — a port answering, a file, a log line, a
# count — until a generous wall-clock deadline, so a loaded machine makes a
# test slower, never red.  The sleep below is the polling interval only.

# Deadline of a wait, seconds: generous, far beyond what an idle machine
# needs (tests/run.sh stops a whole test only after 15 of them).
patience=${KIGEN_TEST_PATIENCE:-120}

# poll_until SECONDS CMD [ARGS...]: runs CMD every 0.1 s until it succeeds
# (0) or SECONDS of wall-clock time have passed (1).
poll_until() {
	_pu_deadline=$(($(date +%s) + $1))
	shift
	until "$@"; do
		[ "$(date +%s)" -lt "$_pu_deadline" ] || return 1
		sleep 0.1
	done
}

# wait_until WHAT CMD [ARGS...]: poll_until $patience, and fail the test
# ("waited N s for WHAT") when CMD never succeeded.
wait_until() {
	_wu_what=$1
	shift
	poll_until "$patience" "$@" || fail "waited $patience s for $_wu_what"
}

# Conditions for the common cases.
file_has() { [ -f "$1" ] && grep -qF -- "$2" "$1"; }      # FILE TEXT
file_ready() { [ -s "$1" ]; }                             # FILE (not empty)
http_ok() { curl -fsS -m 30 -o /dev/null "$1" 2>/dev/null; } # URL answers 2xx
http_refused() { ! curl -sS -o /dev/null "$1" 2>/dev/null; } # URL: no connection
gone() { ! kill -0 "$1" 2>/dev/null; }                    # PID has exited

# free_port: a loopback port nobody listens on now, for a server the test
# starts.  Drawn at random below the kernel's ephemeral range, so that the
# outgoing connections of every test running on the machine (which take
# their local ports from that range) cannot take it before the server binds.
free_port() {
	"$py" -c '
import random, socket
low = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
for _ in range(200):
    port = random.randrange(10000, low) if low > 11000 else 0
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        s.close()
    print(port if port else s.getsockname()[1])
    break'
}
