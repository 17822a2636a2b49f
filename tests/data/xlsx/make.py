#!/usr/bin/env python3
"""Make the workbook fixtures of tests/unit/test_xlsx.c and tests/cases/xlsx-*.

    python3 tests/data/xlsx/make.py        (from the source root; rewrites the files here)

The .xlsx files are zips written with zipfile and XML written by hand, so
each case is exactly what the test says: shared strings (rich text runs and
a phonetic run that is not text), inline strings, numbers as Excel writes
them ("1.5E-3", long integers), booleans, errors, formula results, date
formats (built-in ids and custom codes) in the 1900 system (with its
1900-02-29) and the 1904 system, skipped columns and rows, several sheets
(a hidden one first), and the refusals: a zip bomb, a truncated zip, not a
zip, an encrypted workbook (an OLE compound file holding EncryptedPackage).
The .xls files (real Excel 97-2003 files, which the reader refuses) are
written by xlwt (Debian's python3-xlwt, run with /usr/bin/python3) when it
is installed; they are committed, so only this script needs it. Everything is deterministic: same bytes on every run.
"""
import os
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, '..', '..', '..'))
DATE = (2025, 1, 1, 0, 0, 0)
NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
PR = 'http://schemas.openxmlformats.org/package/2006/relationships'
HDR = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def esc(s):
    return s.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;').replace('"', '&quot;')


def write_zip(name, parts, method=zipfile.ZIP_DEFLATED):
    path = os.path.join(HERE, name)
    with zipfile.ZipFile(path, 'w', method) as z:
        for pname, data in parts:
            info = zipfile.ZipInfo(pname, DATE)
            info.compress_type = method
            info.external_attr = 0o644 << 16
            z.writestr(info, data.encode('utf-8') if isinstance(data, str) else data)
    return path


def workbook(sheets, sheet_xml, sst=None, styles=None, date1904=False):
    """sheets: [(name, state)], sheet_xml: the worksheets' XML in order."""
    ct = HDR + ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/></Types>')
    rels = HDR + ('<Relationships xmlns="%s"><Relationship Id="rId1" Type="%s/officeDocument" '
                  'Target="xl/workbook.xml"/></Relationships>' % (PR, R))
    wb = HDR + '<workbook xmlns="%s" xmlns:r="%s">' % (NS, R)
    if date1904:
        wb += '<workbookPr date1904="1"/>'
    wb += '<sheets>'
    wrels = HDR + '<Relationships xmlns="%s">' % PR
    for i, (name, state) in enumerate(sheets, 1):
        wb += '<sheet name="%s" sheetId="%d"%s r:id="rId%d"/>' % (
            esc(name), i, ' state="%s"' % state if state else '', i)
        wrels += '<Relationship Id="rId%d" Type="%s/worksheet" Target="worksheets/sheet%d.xml"/>' % (i, R, i)
    wb += '</sheets></workbook>'
    n = len(sheets)
    if sst is not None:
        wrels += '<Relationship Id="rId%d" Type="%s/sharedStrings" Target="sharedStrings.xml"/>' % (n + 1, R)
    if styles is not None:
        wrels += '<Relationship Id="rId%d" Type="%s/styles" Target="/xl/styles.xml"/>' % (n + 2, R)
    wrels += '</Relationships>'
    parts = [('[Content_Types].xml', ct), ('_rels/.rels', rels), ('xl/workbook.xml', wb),
             ('xl/_rels/workbook.xml.rels', wrels)]
    for i, x in enumerate(sheet_xml, 1):
        parts.append(('xl/worksheets/sheet%d.xml' % i, x))
    if sst is not None:
        parts.append(('xl/sharedStrings.xml', HDR + '<sst xmlns="%s" count="%d" uniqueCount="%d">%s</sst>'
                      % (NS, len(sst), len(sst), ''.join(sst))))
    if styles is not None:
        parts.append(('xl/styles.xml', styles))
    return parts


def sheet(rows):
    """rows: XML of <row> elements."""
    return HDR + '<worksheet xmlns="%s" xmlns:r="%s"><sheetData>%s</sheetData></worksheet>' % (NS, R, ''.join(rows))


def si(text):
    return '<si><t xml:space="preserve">%s</t></si>' % esc(text)


# Styles: cellXfs index -> numFmtId. 0 General, 1 id 14 (date), 2 custom 164
# datetime, 3 id 20 (h:mm), 4 custom 165 (Chinese date, quoted text), 5 id 4
# (#,##0.00: a number), 6 custom 166 "0.00" with [Red] (a number), 7 id 22.
STYLES = HDR + ('<styleSheet xmlns="%s"><numFmts count="3">'
                '<numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd\\ hh:mm:ss"/>'
                '<numFmt numFmtId="165" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>'
                '<numFmt numFmtId="166" formatCode="[Red]0.00;&quot;d&quot;0.00"/>'
                '</numFmts><cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>'
                '<cellXfs count="8"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/>'
                '<xf numFmtId="164"/><xf numFmtId="20"/><xf numFmtId="165"/><xf numFmtId="4"/>'
                '<xf numFmtId="166"/><xf numFmtId="22"/></cellXfs>'
                '<dxfs count="1"><dxf><numFmt numFmtId="14" formatCode="0"/></dxf></dxfs></styleSheet>') % NS


def basic():
    sst = [si('id'), si('name'), si('value'), si('when'),
           # rich text: runs concatenated, the phonetic run (rPh) left out
           '<si><r><rPr><b/></rPr><t>跨境</t></r><r><t xml:space="preserve">电商 </t></r>'
           '<rPh sb="0" eb="2"><t>kuajing</t></rPh></si>',
           si('a & b <c>'), si(''), si('line 1_x000D_\nline 2 _x005F_x0041_ _x00e9_ _x4E2D_ _xZZ_')]
    rows = [
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>',
        # shared, inline, number as written, date id 14
        '<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="s"><v>4</v></c>'
        '<c r="C2"><v>1.5E-3</v></c><c r="D2" s="1"><v>45658</v></c></row>',
        '<row r="3"><c r="A3"><v>2</v></c><c r="B3" t="inlineStr"><is><t>inline 文本</t></is></c>'
        '<c r="C3"><v>12345678901234567890</v></c><c r="D3" s="2"><v>45658.431400462963</v></c></row>',
        # rows 4-5 missing; skipped column B; rich inline string
        '<row r="6"><c r="A6"><v>3</v></c><c r="C6"><v>-0.25</v></c><c r="D6" s="3"><v>0.5</v></c></row>',
        # no r attributes: columns and rows counted on
        '<row><c><v>4</v></c><c t="inlineStr"><is><r><t>ri</t></r><r><t>ch</t></r></is></c>'
        '<c s="5"><v>1234567.891</v></c><c s="4"><v>45658.99999</v></c></row>',
        # booleans, an error, a formula's string result, t="d"
        '<row r="8"><c r="A8" t="b"><v>1</v></c><c r="B8" t="b"><v>0</v></c>'
        '<c r="C8" t="e"><v>#N/A</v></c><c r="D8" t="str"><f>A1&amp;"x"</f><v>idx</v></c>'
        '<c r="E8" t="d"><v>2025-01-03T10:21:33</v></c></row>',
        # Excel's 1900 bug around serial 60; a number style that is not a date
        '<row r="9"><c r="A9" s="1"><v>59</v></c><c r="B9" s="1"><v>60</v></c>'
        '<c r="C9" s="1"><v>61</v></c><c r="D9" s="6"><v>45658</v></c><c r="E9" s="7"><v>1</v></c></row>',
        # an empty row (styled cells, an empty shared string): skipped
        '<row r="10"><c r="A10" s="1"/><c r="B10" t="s"><v>6</v></c></row>',
        # escaped text; a cell far right, then only empties
        '<row r="11"><c r="A11" t="s"><v>5</v></c><c r="F11"><v>6</v></c><c r="G11" s="2"/></row>',
        # Excel's _xHHHH_ escapes (a CR, an escaped underscore, non-ASCII), shared and inline
        '<row r="12"><c r="A12" t="s"><v>7</v></c>'
        '<c r="B12" t="inlineStr"><is><t>tab_x0009_end</t></is></c></row>',
    ]
    data = sheet(rows)
    hidden = sheet(['<row r="1"><c r="A1" t="inlineStr"><is><t>hidden</t></is></c></row>'])
    second = sheet(['<row r="3"><c r="B3" t="inlineStr"><is><t>第二页</t></is></c></row>'])
    return workbook([('Hidden', 'hidden'), ('Data', None), ('第二页', None)],
                    [hidden, data, second], sst=sst, styles=STYLES)


def date1904():
    rows = ['<row r="1"><c r="A1" s="1"><v>0</v></c><c r="B1" s="1"><v>44196</v></c>'
            '<c r="C1" s="2"><v>44196.5</v></c><c r="D1" s="1"><v>1</v></c></row>']
    return workbook([('Sheet1', None)], [sheet(rows)], styles=STYLES, date1904=True)


def same_as_csv():
    """The first 40 records of examples/records-2024-2025.csv: text as shared
    strings, the amounts as numbers written with their decimals, empty
    cells left out."""
    import csv
    with open(os.path.join(ROOT, 'examples', 'records-2024-2025.csv'), encoding='utf-8') as f:
        recs = list(csv.reader(f))[:41]
    sst, index = [], {}
    rows = []
    numeric = {'value', 'region'}
    header = recs[0]
    for r, rec in enumerate(recs, 1):
        cells = []
        for c, v in enumerate(rec):
            if v == '':
                continue
            ref = '%s%d' % (chr(ord('A') + c), r)
            if r > 1 and header[c] in numeric:
                cells.append('<c r="%s"><v>%s</v></c>' % (ref, v))
            else:
                if v not in index:
                    index[v] = len(sst)
                    sst.append(si(v))
                cells.append('<c r="%s" t="s"><v>%d</v></c>' % (ref, index[v]))
        rows.append('<row r="%d">%s</row>' % (r, ''.join(cells)))
    with open(os.path.join(ROOT, 'tests', 'cases', 'xlsx-same-as-csv', 'records.csv'), 'w',
              encoding='utf-8', newline='') as f:
        f.write(''.join(','.join(rec) + '\n' for rec in recs))
    return workbook([('records', None)], [sheet(rows)], sst=sst, styles=STYLES)


def bomb():
    # 64 MiB of blanks inside the sheet: deflates about 1000 to 1.
    big = sheet(['<row r="1"><c r="A1"><v>1</v></c></row>']).replace('<sheetData>', '<sheetData>' + ' ' * (64 << 20))
    return workbook([('Sheet1', None)], [big])


def encrypted():
    """An OLE compound file as Excel writes a password-protected .xlsx: the
    header, and a directory sector naming the EncryptedInfo and
    EncryptedPackage streams (the streams themselves are not needed to
    recognise it)."""
    hdr = bytearray(512)
    hdr[0:8] = bytes.fromhex('D0CF11E0A1B11AE1')
    hdr[0x18:0x1A] = (0x3E).to_bytes(2, 'little')
    hdr[0x1A:0x1C] = (3).to_bytes(2, 'little')
    hdr[0x1C:0x1E] = (0xFFFE).to_bytes(2, 'little')
    hdr[0x1E:0x20] = (9).to_bytes(2, 'little')
    hdr[0x20:0x22] = (6).to_bytes(2, 'little')
    d = bytearray(512)
    for i, name in enumerate(['Root Entry', 'EncryptionInfo', 'EncryptedPackage']):
        e = name.encode('utf-16-le') + b'\0\0'
        d[i * 128:i * 128 + len(e)] = e
        d[i * 128 + 64:i * 128 + 66] = len(e).to_bytes(2, 'little')
        d[i * 128 + 66] = 5 if i == 0 else 2
    return bytes(hdr + d)


def xls():
    try:
        import xlwt
    except ImportError:
        print('make.py: xlwt not found (apt-get install python3-xlwt; run with /usr/bin/python3): .xls files kept')
        return
    import datetime
    for mode in (0, 1):
        wb = xlwt.Workbook(encoding='utf-8')
        wb.dates_1904 = bool(mode)
        ws = wb.add_sheet('数据')
        ws2 = wb.add_sheet('Other')
        d = xlwt.easyxf(num_format_str='yyyy-mm-dd')
        dt = xlwt.easyxf(num_format_str='yyyy-mm-dd hh:mm:ss')
        t = xlwt.easyxf(num_format_str='hh:mm:ss')
        for c, h in enumerate(['id', 'value', 'when', '描述']):
            ws.write(0, c, h)
        ws.write(1, 0, 1); ws.write(1, 1, 0.1); ws.write(1, 2, datetime.date(2025, 1, 3), d)
        ws.write(1, 3, '跨境电商')
        ws.write(2, 0, 2); ws.write(2, 1, 1.5e-3)
        ws.write(2, 2, datetime.datetime(2025, 1, 3, 10, 21, 33), dt); ws.write(2, 3, True)
        ws.write(3, 0, 3); ws.write(3, 1, 12345678901234567890); ws.write(3, 2, datetime.time(8, 15), t)
        ws.write(5, 1, 4607073.00); ws.write(5, 4, -2.5); ws.write(5, 5, 1234567.891)
        ws.write(6, 2, 60, d); ws.write(6, 3, 59.5, dt)
        ws2.write(0, 0, 'x')
        wb.save(os.path.join(HERE, 'xlwt-1904.xls' if mode else 'xlwt.xls'))


def main():
    write_zip('basic.xlsx', basic())
    write_zip('date1904.xlsx', date1904())
    write_zip('same-as-csv.xlsx', same_as_csv())
    write_zip('bomb.xlsx', bomb())
    with open(os.path.join(HERE, 'basic.xlsx'), 'rb') as f:
        whole = f.read()
    with open(os.path.join(HERE, 'truncated.xlsx'), 'wb') as f:
        f.write(whole[:len(whole) // 2])
    with open(os.path.join(HERE, 'not-a-zip.xlsx'), 'w') as f:
        f.write('id,value\n1,2\n')
    with open(os.path.join(HERE, 'encrypted.xlsx'), 'wb') as f:
        f.write(encrypted())
    # malformed sheet XML after a good row; a DOCTYPE with entities
    write_zip('malformed.xlsx', workbook([('Sheet1', None)], [HDR + '<worksheet xmlns="%s"><sheetData>'
              '<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></row>' % NS]))
    write_zip('dtd.xlsx', workbook([('Sheet1', None)], [HDR + '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
              '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><worksheet xmlns="%s"><sheetData>'
              '<row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row></sheetData></worksheet>' % NS]))
    # malformed far into the sheet, after an empty row and rows returned
    write_zip('malformed-late.xlsx', workbook([('Sheet1', None)], [HDR + '<worksheet xmlns="%s"><sheetData>'
              '<row r="1"><c r="A1" s="1"/></row>' % NS + ''.join(
                  '<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i) for i in range(2, 3000))
              + '<row r="3000"><c r="A3000"><v>1</c></row>']))
    # a stored (not deflated) workbook, as some exporters write
    write_zip('stored.xlsx', date1904(), method=zipfile.ZIP_STORED)
    xls()


if __name__ == '__main__':
    sys.exit(main())
