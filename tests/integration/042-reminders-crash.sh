#!/bin/sh
# Crash test: 3000 reminders come due at once; while they are being
# delivered kigend is killed with SIGKILL four times at random moments and
# restarted.  At the end every reminder reached the receiver (signature
# verified) at least once, and the duplicates (same webhook-id delivered
# twice) are few: at most what was in flight at the kills (each restart
# says how many it resumes, at most `concurrency`), plus the attempts kigend
# itself logged as failed and retried (a loaded machine may make one time
# out).  Exactly: no webhook-id reaches the receiver more often than the
# outbox counts attempts of it.
# The moments are random but replayable: each kill comes after a random
# number of further requests drawn from SEED (printed; SEED=N replays it),
# so they land mid-delivery however fast or slow the machine is.
. "$TOP/tests/integration/lib-reminders.sh"

n=3000
conc=8
kills=4
seed=${SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
echo "042: SEED=$seed (run with SEED=$seed to replay these kill moments)"
# after each (re)start, kill once this many more requests arrived: 20..219
steps=$(awk -v seed="$seed" -v k=$kills 'BEGIN { srand(seed); for (i = 0; i < k; i++) print 20 + int(rand() * 200) }')
bulk $n 2008-12-01
at '2008-11-24 08:59:59'
# 10 ms per answer: ~800 deliveries/s.  The timeout is generous: a slow
# answer on a loaded machine is still an answer, not a retry.
receiver --secret "$secret" --delay-ms 10
config "concurrency = $conc" "timeout = 60s"
daemon
for step in $steps; do
	wait_received $(($(received) + step)) True
	kill -9 "$dpid"
	wait "$dpid" 2>/dev/null || :
	echo "killed kigend after $(received) requests"
	daemon
done
# Everything arrives (distinct verified ids that got a 204), and the
# outbox has nothing left to send.
wait_all_received $n "e['status'] == 204"
settled '2008-11-24 09:00:00'
stop_daemon
# Each restart says how many deliveries a kill cut short, each failed
# attempt that it is retried: the only ones that may reach the receiver twice.
resumed=$(sed -n 's/.*resuming \([0-9]*\) deliveries.*/\1/p' "$tmp/kigend.log" |
    awk '{s += $1} END {print s + 0}')
retried=$(grep -c 'attempt [0-9]* failed' "$tmp/kigend.log" || :)
grep 'attempt [0-9]* failed' "$tmp/kigend.log" | head -n 5
k deliveries --json --limit 0 >"$tmp/d.json"
"$py" - "$tmp/received" $n $((kills * conc)) "$resumed" "$retried" "$tmp/d.json" <<'PY' || fail "crash test"
import collections, json, sys
ex = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
n, bound, resumed, retried = map(int, sys.argv[2:6])
attempts = {d["webhook_id"]: d["attempts"] for d in json.load(open(sys.argv[6]))["deliveries"]}
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
      f" {resumed} deliveries resumed after the kills, {retried} attempts retried")
# nothing sent that kigend did not count as an attempt
over = [(i, c, attempts.get(i)) for i, c in collections.Counter(ids).items()
        if c > attempts.get(i, 0)]
assert not over, over[:3]
assert resumed <= bound, (resumed, bound)
assert dups <= resumed + retried, (dups, resumed, retried)
PY
"$py" -c 'import json,sys; d=[x for x in json.load(open(sys.argv[1]))["deliveries"] if x["status"] != "delivered"]; assert not d, d[:3]' "$tmp/d.json" ||
	fail "deliveries not delivered"
echo ok
