#!/bin/sh
# bench/import: how long importing a report takes.
#  1. in process (bench/import/bench): kg_report_parse on each report of the
#     family, UTF-8 and CP932, median of RUNS runs, beside kg_text_decode alone;
#  2. whole process (hyperfine): `kigen import` of the seed report into a new
#     database and `kigen import --dry-run` against a database that has it,
#     beside peers that only read the same file: iconv (CP932 → UTF-8) and
#     grep -c.
# Results: bench/out/import.md (copy into bench/README.md, section "import").
#   bench/import/run.sh BUILD_DIR
set -eu
B=${1:?usage: bench/import/run.sh BUILD_DIR}
top=$(cd "$(dirname "$0")/../.." && pwd)
case $B in /*) ;; *) B=$top/$B ;; esac
runs=${RUNS:-500}
out="$top/bench/out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v hyperfine >/dev/null || { echo "bench: hyperfine missing (scripts/deps.sh bench)"; exit 1; }
cp "$B/kigen" "$B/bench/import/bench" "$work/"
export KIGEN_CONFIG=/dev/null
mkdir -p "$out"
seed="$top/data/secure-japan-2008-h1.txt"
iconv -f UTF-8 -t CP932 "$seed" >"$work/seed-cp932.txt"

{
	echo "in process, $runs runs each ($(uname -m), $(date -u +%Y-%m-%d)):"
	echo
	echo '```'
	for f in "$seed" "$top"/tests/data/*.txt; do
		"$work/bench" "$f" "$runs" | sed "s|^$top/||"
	done
	"$work/bench" "$work/seed-cp932.txt" "$runs" | sed "s|^$work/||"
	echo '```'
} >"$work/inproc.md"
cat "$work/inproc.md"

"$work/kigen" --db "$work/have.db" import "$seed" >/dev/null
hyperfine -N --style basic --warmup 5 --runs "${PROC_RUNS:-50}" \
    --prepare "rm -f $work/new.db $work/new.db-wal $work/new.db-shm" \
    -n "kigen import (new db)" "$work/kigen --db $work/new.db import $seed" \
    -n "kigen import --dry-run (same report)" "$work/kigen --db $work/have.db import --dry-run $seed" \
    -n "iconv CP932→UTF-8 (peer)" "iconv -f CP932 -t UTF-8 $work/seed-cp932.txt -o /dev/null" \
    -n "grep -c (peer)" "grep -c 施策名 $seed" \
    --export-json "$work/proc.json" >/dev/null
# medians (hyperfine's markdown shows means, which outliers on a busy machine skew)
/usr/bin/python3 -c 'import json, sys
res = json.load(open(sys.argv[1]))["results"]
base = min(r["median"] for r in res)
print("| command | median ms | min ms | max ms | / fastest |")
print("|:---|---:|---:|---:|---:|")
for r in res:
    print("| `%s` | %.1f | %.1f | %.1f | %.1f |" % (r["command"], r["median"] * 1e3,
        r["min"] * 1e3, r["max"] * 1e3, r["median"] / base))' "$work/proc.json" >"$work/proc.md"
{
	cat "$work/inproc.md"
	echo
	echo "whole process, hyperfine -N, ${PROC_RUNS:-50} runs, seed report (24 KB, 32 measures):"
	echo
	cat "$work/proc.md"
} >"$out/import.md"
cat "$work/proc.md"
echo "bench: results in $out/import.md"
