#!/bin/sh
# Exit codes 0/1/2 and messages that name the bad value; a bad value writes
# nothing; an unwritable database and a bad config are clear failures.
. "$TOP/tests/integration/lib-cli.sh"
k() { "$KIGEN" --db "$db" "$@"; }

# the example: invalid date, exit 2, nothing written (no file even)
expect_rc 2 k add x --due 2009-02-30
has "$tmp/err" "kigen: invalid date '2009-02-30' (day out of range)"
[ ! -e "$db" ] || fail "a failed add created the database"
expect_rc 0 k add first --due 2009-01-10
expect_rc 2 k add x --due 2009-02-30
expect_rc 0 k export
pyjson 'len(j["milestones"]) == 1'

# usage errors: exit 2, the value named
expect_rc 2 k add x
has "$tmp/err" "missing --due DATE"
expect_rc 2 k add --due 2009-01-01
has "$tmp/err" "missing TITLE"
expect_rc 2 k add x --due 2009-01-01 --kind party
has "$tmp/err" "invalid kind 'party'"
expect_rc 2 k add x --due 2009-02-01 --from 2009-03-01
has "$tmp/err" "is after the deadline"
expect_rc 2 k upcoming --days -3
has "$tmp/err" "invalid --days '-3'"
expect_rc 2 k upcoming --days 3 --until 2009-01-01
expect_rc 2 k list --status late
has "$tmp/err" "invalid status 'late'"
expect_rc 2 k list --bogus
has "$tmp/err" "unknown option '--bogus'"
expect_rc 2 k upcoming --days
has "$tmp/err" "option '--days' needs a value"
expect_rc 2 k frobnicate
has "$tmp/err" "unknown command 'frobnicate'"
expect_rc 2 k upcoming --as-of 2009-13-01
has "$tmp/err" "invalid date '2009-13-01' (month out of range)"
expect_rc 2 "$KIGEN" upcoming --db
has "$tmp/err" "option '--db' needs a value"
expect_rc 2 "$KIGEN"
expect_rc 2 k show
has "$tmp/err" "missing ID"

# failures: exit 1
expect_rc 1 k done 42
has "$tmp/err" "no milestone '42'"
expect_rc 1 k add x --due 2009-01-01 --measure 7
has "$tmp/err" "7"

# a database nobody can write: a clear error naming the path
mkdir "$tmp/ro"
chmod 0555 "$tmp/ro"
if [ "$(id -u)" -eq 0 ]; then
	# root writes anywhere: use a path under a regular file instead
	: >"$tmp/file"
	bad="$tmp/file/kigen.db"
else
	bad="$tmp/ro/kigen.db"
fi
expect_rc 1 "$KIGEN" --db "$bad" add x --due 2009-01-01
has "$tmp/err" "$bad"
expect_rc 1 "$KIGEN" --db "$tmp/missing.db" list
has "$tmp/err" "$tmp/missing.db"

# a bad configuration: FILE:LINE
printf '[general]\ntimezone = Asia/Tokyo\nlog_level = loud\n' >"$tmp/bad.conf"
expect_rc 1 k --config "$tmp/bad.conf" list
has "$tmp/err" "kigen: $tmp/bad.conf:3: invalid log_level 'loud'"
KIGEN_CONFIG="$tmp/bad.conf" expect_rc 1 k list
has "$tmp/err" "$tmp/bad.conf:3:"
expect_rc 1 k --config "$tmp/nope.conf" list
has "$tmp/err" "cannot read config '$tmp/nope.conf'"
# a config's db is used when --db is not given
printf '[general]\ndb = %s\n' "$db" >"$tmp/db.conf"
expect_rc 0 "$KIGEN" --config "$tmp/db.conf" list
has "$tmp/out" "first"
echo ok
