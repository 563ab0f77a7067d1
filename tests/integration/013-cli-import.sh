#!/bin/sh
# kigen import: the bundled report, --dry-run writes nothing, the same file
# twice changes nothing, --json shape, --as-of overrides the report's date,
# the summary says where the inferred as-of date came from and how many
# milestones are uncertain, errors name the file, a document with no as-of
# date asks for --as-of (exit 2); the first import into a new database
# leaves it in WAL mode, and one stopped half-way is undone by the next read.
. "$TOP/tests/integration/lib-cli.sh"
k() { "$KIGEN" --db "$db" "$@"; }
report="$TOP/data/secure-japan-2008-h1.txt"

expect_rc 0 k import "$report" --dry-run
has "$tmp/out" "dry run, nothing written: secure-japan-2008-h1.txt (as of 2008-09-30)"
expect_rc 0 k export
pyjson 'j["documents"] == [] and j["measures"] == []'

expect_rc 0 k --json import "$report" --dry-run
pyjson 'list(j) == ["dry_run", "document_id", "name", "plan", "as_of", "already_imported", "restood", "measures_new", "measures_matched", "conflicts_open", "counts", "items", "layout", "uncertain", "as_of_from", "controls_removed"]'
pyjson 'j["plan"] == "セキュア・ジャパン2008" and list(j["counts"]) == ["new", "changed", "unchanged", "gone", "conflict", "removed"]'
pyjson 'j["dry_run"] is True and j["as_of"] == "2008-09-30" and j["measures_new"] > 0'
pyjson 'j["layout"] == "progress" and j["as_of_from"]["line"] == 1 and "上半期" in j["as_of_from"]["text"]'
pyjson 'j["uncertain"] == 0'

expect_rc 0 k import "$report"
has "$tmp/out" "imported secure-japan-2008-h1.txt (as of 2008-09-30)"
has "$tmp/out" "layout progress; as of 2008-09-30 from line 1 (the half year or quarter it names): 「セキュア・ジャパン２００８」の進捗状況（上半期）について"
expect_rc 0 k export
pyjson 'len(j["documents"]) == 1 and j["documents"][0]["as_of"] == "2008-09-30"'
pyjson 'len(j["documents"][0]["sha256"]) == 64 and len(j["measures"]) > 10'
pyjson 'all(m["document_id"] == 1 and m["owners"] for m in j["measures"])'
nm=$("$py" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["measures"]))' "$tmp/out")

# the same bytes again: nothing changes
expect_rc 0 k import "$report"
has "$tmp/out" "already imported: nothing changed"
expect_rc 0 k export
pyjson "len(j['documents']) == 1 and len(j['measures']) == $nm"

# --as-of sets the report's date on import
expect_rc 0 "$KIGEN" --db "$tmp/b.db" import "$report" --as-of 2008-10-15 --json
pyjson 'j["as_of"] == "2008-10-15"'
pyjson 'j["as_of_from"] == {"how": "given with --as-of", "line": None, "text": None}'
# that first import into a new database went through a rollback journal; the
# database is left in WAL mode with its -wal and -shm files, as every other
expect_rc 0 "$KIGEN" --db "$tmp/b.db" list
[ -e "$tmp/b.db-wal" ] && [ -e "$tmp/b.db-shm" ] || fail "no -wal and -shm after the first import"
[ "$(sqlite3 "$tmp/b.db" 'PRAGMA journal_mode')" = wal ] || fail "not in WAL mode after the first import"
# a writer stopped in the middle of such an import leaves a hot -journal: a
# read-only command undoes it and reads the database as it was before
"$py" - "$tmp/b.db" <<'PY'
import os, sqlite3, sys
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("PRAGMA journal_mode = DELETE")
con.execute("PRAGMA cache_size = 1")
con.execute("BEGIN IMMEDIATE")
con.execute("UPDATE milestones SET title = 'half-written'")
os._exit(0)  # no rollback, no close: as if killed
PY
[ -s "$tmp/b.db-journal" ] || fail "no -journal left by the stopped writer"
expect_rc 0 "$KIGEN" --db "$tmp/b.db" list
hasnt "$tmp/out" "half-written"
# another program's SQLite file with such a journal is that program's to
# undo: kigen refuses it and leaves both files as they were
"$py" - "$tmp/other.db" <<'PY'
import os, sqlite3, sys
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("PRAGMA journal_mode = DELETE")
con.execute("CREATE TABLE t (x)")
con.executemany("INSERT INTO t VALUES (?)", [("y" * 100,)] * 2000)
con.execute("PRAGMA cache_size = 1")  # the update spills into the file
con.execute("BEGIN IMMEDIATE")
con.execute("UPDATE t SET x = 'half-written'")
os._exit(0)
PY
[ -s "$tmp/other.db-journal" ] || fail "no -journal left by the other program"
before=$(cat "$tmp/other.db" "$tmp/other.db-journal" | cksum)
expect_rc 1 "$KIGEN" --db "$tmp/other.db" list
has "$tmp/err" "other.db"
[ "$(cat "$tmp/other.db" "$tmp/other.db-journal" | cksum)" = "$before" ] ||
    fail "kigen undid another program's journal"

# no as-of date in the text: one line asking for --as-of, exit 2, nothing written
printf ' 施策の進捗状況について\n\n【施策名】 A施策（内閣官房）\n・実施。\n' >"$tmp/noasof.txt"
expect_rc 2 "$KIGEN" --db "$tmp/c.db" import "$tmp/noasof.txt"
has "$tmp/err" "give it with --as-of"
[ ! -e "$tmp/c.db" ] || fail "a document without an as-of date created the database"
expect_rc 0 "$KIGEN" --db "$tmp/c.db" import "$tmp/noasof.txt" --as-of 2010-03-31

# 同年 with no earlier date in its item: kept, flagged, counted, never silent
printf ' 施策の進捗状況（平成20年９月末現在）\n\n【施策名】 A施策（内閣官房）\n・同年12月に報告書を公表する予定。\n・平成21年１月に説明会を開催する予定。\n' >"$tmp/same.txt"
expect_rc 0 "$KIGEN" --db "$tmp/d.db" import "$tmp/same.txt"
has "$tmp/out" "1 milestone uncertain: the text does not settle the date"
expect_rc 0 "$KIGEN" --db "$tmp/d.db" import "$tmp/same.txt" --dry-run --json
pyjson 'j["uncertain"] == 1'
expect_rc 0 "$KIGEN" --db "$tmp/d.db" --json list
pyjson '[(m["expr"], m["uncertain"]) for m in j["milestones"]] == [("同年12月", True), ("平成21年１月", False)]'
expect_rc 0 "$KIGEN" --db "$tmp/d.db" --as-of 2008-09-30 list
has "$tmp/out" "2008-12-31?"
hasnt "$tmp/out" "2009-01-31?"
expect_rc 0 "$KIGEN" --db "$tmp/d.db" show 1
has "$tmp/out" "refers to an earlier date (同年, 同月 …) that the text does not give"

# errors: the file is named, exit 1; usage errors exit 2
expect_rc 1 k import "$tmp/none.txt"
has "$tmp/err" "$tmp/none.txt"
printf 'not a report\n' >"$tmp/empty.txt"
expect_rc 1 k import "$tmp/empty.txt"
has "$tmp/err" "$tmp/empty.txt"
expect_rc 1 k import "$report" --encoding klingon
has "$tmp/err" "klingon"
expect_rc 2 k import
has "$tmp/err" "missing FILE"
expect_rc 2 k import "$report" --layout spreadsheet
has "$tmp/err" "unknown layout 'spreadsheet' (expected progress"
echo ok
