#!/bin/sh
# Reminders through late November and early December 2008 under a fake
# clock: the 7-day, 1-day and same-day reminders of the 2008-12-01 exercise
# reach a real receiver once each, in order, signed (verified by the
# reference standardwebhooks library); a clock stepped back sends nothing
# twice; a daemon started after 09:00 catches up (late) within the window;
# done milestones get nothing; `kigen upcoming` and the receiver agree.
# The sample report (data/secure-japan-2008-h1.txt) is imported.
. "$TOP/tests/integration/lib-reminders.sh"

k import "$TOP/data/secure-japan-2008-h1.txt" >/dev/null
k --as-of 2008-12-01 upcoming --days 0 --json >"$tmp/ex.json"
ex=$("$py" -c 'import json,sys; m=json.load(open(sys.argv[1]))["milestones"]; assert len(m)==1 and m[0]["kind"]=="exercise", m; print(m[0]["uid"])' "$tmp/ex.json")
is_ex="e.get('uid') == '$ex'"
# day(e): the day a received reminder was meant for (deadline - lead)
fire_day="(__import__('datetime').date.fromisoformat(e['due']) - __import__('datetime').timedelta(days=e['lead_days'])).isoformat()"

# 1. 2008-11-24 09:00 JST: the 7-day reminder.
at '2008-11-24 08:59:57'
receiver --secret "$secret"
config
daemon
wait_received 1 "$is_ex and e['lead_days'] == 7"
# Changes while kigend runs are planned within a second: a milestone added
# now gets its 7-day reminder (09:00, seconds ago: within the grace minute,
# so not even late) at once; a moved deadline
# gets reminders for the new date, and moving it back sends nothing twice.
kf add "追加の演習" --due 2008-12-01 --kind exercise >/dev/null
new=$(k --as-of 2008-12-01 upcoming --days 0 --json | "$py" -c 'import json,sys; print([m["uid"] for m in json.load(sys.stdin)["milestones"] if m["uid"] != sys.argv[1]][0])' "$ex")
wait_received 1 "e.get('uid') == '$new' and e['lead_days'] == 7 and not e['late']"
exid=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["milestones"][0]["id"])' "$tmp/ex.json")
kf edit "$exid" --due 2008-11-25 >/dev/null
wait_received 1 "$is_ex and e['due'] == '2008-11-25' and e['lead_days'] == 1"
kf edit "$exid" --due 2008-12-01 >/dev/null
served "[x for x in m if x['id'] == $exid][0]['due'] == '2008-12-01'"
settled '2008-11-24 09:00:00'
[ "$(received "$is_ex and e['due'] == '2008-12-01' and e['lead_days'] == 7")" -eq 1 ] ||
	fail "moving a deadline back resent its reminder"
stop_daemon

# 2. The clock steps back to 08:59:58 and passes 09:00 again: nothing new.
at '2008-11-24 08:59:58'
daemon
settled '2008-11-24 09:00:00'
stop_daemon
[ "$(received "$is_ex and e['due'] == '2008-12-01'")" -eq 1 ] ||
	fail "clock stepped back: reminder sent again"

# 3. Down over 09:00 on 11-30; started at 09:20: the 1-day reminder comes
#    late (within catch_up = 1d); the ones of 11-29 09:00 do not come.
at '2008-11-30 09:20:00'
kill "$rpid"; wait "$rpid" 2>/dev/null || :
mv "$tmp/received" "$tmp/received.1"
receiver --secret "$secret"
config
daemon
wait_received 1 "$is_ex and e['lead_days'] == 1"
settled '2008-11-30 09:20:00'
stop_daemon
[ "$(received "$is_ex and e['lead_days'] == 1 and e['late'] and e['days_left'] == 1")" -eq 1 ] ||
	fail "1-day reminder not marked late"
[ "$(received "e.get('due') and $fire_day != '2008-11-30'")" -eq 0 ] ||
	fail "a reminder missed by more than catch_up was sent"
cat "$tmp/received" >>"$tmp/received.1"
rm "$tmp/received"

# 4. 2008-12-01 09:00: the same-day reminder, and 30-day ones of 12-31 but
#    for the milestone marked done.
k done 4 >/dev/null
# 4. 2008-12-01 09:00: the same-day reminder (and 12-02's 1-day one).
at '2008-12-01 08:59:57'
kill "$rpid"; wait "$rpid" 2>/dev/null || :
receiver --secret "$secret"
config
daemon
wait_received 1 "$is_ex and e['lead_days'] == 0"
settled '2008-12-01 09:00:00'
stop_daemon
k --as-of 2008-12-01 upcoming --until 2008-12-31 --json >"$tmp/upcoming.json"
cat "$tmp/received" >>"$tmp/received.1"
mv "$tmp/received.1" "$tmp/received"

# Once each, in order, all verified, distinct webhook-ids; nothing for the
# done milestone.
"$py" - "$tmp/received" "$ex" "$new" <<'PY' || fail "reminders of the exercise"
import json, sys
ex = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert all(e["ok"] for e in ex), ex
mine = [e for e in ex if e.get("uid") == sys.argv[2] and e["due"] == "2008-12-01"]
assert [e["lead_days"] for e in mine] == [7, 1, 0], mine
assert [e["days_left"] for e in mine] == [7, 1, 0], mine
assert len({e["id"] for e in mine}) == 3, mine
assert [e["late"] for e in mine] == [False, True, False], mine
assert all(e["type"] == "milestone.reminder" for e in mine)
assert not [e for e in ex if e.get("due") == "2008-12-01" and e.get("uid") not in sys.argv[2:]]
PY
# Each links to the milestone's page under [http] base_url.
[ "$(received "$is_ex and e['due'] == '2008-12-01' and e['url'] == 'http://127.0.0.1:5545/milestones/$exid'")" -eq 3 ] ||
	fail "reminders without the milestone's url"
[ "$(received "e.get('due') == '2008-12-31' and e['lead_days'] == 30")" -eq 1 ] ||
	fail "the done milestone got a reminder, or the open one none"

# kigen upcoming and the receiver agree on what was due on 12-01, and when:
# every open milestone whose deadline is 12-01 + a lead got that reminder.
"$py" - "$tmp/received" "$tmp/upcoming.json" <<'PY' || fail "upcoming and receiver disagree"
import datetime, json, sys
leads = {30, 7, 1, 0}
got = {(e["uid"], e["lead_days"]) for e in map(json.loads, open(sys.argv[1], encoding="utf-8"))
       if e["at"] >= 1228089600 and e.get("lead_days", -1) >= 0}
day = datetime.date(2008, 12, 1)
want = {(m["uid"], (datetime.date.fromisoformat(m["due"]) - day).days)
        for m in json.load(open(sys.argv[2]))["milestones"]
        if (datetime.date.fromisoformat(m["due"]) - day).days in leads}
assert got == want and len(got) >= 2, (got, want)
PY

# The outbox says the same.
k deliveries --json >"$tmp/deliveries.json"
"$py" - "$tmp/deliveries.json" <<'PY' || fail "deliveries"
import json, sys
d = json.load(open(sys.argv[1]))["deliveries"]
assert d and all(x["status"] == "delivered" and x["attempts"] == 1 for x in d), d
PY
[ "$(k deliveries --json --limit 0 | "$py" -c 'import json,sys; print(len(json.load(sys.stdin)["deliveries"]))')" -eq "$(received)" ] ||
	fail "outbox and receiver counts differ"
echo ok
