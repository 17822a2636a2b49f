#!/usr/bin/env python3
"""Checks of the page Chromium loaded (check-page.sh made the files in DIR):
no console message above info and no refused or failed request in the logs,
the annex figures of the DOM equal to the text report's, the trends' 累计同比
equal to the report by period's (--by ytd), a PNG screenshot
and an A4 PDF of more than one page."""
import csv
import html.parser
import re
import sys

d = sys.argv[1]
fail = []


def logs():
    """Console messages and network failures Chromium logged (stderr)."""
    bad = []
    for name in ("dom.log", "shot.log", "pdf.log"):
        for line in open(f"{d}/{name}", encoding="utf-8", errors="replace"):
            # console.* of the page: "CONSOLE(LINE)" (any level but info
            # is a finding, and so is info: the page has no script);
            # CSP refusals and failed loads: "Refused to", net::ERR_
            if "CONSOLE" in line or "Refused to" in line or "net::ERR_" in line:
                bad.append(f"{name}: {line.strip()}")
    return bad


class Dom(html.parser.HTMLParser):
    """Rows <tr data-id> of table.annex and their <span class=fig data-f>."""

    def __init__(self):
        super().__init__()
        self.rows, self.row, self.field, self.urls = {}, None, None, []
        self.in_annex = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for k in ("src", "href", "action", "poster", "data"):
            if k in a and not a[k].startswith("#"):
                self.urls.append(f"<{tag} {k}={a[k]}>")
        if tag == "table" and "annex" in (a.get("class") or "").split():
            self.in_annex = True
        elif tag == "tr" and self.in_annex and "data-id" in a:
            self.row = self.rows.setdefault(a["data-id"], {})
        elif tag == "span" and self.row is not None and a.get("class") == "fig":
            self.field = a["data-f"]
            self.row[self.field] = ""

    def handle_endtag(self, tag):
        if tag == "span":
            self.field = None
        elif tag == "tr":
            self.row = None
        elif tag == "table":
            self.in_annex = False

    def handle_data(self, data):
        if self.field:
            self.row[self.field] += data


class Trends(html.parser.HTMLParser):
    """The cells of each row <tr data-m> of table.trend[data-by=ytd]."""

    def __init__(self):
        super().__init__()
        self.rows, self.row, self.cell, self.on = {}, None, None, False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and a.get("data-by") == "ytd":
            self.on = True
        elif self.on and tag == "tr" and "data-m" in a:
            self.row = self.rows.setdefault(int(a["data-m"]), [])
        elif self.row is not None and tag == "td":
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "td" and self.cell is not None:
            self.row.append(self.cell)
            self.cell = None
        elif tag == "tr":
            self.row = None
        elif tag == "table":
            self.on = False

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def trends(dom_html, path, year):
    """The 累计同比 of DT, CBEC and DD (I1, I3, I2: cells 3, 6, 9 of a row)
    against growth_pct of dts-report --by ytd -f csv; returns the count."""
    t = Trends()
    t.feed(dom_html)
    want = {}
    for r in csv.DictReader(open(path, encoding="utf-8")):
        m = re.fullmatch(rf"{year}-01-01/P(\d+)M", r["period"])
        if m and r["id"] in ("I1", "I3", "I2"):
            g = r["growth_pct"]
            want[(int(m.group(1)), r["id"])] = "n/c" if g == "not comparable" else g
    if not t.rows:
        fail.append("no trends rows (1-N月) in the DOM")
    n = 0
    for mo, cells in t.rows.items():
        for col, rid in ((3, "I1"), (6, "I3"), (9, "I2")):
            got = cells[col] if len(cells) > col else None
            w = want.get((mo, rid))
            if got in ("不可比", "n/c"):
                got = "n/c"
            if got != w:
                fail.append(f"1-{mo}月 {rid} 累计同比: DOM {got!r}, --by ytd {w!r}")
            n += 1
    return n


def text_table(path):
    """The aligned text table of dts-report -t annex: a header line, then
    one line per row, columns two or more spaces apart (the writer puts
    two between columns and no figure or name holds two spaces)."""
    lines = open(path, encoding="utf-8").read().split("\n")
    hi = next(i for i, l in enumerate(lines) if l.startswith("id "))
    names = re.split(r"  +", lines[hi].strip())
    rows = {}
    for line in lines[hi + 1:]:
        if not line.strip():
            break
        cells = re.split(r"  +", line.strip())
        if len(cells) != len(names):
            fail.append(f"text report row of {len(cells)} cells: {line}")
            continue
        rows[cells[0]] = dict(zip(names, cells))
    return rows


def main():
    bad = logs()
    fail.extend(bad)
    dom = Dom()
    dom.feed(open(f"{d}/dom.html", encoding="utf-8").read())
    fail.extend(f"external reference {u}" for u in dom.urls)
    text = text_table(f"{d}/annex.txt")
    if not dom.rows:
        fail.append("no annex rows in the DOM")
    if set(dom.rows) != set(text):
        fail.append(f"annex rows differ: DOM {sorted(dom.rows)} text {sorted(text)}")
    figures = 0
    for rid, t in text.items():
        got = dom.rows.get(rid, {})
        want = {"value": t["value"], "target": t["target"],
                "attainment": t["attainment_pct"], "growth": t["growth_pct"]}
        for f, w in want.items():
            w = "" if w in ("-", "missing") else w
            if got.get(f) != w:
                fail.append(f"{rid} {f}: DOM {got.get(f)!r}, text report {w!r}")
            figures += 1
    dom_html = open(f"{d}/dom.html", encoding="utf-8").read()
    year = re.search(r'<table class="annex" data-year="(\d+)"', dom_html).group(1)
    growths = trends(dom_html, f"{d}/ytd.csv", year)
    png = open(f"{d}/page.png", "rb").read()
    if not png.startswith(b"\x89PNG") or len(png) < 20000:
        fail.append(f"screenshot: not a PNG or too small ({len(png)} bytes)")
    pdf = open(f"{d}/page.pdf", "rb").read()
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    # A4 is 595.28 x 841.89 points (Chromium writes 594.95996 x 841.91998)
    a4 = re.search(rb"/MediaBox\s*\[\s*0 0 59[45](\.\d+)? 84[12](\.\d+)?\s*\]", pdf)
    if not pdf.startswith(b"%PDF") or pages < 2 or not a4:
        fail.append(f"PDF: {'%PDF' if pdf.startswith(b'%PDF') else 'not a PDF'}, "
                    f"{pages} pages, A4 {'yes' if a4 else 'no'}")
    if fail:
        print("browser: FAIL")
        for f in fail:
            print("  " + f)
        return 1
    print(f"browser: page loaded with no console message and no request; "
          f"{figures} annex figures in the DOM equal the text report's, "
          f"{growths} 累计同比 the --by ytd table's; "
          f"screenshot {len(png)} bytes, PDF {pages} A4 pages")
    return 0


sys.exit(main())
