#!/usr/bin/env python3
"""Periods add up (issue 15): on the example records and the bureau
examples (raw exports and their canonical twins), the cells of each year at every grain (month, quarter, half,
with the year's not-allocated cell 2025-NA) sum to the period:year cube
exactly; shards of a monthly cube merge to one run byte for byte. With
DTS_REPORT too: dts-report's monthly, quarterly, half-year and cumulative
annex tables add up to the annual annex (months + not allocated = year,
1-N月 = months 1..N), exactly (--decimals 14).
Usage: test_periods.py DTS_AGGREGATE DTS_REPORT SRCDIR
"""
import csv, io, os, subprocess, sys, tempfile
from decimal import Decimal

AGG, REP, SRC = (os.path.abspath(a) for a in sys.argv[1:4])
RATES = os.path.join(SRC, 'examples/rates-2024-2025.csv')
INPUTS = ['examples/records-2024-2025.csv'] + sorted(
    'examples/' + f for f in os.listdir(os.path.join(SRC, 'examples'))
    if f.startswith('bureau-') and (f.endswith('.csv') or f.endswith('.xlsx')))
fails = 0


def check(cond, what):
    global fails
    print(('ok   ' if cond else 'FAIL ') + what)
    if not cond:
        fails += 1


def run(*args):
    p = subprocess.run(list(args), capture_output=True,
                       env=dict(os.environ, SOURCE_DATE_EPOCH='0'))
    if p.returncode not in (0, 1):   # 1: some records rejected (no rate)
        sys.stderr.write(p.stderr.decode())
        raise SystemExit('%s exited %d' % (args[0], p.returncode))
    return p.stdout


def cube(path, grain, *extra):
    out = run(AGG, '--rates', RATES, '--by', 'period:%s,flow,category:top' % grain,
              '-f', 'csv', '--decimals', '14', *extra, path)
    cells = {}
    for row in csv.DictReader(io.StringIO(out.decode())):
        cells[(row['period:' + grain], row['flow'], row['category:top'])] = (
            Decimal(row['value']), int(row['records']))
    return cells


def by_year(cells):
    tot = {}
    for (p, f, c), (v, n) in cells.items():
        k = (p[:4], f, c)
        a = tot.get(k, (Decimal(0), 0))
        tot[k] = (a[0] + v, a[1] + n)
    return tot


for rel in INPUTS:
    path = os.path.join(SRC, rel)
    year = cube(path, 'year')
    for g in ('month', 'quarter', 'half'):
        cells = cube(path, g)
        check(by_year(cells) == year,
              '%s: the %s cells and not-allocated cells of each year add up '
              'to period:year' % (rel, g))
    na = {k: v for k, v in cube(path, 'month').items() if k[0].endswith('-NA')}
    print('     %s: %d not-allocated monthly cells' % (rel, len(na)))

# The example records have quarterly BOP figures: a monthly cube keeps them
# in 2024-NA / 2025-NA, never rejects them.
rec = os.path.join(SRC, INPUTS[0])
m = cube(rec, 'month')
check(any(k[0] == '2025-NA' for k in m), 'records-2024-2025: 2025-NA holds the quarterly figures')

# Shards of a monthly cube (quarterly records among them) merge to one run.
with tempfile.TemporaryDirectory(prefix='dts-periods-') as tmp:
    lines = open(rec, encoding='utf-8').read().splitlines(True)
    halves = [lines[:1] + lines[1::2], lines[:1] + lines[2::2]]
    parts = []
    for i, h in enumerate(halves):
        src = os.path.join(tmp, 's%d.csv' % i)
        with open(src, 'w', encoding='utf-8') as f:
            f.writelines(h)
        parts.append(os.path.join(tmp, 's%d.part' % i))
        run(AGG, '--rates', RATES, '--by', 'period:month,flow,category:top',
            '--ids-in-clear', '--partial', '-o', parts[-1], src)
    merged = run(AGG, '--merge', '-f', 'csv', '--decimals', '14', *parts)
    one = run(AGG, '--rates', RATES, '--by', 'period:month,flow,category:top',
              '-f', 'csv', '--decimals', '14', rec)
    check(merged == one, 'monthly shards with not-allocated cells merge to one run byte for byte')


def table(path, by, *extra):
    args = [REP, '--rates', RATES, '-t', 'annex', '-f', 'csv', '--decimals', '14']
    if by:
        args += ['--by', by]
    out = run(*args, *extra, path)
    return list(csv.DictReader(io.StringIO(out.decode())))


def sums(rows):
    """{(id, period): value} of the money sums (unit 亿元) with a value."""
    return {(r['id'], r['period'] if 'period' in r else r['year']): Decimal(r['value'])
            for r in rows if r['unit'] == '亿元' and r['value'] not in ('', 'missing')}


if REP:
    for rel in INPUTS[:1] + [i for i in INPUTS if ('survey' in i or 'bop' in i) and i.endswith('.csv')]:
        path = os.path.join(SRC, rel)
        annual = sums(table(path, None))
        monthly = sums(table(path, 'month'))
        ytd = sums(table(path, 'ytd'))
        for g in ('quarter', 'half'):
            t = sums(table(path, g))
            agg = {}
            for (i, p), v in t.items():
                agg[(i, p[:4])] = agg.get((i, p[:4]), 0) + v
            check(agg == annual, '%s: %s annex rows (+ not allocated) add up to the annual annex' % (rel, g))
        agg = {}
        for (i, p), v in monthly.items():
            agg[(i, p[:4])] = agg.get((i, p[:4]), 0) + v
        check(agg == annual, '%s: monthly annex rows + not allocated = the annual annex, exactly' % rel)
        ok = True
        for (i, p), v in ytd.items():
            if p.endswith('-NA'):
                ok &= v == monthly.get((i, p))
                continue
            y, n = p[:4], int(p.split('/P')[1][:-1])
            want = sum((monthly.get((i, '%s-%02d' % (y, k)), 0) for k in range(1, n + 1)), Decimal(0))
            ok &= v == want
        check(ok and ytd, '%s: every 1-N月 cumulative = the sum of months 1..N' % rel)
        # annex 1 = annex 2 + annex 3 in every period of every table
        ok = True
        for t in (monthly, ytd, annual):
            for (i, p), v in t.items():
                if i == 'I1':
                    ok &= v == t[('I2', p)] + t[('I3', p)]
        check(ok, '%s: annex 1 = annex 2 + annex 3 in every month, 1-N月 and year' % rel)

sys.exit(1 if fails else 0)
