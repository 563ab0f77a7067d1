#!/bin/sh
# kigen links neither libical nor libcurl: `feed` and `webhook test` execute
# kigend (found next to kigen) with the resolved global options and the
# command's arguments, and kigend's one-shot modes behave as kigen would.
. "$TOP/tests/integration/lib-cli.sh"
: "${KIGEND:?}"

needed=$(readelf -d "$KIGEN" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
[ -n "$needed" ] || fail "readelf shows no NEEDED entries for kigen"
for l in libical libcurl libmicrohttpd; do
	echo "$needed" | grep -q "^$l" && fail "kigen links $l"
done
readelf -d "$KIGEND" | grep -q 'libical' || fail "kigend does not link libical"

# A stand-in kigend next to a copy of kigen shows what kigen executes.
mkdir "$tmp/bin"
cp "$KIGEN" "$tmp/bin/kigen"
cat >"$tmp/bin/kigend" <<'SH'
#!/bin/sh
for a; do printf '<%s>' "$a"; done
echo
exit 7
SH
chmod +x "$tmp/bin/kigend"
expect_rc 7 "$tmp/bin/kigen" --as-of 2008-11-24 feed --db "$tmp/x y.db" --view todo -- -o
has "$tmp/out" "<--render-feed><--db=$tmp/x y.db><--as-of=2008-11-24><--view><todo><--><-o>"
cat >"$tmp/hooks.conf" <<'CONF'
[webhook:ops]
url = http://127.0.0.1:9/hook
secret = whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
CONF
expect_rc 7 "$tmp/bin/kigen" --config "$tmp/hooks.conf" --json webhook test ops --db "$db"
has "$tmp/out" "<--send-test-webhook><ops><--db=$db><--config=$tmp/hooks.conf><--json>"
# usage errors are kigen's own: kigend is not run
expect_rc 2 "$tmp/bin/kigen" --config "$tmp/hooks.conf" webhook test nosuch
has "$tmp/err" "kigen: no [webhook:nosuch] in the configuration"
[ ! -s "$tmp/out" ] || fail "kigend ran for a usage error"

# The real one-shot modes: kigen's messages, exit codes and bytes.
expect_rc 0 "$KIGEN" --db "$db" add first --due 2009-01-10
expect_rc 0 "$KIGEN" --db "$db" feed
cp "$tmp/out" "$tmp/via-kigen.ics"
expect_rc 0 "$KIGEND" --render-feed --db "$db"
cmp -s "$tmp/out" "$tmp/via-kigen.ics" || fail "kigend --render-feed differs from kigen feed"
has "$tmp/out" "BEGIN:VCALENDAR"
expect_rc 2 "$KIGEND" --render-feed --db "$db" --view month
has "$tmp/err" "kigen: invalid view 'month' (event or todo)"
has "$tmp/err" "usage: kigen feed"
expect_rc 2 "$KIGEN" --db "$db" feed --view month
has "$tmp/err" "kigen: invalid view 'month' (event or todo)"
expect_rc 0 "$KIGEN" feed --help
has "$tmp/out" "usage: kigen feed"
expect_rc 2 "$KIGEND" --send-test-webhook nosuch
has "$tmp/err" "kigen: no [webhook:nosuch] in the configuration"
echo ok
