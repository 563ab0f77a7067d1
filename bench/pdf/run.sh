#!/bin/sh
# bench/pdf: what importing the PDF itself costs, and that it costs kigen's
# other commands nothing.  Whole processes timed with hyperfine (medians):
#  1. `kigen --version` and `kigen import` of the sample text, of an older
#     kigen (OLD_BUILD, a build of main before PDFs) beside this one — kigen
#     links neither poppler nor libcurl, so both should be unchanged;
#  2. `kigen import` of the sample's PDF (laid out by tests/pdf/mkpdf: the
#     kigen-pdftotext helper, poppler, then the same import) beside the text,
#     and beside poppler's own pdftotext where it is installed (a peer: the
#     conversion alone).
# Results: bench/out/pdf.md (copy into bench/README.md, section "pdf").
#   bench/pdf/run.sh BUILD_DIR [OLD_BUILD_DIR]
set -eu
B=${1:?usage: bench/pdf/run.sh BUILD_DIR [OLD_BUILD_DIR]}
OLD=${2:-}
top=$(cd "$(dirname "$0")/../.." && pwd)
case $B in /*) ;; *) B=$top/$B ;; esac
runs=${RUNS:-50}
out="$top/bench/out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v hyperfine >/dev/null || { echo "bench: hyperfine missing (scripts/deps.sh bench)"; exit 1; }
[ -x "$B/tests/mkpdf" ] || { echo "bench: $B/tests/mkpdf missing (make test-build)"; exit 1; }
export KIGEN_CONFIG=/dev/null
mkdir -p "$out"
seed="$top/data/secure-japan-2008-h1.txt"
"$B/tests/mkpdf" --two-column 6 "$seed" "$work/sample.pdf"
fresh="rm -f $work/n.db $work/n.db-wal $work/n.db-shm"

# hf NAME ARGS...: hyperfine into $work/NAME.json
hf() {
	name=$1
	shift
	hyperfine -N --style basic --warmup 3 --runs "$runs" --export-json "$work/$name.json" "$@"
}
old_version= old_import=
if [ -n "$OLD" ]; then
	old_version="$OLD/kigen --version"
	old_import="$OLD/kigen --db $work/n.db import $seed"
fi
hf version ${old_version:+"$old_version"} "$B/kigen --version"
hf import --prepare "$fresh" ${old_import:+"$old_import"} \
    "$B/kigen --db $work/n.db import $seed" "$B/kigen --db $work/n.db import $work/sample.pdf"
# the helper reads standard input: both conversions through one shell each
conv="$B/kigen-pdftotext <$work/sample.pdf >$work/out.txt"
if command -v pdftotext >/dev/null; then
	hf convert "sh -c 'pdftotext $work/sample.pdf $work/out.txt'" "sh -c '$conv'"
else
	hf convert "sh -c '$conv'"
fi

{
	echo "$(uname -m), $(nproc) CPUs, $(date -u +%Y-%m-%d), load average $(cut -d' ' -f1-3 /proc/loadavg)," \
	    "hyperfine -N, $runs runs, medians:"
	echo
	echo '| command | median ms |'
	echo '|:---|---:|'
	for f in version import convert; do
		/usr/bin/python3 - "$work/$f.json" "$top" "$work" <<'PY'
import json, sys
top, work = sys.argv[2], sys.argv[3]
for r in json.load(open(sys.argv[1]))["results"]:
    cmd = r["command"].replace(top + "/", "").replace(work + "/", "")
    print("| `%s` | %.1f |" % (cmd, r["median"] * 1000))
PY
	done
	echo
	for f in "$B/kigen" ${OLD:+"$OLD/kigen"}; do
		echo "$(echo "$f" | sed "s|^$top/||"): $(readelf -d "$f" | grep -c NEEDED) shared libraries," \
		    "$(readelf -d "$f" | grep -cE 'poppler|curl') of them poppler or libcurl"
	done
} >"$out/pdf.md"
cat "$out/pdf.md"
