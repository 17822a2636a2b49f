#!/usr/bin/env python3
"""Tool tests for dts-aggregate and dts-report on a generated dataset.

Checks: sums against an independent computation (Python Decimal, exact
conversion, one rounding), 4 shards merged == one run byte for byte,
annex 1 == annex 2 + annex 3 exactly, the boundary table adds up, every
SDMX-ML output validates against the official schemas, the xlsx holds a
chart; dts-report's workbook (annex sheet values, four native charts over
the right ranges, categories and boundary sheets, read with zipfile); the
whole annex table from the example records and reported indicators, with
missing shown as missing. Usage: test_stats.py DTS_AGGREGATE DTS_REPORT SRCDIR
"""
import atexit, csv, io, os, random, re, signal, subprocess, sys, tempfile
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


# Everything is written in a temporary directory that is removed at exit,
# whatever the outcome: a failed check, an exception, SystemExit from run()
# or SIGTERM (meson's timeout) all end in the atexit handler.
work = tempfile.TemporaryDirectory(prefix='dts-stats-')


def cleanup():
    os.chdir('/')
    work.cleanup()


atexit.register(cleanup)
signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
os.chdir(work.name)
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
# Enterprise ids travel only as keyed hashes (--id-key): distinct counts of
# the hashed shards must still equal the one run's.
dims = 'period:month,flow,category:leaf,region:zone,base'
with open('stats.key', 'w') as f:
    f.write('a test key of more than sixteen bytes\n')
for s in range(4):
    run(AGG, '--by', dims, '--rates', 'rates.csv', '--partial', '--id-key', 'stats.key',
        '-o', 'shard%d.partial' % s, 'shard%d.csv' % s)
one = run(AGG, '--by', dims, '--rates', 'rates.csv', '--partial', '--id-key', 'stats.key', 'all.csv')
merged = run(AGG, '--merge', '--partial', 'shard2.partial', 'shard0.partial', 'shard3.partial', 'shard1.partial')
# The partial's input lines say what it was made from (format 3): one file
# for the one run, the four shards for the merge; the end line's checksum
# covers them. Everything else must be the same byte for byte.
def cells(p):
    return [l if not l.startswith(b'end\t') else l.rsplit(b'\t', 1)[0]
            for l in p.split(b'\n') if not l.startswith(b'input\t')]
def inputs(p):
    return sorted(l.split(b'\t')[2] for l in p.split(b'\n') if l.startswith(b'input\t'))
check(cells(one) == cells(merged), 'merge of 4 shards == one run (partial, %d bytes)' % len(one))
check(inputs(merged) == [b'shard%d.csv' % s for s in range(4)] and inputs(one) == [b'all.csv'],
      'the merged partial lists the four shards as its inputs, the one run all.csv')
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

out = run(REP, '--rates', 'rates.csv', '-t', 'annex', '-f', 'csv', 'all.csv').decode()
ann2 = {(x['id'], x['year']): x['value'] for x in csv.DictReader(io.StringIO(out))}
out = run(REP, '--rates', 'rates.csv', '-t', 'boundary', '-f', 'csv', 'all.csv').decode()
b2 = {(x['base'], x['digital']): x for x in csv.DictReader(io.StringIO(out))}
bsum2 = {'total': b2[('total', 'total')]['total'], 'gdx': b2[('goods', 'digital')]['export']}

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

# 5b. the structure messages validate too, and every coded value of the data
# messages is a code of its dimension's code list, under the DSD they name
import xml.etree.ElementTree as ET
SNS = {'s': 'http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure',
       'g': 'http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic',
       'm': 'http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message'}
for name, cmd in (('aggregate', [AGG, '--by', 'period:quarter,flow,category:top,region:zone', '--rates', 'rates.csv', '-f', 'sdmx-structure', 'all.csv']),
                  ('report', [REP, '--rates', 'rates.csv', '-f', 'sdmx-structure', 'all.csv']),
                  ('boundary', [REP, '--rates', 'rates.csv', '-t', 'boundary', '-f', 'sdmx-structure', 'all.csv'])):
    with open(name + '-structure.xml', 'wb') as f:
        f.write(run(*cmd))
    p = subprocess.run(['xmllint', '--nonet', '--noout', '--schema', XSD, name + '-structure.xml'], capture_output=True)
    if p.returncode:
        sys.stderr.write(p.stderr.decode()[:2000])
    check(p.returncode == 0, 'SDMX-ML structure (%s) validates with xmllint' % name)
    st = ET.parse(name + '-structure.xml').getroot()
    lists = {cl.get('id'): {c.get('id') for c in cl.findall('s:Code', SNS)} for cl in st.iter('{%s}Codelist' % SNS['s'])}
    dsd = next(st.iter('{%s}DataStructure' % SNS['s']))
    coded = {}
    for d in list(dsd.iter('{%s}Dimension' % SNS['s'])) + list(dsd.iter('{%s}Attribute' % SNS['s'])):
        ref = d.find('s:LocalRepresentation/s:Enumeration/Ref', SNS)
        if ref is not None:
            coded[d.get('id')] = lists[ref.get('id')]
    data = ET.parse(name + '.xml').getroot()
    ref = data.find('m:Header/m:Structure/{http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common}Structure/Ref', SNS)
    bad = [(v.get('id'), v.get('value')) for v in data.iter('{%s}Value' % SNS['g'])
           if v.get('id') in coded and v.get('value') not in coded[v.get('id')]]
    check(ref.get('id') == dsd.get('id') and ref.get('agencyID') == dsd.get('agencyID') == 'LIBDTS' and
          ref.get('version') == dsd.get('version') == '1.0' and not bad,
          'SDMX-ML (%s): the data message names the DSD %s and uses its codes (%s)' % (name, dsd.get('id'), bad[:3]))

# 5c. SDMX values are exact in every unit: --unit yi sums to the yuan total
out = run(AGG, '--by', 'period:year', '--rates', 'rates.csv', '--unit', 'yi', '-f', 'sdmx-csv', 'all.csv').decode()
rows5 = list(csv.DictReader(io.StringIO(out)))
yi = {r['TIME_PERIOD']: Decimal(r['OBS_VALUE']) for r in rows5}
check(all(r['UNIT_MULT'] == '8' and r['UNIT_MEASURE'] == 'CNY' and r['FREQ'] == 'A' for r in rows5) and
      yi['2025'] * 10**8 == sum((cny(r) for r in rows if r[1].startswith('2025')), Decimal(0)),
      'sdmx-csv --unit yi: exact values (UNIT_MULT 8, FREQ A), 10^8 x 2025 == the 2025 records')

# 6. xlsx workbook with a native chart
for name, cmd in (('agg.xlsx', [AGG, '--by', 'period:year,category:top', '--rates', 'rates.csv', '-f', 'xlsx', '-o', 'agg.xlsx', 'all.csv']),
                  ('rep.xlsx', [REP, '--rates', 'rates.csv', '-f', 'xlsx', '-o', 'rep.xlsx', 'all.csv'])):
    p = subprocess.run(cmd, capture_output=True)
    if p.returncode == 3 and b'no xlsx support' in p.stderr:
        print('skip xlsx (built without libxlsxwriter)')
        continue
    z = subprocess.run(['unzip', '-l', name], capture_output=True).stdout.decode()
    check(p.returncode == 0 and 'xl/charts/chart1.xml' in z and 'xl/workbook.xml' in z, '%s holds xl/charts/chart1.xml' % name)
    if name == 'agg.xlsx':
        import zipfile as _zf
        wb = _zf.ZipFile(name).read('xl/workbook.xml').decode()
        ss = _zf.ZipFile(name).read('xl/sharedStrings.xml').decode()
        check(re.findall(r'<sheet name="([a-z]+)"', wb) == ['data', 'chart', 'notes'] and
              'Classifier' in ss and 'sha256:' in ss and 'Suppression' in ss,
              'agg.xlsx: sheets data, chart, notes; the notes name classifier, digests, suppression')

# 7. dts-report's workbook: the annex sheet, native charts over the right ranges, the boundary sheet
import re, zipfile
import xml.etree.ElementTree as ET
NS = {'m': 'http://schemas.openxmlformats.org/spreadsheetml/2006/main',
      'c': 'http://schemas.openxmlformats.org/drawingml/2006/chart',
      'r': 'http://schemas.openxmlformats.org/officeDocument/2006/relationships',
      'p': 'http://schemas.openxmlformats.org/package/2006/relationships'}


def col_index(ref):
    n = 0
    for ch in re.match('[A-Z]+', ref).group(0):
        n = n * 26 + ord(ch) - 64
    return n - 1


def read_book(path):
    """{sheet name: [[cell, ...], ...]} with numbers as float, strings as str."""
    z = zipfile.ZipFile(path)
    ss = [''.join(t.text or '' for t in si.iter('{%s}t' % NS['m']))
          for si in ET.fromstring(z.read('xl/sharedStrings.xml')).findall('m:si', NS)]
    rels = {r.get('Id'): r.get('Target') for r in ET.fromstring(z.read('xl/_rels/workbook.xml.rels'))}
    sheets = {}
    for sh in ET.fromstring(z.read('xl/workbook.xml')).iter('{%s}sheet' % NS['m']):
        rows = []
        part = 'xl/' + rels[sh.get('{%s}id' % NS['r'])]
        for row in ET.fromstring(z.read(part)).iter('{%s}row' % NS['m']):
            cells = {}
            for c in row.findall('m:c', NS):
                v = c.find('m:v', NS)
                if v is not None:
                    cells[col_index(c.get('r'))] = ss[int(v.text)] if c.get('t') == 's' else float(v.text)
            rows.append([cells.get(i, '') for i in range(max(cells) + 1 if cells else 0)])
        sheets[sh.get('name')] = rows
    return z, sheets


def chart_refs(z, name):
    x = ET.fromstring(z.read(name))
    return [f.text for f in x.iter('{%s}f' % NS['c'])], x


p = subprocess.run([REP, '--rates', 'rates.csv', '-f', 'xlsx', '-o', 'book.xlsx', 'all.csv'], capture_output=True)
if p.returncode == 3 and b'no xlsx support' in p.stderr:
    print('skip xlsx workbook (built without libxlsxwriter)')
else:
    check(p.returncode == 0, 'dts-report -f xlsx exits 0')
    z, book = read_book('book.xlsx')
    names = z.namelist()
    check(list(book) == ['annex', 'charts', 'categories', 'boundary', 'targets', 'notes'],
          'workbook sheets: annex, charts, categories, boundary, targets, notes (%s)' % list(book))
    # the notes-and-sources sheet: what a reader needs to use the figures
    notes = {r[0]: r[1] for r in book['notes'][1:] if len(r) > 1 and r[0]}
    want = ('来源 Sources (SHA-256)', '分类器 Classifier', '状态 Status', '数据截止 Vintage (data cut-off)',
            '货币 Currency', '单位 Unit', '定义 Definitions', '舍入 Rounding', '保密 Suppression',
            '目标 Targets', '数字服务贸易 Two scopes')
    check(all(k in notes for k in want), 'report notes sheet has %s (%s)' % (', '.join(want), list(notes)))
    import hashlib
    digest = hashlib.sha256(open('all.csv', 'rb').read()).hexdigest()
    check(notes.get('来源 Sources (SHA-256)') == 'all.csv  sha256:' + digest, 'notes: the input and its SHA-256')
    # all.csv is classified already (dts_category): its classifier is not known
    check(notes.get('分类器 Classifier', '').startswith('unknown'), 'notes: classifier unknown for classified records')
    check(notes.get('状态 Status', '').startswith('provisional') and '10^8 CNY' in notes.get('单位 Unit', ''),
          'notes: status provisional, unit 10^8 CNY')
    check('DD = TECH' in notes.get('数字服务贸易 Two scopes', '') and 'narrow' in notes.get('数字服务贸易 Two scopes', ''),
          'notes: the two scopes of 数字服务贸易')
    serv = [h for h in book['categories'][0] if str(h).startswith('SERV')]
    check(serv and '窄口径' in serv[0], 'categories sheet: SERV is labelled the narrow category (%s)' % serv)
    check(all('xl/charts/chart%d.xml' % i in names for i in (1, 2, 3, 4)) and 'xl/charts/chart5.xml' not in names,
          'four native charts: annex 1-3 against target, the five categories')
    annex = book['annex']
    ahdr = annex[0]
    check(ahdr[:5] == ['no', 'id', 'indicator', 'indicator_en', 'unit'] and ahdr[5:7] == ['2024', '2025']
          and ahdr[7:] == ['target 2025', 'attainment_pct', 'growth_pct'], 'annex sheet header')
    rows = {r[1]: r for r in annex[1:]}
    ok = True
    for y, c in (('2024', 5), ('2025', 6)):
        for i in ('I1', 'I2', 'I3', 'DTX', 'R1', 'R2'):
            ok &= abs(rows[i][c] - float(ann2[(i, y)])) < 1e-9
    check(ok, 'annex sheet values equal the csv annex (I1-I3, DTX, R1, R2, both years)')
    check(rows['I4'][5] == 'missing' and rows['I4'][6] == 'missing', 'annex sheet: a reported indicator without a value is "missing"')
    check(rows['I1'][7] == 3900 and abs(rows['I1'][8] - float(ann2[('I1', '2025')]) / 3900 * 100) < 0.06,
          'annex sheet: target 2025 and attainment of I1')
    check(rows['R3'][7] == '>=10' and rows['R3'][8] in ('met', 'not met'), 'annex sheet: a fixed goal shows met / not met')
    # chart 1..3: value row of I1..I3 on the annex sheet, target row on the targets sheet, years as categories
    for k, i in enumerate(('I1', 'I2', 'I3'), 1):
        row = [r[1] for r in annex].index(i) + 1
        refs, x = chart_refs(z, 'xl/charts/chart%d.xml' % k)
        want = ['annex!$F$1:$G$1', 'annex!$F$%d:$G$%d' % (row, row), 'annex!$F$1:$G$1', 'targets!$E$%d:$F$%d' % (row, row)]
        check(refs == want, 'chart%d references %s value and target ranges (%s)' % (k, i, refs))
        cache = [float(v.text) for v in x.find('.//c:ser/c:val', NS).iter('{%s}v' % NS['c'])]
        check(cache == [rows[i][5], rows[i][6]], 'chart%d caches the sheet values of %s' % (k, i))
        tg = book['targets'][row - 1]
        check(tg[1] == i and tg[4:6] == [{'I1': 3500, 'I2': 2060, 'I3': 1440}[i], {'I1': 3900, 'I2': 2200, 'I3': 1700}[i]],
              'targets sheet: %s targets 2024, 2025 from the annex' % i)
    refs, x = chart_refs(z, 'xl/charts/chart4.xml')
    want = []
    for c in 'BCDEF':
        want += ['categories!$A$2:$A$3', 'categories!$%s$2:$%s$3' % (c, c)]
    check(refs == want and x.find('.//c:grouping', NS).get('val') == 'stacked',
          'chart4: stacked columns of the five categories by year (%s)' % refs[:2])
    cats = book['categories']
    check([r[0] for r in cats[1:]] == ['2024', '2025'] and all(r[6] == rows['I1'][5 + k] for k, r in enumerate(cats[1:])),
          'categories sheet: DT column equals annex 1 in both years')
    check(all(abs(sum(r[1:6]) - r[6]) < 0.03 for r in cats[1:]), 'categories sheet: the five add up to DT (to the rounding)')
    bd = {(r[1], r[2]): r for r in book['boundary'][1:]}
    check(abs(bd[('total', 'total')][5] - float(bsum2['total'])) < 1e-9 and bd[('goods', 'digital')][3] == float(bsum2['gdx']),
          'boundary sheet holds the 2025 boundary table')
    drawing = z.read('xl/drawings/drawing1.xml').decode()
    check(drawing.count('<c:chart ') == 4, 'the charts sheet holds the four charts')
    run(REP, '--rates', 'rates.csv', '--year', '2024', '-f', 'xlsx', '-o', 'book2024.xlsx', 'all.csv')
    z, book = read_book('book2024.xlsx')
    check(book['annex'][0][5:] == ['2024', 'target 2024', 'attainment_pct', 'growth_pct'] and
          chart_refs(z, 'xl/charts/chart1.xml')[0][1] == 'annex!$F$2', '--year 2024: the workbook stops at 2024')
    p = subprocess.run([REP, '--rates', 'rates.csv', '--year', '2030', '-f', 'xlsx', '-o', 'book2030.xlsx', 'all.csv'],
                       capture_output=True)
    check(p.returncode == 3 and b'no data for 2030' in p.stderr, '--year without data: no workbook, an error')

# 8. the whole annex table with --reported (the example data: records and reported indicators)
ex_rec = os.path.join(SRC, 'examples/records-2024-2025.csv')
ex_rep = os.path.join(SRC, 'examples/reported-2025.csv')
p = subprocess.run([REP, ex_rec, '--reported', ex_rep, '--year', '2025'], capture_output=True)
# stderr holds only the input's binding line (nothing rejected, nothing unbound that matters)
check(p.returncode == 0 and [ln.split(b'; binding: ')[0] for ln in p.stderr.splitlines()] ==
      [b'dts-report: ' + ex_rec.encode() + b': encoding UTF-8'], 'example: every record classified, exit 0')
txt = {ln.split()[0]: ln.split() for ln in p.stdout.decode().splitlines() if re.match(r'(I|R)\d+ ', ln)}
check(sorted(txt) == sorted(['I%d' % i for i in range(1, 17)] + ['R1', 'R2', 'R3']) and
      all(t[1] == '2025' for t in txt.values()), 'example: the 16 annex rows and R1-R3 print for 2025 only')
reported = {}
for ln in open(ex_rep, encoding='utf-8').read().splitlines()[1:]:
    if ln and not ln.startswith('#'):
        f = ln.split(',')
        reported[(f[0], f[1])] = f[2]
check(all(txt[i][2] == reported[(i, '2025')] for i in txt if i.startswith('I') and int(i[1:]) >= 4 and reported[(i, '2025')]),
      'example: reported indicators print their reported values')
check(txt['I14'][2] == 'missing' and reported[('I14', '2025')] == '', 'example: an empty reported value prints "missing", not 0')
check(all(txt[i][2] not in ('missing', '0', '0.00') for i in ('I1', 'I2', 'I3', 'R1', 'R2', 'R3')),
      'example: annex 1-3 and R1-R3 are computed from the records')
g = float(reported[('I4', '2025')]) / float(reported[('I4', '2024')]) * 100 - 100
check(txt['I4'][8] == '%.2f' % g, 'example: growth of a reported indicator from its 2024 value (%s)' % txt['I4'][8])
out = run(REP, ex_rec, '--reported', ex_rep, '-t', 'annex', '-f', 'csv', '--decimals', '14').decode()
exa = {(x['id'], x['year']): x['value'] for x in csv.DictReader(io.StringIO(out))}
check(exa[('I14', '2025')] == '' and exa[('I14', '2024')] == '9', 'example csv: missing is empty, not 0')
check(all(Decimal(exa[('I1', y)]) == Decimal(exa[('I2', y)]) + Decimal(exa[('I3', y)]) for y in ('2024', '2025')),
      'example: I1 == I2 + I3 exactly')
# with the records' sources (DTS_REPORT_SOURCE_DIMS), as dts-report aggregates them
out = run(AGG, '--by', 'period:year,flow,category:top,base,source', '--partial', '--ids-in-clear', ex_rec)
with open('example.partial', 'wb') as f:
    f.write(out)
check(run(REP, 'example.partial', '--reported', ex_rep, '--year', '2025') == p.stdout,
      'example: classify+aggregate to a partial, then report == report from the records')
# The source dimension (issue 15 item 4): 4 shards of the example records
# with DTS_REPORT_SOURCE_DIMS merge to one run's cells, the report from the
# merged partial equals the report from the records, and annex 1 = 2 + 3
# holds exactly with each sum taking only its sources.
lines = open(ex_rec, encoding='utf-8').read().splitlines(True)
for s in range(4):
    with open('src%d.csv' % s, 'w', encoding='utf-8') as f:
        f.write(lines[0] + ''.join(lines[1:][s::4]))
    with open('src%d.part' % s, 'wb') as f:
        f.write(run(AGG, '--by', 'period:year,flow,category:top,base,source', '--partial',
                    '--ids-in-clear', 'src%d.csv' % s))
one = run(AGG, '--by', 'period:year,flow,category:top,base,source', '--partial', '--ids-in-clear', ex_rec)
merged = run(AGG, '--merge', '--partial', '--ids-in-clear', 'src3.part', 'src1.part', 'src0.part', 'src2.part')
with open('srcm.part', 'wb') as f:
    f.write(merged)
check(cells(one) == cells(merged), 'source dimension: merge of 4 shards == one run')
a = run(REP, '--reported', ex_rep, '-t', 'annex', '-f', 'csv', '--decimals', '14', ex_rec)
b = run(REP, '--reported', ex_rep, '-t', 'annex', '-f', 'csv', '--decimals', '14', 'srcm.part')
check(a == b, 'source dimension: the report from 4 merged shards == from the records')
src = {(x['id'], x['year']): x for x in csv.DictReader(io.StringIO(a.decode()))}
check(all(Decimal(src[('I1', y)]['value']) == Decimal(src[('I2', y)]['value']) + Decimal(src[('I3', y)]['value'])
          for y in ('2024', '2025')), 'source dimension: I1 == I2 + I3 exactly, each from its sources')
check(all(src[(i, '2025')]['basis'] == 'computed' for i in ('I1', 'I2', 'I3', 'SVX', 'GDX')),
      'example: every source the sums name is there (basis computed)')
with open('rep-bad.csv', 'w') as f:
    f.write('id,year,value\n# comment, ignored\nI5,2025,31\nI6,2025,many\n')
p = subprocess.run([REP, '--reported', 'rep-bad.csv', 'all.csv'], capture_output=True)
check(p.returncode == 3 and b'rep-bad.csv:4:' in p.stderr, 'malformed reported file: error names file:line')
with open('rep-bad.csv', 'w') as f:
    f.write('id,year,value\nR1,2025,31\n')
p = subprocess.run([REP, '--reported', 'rep-bad.csv', 'all.csv'], capture_output=True)
check(p.returncode == 3 and b'rep-bad.csv:2:' in p.stderr, 'reported value for a share (computed) is an error')

# 9. bad input: errors name the file and line
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
