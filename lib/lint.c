/*
 * lint.c — checks on a compiled rule set that go beyond "it compiles":
 * rules the prefilter cannot select, regexes without literal atoms, rules
 * a higher-priority rule always shadows; and the classifier's own
 * examples run as test cases.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"

/* ---- implication: whenever b holds, a holds (sound, not complete) ------- */

static int implies(const dts_node *b, const dts_node *a);

static int has_prefix_of(const dts_node *a, const char *v, size_t len)
{
	size_t i;

	for (i = 0; i < a->nvalues; i++)
		if (a->lens[i] <= len && memcmp(a->values[i], v, a->lens[i]) == 0)
			return 1;
	return 0;
}

static int has_value(const dts_node *a, const char *v, size_t len)
{
	size_t i;

	for (i = 0; i < a->nvalues; i++)
		if (a->lens[i] == len && memcmp(a->values[i], v, len) == 0)
			return 1;
	return 0;
}

static int contains_one_of(const dts_node *a, const char *v, size_t len)
{
	size_t i;

	for (i = 0; i < a->nvalues; i++)
		if (a->lens[i] && memmem(v, len, a->values[i], a->lens[i]))
			return 1;
	return 0;
}

static int nonempty(const dts_node *a, const char *v, size_t len)
{
	(void)a;
	(void)v;
	return len > 0;
}

static int contains_one_of_folded(const dts_node *a, const char *v, size_t len)
{
	char buf[512];

	if (len >= sizeof(buf))
		return 0; /* unsure: not implied */
	return contains_one_of(a, buf, dts__fold_lower(buf, v, len));
}

/* Every value of b satisfies test(a, value). */
static int all_values(const dts_node *b, const dts_node *a,
		      int (*test)(const dts_node *, const char *, size_t))
{
	size_t i;

	for (i = 0; i < b->nvalues; i++)
		if (!test(a, b->values[i], b->lens[i]))
			return 0;
	return b->nvalues > 0;
}

static int same_text(const char *x, const char *y)
{
	return x && y && strcmp(x, y) == 0;
}

static int leaf_implies(const dts_node *b, const dts_node *a)
{
	if (a->field != b->field)
		return 0;
	switch (a->kind) {
	case DTS_N_PRESENT:
		/* Every positive leaf needs a non-empty field, but a regex
		 * may match the empty string. */
		return b->kind == DTS_N_PRESENT || b->kind == DTS_N_IN ||
		       b->kind == DTS_N_RANGE || b->kind == DTS_N_AMOUNT ||
		       (b->kind == DTS_N_PREFIX && all_values(b, a, nonempty)) ||
		       b->kind == DTS_N_CONTAINS;
	case DTS_N_EMPTY:
		return b->kind == DTS_N_EMPTY;
	case DTS_N_IN:
		return b->kind == DTS_N_IN && all_values(b, a, has_value);
	case DTS_N_PREFIX:
		return (b->kind == DTS_N_IN || b->kind == DTS_N_PREFIX) &&
		       all_values(b, a, has_prefix_of);
	case DTS_N_CONTAINS:
		/* b's values are what the record must contain (CONTAINS) or
		 * be (IN); a caseless a sees them folded. A caseless b says
		 * nothing about case, so only a caseless a can follow. */
		if (b->kind == DTS_N_CONTAINS && b->caseless && !a->caseless)
			return 0;
		if (b->kind == DTS_N_IN && dts_field_kind_of(a->field) == DTS_KIND_TEXT &&
		    !a->caseless)
			return 0; /* text IN values are folded: case unknown */
		if (b->kind != DTS_N_CONTAINS && b->kind != DTS_N_IN)
			return 0;
		return all_values(b, a, a->caseless ? contains_one_of_folded :
						      contains_one_of);
	case DTS_N_REGEX:
		return b->kind == DTS_N_REGEX && b->caseless == a->caseless &&
		       same_text(a->pattern, b->pattern);
	case DTS_N_RANGE:
		return b->kind == DTS_N_RANGE && same_text(a->lo, b->lo) &&
		       same_text(a->hi, b->hi);
	case DTS_N_AMOUNT:
		return b->kind == DTS_N_AMOUNT && a->op == b->op &&
		       a->amount == b->amount;
	default:
		return 0;
	}
}

static int implies(const dts_node *b, const dts_node *a)
{
	size_t i;

	if (a->kind == DTS_N_ALL) {
		for (i = 0; i < a->nkids; i++)
			if (!implies(b, a->kids[i]))
				return 0;
		return 1;
	}
	if (b->kind == DTS_N_ANY) {
		for (i = 0; i < b->nkids; i++)
			if (!implies(b->kids[i], a))
				return 0;
		return b->nkids > 0;
	}
	if (a->kind == DTS_N_ANY)
		for (i = 0; i < a->nkids; i++)
			if (implies(b, a->kids[i]))
				return 1;
	if (b->kind == DTS_N_ALL) {
		for (i = 0; i < b->nkids; i++)
			if (implies(b->kids[i], a))
				return 1;
		return 0;
	}
	if (a->kind == DTS_N_ANY)
		return 0;
	if (a->kind == DTS_N_NOT || b->kind == DTS_N_NOT)
		return a->kind == DTS_N_NOT && b->kind == DTS_N_NOT &&
		       implies(a->kids[0], b->kids[0]);
	return leaf_implies(b, a);
}

/* ---- lint ------------------------------------------------------------------ */

typedef struct lint_ctx {
	dts_lint_cb cb;
	void *payload;
	char msg[1024];
} lint_ctx;

static int report(lint_ctx *c, dts_lint_kind kind, const char *rule,
		  const char *file, unsigned line)
{
	dts_lint f;

	f.kind = kind;
	f.rule = rule;
	f.file = file;
	f.line = line;
	f.message = c->msg;
	return c->cb ? c->cb(&f, c->payload) : 0;
}

static int lint_regexes(lint_ctx *c, dts_arena *scratch, const dts_rule *r,
			const dts_node *n)
{
	size_t i;
	char **atoms;
	int rc;

	if (n->kind == DTS_N_REGEX) {
		rc = dts__regex_atoms(&atoms, scratch, n->pattern, n->caseless);
		if (rc < 0)
			return rc;
		if (rc == 0) {
			snprintf(c->msg, sizeof(c->msg),
				 "rule '%s': regex /%s/ has no literal atom, so it is run on every candidate record; add a literal alternative or a selective leaf",
				 r->id, n->pattern);
			return report(c, DTS_LINT_NO_ATOM, r->id, r->file, n->line);
		}
	}
	for (i = 0; i < n->nkids; i++)
		if ((rc = lint_regexes(c, scratch, r, n->kids[i])) != 0)
			return rc;
	return 0;
}

static int lint_rule(lint_ctx *c, dts_arena *scratch, const dts_rules *rs,
		     size_t i)
{
	const dts_rule *r = rs->rules[i];
	size_t j;
	int rc;

	if (!rs->indexed[i]) {
		snprintf(c->msg, sizeof(c->msg),
			 "rule '%s' has no selective leaf (eq, in, prefix, contains, or a regex with literal atoms) outside <not>, so it is tried on every record",
			 r->id);
		if ((rc = report(c, DTS_LINT_UNINDEXED, r->id, r->file, r->line)))
			return rc;
	}
	if ((rc = lint_regexes(c, scratch, r, r->cond)))
		return rc;
	for (j = 0; j < i; j++) {
		const dts_rule *a = rs->rules[j];

		if (!implies(r->cond, a->cond))
			continue;
		snprintf(c->msg, sizeof(c->msg),
			 "rule '%s' can never win: every record it matches is matched first by rule '%s' (priority %d, %s:%u)",
			 r->id, a->id, a->priority, a->file, a->line);
		if ((rc = report(c, DTS_LINT_SHADOWED, r->id, r->file, r->line)))
			return rc;
		break;
	}
	if (r->nexamples == 0) {
		snprintf(c->msg, sizeof(c->msg),
			 "rule '%s' has no <example>; examples are its test cases",
			 r->id);
		if ((rc = report(c, DTS_LINT_NO_EXAMPLE, r->id, r->file, r->line)))
			return rc;
	}
	return 0;
}

static int lint_categories(lint_ctx *c, const dts_rules *rs)
{
	size_t i, j;
	int rc;

	for (i = 0; i < rs->ncats; i++) {
		const dts_category *cat = rs->cats[i];
		int used = 0;

		if (!cat->file[0])
			continue; /* a fixed top code */
		for (j = 0; j < rs->nrules && !used; j++)
			used = rs->rules[j]->category_index == (int)i;
		if (used)
			continue;
		snprintf(c->msg, sizeof(c->msg),
			 "category '%s' is declared but no rule assigns it",
			 cat->code);
		if ((rc = report(c, DTS_LINT_UNUSED_CATEGORY, "", cat->file,
				 cat->line)))
			return rc;
	}
	return 0;
}

int dts_rules_lint(const dts_rules *rs, dts_lint_cb cb, void *payload)
{
	lint_ctx c;
	dts_arena scratch = {0};
	size_t i;
	int rc = 0;

	if (!rs)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_rules_lint: NULL rule set");
	c.cb = cb;
	c.payload = payload;
	for (i = 0; i < rs->nrules && rc == 0; i++)
		rc = lint_rule(&c, &scratch, rs, i);
	if (rc == 0)
		rc = lint_categories(&c, rs);
	dts__arena_free(&scratch);
	return rc;
}

/* ---- examples as tests --------------------------------------------------------- */

static void record_text(char *buf, size_t size, const dts_example *ex)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < ex->nvalues && used < size; i++) {
		int n = snprintf(buf + used, size - used, "%s%s=%.*s",
				 i ? " " : "", dts_field_name(ex->values[i].field),
				 (int)ex->values[i].len, ex->values[i].data);

		if (n < 0)
			break;
		used += (size_t)n;
	}
}

static int run_example(size_t *nfailed, dts_scanner *s, const dts_rule *r,
		       const dts_example *ex, dts_example_cb cb, void *payload)
{
	dts_result res;
	dts_example_failure f;
	char record[2048], got[1200];
	int rc;

	rc = dts_scanner_classify(&res, s, ex->values, ex->nvalues);
	if (rc == DTS_ENOMEM)
		return rc;
	if (rc == 0 && strcmp(res.category, ex->expect) == 0)
		return 0;
	(*nfailed)++;
	if (rc < 0)
		snprintf(got, sizeof(got), "(error: %s)",
			 dts_error_last() ? dts_error_last()->message : "?");
	else
		snprintf(got, sizeof(got), "%s", res.category);
	record_text(record, sizeof(record), ex);
	f.rule = r->id;
	f.file = r->file;
	f.line = ex->line;
	f.expected = ex->expect;
	f.got = got;
	f.got_rule = rc == 0 ? res.rule : "";
	f.record = record;
	return cb ? cb(&f, payload) : 0;
}

int dts_rules_test(size_t *ntotal, size_t *nfailed, const dts_rules *rs,
		   dts_example_cb cb, void *payload)
{
	dts_scanner *s = NULL;
	size_t i, j, total = 0, failed = 0;
	int rc;

	if (!rs)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_rules_test: NULL rule set");
	if ((rc = dts_scanner_new(&s, rs, 0)) < 0)
		return rc;
	for (i = 0; i < rs->book.rules.len && rc == 0; i++) {
		const dts_rule *r = rs->book.rules.items[i];

		for (j = 0; j < r->nexamples && rc == 0; j++) {
			total++;
			rc = run_example(&failed, s, r, &r->examples[j], cb,
					 payload);
		}
	}
	dts_scanner_free(s);
	if (ntotal)
		*ntotal = total;
	if (nfailed)
		*nfailed = failed;
	if (rc != 0)
		return rc;
	return failed ? dts__error(DTS_ETEST, NULL, 0, 0,
				   "%zu of %zu examples failed", failed, total) : 0;
}
