/*
 * reconcile.c — compare two CSV files record by record on a key with
 * libdts, and print where every record went: matched, a disagreement,
 * duplicate, one side only, rejected. Uses only the installed headers.
 *
 *   cc reconcile.c $(pkg-config --cflags --libs dts) -o reconcile
 *   ./reconcile examples/reconcile-left.csv examples/reconcile-right.csv id
 *
 * The files carry their category (a dts_category column, as dts-classify
 * writes it); for files without one give a classifier as a fourth
 * argument and the records are classified under the library's reject
 * policy.
 */
#include <stdio.h>
#include <string.h>

#include <dts.h>

static int print_item(const dts_recon_item *it, void *payload)
{
	const dts_recon_side *s = it->left.present ? &it->left : &it->right;
	char v[64];

	(void)payload;
	dts_recon_money_format(v, sizeof(v), s->value);
	printf("%-13s key=%-6s line=%-3llu %s", dts_recon_bucket_name(it->bucket),
	       it->key_len ? it->key : "-", (unsigned long long)s->line,
	       it->bucket == DTS_RECON_REJECTED ? "" : v);
	if (it->left.present && it->right.present) {
		char d[64];

		dts_recon_amount_format(d, sizeof(d), &it->difference);
		printf(" right-left=%s %s/%s", d, it->left.category, it->right.category);
	}
	printf("%s%s\n", *it->reason ? "  " : "", it->reason);
	return 0;
}

int main(int argc, char **argv)
{
	const char *key = argc > 3 ? argv[3] : "id";
	dts_recon_options opts = DTS_RECON_OPTIONS_INIT;
	dts_source *src[2] = {NULL, NULL};
	dts_rules *rules = NULL;
	dts_scanner *scanner = NULL;
	dts_recon *rec = NULL;
	dts_table *summary = NULL;
	dts_recon_counts total;
	char msg[2048];
	int rc = 1, classify[2] = {0, 0};

	if (argc < 3) {
		fprintf(stderr, "usage: reconcile LEFT.csv RIGHT.csv [KEY [CLASSIFIER]]\n");
		return 2;
	}
	/* Values may differ by 5% of the left value; compare categories too. */
	if (dts_recon_tolerance_parse(&opts.tolerance, "5%", 2) < 0 ||
	    dts_recon_new(&rec, &key, 1, &opts) < 0)
		goto fail;
	for (int s = 0; s < 2; s++)
		if (dts_source_open(&src[s], argv[1 + s], NULL) < 0 ||
		    dts_recon_bind_source(&classify[s], rec, s, src[s]) < 0)
			goto fail;
	if (classify[0] || classify[1]) {
		const char *path = argc > 4 ? argv[4] : "classifiers/cn-digital-trade.xml";

		if (dts_rules_compile(&rules, &path, 1, NULL) < 0 ||
		    dts_scanner_new(&scanner, rules, 0) < 0)
			goto fail;
	}
	if (dts_recon_add_sources(rec, src[0], src[1], scanner) < 0 ||
	    dts_recon_run(rec, print_item, NULL) != 0 ||
	    dts_recon_summary(&total, rec) < 0 ||
	    dts_recon_summary_table(&summary, rec) < 0)
		goto fail;
	printf("\n");
	if (dts_table_write_text(summary, stdout) < 0)
		goto fail;
	printf("\nleft %llu records: %llu matched, %llu only left; "
	       "right %llu: %llu only right\n",
	       (unsigned long long)total.read[0],
	       (unsigned long long)total.pairs[DTS_RECON_MATCHED],
	       (unsigned long long)total.only[0], (unsigned long long)total.read[1],
	       (unsigned long long)total.only[1]);
	rc = 0;
	goto done;
fail:
	fprintf(stderr, "reconcile: %s\n", dts_error_format(msg, sizeof(msg)));
done:
	dts_table_free(summary);
	dts_recon_free(rec);
	dts_source_free(src[0]);
	dts_source_free(src[1]);
	dts_scanner_free(scanner);
	dts_rules_free(rules);
	return rc;
}
