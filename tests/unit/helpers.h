/*
 * helpers.h — small shared helpers for the engine's unit tests: compile a
 * classifier from a string, classify a record written as "field=value"
 * strings.
 */
#ifndef DTS_TEST_HELPERS_H
#define DTS_TEST_HELPERS_H

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dts.h"

#define NS "urn:libdts:classifier:1"

/* Wrap rule XML in a classifier element with the usual categories. */
static inline char *wrap_classifier(const char *body)
{
	static const char head[] =
		"<classifier xmlns=\"" NS "\" id=\"t\" version=\"1\">\n"
		"<category code=\"TECH.CLOUD\" zh=\"云\" en=\"Cloud\"/>\n"
		"<category code=\"TECH.SOFTWARE\" zh=\"软件\" en=\"Software\"/>\n"
		"<category code=\"PROD.GAME\" zh=\"游戏\" en=\"Games\"/>\n"
		"<category code=\"CBEC.B2C\" zh=\"零售\" en=\"B2C\"/>\n"
		"<category code=\"DATA.PRODUCT\" zh=\"数据产品\" en=\"Data products\"/>\n";
	size_t n = sizeof(head) + strlen(body) + 32;
	char *xml = malloc(n);

	ck_assert_ptr_nonnull(xml);
	snprintf(xml, n, "%s%s\n</classifier>\n", head, body);
	return xml;
}

/* Compile body (wrapped); returns the code, rules in *out. */
static inline int compile_body(dts_rules **out, const char *body)
{
	char *xml = wrap_classifier(body);
	int rc = dts_rules_compile_buffer(out, "test.xml", DTS_SRCDIR "/tests/data/rules",
					  xml, strlen(xml), NULL);

	free(xml);
	return rc;
}

static inline dts_rules *must_compile(const char *body)
{
	dts_rules *r = NULL;
	int rc = compile_body(&r, body);

	if (rc < 0) {
		char buf[2048];

		ck_abort_msg("compile failed: %s", dts_error_format(buf, sizeof(buf)));
	}
	return r;
}

/* Classify a NULL-terminated list of "field=value" strings. */
static inline int classify_kv(dts_result *res, dts_scanner *sc, ...)
{
	dts_value vals[32];
	size_t n = 0;
	const char *kv;
	va_list ap;

	va_start(ap, sc);
	while ((kv = va_arg(ap, const char *)) != NULL && n < 32) {
		const char *eq = strchr(kv, '=');
		char name[64];
		size_t nl = (size_t)(eq - kv);

		ck_assert_ptr_nonnull(eq);
		ck_assert_uint_lt(nl, sizeof(name));
		memcpy(name, kv, nl);
		name[nl] = '\0';
		vals[n].field = dts_field_lookup(name);
		ck_assert_int_ge(vals[n].field, 0);
		vals[n].data = eq + 1;
		vals[n].len = strlen(eq + 1);
		n++;
	}
	va_end(ap);
	return dts_scanner_classify(res, sc, vals, n);
}

#endif
