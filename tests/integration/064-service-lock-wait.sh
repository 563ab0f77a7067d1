#!/bin/sh
# Another connection holds the write lock for longer than SQLite's 5 s busy
# timeout (a long import, a sqlite3 shell) while kigend delivers: kigend's
# loop never waits for the lock (it used to block on it, and then fail:
# "cannot record 2 delivery results"); results are queued and written once
# the lock is free, `kigen status` answers meanwhile, and every reminder
# arrives exactly once.  A CLI write waits instead of failing with
# "database is locked", and says who holds the lock, in one line.
. "$TOP/tests/integration/lib-reminders.sh"

n=40
bulk $n 2008-12-01
at '2008-11-24 08:59:59'
receiver --secret "$secret" --delay-ms 300
config "concurrency = 2"
daemon
wait_received 4 True 30

# Holds the lock for longer than SQLite's 5 s busy timeout and until the
# file "release" appears (at most $patience s): released once kigend and a
# CLI write have both met it, however slow the machine.
cat >"$tmp/hold-lock.py" <<'PY'
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
c.execute("UPDATE meta SET value = value WHERE key = 'none'")
open(sys.argv[2], "w").close()
def released():
    try:
        open(sys.argv[3]).close()
        return True
    except OSError:
        return False
start = time.monotonic()
while (not released() or time.monotonic() < start + 6) and \
        time.monotonic() < start + float(sys.argv[4]):
    time.sleep(0.05)
c.execute("COMMIT")
PY
# Given as a -c argument: the holder's command line has line breaks.
"$py" -c "$(cat "$tmp/hold-lock.py")" "$db" "$tmp/held" "$tmp/release" "$patience" &
holder=$!
pids="$pids $holder"
wait_until "the lock holder" test -f "$tmp/held"

# The loop answers while the lock is held (status only reads).
i=0
while [ $i -lt 3 ]; do
	k status >"$tmp/status" 2>&1 || { cat "$tmp/status"; fail "kigen status failed while the lock was held"; }
	i=$((i + 1))
done
# A CLI write waits, names the holder on one line (its line break shown
# as ^J), and succeeds once it is free.
k done 1 >"$tmp/add.out" 2>"$tmp/add.err" &
writer=$!
pids="$pids $writer"
wait_until "kigen done to wait for the lock" grep -q "kigen: waiting for the database" "$tmp/add.err"
wait_until "kigend to meet the held lock" grep -q 'wait to be recorded\|database is locked by' "$tmp/kigend.log"
: >"$tmp/release"
wait "$writer" || { cat "$tmp/add.err"; fail "kigen done failed instead of waiting"; }
[ "$(cat "$tmp/add.err")" = "kigen: waiting for the database, locked by python3 import sqlite3, sys, time^Jc = sq (pid $holder)" ] ||
	{ cat "$tmp/add.err"; fail "not one line naming the holder"; }
wait "$holder"

wait_received $n "e['status'] == 204" 120
wait_delivered $n
"$py" - "$tmp/received" "$db" $n <<'PY' || fail "deliveries around the held lock"
import json, sqlite3, sys
ex = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
n = int(sys.argv[3])
dups = len(ex) - len({e["id"] for e in ex})
print(f"{len(ex)} requests for {n} reminders, {dups} sent twice")
assert dups == 0 and len(ex) == n, dups
c = sqlite3.connect(sys.argv[2])
assert c.execute("SELECT count(*) FROM outbox WHERE attempts <> 1").fetchone()[0] == 0
PY
grep -q 'wait to be recorded\|database is locked by' "$tmp/kigend.log" ||
	{ tail -n 30 "$tmp/kigend.log"; fail "kigend never met the held lock (test too slow?)"; }
stop_daemon
echo ok
