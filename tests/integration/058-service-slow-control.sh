#!/bin/sh
# A control-socket client that sends one byte every 0.45 s (each byte just
# within what a per-read timeout would allow) used to freeze kigend's loop
# for as long as its request line lasted: nothing published, no status.
# Now control clients are driven by the loop with one deadline for the
# whole exchange: while such clients keep coming, `kigen status` answers
# and a change made with the CLI is published.
. "$TOP/tests/integration/lib-service.sh"
write_conf
expect_rc 0 "$KIGEN" add "GSOC operation start" --due 2009-03-31
start_notify
start_kigend

# Drippers: reconnect whenever dropped, until the test says stop (at most
# $patience s); the file "dripping" appears once the first is connected.
"$py" - "$sock" "$tmp" "$patience" <<'PY' &
import os, socket, sys, time
sock, tmp, patience = sys.argv[1], sys.argv[2], float(sys.argv[3])
end = time.monotonic() + patience
drops = 0
while not os.path.exists(tmp + "/stop") and time.monotonic() < end:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sock)
    open(tmp + "/dripping", "w").write("connected")
    try:
        for c in b"status" * 20:
            s.send(bytes([c]))
            time.sleep(0.45)
    except OSError:
        drops += 1
    s.close()
open(tmp + "/dripped", "w").write(str(drops))
PY
drip=$!
pids="$pids $drip"
wait_until "the first dripper to connect" file_ready "$tmp/dripping"

# While they drip, `kigen status` answers (a client starved by them would
# hang: bounded by the wait deadline, not by a time it should take).
n=0
while [ $n -lt 5 ]; do
	expect_rc 0 timeout "$patience" "$KIGEN" status
	has "$tmp/out" "kigend $(cat "$TOP/VERSION") is running"
	n=$((n + 1))
done
expect_rc 0 "$KIGEN" add "Exercise during the drip" --due 2008-12-01
published() { curl -fsS "http://127.0.0.1:$port/feed.ics" | grep -q 'SUMMARY:Exercise during the drip'; }
wait_until "the change to be published while a control client dripped" published
wait_log 'control socket: no request line within 1000 ms, dropped'
: >"$tmp/stop"
wait "$drip"
[ "$(cat "$tmp/dripped")" -ge 1 ] || fail "the dripping client was never dropped"
stop_kigend
echo ok
