#!/bin/sh
# --check-config and a real start judge a configuration by the same code:
# for each configuration of a table, both accept it or both refuse it with
# the same line.  What check-config used to let through and a start (or
# the first delivery) then tripped on: malformed webhook URLs, listen hosts
# that do not resolve, a control socket path too long for a Unix socket,
# UTC; duplicate leads are merged with a warning, by both.
. "$TOP/tests/integration/lib-service.sh"
start_notify
ready_or_gone() { file_has "$tmp/notify.log" READY=1 || gone "$kigend_pid"; }
long=$tmp/$(printf 's%.0s' $(seq 1 120)).sock

# name|extra lines (\n-separated)|ok or the error both must print
cat >"$tmp/table" <<EOT
defaults||ok
utc|[general]\ntimezone = UTC|ok
gmt|[general]\ntimezone = GMT|ok
unknown zone|[general]\ntimezone = Mars/Base|unknown time zone 'Mars/Base'
good webhook|[webhook:ops]\nurl = https://hooks.example.org/kigen\nsecret = whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYX|ok
webhook without host|[webhook:ops]\nurl = http://:8080/kigen\nsecret = whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYX|invalid url 'http://:8080/kigen'
webhook not http|[webhook:ops]\nurl = ftp://files.example.org/x\nsecret = whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYX|invalid url 'ftp://files.example.org/x'
webhook malformed|[webhook:ops]\nurl = http://[::1/kigen\nsecret = whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYX|invalid url 'http://[::1/kigen'
listen unresolvable|[http]\nlisten = no-such-host.invalid:5545|cannot listen on 'no-such-host.invalid:5545'
socket too long|[control]\nsocket = $long|control socket path '$long' too long
duplicate leads|[reminders]\nlead = 1d, 1d, 7d, 1d|ok
unknown key|[feed]\ncolour = blue|unknown key 'colour' in [feed]
EOT

while IFS='|' read -r name extra want; do
	# [http] listen from write_conf comes first; a later [http] overrides it
	# only where the table says so (a second listen = is a duplicate key).
	case $extra in
	'[http]'*) printf '[general]\ndb = %s\n%b\n' "$db" "$extra" >"$conf"; chmod 0600 "$conf" ;;
	*) write_conf "$(printf '%b' "$extra")" ;;
	esac
	set +e
	"$KIGEND" --check-config --config "$conf" >"$tmp/check.out" 2>"$tmp/check.err"
	check=$?
	set -e
	: >"$tmp/kigend.log"
	: >"$tmp/notify.log"
	NOTIFY_SOCKET=$notify "$KIGEND" --config "$conf" >>"$tmp/kigend.log" 2>&1 &
	kigend_pid=$!
	pids="$pids $kigend_pid"
	# READY, or an exit: whichever comes first.
	wait_until "$name: kigend ready or gone" ready_or_gone
	if grep -q '^READY=1' "$tmp/notify.log"; then
		started=0
		stop_kigend
	else
		set +e; wait "$kigend_pid"; started=$?; set -e
	fi
	if [ "$want" = ok ]; then
		[ "$check" -eq 0 ] || { cat "$tmp/check.err"; fail "$name: --check-config refused it"; }
		[ "$started" -eq 0 ] || { cat "$tmp/kigend.log"; fail "$name: the start refused it"; }
	else
		[ "$check" -eq 1 ] || fail "$name: --check-config accepted it (exit $check)"
		[ "$started" -eq 1 ] || { cat "$tmp/kigend.log"; fail "$name: the start accepted it (exit $started)"; }
		has "$tmp/check.err" "$want"
		has "$tmp/kigend.log" "$want"
		[ "$(grep 'error:' "$tmp/check.err")" = "$(grep 'error:' "$tmp/kigend.log")" ] ||
			fail "$name: check and start disagree: $(cat "$tmp/check.err") / $(cat "$tmp/kigend.log")"
	fi
	if [ "$name" = "duplicate leads" ]; then
		has "$tmp/check.err" "$conf:6: [reminders] lead lists a day more than once; each is kept once (2 repeats dropped)"
		has "$tmp/kigend.log" "$conf:6: [reminders] lead lists a day more than once"
	fi
	echo "$name: agreed"
done <"$tmp/table"

# Merged leads: one VALARM per lead day in the feed.
write_conf '[reminders]
lead = 1d, 1d, 1d'
expect_rc 0 "$KIGEN" add "GSOC operation start" --due 2099-03-31
expect_rc 0 "$KIGEN" feed
[ "$(grep -c '^TRIGGER' "$tmp/out")" -eq 1 ] || { cat "$tmp/out"; fail "duplicate leads gave more than one VALARM"; }
echo ok
