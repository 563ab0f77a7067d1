#!/bin/sh
# bench/upcoming: time `kigen upcoming --days 30` (whole process, output to
# /dev/null, median of hyperfine runs) on 10k, 100k and 1M milestones spread
# over ten years, imported by `kigen import` from generated progress reports
# (bench/upcoming/data.sh; 1M is ten 100k reports), against remind (`remind
# -q -r -t30`) and Taskwarrior (a due-window `task list`; 10k and 100k only)
# on the same deadlines, in the same run.  Then the same-output-size series and the query plan,
# with the load average before and after each size.  Results:
# bench/out/upcoming.md (copy into bench/README.md).
#   bench/upcoming/run.sh BUILD_DIR [SIZES...]
set -eu
B=${1:?usage: bench/upcoming/run.sh BUILD_DIR [SIZES...]}
shift
top=$(cd "$(dirname "$0")/../.." && pwd)
case $B in /*) ;; *) B=$top/$B ;; esac
sizes=${*:-10000 100000 1000000}
out="$top/bench/out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# private copies: a rebuild during the run must not swap the binaries
cp "$B/kigen" "$B/bench/upcoming/plan" "$work/"
kigen="$work/kigen"
py=/usr/bin/python3
as_of=2010-01-01          # mid-span: the 30-day window is full at every size
until=2010-01-31          # as_of + 30 days (kigen's window is inclusive)
runs=${RUNS:-15}
export KIGEN_CONFIG=/dev/null
for tool in hyperfine remind task "$py"; do
	command -v "$tool" >/dev/null || { echo "bench: $tool missing (make deps: scripts/deps.sh bench)"; exit 1; }
done
mkdir -p "$out"
report="$out/upcoming.md"

# median_ms JSON NAME: the median of one hyperfine result, in ms.
median_ms() {
	"$py" -c 'import json,sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
print("%.1f" % (r[sys.argv[2]]["median"] * 1000))' "$1" "$2"
}

{
	echo "| milestones | rows | kigen ms | remind ms | task ms | remind / kigen | task / kigen | load before / after |"
	echo "|---:|---:|---:|---:|---:|---:|---:|---|"
} >"$work/main.md"
{
	echo "| milestones | --days | rows | kigen ms |"
	echo "|---:|---:|---:|---:|"
} >"$work/flat.md"

for n in $sizes; do
	db="$work/$n.db"
	with_task=false
	[ "$n" -le 100000 ] && with_task=true
	if $with_task; then
		sh "$top/bench/upcoming/data.sh" "$kigen" "$n" "$db" "$work/$n.rem" "$work/$n.json"
		mkdir -p "$work/task$n"
		printf 'data.location=%s\nconfirmation=off\nverbose=nothing\nhooks=off\n' \
		    "$work/task$n" >"$work/task$n.rc"
		TASKRC="$work/task$n.rc" task import "$work/$n.json" >/dev/null 2>&1
	else
		sh "$top/bench/upcoming/data.sh" "$kigen" "$n" "$db" "$work/$n.rem"
	fi
	rows=$("$kigen" --db "$db" --as-of $as_of --json upcoming --days 30 |
	    "$py" -c 'import json,sys; print(len(json.load(sys.stdin)["milestones"]))')
	rrows=$(remind -q -r -t30 "$work/$n.rem" $as_of 2>/dev/null | grep -c . || true)
	echo "bench: $n milestones: kigen $rows rows, remind $((rrows - 1)) reminders"
	set -- -n kigen "$kigen --db $db --as-of $as_of upcoming --days 30" \
	    -n remind "remind -q -r -t30 $work/$n.rem $as_of"
	if $with_task; then
		trows=$(TASKRC="$work/task$n.rc" task due.after:2009-12-31 due.before:2010-02-01 \
		    status:pending list 2>/dev/null | grep -c . || true)
		echo "bench: task $trows rows"
		set -- "$@" -n task "task due.after:2009-12-31 due.before:2010-02-01 status:pending list"
	fi
	load0=$(cut -d' ' -f1 /proc/loadavg)
	TASKRC="$work/task$n.rc" hyperfine -N --style basic --warmup 3 --runs "$runs" \
	    --export-json "$work/$n.json.out" "$@"
	k=$(median_ms "$work/$n.json.out" kigen)
	r=$(median_ms "$work/$n.json.out" remind)
	if $with_task; then
		t=$(median_ms "$work/$n.json.out" task)
		tr=$("$py" -c "print('%.0f×' % ($t / $k))")
	else
		t="–"
		tr="–"
	fi
	rr=$("$py" -c "print('%.1f×' % ($r / $k))")
	echo "| $n | $rows | $k | $r | $t | $rr | $tr | $load0 / $(cut -d' ' -f1 /proc/loadavg) |" >>"$work/main.md"

	# same output size at every N: a window holding ~270 rows
	days=$((1000000 / n - 1))
	frows=$("$kigen" --db "$db" --as-of $as_of --json upcoming --days $days |
	    "$py" -c 'import json,sys; print(len(json.load(sys.stdin)["milestones"]))')
	hyperfine -N --style basic --warmup 3 --runs "$runs" --export-json "$work/$n.flat.json" \
	    -n kigen "$kigen --db $db --as-of $as_of upcoming --days $days" >/dev/null
	echo "| $n | $days | $frows | $(median_ms "$work/$n.flat.json" kigen) |" >>"$work/flat.md"
	last_db=$db
done

{
	echo "## upcoming — $(date -u +%Y-%m-%d), $(nproc) CPUs, $(uname -m)"
	echo
	echo "\`kigen --as-of $as_of upcoming --days 30\` (table to /dev/null), remind"
	echo "\`remind -q -r -t30 FILE $as_of\`, Taskwarrior \`task due.after:2009-12-31"
	echo "due.before:2010-02-01 status:pending list\`; median of $runs runs (hyperfine -N,"
	echo "3 warm-up runs), whole process."
	echo
	cat "$work/main.md"
	echo
	echo "Same output size (about 270 rows) as the data grows:"
	echo
	cat "$work/flat.md"
	echo
	echo "Query plan (\`bench/upcoming/plan\`, the query \`kigen upcoming\` runs):"
	echo
	echo '```'
	"$work/plan" "$last_db" $as_of 30
	echo '```'
} >"$report"
cat "$report"
