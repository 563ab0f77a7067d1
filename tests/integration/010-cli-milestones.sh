#!/bin/sh
# kigen add / list / upcoming / overdue / show / done / reopen / edit / rm /
# rm --purge on a temporary database, human output and exit codes.
. "$TOP/tests/integration/lib-cli.sh"
k() { "$KIGEN" --db "$db" "$@"; }

expect_rc 0 k add "演習を実施" --due 2008-12-01 --owner 内閣官房 --owner 総務省 --kind exercise
has "$tmp/out" "added 1: 演習を実施"
expect_rc 0 k add "報告書の公表" --from 2009-03-01 --due 2009-03-31 --kind publication
expect_rc 0 k add "GSOC 本格運用" --from 2008-04-01 --due 2009-03-31 --kind operation_start
expect_rc 0 k add "old one" --due 2008-10-01

# upcoming: 30 days by default, relative phrases, aligned with wide text
expect_rc 0 k upcoming --as-of 2008-11-25
has "$tmp/out" "in 6 days"
has "$tmp/out" "内閣官房, 総務省"
hasnt "$tmp/out" "報告書の公表"
[ "$(wc -l <"$tmp/out")" -eq 2 ] || fail "upcoming: header + 1 row expected"
# the STATUS column starts at the same screen column on both lines
"$py" - "$tmp/out" <<'PY' || fail "columns not aligned"
import sys, unicodedata
def col(line, word):
    i = line.index(word)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line[:i])
h, r = open(sys.argv[1], encoding="utf-8").read().splitlines()
assert col(h, "OWNERS") == col(r, "内閣官房"), (h, r)
PY
expect_rc 0 k upcoming --as-of 2008-11-25 --days 200
has "$tmp/out" "in 4 months"
expect_rc 0 k upcoming --as-of 2008-11-25 --until 2008-12-01
has "$tmp/out" "演習を実施"
hasnt "$tmp/out" "報告書の公表"

# overdue: open milestones past their deadline
expect_rc 0 k overdue --as-of 2008-12-04
has "$tmp/out" "3 days ago"
has "$tmp/out" "old one"
hasnt "$tmp/out" "GSOC"

# filters: one kind OR'd, different kinds AND'd
expect_rc 0 k list --kind exercise --kind publication
has "$tmp/out" "演習を実施"
has "$tmp/out" "報告書の公表"
hasnt "$tmp/out" "GSOC"
expect_rc 0 k list --kind exercise --owner 警察庁
has "$tmp/out" "no milestones"
expect_rc 0 k list --owner 総務省
has "$tmp/out" "演習を実施"

# show by id and by full UID
expect_rc 0 k show 1 --as-of 2008-11-25
has "$tmp/out" "2008-12-01 .. 2008-12-01 (day)"
uid=$(sed -n 's/^uid *//p' "$tmp/out")
[ -n "$uid" ] || fail "show prints no uid"
expect_rc 0 k show "$uid"
has "$tmp/out" "演習を実施"
expect_rc 1 k show 99
has "$tmp/err" "kigen: no milestone '99'"

# done / reopen change the status and the sequence
expect_rc 0 k done 1
has "$tmp/out" "done 1: 演習を実施"
expect_rc 0 k upcoming --as-of 2008-11-25
has "$tmp/out" "no milestones"
expect_rc 0 k list --status done
has "$tmp/out" "演習を実施"
expect_rc 0 k reopen "$uid"
expect_rc 0 k upcoming --as-of 2008-11-25
has "$tmp/out" "演習を実施"
expect_rc 0 k history 1
has "$tmp/out" "planned -> done"
has "$tmp/out" "done -> planned"

# edit: deadline, title, kind; the window keeps its start when it can
expect_rc 0 k edit 2 --due 2009-04-15 --title "報告書を公表"
expect_rc 0 k show 2
has "$tmp/out" "2009-03-01 .. 2009-04-15 (range)"
has "$tmp/out" "報告書を公表"
has "$tmp/out" "by hand"
expect_rc 2 k edit 2
has "$tmp/err" "nothing to change"
expect_rc 2 k edit 2 --from 2009-05-01
has "$tmp/err" "--from 2009-05-01 is after the deadline 2009-04-15"

# rm cancels (kept, shown as cancelled); rm --purge deletes
expect_rc 0 k rm 3
has "$tmp/out" "cancelled 3"
expect_rc 0 k list --status cancelled
has "$tmp/out" "GSOC"
expect_rc 0 k rm --purge 3
expect_rc 1 k show 3
has "$tmp/err" "no milestone '3'"
expect_rc 0 k list
hasnt "$tmp/out" "GSOC"

# colour only on a terminal, and never with NO_COLOR
command -v script >/dev/null || fail "script (util-linux) missing"
esc=$(printf '\033')
script -qec "\"$KIGEN\" --db \"$db\" overdue --as-of 2009-12-01" /dev/null >"$tmp/tty" </dev/null
has "$tmp/tty" "${esc}[31m"
NO_COLOR=1 script -qec "\"$KIGEN\" --db \"$db\" overdue --as-of 2009-12-01" /dev/null >"$tmp/tty" </dev/null
has "$tmp/tty" "old one"
hasnt "$tmp/tty" "$esc"
expect_rc 0 k overdue --as-of 2009-12-01
hasnt "$tmp/out" "$esc"

# help everywhere
expect_rc 0 "$KIGEN" --help
has "$tmp/out" "upcoming"
expect_rc 0 "$KIGEN" help add
has "$tmp/out" "usage: kigen add TITLE --due DATE"
expect_rc 0 "$KIGEN" rm --help
has "$tmp/out" "--purge"
expect_rc 0 "$KIGEN" --version
has "$tmp/out" "kigen "
echo ok
