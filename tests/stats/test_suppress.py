#!/usr/bin/env python3
"""The LP audit of cell suppression (issue 15, item 2) over real and
generated data: the example records and dts-gen records aggregated by
(year x) district x category, protected with the defaults (fewer than 3
enterprises, 10 % protection, margins), audited by suppress-audit
(dts_suppress_audit, GLPK); fails if any primary cell's interval is short
of its protection level, and checks that an only-primary pattern is found
exposed (the audit can fail). Also: dts-aggregate --suppress marks the
same cells as the library, and hides their values. Dominance: the p% and
(n,k) rules on partials with contributions pass the audit; shards merged
give the same --p-rule table as one run; a partial without contributions
does not merge with one that has them.

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

# Dominance (status O): the p% and (n,k) rules on per-enterprise
# contributions (--contributions), keyed ids, audited like primary cells.
for name, src, by in cases[:2] + cases[3:]:
    part = name + '.con.partial'
    run(AGG, '--by', by, '--rates', 'rates.csv', '--partial', '--contributions',
        '--id-key', 'audit.key', '-o', part, src)
    rules = [['--p-rule', '20']] + ([['--nk-rule', '2', '80']] if 'flow' not in by else [])
    for rule in rules:
        rc, out = run(AUDIT, *rule, part, ok=(0, 1))
        print('   ' + out.strip().replace(part + ': ', name + ': '))
        dom = int(out.strip().rsplit('dominance ', 1)[1])
        check(rc == 0 and dom > 0, '%s %s: %d dominance cells, every primary one '
              'protected' % (name, ' '.join(rule), dom))

# The tool marks what the library marks; shards merged give one run's table.
_, out = run(AGG, '--by', 'region,category:top', '--rates', 'rates.csv', '--p-rule', '20',
             '-f', 'csv', 'gen.csv')
rows = list(csv.DictReader(io.StringIO(out)))
_, audit = run(AUDIT, '--p-rule', '20', 'gen-district-category.con.partial')
nO = sum(1 for r in rows if r['CONF_STATUS'] == 'O')
check(nO > 0 and audit.strip().endswith('dominance %d' % nO),
      'dts-aggregate --p-rule 20: %d O cells, as the library' % nO)
check(all(r['value'] == 'x' for r in rows if r['CONF_STATUS'] == 'O'),
      'dts-aggregate --p-rule: O cells show x')
lines = open('gen.csv', encoding='utf-8').read().splitlines(True)
for i, (a, b) in enumerate([(1, 1500), (1500, 2700), (2700, len(lines))]):
    with open('shard%d.csv' % i, 'w', encoding='utf-8') as f:
        f.writelines([lines[0]] + lines[a:b])
    run(AGG, '--by', 'region,category:top', '--rates', 'rates.csv', '--partial',
        '--contributions', '--id-key', 'audit.key', '-o', 'shard%d.partial' % i,
        'shard%d.csv' % i)
_, merged = run(AGG, '--merge', '--p-rule', '20', '-f', 'csv', 'shard2.partial',
                'shard0.partial', 'shard1.partial')
check(merged == out, 'three shards merged: the same --p-rule table as one run')
run(AGG, '--by', 'region,category:top', '--rates', 'rates.csv', '--partial',
    '--id-key', 'audit.key', '-o', 'plain.partial', 'shard1.csv')
p = subprocess.run([AGG, '--merge', '--p-rule', '20', 'shard0.partial', 'plain.partial'],
                   capture_output=True)
err = p.stderr.decode()
check(p.returncode == 3 and 'plain.partial' in err and 'shard0.partial' in err,
      'a partial without contributions is refused, naming both: ' + err.strip()[:60])

print('%d failed' % fails if fails else 'all passed')
sys.exit(1 if fails else 0)
