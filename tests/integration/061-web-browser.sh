#!/bin/sh
# The pages in a real browser (Debian's headless Chromium, driven by
# playwright-core from tests/node): the timeline loads with no console
# error, no failed request and nothing fetched elsewhere; one row per
# measure of the sample report; the bar of 平成20年12月１日's exercise at
# the x of its date; filters narrow the rows, with the script and without
# JavaScript; a bar leads to its milestone's sentence and history; a title
# holding <script> stays text (no dialog fires); a phone in dark mode
# scrolls the bars while the labels stay; after the next report, moved
# windows show their previous window as a ghost with an arrow.
# Screenshots land in $BUILD/tests/web/ for people to look at.
. "$TOP/tests/integration/lib-daemon.sh"
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium missing (make deps)"
[ -d "$TOP/tests/node/node_modules/playwright-core" ] ||
	fail "tests/node/node_modules/playwright-core missing (make deps)"

evil='<script>alert("kigen")</script>'
expect_rc 0 "$KIGEN" --db "$db" import "$TOP/data/secure-japan-2008-h1.txt"
expect_rc 0 "$KIGEN" --db "$db" add "$evil" --due 2008-12-24 --kind report
start_kigend
expect_code 200 ms /api/v1/milestones
expect_code 200 me /api/v1/measures
"$py" - "$tmp/ms" "$tmp/me" "$evil" >"$tmp/expect.json" <<'PY' || fail "expectations"
import json, sys
ms = json.load(open(sys.argv[1]))["milestones"]
measures = json.load(open(sys.argv[2]))["measures"]
ex = [m for m in ms if m["due"] == "2008-12-01" and m["kind"] == "exercise"]
assert len(ex) == 1, ex
ex = ex[0]
evil = [m for m in ms if m["title"] == sys.argv[3]][0]
owner = "総務省"
mine = [m for m in ms if owner in m["owners"]]
print(json.dumps({
    # one row per measure, and one for the milestones of none
    "rows": len(measures) + any(m["measure_id"] is None for m in ms),
    "exercise": {"id": ex["id"], "date": ex["window_start"], "expr": ex["expr"],
                 "sentence": ex["source"]["sentence"]},
    "evil": {"id": evil["id"], "title": evil["title"]},
    "owner": owner,
    "owner_rows": len({m["measure_id"] for m in mine}),
}, ensure_ascii=False))
PY
out="$BUILD/tests/web"
rm -rf "$out"
"$node" "$TOP/tests/node/browser.mjs" --base "$base" --expect "$tmp/expect.json" \
	--out "$out" >"$tmp/browser.log" 2>&1 || { cat "$tmp/browser.log"; fail "in the browser"; }
cat "$tmp/browser.log"

# The next half-year's report moves deadlines: their previous windows show
# as ghosts with an arrow (kigend notices the import within a second or so;
# wait for the page to show it, generously).
expect_rc 0 "$KIGEN" --db "$db" import "$TOP/tests/data/next-report.txt"
expect_rc 0 "$KIGEN" --db "$db" --json slipped
moved=$("$py" -c 'import json,sys; c=[c for c in json.load(open(sys.argv[1]))["changes"] if (c["slip_days"] or 0) > 30]; print(c[0]["milestone_id"])' "$tmp/out")
ghosts() { fetch slips "/?as_of=2009-04-30" && grep -q 'class="ghost"' "$tmp/slips"; }
wait_until "the timeline to show the moved windows" ghosts
"$node" "$TOP/tests/node/browser.mjs" --base "$base" --expect "$tmp/expect.json" \
	--out "$out" --slip "$moved" --as-of 2009-04-30 >"$tmp/slips.log" 2>&1 ||
	{ cat "$tmp/slips.log"; fail "moved windows in the browser"; }
cat "$tmp/slips.log"
for png in timeline.png milestone.png timeline-phone-dark.png timeline-editions.png; do
	[ -s "$out/$png" ] || fail "no screenshot $png"
	[ "$(head -c 8 "$out/$png" | od -An -tx1 | tr -d ' ')" = 89504e470d0a1a0a ] ||
		fail "$png is no PNG"
done
stop_kigend
echo ok
