#!/bin/sh
# A publication after a change reads only the milestones written since the
# one before (kg_store_milestones_since) and merges them into its list;
# one that cannot be followed row by row (an import, unimport, purge: the
# store's reshaped mark) reads everything.  After each change the feed, the
# API's JSON and the pages kigend serves are byte for byte those a kigend
# started afresh (a full read) serves on the same database: edit, done,
# cancel, a manual add, an import of the next edition (slips), an edit
# after it, unimport, purge.
. "$TOP/tests/integration/lib-daemon.sh"
db="$tmp/k.db"
k() { "$KIGEN" --db "$db" "$@"; }
h1="$TOP/data/secure-japan-2008-h1.txt"
h2="$TOP/tests/data/next-report.txt"
paths="/feed.ics /api/v1/milestones /api/v1/measures /api/v1/upcoming?days=3650
/api/v1/milestones/3 /api/v1/measures/2 /?as_of=2008-10-01 /?as_of=2009-06-01&group=owner
/milestones/3?as_of=2008-10-01 /measures/2?as_of=2008-10-01"

metric() { curl -fsS "$base/metrics" | sed -n "s/^$1 //p"; }
renders_past() { [ "$(metric kigend_feed_renders_total)" -gt "$1" ]; }

# snapshot DIR: every path's status and body
snapshot() {
	mkdir -p "$1"
	i=0
	for p in $paths; do
		i=$((i + 1))
		curl -s -o "$1/$i" -w '%{http_code}\n' "$base$p" >"$1/$i.code"
	done
}

# compare A B: the same status and bytes for every path
compare() {
	i=0
	for p in $paths; do
		i=$((i + 1))
		cmp -s "$1/$i.code" "$2/$i.code" && cmp -s "$1/$i" "$2/$i" ||
			{ diff "$1/$i" "$2/$i" | head -n 20; fail "$3: $p differs from a full publication"; }
	done
}

# step NAME WANT CMD...: runs CMD; once kigend published the change, its
# answers (WANT: "delta" read the changed rows only, "full" all) are those
# of a kigend started anew; that one serves the next step.
step() {
	name=$1 want=$2
	shift 2
	before=$(metric kigend_feed_renders_total)
	expect_rc 0 "$@"
	wait_until "a publication after $name" renders_past "$before"
	read=$(metric kigend_publication_milestones_read)
	case $want in
	delta) [ "$read" -ge 1 ] && [ "$read" -le 2 ] || fail "$name: $read milestones read, want the changed one" ;;
	full) [ "$read" -gt 2 ] || fail "$name: $read milestones read, want all of them" ;;
	esac
	[ -n "$(metric kigend_publication_seconds)" ] || fail "no kigend_publication_seconds"
	snapshot "$tmp/$name.delta"
	stop_kigend
	start_kigend
	[ "$(metric kigend_publication_milestones_read)" -gt 2 ] || fail "a start reads everything"
	snapshot "$tmp/$name.full"
	compare "$tmp/$name.delta" "$tmp/$name.full" "$name"
	echo "ok: $name ($read read)"
}

expect_rc 0 k import "$h1"
start_kigend
step edit delta k edit 3 --title "renamed by hand" --due 2009-01-15
step done delta k done 4
step cancel delta k rm 5
step add delta k add "added by hand" --due 2008-12-24 --owner 内閣官房
step import full k import "$h2"
step edit-after-import delta k edit 6 --due 2010-03-31
k imports --json >"$tmp/imports.json"
doc=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["imports"][-1]["id"])' "$tmp/imports.json")
step unimport full k unimport "$doc"
step purge full k rm 7 --purge
step edit-after-purge delta k edit 8 --title "after the purge"
# the marks: rows written carry a rev above the one kigend saw
"$py" - "$db" <<'PY' || fail "marks"
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
rev = int(c.execute("SELECT value FROM meta WHERE key = 'rev'").fetchone()[0])
assert c.execute("SELECT max(rev) FROM milestones").fetchone()[0] <= rev + 1
assert c.execute("SELECT rev FROM milestones WHERE id = 8").fetchone()[0] == \
    c.execute("SELECT max(rev) FROM milestones").fetchone()[0]
PY
echo ok
