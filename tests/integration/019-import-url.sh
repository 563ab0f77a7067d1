#!/bin/sh
# kigen import URL: a report downloaded over http (PDF or text, known by
# content) imports as from a file; a redirect within http is followed;
# 404, a redirect loop, a redirect to another protocol, a body above the
# limit (announced or not), a TLS failure and a text served under a .pdf
# name are refused with one line naming the URL, and nothing is written.
. "$TOP/tests/integration/lib-cli.sh"
. "$TOP/tests/integration/lib-docserver.sh"
trap 'stop_docserver; rm -rf "$tmp"' EXIT
mkpdf="$BUILD/tests/mkpdf"
[ -x "$mkpdf" ] || fail "$mkpdf missing (make test-build)"
k() { "$KIGEN" --db "$db" "$@"; }

sample="$TOP/data/secure-japan-2008-h1.txt"
mkdir "$tmp/www"
"$mkpdf" --two-column 6 "$sample" "$tmp/www/report.pdf"
cp "$sample" "$tmp/www/report.txt"
cp "$sample" "$tmp/www/mislabelled.pdf"
start_docserver "$tmp/www"

expect_rc 0 k import "$docs/report.pdf"
has "$tmp/out" "imported report.pdf (as of 2008-09-30), plan セキュア・ジャパン2008: 32 measures (32 new, 0 matched); milestones: 54 new"
# the edition records where it came from and the answer's validators
expect_rc 0 k --json export
pyjson "j['documents'][0]['url'] == '$docs/report.pdf'"
pyjson 'j["documents"][0]["etag"].startswith("\"") and j["documents"][0]["last_modified"].endswith(" GMT")'
pyjson 'all(m["source"]["page"] >= 1 for m in j["milestones"])'
# the same bytes through a redirect: already there
expect_rc 0 k import "$docs/redirect/report.pdf"
has "$tmp/out" "report.pdf (as of 2008-09-30) was already imported: nothing changed"
# the text version of the same report
expect_rc 0 k import "$docs/report.txt?from=test"
has "$tmp/out" "imported report.txt (as of 2008-09-30), plan セキュア・ジャパン2008: 32 measures (0 new, 32 matched)"

before=$(k --json export | md5sum)
for case in "status/404:http 404" \
    "loop:too many redirects (more than 5)" \
    "ftp:redirected to a protocol other than http and https" \
    "big:larger than the limit of 16 MiB" \
    "big-chunked:larger than the limit of 16 MiB" \
    "status/500:http 500"; do
	import_refused "$docs/${case%%:*}" "kigen: cannot download '$docs/${case%%:*}': ${case#*:}"
done
https=$(echo "$docs" | sed 's/^http:/https:/')
import_refused "$https/report.pdf" "kigen: cannot download '$https/report.pdf': TLS failure ("
import_refused "$docs/mislabelled.pdf" \
    "kigen: $docs/mislabelled.pdf: not a PDF (no %PDF- header) although named .pdf"
[ "$(k --json export | md5sum)" = "$before" ] || fail "a refused download changed the database"
echo ok
