#!/usr/bin/env python3
"""Tool tests for dts-aggregate and dts-report on a generated dataset.

Checks: sums against an independent computation (Python Decimal, exact
conversion, one rounding), 4 shards merged == one run byte for byte,
annex 1 == annex 2 + annex 3 exactly, the boundary table adds up, every
SDMX-ML output validates against the official schemas, the xlsx holds a
chart. Usage: test_stats.py DTS_AGGREGATE DTS_REPORT SRCDIR
"""
import csv, io, os, random, subprocess, sys, tempfile
from decimal import Decimal, ROUND_HALF_UP

AGG, REP, SRC = (os.path.abspath(a) for a in sys.argv[1:4])
XSD = os.path.join(SRC, 'tests/data/sdmx-2.1/SDMXMessage.xsd')
fails = 0


def check(cond, what):
    global fails
    print(('ok   ' if cond else 'FAIL ') + what)
    if not cond:
        fails += 1


def run(*args, ok=(0,)):
    p = subprocess.run(list(args), capture_output=True, env=dict(os.environ, SOURCE_DATE_EPOCH='0'))
    if p.returncode not in ok:
        sys.stderr.write(p.stderr.decode())
        raise SystemExit('%s exited %d' % (args[0], p.returncode))
    return p.stdout


d = tempfile.mkdtemp(prefix='dts-stats-')
os.chdir(d)
random.seed(20250314)
cats = ['CBEC.B2C', 'CBEC.B2B', 'TECH.CLOUD', 'TECH.SOFTWARE', 'SERV.FINANCE',
        'PROD.GAME', 'DATA.PRODUCT', 'NONE']
rates = {('2024', 'USD'): Decimal('7.1217')}
for m in range(1, 13):
    rates[('2025-%02d' % m, 'USD')] = Decimal('7.%04d' % (1000 + m * 37))
with open('rates.csv', 'w') as f:
    f.write('period,currency,rate\n')
    for (p, c), r in sorted(rates.items()):
        f.write('%s,%s,%s\n' % (p, c, r))
rows = []
for i in range(3000):
    c = random.choice(cats)
    base = 'goods' if c.startswith('CBEC') or (c == 'NONE' and random.random() < .6) else 'services'
    y, m = random.choice([2024, 2025]), random.randint(1, 12)
    rows.append(['R%d' % i, '%d-%02d-%02d' % (y, m, random.randint(1, 28)),
                 random.choice(['X', 'M', '出口', '进口']), random.choice(['330108', '330106', '330111', '310000']),
                 '91330100MA%08d' % random.randint(0, 300),
                 '%d.%02d' % (random.randint(0, 10**9), random.randint(0, 99)),
                 random.choice(['CNY', '142', 'USD', '502', '']), c, base])
hdr = 'id,period,flow,region,enterprise_id,value,currency,dts_category,dts_base\n'
with open('all.csv', 'w') as f:
    f.write(hdr + ''.join(','.join(r) + '\n' for r in rows))
for s in range(4):
    with open('shard%d.csv' % s, 'w') as f:
        f.write(hdr + ''.join(','.join(r) + '\n' for r in rows[s::4]))


def cny(r):
    v = Decimal(r[5])
    if r[6] in ('USD', '502'):
        y, m = r[1][:4], r[1][:7]
        v *= rates.get((m, 'USD'), rates.get((y, 'USD')))
    return v


def groups(cat):
    top = cat.split('.')[0]
    g = [top]
    if top == 'CBEC':
        g += ['DO', 'DT']
    elif top != 'NONE':
        g += ['DD', 'DT']
    return g


# 1. sums against an independent computation
expect = {}
for r in rows:
    flow = 'X' if r[2] in ('X', '出口') else 'M'
    for g in groups(r[7]):
        k = (r[1][:4], flow, g)
        e = expect.setdefault(k, [Decimal(0), 0, set()])
        e[0] += cny(r)
        e[1] += 1
        e[2].add(r[4])
out = run(AGG, '--by', 'period:year,flow,category:top', '--rates', 'rates.csv', '-f', 'csv', 'all.csv').decode()
got = {(x['period:year'], x['flow'], x['category:top']): x for x in csv.DictReader(io.StringIO(out))}
check(set(got) == set(expect), 'cube has exactly the expected cells (%d)' % len(expect))
good = all(got[k]['value'] == str(e[0].quantize(Decimal('0.01'), ROUND_HALF_UP)) and
           int(got[k]['records']) == e[1] and int(got[k]['enterprises']) == len(e[2])
           for k, e in expect.items() if k in got)
check(good, 'values (rounded once), records and distinct enterprises match Decimal')

# 2. four shards merged == one run, byte for byte (partial and every format)
dims = 'period:month,flow,category:leaf,region:zone,base'
for s in range(4):
    run(AGG, '--by', dims, '--rates', 'rates.csv', '--partial', '-o', 'shard%d.partial' % s, 'shard%d.csv' % s)
one = run(AGG, '--by', dims, '--rates', 'rates.csv', '--partial', 'all.csv')
merged = run(AGG, '--merge', '--partial', 'shard2.partial', 'shard0.partial', 'shard3.partial', 'shard1.partial')
check(one == merged, 'merge of 4 shards == one run (partial, %d bytes)' % len(one))
for fmt in ('text', 'csv', 'sdmx-csv', 'sdmx-ml'):
    a = run(AGG, '--by', dims, '--rates', 'rates.csv', '-f', fmt, 'all.csv')
    b = run(AGG, '--merge', '-f', fmt, 'shard0.partial', 'shard1.partial', 'shard2.partial', 'shard3.partial')
    check(a == b, 'merge of 4 shards == one run (%s)' % fmt)

# 3. annex 1 == annex 2 + annex 3 exactly (14 decimals: no rounding at all)
out = run(REP, '--rates', 'rates.csv', '--decimals', '14', '-t', 'annex', '-f', 'csv', 'all.csv').decode()
ann = {(x['id'], x['year']): x['value'] for x in csv.DictReader(io.StringIO(out))}
for y in ('2024', '2025'):
    check(Decimal(ann[('I1', y)]) == Decimal(ann[('I2', y)]) + Decimal(ann[('I3', y)]),
          'annex %s: I1 == I2 + I3 exactly' % y)
    dt = sum((e[0] for k, e in expect.items() if k[0] == y and k[2] == 'DT'), Decimal(0))
    check(Decimal(ann[('I1', y)]) * 10**8 == dt, 'annex %s: I1 equals the independent DT sum' % y)
check(ann[('I4', '2025')] == '', 'reported indicator without a value is missing, not zero')

# 4. the boundary table adds up (exact)
out = run(REP, '--rates', 'rates.csv', '--decimals', '14', '-t', 'boundary', '-f', 'csv', 'all.csv').decode()
b = {(x['base'], x['digital']): x for x in csv.DictReader(io.StringIO(out))}
ok = True
for base in ('goods', 'services', 'total'):
    for dg in ('digital', 'not digital', 'total'):
        r = b[(base, dg)]
        ok &= Decimal(r['export']) + Decimal(r['import']) == Decimal(r['total'])
    for col in ('export', 'import', 'total'):
        ok &= Decimal(b[(base, 'digital')][col]) + Decimal(b[(base, 'not digital')][col]) == Decimal(b[(base, 'total')][col])
for dg in ('digital', 'not digital', 'total'):
    for col in ('export', 'import', 'total'):
        ok &= Decimal(b[('goods', dg)][col]) + Decimal(b[('services', dg)][col]) == Decimal(b[('total', dg)][col])
check(ok, 'boundary table: rows, columns and blocks add up exactly')
allv = sum((cny(r) for r in rows if r[1].startswith('2025')), Decimal(0))
check(Decimal(b[('total', 'total')]['total']) * 10**8 == allv, 'boundary grand total == all 2025 records')

# 5. SDMX-ML validates against the official schemas
for name, cmd in (('aggregate', [AGG, '--by', 'period:quarter,flow,category:top,region:zone', '--rates', 'rates.csv', '-f', 'sdmx-ml', 'all.csv']),
                  ('report', [REP, '--rates', 'rates.csv', '-f', 'sdmx-ml', 'all.csv']),
                  ('boundary', [REP, '--rates', 'rates.csv', '-t', 'boundary', '-f', 'sdmx-ml', 'all.csv'])):
    with open(name + '.xml', 'wb') as f:
        f.write(run(*cmd))
    p = subprocess.run(['xmllint', '--nonet', '--noout', '--schema', XSD, name + '.xml'], capture_output=True)
    if p.returncode:
        sys.stderr.write(p.stderr.decode()[:2000])
    check(p.returncode == 0, 'SDMX-ML (%s) validates with xmllint' % name)

# 6. xlsx workbook with a native chart
for name, cmd in (('agg.xlsx', [AGG, '--by', 'period:year,category:top', '--rates', 'rates.csv', '-f', 'xlsx', '-o', 'agg.xlsx', 'all.csv']),
                  ('rep.xlsx', [REP, '--rates', 'rates.csv', '-f', 'xlsx', '-o', 'rep.xlsx', 'all.csv'])):
    p = subprocess.run(cmd, capture_output=True)
    if p.returncode == 3 and b'no xlsx support' in p.stderr:
        print('skip xlsx (built without libxlsxwriter)')
        continue
    z = subprocess.run(['unzip', '-l', name], capture_output=True).stdout.decode()
    check(p.returncode == 0 and 'xl/charts/chart1.xml' in z and 'xl/workbook.xml' in z, '%s holds xl/charts/chart1.xml' % name)

# 7. bad input: errors name the file and line
with open('bad-rates.csv', 'w') as f:
    f.write('period,currency,rate\n2025-01,USD,seven\n')
p = subprocess.run([AGG, '--by', 'flow', '--rates', 'bad-rates.csv', 'all.csv'], capture_output=True)
check(p.returncode == 3 and b'bad-rates.csv:2:' in p.stderr, 'malformed rates file: error names file:line')
p = subprocess.run([AGG, '--by', 'flow,colour', 'all.csv'], capture_output=True)
check(p.returncode == 3 and b'colour' in p.stderr, 'unknown column dimension is an error')
p = subprocess.run([AGG, '--by', 'period:week', 'all.csv'], capture_output=True)
check(p.returncode == 2 and b'unknown dimension' in p.stderr, 'unknown dimension is a usage error')
p = subprocess.run([AGG, '--by', 'flow', '-f', 'pdf', 'all.csv'], capture_output=True)
check(p.returncode == 2 and b'unknown format' in p.stderr, 'unknown format is a usage error')
with open('norate.csv', 'w') as f:
    f.write(hdr + 'R1,2023-05-01,X,330108,E1,10.00,USD,TECH.CLOUD,services\n')
p = subprocess.run([AGG, '--by', 'flow', '--rates', 'rates.csv', 'norate.csv'], capture_output=True)
check(p.returncode == 1 and b'norate.csv:2:' in p.stderr and b'USD' in p.stderr and b'2023-05' in p.stderr,
      'missing rate: record rejected naming currency and period')
with open('ind.csv', 'w') as f:
    f.write('id,no,kind,categories,flows,base,of,target,unit,name_zh,name_en\nA,,sum,XYZ,X,,,,亿元,a,a\n')
p = subprocess.run([REP, '--indicators', 'ind.csv', 'all.csv'], capture_output=True)
check(p.returncode == 3 and b'ind.csv:2:' in p.stderr, 'malformed indicators file: error names file:line')
with open('overflow.csv', 'w') as f:
    f.write(hdr + ''.join('R%d,2025-01-01,X,330108,E1,900000000000000,USD,TECH.CLOUD,services\n' % i for i in range(40)))
with open('big-rates.csv', 'w') as f:
    f.write('period,currency,rate\n2025,USD,900000000\n')
p = subprocess.run([AGG, '--by', 'flow', '--rates', 'big-rates.csv', 'overflow.csv'], capture_output=True)
check(p.returncode == 3 and b'overflow' in p.stderr, 'amount overflow is an error, not a wrapped number')

print('%d failure(s)' % fails)
sys.exit(1 if fails else 0)
