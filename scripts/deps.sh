#!/bin/sh
# The Debian packages kigen needs, by what they are for, and their install.
#
#   scripts/deps.sh [SET]            install what SET needs (default: check)
#   scripts/deps.sh --missing SET    print SET's packages not installed, on one
#                                    line (nothing when all are, or off Debian)
#
# Sets: run = build and run (make, make run, make install); check = run + the
# test tools and independent test peers (make check, also the npm packages
# into tests/node); bench = benchmark peers (make bench); fuzz = clang's
# libFuzzer (make fuzz).  Missing packages go through apt-get, with one
# 'apt-get update' and only when something is missing; as a user it prints
# the command instead.  Idempotent: a second run installs nothing.
#
# Adding a package is one word on one line: a library the programs link
# (its -dev package) or a tool the build runs goes into RUN_PKGS (and its
# pkg-config name into the Makefile); a tool only tests use into CHECK_PKGS,
# never into RUN_PKGS.
set -eu

# Building: compiler, pkg-config, the libraries' -dev packages (poppler-glib
# reads PDFs), scdoc for the man pages, xxd for the pages' assets compiled
# into kigend.  Running: tzdata (zones), python3 (scripts/run.sh).
RUN_PKGS="build-essential pkg-config libsqlite3-dev libical-dev libjansson-dev
libinih-dev libcurl4-openssl-dev libmicrohttpd-dev nettle-dev
libutf8proc-dev zlib1g-dev libsystemd-dev libpoppler-glib-dev libxxhash-dev scdoc xxd tzdata python3"

# Tests only: cmocka, a fake clock, the sqlite3 and curl command-line tools,
# Python's iCalendar parser as an independent feed reader, systemd's tools
# for the service tests (systemd-analyze, -sysusers, -tmpfiles), a headless
# browser for the pages and a Japanese font so its screenshots show the
# text; cairo and pango (with that font) to lay out the test PDFs
# (tests/pdf/mkpdf.c), qpdf to encrypt one; gcovr for make coverage.
CHECK_PKGS="libcmocka-dev faketime sqlite3 curl python3-icalendar systemd chromium
fonts-ipafont-gothic libcairo2-dev libpango1.0-dev qpdf gcovr"

BENCH_PKGS="remind taskwarrior hyperfine nginx-light wrk nghttp2-client poppler-utils"
FUZZ_PKGS="clang libclang-rt-14-dev"

usage() {
	echo "usage: scripts/deps.sh [run|check|bench|fuzz] | --missing SET" >&2
	exit 2
}

# pkgs SET: the Debian packages of SET.
pkgs() {
	case $1 in
	run) echo "$RUN_PKGS" ;;
	check)
		echo "$RUN_PKGS $CHECK_PKGS"
		# Debian's npm conflicts with a Node.js that ships its own: add
		# them only when there is no node at all.
		command -v node >/dev/null 2>&1 || echo "nodejs npm"
		;;
	bench) echo "$BENCH_PKGS" ;;
	fuzz) echo "$FUZZ_PKGS" ;;
	esac
}

# missing PKGS...: those not installed, space-separated (one dpkg-query).
missing() {
	command -v dpkg-query >/dev/null 2>&1 || return 0
	# shellcheck disable=SC2086
	dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "$@" 2>/dev/null |
		awk -v want="$*" '
			$2 == "ii" { have[$1] = 1 }
			END {
				n = split(want, w, " "); out = ""
				for (i = 1; i <= n; i++)
					if (!(w[i] in have)) out = out (out == "" ? "" : " ") w[i]
				print out
			}'
}

case ${1:-check} in --missing) set_=${2:-} ;; *) set_=${1:-check} ;; esac
case $set_ in run | check | bench | fuzz) ;; *) usage ;; esac
if [ "${1:-}" = --missing ]; then
	[ $# -eq 2 ] || usage
	# shellcheck disable=SC2046
	missing $(pkgs "$set_")
	exit 0
fi
[ $# -le 1 ] || usage
# shellcheck disable=SC2046
need=$(missing $(pkgs "$set_"))

if [ -n "$need" ]; then
	if [ "$(id -u)" -eq 0 ]; then
		echo "deps: installing $need"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		# shellcheck disable=SC2086
		apt-get install -y -qq --no-install-recommends $need
	else
		echo "deps: missing Debian packages; run:" >&2
		echo "  sudo apt-get update && sudo apt-get install -y $need" >&2
		exit 1
	fi
fi

[ "$set_" = check ] || exit 0
top=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -d "$top/tests/node/node_modules/ical.js" ] ||
   [ ! -d "$top/tests/node/node_modules/standardwebhooks" ] ||
   [ ! -d "$top/tests/node/node_modules/playwright-core" ]; then
	echo "deps: installing test npm packages into tests/node"
	(cd "$top/tests/node" && npm ci --no-audit --no-fund --loglevel=error)
fi
