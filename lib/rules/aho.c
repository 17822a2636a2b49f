/*
 * aho.c — Aho-Corasick automaton over bytes, for the regex prefilter.
 *
 * Built once per rule set, scanned per record field. When the full DFA fits
 * in TABLE_BYTES it is built, so a scan is one table load per byte;
 * otherwise the trie keeps sorted edge arrays and the scan follows failure
 * links (root transitions stay a direct table).
 *
 * The DFA's columns are byte classes, not bytes: every byte that occurs in
 * no pattern leads from every state where the root leads on it (class 0),
 * and each byte that occurs has a class of its own; rows are 16-bit when
 * the states fit. The default classifier's description automaton (3,163
 * literals, 21,829 states, 205 distinct bytes) is 8.5 MiB so instead of
 * 21.3 MiB: the scan touches fewer cache lines and pages, and building it
 * copies less (docs/engine.md "The prefilter", bench/prefilter.c).
 *
 * The trie is built from the patterns sorted bytewise: each state's children
 * are then created in increasing byte order, so a stable counting sort by
 * parent gives sorted edge arrays without any per-state allocation.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define TABLE_BYTES ((size_t)64 << 20) /* 64 MiB for the full DFA */
#define NONE UINT32_MAX

struct dts_aho {
	uint32_t nstates;
	uint32_t ncls;         /* byte classes: columns of the DFA */
	uint16_t *delta16;     /* nstates * ncls when nstates <= 65536, */
	uint32_t *delta;       /* else this; both NULL: fallback mode */
	uint32_t *fail;        /* longest proper suffix that is a state */
	uint32_t *dict;        /* nearest state down the fail chain with output, 0 none */
	uint32_t *emit;        /* s itself when it has output, else dict[s]: one load per byte */
	uint32_t *out_start;   /* nstates + 1: outputs of s are out_ids[out_start[s]..] */
	uint32_t *out_ids;
	uint32_t *edge_start;  /* nstates + 1, fallback mode */
	unsigned char *edge_byte;
	uint32_t *edge_to;
	uint32_t root[256];
	uint16_t cls[256];     /* byte -> class (257 when every byte occurs) */
	/* The patterns, sorted, one copy: for dts__aho_pattern (benchmarks
	 * compare other matchers on the same set, tests list them). */
	char *pat_text;
	size_t *pat_off, *pat_len;
	uint32_t *pat_id, npat;
};

/* Test hook: build with another table budget (0 forces the fallback). */
int dts__aho_build_limit(dts_aho **out, const char *const *pats,
			 const size_t *lens, const uint32_t *ids, size_t n,
			 size_t table_bytes);

typedef struct pat {
	const unsigned char *s;
	size_t len;
	uint32_t id;
} pat;

/* Scratch of the build: the trie as (parent, byte) per state. */
typedef struct build {
	pat *p;
	size_t np;
	uint32_t *parent;
	unsigned char *byte;
	uint32_t *term;        /* np: the state where pattern k ends */
	uint32_t *queue;       /* BFS order */
} build;

static int pat_cmp(const void *a, const void *b)
{
	const pat *x = a, *y = b;
	size_t m = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->s, y->s, m);

	if (c)
		return c;
	return x->len < y->len ? -1 : x->len > y->len;
}

static void *xcalloc(size_t n, size_t size)
{
	return n ? calloc(n, size) : calloc(1, 1);
}

/* Insert the sorted patterns; each reuses its common prefix with the last. */
static void build_trie(dts_aho *a, build *b)
{
	const pat *prev = NULL;
	uint32_t *path = b->queue; /* borrowed: depth -> state on prev's path */
	size_t k, d;

	a->nstates = 1;
	path[0] = 0;
	for (k = 0; k < b->np; k++) {
		const pat *p = &b->p[k];
		size_t lcp = 0;

		if (prev)
			while (lcp < prev->len && lcp < p->len &&
			       prev->s[lcp] == p->s[lcp])
				lcp++;
		for (d = lcp; d < p->len; d++) {
			uint32_t t = a->nstates++;

			b->parent[t] = path[d];
			b->byte[t] = p->s[d];
			path[d + 1] = t;
		}
		b->term[k] = path[p->len];
		prev = p;
	}
}

/* Counting sort of the states by parent: CSR edges, sorted by byte. */
static void build_edges(dts_aho *a, const build *b)
{
	uint32_t s, n = a->nstates;

	for (s = 1; s < n; s++)
		a->edge_start[b->parent[s] + 1]++;
	for (s = 0; s < n; s++)
		a->edge_start[s + 1] += a->edge_start[s];
	for (s = 1; s < n; s++) {
		uint32_t at = a->edge_start[b->parent[s]]++;

		a->edge_byte[at] = b->byte[s];
		a->edge_to[at] = s;
	}
	for (s = n; s > 0; s--)
		a->edge_start[s] = a->edge_start[s - 1];
	a->edge_start[0] = 0;
}

static void build_outputs(dts_aho *a, const build *b)
{
	size_t k;
	uint32_t s;

	for (k = 0; k < b->np; k++)
		a->out_start[b->term[k] + 1]++;
	for (s = 0; s < a->nstates; s++)
		a->out_start[s + 1] += a->out_start[s];
	for (k = 0; k < b->np; k++)
		a->out_ids[a->out_start[b->term[k]]++] = b->p[k].id;
	for (s = a->nstates; s > 0; s--)
		a->out_start[s] = a->out_start[s - 1];
	a->out_start[0] = 0;
}

/* The trie child of s on c, or NONE (binary search of the sorted edges). */
static uint32_t child(const dts_aho *a, uint32_t s, unsigned char c)
{
	uint32_t lo = a->edge_start[s], hi = a->edge_start[s + 1];

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (a->edge_byte[mid] == c)
			return a->edge_to[mid];
		if (a->edge_byte[mid] < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NONE;
}

/* Automaton transition, following failure links in fallback mode. */
static uint32_t step(const dts_aho *a, uint32_t s, unsigned char c)
{
	uint32_t t;

	if (a->delta16)
		return a->delta16[(size_t)s * a->ncls + a->cls[c]];
	if (a->delta)
		return a->delta[(size_t)s * a->ncls + a->cls[c]];
	while (s) {
		if ((t = child(a, s, c)) != NONE)
			return t;
		s = a->fail[s];
	}
	return a->root[c];
}

/* State s's row of the DFA: its failure state's row (made before it, in
 * breadth-first order) with its own edges over it. */
static void table_row(dts_aho *a, uint32_t s)
{
	size_t K = a->ncls, c, e;

	if (a->delta16) {
		uint16_t *row = a->delta16 + (size_t)s * K;

		if (s == 0)
			for (c = 0; c < 256; c++)
				row[a->cls[c]] = (uint16_t)a->root[c];
		else
			memcpy(row, a->delta16 + (size_t)a->fail[s] * K, K * sizeof(*row));
		for (e = a->edge_start[s]; e < a->edge_start[s + 1]; e++)
			row[a->cls[a->edge_byte[e]]] = (uint16_t)a->edge_to[e];
	} else {
		uint32_t *row = a->delta + (size_t)s * K;

		if (s == 0)
			for (c = 0; c < 256; c++)
				row[a->cls[c]] = a->root[c];
		else
			memcpy(row, a->delta + (size_t)a->fail[s] * K, K * sizeof(*row));
		for (e = a->edge_start[s]; e < a->edge_start[s + 1]; e++)
			row[a->cls[a->edge_byte[e]]] = a->edge_to[e];
	}
}

/* Byte classes: 0 for the bytes no pattern holds (from every state they
 * lead where the root leads: nowhere), one each for the others. */
static void make_classes(dts_aho *a, const build *b)
{
	size_t k, j;

	memset(a->cls, 0, sizeof(a->cls));
	a->ncls = 1;
	for (k = 0; k < b->np; k++)
		for (j = 0; j < b->p[k].len; j++)
			if (!a->cls[b->p[k].s[j]])
				a->cls[b->p[k].s[j]] = (uint16_t)a->ncls++;
}

/* Breadth-first: fail, dict and (when kept) delta of each state. */
static void build_links(dts_aho *a, build *b)
{
	uint32_t head = 0, tail = 0, s, e;
	unsigned c;

	for (c = 0; c < 256; c++)
		a->root[c] = 0;
	for (e = a->edge_start[0]; e < a->edge_start[1]; e++)
		a->root[a->edge_byte[e]] = a->edge_to[e];
	b->queue[tail++] = 0;
	while (head < tail) {
		s = b->queue[head++];
		if (a->delta16 || a->delta)
			table_row(a, s);
		for (e = a->edge_start[s]; e < a->edge_start[s + 1]; e++) {
			uint32_t t = a->edge_to[e], f;

			f = s ? step(a, a->fail[s], a->edge_byte[e]) : 0;
			a->fail[t] = f;
			a->dict[t] = a->out_start[f + 1] > a->out_start[f] ? f
									 : a->dict[f];
			b->queue[tail++] = t;
		}
	}
}

static int alloc_arrays(dts_aho *a, build *b, size_t states)
{
	b->parent = xcalloc(states, sizeof(*b->parent));
	b->byte = xcalloc(states, 1);
	b->term = xcalloc(b->np, sizeof(*b->term));
	b->queue = xcalloc(states + 1, sizeof(*b->queue));
	a->fail = xcalloc(states, sizeof(*a->fail));
	a->dict = xcalloc(states, sizeof(*a->dict));
	a->emit = xcalloc(states, sizeof(*a->emit));
	a->out_start = xcalloc(states + 1, sizeof(*a->out_start));
	a->out_ids = xcalloc(b->np, sizeof(*a->out_ids));
	a->edge_start = xcalloc(states + 1, sizeof(*a->edge_start));
	a->edge_byte = xcalloc(states, 1);
	a->edge_to = xcalloc(states, sizeof(*a->edge_to));
	if (!b->parent || !b->byte || !b->term || !b->queue || !a->fail ||
	    !a->dict || !a->emit || !a->out_start || !a->out_ids || !a->edge_start ||
	    !a->edge_byte || !a->edge_to)
		return DTS_ENOMEM;
	return 0;
}

/* Copy the non-empty patterns and sort them; count the trie's states. */
static int collect(build *b, size_t *states, const char *const *pats,
		   const size_t *lens, const uint32_t *ids, size_t n)
{
	size_t k, total = 1;

	if (!(b->p = xcalloc(n, sizeof(*b->p))))
		return DTS_ENOMEM;
	for (k = 0; k < n; k++) {
		if (!lens[k])
			continue; /* an empty pattern occurs nowhere useful */
		b->p[b->np].s = (const unsigned char *)pats[k];
		b->p[b->np].len = lens[k];
		b->p[b->np].id = ids[k];
		b->np++;
		total += lens[k];
		if (total < lens[k] || total >= NONE)
			return dts__error(DTS_ELIMIT, NULL, 0, 0,
					  "too many automaton states");
	}
	if (b->np > 1)
		qsort(b->p, b->np, sizeof(*b->p), pat_cmp);
	*states = total;
	return 0;
}

/* One copy of the sorted patterns (the caller's may not outlive a). */
static int keep_patterns(dts_aho *a, const build *b)
{
	size_t k, total = 0;

	for (k = 0; k < b->np; k++)
		total += b->p[k].len;
	a->pat_text = xcalloc(total, 1);
	a->pat_off = xcalloc(b->np, sizeof(*a->pat_off));
	a->pat_len = xcalloc(b->np, sizeof(*a->pat_len));
	a->pat_id = xcalloc(b->np, sizeof(*a->pat_id));
	if (!a->pat_text || !a->pat_off || !a->pat_len || !a->pat_id)
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	for (total = 0, k = 0; k < b->np; k++) {
		memcpy(a->pat_text + total, b->p[k].s, b->p[k].len);
		a->pat_off[k] = total;
		a->pat_len[k] = b->p[k].len;
		a->pat_id[k] = b->p[k].id;
		total += b->p[k].len;
	}
	a->npat = (uint32_t)b->np;
	return 0;
}

int dts__aho_build_limit(dts_aho **out, const char *const *pats,
			 const size_t *lens, const uint32_t *ids, size_t n,
			 size_t table_bytes)
{
	build b = {0};
	dts_aho *a = calloc(1, sizeof(*a));
	size_t states = 0;
	int error;

	*out = NULL;
	if (!a) {
		error = dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	if ((error = collect(&b, &states, pats, lens, ids, n)) < 0)
		goto done;
	/* arrays are sized by the upper bound: prefixes may be shared */
	if ((error = alloc_arrays(a, &b, states)) < 0) {
		dts__error(error, NULL, 0, 0, "out of memory");
		goto done;
	}
	build_trie(a, &b);
	make_classes(a, &b);
	/* no table when it is over budget or cannot be had: fallback mode */
	{
		size_t w = a->nstates <= 65536 ? sizeof(uint16_t) : sizeof(uint32_t);

		if (a->nstates <= table_bytes / (a->ncls * w)) {
			if (w == sizeof(uint16_t))
				a->delta16 = malloc((size_t)a->nstates * a->ncls * w);
			else
				a->delta = malloc((size_t)a->nstates * a->ncls * w);
		}
	}
	build_edges(a, &b);
	build_outputs(a, &b);
	build_links(a, &b);
	for (uint32_t st = 0; st < a->nstates; st++)
		a->emit[st] = a->out_start[st + 1] > a->out_start[st] ? st : a->dict[st];
	if (a->delta16 || a->delta) { /* the table replaces the edges */
		free(a->edge_start);
		free(a->edge_byte);
		free(a->edge_to);
		a->edge_start = a->edge_to = NULL;
		a->edge_byte = NULL;
	}
	if ((error = keep_patterns(a, &b)) < 0)
		goto done;
	*out = a;
	a = NULL;
done:
	free(b.p);
	free(b.parent);
	free(b.byte);
	free(b.term);
	free(b.queue);
	dts__aho_free(a);
	return error;
}

int dts__aho_build(dts_aho **out, const char *const *pats, const size_t *lens,
		   const uint32_t *ids, size_t n)
{
	return dts__aho_build_limit(out, pats, lens, ids, n, TABLE_BYTES);
}

void dts__aho_free(dts_aho *a)
{
	if (!a)
		return;
	free(a->delta16);
	free(a->delta);
	free(a->fail);
	free(a->dict);
	free(a->emit);
	free(a->out_start);
	free(a->out_ids);
	free(a->edge_start);
	free(a->edge_byte);
	free(a->edge_to);
	free(a->pat_text);
	free(a->pat_off);
	free(a->pat_len);
	free(a->pat_id);
	free(a);
}

size_t dts__aho_npatterns(const dts_aho *a)
{
	return a ? a->npat : 0;
}

void dts__aho_pattern(const char **s, size_t *len, uint32_t *id,
		      const dts_aho *a, size_t k)
{
	*s = a->pat_text + a->pat_off[k];
	*len = a->pat_len[k];
	*id = a->pat_id[k];
}

size_t dts__aho_states(const dts_aho *a)
{
	return a ? a->nstates : 0;
}

/* The outputs at state s (s itself when it has some, then down dict). */
static inline void emit_at(const dts_aho *a, uint32_t s,
			   void (*hit)(uint32_t id, void *payload), void *payload)
{
	for (uint32_t o = a->emit[s]; o; o = a->dict[o])
		for (uint32_t k = a->out_start[o]; k < a->out_start[o + 1]; k++)
			hit(a->out_ids[k], payload);
}

/* Outputs of the states in at[0..n), in order. Out of line: the scan
 * loop keeps no call, so its pointers stay in registers. */
static __attribute__((noinline)) void emit_all(const dts_aho *a, const uint32_t *at,
					       size_t n, void (*hit)(uint32_t, void *),
					       void *payload)
{
	for (size_t k = 0; k < n; k++)
		emit_at(a, at[k], hit, payload);
}

void dts__aho_scan(const dts_aho *a, const char *text, size_t len,
		   void (*hit)(uint32_t id, void *payload), void *payload)
{
	const unsigned char *u = (const unsigned char *)text;
	uint32_t s = 0;
	size_t i;

	if (!a)
		return;
	if (a->delta16) { /* the common case: one table load a byte, no call */
		const uint16_t *d = a->delta16, *cls = a->cls;
		const uint32_t *emit = a->emit;
		size_t K = a->ncls, n = 0;
		uint32_t at[32]; /* states with outputs, reported in order */

		for (i = 0; i < len; i++) {
			s = d[(size_t)s * K + cls[u[i]]];
			if (emit[s]) {
				at[n++] = s;
				if (n == sizeof(at) / sizeof(at[0])) {
					emit_all(a, at, n, hit, payload);
					n = 0;
				}
			}
		}
		if (n)
			emit_all(a, at, n, hit, payload);
		return;
	}
	for (i = 0; i < len; i++) {
		s = step(a, s, u[i]);
		if (a->emit[s])
			emit_at(a, s, hit, payload);
	}
}
