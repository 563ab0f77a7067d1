#!/bin/sh
# Reminders through late November and early December 2008 under a fake
# clock: the 7-day, 1-day and same-day reminders of the 2008-12-01 exercise
# reach a real receiver once each, in order, signed (verified by the
# reference standardwebhooks library); a clock stepped back sends nothing
# twice; a daemon started after 09:00 catches up (late) within the window;
# done milestones get nothing; `kigen upcoming` and the receiver agree.
. "$TOP/tests/integration/lib-reminders.sh"

k add "官民連携の演習を実施" --due 2008-12-01 --kind exercise --owner 内閣官房 >/dev/null
k add "報告書の取りまとめ" --due 2008-12-02 --kind report --owner 総務省 >/dev/null
k add "済んだ会合" --due 2008-12-01 --kind meeting >/dev/null
k done 3 >/dev/null
ex=$(k show 1 --json | "$py" -c 'import json,sys; print(json.load(sys.stdin)["uid"])')
is_ex="e.get('uid') == '$ex'"

# 1. 2008-11-24 09:00 JST: the 7-day reminder.
at '2008-11-24 08:59:57'
receiver --secret "$secret"
config
daemon
wait_received 1 "$is_ex and e['lead_days'] == 7" 15
stop_daemon

# 2. The clock steps back to 08:59:58 and passes 09:00 again: nothing new.
at '2008-11-24 08:59:58'
daemon
sleep 5
stop_daemon
[ "$(received "$is_ex")" -eq 1 ] || fail "clock stepped back: reminder sent again"

# 3. Down over 09:00 on 11-30; started at 09:20: the 1-day reminder comes
#    late (within catch_up = 1d); the 7-day one of 12-02 (11-25) does not.
at '2008-11-30 09:20:00'
kill "$rpid"; wait "$rpid" 2>/dev/null || :
receiver --secret "$secret"
config
daemon
wait_received 1 "$is_ex and e['lead_days'] == 1" 15
stop_daemon
[ "$(received "$is_ex and e['lead_days'] == 1 and e['late'] and e['days_left'] == 1")" -eq 1 ] ||
	fail "1-day reminder not marked late"
[ "$(received "e.get('due') == '2008-12-02' and e['lead_days'] == 7")" -eq 0 ] ||
	fail "a reminder missed by more than catch_up was sent"

# 4. 2008-12-01 09:00: the same-day reminder (and 12-02's 1-day one).
at '2008-12-01 08:59:57'
kill "$rpid"; wait "$rpid" 2>/dev/null || :
receiver --secret "$secret"
config
daemon
wait_received 1 "$is_ex and e['lead_days'] == 0" 15
wait_received 1 "e.get('due') == '2008-12-02' and e['lead_days'] == 1" 5
stop_daemon

# Once each, in order, all verified, distinct webhook-ids; nothing for the
# done milestone.
"$py" - "$tmp/received" "$ex" <<'PY' || fail "reminders of the exercise"
import json, sys
ex = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert all(e["ok"] for e in ex), ex
mine = [e for e in ex if e.get("uid") == sys.argv[2]]
assert [e["lead_days"] for e in mine] == [7, 1, 0], mine
assert [e["days_left"] for e in mine] == [7, 1, 0], mine
assert len({e["id"] for e in mine}) == 3, mine
assert [e["late"] for e in mine] == [False, True, False], mine
assert all(e["type"] == "milestone.reminder" for e in mine)
assert not [e for e in ex if e.get("due") == "2008-12-01" and e.get("uid") != sys.argv[2]]
PY

# kigen upcoming and the receiver agree on what was due on 12-01.
k --as-of 2008-12-01 upcoming --days 0 --json >"$tmp/upcoming.json"
"$py" - "$tmp/received" "$tmp/upcoming.json" <<'PY' || fail "upcoming and receiver disagree"
import json, sys
got = {e["uid"] for e in map(json.loads, open(sys.argv[1], encoding="utf-8"))
       if e.get("lead_days") == 0 and e["at"] >= 1228089600}
want = {m["uid"] for m in json.load(open(sys.argv[2]))["milestones"]}
assert got == want and got, (got, want)
PY

# The outbox says the same.
k deliveries --json >"$tmp/deliveries.json"
"$py" - "$tmp/deliveries.json" <<'PY' || fail "deliveries"
import json, sys
d = json.load(open(sys.argv[1]))["deliveries"]
assert len(d) == 4 and all(x["status"] == "delivered" and x["attempts"] == 1 for x in d), d
PY
echo ok
