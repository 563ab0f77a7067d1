#!/bin/sh
# Watched sources: kigend looks at [source:NAME] every `every` — the first
# look imports the PDF, the next ones ask with If-None-Match and get 304,
# a new version is imported as a new edition and its changed and gone
# milestones (exactly those `kigen import --dry-run` lists) go out as
# signed milestone.changed / milestone.gone webhook messages (verified by
# the reference Standard Webhooks library) to the endpoint whose `events`
# ask for them.  Sources that fail (404, redirect
# loop, redirect to ftp, body above the limit, too slow) are retried and
# shown, with their error, in `kigen status` and on /metrics.  After a
# restart the first look is conditional too (validators from the database).
. "$TOP/tests/integration/lib-daemon.sh"
. "$TOP/tests/integration/lib-docserver.sh"
rpid= holder=
trap 'stop_kigend; stop_docserver; for p in $rpid $holder; do kill "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT
mkpdf="$BUILD/tests/mkpdf"
[ -x "$mkpdf" ] || fail "$mkpdf missing (make test-build)"
[ -d "$TOP/tests/node/node_modules/standardwebhooks" ] || fail "standardwebhooks missing (make deps)"

# wait_for WHAT CMD...: polls CMD (its output dropped) until it succeeds.
quietly() { "$@" >/dev/null 2>&1; }
wait_for() {
	what=$1
	shift
	poll_until "$patience" quietly "$@" ||
		{ tail -n 30 "$tmp/kigend.log"; fail "waited $patience s for $what"; }
}

sample="$TOP/data/secure-japan-2008-h1.txt"
mkdir "$tmp/www"
"$mkpdf" --two-column 6 "$sample" "$tmp/www/report.pdf"
# the next edition (下半期): one plan moved, one meeting no longer dated,
# and what half a year more says about the rest
sed -e 's/（上半期）/（下半期）/g' \
    -e 's/平成20年12月の政策会議において改訂案を諮る予定/平成21年１月の政策会議において改訂案を諮る予定/' \
    -e 's/^９月５日に開催済み。$/開催済み。/' "$sample" >"$tmp/v2.txt"
"$mkpdf" --two-column 6 "$tmp/v2.txt" "$tmp/v2.pdf"
echo 30 >"$tmp/www/.slow"
start_docserver "$tmp/www"

secret="whsec_$(head -c 32 /dev/urandom | base64)"
node "$TOP/tests/integration/receiver.mjs" --port-file "$tmp/rport" --log "$tmp/received" \
    --secret "$secret" >"$tmp/receiver.out" 2>&1 &
rpid=$!
wait_for "the receiver" test -s "$tmp/rport"

cat >"$KIGEN_CONFIG" <<CONF
[webhook:changes]
url = http://127.0.0.1:$(cat "$tmp/rport")/hooks
secret = $secret
events = milestone.changed, milestone.gone
[source:sj]
url = $docs/report.pdf
every = 10s
[source:missing]
url = $docs/status/404
[source:loop]
url = $docs/loop
[source:ftp]
url = $docs/ftp
[source:big]
url = $docs/big
[source:slow]
url = $docs/slow/report.pdf
timeout = 1s
CONF
start_kigend --config "$KIGEN_CONFIG"

# the first look imports the PDF
count() { "$KIGEN" --db "$db" --json export | "$py" -c "import json,sys; j=json.load(sys.stdin); sys.exit(not ($1))"; }
wait_for "the first import" count 'len(j["milestones"]) == 54 and len(j["measures"]) == 32'
# the next look is conditional and changes nothing
wait_for "a conditional GET" grep -q '^GET /report.pdf "' "$docserver_log"
grep '^GET /report.pdf ' "$docserver_log" | head -n 1 | grep -q '^GET /report.pdf - -$' ||
	fail "the first GET was conditional: $(head -n 1 "$docserver_log")"
[ ! -s "$tmp/received" ] || fail "messages without a change: $(cat "$tmp/received")"

# what the new edition will change, by the CLI's dry run on a copy
sqlite3 "$db" ".backup $tmp/before.db"
expect_rc 0 "$KIGEN" --db "$tmp/before.db" --json import "$tmp/v2.pdf" --dry-run
cp "$tmp/out" "$tmp/expected.json"
"$py" - "$tmp/expected.json" <<'PY' || fail "the new edition changes too little: $(cat "$tmp/expected.json")"
import json, sys
c = json.load(open(sys.argv[1]))["counts"]
assert c["changed"] >= 1 and c["gone"] >= 1 and c["new"] == 0, c
PY
counts=$("$py" -c 'import json,sys; c=json.load(open(sys.argv[1]))["counts"]; print("%d new, %d changed, %d gone" % (c["new"], c["changed"], c["gone"]))' "$tmp/expected.json")

# the new edition: imported, and each change goes out once — also when
# another connection holds the write lock as it comes (the loop does not
# wait for it: it writes again a second later, the parse kept)
"$py" -c '
import os, sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
while not os.path.exists(sys.argv[3]):
    time.sleep(0.05)
c.execute("COMMIT")
' "$db" "$tmp/held" "$tmp/release" &
holder=$!
wait_for "the write lock" test -e "$tmp/held"
cp "$tmp/v2.pdf" "$tmp/www/report.pdf"
wait_for "a write that finds the database locked" grep -q "writing again in" "$tmp/kigend.log"
touch "$tmp/release"
wait "$holder"
holder=
wait_for "the change messages" "$py" -c '
import json, sys
want = [i for i in json.load(open(sys.argv[2]))["items"] if i["what"] in ("changed", "gone")]
assert sum(1 for l in open(sys.argv[1])) >= len(want)
' "$tmp/received" "$tmp/expected.json"
"$py" - "$tmp/received" "$tmp/expected.json" <<'PY' || fail "change messages: $(cat "$tmp/received")"
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
want = {("milestone." + i["what"], i["milestone"]["uid"])
        for i in json.load(open(sys.argv[2]))["items"] if i["what"] in ("changed", "gone")}
assert all(e["ok"] and e["status"] == 204 and e["source"] == "sj" for e in r), r
assert sorted((e["type"], e["uid"]) for e in r) == sorted(want), (r, want)
moved = [e for e in r if e["due"] == "2009-01-31"]
assert len(moved) == 1 and moved[0]["type"] == "milestone.changed" and moved[0]["changes"] == ["window"], r
assert all(e["gone"] is True and "gone" in e["changes"] for e in r if e["type"] == "milestone.gone"), r
PY
count 'any(m["window_end"] == "2009-01-31" and m["title"] == "改訂案を諮る" for m in j["milestones"])' ||
	fail "the new edition's window is not in the database"
grep -q "source sj: imported report.pdf (as of 2009-03-31): $counts" "$tmp/kigend.log" ||
	fail "no import line '$counts' in the log"

# every failing source is shown with its error
expect_rc 0 "$KIGEN" --db "$db" --json status
"$py" - "$tmp/out" "$docs" <<'PY' || fail "status: $(cat "$tmp/out")"
import json, sys
j = json.load(open(sys.argv[1])); docs = sys.argv[2]
s = {x["name"]: x for x in j["sources"]}
assert s["sj"]["failures"] == 0 and s["sj"]["imports"] == 2 and s["sj"]["last_error"] is None, s["sj"]
want = {"missing": "http 404", "loop": "too many redirects (more than 5)",
        "ftp": "redirected to a protocol other than http and https",
        "big": "larger than the limit of 16 MiB", "slow": "timed out after 1 s"}
for name, why in want.items():
    x = s[name]
    assert x["failures"] >= 1 and x["state"] in ("failing", "checking"), x
    assert x["last_error"].startswith("cannot download '%s" % docs) and x["last_error"].endswith(why), x
PY
expect_rc 0 "$KIGEN" --db "$db" status
has "$tmp/out" "source missing: failing ("
has "$tmp/out" "http 404)"
expect_code 200 metrics /metrics
has "$tmp/metrics" 'kigend_source_imports_total{source="sj"} 2'
grep -q '^kigend_source_errors_total{source="missing"} [1-9]' "$tmp/metrics" || fail "no errors of missing"
grep -q '^kigend_source_failures{source="loop"} [1-9]' "$tmp/metrics" || fail "loop not failing"
# a restart asks with the validators of the last version imported
stop_kigend
: >"$docserver_log"
start_kigend --config "$KIGEN_CONFIG"
wait_for "a look after the restart" grep -q '^GET /report.pdf ' "$docserver_log"
grep '^GET /report.pdf ' "$docserver_log" | head -n 1 | grep -q '^GET /report.pdf "' ||
	fail "the first look after a restart was not conditional: $(cat "$docserver_log")"
stop_kigend
echo ok
