#!/bin/sh
# Crash test: 3000 reminders come due at once; while they are being
# delivered kigend is killed with SIGKILL four times at random moments and
# restarted.  At the end every reminder reached the receiver (signature
# verified) at least once, and the duplicates (same webhook-id delivered
# twice) are few: at most what can be in flight at a kill.
. "$TOP/tests/integration/lib-reminders.sh"

n=3000
conc=8
kills=4
bulk $n 2008-12-01
at '2008-11-24 08:59:59'
# 10 ms per answer: ~800 deliveries/s, so the kills land mid-delivery.
receiver --secret "$secret" --delay-ms 10
config "concurrency = $conc" "timeout = 5s"
daemon
wait_received 50 True 15
i=0
while [ $i -lt $kills ]; do
	sleep "0.$(shuf -i 2-9 -n 1)"
	kill -9 "$dpid"
	wait "$dpid" 2>/dev/null || :
	echo "killed kigend after $(received) requests"
	daemon
	i=$((i + 1))
done
# Everything arrives: count distinct verified ids that got a 204.
i=0
while [ "$(received "e['status'] == 204")" -lt $n ]; do
	i=$((i + 1)); [ $i -lt 300 ] || fail "only $(received "e['status'] == 204") of $n delivered"
	sleep 0.2
done
sleep 1
stop_daemon
# Each restart says how many deliveries a kill cut short: the only ones
# that may reach the receiver twice.
resumed=$(sed -n 's/.*resuming \([0-9]*\) deliveries.*/\1/p' "$tmp/kigend.log" |
    awk '{s += $1} END {print s + 0}')
"$py" - "$tmp/received" $n $((kills * conc)) "$resumed" <<'PY' || fail "crash test"
import json, sys
ex = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
n, bound, resumed = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
assert all(e["ok"] for e in ex), [e for e in ex if not e["ok"]][:3]
uids = {e["uid"] for e in ex if e["uid"].startswith("bulk-")}
assert len(uids) == n, len(uids)
ids = [e["id"] for e in ex]
dups = len(ids) - len(set(ids))
# one reminder = one webhook-id, whatever the crashes did
per_uid = {}
for e in ex:
    per_uid.setdefault(e["uid"], set()).add(e["id"])
assert all(len(v) == 1 for v in per_uid.values()), "a reminder got two ids"
print(f"{len(ids)} requests for {n} reminders: {dups} duplicates,"
      f" {resumed} deliveries resumed after the kills")
assert dups <= resumed <= bound, (dups, resumed, bound)
PY
k deliveries --pending --json >"$tmp/d.json"
"$py" -c 'import json,sys; d=json.load(open(sys.argv[1]))["deliveries"]; assert not d, d[:3]' "$tmp/d.json" ||
	fail "deliveries left pending"
echo ok
