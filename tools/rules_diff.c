/*
 * rules_diff.c — the layout of `dts-rules diff OLD NEW INPUT...`: the
 * library counts (dts/diff.h); this prints the summary, the moves and the
 * totals, and writes the --details file.
 */
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "rules_diff.h"

/* --details: one CSV row per record that moves. A failed write leaves the
 * stream's error flag set: tool_out_commit reports it, naming the file. */
static int write_moved(const dts_diff_record *r, void *payload)
{
	int rc = payload ? dts_diff_write_record(payload, r) : 0;

	return rc == DTS_EIO ? 0 : rc;
}

static void money_str(char *out, size_t n, const dts_amount *v)
{
	if (dts_amount_format(out, n, v, 0, 2) < 0)
		snprintf(out, n, "?");
}

static int print_move(const dts_diff_cell *c, void *payload)
{
	char v[64];

	(void)payload;
	money_str(v, sizeof(v), &c->value);
	printf("%-24s %-24s %10llu %20s\n", c->old_category, c->new_category,
	       (unsigned long long)c->records, v);
	return 0;
}

static int print_total(const dts_diff_total *t, void *payload)
{
	char va[64], vb[64];

	(void)payload;
	money_str(va, sizeof(va), &t->old_value);
	money_str(vb, sizeof(vb), &t->new_value);
	printf("%-24s %10llu %10llu %20s %20s\n", t->category,
	       (unsigned long long)t->old_records,
	       (unsigned long long)t->new_records, va, vb);
	return 0;
}

static int report(const dts_diff *d)
{
	dts_diff_stats st;
	char v[64];

	dts_diff_stats_get(&st, d);
	money_str(v, sizeof(v), &st.moved_value);
	printf("%s: %llu records, %llu rejected, %llu change category, value moved %s\n",
	       tool_name, (unsigned long long)st.records,
	       (unsigned long long)st.rejected, (unsigned long long)st.moved, v);
	if (st.moved) {
		printf("\n%-24s %-24s %10s %20s\n", "old category", "new category",
		       "records", "value");
		dts_diff_moves(d, print_move, NULL);
	}
	printf("\n%-24s %10s %10s %20s %20s\n", "category", "old", "new",
	       "old value", "new value");
	if (dts_diff_totals(d, print_total, NULL) < 0)
		return tool_lib_error("diff");
	return st.moved ? EXIT_REJECTS : EXIT_OK;
}

static int diff_input(dts_diff *d, const char *path, FILE *details)
{
	input_options io = {0};
	input *in;
	int rc;

	if (input_open(&in, path, &io) < 0)
		return -1;
	if ((rc = dts_diff_source(d, in, write_moved, details)) < 0)
		tool_lib_error(rc == DTS_EOVERFLOW ? "diff" : input_path(in));
	input_free(in);
	return rc < 0 ? -1 : 0;
}

int rules_diff(char *const *args, int n, const char *details)
{
	const char *paths[2] = {n > 0 ? args[0] : NULL, n > 1 ? args[1] : NULL};
	dts_rules *rules[2] = {NULL, NULL};
	dts_diff *d = NULL;
	tool_out out;
	int i, rc = EXIT_IO;

	memset(&out, 0, sizeof(out));
	if (n < 3) {
		tool_warn("diff: give OLD.xml NEW.xml and at least one input file");
		return EXIT_USAGE;
	}
	for (i = 0; i < 2; i++)
		if (!(rules[i] = tool_load_rules(&paths[i], 1)))
			goto done;
	if (dts_diff_new(&d, rules[0], rules[1], DTS_SCAN_VALID_UTF8) < 0) {
		tool_lib_error(NULL);
		goto done;
	}
	if (details) {
		if (tool_out_open(&out, details) < 0)
			goto done;
		fputs(DTS_DIFF_DETAILS_HEADER, out.f);
	}
	for (i = 2; i < n; i++)
		if (diff_input(d, args[i], out.f) < 0)
			goto done;
	if (details && tool_out_commit(&out) < 0)
		goto done;
	rc = report(d);
done:
	if (rc == EXIT_IO)
		tool_out_abort(&out);
	dts_diff_free(d);
	dts_rules_free(rules[0]);
	dts_rules_free(rules[1]);
	return rc;
}
