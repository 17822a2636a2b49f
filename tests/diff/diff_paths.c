/*
 * diff_paths.c — the CSV reader's fast path against its reference path,
 * record by record (tests/diff/run.sh drives it; public API only).
 *
 *   diff_paths CLASSIFIER [--edge DIR] INPUT...
 *
 * Each INPUT is opened twice as a source (dts/source.h), once with
 * DTS_SOURCE_REFERENCE, and the two are read in step: every row must have
 * the same result code, line, reason and raw bytes (rejected) or columns
 * (read); each read row is then classified on both sides (the reject
 * policy, dts_source_classify) and must get the same accepted/rejected,
 * reason, category, rule, base and flags. The fast path is tried with
 * each kernel level (AVX2, SSE2, portable: dts_csv_options flags) by
 * reading every input a third and fourth time with the CSV reader itself
 * and comparing its rows with the reference reader's.
 *
 * --edge DIR first writes the edge-case inputs into DIR (quotes across
 * 64-byte blocks, CRLF, BOM, full-width digits, NUL, invalid UTF-8 at
 * block and buffer edges, ragged rows, no final newline, a 1 MB field,
 * one over the 1 MiB limit) and checks them too.
 *
 * Prints one line per input ("name: N rows, R rejected, same") and exits
 * 0, or names the first difference and exits 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dts.h"

static int fail(const char *in, unsigned long long line, const char *what)
{
	fprintf(stderr, "diff_paths: %s: line %llu: fast and reference paths differ: %s\n",
		in, line, what);
	return 1;
}

static int same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Classify one row; the outcome as text (accepted or the reason). */
static void outcome(char *o, size_t cap, dts_scanner *S, const dts_source *src,
		    const dts_source_row *row)
{
	dts_result res;

	if (dts_source_classify(&res, S, dts_source_binding(src), row->cols, row->lens,
				row->ncols) < 0)
		snprintf(o, cap, "rejected: %s", dts_error_last()->message);
	else
		snprintf(o, cap, "%s|%s|%d|%d%d%d", res.category, res.rule, (int)res.base,
			 res.ordered, res.delivered, res.platform);
}

static int diff_source(const char *in, dts_scanner *S)
{
	dts_source_options fo = DTS_SOURCE_OPTIONS_INIT, ro = DTS_SOURCE_OPTIONS_INIT;
	dts_source *f = NULL, *r = NULL;
	dts_source_row a, b;
	unsigned long long rows = 0, rejected = 0;
	char oa[1200], ob[1200];
	int ka, kb, bad = 0;

	ro.flags = DTS_SOURCE_REFERENCE;
	ka = dts_source_open(&f, in, &fo);
	snprintf(oa, sizeof(oa), "%s", ka < 0 ? dts_error_last()->message : "");
	kb = dts_source_open(&r, in, &ro);
	snprintf(ob, sizeof(ob), "%s", kb < 0 ? dts_error_last()->message : "");
	if (ka != kb || strcmp(oa, ob)) {
		bad = fail(in, 0, "open");
		goto done;
	}
	if (ka < 0) {
		printf("%s: open refused on both paths (%s)\n", in, oa);
		return 0;
	}
	for (;;) {
		ka = dts_source_next(&a, f);
		kb = dts_source_next(&b, r);
		if (ka != kb || a.line != b.line || a.ncols != b.ncols || !same_str(a.error, b.error)) {
			bad = fail(in, b.line, "result, line, reason or column count");
			break;
		}
		if (ka == 0 || (ka < 0 && ka != DTS_EINPUT))
			break;
		rows++;
		if (ka == DTS_EINPUT) {
			rejected++;
			if (a.raw_len != b.raw_len || memcmp(a.raw, b.raw, a.raw_len)) {
				bad = fail(in, b.line, "raw record");
				break;
			}
			continue;
		}
		for (size_t i = 0; i < a.ncols; i++)
			if (a.lens[i] != b.lens[i] || memcmp(a.cols[i], b.cols[i], a.lens[i]) ||
			    a.cols[i][a.lens[i]] || b.cols[i][b.lens[i]]) {
				bad = fail(in, b.line, "a column");
				goto done;
			}
		outcome(oa, sizeof(oa), S, f, &a);
		outcome(ob, sizeof(ob), S, r, &b);
		if (strcmp(oa, ob)) {
			bad = fail(in, b.line, "classification");
			fprintf(stderr, "  fast: %s\n  reference: %s\n", oa, ob);
			break;
		}
		if (strncmp(oa, "rejected", 8) == 0)
			rejected++;
	}
	if (!bad)
		printf("%s: %llu rows, %llu rejected, same\n", in, rows, rejected);
done:
	dts_source_free(f);
	dts_source_free(r);
	return bad;
}

/* The CSV reader at one kernel level against the reference reader. */
static int diff_kernel(const char *in, unsigned kernel, size_t block)
{
	dts_csv_options fo = DTS_CSV_OPTIONS_INIT, ro = DTS_CSV_OPTIONS_INIT;
	dts_csv *f = NULL, *r = NULL;
	dts_csv_row a, b;
	int ka, kb, bad = 0;

	fo.flags = kernel | DTS_CSV_RAGGED;
	ro.flags = DTS_CSV_REFERENCE | DTS_CSV_RAGGED;
	fo.block_size = ro.block_size = block;
	fo.verify_every = 1;   /* and the verify mode, on every fast record */
	ka = dts_csv_open_file(&f, in, &fo);
	kb = dts_csv_open_file(&r, in, &ro);
	if (ka != kb) {
		bad = fail(in, 0, "open (kernel)");
		goto done;
	}
	while (ka >= 0) {
		ka = dts_csv_next(&a, f);
		kb = dts_csv_next(&b, r);
		if (ka != kb || a.line != b.line || a.nfields != b.nfields ||
		    !same_str(a.error, b.error) || a.raw_len != b.raw_len ||
		    (a.raw_len && memcmp(a.raw, b.raw, a.raw_len))) {
			bad = fail(in, b.line, ka < 0 && ka != DTS_EINPUT ?
				   dts_error_last()->message : "kernel: row");
			break;
		}
		if (ka == 0 || (ka < 0 && ka != DTS_EINPUT))
			break;
		for (size_t i = 0; i < a.nfields; i++)
			if (a.lens[i] != b.lens[i] || memcmp(a.fields[i], b.fields[i], a.lens[i])) {
				bad = fail(in, b.line, "kernel: a field");
				goto done;
			}
	}
done:
	dts_csv_free(f);
	dts_csv_free(r);
	return bad;
}

/* ---- edge cases ------------------------------------------------------------ */

static const char head[] = "id,flow,period,hs_code,description,counterpart,currency,value\n";

static char *put_rec(char *p, int i, const char *desc)
{
	return p + sprintf(p, "E%d,M,2024-05,851712,%s,US,USD,%d.50\n", i, desc, 100 + i);
}

static int write_file(const char *dir, const char *name, const char *data, size_t n,
		      char *path, size_t cap)
{
	FILE *fp;

	snprintf(path, cap, "%s/%s", dir, name);
	if (!(fp = fopen(path, "wb")) || fwrite(data, 1, n, fp) != n || fclose(fp)) {
		perror(path);
		return -1;
	}
	return 0;
}

/* Records whose descriptions put quotes, CRs, NULs and bad bytes at every
 * offset around a 64-byte block edge, and around the 1 MiB read block. */
static int edge_cases(const char *dir, dts_scanner *S)
{
	static const char *const specials[] = {
		"\"quoted, with comma\"", "\"doubled \"\"q\"\" here\"", "\"line\nbreak\"",
		"5\" disk", "bad\"after\"quote", "cr\rinside", "\xEF\xBC\x91\xEF\xBC\x92\xEF\xBC\x93 full-width",
		"nul\0here", "bad \xC3\x28 utf8", "cut \xE4\xB8", "over \xF5\x80\x80\x80 long",
		"surrogate \xED\xA0\x80", "overlong \xC0\xAF", "中文 描述 云计算服务",
		"a,ragged", "\"unterminated", "trail\xF0\x9F\x98\x80",
	};
	const size_t nsp = sizeof(specials) / sizeof(specials[0]);
	size_t cap = (size_t)8 << 20, n, k;
	char *buf = malloc(cap), *p, path[4096], pad[80];
	int bad = 0, i = 0;

	if (!buf)
		return 1;
	/* 1: each special at pad lengths 0..70, so it straddles 64-byte blocks
	 * (after 1 MiB of plain records: the encoding is decided UTF-8) */
	p = buf + sprintf(buf, "%s", head);
	while ((size_t)(p - buf) < ((size_t)1 << 20) + 100)
		p = put_rec(p, i++, "filler");
	for (size_t s = 0; s < nsp; s++)
		for (k = 0; k < 70; k++) {
			memset(pad, 'x', k);
			pad[k] = '\0';
			p += sprintf(p, "E%d,M,2024-05,851712,%s", i++, pad);
			n = strlen(specials[s]) + (strstr(specials[s], "nul") ? 5 : 0);
			memcpy(p, specials[s], n);
			p += n;
			p += sprintf(p, ",US,USD,1.00\n");
		}
	n = (size_t)(p - buf);
	bad |= write_file(dir, "edge-blocks.csv", buf, n, path, sizeof(path)) || diff_source(path, S);
	for (unsigned kern = 0; kern <= DTS_CSV_KERNEL_SCALAR; kern += DTS_CSV_KERNEL_SSE2)
		bad |= diff_kernel(path, kern, 0) | diff_kernel(path, kern, 61);
	/* 2: CRLF line ends, a BOM, no final newline */
	p = buf + sprintf(buf, "\xEF\xBB\xBFid,flow,period,hs_code,description,counterpart,currency,value\r\n");
	for (k = 0; k < 200; k++)
		p += sprintf(p, "C%zu,X,2024-06,8471,desc %zu,CN,CNY,%zu.00\r\n", k, k, k);
	p += sprintf(p, "last,X,2024-06,8471,no newline,CN,CNY,1.00");
	n = (size_t)(p - buf);
	bad |= write_file(dir, "edge-crlf-bom.csv", buf, n, path, sizeof(path)) || diff_source(path, S);
	bad |= diff_kernel(path, 0, 0);
	/* 3: LF, mixed with CRLF, final line without newline, ragged rows */
	p = buf + sprintf(buf, "%s", head);
	for (k = 0; k < 300; k++)
		p = k % 7 == 3 ? p + sprintf(p, "R%zu,M,2024-01\n", k)
		  : k % 5 == 1 ? p + sprintf(p, "R%zu,M,2024-01,85,x,US,USD,1,extra\r\n", k)
			       : put_rec(p, (int)k, "plain");
	p += sprintf(p, "end,M,2024-01,85,no newline,US,USD,2.00");
	n = (size_t)(p - buf);
	bad |= write_file(dir, "edge-ragged.csv", buf, n, path, sizeof(path)) || diff_source(path, S);
	bad |= diff_kernel(path, 0, 0) | diff_kernel(path, DTS_CSV_KERNEL_SCALAR, 7);
	/* 4: invalid UTF-8 and quotes at the edge of the 1 MiB read block */
	p = buf + sprintf(buf, "%s", head);
	while ((size_t)(p - buf) < ((size_t)1 << 20) - 200)
		p = put_rec(p, i++, "filler description 中文");
	for (k = 0; k < 400; k++)
		p = put_rec(p, i++, specials[k % nsp][0] == 'n' ? "plain" : specials[k % nsp]);
	n = (size_t)(p - buf);
	bad |= write_file(dir, "edge-chunk.csv", buf, n, path, sizeof(path)) || diff_source(path, S);
	bad |= diff_kernel(path, 0, 0) | diff_kernel(path, DTS_CSV_KERNEL_SSE2, 0);
	/* 5: a 1 MB field, and one over the 1 MiB limit */
	p = buf + sprintf(buf, "%s", head);
	p = put_rec(p, 1, "before");
	p += sprintf(p, "big,M,2024-05,851712,");
	memset(p, 'd', 1000000);
	p += 1000000;
	p += sprintf(p, ",US,USD,1.00\n");
	p = put_rec(p, 2, "between");
	p += sprintf(p, "huge,M,2024-05,851712,");
	memset(p, 'e', ((size_t)1 << 20) + 10);
	p += ((size_t)1 << 20) + 10;
	p += sprintf(p, ",US,USD,1.00\n");
	p = put_rec(p, 3, "after");
	n = (size_t)(p - buf);
	bad |= write_file(dir, "edge-bigfield.csv", buf, n, path, sizeof(path)) || diff_source(path, S);
	bad |= diff_kernel(path, 0, 0);
	free(buf);
	return bad;
}

int main(int argc, char **argv)
{
	dts_rules *R = NULL;
	dts_scanner *S = NULL;
	const char *paths[1];
	int i = 2, bad = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: diff_paths CLASSIFIER [--edge DIR] INPUT...\n");
		return 2;
	}
	paths[0] = argv[1];
	if (dts_rules_compile(&R, paths, 1, NULL) < 0 || dts_scanner_new(&S, R, 0) < 0) {
		fprintf(stderr, "diff_paths: %s: %s\n", argv[1], dts_error_last()->message);
		return 2;
	}
	if (argc > 3 && strcmp(argv[2], "--edge") == 0) {
		bad |= edge_cases(argv[3], S);
		i = 4;
	}
	for (; i < argc; i++) {
		bad |= diff_source(argv[i], S);
		for (unsigned kern = 0; kern <= DTS_CSV_KERNEL_SCALAR; kern += DTS_CSV_KERNEL_SSE2)
			bad |= diff_kernel(argv[i], kern, 0);
	}
	dts_scanner_free(S);
	dts_rules_free(R);
	return bad;
}
