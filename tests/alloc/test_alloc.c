/*
 * test_alloc.c — allocation-failure injection over the public entry points
 * (curl's torture mode). Each scenario is run once without failures (its
 * output is the reference), then again for N = 1, 2, ... with the Nth
 * allocation failing (hook.c), until a run completes without reaching N.
 * Every failing run must:
 *   - not crash (under ASan: no invalid access either);
 *   - give back every block it took (counted by hook.c; LSan too);
 *   - return DTS_ENOMEM with dts_error_last() saying so, or succeed with
 *     exactly the reference output (a failure the library absorbed, such
 *     as a JIT compilation it can do without).
 * Anything else is printed with the failing call's backtrace, and the test
 * fails.
 *
 * Usage: test_alloc SRCDIR [-v] [-x] [-d] [SCENARIO...]
 *   -v  print every scenario's count of allocation points
 *   -x  do not route libxml2's allocations through the failing allocator
 *   -d  distinct mode: past a scenario's first 256 allocations, fail only
 *       the first two of each call stack (run_scenario); the sanitizer and
 *       coverage builds use it, the plain build fails every allocation
 */
#include <execinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/xmlerror.h>

#include "dts.h"
#include "hook.h"

static const char *srcdir;
static char out[1 << 16];
static size_t outlen;

static void put(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out + outlen, sizeof(out) - outlen, fmt, ap);
	va_end(ap);
	if (n > 0)
		outlen += (size_t)n < sizeof(out) - outlen ? (size_t)n :
			sizeof(out) - outlen - 1;
}

/* A file of the source tree, read whole with counting off. */
static char *slurp(const char *rel, size_t *len)
{
	char path[4096];
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", srcdir, rel);
	if (!(f = fopen(path, "rb")) || fseek(f, 0, SEEK_END) != 0 ||
	    (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		fprintf(stderr, "test_alloc: cannot read %s\n", path);
		exit(2);
	}
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "test_alloc: cannot read %s\n", path);
		exit(2);
	}
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* ---- inputs ------------------------------------------------------------- */

static const char rules_xml[] =
	"<classifier xmlns=\"urn:libdts:classifier:1\" id=\"alloc\" version=\"1\">\n"
	"<category code=\"TECH.CLOUD\" zh=\"云\" en=\"Cloud\"/>\n"
	"<category code=\"TECH.SOFTWARE\" zh=\"软件\" en=\"Software\"/>\n"
	"<category code=\"CBEC.B2C\" zh=\"零售\" en=\"B2C\"/>\n"
	"<category code=\"DATA.PRODUCT\" zh=\"数据\" en=\"Data\"/>\n"
	"<rule id=\"cbec\" category=\"CBEC.B2C\" priority=\"100\" base=\"goods\" ordered=\"yes\" platform=\"yes\">\n"
	"  <in field=\"trade_mode\">9610 1210</in>\n"
	"  <example expect=\"CBEC.B2C\" trade_mode=\"9610\"/>\n"
	"</rule>\n"
	"<rule id=\"cloud\" category=\"TECH.CLOUD\" priority=\"50\" base=\"services\" delivered=\"yes\">\n"
	"  <prefix field=\"ebops_code\">SI2</prefix>\n"
	"  <any><contains field=\"description\" caseless=\"yes\">cloud|云</contains>\n"
	"       <regex field=\"description\" caseless=\"yes\">host(ing|ed) servers?</regex></any>\n"
	"  <example expect=\"TECH.CLOUD\" ebops_code=\"SI22\" description=\"Cloud hosting\"/>\n"
	"</rule>\n"
	"<rule id=\"software\" category=\"TECH.SOFTWARE\" priority=\"40\">\n"
	"  <all><prefix field=\"ebops_code\">SI21</prefix>\n"
	"       <not><contains field=\"description\">hardware</contains></not></all>\n"
	"  <example expect=\"TECH.SOFTWARE\" ebops_code=\"SI21\" description=\"ERP licence\"/>\n"
	"</rule>\n"
	"<rule id=\"data\" category=\"DATA.PRODUCT\" priority=\"30\">\n"
	"  <regex field=\"description\">^[a-z]+ dataset [0-9]{2,}$</regex>\n"
	"  <eq field=\"counterpart\">US</eq>\n"
	"  <example expect=\"DATA.PRODUCT\" description=\"traffic dataset 2025\" counterpart=\"US\"/>\n"
	"</rule>\n"
	"<rule id=\"dead\" category=\"TECH.SOFTWARE\" priority=\"10\">\n"
	"  <prefix field=\"ebops_code\">SI21</prefix>\n"
	"</rule>\n"
	"</classifier>\n";

static const char csv_text[] =
	"id,flow,period,ebops_code,trade_mode,description,counterpart,value,currency\n"
	"1,X,2025-03,SI22,,cloud hosting,DE,100.50,CNY\n"
	"2,M,2025-Q2,SI21,,\"ERP licence, annual\",US,20,USD\n"
	"3,X,2025-01-05,,9610,\"quoted \"\"card\"\"\",JP,7.25,CNY\n"
	"4,X,2025,,,traffic dataset 2025,US,1,CNY\n"
	"5,broken\n"
	"6,X,2025-02,SI22,,hosted servers,GB,abc,CNY\n";

static const char rates_text[] =
	"period,currency,rate\n"
	"# a comment\n"
	"2025,USD,7.1\n"
	"2025-Q2,USD,7.2\n"
	"2025-03,EUR,7.8\n";

static char *csv_gb;          /* csv_text in GB18030 (the same: ASCII) plus a Chinese row */
static size_t csv_gb_len;
static char *ceb_xml;
static size_t ceb_len;
static char ceb_path[4096], rules_path[4096], csv_path[4096], part_path[4096],
	rates_path[4096];

/* Set-up shared by scenarios, made with counting off. */
static dts_rules *rules;

/* ---- scenarios ---------------------------------------------------------- */

static int sc_rules_compile(int schema)
{
	dts_rules_options o = DTS_RULES_OPTIONS_INIT;
	dts_rules *r = NULL;
	int rc;

	if (!schema)
		o.flags |= DTS_RULES_NO_SCHEMA;
	rc = dts_rules_compile_buffer(&r, "alloc.xml", NULL, rules_xml,
				      sizeof(rules_xml) - 1, &o);
	if (rc == 0)
		put("rules %zu categories %zu\n", dts_rules_count(r),
		    dts_rules_category_count(r));
	dts_rules_free(r);
	return rc;
}

static int sc_rules_buffer(void) { return sc_rules_compile(0); }
static int sc_rules_schema(void) { return sc_rules_compile(1); }

/* A classifier file with every element and a list file, schema and all. */
static int sc_rules_file(void)
{
	const char *paths[1] = { rules_path };
	dts_rules *r = NULL;
	int rc = dts_rules_compile(&r, paths, 1, NULL);

	if (rc == 0)
		put("rules %zu\n", dts_rules_count(r));
	dts_rules_free(r);
	return rc;
}

static int lint_cb(const dts_lint *l, void *p)
{
	(void)p;
	put("lint %d %s %u %s\n", (int)l->kind, l->rule, l->line, l->message);
	return 0;
}

static int example_cb(const dts_example_failure *f, void *p)
{
	(void)p;
	put("fail %s %s %s\n", f->rule, f->expected, f->got);
	return 0;
}

static int sc_lint(void)
{
	size_t total = 0, failed = 0;
	int rc = dts_rules_lint(rules, lint_cb, NULL);

	if (rc < 0)
		return rc;
	rc = dts_rules_test(&total, &failed, rules, example_cb, NULL);
	if (rc < 0 && rc != DTS_ETEST)
		return rc;
	put("examples %zu failed %zu\n", total, failed);
	return 0;
}

static int match_cb(const dts_match *m, void *p)
{
	(void)p;
	put("  %s%s %s\n", m->winner ? "*" : "", m->rule, m->why);
	return 0;
}

static int sc_classify(void)
{
	static const struct { int field; const char *v; } recs[][3] = {
		{ { DTS_F_EBOPS_CODE, "SI22" }, { DTS_F_DESCRIPTION, "Cloud hosting" }, { -1, NULL } },
		{ { DTS_F_EBOPS_CODE, "si 21" }, { DTS_F_DESCRIPTION, "ERP" }, { -1, NULL } },
		{ { DTS_F_DESCRIPTION, "traffic dataset 2025" }, { DTS_F_COUNTERPART, "US" }, { -1, NULL } },
		{ { DTS_F_EBOPS_CODE, "SI22" }, { DTS_F_DESCRIPTION, "hosted server farm" }, { -1, NULL } },
		{ { DTS_F_TRADE_MODE, "９６１０" }, { -1, NULL } },
		{ { DTS_F_DESCRIPTION, "nothing at all" }, { -1, NULL } },
	};
	dts_scanner *sc = NULL;
	dts_result res;
	int rc;

	if ((rc = dts_scanner_new(&sc, rules, 0)) < 0)
		return rc;
	for (size_t i = 0; i < sizeof(recs) / sizeof(recs[0]); i++) {
		dts_value v[3];
		size_t n = 0;

		for (; n < 3 && recs[i][n].v; n++) {
			v[n].field = recs[i][n].field;
			v[n].data = recs[i][n].v;
			v[n].len = strlen(recs[i][n].v);
		}
		if ((rc = dts_scanner_classify(&res, sc, v, n)) < 0)
			break;
		put("%zu %s %s %s\n", i, res.category, res.rule, dts_base_name(res.base));
		if ((rc = dts_scanner_explain(&res, sc, v, n, match_cb, NULL)) < 0)
			break;
	}
	dts_scanner_free(sc);
	return rc < 0 ? rc : 0;
}

/* CSV rows through a binding, classified by position. */
static int read_csv(dts_csv *csv, dts_scanner *sc)
{
	const char *const *names;
	size_t ncols = dts_csv_header(csv, &names);
	static const char *const map[] = { "counterpart=counterpart" };
	dts_binding *b = NULL;
	dts_csv_row row;
	dts_result res;
	int rc;

	if ((rc = dts_binding_new(&b, names, ncols, map, sc && ncols > 6)) < 0)
		return rc;
	while ((rc = dts_csv_next(&row, csv)) != 0) {
		if (rc == DTS_EINPUT) {
			put("line %llu rejected: %s\n", (unsigned long long)row.line,
			    row.error);
			continue;
		}
		if (rc < 0)
			break;
		put("line %llu %zu fields", (unsigned long long)row.line, row.nfields);
		if (sc) {
			dts_value v[DTS_F_COUNT];
			size_t n = dts_binding_values(v, b, row.fields, row.lens,
						      row.nfields);
			int chk = dts_record_check(v, n);

			if (chk == DTS_ENOMEM) {
				rc = chk;
				break;
			}
			if ((rc = dts_scanner_classify_row(&res, sc, b, row.fields,
							   row.lens, row.nfields)) < 0)
				break;
			put(" check %d %s", chk, res.category);
		}
		put("\n");
	}
	dts_binding_free(b);
	return rc < 0 ? rc : 0;
}

static int sc_csv(const char *data, size_t len, const char *encoding,
		  size_t block, int classify)
{
	dts_csv_options o = DTS_CSV_OPTIONS_INIT;
	dts_scanner *sc = NULL;
	dts_csv *csv = NULL;
	int rc;

	o.encoding = encoding;
	o.block_size = block;
	if ((rc = dts_csv_open_buffer(&csv, data, len, "in.csv", &o)) < 0)
		return rc;
	if (classify && (rc = dts_scanner_new(&sc, rules, DTS_SCAN_VALID_UTF8)) < 0)
		goto done;
	rc = read_csv(csv, sc);
done:
	dts_scanner_free(sc);
	dts_csv_free(csv);
	return rc;
}

static int sc_csv_utf8(void) { return sc_csv(csv_text, sizeof(csv_text) - 1, NULL, 0, 1); }
static int sc_csv_small_blocks(void) { return sc_csv(csv_text, sizeof(csv_text) - 1, NULL, 7, 0); }
static int sc_csv_gb18030(void) { return sc_csv(csv_gb, csv_gb_len, "gb18030", 16, 1); }

static int sc_csv_file(void)
{
	dts_csv *csv = NULL;
	int rc = dts_csv_open_file(&csv, csv_path, NULL);

	if (rc < 0)
		return rc;
	rc = read_csv(csv, NULL);
	dts_csv_free(csv);
	return rc;
}

static int read_ceb(dts_ceb *ceb)
{
	dts_ceb_record rec;
	int rc;

	while ((rc = dts_ceb_next(&rec, ceb)) != 0) {
		size_t len = 0;
		const char *v;

		if (rc == DTS_EINPUT) {
			put("record %llu rejected: %s\n",
			    (unsigned long long)rec.record, rec.error);
			continue;
		}
		if (rc < 0)
			return rc;
		v = dts_ceb_get(&rec, "orderNo", 0, &len);
		put("%s %s line %llu pairs %zu fields %zu order %.*s\n", rec.message,
		    rec.entity, (unsigned long long)rec.line, rec.npairs,
		    rec.nfields, (int)(v ? len : 1), v ? v : "-");
	}
	return 0;
}

static int sc_ceb_buffer(void)
{
	dts_ceb_options o = DTS_CEB_OPTIONS_INIT;
	dts_ceb *ceb = NULL;
	int rc;

	o.block_size = 512;
	if ((rc = dts_ceb_open_buffer(&ceb, ceb_xml, ceb_len, "ceb.xml", &o)) < 0)
		return rc;
	rc = read_ceb(ceb);
	dts_ceb_free(ceb);
	return rc;
}

static int sc_ceb_file(void)
{
	dts_ceb *ceb = NULL;
	int rc;

	if ((rc = dts_ceb_open_file(&ceb, ceb_path, NULL)) < 0)
		return rc;
	rc = read_ceb(ceb);
	dts_ceb_free(ceb);
	return rc;
}

/* Two message broken on purpose: a reader that recovers. */
static int sc_ceb_broken(void)
{
	static const char bad[] =
		"<?xml version=\"1.0\"?>\n"
		"<ceb:CEB621Message xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\">"
		"<ceb:Inventory><ceb:InventoryHead><ceb:orderNo>A</ceb:orderNo>"
		"</ceb:InventoryHead><ceb:InventoryList><ceb:gnum>1</ceb:gnum>"
		"</ceb:InventoryList></ceb:Inventory></ceb:CEB621Message>\n"
		"<?xml version=\"1.0\"?>\n"
		"<ceb:CEB621Message xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\">"
		"<ceb:Inventory><ceb:InventoryHead></ceb:Wrong>\n"
		"<?xml version=\"1.0\"?>\n<other/>\n";
	dts_ceb *ceb = NULL;
	int rc;

	if ((rc = dts_ceb_open_buffer(&ceb, bad, sizeof(bad) - 1, "bad.xml", NULL)) < 0)
		return rc;
	rc = read_ceb(ceb);
	dts_ceb_free(ceb);
	return rc;
}

static int cell_cb(const dts_cube_cell *c, void *p)
{
	char v[64];

	(void)p;
	dts_amount_format(v, sizeof(v), &c->value, 0, 4);
	for (size_t i = 0; i < c->nkeys; i++)
		put("%s%s", i ? "|" : "", c->keys[i]);
	put(" %llu %s %llu\n", (unsigned long long)c->records, v,
	    (unsigned long long)c->enterprises);
	return 0;
}

static int fill(dts_cube *c, int from)
{
	static const char *const cats[] = { "TECH.CLOUD", "SERV.FINANCE", "CBEC.B2C", "NONE.GOODS" };
	static const char *const per[] = { "2025-Q1", "2025-Q2" };
	char ent[32];
	int rc;

	for (int i = from; i < from + 24; i++) {
		const char *keys[3] = { per[i % 2], i % 3 ? "X" : "M", cats[i % 4] };

		snprintf(ent, sizeof(ent), "E%02d", i % 7);
		if ((rc = dts_cube_add(c, keys, (dts_money)(i * 12345), DTS_RATE_ONE + i,
				       i % 5 ? ent : "")) < 0)
			return rc;
	}
	return 0;
}

static int sc_cube(void)
{
	static const char *const dims[] = { "period:quarter", "flow", "category:leaf" };
	dts_cube *a = NULL, *b = NULL, *back = NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = NULL;
	dts_cube_cell cell;
	const char *look[3] = { "2025-Q1", "X", "TECH" };
	int rc;

	if ((rc = dts_cube_new(&a, dims, 3, "CNY")) < 0 ||
	    (rc = dts_cube_new(&b, dims, 3, "CNY")) < 0 ||
	    (rc = fill(a, 0)) < 0 || (rc = fill(b, 10)) < 0 ||
	    (rc = dts_cube_merge(a, b)) < 0)
		goto done;
	if (!(f = tmpfile())) {
		rc = DTS_EIO;
		goto done;
	}
	if ((rc = dts_cube_write_partial(a, f)) < 0)
		goto done;
	len = (size_t)ftell(f);
	rewind(f);
	hook.counting--; /* the test's own buffer */
	buf = malloc(len + 1);
	hook.counting++;
	if (!buf || fread(buf, 1, len, f) != len) {
		rc = DTS_EIO;
		goto done;
	}
	if ((rc = dts_cube_read_partial(&back, "a.part", buf, len)) < 0 ||
	    (rc = dts_cube_foreach(back, cell_cb, NULL)) < 0)
		goto done;
	rc = dts_cube_lookup(&cell, back, look);
	put("lookup %d count %zu\n", rc, dts_cube_count(back));
	rc = 0;
done:
	if (f)
		fclose(f);
	hook.counting--;
	free(buf);
	hook.counting++;
	dts_cube_free(a);
	dts_cube_free(b);
	dts_cube_free(back);
	return rc;
}

/* A cube with a category:top dimension gets the DT/DO/DD aggregates. */
static int sc_cube_top(void)
{
	static const char *const dims[] = { "category:top", "region" };
	dts_cube *c = NULL;
	int rc;

	if ((rc = dts_cube_new(&c, dims, 2, "CNY")) < 0)
		goto done;
	for (int i = 0; i < 40; i++) {
		static const char *const cats[] = { "TECH", "SERV", "CBEC", "NONE", "DATA", "PROD" };
		char reg[16], ent[16];
		const char *keys[2] = { cats[i % 6], reg };

		snprintf(reg, sizeof(reg), "3301%02d", i % 9);
		snprintf(ent, sizeof(ent), "E%d", i);
		if ((rc = dts_cube_add(c, keys, 100 * i, DTS_RATE_ONE, ent)) < 0)
			goto done;
	}
	rc = dts_cube_foreach(c, cell_cb, NULL);
done:
	dts_cube_free(c);
	return rc;
}

static int sc_cube_load(void)
{
	dts_cube *c = NULL;
	int rc = dts_cube_load_partial(&c, part_path);

	if (rc == 0)
		rc = dts_cube_foreach(c, cell_cb, NULL);
	dts_cube_free(c);
	return rc;
}

static int sc_rates(void)
{
	dts_rates *r = NULL;
	dts_period p;
	dts_rate rate = 0;
	int rc;

	if ((rc = dts_rates_parse(&r, "rates.csv", rates_text,
				  sizeof(rates_text) - 1)) < 0)
		return rc;
	dts_period_parse(&p, "2025-05", 7);
	rc = dts_rates_lookup(&rate, r, &p, "USD");
	put("rates %zu lookup %d %lld\n", dts_rates_count(r), rc, (long long)rate);
	rc = dts_rates_check_reporting(r, "CNY");
	put("check %d\n", rc);
	dts_rates_free(r);
	return 0;
}

static int sc_rates_load(void)
{
	dts_rates *r = NULL;
	int rc = dts_rates_load(&r, rates_path);

	if (rc == 0)
		put("rates %zu\n", dts_rates_count(r));
	dts_rates_free(r);
	return rc;
}


/* ---- the whole-path entry points (source, batch, records, table, report) -- */

static int wcb(const void *data, size_t len, void *payload)
{
	(void)payload;
	put("%.*s", (int)len, (const char *)data);
	return 0;
}

static int read_source(const void *data, size_t len, const char *name)
{
	dts_source_options o = DTS_SOURCE_OPTIONS_INIT;
	dts_source *src = NULL;
	dts_scanner *sc = NULL;
	dts_source_row row;
	dts_result res;
	int rc;

	o.block_size = 64;
	if ((rc = dts_source_open_buffer(&src, data, len, name, &o)) < 0)
		return rc;
	if ((rc = dts_scanner_new(&sc, rules, DTS_SCAN_VALID_UTF8)) < 0)
		goto done;
	put("format %d\n", (int)dts_source_format(src));
	while ((rc = dts_source_next(&row, src)) != 0) {
		if (rc == DTS_EINPUT) {
			put("line %llu rejected: %s\n", (unsigned long long)row.line, row.error);
			continue;
		}
		if (rc < 0)
			break;
		rc = dts_source_classify(&res, sc, dts_source_binding(src), row.cols,
					 row.lens, row.ncols);
		if (rc == DTS_EINPUT) {
			put("line %llu policy: %s\n", (unsigned long long)row.line,
			    dts_error_last() ? dts_error_last()->message : "?");
			continue;
		}
		if (rc < 0)
			break;
		put("line %llu %s\n", (unsigned long long)row.line, res.category);
	}
done:
	dts_scanner_free(sc);
	dts_source_free(src);
	return rc < 0 ? rc : 0;
}

static int sc_source_csv(void) { return read_source(csv_text, sizeof(csv_text) - 1, "in.csv"); }
static int sc_source_ceb(void) { return read_source(ceb_xml, ceb_len, "ceb.xml"); }

/* The encoding detected (GB18030, converted with iconv) and the binding
 * report: described, as JSON, checked against the classifier, in the
 * summary. */
static int sc_binding_report(void)
{
	dts_batch_stats st;
	dts_source *src = NULL;
	const dts_binding *b;
	char *s = NULL, buf[2048];
	uint64_t missing = 0;
	FILE *f;
	int rc;

	memset(&st, 0, sizeof(st));
	if ((rc = dts_source_open_buffer(&src, csv_gb, csv_gb_len, "gb.csv", NULL)) < 0)
		return rc;
	b = dts_source_binding(src);
	put("encoding %s\n", dts_source_encoding(src));
	if ((rc = dts_binding_describe(&s, b)) == 0) {
		put("%s\n", s);
		free(s);
		rc = dts_binding_json(&s, b);
	}
	if (rc == 0) {
		put("%s\n", s);
		free(s);
		rc = dts_binding_check(&missing, b, dts_rules_fields(rules), "gb.csv");
		put("check %d missing %llx\n", rc, (unsigned long long)missing);
	}
	if (rc == 0 && (f = fmemopen(buf, sizeof(buf), "w"))) {
		rc = dts_records_summary_source_file(f, rules, &st, src);
		fclose(f);
		if (rc == 0)
			put("%s", buf);
	}
	dts_source_free(src);
	return rc;
}

static int item_cb(const dts_batch_item *it, void *p)
{
	(void)p;
	if (it->result)
		put("item %llu %s\n", (unsigned long long)it->line, it->result->category);
	else
		put("item %llu rejected: %s\n", (unsigned long long)it->line, it->reason);
	return 0;
}

static int sc_batch(void)
{
	dts_source_options so = DTS_SOURCE_OPTIONS_INIT;
	dts_batch_options bo = DTS_BATCH_OPTIONS_INIT;
	dts_source *src = NULL;
	dts_batch *b = NULL;
	dts_records *w = NULL, *rej = NULL;
	dts_batch_stats st;
	const char *const *names;
	size_t ncols;
	int rc;

	bo.threads = 1; /* one thread: the Nth allocation is the same in every run */
	bo.block_rows = 2;
	bo.flags = DTS_BATCH_EXPLAIN;
	if ((rc = dts_source_open_buffer(&src, csv_text, sizeof(csv_text) - 1,
					 "in.csv", &so)) < 0)
		return rc;
	ncols = dts_source_header(src, &names);
	if ((rc = dts_batch_new(&b, rules, &bo)) < 0 ||
	    (rc = dts_records_new_cb(&w, DTS_RECORDS_CSV, DTS_RECORDS_EXPLAIN, names,
				     ncols, wcb, NULL)) < 0 ||
	    (rc = dts_records_new_cb(&rej, DTS_RECORDS_REJECTS, 0, NULL, 0, wcb,
				     NULL)) < 0 ||
	    (rc = dts_records_write_header(w)) < 0 ||
	    (rc = dts_records_write_header(rej)) < 0 ||
	    (rc = dts_batch_run(b, src, w, rej, item_cb, NULL)) < 0)
		goto done;
	dts_batch_stats_get(&st, b);
	rc = dts_records_summary_cb(wcb, NULL, rules, &st);
done:
	dts_records_free(w);
	dts_records_free(rej);
	dts_batch_free(b);
	dts_source_free(src);
	return rc;
}

static int sc_batch_jsonl(void)
{
	dts_source_options so = DTS_SOURCE_OPTIONS_INIT;
	dts_batch_options bo = DTS_BATCH_OPTIONS_INIT;
	dts_source *src = NULL;
	dts_batch *b = NULL;
	dts_records *w = NULL;
	const char *const *names;
	size_t ncols;
	int rc;

	bo.threads = 1;
	if ((rc = dts_source_open_buffer(&src, ceb_xml, ceb_len, "ceb.xml", &so)) < 0)
		return rc;
	ncols = dts_source_header(src, &names);
	if ((rc = dts_batch_new(&b, rules, &bo)) < 0 ||
	    (rc = dts_records_new_cb(&w, DTS_RECORDS_JSONL, 0, names, ncols, wcb,
				     NULL)) < 0 ||
	    (rc = dts_batch_run(b, src, w, NULL, item_cb, NULL)) < 0)
		goto done;
done:
	dts_records_free(w);
	dts_batch_free(b);
	dts_source_free(src);
	return rc;
}

static int sc_table(void)
{
	static const char *const names[] = { "period:quarter", "category", "value", "records", "note" };
	static const char *const rows[][5] = {
		{ "2025-Q1", "TECH.CLOUD", "100.50", "3", "plain" },
		{ "2025-Q1", "SERV", "7", "1", "a \"quoted\", <tagged> & text" },
		{ "2025-Q2", "云计算", "-1.25", "2", "" },
	};
	dts_table *t = NULL;
	int rc;

	if ((rc = dts_table_new(&t, names, 5, 2)) < 0)
		return rc;
	for (size_t i = 0; i < 3; i++)
		if ((rc = dts_table_add_row(t, rows[i])) < 0)
			goto done;
	if ((rc = dts_table_set_numeric(t, 4, 0)) < 0 ||
	    (rc = dts_table_set_title(t, "A test table")) < 0 ||
	    (rc = dts_table_set_dataflow(t, "DTS_TEST")) < 0 ||
	    (rc = dts_table_set_unit(t, "CNY")) < 0 ||
	    (rc = dts_table_set_missing(t, "missing")) < 0 ||
	    (rc = dts_table_set_chart(t, 2, "values")) < 0)
		goto done;
	dts_table_set_unit_mult(t, 4);
	dts_table_set_prepared(t, 1767225600);
	if ((rc = dts_table_write_text_cb(t, wcb, NULL)) < 0 ||
	    (rc = dts_table_write_csv_cb(t, wcb, NULL)) < 0 ||
	    (rc = dts_table_write_sdmx_csv_cb(t, wcb, NULL)) < 0 ||
	    (rc = dts_table_write_sdmx_ml_cb(t, wcb, NULL)) < 0)
		goto done;
done:
	dts_table_free(t);
	return rc;
}

static char *annex_csv, *targets_csv, *reported_csv;
static size_t annex_len, targets_len, reported_len;
static dts_cube *report_cube;

static int write_table(dts_table *t)
{
	int rc = dts_table_write_csv_cb(t, wcb, NULL);

	dts_table_free(t);
	return rc;
}

static int sc_report(void)
{
	dts_report *r = NULL;
	dts_table *t = NULL;
	int rc;

	if ((rc = dts_report_parse(&r, "annex.csv", annex_csv, annex_len)) < 0 ||
	    (rc = dts_report_parse_targets(r, "targets.csv", targets_csv, targets_len)) < 0 ||
	    (rc = dts_report_parse_reported(r, "reported.csv", reported_csv, reported_len)) < 0 ||
	    (rc = dts_report_compute(r, report_cube, 2)) < 0 ||
	    (rc = dts_report_annex_table(&t, r, 0)) < 0 ||
	    (rc = write_table(t)) < 0 ||
	    (rc = dts_report_boundary_table(&t, report_cube, 2025, 4)) < 0 ||
	    (rc = write_table(t)) < 0 ||
	    (rc = dts_page_write_cb(r, report_cube, NULL, wcb, NULL)) < 0)
		goto done;
done:
	dts_report_free(r);
	return rc;
}

/* The standard (issue 19): every format of dts_standard_write_cb over the
 * scenario classifier, one scenario each. The correspondence tables make
 * thousands of allocation points and every failing run repeats the whole
 * scenario, so one scenario for the three formats cost three times as
 * much as three (the quadratic term of this test: 24 s of its 40). */
static int sc_standard_md(void)
{
	return dts_standard_write_cb(rules, DTS_STANDARD_MD, wcb, NULL);
}

static int sc_standard_html(void)
{
	return dts_standard_write_cb(rules, DTS_STANDARD_HTML, wcb, NULL);
}

static int sc_standard_csv(void)
{
	return dts_standard_write_cb(rules, DTS_STANDARD_CSV, wcb, NULL);
}

static int sc_definitions(void)
{
	dts_report *r = NULL;
	int rc;

	if ((rc = dts_report_parse(&r, "annex.csv", annex_csv, annex_len)) < 0 ||
	    (rc = dts_report_parse_targets(r, "targets.csv", targets_csv, targets_len)) < 0 ||
	    (rc = dts_report_write_definitions_cb(r, DTS_STANDARD_MD, wcb, NULL)) < 0 ||
	    (rc = dts_report_write_definitions_cb(r, DTS_STANDARD_CSV, wcb, NULL)) < 0)
		goto done;
done:
	dts_report_free(r);
	return rc;
}

static dts_cube *month_cube;

/* The report by period (issue 15): every table over a monthly cube with
 * not-allocated cells and a part year. */
/* The report by period, split in three for the reason given at
 * sc_standard_md: the tables by month and quarter, the tables by half
 * year and 1-N月 with the notes, then the page. */
static int report_periods(int from, int to, int notes)
{
	dts_report *r = NULL;
	dts_table *t = NULL;
	int rc;

	if ((rc = dts_report_parse(&r, "annex.csv", annex_csv, annex_len)) < 0 ||
	    (rc = dts_report_compute(r, month_cube, 2)) < 0)
		goto done;
	for (int by = from; by <= to; by++)
		if ((rc = dts_report_period_table(&t, r, month_cube, by, 0)) < 0 ||
		    (rc = write_table(t)) < 0)
			goto done;
	if (notes && ((rc = dts_report_notes_table(&t, r, month_cube)) < 0 ||
		      (rc = write_table(t)) < 0))
		goto done;
done:
	dts_report_free(r);
	return rc;
}

static int sc_report_periods(void)
{
	return report_periods(DTS_REPORT_BY_MONTH, DTS_REPORT_BY_QUARTER, 0);
}

static int sc_report_periods_ytd(void)
{
	return report_periods(DTS_REPORT_BY_HALF, DTS_REPORT_BY_YTD, 1);
}

static int sc_report_periods_page(void)
{
	dts_report *r = NULL;
	int rc;

	if ((rc = dts_report_parse(&r, "annex.csv", annex_csv, annex_len)) < 0 ||
	    (rc = dts_report_compute(r, month_cube, 2)) < 0 ||
	    (rc = dts_page_write_cb(r, month_cube, NULL, wcb, NULL)) < 0)
		goto done;   /* the page's trends: the grid by month and 1-N月 */
done:
	dts_report_free(r);
	return rc;
}

static void make_month_cube(void)
{
	const char *dims[4] = { "period:month", "flow", "category:top", "base" };
	static const char *const cats[] = { "TECH", "CBEC", "NONE" };

	if (dts_cube_new(&month_cube, dims, 4, "CNY") < 0)
		exit(2);
	for (int i = 0; i < 40; i++) {
		char key[16];
		const char *keys[4] = { key, i % 2 ? "X" : "M", cats[i % 3], "goods" };

		if (i % 7 == 0)
			snprintf(key, sizeof(key), "%d-NA", i % 2 ? 2025 : 2024);
		else   /* 2024 all months, 2025 to May */
			snprintf(key, sizeof(key), "%d-%02d", i % 2 ? 2025 : 2024,
				 i % 2 ? i % 5 + 1 : i % 12 + 1);
		if (dts_cube_add(month_cube, keys, (dts_money)i * 98765, DTS_RATE_ONE, "") < 0)
			exit(2);
	}
}

/* The cube of the report scenario, made with counting off. */
static void make_report_cube(void)
{
	const char *dims[4] = { "period:year", "flow", "category:top", "base" };
	static const char *const cats[] = { "TECH", "SERV", "CBEC", "NONE", "DATA", "PROD" };
	static const char *const bases[] = { "services", "goods", "unknown" };

	if (dts_cube_new(&report_cube, dims, 4, "CNY") < 0)
		exit(2);
	for (int i = 0; i < 60; i++) {
		const char *keys[4] = { i % 2 ? "2025" : "2024", i % 3 ? "X" : "M",
			cats[i % 6], bases[i % 3] };
		char ent[16];

		snprintf(ent, sizeof(ent), "E%d", i % 11);
		if (dts_cube_add(report_cube, keys, (dts_money)i * 123456789, DTS_RATE_ONE, ent) < 0)
			exit(2);
	}
}

static dts_rules *rules2; /* the "new" rules of the diff scenario */

static int diff_rec_cb(const dts_diff_record *r, void *p)
{
	(void)p;
	return dts_diff_write_record_cb(wcb, NULL, r);
}

static int diff_cell_cb(const dts_diff_cell *c, void *p)
{
	char v[64];

	(void)p;
	dts_amount_format(v, sizeof(v), &c->value, 0, 2);
	put("%s -> %s %llu %s\n", c->old_category, c->new_category,
	    (unsigned long long)c->records, v);
	return 0;
}

static int diff_total_cb(const dts_diff_total *t, void *p)
{
	(void)p;
	put("%s %llu %llu\n", t->category, (unsigned long long)t->old_records,
	    (unsigned long long)t->new_records);
	return 0;
}

static int sc_diff(void)
{
	dts_source_options o = DTS_SOURCE_OPTIONS_INIT;
	dts_source *src = NULL;
	dts_diff *d = NULL;
	int rc;

	if ((rc = dts_source_open_buffer(&src, csv_text, sizeof(csv_text) - 1,
					 "in.csv", &o)) < 0)
		return rc;
	if ((rc = dts_diff_new(&d, rules, rules2, DTS_SCAN_VALID_UTF8)) < 0 ||
	    (rc = dts_diff_source(d, src, diff_rec_cb, NULL)) < 0 ||
	    (rc = dts_diff_moves(d, diff_cell_cb, NULL)) < 0 ||
	    (rc = dts_diff_totals(d, diff_total_cb, NULL)) < 0)
		goto done;
done:
	dts_diff_free(d);
	dts_source_free(src);
	return rc;
}

static int sc_gen(void)
{
	dts_gen_options o = DTS_GEN_OPTIONS_INIT;

	o.seed = 3;
	o.records = 5;
	return dts_gen_write_cb(wcb, NULL, &o);
}

/* ---- aggregation and reconciliation ---------------------------------------- */

static dts_rates *agg_rates;
static char *left_csv, *right_csv, *cbec_doc[4];
static size_t left_len, right_len, cbec_len[4];
static dts_cube *tot_cube[2];

static int agg_reject_cb(const dts_agg_reject *r, void *p)
{
	(void)p;
	put("%s:%llu rejected: %s\n", r->input, (unsigned long long)r->line, r->reason);
	return 0;
}

static int sc_aggregate(void)
{
	dts_source_options o = DTS_SOURCE_OPTIONS_INIT;
	dts_source *src = NULL;
	dts_agg *a = NULL;
	dts_table *t = NULL;
	int rc;

	if ((rc = dts_agg_new(&a, "period:quarter,flow,category:top,counterpart", "CNY")) < 0)
		return rc;
	if ((rc = dts_agg_set_rules(a, rules)) < 0 ||
	    (rc = dts_agg_set_rates(a, agg_rates)) < 0 ||
	    (rc = dts_source_open_buffer(&src, csv_text, sizeof(csv_text) - 1,
					 "in.csv", &o)) < 0 ||
	    (rc = dts_agg_add_source(a, src, agg_reject_cb, NULL)) < 0 ||
	    (rc = dts_agg_table(&t, dts_agg_cube(a), 4, 2)) < 0 ||
	    (rc = dts_table_write_csv_cb(t, wcb, NULL)) < 0)
		goto done;
	put("records %llu rejects %llu\n", (unsigned long long)dts_agg_records(a),
	    (unsigned long long)dts_agg_rejects(a));
done:
	dts_table_free(t);
	dts_source_free(src);
	dts_agg_free(a);
	return rc;
}

static int recon_item_cb(const dts_recon_item *it, void *p)
{
	(void)p;
	return dts_recon_write_item_cb(it, wcb, NULL);
}

static int sc_reconcile(void)
{
	static const char *const keys[] = { "id" };
	dts_recon_options ro = DTS_RECON_OPTIONS_INIT;
	dts_source_options o = DTS_SOURCE_OPTIONS_INIT;
	dts_source *l = NULL, *r = NULL;
	dts_scanner *sc = NULL;
	dts_recon *rec = NULL;
	dts_table *t = NULL;
	int rc;

	ro.compare |= DTS_RECON_CMP_PERIOD;
	if ((rc = dts_recon_new(&rec, keys, 1, &ro)) < 0)
		return rc;
	if ((rc = dts_source_open_buffer(&l, left_csv, left_len, "left.csv", &o)) < 0 ||
	    (rc = dts_source_open_buffer(&r, right_csv, right_len, "right.csv", &o)) < 0 ||
	    (rc = dts_scanner_new(&sc, rules, DTS_SCAN_VALID_UTF8)) < 0 ||
	    (rc = dts_recon_bind_source(NULL, rec, DTS_RECON_LEFT, l)) < 0 ||
	    (rc = dts_recon_bind_source(NULL, rec, DTS_RECON_RIGHT, r)) < 0 ||
	    (rc = dts_recon_add_sources(rec, l, r, sc)) < 0 ||
	    (rc = dts_recon_run(rec, recon_item_cb, NULL)) < 0 ||
	    (rc = dts_recon_summary_table(&t, rec)) < 0 ||
	    (rc = dts_table_write_csv_cb(t, wcb, NULL)) < 0)
		goto done;
	dts_table_free(t);
	t = NULL;
	if ((rc = dts_recon_matrix_table(&t, rec)) < 0 ||
	    (rc = dts_table_write_csv_cb(t, wcb, NULL)) < 0 ||
	    (rc = dts_recon_write_text_cb(rec, "left.csv", "right.csv", wcb, NULL)) < 0)
		goto done;
done:
	dts_table_free(t);
	dts_scanner_free(sc);
	dts_source_free(l);
	dts_source_free(r);
	dts_recon_free(rec);
	return rc;
}

static int sc_totals(void)
{
	dts_recon_totals *tt = NULL;
	dts_table *t = NULL;
	int rc;

	if ((rc = dts_recon_totals_new(&tt)) < 0)
		return rc;
	if ((rc = dts_recon_totals_add_cube(tt, DTS_RECON_LEFT, tot_cube[0])) < 0 ||
	    (rc = dts_recon_totals_add_cube(tt, DTS_RECON_RIGHT, tot_cube[1])) < 0 ||
	    (rc = dts_recon_totals_run(tt, NULL, NULL)) < 0 ||
	    (rc = dts_recon_totals_table(&t, tt, 2)) < 0 ||
	    (rc = dts_table_write_csv_cb(t, wcb, NULL)) < 0)
		goto done;
done:
	dts_table_free(t);
	dts_recon_totals_free(tt);
	return rc;
}

static int sc_cbec(void)
{
	dts_recon_cbec_options co = DTS_RECON_CBEC_OPTIONS_INIT;
	dts_source_options o = DTS_SOURCE_OPTIONS_INIT;
	dts_recon_cbec *c = NULL;
	dts_table *fails = NULL, *sum = NULL;
	int rc;

	if ((rc = dts_recon_cbec_new(&c, &co)) < 0)
		return rc;
	for (int d = 0; d < 4; d++) {
		dts_source *src = NULL;

		if ((rc = dts_source_open_buffer(&src, cbec_doc[d], cbec_len[d], "doc.csv", &o)) < 0)
			goto done;
		rc = dts_recon_cbec_add_source(c, d, src);
		dts_source_free(src);
		if (rc < 0)
			goto done;
	}
	if ((rc = dts_recon_cbec_failures_new(&fails)) < 0 ||
	    (rc = dts_recon_cbec_run(c, dts_recon_cbec_failure_row, fails)) < 0 ||
	    (rc = dts_recon_cbec_summary_table(&sum, c)) < 0 ||
	    (rc = dts_table_write_csv_cb(sum, wcb, NULL)) < 0 ||
	    (rc = dts_recon_cbec_write_text_cb(c, fails, wcb, NULL)) < 0)
		goto done;
done:
	dts_table_free(fails);
	dts_table_free(sum);
	dts_recon_cbec_free(c);
	return rc;
}

static void make_recon_inputs(void)
{
	static const char *const names[4] = { "examples/cbec-orders.csv",
		"examples/cbec-payments.csv", "examples/cbec-waybills.csv",
		"examples/cbec-inventory.csv" };
	const char *dims[2] = { "period:quarter", "category:top" };
	const char *dims1[1] = { "period:quarter" };

	left_csv = slurp("examples/reconcile-left.csv", &left_len);
	right_csv = slurp("examples/reconcile-right.csv", &right_len);
	for (int d = 0; d < 4; d++)
		cbec_doc[d] = slurp(names[d], &cbec_len[d]);
	if (dts_rates_parse(&agg_rates, "rates.csv", rates_text, sizeof(rates_text) - 1) < 0 ||
	    dts_cube_new(&tot_cube[0], dims, 2, "CNY") < 0 ||
	    dts_cube_new(&tot_cube[1], dims1, 1, "CNY") < 0)
		exit(2);
	for (int i = 0; i < 20; i++) {
		static const char *const q[] = { "2025-Q1", "2025-Q2", "2025-Q3" };
		static const char *const cat[] = { "TECH", "SERV", "NONE", "CBEC" };
		const char *k[2] = { q[i % 3], cat[i % 4] };

		if (dts_cube_add(tot_cube[0], k, 1000 + i, DTS_RATE_ONE, NULL) < 0 ||
		    dts_cube_add(tot_cube[1], k, 1000 + (i % 5 ? i : 2 * i), DTS_RATE_ONE, NULL) < 0)
			exit(2);
	}
}

static void free_recon_inputs(void)
{
	free(left_csv);
	free(right_csv);
	for (int d = 0; d < 4; d++)
		free(cbec_doc[d]);
	dts_rates_free(agg_rates);
	dts_cube_free(tot_cube[0]);
	dts_cube_free(tot_cube[1]);
}

/* ---- the tools' text outputs, now the library's ---------------------------- */

static int sc_explain_text(void)
{
	dts_scanner *sc = NULL;
	dts_value v[2];
	int rc;

	if ((rc = dts_value_parse(&v[0], "ebops_code=SI22")) < 0 ||
	    (rc = dts_value_parse(&v[1], "商品名称=hosted servers")) < 0 ||
	    (rc = dts_scanner_new(&sc, rules, 0)) < 0)
		goto done;
	rc = dts_scanner_explain_text_cb(sc, v, 2, wcb, NULL);
done:
	dts_scanner_free(sc);
	return rc;
}

static int sc_diff_text(void)
{
	dts_source_options o = DTS_SOURCE_OPTIONS_INIT;
	dts_source *src = NULL;
	dts_diff *d = NULL;
	int rc;

	if ((rc = dts_source_open_buffer(&src, csv_text, sizeof(csv_text) - 1,
					 "in.csv", &o)) < 0)
		return rc;
	if ((rc = dts_diff_new(&d, rules, rules2, DTS_SCAN_VALID_UTF8)) < 0 ||
	    (rc = dts_diff_source(d, src, NULL, NULL)) < 0 ||
	    (rc = dts_diff_write_text_cb(d, "in.csv", wcb, NULL)) < 0)
		goto done;
done:
	dts_diff_free(d);
	dts_source_free(src);
	return rc;
}

static int give_rules(const dts_rules **r, void *p)
{
	(void)p;
	*r = rules;
	return 0;
}

static char left_path[4096], right_path[4096];

static int sc_recon_files(void)
{
	dts_recon *rec = NULL;
	int rc;

	if ((rc = dts_recon_new_list(&rec, "id,", NULL)) < 0)
		return rc;
	if ((rc = dts_recon_add_files(rec, left_path, right_path, NULL, give_rules,
				      NULL)) < 0 ||
	    (rc = dts_recon_run(rec, recon_item_cb, NULL)) < 0)
		goto done;
done:
	dts_recon_free(rec);
	return rc;
}

/* dts-aggregate --merge without --by: an aggregation over a partial, then
 * rates from a file and the partial added again as an input. */
static int sc_agg_partial(void)
{
	dts_agg *a = NULL;
	dts_table *t = NULL;
	int rc;

	if ((rc = dts_agg_new_partial(&a, part_path)) < 0)
		return rc;
	if ((rc = dts_agg_load_rates(a, rates_path)) < 0 ||
	    (rc = dts_agg_add_file(a, part_path, NULL, agg_reject_cb, NULL)) < 0 ||
	    (rc = dts_agg_table(&t, dts_agg_cube(a), 0, 2)) < 0 ||
	    (rc = dts_table_write_csv_cb(t, wcb, NULL)) < 0)
		goto done;
done:
	dts_table_free(t);
	dts_agg_free(a);
	return rc;
}

/* The SDMX metadata and the structure message (code lists, concepts, DSD). */
static int sc_sdmx_structure(void)
{
	static const char *const names[] = { "period:quarter", "category", "value", "records" };
	static const char *const rows[][4] = {
		{ "2025-Q1", "TECH.CLOUD", "100.50", "3" },
		{ "2025-03", "SERV", "", "1" },
		{ "2025", "云计算", "-1.25", "2" },
	};
	dts_table *t = NULL;
	int rc;

	if ((rc = dts_table_new(&t, names, 4, 2)) < 0)
		return rc;
	for (size_t i = 0; i < 3; i++)
		if ((rc = dts_table_add_row(t, rows[i])) < 0)
			goto done;
	dts_table_set_status(t, DTS_STATUS_REVISED);
	dts_table_set_bom(t, 1);
	dts_table_set_prepared(t, 1767225600);
	if ((rc = dts_table_set_time(t, 0)) < 0 ||
	    (rc = dts_table_set_unit(t, "CNY")) < 0 ||
	    (rc = dts_table_set_concept(t, 1, "类别", "Category")) < 0 ||
	    (rc = dts_table_add_code(t, 1, "TECH.CLOUD", "云", "Cloud")) < 0 ||
	    (rc = dts_table_add_code(t, 1, "SERV", NULL, "Services")) < 0 ||
	    (rc = dts_table_set_row_unit(t, 2, "PC", 0)) < 0 ||
	    (rc = dts_table_write_sdmx_structure_cb(t, wcb, NULL)) < 0 ||
	    (rc = dts_table_write_sdmx_csv_cb(t, wcb, NULL)) < 0 ||
	    (rc = dts_table_write_sdmx_ml_cb(t, wcb, NULL)) < 0 ||
	    (rc = dts_table_write_csv_cb(t, wcb, NULL)) < 0)
		goto done;
done:
	dts_table_free(t);
	return rc;
}

/* A partial merged by path, the vintage set, the notes and the exact
 * table: what dts-aggregate --merge --status --vintage -f xlsx makes. */
static int sc_agg_vintage(void)
{
	dts_agg *a = NULL;
	dts_table *t = NULL;
	int rc;

	if ((rc = dts_agg_new(&a, "period:quarter,category:top", NULL)) < 0)
		return rc;
	if ((rc = dts_agg_set_status(a, DTS_STATUS_FINAL)) < 0 ||
	    (rc = dts_agg_set_vintage(a, "2025-12-31")) < 0 ||
	    (rc = dts_cube_set_classifier((dts_cube *)dts_agg_cube(a), NULL)) < 0)
		goto done;
	if ((rc = dts_agg_merge_file(a, part_path)) < 0)   /* a format 2 partial */
		goto done;
	if ((rc = dts_agg_notes_table(&t, dts_agg_cube(a), 8)) < 0 ||
	    (rc = dts_table_write_csv_cb(t, wcb, NULL)) < 0)
		goto done;
	dts_table_free(t);
	t = NULL;
	if ((rc = dts_agg_table(&t, dts_agg_cube(a), 8, DTS_AGG_EXACT)) < 0)
		goto done;
	/* a fixed Prepared time: the output is compared with the first run's,
	 * and the clock's second may change between two runs */
	dts_table_set_prepared(t, 1767225600);
	if ((rc = dts_table_write_sdmx_structure_cb(t, wcb, NULL)) < 0)
		goto done;
done:
	dts_table_free(t);
	dts_agg_free(a);
	return rc;
}

/* The model behind the rules: train, write, load, predict (lib/model). */
/* a fixed buffer: the callback must not allocate (its failure would be
 * the test's, not the library's) */
typedef struct mbuf { char p[16384]; size_t len; } mbuf;

static int model_wcb(const void *data, size_t len, void *payload)
{
	mbuf *b = payload;

	if (b->len + len > sizeof(b->p))
		return DTS_ELIMIT;
	memcpy(b->p + b->len, data, len);
	b->len += len;
	return 0;
}

static int sc_model(void)
{
	static const char *const recs[][2] = {
		{ "云服务器租用费", "TECH.CLOUD" }, { "雲主機與雲存儲", "TECH.CLOUD" },
		{ "cloud server rental", "TECH.CLOUD" }, { "游戏道具充值", "PROD.GAME" },
		{ "手机游戏道具", "PROD.GAME" }, { "game in-app items", "PROD.GAME" },
	};
	dts_model_trainer *t = NULL;
	dts_model *m = NULL;
	dts_model_prediction p;
	static mbuf b;
	dts_value q = { DTS_F_DESCRIPTION, "云服务器 cloud", strlen("云服务器 cloud") };
	int rc;

	b.len = 0;
	if ((rc = dts_model_trainer_new(&t, NULL)) < 0)
		return rc;
	for (size_t i = 0; i < sizeof(recs) / sizeof(recs[0]); i++) {
		dts_value v = { DTS_F_DESCRIPTION, recs[i][0], strlen(recs[i][0]) };

		if ((rc = dts_model_trainer_add(t, &v, 1, recs[i][1])) < 0)
			goto done;
	}
	if ((rc = dts_model_trainer_write(t, model_wcb, &b)) != 0)
		goto done;
	if ((rc = dts_model_load_buffer(&m, "alloc.model", b.p, b.len)) < 0)
		goto done;
	if ((rc = dts_model_predict(&p, m, &q, 1)) < 0)
		goto done;
	put("model %zu bytes, %zu features: %s %.3f\n", b.len, dts_model_feature_count(m),
	    p.cls[0], p.prob[0]);
done:
	dts_model_free(m);
	dts_model_trainer_free(t);
	return rc < 0 ? rc : 0;
}

static const struct scenario {
	const char *name;
	int (*run)(void);
	int needs_rules;
} scenarios[] = {
	{ "rules-buffer", sc_rules_buffer, 0 },
	{ "rules-schema", sc_rules_schema, 0 },
	{ "rules-file", sc_rules_file, 0 },
	{ "lint-test", sc_lint, 1 },
	{ "classify-explain", sc_classify, 1 },
	{ "model-train-load-predict", sc_model, 0 },
	{ "csv-classify", sc_csv_utf8, 1 },
	{ "csv-small-blocks", sc_csv_small_blocks, 0 },
	{ "csv-gb18030", sc_csv_gb18030, 1 },
	{ "csv-file", sc_csv_file, 0 },
	{ "ceb-buffer", sc_ceb_buffer, 0 },
	{ "ceb-file", sc_ceb_file, 0 },
	{ "ceb-broken", sc_ceb_broken, 0 },
	{ "cube-merge-partial", sc_cube, 0 },
	{ "cube-top", sc_cube_top, 0 },
	{ "cube-load-partial", sc_cube_load, 0 },
	{ "rates", sc_rates, 0 },
	{ "rates-load", sc_rates_load, 0 },
	{ "source-csv", sc_source_csv, 1 },
	{ "source-ceb", sc_source_ceb, 1 },
	{ "batch-csv-rejects", sc_batch, 1 },
	{ "batch-ceb-jsonl", sc_batch_jsonl, 1 },
	{ "table-writers", sc_table, 0 },
	{ "report", sc_report, 0 },
	{ "report-periods", sc_report_periods, 0 },
	{ "report-periods-ytd", sc_report_periods_ytd, 0 },
	{ "report-periods-page", sc_report_periods_page, 0 },
	{ "standard-md", sc_standard_md, 0 },
	{ "standard-html", sc_standard_html, 0 },
	{ "standard-csv", sc_standard_csv, 0 },
	{ "definitions", sc_definitions, 0 },
	{ "rules-diff", sc_diff, 1 },
	{ "gen", sc_gen, 0 },
	{ "aggregate", sc_aggregate, 1 },
	{ "reconcile-records", sc_reconcile, 1 },
	{ "reconcile-totals", sc_totals, 0 },
	{ "reconcile-cbec", sc_cbec, 0 },
	{ "explain-text", sc_explain_text, 1 },
	{ "diff-text", sc_diff_text, 1 },
	{ "reconcile-files", sc_recon_files, 1 },
	{ "aggregate-partial", sc_agg_partial, 0 },
	{ "sdmx-structure", sc_sdmx_structure, 0 },
	{ "aggregate-vintage", sc_agg_vintage, 0 },
	{ "binding-report", sc_binding_report, 1 },
};

/* ---- the loop ------------------------------------------------------------ */

static char ref[sizeof(out)];
static size_t reflen;

static int run_once(const struct scenario *s, unsigned long fail_at, int *rc)
{
	long live0;

	/* libxml2 keeps the thread's last error, message and all, until the
	 * next one: not a block of the run */
	xmlResetLastError();
	live0 = hook.live;

	outlen = 0;
	out[0] = '\0';
	dts_error_clear();
	hook.count = 0;
	hook.hit = 0;
	hook.fail_at = fail_at;
	hook.counting = 1;
	*rc = s->run();
	hook.counting = 0;
	xmlResetLastError();
	return (int)(hook.live - live0);
}

static void where(void)
{
	fflush(stdout);
	backtrace_symbols_fd(hook.frames, hook.depth, STDOUT_FILENO);
}

/* LeakSanitizer, when the test runs under it (b_sanitize=address). */
extern int __lsan_do_recoverable_leak_check(void) __attribute__((weak));

/* The failed call was libxml2's (xmlMemSetup hooks), not ours or PCRE2's. */
static int in_libxml2(void)
{
	return !strncmp(hook.what, "xml", 3);
}

/* Output lines differ only where a record is rejected on both sides (the
 * reason libxml2 gives may be lost: "malformed XML: ?"). */
static int only_reasons_differ(const char *a, const char *b)
{
	while (*a && *b) {
		const char *ea = strchr(a, '\n'), *eb = strchr(b, '\n');
		size_t la = ea ? (size_t)(ea - a) : strlen(a);
		size_t lb = eb ? (size_t)(eb - b) : strlen(b);

		if ((la != lb || memcmp(a, b, la)) &&
		    (!memmem(a, la, " rejected: ", 11) || !memmem(b, lb, " rejected: ", 11)))
			return 0;
		a += la + (ea != NULL);
		b += lb + (eb != NULL);
	}
	return !*a && !*b;
}

/* s with every XML character reference &#xH; written as UTF-8, into d. */
static size_t decode_refs(char *d, size_t cap, const char *s)
{
	size_t n = 0;

	while (*s && n + 5 < cap) {
		unsigned long c;
		char *end;

		if (s[0] == '&' && s[1] == '#' && s[2] == 'x' &&
		    (c = strtoul(s + 3, &end, 16)) > 0 && *end == ';' && c < 0x110000) {
			if (c < 0x80) {
				d[n++] = (char)c;
			} else if (c < 0x800) {
				d[n++] = (char)(0xC0 | c >> 6);
				d[n++] = (char)(0x80 | (c & 0x3F));
			} else if (c < 0x10000) {
				d[n++] = (char)(0xE0 | c >> 12);
				d[n++] = (char)(0x80 | ((c >> 6) & 0x3F));
				d[n++] = (char)(0x80 | (c & 0x3F));
			} else {
				d[n++] = (char)(0xF0 | c >> 18);
				d[n++] = (char)(0x80 | ((c >> 12) & 0x3F));
				d[n++] = (char)(0x80 | ((c >> 6) & 0x3F));
				d[n++] = (char)(0x80 | (c & 0x3F));
			}
			s = end + 1;
		} else {
			d[n++] = *s++;
		}
	}
	d[n] = '\0';
	return n;
}

/* The same XML text, but for characters libxml2's writer wrote as character
 * references (it does when it cannot get its encoding buffer). */
static int same_but_refs(const char *a, const char *b)
{
	static char da[sizeof(out)], db[sizeof(out)];
	size_t la = decode_refs(da, sizeof(da), a), lb = decode_refs(db, sizeof(db), b);

	return la == lb && !memcmp(da, db, la);
}

/*
 * libxml2 2.9 does not always say that it ran out of memory: a failed
 * allocation can come back as another parse error ("xmlns: ... is not a
 * valid URI", a lost namespace), or a block it keeps for later. For a
 * failure injected into libxml2 the test therefore asks only what the
 * library can promise on top of it: no crash, no leak LeakSanitizer finds,
 * and never a silent success with another result: an error, or the same
 * output (or the same XML but for characters its writer wrote as character
 * references), or the input reported as rejected. Those that come back as
 * another error are counted ("libxml2 misreported") and shown with -v.
 */
/*
 * Distinct mode (-d, the sanitizer and coverage builds): an allocation is
 * failed when it is among the first EXHAUSTIVE of its scenario, or when its
 * call stack has been failed fewer than PER_SITE times before. A scenario
 * that writes 5,000 rows fails the first rows' allocations and each code
 * path's, not every row's: the error paths and the cleanup of a partly
 * filled structure (the second occurrence) are all taken, at a fraction of
 * the cost, which grows with the square of a scenario's allocations. The
 * plain build's run stays exhaustive.
 */
#define EXHAUSTIVE 256
#define PER_SITE 2
static int distinct;
static unsigned long *sites;
static unsigned long nsites;

struct seen { unsigned long site; unsigned times; };

/* 1 when allocation n (1-based) of the reference run is to be failed. */
static int wanted(unsigned long n, struct seen *tab, size_t cap)
{
	size_t i;

	if (!distinct || n <= EXHAUSTIVE || n > nsites)
		return 1;
	i = (size_t)(sites[n - 1] * 0x9E3779B97F4A7C15ull) & (cap - 1);
	while (tab[i].times && tab[i].site != sites[n - 1])
		i = (i + 1) & (cap - 1);
	tab[i].site = sites[n - 1];
	return tab[i].times++ < PER_SITE;
}

/* The reference run (nothing failed), its call stacks kept in distinct mode. */
static int run_reference(const struct scenario *s, int *rc)
{
	int leaked;

	if (distinct) {
		/* a first run to size the table, a second to fill it */
		(void)run_once(s, 0, rc);
		free(sites);
		nsites = hook.count;
		sites = calloc(nsites ? nsites : 1, sizeof(*sites));
		if (!sites)
			abort();
		hook.sites = sites;
		hook.nsites_cap = nsites;
	}
	leaked = run_once(s, 0, rc);
	hook.sites = NULL;
	return leaked;
}

static int run_scenario(const struct scenario *s, int verbose)
{
	unsigned long n, points, tried = 0, absorbed = 0, misreported = 0, xml_held = 0;
	int rc, leaked, bad = 0;
	char msg[1200];
	struct seen *tab;
	size_t cap = 1;

	leaked = run_reference(s, &rc);
	if (rc < 0) {
		printf("FAIL %s: fails without any injected failure: %s\n", s->name,
		       dts_error_format(msg, sizeof(msg)));
		return 1;
	}
	if (leaked) {
		printf("FAIL %s: %d blocks not freed without any injected failure\n",
		       s->name, leaked);
		return 1;
	}
	points = hook.count;
	memcpy(ref, out, outlen + 1);
	reflen = outlen;
	while (cap < 2 * points)
		cap <<= 1;
	tab = calloc(cap, sizeof(*tab));
	if (!tab)
		abort();
	for (n = 1;; n++) {
		const dts_error *e;
		int xml, same;

		if (!wanted(n, tab, cap))
			continue;
		leaked = run_once(s, n, &rc);
		if (!hook.hit)
			break;
		tried++;
		e = dts_error_last();
		xml = in_libxml2();
		same = outlen == reflen && memcmp(out, ref, reflen) == 0;
		if (leaked && xml) {
			/* held by libxml2 or lost: LeakSanitizer can tell */
			if (__lsan_do_recoverable_leak_check &&
			    __lsan_do_recoverable_leak_check()) {
				printf("FAIL %s: allocation %lu (%s) failing leaks "
				       "(LeakSanitizer above)\n", s->name, n, hook.what);
				where();
				bad++;
			} else {
				xml_held++;
			}
		} else if (leaked) {
			printf("FAIL %s: allocation %lu (%s) failing leaks %d blocks (rc %d)\n",
			       s->name, n, hook.what, leaked, rc);
			where();
			bad++;
		}
		if (rc == 0 && (same || (xml && same_but_refs(out, ref)))) {
			absorbed++;
		} else if (rc == 0 && xml && ((strstr(out, "rejected") &&
			   !strstr(ref, "rejected")) || only_reasons_differ(out, ref))) {
			misreported++;
			if (verbose)
				printf("note %s: allocation %lu (%s) failing: libxml2 "
				       "reports a malformed input:\n%s", s->name, n,
				       hook.what, out);
		} else if (rc == 0) {
			printf("FAIL %s: allocation %lu (%s) failing gives success "
			       "with a different output:\n%s--- expected:\n%s",
			       s->name, n, hook.what, out, ref);
			where();
			bad++;
		} else if (rc == DTS_ENOMEM && e && e->code == DTS_ENOMEM) {
			;
		} else if (xml && rc < 0 && rc > DTS_EUSER && e && e->code == rc) {
			misreported++;
			if (verbose)
				printf("note %s: allocation %lu (%s) failing: libxml2 "
				       "reports %s: %s\n", s->name, n, hook.what,
				       dts_strerror(rc), dts_error_format(msg, sizeof(msg)));
		} else {
			printf("FAIL %s: allocation %lu (%s) failing returns %d (%s), "
			       "error %d: %s\n", s->name, n, hook.what, rc,
			       dts_strerror(rc), e ? e->code : 0,
			       dts_error_format(msg, sizeof(msg)));
			where();
			bad++;
		}
		if (bad >= 20) {
			printf("FAIL %s: stopping after 20 failures\n", s->name);
			break;
		}
	}
	free(tab);
	if (verbose || bad)
		printf("%s %s: %lu allocation points, %lu failed, %lu absorbed, %lu "
		       "misreported by libxml2, %lu held by libxml2, %d wrong\n",
		       bad ? "FAIL" : "ok  ", s->name, points, tried, absorbed,
		       misreported, xml_held, bad);
	return bad != 0;
}

int main(int argc, char **argv)
{
	int verbose = 0, xml = 1, failed = 0, ran = 0;
	char **only = NULL;
	int nonly = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: test_alloc SRCDIR [-v] [-x] [-d] [SCENARIO...]\n");
		return 2;
	}
	srcdir = argv[1];
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "-v") == 0)
			verbose = 1;
		else if (strcmp(argv[i], "-x") == 0)
			xml = 0;
		else if (strcmp(argv[i], "-d") == 0)
			distinct = 1;
		else if (!only) {
			only = argv + i;
			nonly = argc - i;
			break;
		}
	}
	hook_install(xml);
	setvbuf(stdout, NULL, _IOLBF, 0);

	ceb_xml = slurp("examples/ceb621-sample.xml", &ceb_len);
	annex_csv = slurp("indicators/hangzhou-annex.csv", &annex_len);
	targets_csv = slurp("indicators/hangzhou-targets.csv", &targets_len);
	reported_csv = slurp("examples/reported-2025.csv", &reported_len);
	make_report_cube();
	make_month_cube();
	make_recon_inputs();
	/* GB18030 for 中文: D6 D0 CE C4. */
	{
		static const char gb[] =
			"id,description,value\n1,\xd6\xd0\xce\xc4 cloud hosting,1\n"
			"2,plain,2\n3,\xd6\xd0,3\n";
		csv_gb = (char *)gb;
		csv_gb_len = sizeof(gb) - 1;
	}
	snprintf(ceb_path, sizeof(ceb_path), "%s/examples/ceb603-sample.xml", srcdir);
	snprintf(rules_path, sizeof(rules_path), "%s/tests/data/rules/good.xml", srcdir);
	snprintf(csv_path, sizeof(csv_path), "%s/examples/reconcile-left.csv", srcdir);
	snprintf(rates_path, sizeof(rates_path), "%s/examples/rates-2024-2025.csv", srcdir);
	snprintf(part_path, sizeof(part_path), "%s/tests/alloc/small.part", srcdir);
	snprintf(left_path, sizeof(left_path), "%s/examples/reconcile-left.csv", srcdir);
	snprintf(right_path, sizeof(right_path), "%s/examples/reconcile-right.csv", srcdir);

	{
		dts_rules_options o = DTS_RULES_OPTIONS_INIT;

		o.flags |= DTS_RULES_NO_SCHEMA;
		if (dts_rules_compile_buffer(&rules, "alloc.xml", NULL, rules_xml,
					     sizeof(rules_xml) - 1, &o) < 0) {
			char msg[1200];

			fprintf(stderr, "test_alloc: %s\n", dts_error_format(msg, sizeof(msg)));
			return 2;
		}
	}
	{
		/* the same rules with the software rule above the cloud one */
		static char xml2[sizeof(rules_xml) + 64];
		dts_rules_options o = DTS_RULES_OPTIONS_INIT;
		const char *p = strstr(rules_xml, "priority=\"40\"");
		size_t at = (size_t)(p - rules_xml);

		memcpy(xml2, rules_xml, at);
		snprintf(xml2 + at, sizeof(xml2) - at, "priority=\"60\"%s", p + 13);
		o.flags |= DTS_RULES_NO_SCHEMA;
		if (dts_rules_compile_buffer(&rules2, "alloc2.xml", NULL, xml2,
					     strlen(xml2), &o) < 0)
			return 2;
	}
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		const struct scenario *s = &scenarios[i];
		int want = !only;

		for (int j = 0; j < nonly; j++)
			want |= strcmp(only[j], s->name) == 0;
		if (!want)
			continue;
		ran++;
		/* Warm up once: process-wide first uses (libxml2's globals). */
		hook.counting = 0;
		(void)s->run();
		failed += run_scenario(s, verbose);
	}
	dts_rules_free(rules);
	dts_rules_free(rules2);
	dts_cube_free(report_cube);
	dts_cube_free(month_cube);
	free_recon_inputs();
	free(ceb_xml);
	free(annex_csv);
	free(targets_csv);
	free(reported_csv);
	free(sites);
	printf("alloc-fail: %d scenarios, %d failed%s\n", ran, failed,
	       distinct ? " (distinct call stacks: -d)" : "");
	return failed ? 1 : 0;
}
