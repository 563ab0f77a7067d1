#!/bin/sh
# Two kigend on one database: the second is refused before it touches
# anything — by the same path, through a symlink and through "..", each
# with a control socket and address of its own, so only the daemon lock
# (flock on <canonical db>.lock) can tell.  The refused one exits 1 with one
# line (even when the path has a line break) and leaves the first one's
# in-flight delivery alone (it used to reset it to pending, and the
# reminder went out twice).  The CLI never takes the lock: it writes while
# kigend runs.
. "$TOP/tests/integration/lib-service.sh"
write_conf
expect_rc 0 "$KIGEN" add "GSOC operation start" --due 2009-03-31
start_notify
start_kigend

# A delivery in flight, as kigend would have it mid-transfer (this kigend
# has no webhook, so it leaves the row alone itself).
outbox_row in_flight msg_test
snapshot() { cat "$db" "$db-wal" 2>/dev/null | sha256sum; }
before=$(snapshot)

mkdir "$tmp/sub"
ln -s "$db" "$tmp/link.db"
for path in "$db" "$tmp/link.db" "$tmp/sub/../kigen.db"; do
	other=$(free_port)
	printf '[general]\ndb = %s\n[http]\nlisten = 127.0.0.1:%s\n[control]\nsocket = %s\n' \
	    "$path" "$other" "$tmp/other.sock" >"$tmp/other.conf"
	expect_rc 1 timeout "$patience" "$KIGEND" --config "$tmp/other.conf"
	has "$tmp/err" "kigend: error: database '$db' is in use by another kigend (pid $kigend_pid; lock '$db.lock')"
	[ "$(wc -l <"$tmp/err")" -eq 1 ] || { cat "$tmp/err"; fail "more than one line from the refused kigend"; }
	[ ! -e "$tmp/other.sock" ] || fail "the refused kigend made a control socket"
done
[ "$(snapshot)" = "$before" ] || fail "the refused kigend changed the database"
"$py" - "$db" <<'PY' || fail "the in-flight row was reset"
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
assert c.execute("SELECT status FROM outbox WHERE webhook_id = 'msg_test'").fetchone() == ("in_flight",)
PY

# The CLI writes beside the daemon, and does not take its lock.
expect_rc 0 "$KIGEN" add "Exercise" --due 2008-12-01
expect_rc 0 "$KIGEN" status
has "$tmp/out" "pid $kigend_pid"

# Once the first one stops, the lock is free again (the file stays).
stop_kigend
[ -f "$db.lock" ] || fail "lock file removed"
start_kigend
expect_rc 0 "$KIGEN" status
stop_kigend

# A database whose real path holds a line break and an escape sequence:
# the refusal is still one line, those characters shown as ^J and ^[.
odd="$tmp/new
line$(printf '\033')[2J"
mkdir "$odd"
start_kigend --db "$odd/kigen.db"
expect_rc 1 timeout 20 "$KIGEND" --config "$conf" --db "$odd/kigen.db" --listen "127.0.0.1:$(free_port)"
shown="$tmp/new^Jline^[[2J"
[ "$(cat "$tmp/err")" = "kigend: error: database '$shown/kigen.db' is in use by another kigend (pid $kigend_pid; lock '$shown/kigen.db.lock')" ] ||
	{ cat "$tmp/err"; fail "the refusal is not one line naming the holder"; }
stop_kigend
echo ok
