#!/bin/sh
# Two wings over one core: kigen links neither libical nor libcurl; `feed`
# and `webhook test` run in the helper programs kigen-feed and kigen-webhook
# (found next to kigen), executed with the resolved global options and the
# command's arguments, and behave as kigen would.  kigend contains nothing
# of the CLI wing.
. "$TOP/tests/integration/lib-cli.sh"
: "${KIGEND:?}"
bin=$(dirname "$KIGEN")

needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
needed "$KIGEN" >"$tmp/kigen.needed"
[ -s "$tmp/kigen.needed" ] || fail "readelf shows no NEEDED entries for kigen"
for l in libical libcurl libmicrohttpd; do
	grep -q "^$l" "$tmp/kigen.needed" && fail "kigen links $l"
done
needed "$bin/kigen-feed" | grep -q '^libical' || fail "kigen-feed does not link libical"
needed "$bin/kigen-feed" | grep -q '^libcurl' && fail "kigen-feed links libcurl"
needed "$bin/kigen-webhook" | grep -q '^libcurl' || fail "kigen-webhook does not link libcurl"
needed "$bin/kigen-webhook" | grep -q '^libical' && fail "kigen-webhook links libical"
# kigend stands on lib/ alone: no symbol of cli/ in it.
nm "$KIGEND" | grep -E ' [TtDdRrBb] (cli_|cmd_)' && fail "kigend contains CLI code"

cat >"$tmp/hooks.conf" <<'CONF'
[webhook:ops]
url = http://127.0.0.1:9/hook
secret = whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
CONF

# Stand-in helpers next to a copy of kigen show what kigen executes.
mkdir "$tmp/bin"
cp "$KIGEN" "$tmp/bin/kigen"
for h in kigen-feed kigen-webhook; do
	cat >"$tmp/bin/$h" <<'SH'
#!/bin/sh
for a; do printf '<%s>' "$a"; done
echo
exit 7
SH
	chmod +x "$tmp/bin/$h"
done
expect_rc 7 "$tmp/bin/kigen" --as-of 2008-11-24 feed --db "$tmp/x y.db" --view todo -- -o
has "$tmp/out" "<--db=$tmp/x y.db><--as-of=2008-11-24><feed><--view><todo><--><-o>"
expect_rc 7 "$tmp/bin/kigen" --config "$tmp/hooks.conf" --json webhook test ops --db "$db"
has "$tmp/out" "<--db=$db><--config=$tmp/hooks.conf><--json><webhook><test><ops>"
# help is kigen's own: no helper runs
expect_rc 0 "$tmp/bin/kigen" feed --help
has "$tmp/out" "usage: kigen feed"

# The real helpers: kigen's messages, exit codes and bytes.
expect_rc 0 "$KIGEN" --db "$db" add first --due 2009-01-10
expect_rc 0 "$KIGEN" --db "$db" feed
cp "$tmp/out" "$tmp/via-kigen.ics"
has "$tmp/out" "BEGIN:VCALENDAR"
expect_rc 0 "$bin/kigen-feed" feed --db "$db"
cmp -s "$tmp/out" "$tmp/via-kigen.ics" || fail "kigen-feed differs from kigen feed"
expect_rc 2 "$KIGEN" --db "$db" feed --view month
has "$tmp/err" "kigen: invalid view 'month' (event or todo)"
has "$tmp/err" "usage: kigen feed"
expect_rc 2 "$KIGEN" --config "$tmp/hooks.conf" webhook test nosuch
has "$tmp/err" "kigen: no [webhook:nosuch] in the configuration"
has "$tmp/err" "usage: kigen webhook test NAME"
expect_rc 2 "$KIGEN" webhook send ops
has "$tmp/err" "kigen: expected 'webhook test NAME'"
echo ok
