#!/usr/bin/env python3
"""Sums the CPU samples of a Java Flight Recording that fall inside the timed windows of a JamesThroughputIT log.

usage: jfr print --json --events jdk.ExecutionSample --stack-depth 256 REC.jfr | jfr_windows.py IT-LOG [TOP]

Each timed run of JamesThroughputIT prints "round R LABEL ... (FROM to TO)"; samples outside those windows (server
start, warm-up) are left out. A sample counts once, under the first of these whose code is anywhere on its stack:
the benchmark's own client (org.caliop.james.it), caliop's engine (Engine.assess/conclude: judging), caliop's
adapter (any other org.caliop frame), James's mailbox, SMTP, queue, mailet container; else "other". Then the TOP
leaf methods of the samples of caliop's engine and adapter.
"""
import collections
import json
import re
import sys
from datetime import datetime


def instant(text):
    # 2026-12-04T00:42:19.143666759Z -> microseconds are enough
    m = re.match(r'(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z', text)
    frac = (m.group(2) or '0')[:6].ljust(6, '0')
    return datetime.strptime(m.group(1) + '.' + frac, '%Y-%m-%dT%H:%M:%S.%f')


def windows(log):
    out = []
    for line in open(log, encoding='utf-8', errors='replace'):
        m = re.search(r'^round \d+ (\S+) .*\((\S+) to (\S+)\)', line)
        if m:
            out.append((m.group(1), instant(m.group(2)), instant(m.group(3))))
    return out


def frame(f):
    return f['method']['type']['name'].replace('/', '.') + '.' + f['method']['name']


CATEGORIES = [
    ('benchmark client', lambda f: f.startswith('org.caliop.james.it.')),
    ('caliop engine', lambda f: f.startswith('org.caliop.engine.Engine.')),
    ('caliop adapter', lambda f: f.startswith('org.caliop.')),
    ('james mailbox', lambda f: f.startswith('org.apache.james.mailbox.')),
    ('james smtp', lambda f: f.startswith('org.apache.james.smtpserver.') or f.startswith('org.apache.james.protocols.')),
    ('james queue', lambda f: f.startswith('org.apache.james.queue.')),
    ('james mailets', lambda f: f.startswith('org.apache.james.mailetcontainer.') or f.startswith('org.apache.james.transport.')),
]


def main():
    spans = windows(sys.argv[1])
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    events = json.load(sys.stdin)['recording']['events']
    per_label = collections.defaultdict(collections.Counter)
    methods = collections.defaultdict(collections.Counter)
    for e in events:
        at = instant(e['values']['startTime'])
        label = next((l for l, a, b in spans if a <= at <= b), None)
        if label is None:
            continue
        stack = [frame(f) for f in (e['values']['stackTrace'] or {}).get('frames', [])]
        # outermost match decides: a sample under Engine.assess is the engine's even when its top frame is a library
        category = 'other'
        for name, test in CATEGORIES:
            if any(test(f) for f in stack):
                category = name
                break
        per_label[label][category] += 1
        if category.startswith('caliop') and stack:
            methods[(label, category)][stack[0]] += 1
    for label, counts in per_label.items():
        total = sum(counts.values())
        runs = sum(1 for l, a, b in spans if l == label)
        print('%s: %d samples in %d timed runs' % (label, total, runs))
        for name, _ in CATEGORIES + [('other', None)]:
            if counts[name]:
                print('  %-16s %6d %5.1f%%' % (name, counts[name], 100.0 * counts[name] / total))
        for category in ('caliop engine', 'caliop adapter'):
            if methods[(label, category)]:
                print('  top methods, %s:' % category)
                for m, c in methods[(label, category)].most_common(top):
                    print('    %6d %s' % (c, m))


if __name__ == '__main__':
    main()
