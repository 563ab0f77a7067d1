#!/bin/sh
# Control-socket squatting: with the database in a shared sticky directory
# another user can put a socket at <db>.sock that answers like kigend
# (it used to make `kigen status` print "kigend 6.6.6, database
# /etc/shadow").  kigen checks who owns the socket and who serves it
# (SO_PEERCRED) and refuses, naming the uid; kigend refuses to start on
# the squatted socket and leaves it.  The test runs as root, like the
# other tests that switch users.
. "$TOP/tests/integration/lib-service.sh"
write_conf
chmod 1777 "$tmp"
expect_rc 0 "$KIGEN" add "GSOC operation start" --due 2009-03-31

# The impostor, as nobody, in the sticky directory.
setpriv --reuid=nobody --regid=nogroup --clear-groups "$py" -c '
import json, os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1])
os.chmod(sys.argv[1], 0o666)
s.listen(8)
open(sys.argv[2], "w").close()
while True:
    c, _ = s.accept()
    try:
        c.recv(64)
        c.sendall(json.dumps({"ok": True, "version": "6.6.6", "pid": 1, "uptime_s": 1,
                              "started_at": "2008-01-01T00:00:00Z", "listen": [],
                              "db": "/etc/shadow", "config": None}).encode() + b"\n")
    except OSError:
        pass
    c.close()
' "$sock" "$tmp/squatting" &
pids="$pids $!"
wait_until "the impostor to start" test -f "$tmp/squatting"

expect_rc 1 "$KIGEN" status
has "$tmp/err" "kigen: control socket '$sock' belongs to uid $(id -u nobody), not to you, root or the service user 'kigen': not trusting it"
hasnt "$tmp/out" "6.6.6"
hasnt "$tmp/err" "/etc/shadow"
expect_rc 1 "$KIGEN" reload
has "$tmp/err" "not trusting it"

# kigend does not take over someone else's live socket.
expect_rc 1 timeout "$patience" "$KIGEND" --config "$conf"
has "$tmp/err" "control socket '$sock' is in use"
[ "$(stat -c %U "$sock")" = nobody ] || fail "the impostor's socket was replaced"

# A socket owned by a trusted user but served by another one: refused too
# (the peer's credentials are checked, not only the file's owner).
chown root "$sock"
expect_rc 1 "$KIGEN" status
has "$tmp/err" "kigen: control socket '$sock' is served by uid $(id -u nobody) (pid "
hasnt "$tmp/out" "6.6.6"
echo ok
