#!/usr/bin/env python3
"""The LP audit of cell suppression (issue 15, item 2) over real and
generated data: the example records and dts-gen records aggregated by
(year x) district x category, protected with the defaults (fewer than 3
enterprises, 10 % protection, margins), audited by suppress-audit
(dts_suppress_audit, GLPK); fails if any primary cell's interval is short
of its protection level, and checks that an only-primary pattern is found
exposed (the audit can fail). Also: dts-aggregate --suppress marks the
same cells as the library, and hides their values.

Usage: test_suppress.py DTS_AGGREGATE DTS_GEN SUPPRESS_AUDIT SRCDIR
"""
import csv, io, os, subprocess, sys, tempfile

AGG, GEN, AUDIT, SRC = (os.path.abspath(a) for a in sys.argv[1:5])
fails = 0


def check(cond, what):
    global fails
    print(('ok   ' if cond else 'FAIL ') + what)
    if not cond:
        fails += 1


def run(*args, ok=(0,)):
    p = subprocess.run(list(args), capture_output=True)
    if p.returncode not in ok:
        sys.stderr.write(p.stdout.decode() + p.stderr.decode())
        raise SystemExit('%s exited %d' % (args[0], p.returncode))
    return p.returncode, p.stdout.decode()


work = tempfile.TemporaryDirectory(prefix='dts-suppress-')
os.chdir(work.name)
example = os.path.join(SRC, 'examples/records-2024-2025.csv')
run(GEN, '--seed', '7', '--records', '4000', '-o', 'gen.csv')
currencies = sorted({r['currency'] for r in csv.DictReader(open('gen.csv'))} - {'CNY', ''})
with open('rates.csv', 'w') as f:
    f.write('period,currency,rate\n')
    for y in range(2020, 2030):
        for c in currencies:
            f.write('%d,%s,7.1\n' % (y, c))

cases = [
    ('example-year-district-category', example, 'period:year,region,category:top'),
    ('example-district-category', example, 'region,category:top'),
    ('example-district-leaf', example, 'region,category:leaf'),
    ('gen-district-category', 'gen.csv', 'region,category:top'),
    ('gen-year-flow-district-category', 'gen.csv', 'period:year,flow,region,category:top'),
]
with open('audit.key', 'w') as f:   # partials hold enterprise ids only keyed
    f.write('the audit test key, 16+ bytes\n')
for name, src, by in cases:
    part = name + '.partial'
    run(AGG, '--by', by, '--rates', 'rates.csv', '--partial', '--id-key', 'audit.key', '-o', part, src)
    rc, out = run(AUDIT, part, ok=(0, 1))
    print('   ' + out.strip().replace(part + ': ', name + ': '))
    check(rc == 0, '%s: every primary cell protected, same pattern twice' % name)
    rc, out = run(AUDIT, '--primary-only', '--expect-exposed', part, ok=(0, 1))
    check(rc == 0, '%s: only primary suppression is found exposed' % name)

# The tool marks what the library marks.
_, out = run(AGG, '--by', 'period:year,region,category:top', '--suppress', '-f', 'csv', example)
rows = list(csv.DictReader(io.StringIO(out)))
hidden = [r for r in rows if r['CONF_STATUS'] != 'F']
check(all(r['value'] == 'x' and r['enterprises'] == 'x' for r in hidden),
      'dts-aggregate --suppress: suppressed cells show x')
check(all(r['value'] != 'x' for r in rows if r['CONF_STATUS'] == 'F'),
      'dts-aggregate --suppress: free cells show their values')
counts = {k: sum(1 for r in rows if r['CONF_STATUS'] == k) for k in 'FAD'}
_, audit = run(AUDIT, 'example-year-district-category.partial')
check('primary %d, secondary %d' % (counts['A'], counts['D']) in audit,
      'tool and library agree: %(F)d free, %(A)d primary, %(D)d secondary' % counts)
_, out5 = run(AGG, '--by', 'period:year,region,category:top', '--suppress=5',
              '--protect', '20%', '-f', 'csv', example)
a5 = sum(1 for r in csv.DictReader(io.StringIO(out5)) if r['CONF_STATUS'] == 'A')
check(a5 > counts['A'], '--suppress=5 marks more primary cells (%d)' % a5)

print('%d failed' % fails if fails else 'all passed')
sys.exit(1 if fails else 0)
