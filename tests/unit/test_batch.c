/*
 * test_batch.c — dts_batch and the record writers: the same bytes and the
 * same callbacks, in input order, for 1, 2 and 4 threads; a callback stops
 * a run with its own code; counts, summary, rejects and explanations; the
 * batch's threads never take a process signal.
 */
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "check_main.h"
#include "helpers.h"

typedef struct sink {
	char *p;
	size_t len, cap;
	size_t calls;
} sink;

static int to_sink(const void *data, size_t len, void *payload)
{
	sink *s = payload;

	if (s->len + len + 1 > s->cap) {
		s->cap = (s->len + len + 1) * 2;
		s->p = realloc(s->p, s->cap);
		ck_assert_ptr_nonnull(s->p);
	}
	memcpy(s->p + s->len, data, len);
	s->len += len;
	s->p[s->len] = '\0';
	s->calls++;
	return 0;
}

static dts_rules *shipped(void)
{
	const char *path = DTS_SRCDIR "/classifiers/cn-digital-trade.xml";
	dts_rules *r = NULL;

	ck_assert_int_eq(dts_rules_compile(&r, &path, 1, NULL), 0);
	return r;
}

/* The example records, with a few bad ones spread in, repeated. */
static char *records(size_t *len)
{
	char path[1024], *src = malloc(1 << 20), *out;
	FILE *f;
	size_t n, i, at, line = 0;
	char *nl;

	snprintf(path, sizeof(path), "%s/examples/records-2024-2025.csv", DTS_SRCDIR);
	ck_assert_ptr_nonnull(f = fopen(path, "rb"));
	n = fread(src, 1, 1 << 20, f);
	fclose(f);
	out = malloc(n * 8 + 4096);
	nl = memchr(src, '\n', n);
	at = (size_t)(nl - src) + 1;
	memcpy(out, src, at); /* the header once */
	*len = at;
	for (i = 0; i < 6; i++) {
		const char *p = src + at, *end = src + n;

		while (p < end) {
			const char *e = memchr(p, '\n', (size_t)(end - p));
			size_t l = e ? (size_t)(e - p) + 1 : (size_t)(end - p);

			memcpy(out + *len, p, l);
			*len += l;
			if (++line % 97 == 0) /* reader reject, then a policy reject */
				*len += (size_t)snprintf(out + *len, 128, "short,row\n"
					"X%zu,bop,X,2024-13,,SI22,,bad date,CH,,,,,1.00,CNY\n", line);
			p += l;
		}
	}
	free(src);
	return out;
}

typedef struct seen {
	sink items;
	int stop_after;  /* stop with DTS_EUSER at this item (1-based), 0 = never */
	int n;
} seen;

static int on_item(const dts_batch_item *it, void *payload)
{
	seen *s = payload;
	char buf[512];
	int k;

	k = snprintf(buf, sizeof(buf), "%llu %s %s %d\n", (unsigned long long)it->line,
		     it->result ? it->result->category : "REJECT",
		     it->result ? "" : it->reason, it->top);
	to_sink(buf, (size_t)k, &s->items);
	if (it->result)
		ck_assert_int_eq(it->top >= 0 && it->top < DTS_CATEGORY_TOPS, 1);
	else
		ck_assert_ptr_nonnull(it->raw);
	if (++s->n == s->stop_after)
		return DTS_EUSER;
	return 0;
}

typedef struct outcome {
	sink out, rej;
	seen cb;
	dts_batch_stats st;
	int rc;
} outcome;

static void run_once(outcome *o, dts_rules *rules, int threads, dts_records_format fmt,
		     unsigned flags, int stop_after)
{
	dts_batch_options bo = DTS_BATCH_OPTIONS_INIT;
	dts_batch *b;
	dts_source *src;
	dts_records *w, *rj;
	const char *const *names;
	size_t len, n;
	char *data = records(&len);

	memset(o, 0, sizeof(*o));
	o->cb.stop_after = stop_after;
	bo.threads = threads;
	bo.flags = flags & DTS_RECORDS_EXPLAIN ? DTS_BATCH_EXPLAIN : 0;
	bo.block_rows = 37; /* many blocks, so the threads really interleave */
	ck_assert_int_eq(dts_batch_new(&b, rules, &bo), 0);
	ck_assert_int_eq(dts_source_open_buffer(&src, data, len, "records.csv", NULL), 0);
	n = dts_source_header(src, &names);
	ck_assert_int_eq(dts_records_new_cb(&w, fmt, flags, names, n, to_sink, &o->out), 0);
	ck_assert_int_eq(dts_records_new_cb(&rj, DTS_RECORDS_REJECTS, 0, NULL, 0, to_sink, &o->rej), 0);
	ck_assert_int_eq(dts_records_write_header(w), 0);
	ck_assert_int_eq(dts_records_write_header(rj), 0);
	o->rc = dts_batch_run(b, src, w, rj, on_item, &o->cb);
	dts_batch_stats_get(&o->st, b);
	dts_records_free(w);
	dts_records_free(rj);
	dts_source_free(src);
	dts_batch_free(b);
	free(data);
}

static void outcome_free(outcome *o)
{
	free(o->out.p);
	free(o->rej.p);
	free(o->cb.items.p);
}

static void same_for_any_threads(dts_records_format fmt, unsigned flags)
{
	dts_rules *rules = shipped();
	outcome one, more;
	static const int threads[] = {2, 4};

	run_once(&one, rules, 1, fmt, flags, 0);
	ck_assert_int_eq(one.rc, 0);
	ck_assert_uint_gt(one.st.rejected, 10);
	ck_assert_uint_eq(one.st.records_in, one.st.records_out + one.st.rejected);
	for (size_t i = 0; i < 2; i++) {
		run_once(&more, rules, threads[i], fmt, flags, 0);
		ck_assert_int_eq(more.rc, 0);
		ck_assert_uint_eq(more.out.len, one.out.len);
		ck_assert_int_eq(memcmp(more.out.p, one.out.p, one.out.len), 0);
		ck_assert_str_eq(more.rej.p, one.rej.p);
		ck_assert_str_eq(more.cb.items.p, one.cb.items.p);
		ck_assert_int_eq(memcmp(&more.st, &one.st, sizeof(one.st)), 0);
		outcome_free(&more);
	}
	outcome_free(&one);
	dts_rules_free(rules);
}

START_TEST(csv_same_for_1_2_4_threads)
{
	same_for_any_threads(DTS_RECORDS_CSV, 0);
}
END_TEST

START_TEST(jsonl_explain_same_for_1_2_4_threads)
{
	same_for_any_threads(DTS_RECORDS_JSONL, DTS_RECORDS_EXPLAIN);
}
END_TEST

START_TEST(callback_stops_with_its_code)
{
	dts_rules *rules = shipped();
	outcome o;
	int threads = _i ? 4 : 1;

	run_once(&o, rules, threads, DTS_RECORDS_CSV, 0, 100);
	ck_assert_int_eq(o.rc, DTS_EUSER);
	ck_assert_int_eq(o.cb.n, 100);
	ck_assert_uint_eq(o.st.records_in, 100);
	ck_assert_int_eq(o.st.stopped, 1);
	/* The writers got the rows up to the one that stopped, no more:
	 * the header and 100 rows between them. */
	{
		size_t lines = 0;

		for (size_t i = 0; i < o.out.len; i++)
			lines += o.out.p[i] == '\n';
		for (size_t i = 0; i < o.rej.len; i++)
			lines += o.rej.p[i] == '\n';
		ck_assert_uint_eq(lines, 2 + 100);
	}
	outcome_free(&o);
	dts_rules_free(rules);
}
END_TEST

START_TEST(rejects_and_summary)
{
	dts_rules *rules = shipped();
	outcome o;
	sink sum = {0};
	FILE *f = tmpfile();
	char buf[1024];
	size_t n;

	run_once(&o, rules, 2, DTS_RECORDS_CSV, 0, 0);
	ck_assert_ptr_nonnull(strstr(o.rej.p, "line,reason,raw\n"));
	ck_assert_ptr_nonnull(strstr(o.rej.p, "\"wrong number of fields (got 2, header has 15)\",\"short,row\"\n"));
	ck_assert_ptr_nonnull(strstr(o.rej.p, "not a date"));
	ck_assert_ptr_nonnull(strstr(o.out.p, ",dts_category,dts_rule,dts_base,dts_ordered,dts_delivered,dts_platform,dts_deliverable\n"));
	ck_assert_int_eq(dts_records_summary_cb(to_sink, &sum, rules, &o.st), 0);
	ck_assert_uint_eq(sum.calls, 1);
	ck_assert_ptr_nonnull(strstr(sum.p, "\"stopped_at_first_reject\":false,\"by_category\":{\"CBEC\":"));
	ck_assert_int_eq(dts_records_summary_file(f, rules, &o.st), 0);
	rewind(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	ck_assert_str_eq(buf, sum.p);
	fclose(f);
	{
		uint64_t t = 0;

		for (int i = 0; i < DTS_CATEGORY_TOPS; i++)
			t += o.st.by_top[i];
		ck_assert_uint_eq(t, o.st.records_out);
	}
	ck_assert_str_eq(dts_category_top((size_t)(0)), "CBEC");
	ck_assert_str_eq(dts_category_top((size_t)(DTS_CATEGORY_TOPS - 1)), "NONE");
	ck_assert_ptr_null(dts_category_top((size_t)(DTS_CATEGORY_TOPS)));
	free(sum.p);
	outcome_free(&o);
	dts_rules_free(rules);
}
END_TEST

START_TEST(writer_one_row)
{
	const char *hdr[] = {"id", "description"};
	const char *cols[] = {"A\"1", "x,y"};
	size_t lens[] = {3, 3};
	dts_result r = {"TECH.CLOUD", "r1", 0, 0, DTS_BASE_SERVICES, 1, 0, 1};
	dts_batch_item it = {0};
	dts_records *w;
	sink s = {0};

	it.cols = cols;
	it.lens = lens;
	it.ncols = 2;
	it.result = &r;
	ck_assert_int_eq(dts_records_new_cb(&w, DTS_RECORDS_CSV, 0, hdr, 2, to_sink, &s), 0);
	ck_assert_int_eq(dts_records_write(w, &it), 0);
	ck_assert_str_eq(s.p, "\"A\"\"1\",\"x,y\",TECH.CLOUD,r1,services,1,0,1,0\n");
	dts_records_free(w);
	s.len = 0;
	ck_assert_int_eq(dts_records_new_cb(&w, DTS_RECORDS_JSONL, 0, hdr, 2, to_sink, &s), 0);
	ck_assert_int_eq(dts_records_write(w, &it), 0);
	ck_assert_str_eq(s.p, "{\"id\":\"A\\\"1\",\"description\":\"x,y\",\"dts_category\":\"TECH.CLOUD\","
			 "\"dts_rule\":\"r1\",\"dts_base\":\"services\",\"dts_ordered\":1,"
			 "\"dts_delivered\":0,\"dts_platform\":1,\"dts_deliverable\":0}\n");
	dts_records_free(w);
	/* A rejects writer skips classified rows and escapes raw bytes. */
	s.len = 0;
	ck_assert_int_eq(dts_records_new_cb(&w, DTS_RECORDS_REJECTS, 0, NULL, 0, to_sink, &s), 0);
	ck_assert_int_eq(dts_records_write(w, &it), 0);
	ck_assert_uint_eq(s.len, 0);
	it.result = NULL;
	it.line = 7;
	it.reason = "NUL byte in column 2";
	it.raw = "a,\0b";
	it.raw_len = 4;
	ck_assert_int_eq(dts_records_write(w, &it), 0);
	ck_assert_str_eq(s.p, "7,NUL byte in column 2,\"a,\\x00b\"\n");
	dts_records_free(w);
	dts_records_free(NULL);
	ck_assert_int_eq(dts_records_new_cb(&w, 99, 0, NULL, 0, to_sink, &s), DTS_EINVAL);
	ck_assert_int_eq(dts_records_new_file(&w, DTS_RECORDS_CSV, 0, hdr, 2, NULL), DTS_EINVAL);
	free(s.p);
}
END_TEST

/* DTS_RECORDS_REVIEW adds dts_review (empty when confident);
 * DTS_RECORDS_REVIEW_ONLY writes only the rows to review and counts them
 * for dts_records_summary_review_file(). */
START_TEST(writer_review)
{
	dts_rules *rules = shipped();
	const char *hdr[] = {"id"};
	const char *cols[] = {"A"};
	size_t lens[] = {1};
	dts_result r = {"TECH.CLOUD", "r1", 0, 0, DTS_BASE_SERVICES, 0, 1, 0};
	dts_batch_item it = {0};
	dts_batch_stats st = {0};
	dts_records *w, *rv;
	sink s = {0}, sr = {0};
	const char *why = NULL;
	int confident = -1, doubtful = -1;
	char buf[2048], want[256];
	FILE *f = tmpfile();
	size_t n;

	for (size_t i = 0; i < dts_rules_count(rules); i++) {
		const char *x = dts_rules_rule_review(rules, (int)i);

		if (x && doubtful < 0)
			doubtful = (int)i, why = x;
		if (!x && confident < 0)
			confident = (int)i;
	}
	ck_assert_int_ge(doubtful, 0);
	ck_assert_int_ge(confident, 0);
	it.cols = cols;
	it.lens = lens;
	it.ncols = 1;
	it.result = &r;
	ck_assert_int_eq(dts_records_set_rules(NULL, rules), DTS_EINVAL);
	ck_assert_int_eq(dts_records_new_cb(&w, DTS_RECORDS_CSV, DTS_RECORDS_REVIEW, hdr, 1, to_sink, &s), 0);
	ck_assert_int_eq(dts_records_set_rules(w, NULL), DTS_EINVAL);
	ck_assert_int_eq(dts_records_set_rules(w, rules), 0);
	ck_assert_int_eq(dts_records_new_cb(&rv, DTS_RECORDS_CSV, DTS_RECORDS_REVIEW | DTS_RECORDS_REVIEW_ONLY,
					    hdr, 1, to_sink, &sr), 0);
	ck_assert_int_eq(dts_records_set_rules(rv, rules), 0);
	ck_assert_int_eq(dts_records_write_header(w), 0);
	ck_assert_str_eq(s.p, "id,dts_category,dts_rule,dts_base,dts_ordered,dts_delivered,dts_platform,dts_deliverable,dts_review\n");
	s.len = 0;
	r.rule_index = confident;
	ck_assert_int_eq(dts_records_write(w, &it), 0);
	ck_assert_int_eq(dts_records_write(rv, &it), 0);
	ck_assert_str_eq(s.p, "A,TECH.CLOUD,r1,services,0,1,0,0,\n");
	ck_assert_uint_eq(sr.len, 0);
	r.rule_index = doubtful;
	ck_assert_int_eq(dts_records_write(rv, &it), 0);
	snprintf(want, sizeof(want), "A,TECH.CLOUD,r1,services,0,1,0,0,%s\n", why);
	ck_assert_str_eq(sr.p, want);
	r.rule_index = -1;
	ck_assert_int_eq(dts_records_write(rv, &it), 0);
	ck_assert_int_eq(dts_records_summary_review_file(f, rules, &st, NULL, rv), 0);
	rewind(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	if (strcmp(why, "no-evidence") < 0)
		snprintf(want, sizeof(want), ",\"review\":{\"total\":2,\"by_reason\":{\"%s\":1,\"no-evidence\":1}}}\n", why);
	else
		snprintf(want, sizeof(want), ",\"review\":{\"total\":2,\"by_reason\":{\"no-evidence\":1,\"%s\":1}}}\n", why);
	ck_assert_ptr_nonnull(strstr(buf, want));
	ck_assert_ptr_nonnull(strstr(buf, "\"by_category\":{\"CBEC\":0,"));
	ck_assert_int_eq(dts_records_summary_review_file(NULL, rules, &st, NULL, rv), DTS_EINVAL);
	fclose(f);
	dts_records_free(w);
	dts_records_free(rv);
	free(s.p);
	free(sr.p);
	dts_rules_free(rules);
}
END_TEST

static int count_items(const dts_batch_item *item, void *payload)
{
	(void)item;
	++*(int *)payload;
	return 0;
}

/* A read error (the file shrank while read) comes after the rows before it. */
START_TEST(read_error_after_the_rows_before_it)
{
	dts_rules *rules = shipped();
	dts_batch_options bo = DTS_BATCH_OPTIONS_INIT;
	dts_source_options so = DTS_SOURCE_OPTIONS_INIT;
	char path[] = "/tmp/test_batch.XXXXXX";
	dts_batch *b;
	dts_source *src;
	size_t len;
	char *data = records(&len);
	int fd = mkstemp(path), n = 0;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
	bo.threads = _i ? 3 : 1;
	bo.block_rows = 16;
	so.block_size = 4096;
	ck_assert_int_eq(dts_batch_new(&b, rules, &bo), 0);
	ck_assert_int_eq(dts_source_open(&src, path, &so), 0);
	ck_assert_int_eq(ftruncate(fd, (off_t)(len / 2)), 0);
	ck_assert_int_eq(dts_batch_run(b, src, NULL, NULL, count_items, &n), DTS_EIO);
	ck_assert_str_eq(dts_error_last()->file, path);
	ck_assert_int_gt(n, 100);
	dts_source_free(src);
	dts_batch_free(b);
	close(fd);
	unlink(path);
	free(data);
	dts_rules_free(rules);
}
END_TEST

START_TEST(bad_options)
{
	dts_rules *rules = shipped();
	dts_batch_options bo = DTS_BATCH_OPTIONS_INIT;
	dts_batch *b;

	bo.threads = DTS_BATCH_MAX_THREADS + 1;
	ck_assert_int_eq(dts_batch_new(&b, rules, &bo), DTS_EINVAL);
	bo.threads = 2;
	bo.version = 0;
	ck_assert_int_eq(dts_batch_new(&b, rules, &bo), DTS_EINVAL);
	ck_assert_int_eq(dts_batch_new(&b, rules, NULL), 0);
	ck_assert_int_eq(dts_batch_run(b, NULL, NULL, NULL, NULL, NULL), DTS_EINVAL);
	dts_batch_free(b);
	dts_batch_free(NULL);
	dts_rules_free(rules);
}
END_TEST

static volatile sig_atomic_t handled_elsewhere;
static pthread_t test_thread;

static void note_thread(int sig)
{
	(void)sig;
	if (!pthread_equal(pthread_self(), test_thread))
		handled_elsewhere = 1;
}

/* A signal the caller's thread blocks stays pending for it: a worker that
 * took it would run the program's handler beside the caller's critical
 * section (tools/tool_out.c registers temporary files so). */
START_TEST(workers_take_no_signal)
{
	dts_rules *rules = shipped();
	dts_batch_options bo = DTS_BATCH_OPTIONS_INIT;
	struct timespec wait = {0, 200 * 1000 * 1000};
	struct sigaction sa;
	sigset_t usr1;
	dts_batch *b;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = note_thread;
	ck_assert_int_eq(sigaction(SIGUSR1, &sa, NULL), 0);
	test_thread = pthread_self();
	bo.threads = 3;
	ck_assert_int_eq(dts_batch_new(&b, rules, &bo), 0);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	ck_assert_int_eq(pthread_sigmask(SIG_BLOCK, &usr1, NULL), 0);
	ck_assert_int_eq(kill(getpid(), SIGUSR1), 0);
	/* time for a worker to take it, were it allowed to */
	nanosleep(&wait, NULL);
	ck_assert_int_eq(sigtimedwait(&usr1, NULL, &wait), SIGUSR1);
	ck_assert_int_eq(handled_elsewhere, 0);
	dts_batch_free(b);
	dts_rules_free(rules);
}
END_TEST

static Suite *batch_suite(void)
{
	Suite *s = suite_create("batch");
	TCase *tc = tcase_create("batch");

	tcase_add_test(tc, csv_same_for_1_2_4_threads);
	tcase_add_test(tc, jsonl_explain_same_for_1_2_4_threads);
	tcase_add_loop_test(tc, callback_stops_with_its_code, 0, 2);
	tcase_add_test(tc, rejects_and_summary);
	tcase_add_test(tc, writer_one_row);
	tcase_add_test(tc, writer_review);
	tcase_add_loop_test(tc, read_error_after_the_rows_before_it, 0, 2);
	tcase_add_test(tc, bad_options);
	tcase_add_test(tc, workers_take_no_signal);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return dts_test_run(batch_suite());
}
