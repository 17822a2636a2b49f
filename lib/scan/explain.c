/*
 * explain.c — dts_scanner_explain() as the text `dts-rules explain`
 * prints (dts/scanner.h): the record, every matching rule and why, the
 * result.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "internal.h"

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

int dts_scanner_explain_text_cb(dts_scanner *sc, const dts_value *values,
				size_t nvalues, dts_write_cb cb, void *payload)
{
	text t = {cb, payload, {0}, 0};
	dts_result res;
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
	why = dts_rules_rule_review(dts__scanner_rules(sc), res.rule_index);
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
