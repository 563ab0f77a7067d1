# Shared by the 01x-cli-*.sh tests (sourced, not run: the runner picks up
# only NNN-name.sh).  Gives a temporary directory removed on exit, a
# database path in it, and small assertions that fail the test loudly.
set -eu
: "${KIGEN:?}" "${TOP:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db="$tmp/kigen.db"
export KIGEN_CONFIG="$tmp/empty.conf" NO_COLOR=
: >"$KIGEN_CONFIG"
py=/usr/bin/python3
[ -x "$py" ] || { echo "FAIL: $py missing"; exit 1; }

fail() { echo "FAIL: $*"; exit 1; }

# expect_rc N cmd...: runs cmd, output in $tmp/out and $tmp/err.
expect_rc() {
	want=$1; shift
	set +e
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	set -e
	if [ "$got" -ne "$want" ]; then
		echo "--- stdout"; cat "$tmp/out"; echo "--- stderr"; cat "$tmp/err"
		fail "exit $got, want $want: $*"
	fi
}

# has FILE TEXT: FILE contains the fixed string TEXT.
has() {
	grep -qF -- "$2" "$1" || { echo "--- $1"; cat "$1"; fail "no '$2' in $(basename "$1")"; }
}

hasnt() {
	if grep -qF -- "$2" "$1"; then echo "--- $1"; cat "$1"; fail "'$2' in $(basename "$1")"; fi
}

# pyjson EXPR: evaluates a Python assertion with j = the JSON of $tmp/out.
pyjson() {
	"$py" -c "import json,sys; j=json.load(open(sys.argv[1])); assert $1, j" "$tmp/out" ||
		fail "json: $1"
}

# outbox_row STATUS WEBHOOK_ID [LAST_ERROR]: a delivery row of the first
# milestone, as kigend would have written it (for tests of what others do
# with such rows).
outbox_row() {
	"$py" - "$db" "$@" <<'PY'
import sqlite3, sys
db, status, wid = sys.argv[1:4]
err = sys.argv[4] if len(sys.argv) > 4 else None
c = sqlite3.connect(db)
mid = c.execute("SELECT min(id) FROM milestones").fetchone()[0]
c.execute("INSERT INTO outbox (endpoint, milestone_id, lead_days, deadline, type, webhook_id,"
          " body, fire_at, status, attempts, next_attempt_at, created_at, last_error)"
          " VALUES ('ops', ?, 7, 14327, 'milestone.reminder', ?, '{}', 0, ?, 1, 0, 0, ?)",
          (mid, wid, status, err))
c.commit()
PY
}

# import_refused ARG MESSAGE: `kigen import ARG` on $db fails (exit 1) with
# MESSAGE as the one line it writes on stderr.
import_refused() {
	expect_rc 1 "$KIGEN" --db "$db" import "$1"
	has "$tmp/err" "$2"
	[ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "$1: more than one line: $(cat "$tmp/err")"
}

. "$TOP/tests/integration/lib-wait.sh"
