#!/bin/sh
# Database paths that are wrong are refused with one line before anything
# is changed: a missing directory (nobody creates it: a typo must not
# serve an empty feed), a directory, a FIFO (it used to hang `kigen list`),
# another program's SQLite file (it used to get kigen's tables, WAL and a
# user_version bump).  A kigen database from before application_id is
# adopted.  kigend says loudly when it creates a new database.  On a full
# disk (a small tmpfs of our own) reads work and writes say the disk is
# full.
. "$TOP/tests/integration/lib-service.sh"
write_conf

# A mistyped directory: refused by kigen and kigend, and not created.
expect_rc 1 "$KIGEN" --db "$tmp/typo/kigen.db" add "x" --due 2009-03-31
has "$tmp/err" "kigen: database '$tmp/typo/kigen.db': directory '$tmp/typo' does not exist"
expect_rc 1 timeout "$patience" "$KIGEND" --config "$conf" --db "$tmp/typo/kigen.db"
has "$tmp/err" "database '$tmp/typo/kigen.db': directory '$tmp/typo' does not exist"
[ ! -e "$tmp/typo" ] || fail "a database directory was created"

# A directory and a FIFO: refused by name (timeout: a FIFO used to hang).
mkdir "$tmp/dir.db"
expect_rc 1 timeout "$patience" "$KIGEN" --db "$tmp/dir.db" list
has "$tmp/err" "kigen: database '$tmp/dir.db' is a directory"
mkfifo "$tmp/fifo.db"
expect_rc 1 timeout "$patience" "$KIGEN" --db "$tmp/fifo.db" list
has "$tmp/err" "kigen: database '$tmp/fifo.db' is not a regular file (a FIFO)"
expect_rc 1 timeout "$patience" "$KIGEN" --db "$tmp/fifo.db" add "x" --due 2009-03-31
has "$tmp/err" "is not a regular file (a FIFO)"
expect_rc 1 timeout "$patience" "$KIGEND" --config "$conf" --db "$tmp/fifo.db"
has "$tmp/err" "is not a regular file (a FIFO)"

# Another program's SQLite file: refused by every entry, left byte for byte.
"$py" -c '
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
c.execute("INSERT INTO notes (body) VALUES (?)", ("keep me",))
c.execute("PRAGMA user_version = 1")
c.commit()' "$tmp/other.db"
sum=$(sha256sum <"$tmp/other.db")
for cmd in list "add x --due 2009-03-31" "import $TOP/data/secure-japan-2008-h1.txt"; do
	# shellcheck disable=SC2086
	expect_rc 1 "$KIGEN" --db "$tmp/other.db" $cmd
	has "$tmp/err" "kigen: database '$tmp/other.db' is not a kigen database"
done
expect_rc 1 timeout "$patience" "$KIGEND" --config "$conf" --db "$tmp/other.db"
has "$tmp/err" "database '$tmp/other.db' is not a kigen database"
[ "$(sha256sum <"$tmp/other.db")" = "$sum" ] || fail "another program's database was changed"
[ ! -e "$tmp/other.db-wal" ] || fail "another program's database was switched to WAL"

# A kigen database from before application_id: adopted, marked.
expect_rc 0 "$KIGEN" --db "$tmp/old.db" add "GSOC operation start" --due 2009-03-31
"$py" -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute("PRAGMA application_id = 0"); c.commit()' "$tmp/old.db"
expect_rc 0 "$KIGEN" --db "$tmp/old.db" list
has "$tmp/out" "GSOC operation start"
expect_rc 0 "$KIGEN" --db "$tmp/old.db" done 1
[ "$("$py" -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA application_id").fetchone()[0])' "$tmp/old.db")" = 1802069870 ] ||
	fail "adopted database not marked"

# kigend on a database that does not exist yet: it is created, loudly.
start_notify
start_kigend
has "$tmp/kigend.log" "database '$db' did not exist: created a new, empty one"
stop_kigend

# A full disk: a small tmpfs, filled.
mnt="$tmp/full"
mkdir "$mnt"
mount -t tmpfs -o size=4m tmpfs "$mnt" || fail "cannot mount a tmpfs (the test runs as root)"
trap 'umount "$mnt" 2>/dev/null || :; for p in $pids; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"' EXIT
expect_rc 0 "$KIGEN" --db "$mnt/kigen.db" import "$TOP/data/secure-japan-2008-h1.txt"
dd if=/dev/zero of="$mnt/fill" bs=64k 2>/dev/null || :
[ "$(df --output=avail "$mnt" | tail -n 1)" -lt 64 ] || fail "the tmpfs is not full"
expect_rc 0 "$KIGEN" --db "$mnt/kigen.db" list
has "$tmp/out" "GSOC"
expect_rc 0 "$KIGEN" --db "$mnt/kigen.db" --json export
expect_rc 1 "$KIGEN" --db "$mnt/kigen.db" add "x" --due 2009-03-31
has "$tmp/err" "no space left on device (disk full)"
rm -f "$mnt/fill"
expect_rc 0 "$KIGEN" --db "$mnt/kigen.db" add "x" --due 2009-03-31
umount "$mnt"
echo ok
