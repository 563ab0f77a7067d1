#!/bin/sh
# An import into an empty milestones table takes the bulk path of
# lib/store_import.c (write_milestones: the table's indexes dropped and made
# again after its rows, the rows in key order, the creation history in one
# statement, uids checked in memory); one into a table with rows takes the
# row-by-row path.  Both must write the same: the two sample editions
# imported into a new database, and into one holding a milestone made by
# hand first (which shifts every id by one and is left out of the
# comparison), give the same rows, history, observations and schema.
. "$TOP/tests/integration/lib-cli.sh"
h1="$TOP/data/secure-japan-2008-h1.txt"
h2="$TOP/tests/data/next-report.txt"

# rows that do not depend on the path: milestones by uid, ids as offsets
# from the first imported one, times left out (the clock moves)
rows() {
	sqlite3 "$1" "
	CREATE TEMP VIEW base AS SELECT min(id) - 1 AS b FROM milestones WHERE plan IS NOT NULL;
	SELECT 'ms', uid, id - (SELECT b FROM base), due, measure_id, title, kind, status,
	  certainty, window_start, window_end, precision, expr, sentence, document_id, line,
	  manual, gone, sequence, owners, completed_at IS NULL, uncertain, uncertain_reason,
	  page, plan, local_mask, local_at, conflict, retired, measure_title, measure_owners
	  FROM milestones WHERE plan IS NOT NULL ORDER BY id;
	SELECT 'hist', m.uid, h.document_id, h.reason, h.created, h.old_start, h.old_end,
	  h.new_start, h.new_end, h.old_status, h.new_status
	  FROM milestone_history h JOIN milestones m ON m.id = h.milestone_id
	  WHERE m.plan IS NOT NULL ORDER BY h.id;
	SELECT 'obs', o.document_id, o.pos, o.measure_id, m.uid, o.ekey, o.title, o.status,
	  o.window_start, o.window_end FROM observations o
	  LEFT JOIN milestones m ON m.id = o.milestone_id ORDER BY o.document_id, o.pos;
	SELECT 'schema', type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name;
	PRAGMA integrity_check;
	PRAGMA foreign_key_check;" || fail "reading $1"
}

for f in "$h1" "$h2"; do
	"$KIGEN" --db "$tmp/bulk.db" import "$f" >/dev/null || fail "import $f (new database)"
done
"$KIGEN" --db "$tmp/rows.db" add "by hand" --due 2009-01-15 >/dev/null || fail "add"
for f in "$h1" "$h2"; do
	"$KIGEN" --db "$tmp/rows.db" import "$f" >/dev/null || fail "import $f (after add)"
done
rows "$tmp/bulk.db" >"$tmp/bulk.txt"
rows "$tmp/rows.db" >"$tmp/rows.txt"
[ "$(grep -c '^ms|' "$tmp/bulk.txt")" -ge 54 ] || fail "too few milestones compared"
grep -q '^hist|.*|import secure-japan-2008-h1.txt|1|' "$tmp/bulk.txt" ||
	fail "no creation history from the first import"
cmp -s "$tmp/bulk.txt" "$tmp/rows.txt" ||
	{ diff "$tmp/bulk.txt" "$tmp/rows.txt" | head; fail "bulk and row-by-row imports differ"; }
[ "$(tail -n 1 "$tmp/bulk.txt")" = ok ] || fail "integrity_check: $(tail -n 3 "$tmp/bulk.txt")"

# each path taken: the bulk one made the indexes again (after everything
# else in the schema), the other left them where the migrations put them
remade() {
	sqlite3 "$1" "SELECT (SELECT min(rowid) FROM sqlite_schema WHERE type = 'index'
	  AND tbl_name = 'milestones' AND sql IS NOT NULL) > (SELECT max(rowid) FROM
	  sqlite_schema WHERE NOT (type = 'index' AND tbl_name = 'milestones'))"
}
[ "$(remade "$tmp/bulk.db")" = 1 ] || fail "bulk path not taken"
[ "$(remade "$tmp/rows.db")" = 0 ] || fail "row-by-row path not taken"

# the indexes a new database has, made again by the bulk import, and used
sqlite3 "$tmp/bulk.db" "SELECT count(*) FROM sqlite_schema WHERE type = 'index'
  AND tbl_name = 'milestones' AND sql IS NOT NULL" >"$tmp/n" || fail "count indexes"
[ "$(cat "$tmp/n")" -eq 6 ] || fail "milestones has $(cat "$tmp/n") indexes, want 6"
sqlite3 "$tmp/bulk.db" "EXPLAIN QUERY PLAN SELECT * FROM milestones WHERE id = 3" >"$tmp/plan" ||
	fail "query plan"
has "$tmp/plan" "milestones_id"

# an error amid the bulk path undoes all of it, the dropped indexes too
"$KIGEN" --db "$tmp/fail.db" import --dry-run "$h1" >/dev/null || fail "dry run (fail.db)"
sqlite3 "$tmp/fail.db" "CREATE TRIGGER boom BEFORE INSERT ON milestones WHEN NEW.id = 20
  BEGIN SELECT RAISE(ABORT, 'boom'); END" || fail "trigger"
expect_rc 1 "$KIGEN" --db "$tmp/fail.db" import "$h1"
has "$tmp/err" "boom"
sqlite3 "$tmp/fail.db" "SELECT (SELECT count(*) FROM milestones), (SELECT count(*) FROM
  documents), (SELECT count(*) FROM milestone_history), (SELECT count(*) FROM sqlite_schema
  WHERE type = 'index' AND tbl_name = 'milestones' AND sql IS NOT NULL);
  PRAGMA integrity_check" >"$tmp/n" || fail "count (fail.db)"
[ "$(tr '\n' ' ' <"$tmp/n")" = "0|0|0|6 ok " ] || fail "after the error: $(cat "$tmp/n")"
sqlite3 "$tmp/fail.db" "DROP TRIGGER boom" || fail "drop trigger"
"$KIGEN" --db "$tmp/fail.db" import "$h1" >/dev/null || fail "import after the error"
[ "$(remade "$tmp/fail.db")" = 1 ] || fail "bulk path not taken (fail.db)"

# a dry run into a new database writes nothing
expect_rc 0 "$KIGEN" --db "$tmp/dry.db" import --dry-run "$h1"
sqlite3 "$tmp/dry.db" "SELECT count(*) FROM milestones" >"$tmp/n" || fail "count (dry)"
[ "$(cat "$tmp/n")" -eq 0 ] || fail "a dry run wrote $(cat "$tmp/n") milestones"
echo ok
