# Shared by integration tests that need thousands of milestones (sourced,
# not run; uses $KIGEN, $db and $py of the test sourcing it).
# bulk N DUE: N planned milestones due DUE (YYYY-MM-DD), written straight
# into the database (kigen add would take minutes for thousands).
bulk() {
	[ -f "$db" ] || "$KIGEN" --db "$db" add "seed" --due 2000-01-01 >/dev/null
	"$py" - "$db" "$1" "$2" <<'PY'
import datetime, sqlite3, sys
db, n, due = sys.argv[1], int(sys.argv[2]), sys.argv[3]
day = (datetime.date.fromisoformat(due) - datetime.date(1970, 1, 1)).days
c = sqlite3.connect(db)
first = c.execute("SELECT coalesce(max(id), 0) + 1 FROM milestones").fetchone()[0]
c.executemany(
    "INSERT INTO milestones (id, due, uid, title, kind, status, certainty, window_start,"
    " window_end, precision, manual, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, 'exercise', 'planned', 'planned', ?, ?, 'day', 1, 0, 0)",
    ((first + i, day, f"bulk-{due}-{i}@kigen", f"演習 {i}", day, day) for i in range(n)))
c.commit()
PY
}
