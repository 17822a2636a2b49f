/*
 * explain.c — dts_scanner_explain() as the text `dts-rules explain`
 * prints (dts/scanner.h): the record, every matching rule and why, the
 * result.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "model_int.h"
#include "rules_int.h"

typedef struct text {
	dts_write_cb cb;
	void *payload;
	dts__buf line;
	int matches;
} text;

/* Hand the text built in t->line to the callback, and start again. */
static int flush(text *t)
{
	int rc = t->line.oom ? dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory")
			     : t->cb(t->line.p, t->line.len, t->payload);

	t->line.len = 0;
	return rc;
}

static int on_match(const dts_match *m, void *payload)
{
	text *t = payload;

	t->matches++;
	dts__buf_printf(&t->line, "%c %s -> %s  priority %d  %s:%u\n    %s\n",
			m->winner ? '*' : ' ', m->rule, m->category, m->priority,
			m->file, m->line, m->why);
	return flush(t);
}

static const char *const delivery_names[] = {"none", "digital", "onsite", "physical", "mixed"};
static const char *const order_names[] = {"none", "platform", "online", "offline"};

/* "RULE -> CATEGORY" of rule i, or "-". */
static void rule_ref(dts__buf *b, const dts_rules *r, int i)
{
	dts_rule_info ri;

	if (i < 0 || dts_rules_rule(&ri, r, (size_t)i) < 0) {
		dts__buf_str(b, "-");
		return;
	}
	dts__buf_printf(b, "%s -> %s", ri.id, ri.category);
}

/*
 * The three dimensions of the record just explained and the combining
 * step (docs/classification.md §2 "Dimensions and the combining table").
 */
static void dimensions(text *t, dts_scanner *sc, const dts_value *values,
		       size_t nvalues)
{
	const dts_rules *r = dts__scanner_rules(sc);
	dts_evidence ev;
	uint64_t codes = (1u << DTS_F_HS_CODE) | (1u << DTS_F_EBOPS_CODE) |
			 (1u << DTS_F_BOP_CODE) | (1u << DTS_F_CPC_CODE) |
			 (1u << DTS_F_INDUSTRY_CODE) | (1u << DTS_F_TRADE_MODE);

	ev.version = DTS_EVIDENCE_VERSION;
	if (!r->ndimrules || dts_scanner_evidence(&ev, sc) < 0)
		return; /* a classifier without evidence rules: as before */
	dts__buf_str(&t->line, "dimensions:\n  (a) sold: ");
	rule_ref(&t->line, r, ev.sold_rule);
	if (ev.sold_rule >= 0) {
		uint64_t given = 0;

		for (size_t i = 0; i < nvalues; i++)
			if (values[i].len && values[i].field >= 0 &&
			    values[i].field < DTS_F_COUNT)
				given |= 1ull << values[i].field;
		uint32_t f = r->rules[ev.sold_rule]->fields;
		int c = (f & codes & given) != 0, x = (f & ~codes & given) != 0;

		dts__buf_str(&t->line, c && x ? "  (from codes and the text)" :
				       c ? "  (from codes)" : "  (from the text)");
	}
	if (ev.text_rule >= 0 || (ev.sold_rule >= 0 && ev.review &&
				  !strcmp(ev.review, "code-only"))) {
		dts__buf_str(&t->line, "; the text alone: ");
		rule_ref(&t->line, r, ev.text_rule);
	}
	dts__buf_printf(&t->line, "\n  (b) delivered: %s", delivery_names[ev.delivery >= 0 && ev.delivery <= 4 ? ev.delivery : 0]);
	if (ev.delivery_rule >= 0) {
		dts__buf_str(&t->line, "  (");
		dts__buf_str(&t->line, r->rules[ev.delivery_rule]->id);
		dts__buf_ch(&t->line, ')');
	}
	dts__buf_printf(&t->line, "\n  (c) ordered: %s", order_names[ev.ordered & 3]);
	if (ev.ordered_rule >= 0) {
		dts__buf_str(&t->line, "  (");
		dts__buf_str(&t->line, r->rules[ev.ordered_rule]->id);
		dts__buf_ch(&t->line, ')');
	}
	dts__buf_printf(&t->line, "\n  deliverable: %s", ev.deliverable ? "yes" : "no");
	if (ev.deliverable_rule >= 0) {
		dts__buf_str(&t->line, "  (");
		dts__buf_str(&t->line, r->rules[ev.deliverable_rule]->id);
		dts__buf_ch(&t->line, ')');
	} else {
		dts__buf_str(&t->line, ev.deliverable ? "  (a digital category, no code group)" :
					       "  (not a digital category, no code group)");
	}
	dts__buf_printf(&t->line, "\ncombine: %s\n",
			ev.combine[0] ? ev.combine : "the sold rule's result as it is");
}

/* The model's view, when it was asked: ranked classes, the features that
 * weighed most for the first against the second. */
static void model_lines(text *t, dts_scanner *sc)
{
	const dts_model_prediction *p = dts__scanner_model(sc);
	dts_rules_model_info mi;
	size_t i;

	if (!p || dts_rules_model(&mi, dts__scanner_rules(sc)) < 0)
		return;
	dts__buf_printf(&t->line, "model %s (%s, min-prob %.2f):", mi.id, mi.src, mi.min_prob);
	for (i = 0; i < p->nclasses; i++)
		dts__buf_printf(&t->line, "%s %s %.3f", i ? "," : "", p->cls[i], p->prob[i]);
	dts__buf_printf(&t->line, "; %zu known features\n", p->nfeatures);
	if (p->nclasses < 2 || !p->nwhy)
		return;
	dts__buf_printf(&t->line, "  weighed most for %s over %s:", p->cls[0], p->cls[1]);
	for (i = 0; i < p->nwhy; i++)
		dts__buf_printf(&t->line, "%s %s %+.2f", i ? "," : "", p->why[i], p->weight[i]);
	dts__buf_ch(&t->line, '\n');
}

int dts_scanner_explain_text_cb(dts_scanner *sc, const dts_value *values,
				size_t nvalues, dts_write_cb cb, void *payload)
{
	text t = {cb, payload, {0}, 0};
	dts_result res;
	dts_evidence ev;
	const char *why;
	int rc;

	if (!sc || !cb || (!values && nvalues))
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_scanner_explain_text: NULL argument");
	dts__buf_str(&t.line, "record:");
	for (size_t i = 0; i < nvalues; i++) {
		const char *name = dts_field_name(values[i].field);

		dts__buf_printf(&t.line, " %s=%.*s", name ? name : "?",
				(int)values[i].len, values[i].data);
	}
	dts__buf_ch(&t.line, '\n');
	if ((rc = flush(&t)) != 0 ||
	    (rc = dts_scanner_explain(&res, sc, values, nvalues, on_match, &t)) != 0)
		goto done;
	if (t.matches == 0)
		dts__buf_str(&t.line, "  no rule matches\n");
	dimensions(&t, sc, values, nvalues);
	model_lines(&t, sc);
	ev.version = DTS_EVIDENCE_VERSION;
	why = dts_scanner_evidence(&ev, sc) == 0 ? ev.review : NULL;
	dts__buf_printf(&t.line,
			"result: %s  rule %s  base %s  ordered %d  delivered %d  platform %d%s%s\n",
			res.category, res.rule[0] ? res.rule : "-",
			res.base ? dts_base_name(res.base) : "-", res.ordered,
			res.delivered, res.platform, why ? "  review " : "",
			why ? why : "");
	rc = flush(&t);
done:
	dts__buf_free(&t.line);
	return rc;
}

static int to_file(const void *data, size_t len, void *f)
{
	if (fwrite(data, 1, len, f) == len)
		return 0;
	return dts__error(DTS_EIO, NULL, 0, 0, "%s", strerror(errno ? errno : EIO));
}

int dts_scanner_explain_text(dts_scanner *sc, const dts_value *values,
			     size_t nvalues, FILE *f)
{
	if (!f)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_scanner_explain_text: no stream");
	errno = 0;
	return dts_scanner_explain_text_cb(sc, values, nvalues, to_file, f);
}
