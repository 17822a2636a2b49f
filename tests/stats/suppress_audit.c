/*
 * suppress_audit.c — the LP audit of dts/suppress.h as a test program:
 * load a cube partial, protect it, audit the pattern, print the counts and
 * the tightest interval, and exit 0 only when no primary cell is exposed
 * (with --expect-exposed: only when some cell is, for an unsafe pattern).
 * It also protects the cube a second time and checks that the CSV of the
 * two patterns is the same byte for byte.
 *
 *   suppress-audit [--primary-only] [--expect-exposed] [--threshold N]
 *                  [--protect P] [--no-margins] [--p-rule P]
 *                  [--nk-rule N K] PARTIAL
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dts.h"

typedef struct sink {
	char *p;
	size_t len;
} sink;

static int collect(const void *data, size_t len, void *payload)
{
	sink *s = payload;
	char *p = realloc(s->p, s->len + len + 1);

	if (!p)
		return DTS_ENOMEM;
	s->p = p;
	memcpy(s->p + s->len, data, len);
	s->len += len;
	return 0;
}

static int protect_csv(sink *out, dts_suppress **keep, const dts_cube *c,
		       const dts_suppress_options *o)
{
	dts_suppress *s;
	dts_table *t;
	int rc;

	if ((rc = dts_suppress_new(&s, c, o)) < 0)
		return rc;
	if ((rc = dts_suppress_table(&t, s, 0, 2)) == 0) {
		rc = dts_table_write_csv_cb(t, collect, out);
		dts_table_free(t);
	}
	if (rc == 0 && keep)
		*keep = s;
	else
		dts_suppress_free(s);
	return rc;
}

int main(int argc, char **argv)
{
	dts_suppress_options o = DTS_SUPPRESS_OPTIONS_INIT;
	dts_suppress_audit_result res;
	dts_suppress *s = NULL;
	sink a = {0}, b = {0};
	dts_cube *c;
	int expect_exposed = 0, i, ok;

	for (i = 1; i < argc - 1; i++) {
		if (!strcmp(argv[i], "--primary-only"))
			o.secondary = 0;
		else if (!strcmp(argv[i], "--expect-exposed"))
			expect_exposed = 1;
		else if (!strcmp(argv[i], "--no-margins"))
			o.margins = 0;
		else if (!strcmp(argv[i], "--threshold") && i + 1 < argc - 1)
			o.threshold = (unsigned)strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--protect") && i + 1 < argc - 1)
			o.protection = strtod(argv[++i], NULL);
		else if (!strcmp(argv[i], "--p-rule") && i + 1 < argc - 1)
			o.p_rule = (unsigned)strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--nk-rule") && i + 2 < argc - 1) {
			o.nk_n = (unsigned)strtoul(argv[++i], NULL, 10);
			o.nk_k = (unsigned)strtoul(argv[++i], NULL, 10);
		}
		else
			break;
	}
	if (i != argc - 1) {
		fprintf(stderr, "usage: suppress-audit [--primary-only] "
			"[--expect-exposed] [--threshold N] [--protect P] "
			"[--no-margins] [--p-rule P] [--nk-rule N K] PARTIAL\n");
		return 2;
	}
	if (dts_cube_load_partial(&c, argv[i]) < 0 ||
	    protect_csv(&a, &s, c, &o) < 0 || protect_csv(&b, NULL, c, &o) < 0 ||
	    dts_suppress_audit(&res, NULL, s) < 0) {
		fprintf(stderr, "suppress-audit: %s\n", dts_error_last()->message);
		return 3;
	}
	printf("%s: cells %zu, relations %zu, primary %zu, secondary %zu, "
	       "audited %zu, exposed %zu, min width %.2f, min protection "
	       "ratio %.3f, dominance %zu\n", argv[i], dts_suppress_count(s),
	       dts_suppress_nrelations(s),
	       dts_suppress_count_conf(s, DTS_CONF_PRIMARY),
	       dts_suppress_count_conf(s, DTS_CONF_SECONDARY), res.cells,
	       res.exposed, res.min_width, res.min_ratio,
	       dts_suppress_count_conf(s, DTS_CONF_DOMINANCE));
	ok = a.len == b.len && !memcmp(a.p, b.p, a.len);
	if (!ok)
		printf("FAIL: two runs over the same cube gave different patterns\n");
	if (expect_exposed ? res.exposed == 0 : res.exposed > 0) {
		printf("FAIL: %s\n", expect_exposed ? "the unsafe pattern passed "
		       "the audit" : "primary cells are exposed");
		ok = 0;
	}
	free(a.p);
	free(b.p);
	dts_suppress_free(s);
	dts_cube_free(c);
	return ok ? 0 : 1;
}
