/*
 * fuzz_xlsx.c — libFuzzer target for the workbook reader (dts/xlsx.h).
 *
 * Random bytes almost never inflate to XML, so by default the input is the
 * workbook's XML parts, separated by "--part--" lines, in this order:
 * xl/worksheets/sheet1.xml, xl/sharedStrings.xml, xl/styles.xml,
 * xl/workbook.xml, xl/_rels/workbook.xml.rels (missing ones get a minimal
 * default), stored into a zip here, so the mutations reach the XML
 * readers. The first byte picks the mode and the limits: bit 0 set means
 * the rest is a whole file (zip, OLE, anything) given as is; bits 1-3 set
 * small cell, column and row limits. Every row must be well formed: NUL-
 * terminated cells of the stated lengths, within the limits.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "dts.h"
#include "dts/xlsx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const names[] = {
	"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml",
	"xl/workbook.xml", "xl/_rels/workbook.xml.rels",
};
#define NPARTS 5

static const char *const defaults[NPARTS] = {
	"<worksheet><sheetData/></worksheet>",
	"<sst/>",
	"<styleSheet/>",
	"<workbook xmlns:r=\"r\"><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/>"
	"</sheets></workbook>",
	"<Relationships><Relationship Id=\"rId1\" Type=\"x/worksheet\" "
	"Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" "
	"Type=\"x/sharedStrings\" Target=\"sharedStrings.xml\"/><Relationship "
	"Id=\"rId3\" Type=\"x/styles\" Target=\"styles.xml\"/></Relationships>",
};

static void put16(unsigned char **p, unsigned v)
{
	*(*p)++ = (unsigned char)v;
	*(*p)++ = (unsigned char)(v >> 8);
}

static void put32(unsigned char **p, unsigned long v)
{
	put16(p, (unsigned)(v & 0xFFFF));
	put16(p, (unsigned)(v >> 16));
}

/* A zip of stored entries (no compression), written by hand. */
static unsigned char *stored_zip(const char *const *part, const size_t *len, size_t *out_len)
{
	size_t total = 22, i;
	unsigned long off[NPARTS], crc[NPARTS], cd, cdsize;
	unsigned char *z, *p;

	for (i = 0; i < NPARTS; i++)
		total += 30 + 46 + 2 * strlen(names[i]) + len[i];
	if (!(z = malloc(total)))
		abort();
	p = z;
	for (i = 0; i < NPARTS; i++) {
		size_t nl = strlen(names[i]);

		off[i] = (unsigned long)(p - z);
		crc[i] = crc32(0, (const Bytef *)part[i], (uInt)len[i]);
		put32(&p, 0x04034b50);
		put16(&p, 10), put16(&p, 0), put16(&p, 0), put16(&p, 0), put16(&p, 0);
		put32(&p, crc[i]), put32(&p, len[i]), put32(&p, len[i]);
		put16(&p, (unsigned)nl), put16(&p, 0);
		memcpy(p, names[i], nl), p += nl;
		memcpy(p, part[i], len[i]), p += len[i];
	}
	cd = (unsigned long)(p - z);
	for (i = 0; i < NPARTS; i++) {
		size_t nl = strlen(names[i]);

		put32(&p, 0x02014b50);
		put16(&p, 20), put16(&p, 10), put16(&p, 0), put16(&p, 0), put16(&p, 0), put16(&p, 0);
		put32(&p, crc[i]), put32(&p, len[i]), put32(&p, len[i]);
		put16(&p, (unsigned)nl), put16(&p, 0), put16(&p, 0), put16(&p, 0), put16(&p, 0);
		put32(&p, 0), put32(&p, off[i]);
		memcpy(p, names[i], nl), p += nl;
	}
	cdsize = (unsigned long)(p - z) - cd;
	put32(&p, 0x06054b50);
	put16(&p, 0), put16(&p, 0), put16(&p, NPARTS), put16(&p, NPARTS);
	put32(&p, cdsize), put32(&p, cd);
	put16(&p, 0);
	*out_len = (size_t)(p - z);
	return z;
}

static void read_all(const void *buf, size_t len, const dts_xlsx_options *o)
{
	dts_xlsx *x = NULL;
	dts_xlsx_row row;
	const char *const *sheets;
	int rc;

	if (dts_xlsx_open_buffer(&x, buf, len, "fuzz", o) < 0) {
		if (x)
			abort();
		return;
	}
	dts_xlsx_sheets(x, &sheets);
	if (!dts_xlsx_sheet(x))
		abort();
	while ((rc = dts_xlsx_next(&row, x)) != 0) {
		if (rc < 0) {
			if (!row.error)
				abort();
			continue;
		}
		if (row.ncols == 0 || row.ncols > (o->max_cols ? o->max_cols : DTS_XLSX_MAX_COLS))
			abort();
		for (size_t i = 0; i < row.ncols; i++)
			if (strlen(row.cols[i]) != row.lens[i] ||
			    row.lens[i] > (o->max_field ? o->max_field : DTS_CSV_MAX_FIELD))
				abort();
	}
	dts_xlsx_free(x);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dts_xlsx_options o = DTS_XLSX_OPTIONS_INIT;
	const char *part[NPARTS];
	size_t len[NPARTS], n = 0, zlen;
	const char *p, *end, *sep;
	unsigned char *zip;
	unsigned c;

	if (size < 1)
		return 0;
	c = data[0];
	o.max_field = (c & 2) ? 8 : 0;
	o.max_cols = (c & 4) ? 3 : 0;
	o.max_rows = (c & 8) ? 5 : 0;
	o.max_size = 1u << 24;
	if (c & 1) {
		read_all(data + 1, size - 1, &o);
		return 0;
	}
	p = (const char *)data + 1;
	end = (const char *)data + size;
	while (n < NPARTS && p <= end) {
		sep = memmem(p, (size_t)(end - p), "--part--", 8);
		part[n] = p;
		len[n] = sep ? (size_t)(sep - p) : (size_t)(end - p);
		n++;
		if (!sep)
			break;
		p = sep + 8;
	}
	for (; n < NPARTS; n++) {
		part[n] = defaults[n];
		len[n] = strlen(defaults[n]);
	}
	zip = stored_zip(part, len, &zlen);
	read_all(zip, zlen, &o);
	free(zip);
	return 0;
}
