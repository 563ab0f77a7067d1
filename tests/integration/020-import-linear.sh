#!/bin/sh
# Import cost is linear in the input (issue 11): a 10 MB report whose one
# bullet repeats a dated clause is refused at once, in bounded memory, with
# one line naming the line and nothing written; a 1 MB report of many dated
# sentences imports in the same bounds.  The normal build runs under
# `ulimit -v`; the sanitizer build (whose shadow memory ulimit -v cannot
# bound) reports its peak resident size instead, checked against a bound.
# Times are measured in bench/import, not here.
. "$TOP/tests/integration/lib-cli.sh"
k() { "$KIGEN" --db "$db" "$@"; }

"$py" - "$tmp" <<'PY'
import sys
head = (" 「セキュア・ジャパン２００８」の進捗状況（上半期）について\n\n"
        "（※ 平成20年９月30日現在）\n\n【施策名】 演習の実施（内閣官房）\n【進捗状況】\n・")
clause = "平成20年12月１日に演習を実施し、"
n = 10 * 1024 * 1024 // len(clause.encode())
with open(sys.argv[1] + "/adversarial.txt", "w", encoding="utf-8") as f:
    f.write(head + clause * n + "結果を公表する予定。\n")
with open(sys.argv[1] + "/many.txt", "w", encoding="utf-8") as f:
    f.write(head.rstrip("・"))
    i = 0
    while f.tell() < 1024 * 1024:
        f.write("・第%d回の演習を平成21年%d月%d日に実施し、結果を平成21年%d月末までに公表する予定。\n"
                % (i, 1 + i % 3, 1 + i % 28, 4 + i % 6))
        i += 1
PY

# run OUT CMD...: runs CMD with its output in OUT.out and OUT.err; prints
# its exit status and its peak resident size in KiB (0 where not measured)
if ldd "$KIGEN" 2>/dev/null | grep -q libasan; then
	run() {
		"$py" - "$@" <<'PY'
import resource, subprocess, sys
out = sys.argv[1]
rc = subprocess.call(sys.argv[2:], stdout=open(out + ".out", "w"),
                     stderr=open(out + ".err", "w"))
print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PY
	}
else
	run() {
		out=$1
		shift
		(ulimit -v 1048576 && rc=0 && { "$@" >"$out.out" 2>"$out.err" || rc=$?; } &&
		    echo "$rc 0")
	}
fi
limit_kb=1048576

set -- $(run "$tmp/run1" "$KIGEN" --db "$db" import "$tmp/adversarial.txt")
[ "$1" -eq 1 ] || { cat "$tmp/run1.err"; fail "adversarial import: exit $1, want 1"; }
[ "$2" -le "$limit_kb" ] || fail "adversarial import: peak ${2} KiB"
has "$tmp/run1.err" "adversarial.txt: line 7: more than 1000 dates in one text"
[ "$(wc -l <"$tmp/run1.err")" -eq 1 ] || fail "one line expected"
[ ! -e "$db" ] || fail "nothing may be written"

set -- $(run "$tmp/run2" "$KIGEN" --db "$db" import "$tmp/many.txt")
[ "$1" -eq 0 ] || { cat "$tmp/run2.err"; fail "1 MB import: exit $1"; }
[ "$2" -le "$limit_kb" ] || fail "1 MB import: peak ${2} KiB"
expect_rc 0 k --json list --status planned
pyjson 'len(j["milestones"]) > 10000'
echo "ok (peak $2 KiB where measured)"
