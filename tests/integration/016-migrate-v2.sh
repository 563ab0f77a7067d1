#!/bin/sh
# Schema v2 -> v3 (-> v4 -> v5 -> v6 -> v7 -> v8) in place: a database written by kigen before editions
# (tests/data/v2-main.sql: the sample report, next-report.txt and the
# 2009 report imported, then done 5, rm 7, edit 9, add, and one delivery;
# made with main at ddf8c6e, as tests/data/README.md says) lists the same
# milestones after migrating, gets the v3 tables filled (and v4's owners
# joined in each measure row, v5's edition_measures as a rowid table, v6's
# copies of each measure's title and owners in its milestones, v7's change
# marks, v8's listing index), keeps
# its deliveries, and takes imports and edits afterwards.
. "$TOP/tests/integration/lib-cli.sh"
k() { "$KIGEN" --db "$db" "$@"; }

"$py" - "$db" "$TOP/tests/data/v2-main.sql" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.executescript(open(sys.argv[2], encoding="utf-8").read())
c.close()
PY

# A read-only command does not migrate: it says how to.
expect_rc 1 k list
has "$tmp/err" "is schema v2 and needs migrating to v"
expect_rc 0 "$py" -c 'import sqlite3,sys; assert sqlite3.connect(sys.argv[1]).execute("PRAGMA user_version").fetchone()[0] == 2' "$db"

# A write migrates (here a no-op import of a file it has: nothing changes).
expect_rc 0 k import "$TOP/tests/data/next-report.txt"
expect_rc 0 k --json --as-of 2009-06-01 list
"$py" - "$tmp/out" "$TOP/tests/data/v2-main.list.json" <<'PY' || fail "list differs after migration"
import json, sys
new, old = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:3])
added = {"conflict": False, "uncertain": False, "uncertain_reason": None}
for m in new["milestones"]:
    for k, v in added.items():
        assert m.pop(k) == v, (m["id"], k)
    assert m["source"].pop("page") is None, m["id"]
assert new == old, [(a, b) for a, b in zip(new["milestones"], old["milestones"]) if a != b][:2]
print("ok:", len(new["milestones"]), "milestones unchanged")
PY

"$py" - "$db" <<'PY' || fail "v3 tables"
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
q = lambda sql: c.execute(sql).fetchall()
assert q("PRAGMA user_version") == [(8,)]   # through v3, v4, v5, v6, v7, v8
# one observation per imported milestone, in a document of its plan
assert q("SELECT count(*) FROM observations") == q("SELECT count(*) FROM milestones WHERE plan IS NOT NULL")
assert q("SELECT count(*) FROM milestones WHERE plan IS NULL") == [(1,)]          # the one added by hand
assert q("SELECT count(*) FROM observations o JOIN documents d ON d.id = o.document_id"
         " JOIN milestones m ON m.id = o.milestone_id WHERE d.plan <> m.plan") == [(0,)]
# two plans, recognised from the titles
assert q("SELECT DISTINCT plan FROM documents ORDER BY plan") == [("セキュア・ジャパン2008",), ("セキュア・ジャパン2009",)], q("SELECT plan FROM documents")
assert q("SELECT count(*) FROM documents WHERE standing") == [(3,)]
# edited and cancelled ones keep their fields over the reports
assert q("SELECT id FROM milestones WHERE local_mask <> 0 ORDER BY id") == [(5,), (7,), (9,)], q("SELECT id, local_mask FROM milestones WHERE local_mask <> 0")
# every measure a document said something about
assert q("SELECT count(*) FROM observations o LEFT JOIN edition_measures e"
         " ON e.document_id = o.document_id AND e.measure_id = o.measure_id"
         " WHERE o.measure_id IS NOT NULL AND e.pos IS NULL") == [(0,)]
# v4: each measure's owners joined in its row, in measure_owners' order
assert q("SELECT count(*) FROM measures WHERE owners IS NOT NULL") == q("SELECT count(DISTINCT measure_id) FROM measure_owners") != [(0,)]
assert q("SELECT count(*) FROM measures ms WHERE owners IS NOT (SELECT group_concat(owner, char(10))"
         " FROM (SELECT owner FROM measure_owners o WHERE o.measure_id = ms.id ORDER BY position))") == [(0,)]
# v5: edition_measures is a rowid table (its rows checked above)
assert "WITHOUT ROWID" not in q("SELECT sql FROM sqlite_schema WHERE name = 'edition_measures'")[0][0]
# v6: each milestone holds its measure's title and owners, those of none
# without a measure
assert q("SELECT count(*) FROM milestones WHERE measure_title IS NOT NULL") == q("SELECT count(*) FROM milestones WHERE measure_id IS NOT NULL") != [(0,)]
assert q("SELECT count(*) FROM milestones m LEFT JOIN measures ms ON ms.id = m.measure_id"
         " WHERE m.measure_title IS NOT ms.title OR m.measure_owners IS NOT ms.owners") == [(0,)]
# v7: the change marks and their triggers
assert [k for k, in q("SELECT key FROM meta WHERE key IN ('rev', 'reshaped') ORDER BY key")] == ["reshaped", "rev"]
assert q("SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'") == [(12,)]
assert q("SELECT name FROM sqlite_schema WHERE name = 'milestones_rev'") == [("milestones_rev",)]
# v8: the open milestones' index carries the listed columns, in place of
# milestones_open_due
assert q("SELECT name FROM sqlite_schema WHERE name LIKE 'milestones_open%'") == [("milestones_open",)]
assert [r[2] for r in q("PRAGMA index_info('milestones_open')")][:3] == ["due", "id", "status"]
assert q("SELECT count(*) FROM milestones INDEXED BY milestones_open"
         " WHERE status IN ('planned', 'ongoing') AND due >= 0") == q("SELECT count(*) FROM milestones WHERE status IN ('planned', 'ongoing')") != [(0,)]
# the outbox kept its row and takes the new status
assert q("SELECT webhook_id, status FROM outbox") == [("msg_fixture1", "delivered")]
c.execute("UPDATE outbox SET status = 'cancelled'")
c.rollback()
PY

expect_rc 0 k deliveries --json
has "$tmp/out" "msg_fixture1"

# The table (read from the v8 index) lists what the JSON (whole rows) does.
expect_rc 0 k --as-of 2008-06-01 --json upcoming --until 2010-12-31
cp "$tmp/out" "$tmp/up.json"
expect_rc 0 env COLUMNS=200 "$KIGEN" --db "$db" --as-of 2008-06-01 upcoming --until 2010-12-31
"$py" - "$tmp/up.json" "$tmp/out" <<'PY' || fail "upcoming table differs from its JSON"
import json, sys
j = json.load(open(sys.argv[1], encoding="utf-8"))["milestones"]
rows = open(sys.argv[2], encoding="utf-8").read().splitlines()[1:]
assert len(j) > 3, len(j)
assert [int(r.split()[0]) for r in rows] == [m["id"] for m in j], (rows, [m["id"] for m in j])
assert [r.split()[1].rstrip("?") for r in rows] == [m["due"] for m in j]
print("ok:", len(j), "rows")
PY

# Afterwards it works as a v3 database: edits and imports.
expect_rc 0 k done 10
expect_rc 0 k --json show 10
pyjson 'j["status"] == "done" and j["manual"] is True'
expect_rc 0 "$py" -c 'import sqlite3,sys; c = sqlite3.connect(sys.argv[1]); assert c.execute("SELECT id FROM milestones WHERE rev = (SELECT max(rev) FROM milestones)").fetchall() == [(10,)]' "$db"
expect_rc 0 k import "$TOP/tests/data/family-2009-h2.txt"
has "$tmp/out" "imported family-2009-h2.txt"
echo ok
