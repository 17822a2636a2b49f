/*
 * classify_parallel.c — classify a file of trade records (CSV in any
 * supported encoding, or customs CBEC XML; "-" reads standard input) on N
 * threads with libdts alone: a record source, a batch, the shared reject
 * policy. Prints one line per record, in input order whatever N is:
 *
 *   LINE <tab> CATEGORY <tab> RULE        (classified)
 *   LINE <tab> REJECTED <tab> REASON      (rejected)
 *
 * then the counts by top category.
 *
 *   cc -std=c11 classify_parallel.c $(pkg-config --cflags --libs dts) -o classify_parallel
 *   ./classify_parallel /usr/local/share/libdts/classifiers/cn-digital-trade.xml records.csv 4
 */
#include <stdio.h>
#include <stdlib.h>

#include <dts.h>

/* Called in this thread, once per record, in input order. */
static int print_item(const dts_batch_item *item, void *payload)
{
	FILE *out = payload;

	if (item->result)
		fprintf(out, "%llu\t%s\t%s\n", (unsigned long long)item->line,
			item->result->category, item->result->rule[0] ? item->result->rule : "-");
	else
		fprintf(out, "%llu\tREJECTED\t%s\n", (unsigned long long)item->line, item->reason);
	return ferror(out) ? DTS_EUSER : 0; /* stop the batch when stdout fails */
}

int main(int argc, char **argv)
{
	const char *rules_path = argc > 1 ? argv[1] : "classifiers/cn-digital-trade.xml";
	const char *input = argc > 2 ? argv[2] : "examples/records-2024-2025.csv";
	dts_batch_options bo = DTS_BATCH_OPTIONS_INIT;
	dts_source *src = NULL;
	dts_batch *batch = NULL;
	dts_rules *rules = NULL;
	dts_batch_stats st;
	char msg[2048];
	int rc = 1, i;

	bo.threads = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 4;
	if (dts_rules_compile(&rules, &rules_path, 1, NULL) < 0 ||
	    dts_batch_new(&batch, rules, &bo) < 0 ||
	    dts_source_open(&src, input, NULL) < 0)
		goto fail;
	i = dts_batch_run(batch, src, NULL, NULL, print_item, stdout);
	if (i == DTS_EUSER) {
		fprintf(stderr, "classify_parallel: cannot write the results\n");
		goto done;
	}
	if (i < 0)
		goto fail;
	dts_batch_stats_get(&st, batch);
	printf("%llu records: %llu classified, %llu rejected;",
	       (unsigned long long)st.records_in, (unsigned long long)st.records_out,
	       (unsigned long long)st.rejected);
	for (i = 0; i < DTS_CATEGORY_TOPS; i++)
		printf(" %s %llu", dts_category_top((size_t)(i)), (unsigned long long)st.by_top[i]);
	printf(" (%d threads)\n", bo.threads);
	rc = 0;
	goto done;
fail:
	fprintf(stderr, "classify_parallel: %s\n", dts_error_format(msg, sizeof(msg)));
done:
	dts_source_free(src);
	dts_batch_free(batch);
	dts_rules_free(rules);
	return rc;
}
