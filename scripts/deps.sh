#!/bin/sh
# Installs what kigen needs to build and test on Debian: missing packages
# through apt-get (running 'apt-get update' at most once, and only when
# something is missing), and the test-only npm packages into tests/node.
# Idempotent: a second run installs nothing.  Not root: prints the command.
set -eu

PKGS="build-essential pkg-config libsqlite3-dev libical-dev libjansson-dev
libinih-dev libcurl4-openssl-dev libmicrohttpd-dev libssl-dev libutf8proc-dev
zlib1g-dev libsystemd-dev libcmocka-dev tzdata sqlite3 faketime
python3-icalendar curl scdoc clang libclang-rt-14-dev"

# Debian's npm conflicts with a Node.js that ships its own: add them only
# when there is no node at all.
if ! command -v node >/dev/null 2>&1; then
	PKGS="$PKGS nodejs npm"
fi

# `deps.sh bench`: only the benchmark peers and tools (make bench), never
# what make check installs.
if [ "${1:-}" = bench ]; then
	PKGS="remind taskwarrior hyperfine nginx-light wrk"
fi

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
		missing="$missing $p"
	fi
done

if [ -n "$missing" ]; then
	if [ "$(id -u)" -eq 0 ]; then
		echo "deps: installing$missing"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		# shellcheck disable=SC2086
		apt-get install -y -qq --no-install-recommends $missing
	else
		echo "deps: missing Debian packages; run:" >&2
		echo "  sudo apt-get update && sudo apt-get install -y$missing" >&2
		exit 1
	fi
fi

[ "${1:-}" != bench ] || exit 0
top=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -d "$top/tests/node/node_modules/ical.js" ] ||
   [ ! -d "$top/tests/node/node_modules/standardwebhooks" ]; then
	echo "deps: installing test npm packages into tests/node"
	(cd "$top/tests/node" && npm ci --no-audit --no-fund --loglevel=error)
fi
