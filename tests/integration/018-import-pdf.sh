#!/bin/sh
# kigen import of the PDF itself: PDFs laid out at test time from report
# texts (tests/pdf/mkpdf.c: running header, page numbers, one two-column
# page) import the same measures and the same milestone windows and
# statuses as the texts; a PDF is known by its content, whatever its name
# or source (a file, standard input); each bad PDF is refused with one
# line naming it, and nothing is written.
. "$TOP/tests/integration/lib-cli.sh"
mkpdf="$BUILD/tests/mkpdf"
[ -x "$mkpdf" ] || fail "$mkpdf missing (make test-build)"
command -v qpdf >/dev/null || fail "qpdf missing (make deps)"
k() { "$KIGEN" --db "$db" "$@"; }

# same_import TEXT PDF: the two documents give the same measures (titles,
# owners, in order) and the same milestones (measure, window, status, kind,
# title); only source lines differ.
same_import() {
	"$KIGEN" --db "$tmp/t.db" import "$1" >/dev/null
	"$KIGEN" --db "$tmp/p.db" import "$2" >/dev/null
	"$KIGEN" --db "$tmp/t.db" export >"$tmp/t.json"
	"$KIGEN" --db "$tmp/p.db" export >"$tmp/p.json"
	rm -f "$tmp/t.db" "$tmp/p.db"
	"$py" - "$tmp/t.json" "$tmp/p.json" <<'PY' || fail "$2 imports differently from $1"
import json, sys
t, p = (json.load(open(f)) for f in sys.argv[1:3])
def measures(j):
    return [(m["title"], m["owners"]) for m in j["measures"]]
def milestones(j):
    title = {m["id"]: m["title"] for m in j["measures"]}
    return sorted((title[x["measure_id"]], x["window_start"] or "", x["window_end"] or "",
                   x["status"], x["kind"], x["title"]) for x in j["milestones"])
assert measures(t) == measures(p), (measures(t), measures(p))
mt, mp = milestones(t), milestones(p)
assert mt == mp, [x for x in mt if x not in mp] + ["--"] + [x for x in mp if x not in mt]
print(len(t["measures"]), "measures,", len(mt), "milestones")
PY
}

sample="$TOP/data/secure-japan-2008-h1.txt"
"$mkpdf" --two-column 6 "$sample" "$tmp/sample.pdf"
same_import "$sample" "$tmp/sample.pdf" >"$tmp/counts"
has "$tmp/counts" "32 measures, 54 milestones"
# two more of the family, one with its two-column page elsewhere
"$mkpdf" --two-column 3 "$TOP/tests/data/next-report.txt" "$tmp/next.pdf"
same_import "$TOP/tests/data/next-report.txt" "$tmp/next.pdf" >/dev/null
"$mkpdf" --two-column 2 "$TOP/tests/data/secure-japan-2009-h1.txt" "$tmp/2009.pdf"
same_import "$TOP/tests/data/secure-japan-2009-h1.txt" "$tmp/2009.pdf" >/dev/null

# the PDF's name is recorded, its bytes identify it: the same PDF again
# changes nothing, also when it comes on standard input
expect_rc 0 k import "$tmp/sample.pdf"
has "$tmp/out" "imported sample.pdf (as of 2008-09-30), plan セキュア・ジャパン2008: 32 measures"
expect_rc 0 k import - <"$tmp/sample.pdf"
has "$tmp/out" "stdin (as of 2008-09-30) was already imported: nothing changed"
expect_rc 0 k --json export
pyjson 'len(j["documents"]) == 1 and j["documents"][0]["name"] == "sample.pdf"'
# pages are known: each milestone's source page, shown by show and export
pyjson 'all(1 <= m["source"]["page"] <= 12 for m in j["milestones"])'
pyjson '[m["source"]["page"] for m in j["milestones"] if m["title"] == "演習を実施"] == [5]'
id=$("$py" -c 'import json,sys; print([m["id"] for m in json.load(open(sys.argv[1]))["milestones"] if m["title"] == "演習を実施"][0])' "$tmp/out")
expect_rc 0 k show "$id"
has "$tmp/out" "page 5"
expect_rc 0 "$KIGEN" --db "$tmp/text.db" import "$sample"
expect_rc 0 "$KIGEN" --db "$tmp/text.db" --json export
pyjson 'all(m["source"]["page"] is None for m in j["milestones"])'
expect_rc 0 k --json export
sha=$("$py" -c 'import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],"rb").read()).hexdigest())' "$tmp/sample.pdf")
pyjson "j['documents'][0]['sha256'] == '$sha'"

# detection by content: a PDF named .txt is a PDF; text on standard input
# is text; a text named .pdf is refused
cp "$tmp/sample.pdf" "$tmp/looks-like.txt"
expect_rc 0 "$KIGEN" --db "$tmp/n.db" import "$tmp/looks-like.txt" --dry-run
has "$tmp/out" "dry run, nothing written: looks-like.txt (as of 2008-09-30), plan セキュア・ジャパン2008: 32 measures"
expect_rc 0 "$KIGEN" --db "$tmp/n.db" import - --dry-run <"$sample"
has "$tmp/out" "dry run, nothing written: stdin (as of 2008-09-30), plan セキュア・ジャパン2008: 32 measures"

# refusals: one line naming the file, exit 1, nothing written
cp "$sample" "$tmp/text.pdf"
"$mkpdf" --image-only "$sample" "$tmp/scanned.pdf"
qpdf --encrypt secret owner 256 -- "$tmp/sample.pdf" "$tmp/locked.pdf"
head -c 60000 "$tmp/sample.pdf" >"$tmp/cut.pdf"
# the same size, the middle overwritten: the header and %%EOF are there
"$py" -c 'import sys; b=bytearray(open(sys.argv[1],"rb").read()); b[9:-8]=b"x"*(len(b)-17); open(sys.argv[2],"wb").write(b)' \
	"$tmp/sample.pdf" "$tmp/garbage.pdf"
before=$(k --json export | md5sum)
import_refused "$tmp/text.pdf" "kigen: $tmp/text.pdf: not a PDF (no %PDF- header) although named .pdf"
import_refused "$tmp/scanned.pdf" \
    "kigen: $tmp/scanned.pdf: PDF has no text layer (12 pages without text: scanned images?)"
import_refused "$tmp/locked.pdf" "kigen: $tmp/locked.pdf: PDF is encrypted and needs a password"
import_refused "$tmp/cut.pdf" "kigen: $tmp/cut.pdf: damaged PDF (truncated: no %%EOF at its end)"
import_refused "$tmp/garbage.pdf" "kigen: $tmp/garbage.pdf: damaged PDF ("
expect_rc 1 k import - <"$tmp/locked.pdf"
has "$tmp/err" "kigen: stdin: PDF is encrypted and needs a password"
[ "$(k --json export | md5sum)" = "$before" ] || fail "a refused PDF changed the database"
echo ok
