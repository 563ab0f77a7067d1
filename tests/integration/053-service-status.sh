#!/bin/sh
# kigen status against a stopped daemon (clear message, exit 1), a running
# one (version, uptime, listening address, database, last import), a killed
# one (stale socket: not running, and the next start replaces it); the
# control socket is 0660 and closed to other users; a second kigend on the
# same database is refused; --check-config and --version; the warning for
# secrets in a file others can read; WATCHDOG pings; <N> log prefixes.
. "$TOP/tests/integration/lib-service.sh"
write_conf

expect_rc 1 "$KIGEN" status
has "$tmp/err" "kigen: kigend is not running (no control socket at '$sock')"
expect_rc 1 "$KIGEN" --json status
has "$tmp/err" "kigend is not running"

expect_rc 0 "$KIGEN" import "$TOP/data/secure-japan-2008-h1.txt"
start_notify
start_kigend
expect_rc 0 "$KIGEN" status
has "$tmp/out" "kigend $(cat "$TOP/VERSION") is running (pid $kigend_pid, up "
has "$tmp/out" "listening:     http://127.0.0.1:$port"
has "$tmp/out" "database:      $db"
has "$tmp/out" "config:        $conf"
has "$tmp/out" "last import:   secure-japan-2008-h1.txt (as of 2008-09-30, imported "
expect_rc 0 "$KIGEN" --json status
pyjson "j['running'] is True and j['version'] == '$(cat "$TOP/VERSION")'"
pyjson "j['pid'] == $kigend_pid and j['uptime_s'] >= 0 and j['started_at'].endswith('Z')"
pyjson "j['listen'] == ['127.0.0.1:$port'] and j['db'] == '$db' and j['config'] == '$conf'"
pyjson "j['last_import']['document'] == 'secure-japan-2008-h1.txt'"

# The socket is for the daemon's user and group only.
[ "$(stat -c %a "$sock")" = 660 ] || fail "control socket mode $(stat -c %a "$sock"), want 660"
chmod 0755 "$tmp"
: >"$tmp/nobody.conf"; chmod 0644 "$tmp/nobody.conf"
# a copy: the checkout may be in a directory nobody cannot enter (/root)
cp "$KIGEN" "$tmp/kigen-nobody"; chmod 0755 "$tmp/kigen-nobody"
expect_rc 1 setpriv --reuid=nobody --regid=nogroup --clear-groups \
	env KIGEN_CONFIG="$tmp/nobody.conf" "$tmp/kigen-nobody" --db "$db" status
has "$tmp/err" "permission denied on control socket '$sock'"
chmod 0700 "$tmp"

# A second daemon on the same database is refused (056 has the details).
expect_rc 1 "$KIGEND" --config "$conf" --listen 127.0.0.1:0
has "$tmp/err" "database '$db' is in use by another kigend (pid $kigend_pid; "
expect_rc 0 "$KIGEN" status

# Under a systemd watchdog (WatchdogSec=2s) kigend pings every second.
: >"$tmp/notify.log"
kill -KILL "$kigend_pid"
wait "$kigend_pid" 2>/dev/null || true
export WATCHDOG_USEC=2000000
start_kigend
pings() { [ "$(grep -c '^WATCHDOG=1' "$tmp/notify.log")" -ge 2 ]; }
wait_until "two WATCHDOG=1 pings" pings
unset WATCHDOG_USEC

# Killed without a chance to clean up: the socket stays, yet status knows.
kill -KILL "$kigend_pid"
wait "$kigend_pid" 2>/dev/null || true
[ -S "$sock" ] || fail "expected a stale socket after kill -9"
expect_rc 1 "$KIGEN" status
has "$tmp/err" "kigend is not running"
start_kigend
expect_rc 0 "$KIGEN" status
stop_kigend
expect_rc 1 "$KIGEN" status
has "$tmp/err" "kigend is not running"

# --check-config, --version.
expect_rc 0 "$KIGEND" --check-config --config "$conf"
has "$tmp/out" "$conf: ok"
printf '[http]\nlisten = 127.0.0.1:%s\nbogus = 1\n' "$port" >"$tmp/bad.conf"
expect_rc 1 "$KIGEND" --check-config --config "$tmp/bad.conf"
has "$tmp/err" "$tmp/bad.conf:3: unknown key 'bogus' in [http]"
expect_rc 0 "$KIGEND" --version
has "$tmp/out" "kigend $(cat "$TOP/VERSION")"

# Secrets in a file others can read: a warning naming the file and the fix,
# never the secret itself.
secret=whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYX
printf '[webhook:ops]\nurl = http://127.0.0.1:9/hook\nsecret = %s\n' "$secret" >"$tmp/secret.conf"
chmod 0644 "$tmp/secret.conf"
expect_rc 0 "$KIGEND" --check-config --config "$tmp/secret.conf"
has "$tmp/err" "config '$tmp/secret.conf' holds secrets"
has "$tmp/err" "readable by other users (mode 0644); run: chmod o-rwx '$tmp/secret.conf'"
hasnt "$tmp/err" "$secret"
# Under systemd (JOURNAL_STREAM set) the journal gets the level as <N>.
expect_rc 0 env JOURNAL_STREAM=8:1234 "$KIGEND" --check-config --config "$tmp/secret.conf"
has "$tmp/err" "<4>config '$tmp/secret.conf' holds secrets"
chmod 0640 "$tmp/secret.conf"
expect_rc 0 "$KIGEND" --check-config --config "$tmp/secret.conf"
hasnt "$tmp/err" "holds secrets"
echo ok
