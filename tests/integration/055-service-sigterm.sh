#!/bin/sh
# SIGTERM while webhook deliveries are in flight loses nothing.  With a slow
# receiver, kigend starts no new delivery, lets those in flight finish and
# exits 0 without sending the rest: nothing is left in_flight, at most
# `concurrency` deliveries end after the signal, and after a restart every
# reminder arrives exactly once.  With a receiver that hangs, kigend gives
# up after its drain bound (5 s), returns the unfinished deliveries to the
# outbox, and the restart sends them.  While it drains it accepts no new
# HTTP connection, and `kigen status` still answers.
. "$TOP/tests/integration/lib-reminders.sh"

n=400
conc=8
bulk $n 2008-12-01
at '2008-11-24 08:59:59'
# 250 ms per answer: about 32 deliveries/s, 12 s for all of them, so the
# stop lands mid-delivery.
receiver --secret "$secret" --delay-ms 250
config "concurrency = $conc" "timeout = 5s"
daemon
wait_received 20 True

t0=$(date +%s%N)
kill -TERM "$dpid"
set +e; wait "$dpid"; rc=$?; set -e
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
echo "stopped after $(received) requests, in $ms ms, exit $rc"
[ "$rc" -eq 0 ] || { tail -n 20 "$tmp/kigend.log"; fail "kigend exited $rc on SIGTERM"; }
grep -q 'SIGTERM: stopping' "$tmp/kigend.log" || fail "no shutdown message"
# Only what was in flight when the signal was handled ends after it.
late=$(sed -n '/SIGTERM: stopping/,$p' "$tmp/kigend.log" | grep -c 'webhook ops: delivered' || :)
echo "$late deliveries ended after the signal"
[ "$late" -le "$conc" ] || fail "$late deliveries ended after SIGTERM, more than the $conc in flight"

"$py" - "$db" $n <<'PY' || fail "outbox after SIGTERM"
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
rows = dict(c.execute("SELECT status, count(*) FROM outbox GROUP BY status").fetchall())
print("outbox after SIGTERM:", rows)
assert rows.get("in_flight", 0) == 0, rows
assert rows.get("pending", 0) > 0, "everything was delivered before the stop: test too slow"
assert sum(rows.values()) == int(sys.argv[2]), rows
PY

daemon
wait_all_received $n "e['status'] == 204"
stop_daemon
"$py" - "$tmp/received" $n $conc <<'PY' || fail "deliveries after the restart"
import json, sys
ex = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
n, conc = int(sys.argv[2]), int(sys.argv[3])
assert all(e["ok"] for e in ex), [e for e in ex if not e["ok"]][:3]
assert len({e["uid"] for e in ex}) == n
dups = len(ex) - len({e["id"] for e in ex})
print(f"{len(ex)} requests for {n} reminders, {dups} sent twice")
assert dups == 0, dups
PY

# A receiver that never answers a first attempt: the drain bound ends it.
kill "$rpid"
rm -f "$tmp/received"
receiver --secret "$secret" --hang-first 1
config "concurrency = $conc" "timeout = 60s"
bulk 5 2008-11-25 # their 1-day reminders are due now
daemon
wait_received 5 "e['status'] == 'hang'"
curl -fsS -o /dev/null "http://127.0.0.1:$hport/healthz" || fail "kigend does not serve"
t0=$(date +%s%N)
kill -TERM "$dpid"
# Draining (5 s, the hung deliveries hold it): no new HTTP connections; the
# control socket still answers.
wait_until "kigend to refuse HTTP connections while stopping" \
	http_refused "http://127.0.0.1:$hport/healthz"
k --json status >"$tmp/status.json" || fail "no status while draining"
"$py" -c 'import json,sys; r=json.load(open(sys.argv[1]))["reminders"]; assert r["in_flight"] == 5, r' \
	"$tmp/status.json" || fail "status while draining: $(cat "$tmp/status.json")"
set +e; wait "$dpid"; rc=$?; set -e
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
echo "stopped with hung deliveries in $ms ms, exit $rc"
[ "$rc" -eq 0 ] || fail "kigend exited $rc"
# a lower bound only: a slow machine makes a stop longer, never shorter
[ "$ms" -ge 4500 ] || fail "stop took $ms ms: the drain gave up before its 5 s"
grep -q 'stopping with work in flight after 5000 ms' "$tmp/kigend.log" || fail "no drain timeout message"
n=$(sqlite3 "$db" "SELECT count(*) FROM outbox WHERE status = 'in_flight'")
[ "$n" -eq 0 ] || fail "$n deliveries left in_flight"
daemon
wait_received 5 "e['status'] == 204"
stop_daemon
echo ok
