#!/bin/sh
# --json shapes: listings {as_of, milestones}, show, export {version,
# documents, measures, milestones}; global options before or after the
# command; --as-of sets "today".
. "$TOP/tests/integration/lib-cli.sh"

expect_rc 0 "$KIGEN" add "演習を実施" --due 2008-12-01 --owner 内閣官房 --kind exercise --db "$db"
expect_rc 0 "$KIGEN" --db="$db" add "報告書" --from 2009-03-01 --due 2009-03-31

# global options after the subcommand, --as-of sets today
expect_rc 0 "$KIGEN" upcoming --as-of 2008-11-01 --json --db "$db"
pyjson 'list(j) == ["as_of", "milestones"]'
pyjson 'j["as_of"] == "2008-11-01"'
pyjson 'len(j["milestones"]) == 1'
pyjson 'j["milestones"][0]["due"] == j["milestones"][0]["window_end"] == "2008-12-01"'
pyjson 'j["milestones"][0]["owners"] == ["内閣官房"]'
pyjson 'list(j["milestones"][0]) == ["id", "uid", "measure_id", "title", "kind", "status", "certainty", "window_start", "window_end", "due", "precision", "expr", "owners", "sequence", "manual", "gone", "conflict", "uncertain", "uncertain_reason", "source"]'
pyjson 'list(j["milestones"][0]["source"]) == ["document_id", "line", "page", "sentence"]'
pyjson 'j["milestones"][0]["measure_id"] is None'

# the same before the subcommand
expect_rc 0 "$KIGEN" --json --as-of 2008-11-01 --db "$db" upcoming
pyjson 'j["as_of"] == "2008-11-01" and len(j["milestones"]) == 1'

expect_rc 0 "$KIGEN" --db "$db" --json overdue --as-of 2009-04-01
pyjson '[m["title"] for m in j["milestones"]] == ["演習を実施", "報告書"]'

expect_rc 0 "$KIGEN" --db "$db" --json done 1
pyjson 'j["status"] == "done" and j["sequence"] >= 1'

expect_rc 0 "$KIGEN" --db "$db" list --json --status done
pyjson '[m["id"] for m in j["milestones"]] == [1]'

expect_rc 0 "$KIGEN" --db "$db" show 2 --json
pyjson 'j["precision"] == "month" and j["window_start"] == "2009-03-01"'

# export is JSON with or without --json
expect_rc 0 "$KIGEN" --db "$db" export
pyjson 'list(j) == ["version", "documents", "measures", "milestones"]'
pyjson 'j["version"] == 1 and len(j["milestones"]) == 2'
pyjson 'all(m["due"] == m["window_end"] for m in j["milestones"])'
cp "$tmp/out" "$tmp/export1"
expect_rc 0 "$KIGEN" --db "$db" export --json
cmp -s "$tmp/out" "$tmp/export1" || fail "export differs with --json"
echo ok
