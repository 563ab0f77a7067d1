#!/usr/bin/env python3
"""bench/upcoming/peers.py: the peers' files for what kigen imported.

  kigen --json export | peers.py REMFILE [TASKJSON]

Writes the deadlines of the export's open milestones (planned or ongoing,
not gone: what `kigen upcoming` lists) as a remind(1) file, one REM a
milestone, and when asked every milestone as a Taskwarrior import file
(done ones as completed tasks).  The peers so see exactly the deadlines
kigen understood of the benchmark's reports, titles and owners included."""
import json
import sys

OPEN = ("planned", "ongoing")


def main(rem_path, task_path=None):
    export = json.load(sys.stdin)
    with open(rem_path, "w") as rem:
        for m in export["milestones"]:
            if m["status"] in OPEN and not m["gone"]:
                rem.write("REM %s MSG %s (%s)\n" % (m["due"], m["title"], "、".join(m["owners"])))
    if task_path is None:
        return
    with open(task_path, "w") as task:
        for m in export["milestones"]:
            if m["status"] == "cancelled":
                continue
            task.write(json.dumps({
                "description": m["title"],
                "due": m["due"].replace("-", "") + "T000000Z",
                "status": "pending" if m["status"] in OPEN and not m["gone"] else "completed",
                "project": "kigen",
            }, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:3])
