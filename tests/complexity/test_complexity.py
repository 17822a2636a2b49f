#!/usr/bin/env python3
"""Complexity tests: doubling the input must not quadruple the time.

For each input-size-dependent loop of dts-reconcile and dts-aggregate, the
same command runs on N and on 2N items in this one run, and the ratio of
their CPU times (user + system of the child, the best of up to five
interleaved rounds while a run is short) must stay below 3: linear or
n log n work gives about 2, quadratic work about 4. A ratio, not an absolute time, so a slow or busy
machine does not fail it. Every ratio is printed (issue 11 wants them in
the CI log).

Usage: test_complexity.py DTS_RECONCILE DTS_AGGREGATE [DTS_CLASSIFY SRCDIR]
(with DTS_CLASSIFY: also customs messages and CSV rows through the reader)
Environment: DTS_COMPLEXITY_SCALE multiplies every N (default 1).
"""
import os, subprocess, sys, tempfile

REC, AGG = (os.path.abspath(a) for a in sys.argv[1:3])
CLS = os.path.abspath(sys.argv[3]) if len(sys.argv) > 4 else None
SRC = os.path.abspath(sys.argv[4]) if len(sys.argv) > 4 else None
SCALE = float(os.environ.get('DTS_COMPLEXITY_SCALE', '1'))
LIMIT = 3.0
fails = 0


def cpu(args, cwd):
    """CPU seconds of one run of args in cwd (output discarded)."""
    with open(os.devnull, 'wb') as null:
        p = subprocess.Popen(args, stdout=null, stderr=null, cwd=cwd)
        _, status, ru = os.wait4(p.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit('%s exited %d' % (' '.join(args), code))
    return ru.ru_utime + ru.ru_stime


def best_pair(a, b, da='n', db='2n'):
    """Best CPU times of a (in dir n) and b (in dir 2n), runs interleaved
    so a burst of load on the shared machine hits both; up to five rounds
    while the runs are short enough for noise to matter."""
    ta = tb = float('inf')
    for _ in range(5):
        ta = min(ta, cpu(a, da))
        tb = min(tb, cpu(b, db))
        if ta >= 1.0:
            break
    return max(ta, 1e-3), max(tb, 1e-3)


def write(path, header, rows):
    with open(path, 'w') as f:
        f.write(header + '\n')
        f.writelines(r + '\n' for r in rows)


def ratio(name, n, make):
    """make(n) writes the inputs in the current directory and returns the
    command; it runs on n items in ./n and on 2n items in ./2n."""
    global fails
    cmds = [inputs(sub, k, make) for sub, k in (('n', n), ('2n', 2 * n))]
    t1, t2 = best_pair(*cmds)
    r = t2 / t1
    ok = r < LIMIT
    if not ok:
        # A working set that leaves the cache between N and 2N costs a
        # one-time step; quadratic work keeps quadrupling. Confirm on 2N
        # against 4N before calling it quadratic.
        print('     %s: ratio %.2f from N to 2N; confirming with 4N' % (name, r))
        try:
            c4 = inputs('4n', 4 * n, make)
            t2b, t4 = best_pair(cmds[1], c4, '2n', '4n')
            r, ok, n, t1, t2 = t4 / t2b, t4 / t2b < LIMIT, 2 * n, t2b, t4
        except SystemExit as e:  # 4N past a limit of the tool: N to 2N stands
            print('     %s: no 4N run (%s)' % (name, e))
    print('%s %s: N=%d %.3fs, 2N=%d %.3fs, ratio %.2f (limit %.1f)' %
          ('ok  ' if ok else 'FAIL', name, n, t1, 2 * n, t2, r, LIMIT))
    sys.stdout.flush()
    if not ok:
        fails += 1


def inputs(sub, k, make):
    """Write the inputs for k items in ./sub; the command to run there."""
    os.makedirs(sub, exist_ok=True)
    os.chdir(sub)
    cmd = make(k)
    os.chdir('..')
    return cmd


HDR = 'id,value,dts_category'


def dup_probe(n):
    """n records of one key on the streamed side, one on the hashed side."""
    write('l.csv', HDR, ['K,1.00,TECH.CLOUD'] * n)
    write('r.csv', HDR, ['K,1.00,TECH.CLOUD'])
    return [REC, '--key', 'id', '-o', 'out.txt', 'l.csv', 'r.csv']


def dup_build(n):
    """n records of one key on the hashed (smaller) side."""
    write('l.csv', HDR, ['K,1,TECH'] * n)
    write('r.csv', HDR, ['right-only-key-%09d,1.00,TECH.CLOUD' % i for i in range(n)])
    return [REC, '--key', 'id', '-o', 'out.txt', 'l.csv', 'r.csv']


def dup_unmatched(n):
    """n records of a key the hashed side lacks, on the streamed side."""
    write('l.csv', HDR, ['U,1.00,TECH.CLOUD'] * n)
    write('r.csv', HDR, ['K,1.00,TECH.CLOUD'])
    return [REC, '--key', 'id,value', '-o', 'out.txt', 'l.csv', 'r.csv']


def distinct(n):
    rows = ['%d,%d.50,TECH.CLOUD' % (i, i) for i in range(n)]
    write('l.csv', HDR, rows)
    write('r.csv', HDR, rows)
    return [REC, '--key', 'id', '--details', 'det.csv', '-o', 'out.txt', 'l.csv', 'r.csv']


def category_pairs(n):
    """n matched pairs, each a distinct category disagreement (and top)."""
    write('l.csv', HDR, ['%d,1,L%d' % (i, i) for i in range(n)])
    write('r.csv', HDR, ['%d,1,R%d' % (i, i) for i in range(n)])
    return [REC, '--key', 'id', '-o', 'out.txt', '--matrix', 'mx.csv', 'l.csv', 'r.csv']


def cube_cells(n):
    write('c.csv', 'id,period,flow,value,dts_category',
          ['C%d,2025-01,X,1.00,TECH.CLOUD' % i for i in range(n)])
    return [AGG, '--by', 'id,flow', '-f', 'csv', '-o', 'cube.csv', 'c.csv']


def cube_merge(n):
    write('c.csv', 'id,period,flow,value,dts_category',
          ['C%d,2025-01,X,1.00,TECH.CLOUD' % i for i in range(n)])
    # Two shards over the same keys: one input given twice is refused (its
    # SHA-256 is already counted), so the second has other values.
    write('d.csv', 'id,period,flow,value,dts_category',
          ['C%d,2025-01,X,2.00,TECH.CLOUD' % i for i in range(n)])
    subprocess.run([AGG, '--by', 'id', '--partial', '-o', 'c.partial', 'c.csv'], check=True)
    subprocess.run([AGG, '--by', 'id', '--partial', '-o', 'd.partial', 'd.csv'], check=True)
    return [AGG, '--merge', '--partial', '-o', 'm.partial', 'c.partial', 'd.partial']


def zones(n):
    """n records over a zone map of n region codes (region:zone)."""
    write('z.csv', 'code,zone', ['R%07d,Z%d' % (i, i % 7) for i in range(n)])
    write('c.csv', 'id,period,flow,value,dts_category,region',
          ['%d,2025-01,X,1.00,TECH.CLOUD,R%07d' % (i, (i * 7919) % n) for i in range(n)])
    return [AGG, '--by', 'region:zone', '--zones', 'z.csv', '-f', 'csv', '-o', 'cube.csv', 'c.csv']


def ceb_sample():
    with open(os.path.join(SRC, 'examples', 'ceb621-sample.xml'), encoding='utf-8') as f:
        return f.read()


def ceb_messages(n):
    """n customs messages, one after another in one file."""
    with open('m.xml', 'w', encoding='utf-8') as f:
        f.write(ceb_sample() * n)
    return [CLS, '-q', '-o', 'out.csv', 'm.xml']


def ceb_items(n):
    """one customs message of n inventories."""
    x = ceb_sample()
    a, b = x.index('<ceb:Inventory>'), x.index('</ceb:Inventory>') + len('</ceb:Inventory>')
    with open('m.xml', 'w', encoding='utf-8') as f:
        f.write(x[:a] + x[a:b] * n + x[b:])
    return [CLS, '-q', '-o', 'out.csv', 'm.xml']


def csv_rows(n):
    with open(os.path.join(SRC, 'examples', 'records-2024-2025.csv'), encoding='utf-8') as f:
        lines = f.read().splitlines()
    body = lines[1:]
    write('r.csv', lines[0], (body * (n // len(body) + 1))[:n])
    return [CLS, '-q', '-o', 'out.csv', 'r.csv']


def main():
    n = lambda k: max(100, int(k * SCALE))
    with tempfile.TemporaryDirectory(prefix='dts-complexity-') as d:
        os.chdir(d)
        ratio('reconcile: duplicates of one key, streamed side', n(40000), dup_probe)
        ratio('reconcile: duplicates of one key, hashed side', n(40000), dup_build)
        ratio('reconcile: duplicates of an unmatched key', n(40000), dup_unmatched)
        ratio('reconcile: distinct keys', n(100000), distinct)
        ratio('reconcile: distinct category disagreements', n(15000), category_pairs)
        ratio('aggregate: distinct cube cells', n(100000), cube_cells)
        ratio('aggregate: merge of partials', n(100000), cube_merge)
        ratio('aggregate: records x zone map', n(20000), zones)
        if CLS:
            ratio('classify: customs messages in one file', n(4000), ceb_messages)
            ratio('classify: inventories in one message', n(4000), ceb_items)
            ratio('classify: CSV rows', n(200000), csv_rows)
        os.chdir('/')
    print('%d failure(s)' % fails)
    return 1 if fails else 0


sys.exit(main())
