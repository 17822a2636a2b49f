#!/usr/bin/env python3
"""Score the default classifier on a labelled CSV.

Usage: scripts/score-labelled.py [--min-top P] [--bin PATH] [--misses] FILE.csv

FILE.csv has the columns of tests/data/labelled-wave2.csv: the record fields
(id, source, flow, ..., currency) plus expect_top, expect_leaf and, optionally,
expect_delivered (1/0/empty) and case_kind.  The file is classified with
build/tools/dts-classify and its default classifier (no -r); the script reads
only the columns dts-classify documents (dts-classify(1)): dts_category and
dts_delivered, joined to the input by id.  A record dts-classify rejects counts
as a miss with category REJECTED.

Printed: top-level accuracy (category before the first dot against
expect_top), leaf accuracy (exact category, where expect_leaf is given),
delivered accuracy (dts_delivered, where expect_delivered is given), each
overall, by case_kind family (the case_kind up to its first '_'), and by
case_kind; then a confusion table of top categories (rows expected, columns
classified).  --misses lists every miss.  --min-top P: exit 1 when top-level
accuracy is below P percent.  Exit 2 when the classifier cannot be run.
"""
import argparse
import collections
import csv
import io
import os
import subprocess
import sys
import tempfile

TOPS = ["CBEC", "TECH", "SERV", "PROD", "DATA", "NONE"]


def pct(ok, n):
    return f"{100.0 * ok / n:5.1f}%" if n else "    -"


def classify(binary, path):
    with tempfile.TemporaryDirectory() as tmp:
        rejects = os.path.join(tmp, "rejects.csv")
        proc = subprocess.run([binary, "-q", "--review-column", "--rejects", rejects, path],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if proc.returncode not in (0, 1):
            sys.stderr.write(proc.stderr.decode("utf-8", "replace"))
            sys.exit(f"score-labelled: {binary} exited with {proc.returncode}")
        nrej = 0
        if os.path.exists(rejects):
            with open(rejects, encoding="utf-8", newline="") as f:
                for row in csv.DictReader(f):
                    nrej += 1
                    sys.stderr.write(f"rejected line {row.get('line')}: {row.get('reason')}\n")
    out = {}
    for row in csv.DictReader(io.StringIO(proc.stdout.decode("utf-8"), newline="")):
        if "dts_category" not in row:
            sys.exit("score-labelled: no dts_category column in the classifier's output")
        out[row.get("id", "")] = row
    return out, nrej


class Tally:
    def __init__(self):
        self.top = [0, 0]
        self.leaf = [0, 0]
        self.dlv = [0, 0]

    def add(self, kind, ok):
        t = getattr(self, kind)
        t[0] += 1 if ok else 0
        t[1] += 1

    def cells(self):
        return (f"{self.top[0]:4d}/{self.top[1]:<4d} {pct(*self.top)}  "
                f"{self.leaf[0]:4d}/{self.leaf[1]:<4d} {pct(*self.leaf)}  "
                f"{self.dlv[0]:4d}/{self.dlv[1]:<4d} {pct(*self.dlv)}")


def table(title, tallies, width):
    print(f"\n{title}")
    print(f"  {'':{width}}  {'top-level':>16}  {'leaf':>16}  {'delivered':>16}")
    for key in sorted(tallies):
        print(f"  {key:{width}}  {tallies[key].cells()}")


def main():
    ap = argparse.ArgumentParser(description="Score dts-classify on a labelled CSV.")
    ap.add_argument("file")
    ap.add_argument("--min-top", type=float, default=None, metavar="P",
                    help="exit 1 when top-level accuracy is below P percent")
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--bin", default=os.path.join(here, "..", "build", "tools", "dts-classify"),
                    help="dts-classify binary (default: build/tools/dts-classify)")
    ap.add_argument("--misses", action="store_true", help="list every miss")
    args = ap.parse_args()

    if not os.access(args.bin, os.X_OK):
        sys.exit(f"score-labelled: {args.bin} not found; build it: "
                 "meson setup build -Dtests=false && ninja -C build -j1")
    with open(args.file, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    for col in ("id", "expect_top"):
        if rows and col not in rows[0]:
            sys.exit(f"score-labelled: {args.file} has no {col} column")
    got, nrej = classify(args.bin, args.file)

    total = Tally()
    by_family = collections.defaultdict(Tally)
    by_kind = collections.defaultdict(Tally)
    confusion = collections.defaultdict(collections.Counter)
    misses = []
    review = collections.Counter()
    rest = [0, 0]
    for r in rows:
        g = got.get(r["id"])
        cat = g["dts_category"] if g else "REJECTED"
        gtop = cat.split(".")[0]
        kind = r.get("case_kind", "") or "(none)"
        fam = kind.split("_")[0]
        tallies = (total, by_family[fam], by_kind[kind])
        etop = r["expect_top"].strip()
        ok_top = gtop == etop
        reason = (g.get("dts_review") or "").strip() if g else "rejected"
        if reason:
            review[reason] += 1
        else:
            rest[0] += 1 if ok_top else 0
            rest[1] += 1
        for t in tallies:
            t.add("top", ok_top)
        confusion[etop][gtop] += 1
        why = []
        if not ok_top:
            why.append("top")
        eleaf = (r.get("expect_leaf") or "").strip()
        if eleaf:
            ok = cat == eleaf
            for t in tallies:
                t.add("leaf", ok)
            if not ok and ok_top:
                why.append("leaf")
        edlv = (r.get("expect_delivered") or "").strip()
        if edlv:
            gd = (g.get("dts_delivered") or "").strip() if g else ""
            ok = gd == edlv
            for t in tallies:
                t.add("dlv", ok)
            if not ok:
                why.append("delivered")
        if why:
            misses.append((r, cat, g.get("dts_delivered", "") if g else "", why, reason))

    print(f"{args.file}: {len(rows)} records, {len(got)} classified, {nrej} rejected")
    print(f"top-level accuracy  {total.top[0]}/{total.top[1]}  {pct(*total.top)}")
    print(f"leaf accuracy       {total.leaf[0]}/{total.leaf[1]}  {pct(*total.leaf)}  (where expect_leaf is given)")
    print(f"delivered accuracy  {total.dlv[0]}/{total.dlv[1]}  {pct(*total.dlv)}  (where expect_delivered is given)")
    nrev = sum(review.values())
    print(f"sent to review      {nrev}/{len(rows)}  {pct(nrev, len(rows))}  "
          f"({', '.join(f'{k} {v}' for k, v in sorted(review.items())) or 'none'})")
    print(f"right among the rest {rest[0]}/{rest[1]}  {pct(*rest)}  (top-level, records not sent to review)")
    table("by case_kind family (case_kind up to the first '_')", by_family,
          max(len(k) for k in by_family))
    table("by case_kind", by_kind, max(len(k) for k in by_kind))

    cols = TOPS + sorted({c for row in confusion.values() for c in row} - set(TOPS))
    print("\nconfusion of top categories (rows: expected, columns: classified)")
    print("  " + f"{'':8}" + "".join(f"{c:>9}" for c in cols))
    for e in TOPS + sorted(set(confusion) - set(TOPS)):
        if e in confusion:
            print("  " + f"{e:8}" + "".join(f"{confusion[e][c]:9d}" for c in cols))

    if args.misses:
        print(f"\nmisses ({len(misses)})")
        for r, cat, gd, why, reason in misses:
            print(f"  {r['id']}  [{','.join(why)}{' review ' + reason if reason else ''}]  {r.get('case_kind', '')}: expected "
                  f"{r['expect_top']}/{r.get('expect_leaf', '') or '-'} d={r.get('expect_delivered', '') or '-'}"
                  f", got {cat} d={gd or '-'} | {r.get('ebops_code', '')}{r.get('hs_code', '')} "
                  f"{r.get('trade_mode', '')} {r['description']}")

    if args.min_top is not None and total.top[1] and 100.0 * total.top[0] / total.top[1] < args.min_top:
        print(f"\ntop-level accuracy below --min-top {args.min_top}%", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
