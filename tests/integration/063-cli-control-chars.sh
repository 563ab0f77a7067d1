#!/bin/sh
# Control characters from reports and from webhook receivers (a title
# change, a screen clear, an OSC 52 clipboard write) reach neither the
# terminal nor the .ics raw: import removes them and says how many, every
# command's output escapes what is left (^[ for ESC), JSON keeps the data
# escaped the JSON way, the feed carries none, and an answer of a receiver
# shown by `kigen webhook test` or `kigen deliveries` is escaped too.
. "$TOP/tests/integration/lib-cli.sh"
k() { "$KIGEN" --db "$db" "$@"; }
no_esc() { # no_esc FILE: not one raw control byte but tab, LF, CR
	if LC_ALL=C grep -q "$(printf '[\001-\010\013\014\016-\037\177]')" "$1" ||
	    LC_ALL=C grep -q "$(printf '\302[\200-\237]')" "$1"; then
		od -c "$1" | head -20; fail "raw control characters in $(basename "$1")"
	fi
}

# A report with escapes in a bullet and in a measure title.
"$py" - "$TOP/data/secure-japan-2008-h1.txt" "$tmp/report.txt" <<'PY'
import sys
text = open(sys.argv[1], encoding="utf-8").read()
esc = "\x1b]52;c;cm0gLXJmIH4=\x07\x1b]0;pwned\x07\x1b[2J\u009b31m"
i = text.index("平成20年12月")
text = text[:i] + esc + text[i:]
j = text.index("【施策名】") + len("【施策名】")
text = text[:j] + "\x1b[5m" + text[j:]
open(sys.argv[2], "w", encoding="utf-8").write(text)
PY
expect_rc 0 k import "$tmp/report.txt"
has "$tmp/out" "7 control characters removed from the text"
expect_rc 0 k --json import "$tmp/report.txt" --dry-run
expect_rc 0 k list
no_esc "$tmp/out"
"$py" - "$db" <<'PY' || fail "control characters in the database"
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
for t, col in (("milestones", "sentence"), ("milestones", "title"), ("measures", "title")):
    for (v,) in c.execute(f"SELECT {col} FROM {t}"):
        assert v is None or not any(ord(ch) < 32 and ch not in "\t\n" or 0x7f <= ord(ch) <= 0x9f
                                    for ch in v), (t, col, v)
PY

# What a person typed is kept, and shown escaped.
expect_rc 0 k add "$(printf 'Exercise\033]52;c;aGk=\007 \033[2Jnow\302\233')" --due 2030-01-01 \
	--owner "$(printf 'own\033]0;x\007er')"
no_esc "$tmp/out"
has "$tmp/out" 'Exercise^[]52;c;aGk=^G ^[[2Jnow<U+009B>'
id=$(sed -n 's/^added \([0-9]*\):.*/\1/p' "$tmp/out")
for cmd in list "show $id" upcoming "history $id"; do
	# shellcheck disable=SC2086
	expect_rc 0 k $cmd --as-of 2029-12-01
	no_esc "$tmp/out"
done
expect_rc 0 k show "$id"
has "$tmp/out" 'Exercise^[]52;c;aGk=^G ^[[2Jnow<U+009B>'
has "$tmp/out" 'own^[]0;x^Ger'
expect_rc 0 k --json show "$id"
no_esc "$tmp/out"
pyjson "j['title'] == 'Exercise\x1b]52;c;aGk=\x07 \x1b[2Jnow\x9b'"
expect_rc 2 k list --kind "$(printf 'x\033[2J')"
no_esc "$tmp/err"
has "$tmp/err" "invalid kind 'x^[[2J'"

# The feed: no control character in any value.
expect_rc 0 k feed
"$py" - "$tmp/out" <<'PY' || fail "control characters in the feed"
import sys
raw = open(sys.argv[1], "rb").read().decode("utf-8")
bad = [ch for ch in raw.replace("\r\n", "") if ord(ch) < 32 or 0x7f <= ord(ch) <= 0x9f]
assert not bad, bad[:5]
assert "SUMMARY:Exercise]52\\;c\\;aGk= [2Jnow (own]0\\;xer)" in raw.replace("\r\n ", ""), raw[:2000]
PY

# A receiver whose answer carries escapes: kigen webhook test prints it
# escaped; a delivery error shown by kigen deliveries likewise.
port=$("$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$py" - "$port" "$tmp/ready" <<'PY' &
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length", 0)))
        body = b"bad\x1b]52;c;cm0=\x07\x1b[2J\xc2\x9bgone\n"
        self.send_response(500)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a): pass
s = http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H)
open(sys.argv[2], "w").close()
s.serve_forever()
PY
srv=$!
trap 'kill $srv 2>/dev/null; rm -rf "$tmp"' EXIT
wait_until "the receiver" test -f "$tmp/ready"
printf '[webhook:ops]\nurl = http://127.0.0.1:%s/hook\nsecret = whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYX\n' "$port" >"$KIGEN_CONFIG"
expect_rc 1 k webhook test ops
no_esc "$tmp/out"
has "$tmp/out" 'bad^[]52;c;cm0=^G^[[2J<U+009B>gone'
outbox_row failed msg_x "$(printf 'refused: \033]0;owned\007\033[2J')"
expect_rc 0 k deliveries
no_esc "$tmp/out"
has "$tmp/out" 'refused: ^[]0;owned^G^[[2J'
echo ok
