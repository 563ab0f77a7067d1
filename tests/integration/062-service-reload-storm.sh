#!/bin/sh
# 100 SIGHUPs in a second while webhooks are in flight: the reloads are
# coalesced, transfers to the unchanged endpoint go on, and the receiver
# sees every reminder exactly once (each reload used to stop and resend
# every delivery in flight: 101 POSTs per message, attempts past
# max_attempts).  Then an endpoint removed by a reload has its waiting
# deliveries cancelled, visible in `kigen deliveries` (they used to stay
# pending forever).
. "$TOP/tests/integration/lib-reminders.sh"

n=200
bulk $n 2008-12-01 # the 7-day reminders fire at 2008-11-24 09:00
at '2008-11-24 08:59:59'
receiver --secret "$secret" --delay-ms 100
spare="[webhook:spare]
url = http://127.0.0.1:1/nobody-listens
secret = $secret
concurrency = 1"
config "concurrency = 4" "max_attempts = 3" "$spare"
daemon
wait_received 20 True 30

t0=$(date +%s)
i=0
while [ $i -lt 100 ]; do
	kill -HUP "$dpid"
	i=$((i + 1))
	sleep 0.01
done
storm=$(( $(date +%s) - t0 + 1 )) # seconds the storm lasted, rounded up
kill -0 "$dpid" || fail "kigend died in the reload storm"
wait_received $n "e['status'] == 204" 120
reloads=$(grep -c 'reloading the configuration' "$tmp/kigend.log" || :)
echo "100 SIGHUPs in about $storm s: $reloads reloads"
# At most one a second (and one more at the end): however slow the machine.
[ "$reloads" -le $((storm + 2)) ] || fail "$reloads reloads for 100 SIGHUPs: not coalesced"

wait_delivered $n
"$py" - "$tmp/received" "$db" $n <<'PY' || fail "deliveries during the storm"
import json, sqlite3, sys
ex = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
n = int(sys.argv[3])
assert all(e["ok"] for e in ex), [e for e in ex if not e["ok"]][:3]
dups = len(ex) - len({e["id"] for e in ex})
print(f"{len(ex)} requests for {n} reminders, {dups} sent twice")
assert dups == 0 and len(ex) == n, dups
c = sqlite3.connect(sys.argv[2])
rows = c.execute("SELECT status, attempts, count(*) FROM outbox WHERE endpoint = 'ops'"
                 " GROUP BY status, attempts").fetchall()
assert rows == [("delivered", 1, n)], rows
PY

# The spare endpoint is refused (nobody listens): its deliveries wait for
# a retry.  A reload without it cancels them.
k deliveries --pending >"$tmp/pending" || fail "kigen deliveries"
grep -q 'spare' "$tmp/pending" || { cat "$tmp/pending"; fail "no pending delivery to spare"; }
config "concurrency = 4" "max_attempts = 3"
kill -HUP "$dpid"
cancelled() { grep -q 'webhook spare: endpoint removed from the configuration: [0-9]* deliveries cancelled' "$tmp/kigend.log"; }
poll_until "$patience" cancelled || { tail -n 20 "$tmp/kigend.log"; fail "spare's deliveries not cancelled"; }
k deliveries >"$tmp/all" || fail "kigen deliveries"
grep 'spare' "$tmp/all" | grep -q 'cancelled' || { cat "$tmp/all"; fail "no cancelled delivery shown"; }
k --json deliveries >"$tmp/all.json"
"$py" - "$db" <<'PY' || fail "spare's rows"
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
rows = dict(c.execute("SELECT status, count(*) FROM outbox WHERE endpoint = 'spare'"
                      " GROUP BY status").fetchall())
print("spare:", rows)
assert set(rows) == {"cancelled"}, rows
why = c.execute("SELECT DISTINCT last_error FROM outbox WHERE endpoint = 'spare'").fetchall()
assert why == [("endpoint removed from the configuration",)], why
PY
stop_daemon
echo ok
