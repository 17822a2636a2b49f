#!/usr/bin/env python3
"""Leave-one-wave-out cross-validation of the model behind the rules.

Usage: scripts/model-cv.py [--build DIR] [--min-prob P] [--kind mnb|cnb]
                           [--alpha N] [--min-count N] [--only model]

For each labelled set of WAVES (tests/data, the simplified copies; never a
set the list does not name): train a model on all the others with
`dts-rules train`, then score the held-out set three ways:
  model        the model alone: its best class for every record; a record
               whose probability is below --min-prob counts as sent to review
               (reason model-unsure); delivered is 1 for a digital top
               category (TECH SERV PROD DATA), as the model has no delivery
               evidence of its own
  rules        the shipped classifier without its model (dts-classify -r on a
               copy of classifiers/ whose <model> element is removed)
  rules+model  the shipped classifier with its <model> element pointing at
               the fold's model (min-prob as written there, or --min-prob)
Printed per set and pooled, in the shape of scripts/score-labelled.py: top,
leaf, delivered, share sent to review, right among the rest (top level, the
records not sent to review). The rules were tuned on every set listed, so
"rules" is in-sample for each; "model" is out of sample; "rules+model" is
in-sample for the rules and out of sample for the model. Thresholds are
chosen on these figures only.
"""
import argparse
import csv
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile

WAVES = ["labelled.csv", "labelled-independent.csv"] + \
        [f"labelled-wave{i}.csv" for i in range(2, 18)]
DIGITAL = {"TECH", "SERV", "PROD", "DATA"}


def read_rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


class Score:
    def __init__(self):
        self.n = self.top = self.leaf_n = self.leaf = self.dlv_n = self.dlv = 0
        self.rev = self.rest_n = self.rest = 0

    def add(self, row, cat, dlv, review):
        self.n += 1
        ok = cat.split(".")[0] == row["expect_top"].strip()
        self.top += ok
        if (row.get("expect_leaf") or "").strip():
            self.leaf_n += 1
            self.leaf += cat == row["expect_leaf"].strip()
        if (row.get("expect_delivered") or "").strip():
            self.dlv_n += 1
            self.dlv += str(dlv) == row["expect_delivered"].strip()
        if review:
            self.rev += 1
        else:
            self.rest_n += 1
            self.rest += ok

    def merge(self, o):
        for k in vars(self):
            setattr(self, k, getattr(self, k) + getattr(o, k))

    def cells(self):
        def p(a, b):
            return f"{100.0 * a / b:5.1f}%" if b else "    -"
        return (f"{p(self.top, self.n)}  {p(self.leaf, self.leaf_n)}  {p(self.dlv, self.dlv_n)}  "
                f"{p(self.rev, self.n)}  {p(self.rest, self.rest_n)}")


def run(cmd):
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if proc.returncode not in (0, 1):
        sys.stderr.write(proc.stderr.decode("utf-8", "replace"))
        sys.exit(f"model-cv: {' '.join(cmd)} exited with {proc.returncode}")
    return proc.stdout.decode("utf-8")


def classify(build, xml, path):
    out = run([os.path.join(build, "tools", "dts-classify"), "-q", "-r", xml,
               "--review-column", path])
    return {r["id"]: (r["dts_category"], r["dts_delivered"], r.get("dts_review", ""))
            for r in csv.DictReader(io.StringIO(out, newline=""))}


def predict(build, model, path, min_prob):
    out = run([os.path.join(build, "tools", "dts-rules"), "predict", "-m", model, path])
    got = {}
    for r in csv.DictReader(io.StringIO(out, newline="")):
        cat = r["model_class"]
        got[r["id"]] = (cat, 1 if cat.split(".")[0] in DIGITAL else 0,
                        "model-unsure" if float(r["model_prob"]) < min_prob else "")
    return got


def classifier_copy(src_dir, dst_dir, model, min_prob=None, when=None):
    """classifiers/ copied; its <model> element removed (model None) or
    pointed at `model`."""
    shutil.copytree(src_dir, dst_dir)
    xml = os.path.join(dst_dir, "cn-digital-trade.xml")
    if model is not None:  # beside the classifier: src resolves inside its folder
        shutil.copy(model, os.path.join(dst_dir, "fold.model"))
        model = "fold.model"
    with open(xml, encoding="utf-8") as f:
        text = f.read()
    if model is None:
        text = re.sub(r"\s*<model\b[^>]*/>", "", text)
    else:
        text = re.sub(r'(<model\b[^>]*\bsrc=")[^"]*(")', lambda m: m.group(1) + model + m.group(2), text)
        if min_prob is not None:
            text = re.sub(r'(<model\b[^>]*\bmin-prob=")[^"]*(")',
                          lambda m: m.group(1) + f"{min_prob:.3f}" + m.group(2), text)
        if when is not None:
            text = re.sub(r'(<model\b[^>]*\bfor=")[^"]*(")', lambda m: m.group(1) + when + m.group(2), text)
    with open(xml, "w", encoding="utf-8") as f:
        f.write(text)
    return xml


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.join(here, "..")
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(root, "build"))
    ap.add_argument("--min-prob", type=float, default=None,
                    help="model alone: below it a record counts as sent to review (default 0.9); "
                         "rules+model: overrides the classifier's min-prob")
    ap.add_argument("--for", dest="when", default=None,
                    help="rules+model: overrides the classifier's for=\"...\"")
    ap.add_argument("--kind", default="cnb")
    ap.add_argument("--alpha", default=None)
    ap.add_argument("--min-count", default=None)
    ap.add_argument("--only", choices=["model", "rules", "rules+model"], action="append")
    args = ap.parse_args()
    modes = args.only or ["model", "rules", "rules+model"]
    data = os.path.join(root, "tests", "data")
    pooled = {m: Score() for m in modes}
    print(f"leave-one-wave-out, kind {args.kind}, min-prob {args.min_prob or 'as written'}, "
          f"for {args.when or 'as written'}")
    print(f"  {'set':26} {'mode':12} {'top':>6}  {'leaf':>6}  {'dlv':>6}  {'review':>6}  {'rest':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        if "rules" in modes:
            bare = classifier_copy(os.path.join(root, "classifiers"), os.path.join(tmp, "bare"), None)
        for w in WAVES:
            others = [os.path.join(data, o) for o in WAVES if o != w]
            model = os.path.join(tmp, w + ".model")
            cmd = [os.path.join(args.build, "tools", "dts-rules"), "train", "-o", model,
                   "--kind", args.kind]
            if args.alpha:
                cmd += ["--alpha", args.alpha]
            if args.min_count:
                cmd += ["--min-count", args.min_count]
            run(cmd + others)
            rows = read_rows(os.path.join(data, w))
            for mode in modes:
                if mode == "model":
                    got = predict(args.build, model, os.path.join(data, w),
                                  0.9 if args.min_prob is None else args.min_prob)
                elif mode == "rules":
                    got = classify(args.build, bare, os.path.join(data, w))
                else:
                    xml = classifier_copy(os.path.join(root, "classifiers"),
                                          os.path.join(tmp, "with-" + w), model,
                                          args.min_prob, args.when)
                    got = classify(args.build, xml, os.path.join(data, w))
                s = Score()
                for r in rows:
                    cat, dlv, rev = got.get(r["id"], ("REJECTED", "", "rejected"))
                    s.add(r, cat, dlv, rev)
                pooled[mode].merge(s)
                print(f"  {w:26} {mode:12} {s.cells()}")
    for mode in modes:
        print(f"  {'pooled':26} {mode:12} {pooled[mode].cells()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
