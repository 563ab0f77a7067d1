#!/bin/sh
# SIGHUP and `kigen reload`: a good configuration is put into force (the
# feed's calendar name changes); a bad one is rejected with FILE:LINE, the
# old one stays and kigend keeps serving; systemd hears RELOADING, READY
# and at the end STOPPING; SIGTERM stops kigend cleanly.
. "$TOP/tests/integration/lib-service.sh"

feed_shows() { curl -fsS "http://127.0.0.1:$port/feed.ics" 2>/dev/null | grep -qF -- "$1"; }
feed_has() { wait_until "the feed to show '$1'" feed_shows "$1"; } # feed_has TEXT

write_conf '[feed]
name = first-name'
expect_rc 0 "$KIGEN" add "GSOC operation start" --due 2009-03-31
start_notify
start_kigend
feed_has 'X-WR-CALNAME:first-name'
feed_has 'SUMMARY:GSOC operation start'

# SIGHUP with a good file.
write_conf '[feed]
name = second-name'
kill -HUP "$kigend_pid"
wait_notify 'RELOADING=1'
wait_log 'configuration reloaded'
feed_has 'X-WR-CALNAME:second-name'
# systemd's reload ends at the next READY=1.
readies() { [ "$(grep -c '^READY=1' "$tmp/notify.log")" -ge 2 ]; }
wait_until "READY=1 after the reload" readies

# SIGHUP with a bad file (line 7 of write_conf's output): rejected.
write_conf '[feed]
name = third-name
colour = blue'
kill -HUP "$kigend_pid"
wait_log "reload rejected, the configuration in force stays: $conf:7: "
kill -0 "$kigend_pid" || fail "kigend died on a bad configuration"
feed_has 'X-WR-CALNAME:second-name'
curl -fsS "http://127.0.0.1:$port/feed.ics" | grep -q 'third-name' && fail "bad file partly applied"

# kigen reload answers whether it worked.  Reading the same file, the CLI
# itself already stops at the error; with a file of its own it asks kigend.
expect_rc 1 "$KIGEN" reload
has "$tmp/err" "$conf:7: unknown key 'colour'"
: >"$tmp/cli.conf"
expect_rc 1 env KIGEN_CONFIG="$tmp/cli.conf" "$KIGEN" --db "$db" reload
has "$tmp/err" "kigen: reload rejected, the configuration in force stays: $conf:7: "
write_conf '[feed]
name = fourth-name'
expect_rc 0 "$KIGEN" reload
has "$tmp/out" 'configuration reloaded'
feed_has 'X-WR-CALNAME:fourth-name'

# Restart-only settings are reported, not half-applied.
write_conf '[feed]
name = fourth-name
[control]
socket = '"$tmp/other.sock"
expect_rc 0 env KIGEN_CONFIG="$tmp/cli.conf" "$KIGEN" --db "$db" reload
wait_log '[control] socket changed; takes effect at the next start'
[ -S "$sock" ] || fail "control socket moved during a reload"

stop_kigend
wait_notify 'STOPPING=1'
[ "$(grep -c '^STOPPING=1' "$tmp/notify.log")" -eq 1 ] || fail "STOPPING=1 sent more than once"
has "$tmp/kigend.log" 'SIGTERM: stopping'
[ ! -e "$sock" ] || fail "control socket left behind after a clean stop"
echo ok
