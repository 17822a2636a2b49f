/*
 * aggregate_sdmx.c — aggregate a CSV file of trade records by year and
 * top category and write the cube as SDMX-ML 2.1 to standard output, with
 * the installed headers and library only.
 *
 *   cc aggregate_sdmx.c $(pkg-config --cflags --libs dts) -o aggregate_sdmx
 *   ./aggregate_sdmx records.csv /usr/local/share/libdts/classifiers/cn-digital-trade.xml > cube.xml
 *
 * Records without a dts_category column are classified with the classifier
 * (compiled only when an input needs it); rejected records are named on
 * standard error and not counted. Values are in yuan with two decimals;
 * every record must be in CNY here (see dts_agg_set_rates for others).
 */
#include <stdio.h>
#include <string.h>

#include <dts.h>

struct ctx {
	const char *classifier;
	dts_rules *rules;
};

static int load_rules(const dts_rules **out, void *payload)
{
	struct ctx *c = payload;

	if (dts_rules_compile(&c->rules, &c->classifier, 1, NULL) < 0)
		return dts_error_last()->code;
	*out = c->rules;
	return 0;
}

static int rejected(const dts_agg_reject *r, void *payload)
{
	(void)payload;
	fprintf(stderr, "aggregate_sdmx: %s:%llu: %s\n", r->input,
		(unsigned long long)r->line, r->reason);
	return 0;
}

int main(int argc, char **argv)
{
	struct ctx c = {argc > 2 ? argv[2] : "classifiers/cn-digital-trade.xml", NULL};
	dts_agg *agg = NULL;
	dts_table *table = NULL;
	char msg[2048];
	int rc = 1;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: aggregate_sdmx RECORDS.csv [CLASSIFIER.xml]\n");
		return 2;
	}
	if (dts_agg_new(&agg, "period:year,category:top", "CNY") < 0)
		goto fail;
	dts_agg_set_rules_cb(agg, load_rules, &c);
	if (dts_agg_add_file(agg, argv[1], NULL, rejected, NULL) < 0 ||
	    dts_agg_table(&table, dts_agg_cube(agg), 0, 2) < 0 ||
	    dts_table_write_sdmx_ml(table, stdout) < 0)
		goto fail;
	if (fflush(stdout) != 0) {
		fprintf(stderr, "aggregate_sdmx: cannot write the output\n");
		goto done;
	}
	fprintf(stderr, "aggregate_sdmx: %llu records in %zu cells, %llu rejected\n",
		(unsigned long long)dts_agg_records(agg),
		dts_cube_count(dts_agg_cube(agg)),
		(unsigned long long)dts_agg_rejects(agg));
	rc = 0;
	goto done;
fail:
	fprintf(stderr, "aggregate_sdmx: %s\n", dts_error_format(msg, sizeof(msg)));
done:
	dts_table_free(table);
	dts_agg_free(agg);
	dts_rules_free(c.rules);
	return rc;
}
