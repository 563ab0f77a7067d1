#!/bin/sh
# bench/import/scale.sh: how `kigen import` grows with its input (issue 11).
#  1. a report of N dated milestones (bench/import/gen.py big N), N = 10k and
#     100k: whole import into a new database, and --dry-run (parse and match,
#     nothing written);
#  2. one bullet repeating a dated clause N times (gen.py repeat N), N = 250
#     .. 2000 and a 10 MB one: linear up to the refusal at 1000 dates.
# With OLD=path/to/an/older/kigen, the same runs of that binary are the peer
# (e.g. a build of main before the change, made in a temporary worktree).
# Medians of RUNS (default 5) runs with hyperfine; the load average is
# printed, since this machine is shared.  Results: bench/out/import-scale.md.
#   sh bench/import/scale.sh BUILD_DIR
set -eu
B=${1:?usage: bench/import/scale.sh BUILD_DIR}
top=$(cd "$(dirname "$0")/../.." && pwd)
case $B in /*) ;; *) B=$top/$B ;; esac
runs=${RUNS:-5}
out="$top/bench/out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v hyperfine >/dev/null || { echo "bench: hyperfine missing (scripts/deps.sh bench)"; exit 1; }
export KIGEN_CONFIG=/dev/null
mkdir -p "$out"
for n in 10000 100000; do /usr/bin/python3 "$top/bench/import/gen.py" big $n >"$work/big$n.txt"; done
for n in 250 500 1000 2000 330000; do /usr/bin/python3 "$top/bench/import/gen.py" repeat $n >"$work/rep$n.txt"; done

set --
for k in "$B/kigen" ${OLD:+"$OLD"}; do
	tag=$( [ "$k" = "$B/kigen" ] && echo new || echo old )
	for n in 10000 100000; do
		set -- "$@" -n "$tag import big $n" "$k --db $work/$tag.db import $work/big$n.txt"
		set -- "$@" -n "$tag import --dry-run big $n" "$k --db $work/$tag-dry.db import --dry-run $work/big$n.txt"
	done
	# the old kigen is cubic here: 2,000 clauses take minutes, 10 MB the OOM killer
	for n in 250 500 1000 2000 330000; do
		[ $tag = old ] && [ $n -gt 1000 ] && continue
		set -- "$@" -n "$tag import repeat $n" "$k --db $work/$tag.db import $work/rep$n.txt"
	done
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
hyperfine -N -i --style basic --runs "$runs" \
    --prepare "rm -f $work/new.db $work/new.db-wal $work/new.db-shm $work/old.db $work/old.db-wal $work/old.db-shm" \
    "$@" --export-json "$work/scale.json" >/dev/null
/usr/bin/python3 -c 'import json, sys
res = json.load(open(sys.argv[1]))["results"]
print("| command | median s | min s | max s | user s | system s |")
print("|:---|---:|---:|---:|---:|---:|")
for r in res:
    print("| `%s` | %.2f | %.2f | %.2f | %.2f | %.2f |" % (r["command"], r["median"],
        r["min"], r["max"], r["user"], r["system"]))' "$work/scale.json" | tee "$out/import-scale.md"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/import-scale.md"
