#!/bin/sh
# kigen import --explain: writes nothing (no database is even created) and
# prints the layout, the as-of date with its line, each item with owners,
# milestones (expression -> window, status, kind) and undated plans, and the
# dates that are no milestones with why; --json gives the same as one object.
. "$TOP/tests/integration/lib-cli.sh"
report="$TOP/data/secure-japan-2008-h1.txt"

expect_rc 0 "$KIGEN" --db "$db" import --explain "$report"
[ ! -e "$db" ] || fail "--explain created the database"
has "$tmp/out" "secure-japan-2008-h1.txt: layout progress (detected)"
has "$tmp/out" "as of 2008-09-30 from line 1 (the half year or quarter it names)"
has "$tmp/out" "1. 情報セキュリティ対策のベストプラクティスの共有 (line 43)"
has "$tmp/out" "   owners: 内閣官房, 全府省庁"
has "$tmp/out" "   line 45: 平成20年８月 → 2008-08-01..2008-08-31 month, done, survey:"
has "$tmp/out" "   line 46: 平成18年度 is no milestone: names earlier work"
has "$tmp/out" "   undated: 引き続き、他の関係機関との間でも連携体制の充実に努める予定。"

expect_rc 0 "$KIGEN" --db "$db" --json import "$report" --explain --layout progress
[ ! -e "$db" ] || fail "--explain --json created the database"
pyjson 'list(j) == ["name", "layout", "layout_forced", "as_of", "as_of_from", "title", "counts", "items", "not_milestones"]'
pyjson 'j["layout"] == "progress" and j["layout_forced"] is True and j["as_of"] == "2008-09-30"'
pyjson 'j["as_of_from"]["line"] == 1 and j["counts"]["items"] == len(j["items"]) == 32'
pyjson 'j["counts"]["milestones"] == sum(len(i["milestones"]) for i in j["items"])'
pyjson 'list(j["items"][0]) == ["position", "line", "title", "owners", "heading", "milestones", "undated", "not_milestones"]'
pyjson 'j["items"][0]["milestones"][0] == {"line": 45, "expr": "平成20年８月", "window_start": "2008-08-01", "window_end": "2008-08-31", "precision": "month", "status": "done", "certainty": "none", "kind": "survey", "uncertain": False, "uncertain_reason": None, "title": "各府省庁の情報セキュリティマネジメントの調査を依頼", "sentence": j["items"][0]["milestones"][0]["sentence"]}'
pyjson '{"line": 46, "expr": "平成18年度", "why": "names earlier work"} in j["items"][0]["not_milestones"]'

# a KPI table: targets are kpi_target milestones, results are figures
expect_rc 0 "$KIGEN" --db "$db" import --explain "$TOP/tests/data/kpi-2023-followup.txt"
has "$tmp/out" "kpi-2023-followup.txt: layout kpi-table (detected)"
has "$tmp/out" "as of 2023-12-31 from line 3 (the date on its cover): 2023年12月"
has "$tmp/out" "   line 11: 2024年度末までに → 2024-01-01..2025-03-31 range, planned, kpi_target: 目標: 90% マイナンバーカードの保有率"
has "$tmp/out" "   line 12: 2023年10月末 is no milestone: a figure as of that date (a result, not a deadline)"

# the same errors as a real import, and nothing written
printf '「報告」\n\n・箇条書きだけ。\n' >"$tmp/nolayout.txt"
expect_rc 1 "$KIGEN" --db "$db" import --explain "$tmp/nolayout.txt"
has "$tmp/err" "no measures found: the text is in no known layout (looked for lines starting with 【施策名】 (progress)"
[ ! -e "$db" ] || fail "a failed --explain created the database"
echo ok
