#!/usr/bin/env python3
"""rules_scaling.py - doubling the rules must not quadruple the time.

Issue 11, defect 3: `dts-rules check` was quadratic in the number of rules
(20k rules 7.7 s, 100k rules 512 s, while loading took 4.8 s). For several
shapes of classifier this builds N and 2N rules, times `dts-rules test`
(load and compile; the examples are trivial) and `dts-rules check` (load,
compile and lint) in the same run, and fails when a ratio t(2N)/t(N) is 3
or more. The shapes are dense on purpose (small alphabets and universes,
so many rules share keys); denser still (every rule sharing only weak
keys, or a vocabulary of a few hundred words for 40k rules) and lint is
bounded by its per-rule budget instead: linear, with a larger constant,
and a ratio that can pass 2 before the budget binds. Times are CPU seconds of the child (user + system), so a busy machine
does not fail the test; no absolute time is asserted. Each size is run
once; a ratio at the limit is measured again, the best of three runs a
size, before it fails (a quadratic step gives 4, noise does not stay at
3): the second run of every size doubled the test's time for nothing.
Prints every ratio.

usage: rules_scaling.py DTS-RULES GEN-RULES.AWK [N [SHAPE...]]
"""
import os
import random
import resource
import subprocess
import sys
import tempfile

LIMIT = 3.0
RUNS = 1
RETRY_RUNS = 3
CPS = "US JP KR DE GB HK SG AU NL FR MY TH VN ID RU AE SA BR MX CA IN IT ES PL".split()


def shaped(shape, n):
    """A classifier of n rules of one shape, made to stress one index."""
    r = random.Random(7)
    w = lambda k, a='abcdef': ''.join(r.choice(a) for _ in range(k))
    out = ['<classifier xmlns="urn:libdts:classifier:1" id="s" version="1">']
    for i in range(n):
        cat = 'TECH'
        if shape == 'categories':  # one declared category per rule
            out.append(f'<category code="TECH.C{i}" en="c{i}"/>')
            cat = f'TECH.C{i}'
            body = f'<eq field="trade_mode">{i % 10000:04d}</eq>'
        elif shape == 'subsets':   # small universe: many near-shadowers
            body = f'<in field="counterpart">{" ".join(r.sample(CPS, 3))}</in>'
        elif shape == 'contains':  # short literals over a small alphabet
            body = (f'<contains field="description">{w(4, "abcdefgh")}|'
                    f'{w(5, "abcdefgh")}</contains>')
        elif shape == 'negation':  # NOT keys are coarse: the prefix leads
            body = (f'<all><prefix field="hs_code">{r.randint(100, 9999):04d}</prefix>'
                    f'<not><contains field="description">{w(3)}</contains></not></all>')
        elif shape == 'present':   # a weak leaf next to a selective one
            body = (f'<all><present field="platform"/>'
                    f'<regex field="description">x{i}y</regex></all>')
        elif shape == 'weak':      # only weak keys: the budget bounds it
            body = (f'<all><present field="platform"/>'
                    f'<not><eq field="channel">c{i}</eq></not></all>')
        elif shape == 'lists':     # one list per rule
            out.append(f'<list id="l{i}" file="codes.csv"/>')
            body = f'<in field="trade_mode" list="l{i}"/>'
        # unindexed rules are tried on every record: no examples for them,
        # or `test` measures n examples x n rules, which is by design
        ex = '' if shape == 'weak' else '<example expect="NONE" description="z"/>'
        out.append(f'<rule id="r{i}" category="{cat}" priority="{r.randint(0, 999)}">'
                   f'{body}{ex}</rule>')
    out.append('</classifier>')
    return '\n'.join(out) + '\n'


def cpu_of(cmd, runs=RUNS):
    """CPU seconds of the best of runs runs of cmd (output discarded)."""
    best = None
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if p.returncode not in (0, 1):
            sys.exit(f'{" ".join(cmd)}: exit {p.returncode}: {p.stderr.decode()[:500]}')
        t = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        best = t if best is None else min(best, t)
    return max(best, 0.01)


def main():
    rules, awk = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 20000
    failed = []
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, 'codes.csv'), 'w') as f:
            f.write('code\n9610\n9710\n')
        only = sys.argv[4:]
        shapes = [x for x in ['bench', 'categories', 'subsets', 'contains',
                              'negation', 'present', 'weak', 'lists']
                  if not only or x in only]
        for shape in shapes:
            times = {}
            for k in (n, 2 * n):
                path = os.path.join(d, f'{shape}-{k}.xml')
                with open(path, 'w') as f:
                    if shape == 'bench':
                        subprocess.run(['awk', '-v', f'N={k}', '-f', awk],
                                       stdout=f, check=True)
                    else:
                        f.write(shaped(shape, k))
                times[k] = path
            for i, what in enumerate(('test', 'check')):
                cmd = lambda k, r=RUNS: cpu_of([rules, what, '-q', times[k]], r)
                a, b = cmd(n), cmd(2 * n)
                ratio = b / a
                if ratio >= LIMIT:
                    # CPU time still grows on a loaded machine (shared caches,
                    # a busy sibling core): measure again, longer, before
                    # calling it quadratic (which gives 4, not 3).
                    a, b = cmd(n, RETRY_RUNS), cmd(2 * n, RETRY_RUNS)
                    ratio = b / a
                ok = ratio < LIMIT
                print(f'{shape:10} {"load" if what == "test" else what:5} {n:6} rules {a:6.2f} s, {2 * n:6} rules '
                      f'{b:6.2f} s: ratio {ratio:4.2f}{"" if ok else "  FAIL (>= 3)"}')
                if not ok:
                    failed.append(f'{shape} {what}')
    if failed:
        sys.exit('quadratic: ' + ', '.join(failed))
    print(f'all ratios below {LIMIT}')


main()
