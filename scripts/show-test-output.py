#!/usr/bin/env python3
"""Print the standard output of the named tests from a meson build's last
test run (meson-logs/testlog.json), so figures a passing test prints (fault
injection, complexity ratios) reach the CI log.

usage: show-test-output.py BUILDDIR TEST...
"""
import json, sys

build, names = sys.argv[1], sys.argv[2:]
seen = set()
with open(build + '/meson-logs/testlog.json') as f:
    for line in f:
        t = json.loads(line)
        name = t['name'].split(' / ')[-1]  # "libdts:suite / name"
        if name in names:
            seen.add(name)
            print('---- %s (%s, %.1f s)' % (t['name'], t['result'], t['duration']))
            sys.stdout.write(t.get('stdout', ''))
missing = [n for n in names if n not in seen]
if missing:
    sys.exit('show-test-output: no result for ' + ', '.join(missing))
