#!/bin/sh
# Line coverage of one coverage build (make coverage), after its tests ran.
#   scripts/coverage.sh BUILD_DIR
# Prints one line per directory of ours — "lib 87.3%", "daemon 78.0%",
# "cli 76.4%": the lines executed over the lines with code, summed over the
# directory's .c files, subdirectories included — then the path of the
# detailed report (HTML, one page per file).  gcovr reads the gcov data the
# programs left in BUILD_DIR; generated files (BUILD_DIR/daemon/assets.c)
# and the tests' own sources are not counted.
set -eu
B=${1:?usage: scripts/coverage.sh BUILD_DIR}
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
command -v gcovr >/dev/null 2>&1 || {
	echo "coverage: gcovr is missing (make deps, as root)" >&2
	exit 1
}
out=$B/coverage
rm -rf "$out"
mkdir -p "$out"
gcovr --root . --filter 'lib/' --filter 'daemon/' --filter 'cli/' -j 2 \
	--json-summary "$out/summary.json" --html-details "$out/index.html" "$B"
python3 - "$out/summary.json" <<'EOF'
import json, sys

total = {}
with open(sys.argv[1]) as f:
    for entry in json.load(f)["files"]:
        top = entry["filename"].split("/", 1)[0]
        t = total.setdefault(top, [0, 0])
        t[0] += entry["line_covered"]
        t[1] += entry["line_total"]
for top in ("lib", "daemon", "cli"):
    covered, lines = total.get(top, (0, 0))
    print("%s %.1f%%" % (top, 100.0 * covered / lines if lines else 0.0))
EOF
echo "report: $out/index.html"
