/*
 * test_differential.c — two paths that must agree:
 *   1. the prefilter (candidate selection by index and automaton) against
 *      trying every rule, on random rule sets and random records;
 *   2. N threads sharing one dts_rules against one thread.
 * Deterministic: a fixed-seed generator, no timing.
 */
#include "check_main.h"
#include <pthread.h>

#include "helpers.h"

/* xorshift64*: deterministic and the same on every platform. */
static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ull;
}

static size_t pick(size_t n)
{
	return (size_t)(rnd() % n);
}

#define PICK(a) (a)[pick(sizeof(a) / sizeof((a)[0]))]

static const char *const hs[] = {"8471", "847130", "8471.30.00", "8523", "852349", "8523 49 10", "0101", "61091000", "9504", "950450"};
static const char *const ebops[] = {"SI", "SI2", "SI21", "SI22", "si 22", "SJ", "SJ22", "SK11", "SC1", "SH3", "ＳＩ２１"};
static const char *const modes[] = {"9610", "9710", "0110", "1210", "９６１０", "1039"};
static const char *const words[] = {"cloud", "Cloud", "CLOUD", "soft", "software", "SaaS", "game", "云服务", "云计算", "软件",
				     "游戏", "数据", "大模型", "ai", "AI", "ＡＩ", "data", "license", "video", "kelvin",
				     "serv", "er", "数", "x"};
static const char *const channels[] = {"online", "Online", "offline", "platform", ""};
static const char *const flows[] = {"X", "M", "出口", "进口", "export", "i"};
static const char *const amounts[] = {"0", "100", "5000", "5000.00", "12,345.67", "abc", "", "-3"};

static const char *const patterns[] = {
	"cloud|云服务", "soft(ware)?", "\\b(ai|大模型)\\b", "(?:game|游戏)s?", "saas|paas", "a.b", "\\w+",
	"数据(集|库)?", "^soft", "video$", "li[cs]ense", "(?i)data", "gam+e", "云(服务|计算)", "[0-9]+",
	"(cloud|soft)ware", "x?y?", "kelvin|ſerv",
};

static void gen_leaf(char *buf, size_t size)
{
	size_t used = strlen(buf);

	switch (pick(9)) {
	case 0:
		snprintf(buf + used, size - used, "<in field=\"hs_code\">%s %s</in>", PICK(hs), "9999");
		break;
	case 1:
		snprintf(buf + used, size - used, "<prefix field=\"ebops_code\">%s</prefix>", PICK(ebops));
		break;
	case 2:
		snprintf(buf + used, size - used, "<in field=\"trade_mode\">%s %s</in>", PICK(modes), PICK(modes));
		break;
	case 3:
		snprintf(buf + used, size - used, "<regex field=\"description\" caseless=\"%s\">%s</regex>",
			 pick(2) ? "yes" : "no", PICK(patterns));
		break;
	case 4:
		snprintf(buf + used, size - used, "<contains field=\"description\" caseless=\"%s\">%s|%s</contains>",
			 pick(2) ? "yes" : "no", PICK(words), PICK(words));
		break;
	case 5:
		snprintf(buf + used, size - used, "<range field=\"hs_code\" from=\"8471\" to=\"%s\"/>", pick(2) ? "8523" : "9504");
		break;
	case 6:
		snprintf(buf + used, size - used, "<%s field=\"%s\"/>", pick(2) ? "present" : "empty",
			 pick(2) ? "channel" : "hs_code");
		break;
	case 7:
		snprintf(buf + used, size - used, "<amount op=\"%s\" value=\"5000\"/>", pick(2) ? "ge" : "lt");
		break;
	default:
		snprintf(buf + used, size - used, "<eq field=\"%s\">%s</eq>", pick(2) ? "channel" : "flow",
			 pick(2) ? PICK(channels) : PICK(flows));
		if (strstr(buf + used, "></eq>")) /* no empty eq */
			snprintf(buf + used, size - used, "<eq field=\"flow\">X</eq>");
		break;
	}
}

static void gen_cond(char *buf, size_t size, int depth)
{
	size_t used = strlen(buf), n, i;
	static const char *const comb[] = {"all", "any", "not"};
	const char *c;

	if (depth >= 3 || pick(3) == 0) {
		gen_leaf(buf, size);
		return;
	}
	c = PICK(comb);
	n = strcmp(c, "not") == 0 ? 1 : 1 + pick(3);
	snprintf(buf + used, size - used, "<%s>", c);
	for (i = 0; i < n; i++)
		gen_cond(buf, size, depth + 1);
	used = strlen(buf);
	snprintf(buf + used, size - used, "</%s>", c);
}

static char *gen_rules(size_t nrules)
{
	static const char *const cats[] = {"TECH.CLOUD", "TECH.SOFTWARE", "PROD.GAME", "CBEC.B2C", "DATA.PRODUCT", "NONE"};
	size_t size = nrules * 1024 + 1024, i;
	char *body = calloc(1, size), *xml;

	ck_assert_ptr_nonnull(body);
	for (i = 0; i < nrules; i++) {
		size_t used = strlen(body);

		snprintf(body + used, size - used, "<rule id=\"r%zu\" category=\"%s\" priority=\"%d\">",
			 i, PICK(cats), (int)pick(5) * 10);
		gen_cond(body, size, 0);
		if (pick(2))
			gen_cond(body, size, 1);
		used = strlen(body);
		snprintf(body + used, size - used, "</rule>\n");
	}
	xml = wrap_classifier(body);
	free(body);
	return xml;
}

typedef struct rec {
	dts_value v[7];
	char desc[128];
} rec;

static void gen_record(rec *r)
{
	size_t n = 0;

	snprintf(r->desc, sizeof(r->desc), "%s %s%s", PICK(words), PICK(words), pick(2) ? "" : PICK(words));
	if (pick(4))
		r->v[n++] = (dts_value){DTS_F_HS_CODE, PICK(hs), 0};
	if (pick(2))
		r->v[n++] = (dts_value){DTS_F_EBOPS_CODE, PICK(ebops), 0};
	if (pick(2))
		r->v[n++] = (dts_value){DTS_F_TRADE_MODE, PICK(modes), 0};
	r->v[n++] = (dts_value){DTS_F_DESCRIPTION, r->desc, 0};
	r->v[n++] = (dts_value){DTS_F_CHANNEL, PICK(channels), 0};
	r->v[n++] = (dts_value){DTS_F_FLOW, PICK(flows), 0};
	r->v[n++] = (dts_value){DTS_F_VALUE, PICK(amounts), 0};
	for (size_t i = n; i < 7; i++)
		r->v[i] = (dts_value){DTS_F_ID, "", 0};
	for (size_t i = 0; i < 7; i++)
		r->v[i].len = strlen(r->v[i].data);
}

START_TEST(prefilter_equals_full_scan)
{
	size_t set, i, records = 0, indexed_sets = 0;
	dts_scanner_stats fast_stats, slow_stats;

	rng_state = 0x9E3779B97F4A7C15ull;
	for (set = 0; set < 40; set++) {
		dts_rules *rules = NULL;
		dts_scanner *fast = NULL, *slow = NULL;
		char *xml = gen_rules(20 + pick(200));
		int rc = dts_rules_compile_buffer(&rules, "random.xml", NULL, xml, strlen(xml), NULL);

		if (rc < 0) {
			char buf[2048];

			ck_abort_msg("random rule set %zu failed to compile: %s", set,
				     dts_error_format(buf, sizeof(buf)));
		}
		free(xml);
		ck_assert_int_eq(dts_scanner_new(&fast, rules, 0), 0);
		ck_assert_int_eq(dts_scanner_new(&slow, rules, DTS_SCAN_NO_PREFILTER), 0);
		for (i = 0; i < 500; i++) {
			rec r;
			dts_result a, b;

			gen_record(&r);
			ck_assert_int_eq(dts_scanner_classify(&a, fast, r.v, 7), 0);
			ck_assert_int_eq(dts_scanner_classify(&b, slow, r.v, 7), 0);
			if (a.rule_index != b.rule_index)
				ck_abort_msg("set %zu record %zu (%s): prefilter gave '%s', full scan '%s'",
					     set, i, r.desc, a.rule, b.rule);
			ck_assert_str_eq(a.category, b.category);
			records++;
		}
		dts_scanner_stats_get(&fast_stats, fast);
		dts_scanner_stats_get(&slow_stats, slow);
		if (fast_stats.candidates < slow_stats.candidates)
			indexed_sets++;
		dts_scanner_free(fast);
		dts_scanner_free(slow);
		dts_rules_free(rules);
	}
	ck_assert_uint_ge(records, 10000);
	ck_assert_uint_ge(indexed_sets, 30); /* the prefilter really prunes */
}
END_TEST

/* ---- threads ------------------------------------------------------------------- */

#define NREC 20000
#define NTHREADS 4

static rec records_g[NREC];
static const dts_rules *shared_rules;

typedef struct job {
	int results[NREC];
	int error;
} job;

static void *run_job(void *arg)
{
	job *j = arg;
	dts_scanner *s = NULL;
	size_t i;

	if (dts_scanner_new(&s, shared_rules, 0) < 0) {
		j->error = 1;
		return NULL;
	}
	for (i = 0; i < NREC; i++) {
		dts_result r;

		if (dts_scanner_classify(&r, s, records_g[i].v, 7) < 0)
			j->error = 1;
		j->results[i] = r.rule_index;
	}
	dts_scanner_free(s);
	return NULL;
}

START_TEST(threads_agree_with_one_thread)
{
	static job single, jobs[NTHREADS];
	pthread_t th[NTHREADS];
	dts_rules *rules = NULL;
	char *xml;
	size_t i, t;

	rng_state = 42;
	xml = gen_rules(300);
	ck_assert_int_eq(dts_rules_compile_buffer(&rules, "threads.xml", NULL, xml, strlen(xml), NULL), 0);
	free(xml);
	for (i = 0; i < NREC; i++)
		gen_record(&records_g[i]); /* in place: desc points into it */
	shared_rules = rules;
	run_job(&single);
	ck_assert_int_eq(single.error, 0);
	for (t = 0; t < NTHREADS; t++)
		ck_assert_int_eq(pthread_create(&th[t], NULL, run_job, &jobs[t]), 0);
	for (t = 0; t < NTHREADS; t++) {
		pthread_join(th[t], NULL);
		ck_assert_int_eq(jobs[t].error, 0);
		ck_assert_int_eq(memcmp(jobs[t].results, single.results, sizeof(single.results)), 0);
	}
	dts_rules_free(rules);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("differential");
	TCase *tc = tcase_create("differential");

	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, prefilter_equals_full_scan);
	tcase_add_test(tc, threads_agree_with_one_thread);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return dts_test_run(suite());
}
