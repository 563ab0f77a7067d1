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

# Drippers: reconnect whenever dropped, for 15 s.
"$py" - "$sock" "$tmp/dripped" <<'PY' &
import socket, sys, time
end = time.monotonic() + 15
drops = 0
while time.monotonic() < end:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sys.argv[1])
    try:
        for c in b"status" * 20:
            s.send(bytes([c]))
            time.sleep(0.45)
            if time.monotonic() >= end:
                break
    except OSError:
        drops += 1
    s.close()
open(sys.argv[2], "w").write(str(drops))
PY
drip=$!
pids="$pids $drip"
sleep 1 # let the first dripper in (not a synchronisation: any timing works)

n=0
while [ $n -lt 5 ]; do
	expect_rc 0 timeout 20 "$KIGEN" status
	has "$tmp/out" "kigend $(cat "$TOP/VERSION") is running"
	n=$((n + 1))
done
expect_rc 0 "$KIGEN" add "Exercise during the drip" --due 2008-12-01
published() { curl -fsS "http://127.0.0.1:$port/feed.ics" | grep -q 'SUMMARY:Exercise during the drip'; }
wait_until "the change to be published while a control client dripped" published
wait "$drip"
[ "$(cat "$tmp/dripped")" -ge 1 ] || fail "the dripping client was never dropped"
grep -q 'control socket: no request line within 1000 ms, dropped' "$tmp/kigend.log" ||
	fail "no log line for the dropped client"
stop_kigend
echo ok
