#!/usr/bin/env python3
"""Compares the live milter's decisions (its log) with `caliop policy replay --json` over the maildirs.

Usage: compare.py WORKDIR REPLAY_JSON
Phase 1 (dry-run): the milter's would-be action (dry_run=X, else its action) and rule against replay's action and
rule for the delivered copy with the same case marker. Phase 2 (enforced): the milter's disposition against
replay's disposition for phase 1's copy of the same case (replay reports what enforcing would do).
"""
import glob
import json
import os
import re
import sys

D, replay_file = sys.argv[1], sys.argv[2]

queue_of = {}
for f in glob.glob(os.path.join(D, "swaks-*.log")):
    case = os.path.basename(f)[len("swaks-"):-len(".log")]
    m = re.findall(r"queued as ([0-9A-Za-z]+)", open(f, errors="replace").read())
    queue_of[case] = m[-1] if m else None

live = {}
decisions = []
for line in open(os.path.join(D, "milter.log"), errors="replace"):
    m = re.search(r"(\w+): caliop: score=(\d+) grade=(\w) action=(\S+)(?: rule=(\S+))?", line)
    if m:
        dry = re.search(r" dry_run=(\w+)", line)
        live[m.group(1)] = {"action": m.group(4), "rule": m.group(5), "dry_run": dry.group(1) if dry else None,
                            "line": line.strip()}
        decisions.append(m.group(1))
# Messages are sent one after the other and each gets one decision: the n-th decision is the n-th case sent (a
# refused message has no "queued as" to match it by); where a queue id was printed, it must be the same.
cases = [c.strip() for c in open(os.path.join(D, "cases"))]
assert len(cases) == len(decisions), (len(cases), len(decisions))
for case, q in zip(cases, decisions):
    assert queue_of.get(case) in (None, q), (case, queue_of.get(case), q)
    queue_of[case] = q

replayed = {}
for line in open(replay_file):
    o = json.loads(line)
    subject = None
    with open(o["file"], errors="replace") as fh:
        for l in fh:
            if l.lower().startswith("subject:"):
                subject = l.split("case=", 1)[1].strip() if "case=" in l else None
                break
            if l.strip() == "":
                break
    replayed.setdefault(subject, []).append(o)

rows, agree, total = [], 0, 0
for case in sorted(queue_of):
    q = queue_of[case]
    l = live.get(q) if q else None
    phase = case.split("-", 1)[0]
    base = case.split("-", 1)[1]
    copies = replayed.get("p1-" + base, [])
    if l is None:
        rows.append((case, "live: no decision logged (refused before DATA?)", "", ""))
        continue
    for o in copies or [None]:
        total += 1
        if phase == "p1":
            live_says = (l["dry_run"] or l["action"], l["rule"])
            rep_says = (o["action"], o["rule"]) if o else None
        else:
            live_says = (l["action"], l["rule"])
            rep_says = (o["disposition"], o["rule"]) if o else None
        same = rep_says is not None and live_says[0] == rep_says[0] and (live_says[1] or None) == (rep_says[1] or None)
        agree += same
        rows.append((case, "live %s rule=%s" % live_says,
                     ("replay %s rule=%s dir=%s to=%s" % (rep_says[0], rep_says[1], o["direction"],
                                                          ",".join(o["recipients"]))) if o else "replay: no copy",
                     "AGREE" if same else "DIFFER" + (" unknowns=%s" % o["unknowns"] if o and o["unknowns"] else "")))
for r in rows:
    print("%-22s %-40s %-75s %s" % r)
print("compared: %d, agreed: %d, differed: %d" % (total, agree, total - agree))
