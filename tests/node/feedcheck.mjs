// Checks an iCalendar feed with ical.js (the parser inside Thunderbird)
// against the milestones kigen lists as JSON.
//   node tests/node/feedcheck.mjs FEED.ics MILESTONES.json
// Every milestone with a date must be one VEVENT with its UID, on its
// deadline (all-day), with its SEQUENCE.  Prints the number of events.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const [feedPath, jsonPath] = process.argv.slice(2);
const cal = new ICAL.Component(ICAL.parse(readFileSync(feedPath, "utf8")));
const want = JSON.parse(readFileSync(jsonPath, "utf8")).milestones
  .filter((m) => m.due || m.window_start);

function check(cond, msg) {
  if (!cond) {
    console.error("FAIL: " + msg);
    process.exit(1);
  }
}

check(cal.getFirstPropertyValue("method") === "PUBLISH", "METHOD");
const tz = cal.getFirstSubcomponent("vtimezone");
check(tz && tz.getFirstPropertyValue("tzid") === cal.getFirstPropertyValue("x-wr-timezone"),
  "VTIMEZONE TZID");

const events = new Map();
for (const c of cal.getAllSubcomponents("vevent")) {
  const ev = new ICAL.Event(c);
  check(!events.has(ev.uid), "duplicate UID " + ev.uid);
  events.set(ev.uid, ev);
}
check(events.size === want.length, `${events.size} events, want ${want.length}`);
for (const m of want) {
  const ev = events.get(m.uid);
  check(ev, "missing " + m.uid);
  check(ev.startDate.isDate, m.uid + " is not all-day");
  check(ev.startDate.toString() === (m.due || m.window_start),
    `${m.uid}: starts ${ev.startDate}, want ${m.due || m.window_start}`);
  check(ev.endDate.subtractDate(ev.startDate).toSeconds() === 86400, m.uid + " lasts a day");
  check(ev.sequence === m.sequence, m.uid + " SEQUENCE");
  check(ev.summary.includes(m.title), m.uid + " SUMMARY " + ev.summary);
}
console.log(events.size);
