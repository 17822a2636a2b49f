/*
 * prefilter — the literal prefilter's matchers on the same literals and texts.
 *
 *   prefilter [--aho-only] RULES.xml DATA.csv [MAX_RECORDS]
 *
 * For each field the compiled rule set scans with a literal automaton
 * (lib/rules/aho.c), takes that field of every record of DATA.csv (lowered
 * as the scanner lowers it), and times, best of 5 passes over the records
 * held in memory:
 *   aho         dts__aho_scan, what the scanner runs (one table load a byte
 *               when the states x 256 table fits its budget);
 *   vectorscan  Vectorscan's block mode on a database of the same literals
 *               (hs_compile_lit_multi), one hs_scan a text, when built with
 *               libhs (Debian's libvectorscan-dev).
 * Both must report the same set of literal ids for every text (checked on
 * every record; a difference fails the run). Prints one line per field and
 * matcher: field, states, patterns, bytes a text, ns a text, hits a text.
 * Used by bench/run.sh ("prefilter" table) and docs/engine.md.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dts.h"
#include "internal.h"
#include "rules_int.h"

#ifdef DTS_HAVE_HS
#include <hs/hs.h>
#endif

typedef struct texts {
	char *buf;
	size_t *off, *len, n, cap, used, bufcap;
} texts;

typedef struct hits {
	uint64_t *seen;  /* bit per literal id: reported in this text */
	size_t words;
	uint64_t count;  /* distinct (text, id) pairs over the pass */
} hits;

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void die(const char *what)
{
	char buf[2048];

	fprintf(stderr, "prefilter: %s: %s\n", what, dts_error_format(buf, sizeof(buf)));
	exit(1);
}

static void add_text(texts *t, const char *s, size_t len)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 4096;
		t->off = realloc(t->off, t->cap * sizeof(*t->off));
		t->len = realloc(t->len, t->cap * sizeof(*t->len));
	}
	if (t->used + len + 1 > t->bufcap) {
		t->bufcap = (t->used + len + 1) * 2;
		t->buf = realloc(t->buf, t->bufcap);
	}
	if (!t->off || !t->len || !t->buf) {
		fprintf(stderr, "prefilter: out of memory\n");
		exit(1);
	}
	/* lowered as the scanner's low_of() lowers a field */
	t->len[t->n] = len ? dts__fold_lower(t->buf + t->used, s, len) : 0;
	t->off[t->n++] = t->used;
	t->used += t->len[t->n - 1] + 1;
}

/* Field `name` of every record of path. */
static void load(texts *t, const char *path, const char *name, size_t max)
{
	dts_csv *r = NULL;
	dts_csv_row row;
	const char *const *names;
	size_t ncols, col = SIZE_MAX, i;
	int rc;

	if (dts_csv_open_file(&r, path, NULL) < 0)
		die(path);
	ncols = dts_csv_header(r, &names);
	for (i = 0; i < ncols; i++)
		if (!strcmp(names[i], name))
			col = i;
	while (col != SIZE_MAX && t->n < max && (rc = dts_csv_next(&row, r)) != 0) {
		if (rc == DTS_EINPUT)
			continue;
		if (rc < 0)
			die(path);
		add_text(t, col < row.nfields ? row.fields[col] : "",
			 col < row.nfields ? row.lens[col] : 0);
	}
	dts_csv_free(r);
}

static void seen_clear(hits *h)
{
	memset(h->seen, 0, h->words * sizeof(*h->seen));
}

static void note(hits *h, uint32_t id)
{
	uint64_t bit = 1ull << (id & 63);

	if (!(h->seen[id >> 6] & bit)) {
		h->seen[id >> 6] |= bit;
		h->count++;
	}
}

static void aho_hit(uint32_t id, void *payload)
{
	note(payload, id);
}

#ifdef DTS_HAVE_HS
static int hs_hit(unsigned int id, unsigned long long from,
		  unsigned long long to, unsigned int flags, void *ctx)
{
	(void)from;
	(void)to;
	(void)flags;
	note(ctx, id);
	return 0;
}
#endif

/* The best of 5 passes of one matcher over the texts, in ns a text. */
typedef void (*scan_fn)(const void *m, const char *s, size_t len, hits *h);

static void aho_scan(const void *m, const char *s, size_t len, hits *h)
{
	dts__aho_scan(m, s, len, aho_hit, h);
}

#ifdef DTS_HAVE_HS
typedef struct hsm {
	hs_database_t *db;
	hs_scratch_t *scratch;
} hsm;

static void hs_scan_one(const void *m, const char *s, size_t len, hits *h)
{
	const hsm *x = m;

	hs_scan(x->db, s, (unsigned)len, 0, x->scratch, hs_hit, h);
}
#endif

static double best_of(const texts *t, scan_fn fn, const void *m, hits *h)
{
	double best = 0;

	for (int p = 0; p < 5; p++) {
		double t0 = now_ns();

		h->count = 0;
		for (size_t i = 0; i < t->n; i++) {
			seen_clear(h);
			fn(m, t->buf + t->off[i], t->len[i], h);
		}
		t0 = now_ns() - t0;
		if (p == 0 || t0 < best)
			best = t0;
	}
	return best / (double)(t->n ? t->n : 1);
}

/* Every text gives the same literal ids with both matchers. */
static void same_ids(const texts *t, scan_fn a, const void *ma, scan_fn b,
		     const void *mb, hits *h, const char *field)
{
	uint64_t *keep = malloc(h->words * sizeof(*keep));

	for (size_t i = 0; keep && i < t->n; i++) {
		seen_clear(h);
		a(ma, t->buf + t->off[i], t->len[i], h);
		memcpy(keep, h->seen, h->words * sizeof(*keep));
		seen_clear(h);
		b(mb, t->buf + t->off[i], t->len[i], h);
		if (memcmp(keep, h->seen, h->words * sizeof(*keep))) {
			fprintf(stderr, "prefilter: %s: text %zu: the matchers "
				"report different literals\n", field, i + 1);
			exit(1);
		}
	}
	free(keep);
}

static void report(const char *field, const char *matcher, const dts_aho *a,
		   const texts *t, double ns, uint64_t count)
{
	printf("field=%s matcher=%s states=%zu patterns=%zu texts=%zu "
	       "bytes_per_text=%.1f ns_per_text=%.1f hits_per_text=%.3f\n",
	       field, matcher, dts__aho_states(a), dts__aho_npatterns(a), t->n,
	       (double)(t->used - t->n) / (double)(t->n ? t->n : 1), ns,
	       (double)count / (double)(t->n ? t->n : 1));
}

#ifdef DTS_HAVE_HS
static void hs_build(hsm *x, const dts_aho *a)
{
	size_t n = dts__aho_npatterns(a);
	const char **pats = malloc(n * sizeof(*pats));
	size_t *lens = malloc(n * sizeof(*lens));
	unsigned *ids = malloc(n * sizeof(*ids)), *flags = calloc(n, sizeof(*flags));
	hs_compile_error_t *err = NULL;

	if (!pats || !lens || !ids || !flags) {
		fprintf(stderr, "prefilter: out of memory\n");
		exit(1);
	}
	for (size_t k = 0; k < n; k++) {
		uint32_t id;

		dts__aho_pattern(&pats[k], &lens[k], &id, a, k);
		ids[k] = id;
	}
	if (hs_compile_lit_multi(pats, flags, ids, lens, (unsigned)n, HS_MODE_BLOCK,
				 NULL, &x->db, &err) != HS_SUCCESS) {
		fprintf(stderr, "prefilter: vectorscan: %s\n", err ? err->message : "?");
		exit(1);
	}
	if (hs_alloc_scratch(x->db, &x->scratch) != HS_SUCCESS) {
		fprintf(stderr, "prefilter: vectorscan: no scratch\n");
		exit(1);
	}
	free(pats);
	free(lens);
	free(ids);
	free(flags);
}
#endif

static int aho_only; /* --aho-only: for perf stat of the automaton alone */

static void one_field(const dts_rules *rules, int f, const char *path, size_t max)
{
	const dts_aho *a = rules->aho[f];
	const char *field = dts_field_name(f);
	texts t = {0};
	hits h = {0};
	double ns;

	load(&t, path, field, max);
	if (!t.n)
		return;
	h.words = rules->nlits / 64 + 1;
	if (!(h.seen = calloc(h.words, sizeof(*h.seen))))
		exit(1);
	ns = best_of(&t, aho_scan, a, &h);
	report(field, "aho", a, &t, ns, h.count);
#ifdef DTS_HAVE_HS
	if (!aho_only) {
		hsm x = {0};

		hs_build(&x, a);
		same_ids(&t, aho_scan, a, hs_scan_one, &x, &h, field);
		ns = best_of(&t, hs_scan_one, &x, &h);
		report(field, "vectorscan", a, &t, ns, h.count);
		hs_free_scratch(x.scratch);
		hs_free_database(x.db);
	}
#else
	(void)same_ids;
#endif
	free(h.seen);
	free(t.buf);
	free(t.off);
	free(t.len);
}

int main(int argc, char **argv)
{
	dts_rules_options ro = DTS_RULES_OPTIONS_INIT;
	dts_rules *rules = NULL;
	size_t max = (size_t)-1;

	if (argc > 1 && !strcmp(argv[1], "--aho-only")) {
		aho_only = 1;
		argv++;
		argc--;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: prefilter [--aho-only] RULES.xml DATA.csv [MAX_RECORDS]\n");
		return 2;
	}
	if (argc > 3)
		max = (size_t)strtoull(argv[3], NULL, 10);
	if (dts_rules_compile(&rules, (const char *const *)&argv[1], 1, &ro) < 0)
		die(argv[1]);
	for (int f = 0; f < DTS_F_COUNT; f++)
		if ((rules->lit_fields >> f) & 1u)
			one_field(rules, f, argv[2], max);
	dts_rules_free(rules);
	return 0;
}
