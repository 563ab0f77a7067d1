#!/bin/sh
# The shipped unit is sandboxed: systemd-analyze rates it at most 1.5 ("OK"),
# it runs as the fixed user and group kigen with Type=notify, and the
# sysusers.d snippet parses.
set -eu
unit="$TOP/systemd/kigend.service"

command -v systemd-analyze >/dev/null || { echo "FAIL: systemd-analyze missing"; exit 1; }

out=$(systemd-analyze security --offline=true "$unit" 2>&1) || {
	echo "$out"; echo "FAIL: systemd-analyze security failed"; exit 1; }
score=$(printf '%s\n' "$out" | sed -n 's/.*Overall exposure level for kigend.service: \([0-9.]*\).*/\1/p')
[ -n "$score" ] || { echo "$out"; echo "FAIL: no exposure level in the output"; exit 1; }
echo "exposure level: $score"
awk -v s="$score" 'BEGIN { exit !(s <= 1.5) }' || {
	printf '%s\n' "$out" | grep '✗'; echo "FAIL: exposure $score > 1.5"; exit 1; }
# The same verdict through systemd-analyze's own threshold (in tenths).
systemd-analyze security --offline=true --threshold=15 "$unit" >/dev/null 2>&1 || {
	echo "FAIL: --threshold=15 rejects the unit"; exit 1; }

for line in 'Type=notify' 'User=kigen' 'Group=kigen' 'UMask=0007' \
	'StateDirectory=kigen' 'RuntimeDirectory=kigen' 'ProtectSystem=strict' \
	'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6' \
	'SystemCallFilter=@system-service' 'CapabilityBoundingSet=' \
	'MemoryDenyWriteExecute=yes' 'NoNewPrivileges=yes'; do
	grep -qx "$line" "$unit" || { echo "FAIL: unit lacks '$line'"; exit 1; }
done
if grep -q '^DynamicUser=yes' "$unit"; then
	echo "FAIL: a dynamic user hides the database from group kigen"; exit 1
fi

# sysusers.d: the snippet creates exactly user and group kigen.
sys=$(systemd-sysusers --dry-run "$TOP/systemd/kigen.sysusers" 2>&1)
printf '%s\n' "$sys" | grep -q "Creating group 'kigen'" ||
	getent group kigen >/dev/null || { echo "$sys"; echo "FAIL: sysusers creates no group kigen"; exit 1; }
echo "ok"
