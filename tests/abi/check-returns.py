#!/usr/bin/env python3
"""The one list of functions whose result is not "0 or a negative DTS_E*"
(include/dts/common.h's top comment, repeated in docs/abi.md) is complete
and true: every public function returning something other than int or
void is in it; every int function whose comment describes a non-error
positive result (a record flag, an index, a length, a truth value) is in
it; the two copies name the same functions. A listed name not declared
(yet: a branch in progress adds it) is printed as a note.

Usage: check-returns.py SRCDIR
"""
import glob
import os
import re
import sys

src = sys.argv[1]
inc = os.path.join(src, "include", "dts")

def names(text):
    return set(re.findall(r"\bdts_[a-z0-9_]+\b", text))

common = open(os.path.join(inc, "common.h"), encoding="utf-8").read()
m = re.search(r"\* Exceptions:(.*?)\* Functions returning void", common, re.S)
if not m:
    sys.exit("returns: no exception list in include/dts/common.h")
listed = names(m.group(1))

abi = open(os.path.join(src, "docs", "abi.md"), encoding="utf-8").read()
m = re.search(r"<!-- returns: begin -->(.*?)<!-- returns: end -->", abi, re.S)
if not m:
    sys.exit("returns: no <!-- returns: begin/end --> list in docs/abi.md")
listed_doc = names(m.group(1))

# A comment that promises a result other than 0 / negative error.
promise = re.compile(r"1 with|[Rr]eturns 1|1 or 0|\b1 when|length written|[Ii]ndex of|"
                     r"The index|\(positive\)|power of ten|"
                     r"or -1 when|-1, 0 or 1|Returns the\s+\*?\s*dts_\w+|"
                     r"[Ss]ort rank|The field (?:whose|an input)|^\s*\*?\s*Is |\bIs this\b|'X' \(export\) or 'M'|as one number", re.M)
decl = re.compile(r"(/\*\*?(?:(?!\*/).)*\*/)?\s*DTS_API\s+([^;{(]*?)\b(dts_\w+)\s*\(", re.S)
declared, need = set(), {}
for path in sorted(glob.glob(os.path.join(inc, "*.h"))):
    for c, rtype, name in decl.findall(open(path, encoding="utf-8").read()):
        rtype = " ".join(rtype.split())
        declared.add(name)
        if rtype not in ("int", "void"):
            need[name] = "returns " + rtype
        elif rtype == "int" and promise.search(c or ""):
            need[name] = "its comment promises a non-error result"

# Type names in the lists ("a dts_format") are not functions.
types = set()
for path in glob.glob(os.path.join(inc, "*.h")):
    text = open(path, encoding="utf-8").read()
    types |= set(re.findall(r"\b(?:enum|struct)\s+(dts_\w+)", text))
    types |= set(re.findall(r"\}\s*(dts_\w+)\s*;", text))
    types |= set(re.findall(r"typedef\s+[^;(]*?\b(dts_\w+)\s*;", text))
listed -= types - declared
listed_doc -= types - declared

bad = 0
for name, why in sorted(need.items()):
    if name not in listed:
        print(f"returns: {name} {why}: add it to the exception list in include/dts/common.h and docs/abi.md (or make it return 0 / DTS_E*)")
        bad = 1
# A name listed before its branch is merged is a note, not a failure, so
# the list can be written ahead of the functions; a rename shows here.
for name in sorted(listed - declared):
    print(f"returns: note: {name} is listed but not declared in include/dts/ (yet)")
for name in sorted(listed ^ listed_doc):
    where = "common.h" if name in listed else "docs/abi.md"
    print(f"returns: {name} is listed only in {where}: the two lists must agree")
    bad = 1
if not bad:
    print(f"returns: {len(listed & declared)} exceptions declared and listed, {len(declared)} public functions checked")
sys.exit(bad)
