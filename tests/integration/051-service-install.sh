#!/bin/sh
# "make install DESTDIR=..." lays out binaries, helper programs, unit, sysusers/tmpfiles
# snippets, example configuration (0640, webhooks commented out), man pages
# and bash completion, with paths rewritten for PREFIX and sysconfdir;
# "make uninstall" removes them again.  Applied to that root, the sysusers
# and tmpfiles snippets create user and group kigen, the group-writable
# setgid state directory and the configuration's owner and mode.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

dest=$tmp/root
# Installing the already built programs: no rebuild in another directory.
make -s -C "$TOP" B="$BUILD" DESTDIR="$dest" PREFIX=/opt/kg sysconfdir=/opt/kg/etc \
	install >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; fail "make install"; }

mode() { stat -c %a "$1"; }
for f in opt/kg/bin/kigen:755 opt/kg/sbin/kigend:755 \
	opt/kg/libexec/kigen/kigen-feed:755 opt/kg/libexec/kigen/kigen-webhook:755 \
	opt/kg/lib/systemd/system/kigend.service:644 \
	opt/kg/lib/sysusers.d/kigen.conf:644 opt/kg/lib/tmpfiles.d/kigen.conf:644 \
	opt/kg/etc/kigen/kigen.conf:640 \
	opt/kg/share/man/man1/kigen.1:644 opt/kg/share/man/man5/kigen.conf.5:644 \
	opt/kg/share/man/man8/kigend.8:644 \
	opt/kg/share/bash-completion/completions/kigen:644; do
	path=$dest/${f%:*}
	[ -f "$path" ] || fail "missing ${f%:*}"
	[ "$(mode "$path")" = "${f#*:}" ] || fail "${f%:*} has mode $(mode "$path"), want ${f#*:}"
done
[ "$(mode "$dest/opt/kg/etc/kigen")" = 750 ] || fail "config directory not 0750"

# The installed programs are the built ones and run.
"$dest/opt/kg/bin/kigen" --version | grep -q "$(cat "$TOP/VERSION")" || fail "kigen --version"
"$dest/opt/kg/sbin/kigend" --version | grep -q "$(cat "$TOP/VERSION")" || fail "kigend --version"
# The installed kigen finds its installed helpers in ../libexec/kigen.
KIGEN_CONFIG=/dev/null "$dest/opt/kg/bin/kigen" --db "$tmp/i.db" add x --due 2009-01-10 >/dev/null ||
	fail "installed kigen add"
KIGEN_CONFIG=/dev/null "$dest/opt/kg/bin/kigen" --db "$tmp/i.db" feed >"$tmp/i.ics" ||
	fail "installed kigen feed (kigen-feed in ../libexec/kigen)"
grep -q '^BEGIN:VCALENDAR' "$tmp/i.ics" || fail "installed kigen feed printed no calendar"
printf '[webhook:t]\nurl = http://127.0.0.1:9/x\nsecret = whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n' \
	>"$tmp/wh.conf"
set +e
"$dest/opt/kg/bin/kigen" --config "$tmp/wh.conf" --db "$tmp/i.db" webhook test t \
	>"$tmp/wh.out" 2>"$tmp/wh.err"
st=$?
set -e
# port 9 (discard) refuses: the helper ran, sent, and reported the failure
[ "$st" = 1 ] && grep -q "^kigen: webhook 't': " "$tmp/wh.err" ||
	{ cat "$tmp/wh.err"; fail "installed kigen webhook test (kigen-webhook): exit $st"; }

# Paths in the unit and tmpfiles snippet follow PREFIX and sysconfdir.
unit=$dest/opt/kg/lib/systemd/system/kigend.service
grep -qx 'ExecStart=/opt/kg/sbin/kigend --config /opt/kg/etc/kigen/kigen.conf' "$unit" ||
	fail "ExecStart not rewritten: $(grep ExecStart= "$unit")"
grep -Eq '(^|[ =])(/usr/local|/etc/kigen)' "$unit" && fail "unit still names a default path"
grep -q '^z /opt/kg/etc/kigen/kigen.conf 0640 root kigen' "$dest/opt/kg/lib/tmpfiles.d/kigen.conf" ||
	fail "tmpfiles snippet not rewritten"
systemd-analyze security --offline=true --threshold=15 "$unit" >/dev/null 2>&1 ||
	fail "installed unit fails the security threshold"

# The example configuration holds no active webhook and is valid.
conf=$dest/opt/kg/etc/kigen/kigen.conf
cmp -s "$conf" "$TOP/config/kigen.conf" || fail "installed config differs from config/kigen.conf"
grep -q '^[[:space:]]*\[webhook' "$conf" && fail "example config has an active webhook section"
grep -q '^[[:space:]]*secret[[:space:]]*=' "$conf" && fail "example config holds a secret"
"$dest/opt/kg/sbin/kigend" --check-config --config "$conf" >"$tmp/check.log" 2>&1 ||
	{ cat "$tmp/check.log"; fail "installed config does not pass --check-config"; }

# Man pages render; the completion completes.
for m in man1/kigen.1 man5/kigen.conf.5 man8/kigend.8; do
	head -c 400 "$dest/opt/kg/share/man/$m" | grep -q '^\.TH' || fail "$m is not a man page"
done
comp=$dest/opt/kg/share/bash-completion/completions/kigen
got=$(bash -c '. "$1"; COMP_WORDS=(kigen stat); COMP_CWORD=1; _kigen; echo "${COMPREPLY[*]}"' sh "$comp")
[ "$got" = status ] || fail "completion of 'kigen stat' gave '$got'"

# A second install keeps an edited configuration.
echo '; edited' >>"$conf"
make -s -C "$TOP" B="$BUILD" DESTDIR="$dest" PREFIX=/opt/kg sysconfdir=/opt/kg/etc \
	install >"$tmp/install2.log" 2>&1 || { cat "$tmp/install2.log"; fail "second make install"; }
tail -n 1 "$conf" | grep -q '; edited' || fail "install overwrote an edited configuration"

# Uninstall removes every file it installed, keeps the edited configuration.
make -s -C "$TOP" B="$BUILD" DESTDIR="$dest" PREFIX=/opt/kg sysconfdir=/opt/kg/etc \
	uninstall >"$tmp/uninstall.log" 2>&1 || { cat "$tmp/uninstall.log"; fail "make uninstall"; }
left=$(cd "$dest" && find . -type f | sort)
[ "$left" = "./opt/kg/etc/kigen/kigen.conf" ] || fail "uninstall left: $left"
[ ! -e "$dest/opt/kg/libexec/kigen" ] || fail "uninstall left opt/kg/libexec/kigen"

# What systemd-sysusers and systemd-tmpfiles make of the snippets.
root=$tmp/root2
make -s -C "$TOP" B="$BUILD" DESTDIR="$root" PREFIX=/opt/kg sysconfdir=/opt/kg/etc \
	install >"$tmp/install3.log" 2>&1 || { cat "$tmp/install3.log"; fail "make install"; }
mkdir -p "$root/etc"
systemd-sysusers --root="$root" "$root/opt/kg/lib/sysusers.d/kigen.conf" >"$tmp/sysusers.log" 2>&1 ||
	{ cat "$tmp/sysusers.log"; fail "systemd-sysusers"; }
systemd-tmpfiles --root="$root" --create "$root/opt/kg/lib/tmpfiles.d/kigen.conf" >"$tmp/tmpfiles.log" 2>&1 ||
	{ cat "$tmp/tmpfiles.log"; fail "systemd-tmpfiles"; }
uid=$(sed -n 's/^kigen:x:\([0-9]*\):.*/\1/p' "$root/etc/passwd")
gid=$(sed -n 's/^kigen:x:\([0-9]*\):.*/\1/p' "$root/etc/group")
[ -n "$uid" ] && [ -n "$gid" ] || fail "no user or group kigen"
grep -q "^kigen:x:$uid:$gid:.*:/usr/sbin/nologin$" "$root/etc/passwd" || fail "kigen can log in"
for f in "var/lib/kigen:2770 $uid:$gid" "opt/kg/etc/kigen:750 0:$gid" \
	"opt/kg/etc/kigen/kigen.conf:640 0:$gid"; do
	got=$(stat -c '%a %u:%g' "$root/${f%%:*}")
	[ "$got" = "${f#*:}" ] || fail "${f%%:*} is $got, want ${f#*:}"
done
echo "ok"
