#!/bin/sh
# kigen import + kigen export against the hand-made expected files
# (tests/data/*.expected.json): every measure with its bodies, every dated
# milestone with its window, precision, status and kind, the undated notes.
# The seed re-encoded as CP932 and EUC-JP, and with a BOM and CRLF, exports
# the same.  Bad input (empty, no measures, binary, invalid bytes, 100 MB)
# fails with exit 1 and a message naming the problem, and leaves the
# database as it was.
. "$TOP/tests/integration/lib-cli.sh"
seed="$TOP/data/secure-japan-2008-h1.txt"

# golden DB EXPECTED: the export of DB matches the expected file.
golden() {
	"$KIGEN" --db "$1" export >"$tmp/export.json"
	"$py" - "$tmp/export.json" "$2" <<'PY'
import json, sys
got, exp = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
bad = []
measures = {m["id"]: m for m in got["measures"]}
if [m["title"] for m in got["measures"]] != [m["title"] for m in exp["measures"]]:
    bad.append("measure titles differ")
def key(x):
    return (x["expr"], x["window_start"], x["window_end"], x["precision"], x["status"], x["kind"])
for i, em in enumerate(exp["measures"]):
    if i >= len(got["measures"]):
        break
    gm = got["measures"][i]
    if gm["owners"] != em["owners"]:
        bad.append("%s: owners %s, expected %s" % (em["title"], gm["owners"], em["owners"]))
    gms = sorted(key(x) for x in got["milestones"] if x["measure_id"] == gm["id"])
    ems = sorted(key(x) for x in em["milestones"])
    for x in ems:
        if x not in gms:
            bad.append("%s: missing %s" % (em["title"], x))
    for x in gms:
        if x not in ems:
            bad.append("%s: extra %s" % (em["title"], x))
    if sorted(gm["notes"]) != sorted(em["undated"]):
        bad.append("%s: notes %s, expected %s" % (em["title"], gm["notes"], em["undated"]))
if got["documents"][-1]["as_of"] != exp["as_of"]:
    bad.append("as_of %s" % got["documents"][-1]["as_of"])
for b in bad:
    print("MISMATCH", b)
sys.exit(1 if bad else 0)
PY
}

n=0
for pair in "$seed:$TOP/tests/data/secure-japan-2008-h1.expected.json" \
    "$TOP/tests/data/next-report.txt:$TOP/tests/data/next-report.expected.json" \
    "$TOP/tests/data/family-reiwa-h1.txt:$TOP/tests/data/family-reiwa-h1.expected.json" \
    "$TOP/tests/data/secure-japan-2009-h1.txt:$TOP/tests/data/secure-japan-2009-h1.expected.json"; do
	n=$((n + 1))
	expect_rc 0 "$KIGEN" --db "$tmp/g$n.db" import "${pair%%:*}"
	golden "$tmp/g$n.db" "${pair#*:}" || fail "export of ${pair%%:*} differs from its expected file"
done

# the seed in other encodings and line ends: the same export
iconv -f UTF-8 -t CP932 "$seed" >"$tmp/seed-cp932.txt"
iconv -f UTF-8 -t EUC-JP-MS "$seed" >"$tmp/seed-eucjp.txt"
{ printf '\357\273\277'; sed 's/$/\r/' "$seed"; } >"$tmp/seed-crlf.txt"
for f in seed-cp932 seed-eucjp seed-crlf; do
	expect_rc 0 "$KIGEN" --db "$tmp/$f.db" import "$tmp/$f.txt"
	golden "$tmp/$f.db" "$TOP/tests/data/secure-japan-2008-h1.expected.json" ||
	    fail "export of $f differs from the seed's expected file"
done
expect_rc 0 "$KIGEN" --db "$tmp/enc.db" import "$tmp/seed-cp932.txt" --encoding shift_jis
golden "$tmp/enc.db" "$TOP/tests/data/secure-japan-2008-h1.expected.json" || fail "--encoding shift_jis"

# bad input: exit 1, a clear message, the database untouched
expect_rc 0 "$KIGEN" --db "$db" import "$seed"
"$KIGEN" --db "$db" export >"$tmp/before.json"
: >"$tmp/empty.txt"
printf '「報告」\n\n・箇条書きだけ。\n' >"$tmp/nomeasures.txt"
head -c 4096 /dev/urandom >"$tmp/binary.bin"
printf '\000' >>"$tmp/binary.bin"
printf '【施策名】 A（B）\n・\377\n' >"$tmp/invalid.txt"
truncate -s 100M "$tmp/huge.txt"
check_bad() {
	expect_rc 1 "$KIGEN" --db "$db" import "$@"
	has "$tmp/err" "$1"
	"$KIGEN" --db "$db" export >"$tmp/after.json"
	cmp -s "$tmp/before.json" "$tmp/after.json" || fail "database changed by: import $*"
}
check_bad "$tmp/empty.txt"; has "$tmp/err" "empty report"
check_bad "$tmp/nomeasures.txt"; has "$tmp/err" "no measures found"
check_bad "$tmp/binary.bin"; has "$tmp/err" "byte"
check_bad "$tmp/invalid.txt" --encoding utf-8; has "$tmp/err" "invalid UTF-8 at byte 28"
check_bad "$tmp/huge.txt"; has "$tmp/err" "limit"
check_bad "$tmp/seed-cp932.txt" --encoding utf-8; has "$tmp/err" "invalid UTF-8 at byte"
echo ok
