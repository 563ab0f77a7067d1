#!/bin/sh
# Delivery against a real receiver (signatures verified by the reference
# standardwebhooks library): 500 then 204 is retried with the same
# webhook-id, no sooner than Retry-After; redeliver resends that id; a
# receiver that hangs hits the timeout and is retried; a wrong secret fails
# verification and, after max_attempts, the delivery is failed and kept;
# 410 stops deliveries to the endpoint; `kigen webhook test` signs too.
. "$TOP/tests/integration/lib-reminders.sh"

# fresh: a new database with one milestone whose 7-day reminder is due at
# 09:00, two seconds after the (fake) start.
fresh() {
	rm -f "$db" "$db-wal" "$db-shm" "$tmp/received"
	k add "官民連携の演習を実施" --due 2008-12-01 --kind exercise >/dev/null
	k add "報告書の取りまとめ" --due 2008-12-01 --kind report >/dev/null
	at '2008-11-24 08:59:58'
}

stop_receiver() {
	kill "$rpid" 2>/dev/null || :
	wait "$rpid" 2>/dev/null || :
}

# outbox_is PYEXPR: PYEXPR holds over d, the deliveries of the outbox.
outbox_is() {
	k deliveries --json --limit 0 >"$tmp/d.json" &&
	    "$py" -c 'import json,sys; d=json.load(open(sys.argv[1]))["deliveries"]; sys.exit(0 if eval(sys.argv[2]) else 1)' \
	    "$tmp/d.json" "$1"
}

# 1. 500 (Retry-After: 7) then 204: the same id again, 7 s later.
fresh
receiver --secret "$secret" --fail-first 1 --retry-after 7
config "concurrency = 1"
daemon
wait_received 4 True
"$py" - "$tmp/received" <<'PY' || fail "retry"
import json, sys
ex = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert all(e["ok"] for e in ex), ex
for id in {e["id"] for e in ex}:
    tries = [e for e in ex if e["id"] == id]
    assert [e["status"] for e in tries] == [500, 204], tries
    assert tries[1]["at"] - tries[0]["at"] >= 7, tries
PY
k deliveries --json >"$tmp/d.json"
"$py" -c 'import json,sys; d=json.load(open(sys.argv[1]))["deliveries"]; assert all(x["status"]=="delivered" and x["attempts"]==2 for x in d) and len(d)==2, d' "$tmp/d.json" ||
	fail "deliveries after retry"
# redeliver: the same webhook-id once more, picked up within seconds
kf redeliver 1 >"$tmp/out"
grep -q "queued again" "$tmp/out" || fail "redeliver output"
id1=$("$py" -c 'import json,sys; print([x for x in json.load(open(sys.argv[1]))["deliveries"] if x["id"]==1][0]["webhook_id"])' "$tmp/d.json")
wait_received 3 "e['id'] == '$id1'"
stop_daemon
stop_receiver

# 2. A receiver that never answers the first attempt: timeout, then retry.
fresh
receiver --secret "$secret" --hang-first 1
config "timeout = 2s" "concurrency = 2"
daemon
wait_received 4 True
[ "$(received "e['status'] == 204")" -eq 2 ] || fail "no success after the timeout"
grep -qi "timed out\|timeout" "$tmp/kigend.log" || fail "no timeout logged"
stop_daemon
stop_receiver

# 3. Wrong secret: the receiver rejects the signature (401); with
#    max_attempts = 1 the delivery is failed, and kept.
fresh
receiver --secret "$secret"
hook_secret="whsec_$(head -c 32 /dev/urandom | base64)"
config "max_attempts = 1"
daemon
wait_received 2 "not e['ok']"
wait_until "both deliveries to fail" outbox_is "[x['status'] for x in d] == ['failed', 'failed']"
stop_daemon
grep -q "No matching signature found" "$tmp/received" || fail "verification error"
k deliveries --failed --json >"$tmp/d.json"
"$py" -c 'import json,sys; d=json.load(open(sys.argv[1]))["deliveries"]; assert len(d)==2 and all(x["status"]=="failed" and x["last_http_status"]==401 for x in d), d' "$tmp/d.json" ||
	fail "failed deliveries"
kf webhook test ops >"$tmp/out" 2>"$tmp/err" && fail "webhook test passed with a wrong secret"
grep -q "http 401" "$tmp/err" || fail "webhook test error: $(cat "$tmp/err")"
unset hook_secret
stop_receiver

# 4. 410 Gone: the first delivery fails, the endpoint is marked, the second
#    is not attempted.
fresh
receiver --secret "$secret" --status 410
config "concurrency = 1"
daemon
wait_received 1 True
# The 410 is recorded and the endpoint marked; the loop went round once
# more (status) with nothing in flight: the second delivery was not tried.
wait_until "the 410 to be recorded" outbox_is "sorted(x['status'] for x in d) == ['failed', 'pending']"
wait_until "kigend to go round" status_ok "r['reminders']['in_flight'] == 0"
stop_daemon
[ "$(received)" -eq 1 ] || fail "kept sending after 410"
k deliveries --json >"$tmp/d.json"
"$py" -c 'import json,sys; d=json.load(open(sys.argv[1]))["deliveries"]; s=sorted(x["status"] for x in d); assert s==["failed","pending"], d' "$tmp/d.json" ||
	fail "410 handling"
stop_receiver

# 5. webhook test: a signed webhook.test event, the answer printed.
receiver --secret "$secret"
config
kf webhook test ops >"$tmp/out"
grep -q "HTTP 204" "$tmp/out" || fail "webhook test: $(cat "$tmp/out")"
[ "$(received "e['ok'] and e['type'] == 'webhook.test'")" -eq 1 ] || fail "test event not verified"
echo ok
