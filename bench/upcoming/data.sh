#!/bin/sh
# bench/upcoming/data.sh: a benchmark database made the way users make one.
#   bench/upcoming/data.sh KIGEN N DB [REMFILE [TASKJSON]]
# `kigen import` of generated progress reports (bench/import/gen.py years):
# one report of N milestones, or above 100,000 one report of 100,000 per
# 100,000 (different plans, so N/100,000 reports make N milestones).  With
# REMFILE (and TASKJSON), the peers' files for the same deadlines, written
# from `kigen --json export` (bench/upcoming/peers.py).
set -eu
kigen=${1:?usage: data.sh KIGEN N DB [REMFILE [TASKJSON]]}
n=${2:?}
db=${3:?}
shift 3
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
txt=$(mktemp)
trap 'rm -f "$txt"' EXIT
per=$n
[ "$n" -le 100000 ] || per=100000
k=0
while [ $((k * per)) -lt "$n" ]; do
	k=$((k + 1))
	"$py" "$here/../import/gen.py" years "$per" "$k" >"$txt"
	KIGEN_CONFIG=/dev/null "$kigen" --db "$db" import "$txt" >/dev/null
done
[ $# -eq 0 ] || KIGEN_CONFIG=/dev/null "$kigen" --db "$db" --json export | "$py" "$here/peers.py" "$@"
