/*
 * driver.c — the API-level test driver (curl's libtest): reads a case file of
 * commands (tests/api/README) and prints what the public library gives, through
 * the installed headers and the shared library's exports alone (no tool code,
 * no internal header). Each command line is echoed as "> LINE", then its
 * results; a failing call prints "error NAME: message" and the case goes on.
 *
 * Usage: driver CASEFILE   (paths in the case are relative to the current
 * directory: tests/api/run.sh runs it from the source root)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dts.h>

#define MAXTOK 64
#define MAXCUBES 4

static dts_rules *rules;
static dts_scanner *scanner;
static dts_rates *rates;
static dts_cube *cubes[MAXCUBES];
static int ncubes;
static dts_rules_options ropts = DTS_RULES_OPTIONS_INIT;
static char currency[8] = "CNY";
static int decimals = 2;

static const char *code_name(int rc)
{
	static const char *const names[] = { "OK", "ERROR", "ENOMEM", "EINVAL",
		"ENOTFOUND", "EIO", "ESYNTAX", "EINPUT", "ELIMIT", "EOVERFLOW",
		"EEXISTS", "ETEST" };

	return rc <= 0 && rc > -12 ? names[-rc] : "?";
}

static void print_error(int rc)
{
	char msg[2048];

	dts_error_format(msg, sizeof(msg));
	printf("error %s: %s\n", code_name(rc), msg[0] ? msg : "(no message)");
}

/* Split a line into words: blanks separate, "..." quotes (\" and \\ inside). */
static int tokenize(char *line, char **tok)
{
	int n = 0;
	char *p = line, *w;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || n == MAXTOK)
			return n;
		tok[n++] = w = p;
		while (*p && *p != ' ' && *p != '\t') {
			if (*p == '"') {
				for (p++; *p && *p != '"'; p++) {
					if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
						p++;
					*w++ = *p;
				}
				if (*p)
					p++;
			} else {
				*w++ = *p++;
			}
		}
		if (*p)
			p++;
		*w = '\0';
	}
}

/* FIELD=VALUE words into values; 0 on success. */
static int values_of(dts_value *v, size_t *n, char **tok, int ntok)
{
	*n = 0;
	for (int i = 0; i < ntok; i++) {
		char *eq = strchr(tok[i], '=');
		int f;

		if (!eq) {
			printf("bad word '%s': write FIELD=VALUE\n", tok[i]);
			return -1;
		}
		*eq = '\0';
		if ((f = dts_field_lookup(tok[i])) < 0)
			f = dts_field_alias(tok[i], strlen(tok[i]));
		if (f < 0) {
			printf("unknown field '%s'\n", tok[i]);
			return -1;
		}
		v[*n].field = f;
		v[*n].data = eq + 1;
		v[*n].len = strlen(eq + 1);
		(*n)++;
	}
	return 0;
}

static void print_result(const dts_result *r)
{
	printf("%s rule=%s base=%s ordered=%u delivered=%u platform=%u\n",
	       r->category, r->rule[0] ? r->rule : "-",
	       r->base ? dts_base_name(r->base) : "-", r->ordered, r->delivered,
	       r->platform);
}

static int need_rules(void)
{
	if (rules)
		return 0;
	printf("no rules: use 'rules FILE...' first\n");
	return -1;
}

static void cmd_rules(char **tok, int n)
{
	dts_rules *r = NULL;
	int rc;

	rc = dts_rules_compile(&r, (const char *const *)tok, (size_t)n, &ropts);
	if (rc < 0) {
		print_error(rc);
		return;
	}
	dts_scanner_free(scanner);
	scanner = NULL;
	dts_rules_free(rules);
	rules = r;
	if ((rc = dts_scanner_new(&scanner, rules, 0)) < 0) {
		print_error(rc);
		return;
	}
	printf("rules %s %s: %zu rules, %zu categories\n", dts_rules_id(rules),
	       dts_rules_version(rules), dts_rules_count(rules),
	       dts_rules_category_count(rules));
}

static void cmd_classify(char **tok, int n)
{
	dts_value v[MAXTOK];
	dts_result res;
	size_t nv;
	int rc;

	if (need_rules() < 0 || values_of(v, &nv, tok, n) < 0)
		return;
	rc = dts_scanner_classify(&res, scanner, v, nv);
	if (rc < 0)
		print_error(rc);
	print_result(&res);
}

static int on_match(const dts_match *m, void *p)
{
	(void)p;
	printf("%s %s -> %s priority %d %s:%u\n    %s\n", m->winner ? "*" : " ",
	       m->rule, m->category, m->priority, m->file, m->line, m->why);
	return 0;
}

static void cmd_explain(char **tok, int n)
{
	dts_value v[MAXTOK];
	dts_result res;
	size_t nv;
	int rc;

	if (need_rules() < 0 || values_of(v, &nv, tok, n) < 0)
		return;
	rc = dts_scanner_explain(&res, scanner, v, nv, on_match, NULL);
	if (rc < 0)
		print_error(rc);
	print_result(&res);
}

static void cmd_check(char **tok, int n)
{
	dts_value v[MAXTOK];
	size_t nv;
	int rc;

	if (values_of(v, &nv, tok, n) < 0)
		return;
	rc = dts_record_check(v, nv);
	if (rc < 0)
		print_error(rc);
	else
		printf("ok\n");
}

static int on_lint(const dts_lint *l, void *p)
{
	(void)p;
	printf("%s:%u: %s\n", l->file, l->line, l->message);
	return 0;
}

static int on_example(const dts_example_failure *f, void *p)
{
	(void)p;
	printf("%s:%u: rule %s expected %s got %s (%s): %s\n", f->file, f->line,
	       f->rule, f->expected, f->got, f->got_rule[0] ? f->got_rule : "-",
	       f->record);
	return 0;
}

static void cmd_lint(void)
{
	size_t total = 0, failed = 0;
	int rc;

	if (need_rules() < 0)
		return;
	if ((rc = dts_rules_lint(rules, on_lint, NULL)) < 0)
		print_error(rc);
	rc = dts_rules_test(&total, &failed, rules, on_example, NULL);
	if (rc < 0 && rc != DTS_ETEST)
		print_error(rc);
	printf("examples: %zu, %zu failed\n", total, failed);
}

/* ---- aggregation: the keys of a record for the current cube ------------ */

static dts_cube *cube(void)
{
	if (ncubes)
		return cubes[ncubes - 1];
	printf("no cube: use 'cube DIMS' first\n");
	return NULL;
}

static const dts_value *field_value(const dts_value *v, size_t n, int f)
{
	const dts_value *found = NULL;

	for (size_t i = 0; i < n; i++)
		if (v[i].field == f)
			found = &v[i];
	return found;
}

static char why[512];

/* The key of dimension `dim` for a record; 0, or -1 with the reason in why. */
static int dim_key(char *buf, size_t size, const char *dim, const dts_value *v,
		   size_t n, const dts_result *res)
{
	const dts_value *x;

	if (!strncmp(dim, "period:", 7)) {
		dts_period p;
		int level = dts_period_level_parse(dim + 7), rc;

		x = field_value(v, n, DTS_F_PERIOD);
		if (!x || dts_period_parse(&p, x->data, x->len) < 0 ||
		    (rc = dts_period_key(buf, size, &p, (dts_period_level)level)) < 0) {
			snprintf(why, sizeof(why), "period '%.*s' gives no %s key",
				 x ? (int)x->len : 0, x ? x->data : "", dim + 7);
			return -1;
		}
		return 0;
	}
	if (!strcmp(dim, "flow")) {
		int fl;

		x = field_value(v, n, DTS_F_FLOW);
		fl = x ? dts_flow_parse(x->data, x->len) : 0;
		if (!fl) {
			snprintf(why, sizeof(why), "flow '%.*s' is neither import nor export",
				 x ? (int)x->len : 0, x ? x->data : "");
			return -1;
		}
		snprintf(buf, size, "%c", fl);
		return 0;
	}
	if (!strcmp(dim, "category:leaf") || !strcmp(dim, "category:top")) {
		size_t len = strcspn(res->category, dim[9] == 't' ? "." : "");

		snprintf(buf, size, "%.*s", (int)len, res->category);
		return 0;
	}
	if (!strcmp(dim, "base")) {
		snprintf(buf, size, "%s", res->base ? dts_base_name(res->base) : "unknown");
		return 0;
	}
	{
		int f = dts_field_lookup(dim);

		x = f >= 0 ? field_value(v, n, f) : NULL;
		snprintf(buf, size, "%.*s", x ? (int)x->len : 0, x ? x->data : "");
	}
	return 0;
}

/* Classify one record and add it to the current cube. */
static int aggregate_one(dts_cube *c, const dts_value *v, size_t n, const char *where)
{
	char keybuf[16][256];
	const char *keys[16];
	size_t nd = dts_cube_ndims(c);
	const dts_value *val, *cur, *ent;
	dts_result res;
	dts_money money = 0;
	dts_rate rate = DTS_RATE_ONE;
	int rc;

	if ((rc = dts_record_check(v, n)) < 0 ||
	    (rc = dts_scanner_classify(&res, scanner, v, n)) < 0) {
		printf("%s rejected: ", where);
		print_error(rc);
		return 0;
	}
	for (size_t d = 0; d < nd && d < 16; d++) {
		if (dim_key(keybuf[d], sizeof(keybuf[d]), dts_cube_dim(c, d), v, n, &res) < 0) {
			printf("%s rejected: %s\n", where, why);
			return 0;
		}
		keys[d] = keybuf[d];
	}
	if ((val = field_value(v, n, DTS_F_VALUE)) &&
	    (rc = dts_money_parse(&money, val->data, val->len)) < 0) {
		printf("%s rejected: ", where);
		print_error(rc);
		return 0;
	}
	cur = field_value(v, n, DTS_F_CURRENCY);
	if (cur && cur->len) {
		char iso[4];
		dts_period p;
		const dts_value *pv = field_value(v, n, DTS_F_PERIOD);

		if ((rc = dts_currency_normalize(iso, cur->data, cur->len)) < 0) {
			printf("%s rejected: ", where);
			print_error(rc);
			return 0;
		}
		if (strcmp(iso, dts_cube_currency(c))) {
			if (!rates || !pv || dts_period_parse(&p, pv->data, pv->len) < 0 ||
			    (rc = dts_rates_lookup(&rate, rates, &p, iso)) < 0) {
				printf("%s rejected: no rate for %s\n", where, iso);
				return 0;
			}
		}
	}
	ent = field_value(v, n, DTS_F_ENTERPRISE_ID);
	if ((rc = dts_cube_add(c, keys, money, rate, ent ? ent->data : NULL)) < 0) {
		printf("%s rejected: ", where);
		print_error(rc);
	}
	return rc == DTS_ENOMEM || rc == DTS_EOVERFLOW ? rc : 0;
}

/* ---- readers --------------------------------------------------------------- */

static void cmd_csv(char **tok, int n)
{
	dts_csv_options o = DTS_CSV_OPTIONS_INIT;
	const char *map[MAXTOK];
	const char *const *names;
	size_t nmap = 0, ncols;
	int mode = 0; /* 0 print rows, 1 classify, 2 aggregate */
	dts_binding *b = NULL;
	dts_csv *csv = NULL;
	dts_csv_row row;
	dts_cube *c = NULL;
	int rc;

	for (int i = 1; i < n; i++) {
		if (!strncmp(tok[i], "encoding=", 9))
			o.encoding = tok[i] + 9;
		else if (!strncmp(tok[i], "sep=", 4))
			o.separator = !strcmp(tok[i] + 4, "tab") ? '\t' : tok[i][4];
		else if (!strncmp(tok[i], "block=", 6))
			o.block_size = (size_t)atol(tok[i] + 6);
		else if (!strncmp(tok[i], "map=", 4))
			map[nmap++] = tok[i] + 4;
		else if (!strcmp(tok[i], "classify"))
			mode = 1;
		else if (!strcmp(tok[i], "aggregate"))
			mode = 2;
		else {
			printf("unknown csv option '%s'\n", tok[i]);
			return;
		}
	}
	if (mode && need_rules() < 0)
		return;
	if (mode == 2 && !(c = cube()))
		return;
	if ((rc = dts_csv_open_file(&csv, tok[0], &o)) < 0) {
		print_error(rc);
		return;
	}
	ncols = dts_csv_header(csv, &names);
	printf("header:");
	for (size_t i = 0; i < ncols; i++)
		printf(" %s", names[i]);
	printf("\n");
	if ((rc = dts_binding_new(&b, names, ncols, map, nmap)) < 0) {
		print_error(rc);
		goto done;
	}
	while ((rc = dts_csv_next(&row, csv)) != 0) {
		char where[64];
		dts_value v[DTS_F_COUNT];
		size_t nv;
		dts_result res;

		snprintf(where, sizeof(where), "line %llu", (unsigned long long)row.line);
		if (rc == DTS_EINPUT) {
			printf("%s rejected: %s (column %zu)\n", where, row.error, row.column);
			continue;
		}
		if (rc < 0) {
			print_error(rc);
			break;
		}
		if (mode == 0) {
			printf("%s:", where);
			for (size_t i = 0; i < row.nfields; i++)
				printf("%s%s", i ? "|" : " ", row.fields[i]);
			printf("\n");
			continue;
		}
		nv = dts_binding_values(v, b, row.fields, row.lens, row.nfields);
		if (mode == 2) {
			if (aggregate_one(c, v, nv, where) < 0)
				break;
			continue;
		}
		if ((rc = dts_record_check(v, nv)) < 0) {
			printf("%s rejected: ", where);
			print_error(rc);
			continue;
		}
		rc = dts_scanner_classify_row(&res, scanner, b, row.fields, row.lens,
					      row.nfields);
		printf("%s: ", where);
		if (rc < 0) {
			printf("rejected: ");
			print_error(rc);
			continue;
		}
		print_result(&res);
	}
done:
	dts_binding_free(b);
	dts_csv_free(csv);
}

static void cmd_ceb(char **tok, int n)
{
	dts_ceb *ceb = NULL;
	dts_ceb_record rec;
	int mode = 0, rc;
	dts_cube *c = NULL;

	if (n > 1 && !strcmp(tok[1], "aggregate"))
		mode = 2;
	else if (n > 1 && !strcmp(tok[1], "classify"))
		mode = 1;
	if (mode && need_rules() < 0)
		return;
	if (mode == 2 && !(c = cube()))
		return;
	if ((rc = dts_ceb_open_file(&ceb, tok[0], NULL)) < 0) {
		print_error(rc);
		return;
	}
	while ((rc = dts_ceb_next(&rec, ceb)) != 0) {
		char where[64];
		dts_result res;

		snprintf(where, sizeof(where), "record %llu line %llu",
			 (unsigned long long)rec.record, (unsigned long long)rec.line);
		if (rc == DTS_EINPUT) {
			printf("%s rejected: %s\n", where, rec.error);
			continue;
		}
		if (rc < 0) {
			print_error(rc);
			break;
		}
		if (mode == 2) {
			if (aggregate_one(c, rec.fields, rec.nfields, where) < 0)
				break;
			continue;
		}
		printf("%s: %s %s", where, rec.message, rec.entity);
		for (size_t i = 0; i < rec.nfields; i++)
			printf(" %s=%s", dts_field_name(rec.fields[i].field),
			       rec.fields[i].data);
		printf("\n");
		if (mode == 1) {
			rc = dts_scanner_classify(&res, scanner, rec.fields, rec.nfields);
			if (rc < 0)
				print_error(rc);
			printf("  ");
			print_result(&res);
		}
	}
	dts_ceb_free(ceb);
}

/* ---- cubes ------------------------------------------------------------------ */

static void cmd_cube(char **tok, int n)
{
	const char *dims[16];
	char buf[512];
	size_t nd = 0;
	dts_cube *c = NULL;
	int rc;

	if (ncubes == MAXCUBES) {
		printf("too many cubes\n");
		return;
	}
	snprintf(buf, sizeof(buf), "%s", tok[0]);
	for (char *p = strtok(buf, ","); p && nd < 16; p = strtok(NULL, ","))
		dims[nd++] = p;
	if ((rc = dts_cube_new(&c, dims, nd, n > 1 ? tok[1] : currency)) < 0) {
		print_error(rc);
		return;
	}
	cubes[ncubes++] = c;
	printf("cube %d: %zu dimensions, currency %s\n", ncubes, dts_cube_ndims(c),
	       dts_cube_currency(c));
}

static void cmd_add(char **tok, int n)
{
	dts_cube *c = cube();
	char buf[1024];
	const char *keys[16];
	size_t nk = 0;
	dts_money m;
	dts_rate rate = DTS_RATE_ONE;
	int rc;

	if (!c)
		return;
	if (n < 2) {
		printf("add KEY|KEY... VALUE [ENTERPRISE] [rate=R]\n");
		return;
	}
	snprintf(buf, sizeof(buf), "%s", tok[0]);
	keys[nk++] = buf;
	for (char *p = buf; *p && nk < 16; p++)
		if (*p == '|') {
			*p = '\0';
			keys[nk++] = p + 1;
		}
	if (nk != dts_cube_ndims(c)) {
		printf("%zu keys for %zu dimensions\n", nk, dts_cube_ndims(c));
		return;
	}
	if ((rc = dts_money_parse(&m, tok[1], strlen(tok[1]))) < 0) {
		print_error(rc);
		return;
	}
	for (int i = 3; i < n; i++)
		if (!strncmp(tok[i], "rate=", 5) &&
		    (rc = dts_rate_parse(&rate, tok[i] + 5, strlen(tok[i] + 5))) < 0) {
			print_error(rc);
			return;
		}
	if ((rc = dts_cube_add(c, keys, m, rate, n > 2 && strncmp(tok[2], "rate=", 5) ?
			       tok[2] : NULL)) < 0)
		print_error(rc);
}

static int on_cell(const dts_cube_cell *cell, void *p)
{
	char v[80];

	(void)p;
	dts_amount_format(v, sizeof(v), &cell->value, 0, decimals);
	for (size_t i = 0; i < cell->nkeys; i++)
		printf("%s%s", i ? "|" : "", cell->keys[i]);
	printf("  records %llu  value %s  enterprises %llu\n",
	       (unsigned long long)cell->records, v,
	       (unsigned long long)cell->enterprises);
	return 0;
}

static void cmd_cells(void)
{
	dts_cube *c = cube();
	int rc;

	if (!c)
		return;
	printf("%zu cells\n", dts_cube_count(c));
	if ((rc = dts_cube_foreach(c, on_cell, NULL)) < 0)
		print_error(rc);
}

static void cmd_lookup(char **tok, int n)
{
	dts_cube *c = cube();
	char buf[1024];
	const char *keys[16];
	size_t nk = 0;
	dts_cube_cell cell;
	int rc;

	if (!c || n < 1)
		return;
	snprintf(buf, sizeof(buf), "%s", tok[0]);
	keys[nk++] = buf;
	for (char *p = buf; *p && nk < 16; p++)
		if (*p == '|') {
			*p = '\0';
			keys[nk++] = p + 1;
		}
	if (nk != dts_cube_ndims(c)) {
		printf("%zu keys for %zu dimensions\n", nk, dts_cube_ndims(c));
		return;
	}
	if ((rc = dts_cube_lookup(&cell, c, keys)) < 0)
		print_error(rc);
	else
		on_cell(&cell, NULL);
}

/* Write the partial into memory, print it, read it back in place of the cube. */
static void cmd_partial(int print, int reload)
{
	dts_cube *c = cube(), *back = NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int rc;

	if (!c)
		return;
	if (!(f = open_memstream(&buf, &len))) {
		printf("open_memstream failed\n");
		return;
	}
	rc = dts_cube_write_partial(c, f);
	fclose(f);
	if (rc < 0) {
		print_error(rc);
		free(buf);
		return;
	}
	if (print)
		fwrite(buf, 1, len, stdout);
	if (reload) {
		if ((rc = dts_cube_read_partial(&back, "memory.part", buf, len)) < 0) {
			print_error(rc);
		} else {
			dts_cube_free(c);
			cubes[ncubes - 1] = back;
			printf("read back: %zu cells, currency %s\n", dts_cube_count(back),
			       dts_cube_currency(back));
		}
	}
	free(buf);
}

static void cmd_load(char **tok)
{
	dts_cube *c = NULL;
	int rc;

	if (ncubes == MAXCUBES) {
		printf("too many cubes\n");
		return;
	}
	if ((rc = dts_cube_load_partial(&c, tok[0])) < 0) {
		print_error(rc);
		return;
	}
	cubes[ncubes++] = c;
	printf("cube %d: %zu cells, %zu dimensions, currency %s\n", ncubes,
	       dts_cube_count(c), dts_cube_ndims(c), dts_cube_currency(c));
}

/* Merge the current cube into the one before it, and drop it. */
static void cmd_merge(void)
{
	int rc;

	if (ncubes < 2) {
		printf("merge needs two cubes\n");
		return;
	}
	if ((rc = dts_cube_merge(cubes[ncubes - 2], cubes[ncubes - 1])) < 0)
		print_error(rc);
	else
		printf("merged into cube %d: %zu cells\n", ncubes - 1,
		       dts_cube_count(cubes[ncubes - 2]));
	dts_cube_free(cubes[--ncubes]);
}

static void cmd_rates(char **tok)
{
	dts_rates *r = NULL;
	int rc;

	if ((rc = dts_rates_load(&r, tok[0])) < 0) {
		print_error(rc);
		return;
	}
	dts_rates_free(rates);
	rates = r;
	printf("rates: %zu\n", dts_rates_count(rates));
	if ((rc = dts_rates_check_reporting(rates, currency)) < 0)
		print_error(rc);
}

static void cmd_rate(char **tok, int n)
{
	dts_period p;
	dts_rate r = 0;
	char iso[4];
	int rc;

	if (!rates || n < 2) {
		printf("rate PERIOD CURRENCY, after 'rates FILE'\n");
		return;
	}
	if ((rc = dts_period_parse(&p, tok[0], strlen(tok[0]))) < 0 ||
	    (rc = dts_currency_normalize(iso, tok[1], strlen(tok[1]))) < 0 ||
	    (rc = dts_rates_lookup(&r, rates, &p, iso)) < 0) {
		print_error(rc);
		return;
	}
	printf("%s %s %lld.%010lld\n", tok[0], iso, (long long)(r / DTS_RATE_ONE),
	       (long long)(r % DTS_RATE_ONE));
}


/* ---- the whole data path: record source, batch, tables, report ------------ */

static void source_opts(dts_source_options *o, const char **map, char **tok, int n,
			int *classify, int *threads, int *flags, int *fmt, int *rejects)
{
	for (int i = 1; i < n; i++) {
		if (!strncmp(tok[i], "encoding=", 9))
			o->encoding = tok[i] + 9;
		else if (!strncmp(tok[i], "sep=", 4))
			o->separator = !strcmp(tok[i] + 4, "tab") ? '\t' : tok[i][4];
		else if (!strncmp(tok[i], "block=", 6))
			o->block_size = (size_t)atol(tok[i] + 6);
		else if (!strncmp(tok[i], "map=", 4))
			map[o->nmap++] = tok[i] + 4;
		else if (!strcmp(tok[i], "xml"))
			o->format = DTS_FORMAT_CEB_XML;
		else if (!strcmp(tok[i], "csv"))
			o->format = DTS_FORMAT_CSV;
		else if (classify && !strcmp(tok[i], "classify"))
			*classify = 1;
		else if (threads && !strncmp(tok[i], "threads=", 8))
			*threads = atoi(tok[i] + 8);
		else if (flags && !strcmp(tok[i], "explain"))
			*flags = 1;
		else if (fmt && !strcmp(tok[i], "jsonl"))
			*fmt = DTS_RECORDS_JSONL;
		else if (rejects && !strcmp(tok[i], "rejects"))
			*rejects = 1;
		else
			printf("unknown option '%s'\n", tok[i]);
	}
	o->map = map;
}

static void cmd_source(char **tok, int n)
{
	dts_source_options o = DTS_SOURCE_OPTIONS_INIT;
	const char *map[MAXTOK];
	const char *const *names;
	dts_source *src = NULL;
	dts_source_row row;
	dts_result res;
	int classify = 0, rc;
	size_t ncols;

	source_opts(&o, map, tok, n, &classify, NULL, NULL, NULL, NULL);
	if (classify && need_rules() < 0)
		return;
	if ((rc = dts_source_open(&src, tok[0], &o)) < 0) {
		print_error(rc);
		return;
	}
	ncols = dts_source_header(src, &names);
	printf("format %d, separator '%c':", (int)dts_source_format(src),
	       dts_source_separator(src) ? dts_source_separator(src) : '-');
	for (size_t i = 0; i < ncols; i++)
		printf(" %s", names[i]);
	printf("\n");
	while ((rc = dts_source_next(&row, src)) != 0) {
		if (rc == DTS_EINPUT) {
			printf("line %llu rejected by the reader: %s\n",
			       (unsigned long long)row.line, row.error);
			continue;
		}
		if (rc < 0) {
			print_error(rc);
			break;
		}
		if (!classify) {
			printf("line %llu:", (unsigned long long)row.line);
			for (size_t i = 0; i < row.ncols; i++)
				printf("%s%s", i ? "|" : " ", row.cols[i]);
			printf("\n");
			continue;
		}
		rc = dts_source_classify(&res, scanner, dts_source_binding(src),
					 row.cols, row.lens, row.ncols);
		printf("line %llu: ", (unsigned long long)row.line);
		if (rc < 0)
			print_error(rc);
		else
			print_result(&res);
	}
	dts_source_free(src);
}

static int on_item(const dts_batch_item *it, void *p)
{
	(void)p;
	if (it->result)
		printf("item %llu: %s top %s%s%s\n", (unsigned long long)it->line,
		       it->result->category, dts_category_top((size_t)(it->top)),
		       it->explain ? " because " : "", it->explain ? it->explain : "");
	else
		printf("item %llu rejected: %s [%.*s]\n", (unsigned long long)it->line,
		       it->reason, (int)it->raw_len, it->raw);
	return 0;
}

/* Records through dts_batch_run: the callback's lines, then the writers'. */
static void cmd_batch(char **tok, int n)
{
	dts_source_options o = DTS_SOURCE_OPTIONS_INIT;
	dts_batch_options bo = DTS_BATCH_OPTIONS_INIT;
	const char *map[MAXTOK];
	const char *const *names;
	dts_source *src = NULL;
	dts_batch *b = NULL;
	dts_records *w = NULL, *rej = NULL;
	dts_batch_stats st;
	int threads = 1, explain = 0, fmt = DTS_RECORDS_CSV, rejects = 0, rc;
	size_t ncols;

	source_opts(&o, map, tok, n, NULL, &threads, &explain, &fmt, &rejects);
	if (need_rules() < 0)
		return;
	bo.threads = threads;
	bo.block_rows = 3;
	bo.flags = explain ? DTS_BATCH_EXPLAIN : 0;
	if ((rc = dts_source_open(&src, tok[0], &o)) < 0) {
		print_error(rc);
		return;
	}
	ncols = dts_source_header(src, &names);
	fflush(stdout);
	if ((rc = dts_batch_new(&b, rules, &bo)) < 0 ||
	    (rc = dts_records_new_file(&w, (dts_records_format)fmt,
				       explain ? DTS_RECORDS_EXPLAIN : 0, names, ncols,
				       stdout)) < 0 ||
	    (rejects && (rc = dts_records_new_file(&rej, DTS_RECORDS_REJECTS, 0, NULL,
						   0, stdout)) < 0) ||
	    (rc = dts_records_write_header(w)) < 0 ||
	    (rej && (rc = dts_records_write_header(rej)) < 0) ||
	    (rc = dts_batch_run(b, src, w, rej, on_item, NULL)) < 0) {
		print_error(rc);
		goto done;
	}
	fflush(stdout);
	dts_batch_stats_get(&st, b);
	if ((rc = dts_records_summary_file(stdout, rules, &st)) < 0)
		print_error(rc);
	printf("\n");
done:
	dts_records_free(w);
	dts_records_free(rej);
	dts_batch_free(b);
	dts_source_free(src);
}

static dts_table *table;

/* table NAME,NAME... NDIMS: a new table; row CELL...: a row; write FORMAT. */
static void cmd_table(char **tok, int n)
{
	const char *names[MAXTOK];
	char buf[1024];
	size_t nc = 0;
	int rc;

	dts_table_free(table);
	table = NULL;
	snprintf(buf, sizeof(buf), "%s", tok[0]);
	for (char *p = strtok(buf, ","); p && nc < MAXTOK; p = strtok(NULL, ","))
		names[nc++] = p;
	if ((rc = dts_table_new(&table, names, nc, (size_t)(n > 1 ? atoi(tok[1]) : 1))) < 0) {
		print_error(rc);
		return;
	}
	dts_table_set_prepared(table, 1767225600);
	for (int i = 2; i < n; i++) {
		if (!strncmp(tok[i], "title=", 6))
			rc = dts_table_set_title(table, tok[i] + 6);
		else if (!strncmp(tok[i], "unit=", 5))
			rc = dts_table_set_unit(table, tok[i] + 5);
		else if (!strncmp(tok[i], "dataflow=", 9))
			rc = dts_table_set_dataflow(table, tok[i] + 9);
		else if (!strncmp(tok[i], "missing=", 8))
			rc = dts_table_set_missing(table, tok[i] + 8);
		else if (!strncmp(tok[i], "text=", 5))
			rc = dts_table_set_numeric(table, (size_t)atoi(tok[i] + 5), 0);
		else if (!strncmp(tok[i], "mult=", 5)) {
			dts_table_set_unit_mult(table, atoi(tok[i] + 5));
			rc = 0;
		} else {
			printf("unknown table option '%s'\n", tok[i]);
			rc = 0;
		}
		if (rc < 0)
			print_error(rc);
	}
}

static void cmd_row(char **tok, int n)
{
	int rc;

	if (!table) {
		printf("no table\n");
		return;
	}
	if ((size_t)n != dts_table_ncols(table)) {
		printf("%d cells for %zu columns\n", n, dts_table_ncols(table));
		return;
	}
	if ((rc = dts_table_add_row(table, (const char *const *)tok)) < 0)
		print_error(rc);
}

static void write_table(const dts_table *t, const char *format)
{
	int f = dts_table_format_parse(format), rc;

	if (f < 0) {
		print_error(f);
		return;
	}
	fflush(stdout);
	if ((rc = dts_table_write(t, f, stdout)) < 0)
		print_error(rc);
	fflush(stdout);
}

static dts_report *report;

static void cmd_report(char **tok, int n)
{
	dts_cube *c = cube();
	int rc;

	if (!c)
		return;
	dts_report_free(report);
	report = NULL;
	if ((rc = dts_report_load(&report, tok[0])) < 0) {
		print_error(rc);
		return;
	}
	for (int i = 1; i < n; i++) {
		rc = 0;
		if (!strncmp(tok[i], "targets=", 8))
			rc = dts_report_load_targets(report, tok[i] + 8);
		else if (!strncmp(tok[i], "reported=", 9))
			rc = dts_report_load_reported(report, tok[i] + 9);
		if (rc < 0)
			print_error(rc);
	}
	if ((rc = dts_report_compute(report, c, decimals)) < 0) {
		print_error(rc);
		return;
	}
	printf("report: %zu indicators, %zu years\n", dts_report_count(report),
	       dts_report_years(report, NULL));
}

static void cmd_annex(char **tok, int n)
{
	dts_table *t = NULL;
	int rc;

	if (!report) {
		printf("no report\n");
		return;
	}
	if ((rc = dts_report_annex_table(&t, report, n > 1 ? atoi(tok[1]) : 0)) < 0)
		print_error(rc);
	else
		write_table(t, tok[0]);
	dts_table_free(t);
}

static void cmd_boundary(char **tok, int n)
{
	dts_cube *c = cube();
	dts_table *t = NULL;
	int rc;

	if (!c || n < 2)
		return;
	if ((rc = dts_report_boundary_table(&t, c, atoi(tok[1]), decimals)) < 0)
		print_error(rc);
	else
		write_table(t, tok[0]);
	dts_table_free(t);
}

static int on_diff_record(const dts_diff_record *r, void *p)
{
	(void)p;
	if (r->event == DTS_DIFF_REJECTED) {
		printf("%s:%llu rejected: %s\n", r->input, (unsigned long long)r->line,
		       r->error);
		return 0;
	}
	return dts_diff_write_record(stdout, r);
}

static int on_diff_cell(const dts_diff_cell *c, void *p)
{
	char v[64];

	(void)p;
	dts_amount_format(v, sizeof(v), &c->value, 0, 2);
	printf("move %s -> %s: %llu records, %s\n", c->old_category, c->new_category,
	       (unsigned long long)c->records, v);
	return 0;
}

static int on_diff_total(const dts_diff_total *t, void *p)
{
	char a[64], b[64];

	(void)p;
	dts_amount_format(a, sizeof(a), &t->old_value, 0, 2);
	dts_amount_format(b, sizeof(b), &t->new_value, 0, 2);
	printf("total %s: %llu -> %llu records, %s -> %s\n", t->category,
	       (unsigned long long)t->old_records, (unsigned long long)t->new_records,
	       a, b);
	return 0;
}

/* diff OLD NEW INPUT...: every input through dts_diff_source. */
static void cmd_diff(char **tok, int n)
{
	const char *po[1] = { tok[0] }, *pn[1] = { tok[1] };
	dts_rules *ro = NULL, *rn = NULL;
	dts_diff *d = NULL;
	dts_diff_stats st;
	char v[64];
	int rc;

	if ((rc = dts_rules_compile(&ro, po, 1, &ropts)) < 0 ||
	    (rc = dts_rules_compile(&rn, pn, 1, &ropts)) < 0 ||
	    (rc = dts_diff_new(&d, ro, rn, DTS_SCAN_VALID_UTF8)) < 0) {
		print_error(rc);
		goto done;
	}
	fflush(stdout);
	fputs(DTS_DIFF_DETAILS_HEADER, stdout);
	for (int i = 2; i < n; i++) {
		dts_source *src = NULL;

		if ((rc = dts_source_open(&src, tok[i], NULL)) < 0 ||
		    (rc = dts_diff_source(d, src, on_diff_record, NULL)) < 0)
			print_error(rc);
		dts_source_free(src);
	}
	fflush(stdout);
	dts_diff_stats_get(&st, d);
	dts_amount_format(v, sizeof(v), &st.moved_value, 0, 2);
	printf("records %llu, rejected %llu, moved %llu, value moved %s\n",
	       (unsigned long long)st.records, (unsigned long long)st.rejected,
	       (unsigned long long)st.moved, v);
	if ((rc = dts_diff_moves(d, on_diff_cell, NULL)) < 0 ||
	    (rc = dts_diff_totals(d, on_diff_total, NULL)) < 0)
		print_error(rc);
	fflush(stdout);
	if ((rc = dts_diff_write_text(d, tok[2], stdout)) < 0)
		print_error(rc);
	fflush(stdout);
done:
	dts_diff_free(d);
	dts_rules_free(ro);
	dts_rules_free(rn);
}

/* gen SEED N [KIND]: dts_gen_write to standard output. */
static void cmd_gen(char **tok, int n)
{
	dts_gen_options o = DTS_GEN_OPTIONS_INIT;
	int rc;

	o.seed = strtoull(tok[0], NULL, 10);
	o.records = strtoull(tok[1], NULL, 10);
	if (n > 2 && (rc = dts_gen_kind_parse(&o.kind, tok[2])) < 0) {
		print_error(rc);
		return;
	}
	fflush(stdout);
	if ((rc = dts_gen_write(stdout, &o)) < 0)
		print_error(rc);
	fflush(stdout);
}

/* ---- dts_agg and reconciliation -------------------------------------------- */

static int on_agg_reject(const dts_agg_reject *r, void *p)
{
	(void)p;
	printf("%s:%llu rejected: %s\n", r->input, (unsigned long long)r->line, r->reason);
	return 0;
}

/* agg BY [unit=U] [zones=FILE] INPUT... then FORMAT: dts_agg over every input. */
static void cmd_agg(char **tok, int n)
{
	dts_agg *a = NULL;
	dts_table *t = NULL;
	int unit = 0, rc, i;
	const char *format = "csv";

	if ((rc = dts_agg_new(&a, tok[0], currency)) < 0) {
		print_error(rc);
		return;
	}
	if (rules && (rc = dts_agg_set_rules(a, rules)) < 0)
		print_error(rc);
	if (rates && (rc = dts_agg_set_rates(a, rates)) < 0)
		print_error(rc);
	for (i = 1; i < n; i++) {
		if (!strncmp(tok[i], "unit=", 5)) {
			if ((unit = dts_agg_unit_parse(tok[i] + 5)) < 0) {
				print_error(unit);
				unit = 0;
			}
		} else if (!strncmp(tok[i], "zones=", 6)) {
			if ((rc = dts_agg_load_zones(a, tok[i] + 6)) < 0)
				print_error(rc);
		} else if (!strncmp(tok[i], "format=", 7)) {
			format = tok[i] + 7;
		} else if ((rc = dts_agg_add_file(a, tok[i], NULL, on_agg_reject, NULL)) < 0) {
			print_error(rc);
		}
	}
	printf("records %llu, rejected %llu, classified %llu\n",
	       (unsigned long long)dts_agg_records(a), (unsigned long long)dts_agg_rejects(a),
	       (unsigned long long)dts_agg_classified(a));
	if ((rc = dts_agg_table(&t, dts_agg_cube(a), unit, decimals)) < 0)
		print_error(rc);
	else
		write_table(t, format);
	dts_table_free(t);
	dts_agg_free(a);
}

static int on_recon_item(const dts_recon_item *it, void *p)
{
	(void)p;
	return dts_recon_write_item(it, stdout);
}

/* reconcile KEYS LEFT RIGHT [compare=LIST] [tolerance=T] */
static void cmd_reconcile(char **tok, int n)
{
	dts_recon_options ro = DTS_RECON_OPTIONS_INIT;
	const char *keys[16];
	char kbuf[512];
	size_t nk = 0;
	dts_source *l = NULL, *r = NULL;
	dts_recon *rec = NULL;
	dts_table *t = NULL;
	int cl = 0, cr = 0, rc;

	snprintf(kbuf, sizeof(kbuf), "%s", tok[0]);
	for (char *p = strtok(kbuf, ","); p && nk < 16; p = strtok(NULL, ","))
		keys[nk++] = p;
	for (int i = 3; i < n; i++) {
		rc = 0;
		if (!strncmp(tok[i], "compare=", 8))
			rc = dts_recon_compare_parse(&ro.compare, tok[i] + 8);
		else if (!strncmp(tok[i], "tolerance=", 10))
			rc = dts_recon_tolerance_parse(&ro.tolerance, tok[i] + 10,
						       strlen(tok[i] + 10));
		if (rc < 0) {
			print_error(rc);
			return;
		}
	}
	if ((rc = dts_recon_new(&rec, keys, nk, &ro)) < 0 ||
	    (rc = dts_source_open(&l, tok[1], NULL)) < 0 ||
	    (rc = dts_source_open(&r, tok[2], NULL)) < 0 ||
	    (rc = dts_recon_bind_source(&cl, rec, DTS_RECON_LEFT, l)) < 0 ||
	    (rc = dts_recon_bind_source(&cr, rec, DTS_RECON_RIGHT, r)) < 0 ||
	    ((cl || cr) && need_rules() < 0) ||
	    (rc = dts_recon_add_sources(rec, l, r, scanner)) < 0) {
		if (rc < 0)
			print_error(rc);
		goto done;
	}
	fflush(stdout);
	if ((rc = dts_recon_run(rec, on_recon_item, NULL)) < 0) {
		print_error(rc);
		goto done;
	}
	if ((rc = dts_recon_summary_table(&t, rec)) < 0)
		print_error(rc);
	else
		write_table(t, "csv");
	dts_table_free(t);
	t = NULL;
	if ((rc = dts_recon_matrix_table(&t, rec)) < 0)
		print_error(rc);
	else
		write_table(t, "csv");
	fflush(stdout);
	if ((rc = dts_recon_write_text(rec, tok[1], tok[2], stdout)) < 0)
		print_error(rc);
	fflush(stdout);
done:
	dts_table_free(t);
	dts_source_free(l);
	dts_source_free(r);
	dts_recon_free(rec);
}

/* totals LEFT RIGHT: two cubes (partials or CSV cubes) along their common dimensions. */
static void cmd_totals(char **tok)
{
	dts_recon_totals *tt = NULL;
	dts_table *t = NULL;
	int rc;

	if ((rc = dts_recon_totals_new(&tt)) < 0 ||
	    (rc = dts_recon_totals_load(tt, DTS_RECON_LEFT, tok[0])) < 0 ||
	    (rc = dts_recon_totals_load(tt, DTS_RECON_RIGHT, tok[1])) < 0 ||
	    (rc = dts_recon_totals_run(tt, NULL, NULL)) < 0 ||
	    (rc = dts_recon_totals_table(&t, tt, decimals)) < 0)
		print_error(rc);
	else
		write_table(t, "csv");
	dts_table_free(t);
	dts_recon_totals_free(tt);
}

/* cbec ORDERS PAYMENTS WAYBILLS INVENTORY: the 三单对碰 check. */
static void cmd_cbec(char **tok)
{
	dts_recon_cbec_options co = DTS_RECON_CBEC_OPTIONS_INIT;
	dts_recon_cbec *c = NULL;
	dts_table *fails = NULL, *sum = NULL;
	int rc;

	if ((rc = dts_recon_cbec_new(&c, &co)) < 0) {
		print_error(rc);
		return;
	}
	for (int d = 0; d < 4; d++)
		if ((rc = dts_recon_cbec_load(c, d, tok[d])) < 0) {
			print_error(rc);
			goto done;
		}
	if ((rc = dts_recon_cbec_failures_new(&fails)) < 0 ||
	    (rc = dts_recon_cbec_run(c, dts_recon_cbec_failure_row, fails)) < 0 ||
	    (rc = dts_recon_cbec_summary_table(&sum, c)) < 0) {
		print_error(rc);
		goto done;
	}
	write_table(sum, "csv");
	write_table(fails, "csv");
	fflush(stdout);
	if ((rc = dts_recon_cbec_write_text(c, fails, stdout)) < 0)
		print_error(rc);
	fflush(stdout);
done:
	dts_table_free(fails);
	dts_table_free(sum);
	dts_recon_cbec_free(c);
}

/* explain-text FIELD=VALUE...: dts-rules explain's text, from the library
 * (dts_value_parse for each word, dts_scanner_explain_text). */
static void cmd_explain_text(char **tok, int n)
{
	dts_value v[MAXTOK];
	int rc;

	if (need_rules() < 0)
		return;
	for (int i = 0; i < n; i++)
		if ((rc = dts_value_parse(&v[i], tok[i])) < 0) {
			print_error(rc);
			return;
		}
	fflush(stdout);
	if ((rc = dts_scanner_explain_text(scanner, v, (size_t)n, stdout)) < 0)
		print_error(rc);
	fflush(stdout);
}

static void free_all(void)
{
	dts_table_free(table);
	dts_report_free(report);
	table = NULL;
	report = NULL;
	while (ncubes)
		dts_cube_free(cubes[--ncubes]);
	dts_scanner_free(scanner);
	dts_rules_free(rules);
	dts_rates_free(rates);
	scanner = NULL;
	rules = NULL;
	rates = NULL;
}

static int run(FILE *in)
{
	char line[8192];
	unsigned lineno = 0;

	while (fgets(line, sizeof(line), in)) {
		char *tok[MAXTOK];
		size_t len = strlen(line);
		int n;

		lineno++;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (!len || line[0] == '#') {
			printf("%s\n", line);
			continue;
		}
		printf("> %s\n", line);
		n = tokenize(line, tok);
		if (!n)
			continue;
		dts_error_clear();
#define IS(s) (strcmp(tok[0], s) == 0)
#define ARGS(k) if (n - 1 < (k)) { printf("%s needs %d argument(s)\n", tok[0], k); continue; }
		if (IS("rules")) {
			ARGS(1) cmd_rules(tok + 1, n - 1);
		} else if (IS("match-limit")) {
			ARGS(1) ropts.match_limit = (uint32_t)strtoul(tok[1], NULL, 10);
		} else if (IS("no-jit")) {
			ropts.flags |= DTS_RULES_NO_JIT;
		} else if (IS("classify")) {
			cmd_classify(tok + 1, n - 1);
		} else if (IS("explain")) {
			cmd_explain(tok + 1, n - 1);
		} else if (IS("check")) {
			cmd_check(tok + 1, n - 1);
		} else if (IS("lint")) {
			cmd_lint();
		} else if (IS("csv")) {
			ARGS(1) cmd_csv(tok + 1, n - 1);
		} else if (IS("ceb")) {
			ARGS(1) cmd_ceb(tok + 1, n - 1);
		} else if (IS("currency")) {
			ARGS(1) snprintf(currency, sizeof(currency), "%s", tok[1]);
		} else if (IS("decimals")) {
			ARGS(1) decimals = atoi(tok[1]);
		} else if (IS("cube")) {
			ARGS(1) cmd_cube(tok + 1, n - 1);
		} else if (IS("add")) {
			cmd_add(tok + 1, n - 1);
		} else if (IS("cells")) {
			cmd_cells();
		} else if (IS("lookup")) {
			ARGS(1) cmd_lookup(tok + 1, n - 1);
		} else if (IS("partial")) {
			cmd_partial(1, 0);
		} else if (IS("reload")) {
			cmd_partial(0, 1);
		} else if (IS("load")) {
			ARGS(1) cmd_load(tok + 1);
		} else if (IS("merge")) {
			cmd_merge();
		} else if (IS("rates")) {
			ARGS(1) cmd_rates(tok + 1);
		} else if (IS("rate")) {
			cmd_rate(tok + 1, n - 1);
		} else if (IS("source")) {
			ARGS(1) cmd_source(tok + 1, n - 1);
		} else if (IS("batch")) {
			ARGS(1) cmd_batch(tok + 1, n - 1);
		} else if (IS("table")) {
			ARGS(1) cmd_table(tok + 1, n - 1);
		} else if (IS("row")) {
			cmd_row(tok + 1, n - 1);
		} else if (IS("write")) {
			ARGS(1) if (table) write_table(table, tok[1]); else printf("no table\n");
		} else if (IS("report")) {
			ARGS(1) cmd_report(tok + 1, n - 1);
		} else if (IS("annex")) {
			ARGS(1) cmd_annex(tok + 1, n - 1);
		} else if (IS("boundary")) {
			ARGS(2) cmd_boundary(tok + 1, n - 1);
		} else if (IS("diff")) {
			ARGS(3) cmd_diff(tok + 1, n - 1);
		} else if (IS("gen")) {
			ARGS(2) cmd_gen(tok + 1, n - 1);
		} else if (IS("agg")) {
			ARGS(1) cmd_agg(tok + 1, n - 1);
		} else if (IS("reconcile")) {
			ARGS(3) cmd_reconcile(tok + 1, n - 1);
		} else if (IS("totals")) {
			ARGS(2) cmd_totals(tok + 1);
		} else if (IS("cbec")) {
			ARGS(4) cmd_cbec(tok + 1);
		} else if (IS("explain-text")) {
			cmd_explain_text(tok + 1, n - 1);
		} else if (IS("reset")) {
			free_all();
		} else {
			printf("line %u: unknown command '%s'\n", lineno, tok[0]);
			return 2;
		}
#undef IS
#undef ARGS
		fflush(stdout);
	}
	return 0;
}

int main(int argc, char **argv)
{
	FILE *in;
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: driver CASEFILE\n");
		return 2;
	}
	if (!(in = strcmp(argv[1], "-") ? fopen(argv[1], "r") : stdin)) {
		perror(argv[1]);
		return 2;
	}
	rc = run(in);
	if (in != stdin)
		fclose(in);
	free_all();
	return rc;
}
