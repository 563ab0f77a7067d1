#!/bin/sh
# Editions from the command line, issue 12's acceptance: any order of the
# two sample editions (and repeats) ends in the same milestones as date
# order; a truncated copy is refused, allowed, undone by the full file; a
# local done against a report that still says 予定 is a conflict, settled
# by resolve; imports / unimport / measures / owners; list fits the
# terminal; gone milestones stay out of upcoming unless asked; no dangling
# reference after any of it.
. "$TOP/tests/integration/lib-cli.sh"
h1="$TOP/data/secure-japan-2008-h1.txt"
h2="$TOP/tests/data/next-report.txt"
k() { "$KIGEN" --db "$db" "$@"; }
# every reference whole: an import, unimport or resolve writes without
# foreign-key lookups (lib/store_import.c change_plan), so check them here
fk_whole() {
	sqlite3 "$db" 'PRAGMA foreign_key_check' >"$tmp/fk" || fail "foreign_key_check"
	[ ! -s "$tmp/fk" ] || fail "dangling references after $1: $(head -3 "$tmp/fk")"
}

# the state that must not depend on the order of imports
state() {
	"$KIGEN" --db "$1" --json list >"$tmp/list.json" || fail "list $1"
	"$py" - "$tmp/list.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1], encoding="utf-8"))
for m in sorted((m["title"], m["window_start"] or "", m["window_end"] or "",
                 m["status"], m["gone"], m["source"]["sentence"] or "")
                for m in j["milestones"]):
    print("|".join(map(str, m)))
PY
}

"$KIGEN" --db "$tmp/ref.db" import "$h1" >/dev/null
"$KIGEN" --db "$tmp/ref.db" import "$h2" >/dev/null
state "$tmp/ref.db" >"$tmp/ref.txt"
[ "$(grep -c '|True|' "$tmp/ref.txt")" -eq 42 ] || fail "date order: 42 gone expected"
n=0
for order in "$h2 $h1" "$h1 $h2 $h1" "$h2 $h1 $h2 $h1" "$h2 $h2 $h1 $h1"; do
	n=$((n + 1))
	for f in $order; do
		"$KIGEN" --db "$tmp/o$n.db" import "$f" >/dev/null || fail "import $f (order $n)"
	done
	state "$tmp/o$n.db" >"$tmp/o$n.txt"
	cmp -s "$tmp/ref.txt" "$tmp/o$n.txt" || { diff "$tmp/ref.txt" "$tmp/o$n.txt" | head; fail "order $n differs"; }
done

# full, then its first 300 lines: refused, nothing written
head -n 300 "$h1" >"$tmp/head300.txt"
expect_rc 0 k import "$h1"
expect_rc 1 k import "$tmp/head300.txt"
[ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "the refusal is one line"
has "$tmp/err" "'head300.txt' would make 6 of the 54 milestones of edition セキュア・ジャパン2008 as of 2008-09-30 gone"
has "$tmp/err" "--allow-shrink"
expect_rc 0 k imports --json
pyjson 'len(j["imports"]) == 1'
expect_rc 0 k import "$tmp/head300.txt" --allow-shrink
has "$tmp/out" "6 gone"
expect_rc 0 k --json list
pyjson 'sum(m["gone"] for m in j["milestones"]) == 6'
expect_rc 0 k import "$h1"
has "$tmp/out" "stands again"
expect_rc 0 k --json list
pyjson 'sum(m["gone"] for m in j["milestones"]) == 0'
expect_rc 0 k imports --json
pyjson '[d["stands"] for d in j["imports"]] == ["yes", "replaced"]'
pyjson 'list(j["imports"][0])[-5:] == ["plan", "stands", "milestones_new", "milestones_changed", "milestones_gone"]'

# done, then the same edition again: it still says 予定, so a conflict
id=$("$KIGEN" --db "$db" --json list --status planned | "$py" -c 'import json,sys; print(json.load(sys.stdin)["milestones"][0]["id"])')
expect_rc 0 k done "$id"
expect_rc 0 k conflicts
has "$tmp/out" "no conflicts"
expect_rc 0 k import "$h1"
has "$tmp/out" "1 conflict open"
expect_rc 0 k --json show "$id"
pyjson 'j["status"] == "done" and j["conflict"] is True'
expect_rc 0 k conflicts --json
pyjson 'len(j["conflicts"]) == 1 and j["conflicts"][0]["fields"] == ["status"]'
pyjson 'j["conflicts"][0]["milestone"]["status"] == "done" and j["conflicts"][0]["report"]["status"] == "planned"'
expect_rc 0 k conflicts
has "$tmp/out" "status"
has "$tmp/out" "secure-japan-2008-h1.txt (as of 2008-09-30)"
expect_rc 2 k resolve "$id"
has "$tmp/err" "missing --keep-local or --take-report"
expect_rc 2 k resolve "$id" --keep-local --take-report
expect_rc 0 k resolve "$id" --take-report
has "$tmp/out" "resolved $id"
fk_whole "imports and a resolve"
expect_rc 0 k --json show "$id"
pyjson 'j["status"] == "planned" and j["conflict"] is False and j["manual"] is False'
expect_rc 1 k resolve "$id" --keep-local
has "$tmp/err" "milestone $id has no open conflict"

# the newer edition: most of the first one's milestones are gone; upcoming
# leaves them out unless --gone; list marks them
expect_rc 0 k import "$h2"
expect_rc 0 k --as-of 2008-10-01 upcoming --days 400 --json
pyjson 'j["milestones"] and not any(m["gone"] for m in j["milestones"])'
expect_rc 0 k --as-of 2008-10-01 upcoming --days 400 --gone --json
pyjson 'j["milestones"] and all(m["gone"] for m in j["milestones"])'
expect_rc 0 k list --no-gone --json
pyjson 'not any(m["gone"] for m in j["milestones"])'
expect_rc 0 k list
has "$tmp/out" ", gone"

# take the newer one back: as if it had never been imported
expect_rc 0 k imports
has "$tmp/out" "next-report.txt"
next=$(k imports --json | "$py" -c 'import json,sys; print([d["id"] for d in json.load(sys.stdin)["imports"] if d["name"] == "next-report.txt"][0])')
expect_rc 0 k unimport "$next" --dry-run
has "$tmp/out" "dry run, nothing written"
expect_rc 0 k unimport "$next" --json
pyjson "j['counts']['removed'] > 0 and j['document_id'] == $next"
fk_whole "an unimport"
expect_rc 0 k --json list
pyjson 'not any(m["gone"] for m in j["milestones"]) and len(j["milestones"]) == 54'
expect_rc 1 k unimport "$next"
has "$tmp/err" "was already removed"
expect_rc 1 k unimport 99
has "$tmp/err" "no import '99'"
expect_rc 2 k unimport x
expect_rc 0 k imports --all --json
pyjson '[d["stands"] for d in j["imports"]] == ["yes", "replaced", "removed"]'

# measures and owners, with counts
expect_rc 0 k measures --json
pyjson 'len(j["measures"]) == 32 and sum(m["milestones"] for m in j["measures"]) == 54'
pyjson 'all(m["plan"] == "セキュア・ジャパン2008" for m in j["measures"])'
expect_rc 0 k owners --json
pyjson 'j["owners"][0]["owner"] == "内閣官房" and j["owners"][0]["milestones"] >= j["owners"][-1]["milestones"]'
expect_rc 0 k owners
has "$tmp/out" "内閣官房"

# list fits the terminal, by display width
for cols in 60 100; do
	COLUMNS=$cols "$KIGEN" --db "$db" list >"$tmp/out"
	"$py" - "$tmp/out" "$cols" <<'PY' || fail "list wider than $cols columns"
import sys, unicodedata
w = lambda s: sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
assert max(w(l) for l in lines) <= int(sys.argv[2]), max(lines, key=w)
assert any("…" in l for l in lines)
PY
done
env -u COLUMNS "$KIGEN" --db "$db" list >"$tmp/out"
"$py" -c 'import sys,unicodedata; w=lambda s: sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s); assert max(map(w, open(sys.argv[1], encoding="utf-8").read().splitlines())) <= 100' "$tmp/out" || fail "list wider than 100 without COLUMNS"
echo ok
