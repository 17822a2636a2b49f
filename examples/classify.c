/*
 * classify.c — the smallest useful libdts program: load a classifier,
 * classify a few records, print what each one is.
 *
 *   cc classify.c $(pkg-config --cflags --libs dts) -o classify
 *   ./classify /usr/local/share/libdts/classifiers/cn-digital-trade.xml
 */
#include <stdio.h>
#include <string.h>

#include <dts.h>

struct sample {
	const char *ebops, *hs, *mode, *description;
};

static const struct sample samples[] = {
	{"SI22", "", "", "阿里云 云服务器租用"},
	{"", "8471300000", "9610", "笔记本电脑 跨境零售出口"},
	{"", "8471300000", "0110", "笔记本电脑 一般贸易出口"},
	{"", "", "", "网络游戏海外发行收入"},
	{"SD", "", "", "Business travel"},
};

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "classifiers/cn-digital-trade.xml";
	dts_rules *rules = NULL;
	dts_scanner *scanner = NULL;
	char msg[2048];
	size_t i;
	int rc = 1;

	if (dts_rules_compile(&rules, &path, 1, NULL) < 0 ||
	    dts_scanner_new(&scanner, rules, 0) < 0) {
		fprintf(stderr, "classify: %s\n", dts_error_format(msg, sizeof(msg)));
		goto done;
	}
	printf("libdts %s, classifier %s %s, %zu rules\n", dts_version(),
	       dts_rules_id(rules), dts_rules_version(rules), dts_rules_count(rules));
	for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		const struct sample *s = &samples[i];
		dts_value v[4] = {
			{DTS_F_EBOPS_CODE, s->ebops, strlen(s->ebops)},
			{DTS_F_HS_CODE, s->hs, strlen(s->hs)},
			{DTS_F_TRADE_MODE, s->mode, strlen(s->mode)},
			{DTS_F_DESCRIPTION, s->description, strlen(s->description)},
		};
		dts_result r;

		if (dts_scanner_classify(&r, scanner, v, 4) < 0) {
			fprintf(stderr, "classify: %s\n", dts_error_format(msg, sizeof(msg)));
			goto done;
		}
		printf("%-28s %-16s %-24s base=%s ordered=%d delivered=%d\n",
		       s->description, r.category, r.rule[0] ? r.rule : "-",
		       r.base ? dts_base_name(r.base) : "-", r.ordered, r.delivered);
	}
	rc = 0;
done:
	dts_scanner_free(scanner);
	dts_rules_free(rules);
	return rc;
}
