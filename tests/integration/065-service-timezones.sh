#!/bin/sh
# Time zones as users write them: UTC (which used to pass --check-config
# and then stop kigend with "unknown time zone 'UTC'"), GMT, lower case,
# Etc/GMT-9, the old link Japan — each accepted by --check-config and by a
# start alike, and served with its VTIMEZONE.  By reload: UTC is put in
# force and data changes are still published afterwards (they used to stop
# for good, with /healthz still green); an unknown zone is refused and the
# zone in force stays.
. "$TOP/tests/integration/lib-service.sh"
write_conf
expect_rc 0 "$KIGEN" add "GSOC operation start" --due 2009-03-31
start_notify

feed() { curl -fsS "http://127.0.0.1:$port/feed.ics"; }
feed_shows() { feed 2>/dev/null | grep -qF -- "$1"; }
feed_has() { # waits for TEXT in the served feed
	poll_until "$patience" feed_shows "$1" || { feed | head -30; fail "feed never showed '$1'"; }
}

for pair in UTC:UTC GMT:GMT utc:UTC Etc/GMT-9:Etc/GMT-9 Japan:Japan asia/tokyo:Asia/Tokyo; do
	given=${pair%%:*} name=${pair#*:}
	write_conf "[general]
timezone = $given"
	expect_rc 0 "$KIGEND" --check-config --config "$conf"
	has "$tmp/out" "$conf: ok"
	start_kigend
	feed_has "X-WR-TIMEZONE:$name"
	feed_has "TZID:$name"
	stop_kigend
done

# By reload.
write_conf '[general]
timezone = Asia/Tokyo'
start_kigend
feed_has 'X-WR-TIMEZONE:Asia/Tokyo'
write_conf '[general]
timezone = UTC'
expect_rc 0 "$KIGEN" reload
feed_has 'X-WR-TIMEZONE:UTC'
expect_rc 0 "$KIGEN" add "Exercise after the reload" --due 2008-12-01
feed_has 'SUMMARY:Exercise after the reload'

write_conf '[general]
timezone = Mars/Olympus_Mons'
expect_rc 1 "$KIGEN" --config "$tmp/empty.conf" --db "$db" reload
has "$tmp/err" "reload rejected, the configuration in force stays: $conf:6: unknown time zone 'Mars/Olympus_Mons'"
expect_rc 0 "$KIGEN" --config "$tmp/empty.conf" --db "$db" add "Report after the refusal" --due 2009-03-31
feed_has 'SUMMARY:Report after the refusal'
feed | grep -q 'X-WR-TIMEZONE:UTC' || fail "the zone in force changed on a refused reload"
stop_kigend
echo ok
