# Checks an iCalendar feed with Debian's python3-icalendar (a parser nobody
# here wrote) against the milestones kigen lists as JSON.
#   /usr/bin/python3 feedcheck.py FEED.ics MILESTONES.json [todo]
# MILESTONES.json: `kigen --json list` or `kigen --json export` output; the
# feed must hold exactly those milestones (that have a date), each on its
# deadline, with its UID, SEQUENCE and STATUS.  Prints the UIDs, sorted.
import datetime
import json
import sys

import icalendar

feed_path, json_path = sys.argv[1], sys.argv[2]
todo = len(sys.argv) > 3 and sys.argv[3] == "todo"
raw = open(feed_path, "rb").read()
assert raw.endswith(b"\r\n"), "feed does not end with CRLF"
assert b"\n" not in raw.replace(b"\r\n", b""), "bare LF in feed"
for line in raw.split(b"\r\n"):
    assert len(line) <= 75, "line longer than 75 octets: %r" % line
    line.decode("utf-8")  # a fold never splits a character

cal = icalendar.Calendar.from_ical(raw)
for prop in ("PRODID", "VERSION", "CALSCALE", "METHOD", "X-WR-CALNAME",
             "X-WR-TIMEZONE", "REFRESH-INTERVAL", "X-PUBLISHED-TTL"):
    assert prop in cal, "calendar lacks " + prop
assert str(cal["METHOD"]) == "PUBLISH"
tzs = cal.walk("VTIMEZONE")
assert len(tzs) == 1 and str(tzs[0]["TZID"]) == str(cal["X-WR-TIMEZONE"]), "VTIMEZONE"

want = json.load(open(json_path))["milestones"]
want = [m for m in want if m["due"] or m["window_start"]]
kind = "VTODO" if todo else "VEVENT"
comps = {str(c["UID"]): c for c in cal.walk(kind)}
assert len(comps) == len(cal.walk(kind)), "duplicate UIDs"
assert set(comps) == {m["uid"] for m in want}, \
    "UIDs differ: missing %s, extra %s" % (
        {m["uid"] for m in want} - set(comps), set(comps) - {m["uid"] for m in want})

status_ev = {"cancelled": "CANCELLED"}
status_todo = {"planned": "NEEDS-ACTION", "ongoing": "IN-PROCESS",
               "done": "COMPLETED", "cancelled": "CANCELLED"}
for m in want:
    c = comps[m["uid"]]
    day = datetime.date.fromisoformat(m["due"] or m["window_start"])
    if todo:
        if m["due"]:
            assert c.decoded("DUE") == day, (m["uid"], c.decoded("DUE"), day)
        assert str(c["STATUS"]) == status_todo[m["status"]], m["uid"]
    else:
        assert c.decoded("DTSTART") == day, (m["uid"], c.decoded("DTSTART"), day)
        assert c.decoded("DTEND") == day + datetime.timedelta(days=1), m["uid"]
        if m["status"] in status_ev:
            assert str(c["STATUS"]) == status_ev[m["status"]], m["uid"]
    assert int(c["SEQUENCE"]) == m["sequence"], m["uid"]
    assert m["title"] in str(c["SUMMARY"]), (m["uid"], str(c["SUMMARY"]))
    for alarm in c.walk("VALARM"):
        assert "TRIGGER" in alarm and "ACTION" in alarm, m["uid"]

print("\n".join(sorted(comps)))
