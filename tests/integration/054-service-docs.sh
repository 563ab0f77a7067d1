#!/bin/sh
# The man pages and the bash completion are the reference: they must name
# every command of `kigen --help`, every option of `kigend --help` and every
# key of the example configuration.
set -eu
fail() { echo "FAIL: $*"; exit 1; }
man1=$TOP/docs/man/kigen.1.scd
man5=$TOP/docs/man/kigen.conf.5.scd
man8=$TOP/docs/man/kigend.8.scd
comp=$TOP/contrib/bash-completion/kigen

commands=$("$KIGEN" --help | sed -n '/^commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p')
[ -n "$commands" ] || fail "no commands in 'kigen --help'"
for c in $commands; do
	grep -q "^\*$c\*" "$man1" || fail "kigen.1 does not document '$c'"
	grep -qw -- "$c" "$comp" || fail "the bash completion does not know '$c'"
	"$KIGEN" help "$c" >/dev/null || fail "'kigen help $c' fails"
done

options=$("$KIGEND" --help 2>&1 | grep -o -- '--[a-z][a-z-]*' | sort -u)
[ -n "$options" ] || fail "no options in 'kigend --help'"
for o in $options; do
	grep -qF -- "*$o*" "$man8" || fail "kigend.8 does not document '$o'"
done

# Keys of config/kigen.conf, set or commented out: "name =" / ";name =".
keys=$(sed -n 's/^;\{0,1\}\([a-z_]*\)[[:space:]]*=.*/\1/p' "$TOP/config/kigen.conf" | sort -u)
[ -n "$keys" ] || fail "no keys in config/kigen.conf"
for k in $keys; do
	kk=$(printf '%s' "$k" | sed 's/_/\\\\_/g')
	grep -qF -- "*$k*" "$man5" || grep -qF -- "*$kk*" "$man5" || fail "kigen.conf.5 does not document '$k'"
done
sections=$(sed -n 's/^;\{0,1\}\[\([a-z]*\).*/\1/p' "$TOP/config/kigen.conf" | sort -u)
for s in $sections; do
	grep -q "^# \[$s" "$man5" || fail "kigen.conf.5 has no section [$s]"
done
echo "ok: $(echo $commands | wc -w) commands, $(echo $options | wc -w) kigend options, $(echo $keys | wc -w) keys"
