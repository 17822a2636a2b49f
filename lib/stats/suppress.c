/*
 * lib/stats/suppress.c — cell suppression over a cube (dts/suppress.h):
 * the table and its margins, the linear relations, the threshold rule,
 * the greedy secondary suppression, and the table for the writers. The LP
 * audit is in audit.c.
 */
#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dts/aggregate.h"
#include "suppress_int.h"

#define MAX_MARGIN_DIMS 8

const char *dts_conf_code(int conf)
{
	switch (conf) {
	case DTS_CONF_FREE: return "F";
	case DTS_CONF_PRIMARY: return "A";
	case DTS_CONF_SECONDARY: return "D";
	case DTS_CONF_DOMINANCE: return "O";
	default: return NULL;
	}
}

static int nomem(void)
{
	return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
}

static int is_catdim(const char *name)
{
	return !strcmp(name, "category") || !strcmp(name, "category:top") ||
	       !strcmp(name, "category:leaf");
}

/* ---- building the table --------------------------------------------------- */

typedef struct builder {
	dts_suppress *s;
	size_t cap;
	const int *map;   /* per cube dim: index in the rolled-up cube, -1 total */
	int margin;
	const dts_cube *src;  /* the cube being walked (its contributions) */
	dts_amount *top;      /* room for the largest contributions */
	size_t ntop;          /* 0: no dominance rule */
} builder;

/* ---- dominance: the p% and (n,k) rules, exact ------------------------------ */

static int dom_overflow(void)
{
	return dts__error(DTS_EOVERFLOW, NULL, 0, 0, "a dominance rule "
			  "overflows 128 bits");
}

/* p% rule: x1 > 0 and 100 (v - x1 - x2) < p x1. x1, x2 >= 0. */
static int p_rule(int *out, dts__i128 v, dts__i128 x1, dts__i128 x2,
		  unsigned p)
{
	dts__i128 rem, lhs, rhs;

	*out = 0;
	if (!p || x1 <= 0)
		return 0;
	if (__builtin_sub_overflow(v, x1, &rem) ||
	    __builtin_sub_overflow(rem, x2, &rem) ||
	    __builtin_mul_overflow(rem, (dts__i128)100, &lhs) ||
	    __builtin_mul_overflow(x1, (dts__i128)p, &rhs))
		return dom_overflow();
	*out = lhs < rhs;
	return 0;
}

/* (n,k) rule: S = x1 + ... + xn > 0 and 100 S > k v. */
static int nk_rule(int *out, dts__i128 v, dts__i128 sum, unsigned k)
{
	dts__i128 lhs, rhs;

	*out = 0;
	if (sum <= 0)
		return 0;
	if (__builtin_mul_overflow(sum, (dts__i128)100, &lhs) ||
	    __builtin_mul_overflow(v, (dts__i128)k, &rhs))
		return dom_overflow();
	*out = lhs > rhs;
	return 0;
}

/* Is the cell at keys of b->src sensitive by a dominance rule? */
static int dominant(int *out, builder *b, const dts_cube_cell *cell)
{
	const dts_suppress_options *o = &b->s->opts;
	dts__i128 v = dts__amount_get(&cell->value), x[2] = {0, 0}, sum = 0;
	size_t got;
	int rc, by_p = 0, by_nk = 0;

	*out = 0;
	if (!b->ntop || cell->enterprises == 0)
		return 0;
	if ((rc = dts_cube_top_contributions(b->top, &got, b->src, cell->keys,
					     b->ntop)) < 0)
		return rc;
	/* a net negative enterprise is never dominant: counted as 0 */
	for (size_t i = 0; i < got; i++) {
		dts__i128 xi = dts__amount_get(&b->top[i]);

		if (xi <= 0)
			break;
		if (i < 2)
			x[i] = xi;
		if (i < o->nk_n && __builtin_add_overflow(sum, xi, &sum))
			return dom_overflow();
	}
	if ((rc = p_rule(&by_p, v, x[0], x[1], o->p_rule)) < 0 ||
	    (o->nk_n && (rc = nk_rule(&by_nk, v, sum, o->nk_k)) < 0))
		return rc;
	*out = by_p || by_nk;
	return 0;
}

/* An exact amount (10^-14) in fen, half away from zero; the LP needs
 * |fen| < 2^53 (9 * 10^13 yuan) to hold sums exactly. */
static int to_fen(int64_t *out, const dts_amount *a)
{
	const dts__i128 unit = (dts__i128)1000000000000; /* 10^12 */
	dts__i128 v = dts__amount_get(a), q = v / unit, r = v % unit;

	if (2 * (r < 0 ? -r : r) >= unit)
		q += v < 0 ? -1 : 1;
	if (q > ((dts__i128)1 << 53) || q < -((dts__i128)1 << 53))
		return dts__error(DTS_EOVERFLOW, NULL, 0, 0,
				  "a cell value beyond 9 * 10^13 yuan cannot "
				  "be audited exactly");
	*out = (int64_t)q;
	return 0;
}

static int add_cell(const dts_cube_cell *cell, void *payload)
{
	builder *b = payload;
	dts_suppress *s = b->s;
	sup_cell *c;
	int rc;

	if (s->ncells == b->cap &&
	    dts__grow((void **)&s->cells, &b->cap, s->ncells + 1,
		      sizeof(*s->cells)) < 0)
		return DTS_ENOMEM;
	c = &s->cells[s->ncells];
	memset(c, 0, sizeof(*c));
	if (!(c->keys = dts__arena_alloc(&s->arena, s->ndims * sizeof(char *))))
		return nomem();
	for (size_t d = 0; d < s->ndims; d++) {
		const char *k = b->map && b->map[d] < 0 ? DTS_SUPPRESS_TOTAL :
				cell->keys[b->map ? (size_t)b->map[d] : d];

		if (!(c->keys[d] = dts__arena_strdup(&s->arena, k)))
			return nomem();
	}
	c->value = cell->value;
	if (to_fen(&c->fen, &cell->value) < 0)
		return DTS_EOVERFLOW;
	c->v = (double)c->fen / 100;
	c->records = cell->records;
	c->enterprises = cell->enterprises;
	c->conf = DTS_CONF_FREE;
	c->margin = b->margin;
	if ((rc = dominant(&c->dominant, b, cell)) < 0)
		return rc;
	s->ncells++;
	return 0;
}

/*
 * The margins: for every non-empty subset of the non-category dimensions,
 * the cube rolled up onto the other dimensions, with "_T" in the summed
 * ones. A subset that leaves no dimension is skipped (a rollup needs one).
 */
static int add_margins(builder *b, const dts_cube *cube)
{
	dts_suppress *s = b->s;
	size_t nc = 0, noncat[MAX_MARGIN_DIMS];
	int rc = 0;

	for (size_t d = 0; d < s->ndims; d++)
		if (!is_catdim(s->dims[d])) {
			if (nc == MAX_MARGIN_DIMS)
				return dts__error(DTS_EINVAL, NULL, 0, 0,
						  "margins over more than %d "
						  "dimensions", MAX_MARGIN_DIMS);
			noncat[nc++] = d;
		}
	for (unsigned mask = 1; mask < (1u << nc) && rc == 0; mask++) {
		const char *kept[16];
		int map[16];
		size_t nk = 0;
		dts_cube *r;

		for (size_t d = 0; d < s->ndims; d++)
			map[d] = 0;
		for (size_t i = 0; i < nc; i++)
			if (mask & (1u << i))
				map[noncat[i]] = -1;
		for (size_t d = 0; d < s->ndims; d++)
			if (map[d] == 0) {
				map[d] = (int)nk;
				kept[nk++] = s->dims[d];
			}
		if (nk == 0)
			continue;
		if ((rc = dts_cube_rollup(&r, cube, kept, nk)) < 0)
			return rc;
		b->map = map;
		b->margin = 1;
		b->src = r;
		rc = dts_cube_foreach(r, add_cell, b);
		b->src = cube;
		b->map = NULL;
		dts_cube_free(r);
	}
	return rc;
}

/* ---- finding cells by keys ------------------------------------------------- */

typedef struct cell_index {
	const dts_suppress *s;
	size_t *order;   /* cell indices sorted by keys */
} cell_index;

static int cmp_keys(const char *const *a, const char *const *b, size_t n)
{
	for (size_t d = 0; d < n; d++) {
		int c = strcmp(a[d], b[d]);

		if (c)
			return c;
	}
	return 0;
}

/* qsort_r (glibc, _GNU_SOURCE): the payload keeps the library free of
 * global state. */
static int cmp_order(const void *x, const void *y, void *payload)
{
	const dts_suppress *s = payload;
	size_t i = *(const size_t *)x, j = *(const size_t *)y;
	int c = cmp_keys(s->cells[i].keys, s->cells[j].keys, s->ndims);

	return c ? c : (i > j) - (i < j);
}

static int find_cell(const cell_index *ix, const char *const *keys, size_t *out)
{
	size_t lo = 0, hi = ix->s->ncells;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_keys(ix->s->cells[ix->order[mid]].keys, keys,
				 ix->s->ndims);

		if (c == 0) {
			*out = ix->order[mid];
			return 1;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* ---- relations ------------------------------------------------------------ */

typedef struct edge {
	size_t total, part;
	size_t dim;
} edge;

static int cmp_edge(const void *x, const void *y)
{
	const edge *a = x, *b = y;

	if (a->dim != b->dim)
		return (a->dim > b->dim) - (a->dim < b->dim);
	if (a->total != b->total)
		return (a->total > b->total) - (a->total < b->total);
	return (a->part > b->part) - (a->part < b->part);
}

/* The key one level up in dimension d, or NULL. */
static const char *parent_key(const dts_suppress *s, size_t d, const char *k)
{
	if (is_catdim(s->dims[d]))
		return dts_category_parent(k);
	if (!s->opts.margins || !strcmp(k, DTS_SUPPRESS_TOTAL))
		return NULL;
	return DTS_SUPPRESS_TOTAL;
}

static int collect_edges(edge **out, size_t *n, const dts_suppress *s,
			 const cell_index *ix)
{
	const char *keys[16];
	edge *e = NULL;
	size_t cap = 0;

	*n = 0;
	for (size_t d = 0; d < s->ndims; d++)
		for (size_t i = 0; i < s->ncells; i++) {
			const char *p = parent_key(s, d, s->cells[i].keys[d]);
			size_t j;

			if (!p)
				continue;
			memcpy(keys, s->cells[i].keys, s->ndims * sizeof(*keys));
			keys[d] = p;
			if (!find_cell(ix, keys, &j))
				continue;
			if (*n == cap && dts__grow((void **)&e, &cap, *n + 1,
						   sizeof(*e)) < 0) {
				free(e);
				return DTS_ENOMEM;
			}
			e[(*n)++] = (edge){j, i, d};
		}
	if (*n)
		qsort(e, *n, sizeof(*e), cmp_edge);
	*out = e;
	return 0;
}

static int residual(int64_t *out, const dts_suppress *s, size_t total,
		    const size_t *parts, size_t n)
{
	int64_t r = s->cells[total].fen;

	for (size_t k = 0; k < n; k++)
		if (__builtin_sub_overflow(r, s->cells[parts[k]].fen, &r))
			return dts__error(DTS_EOVERFLOW, NULL, 0, 0,
					  "relation residual overflows");
	*out = r;
	return 0;
}

static int build_relations(dts_suppress *s, const cell_index *ix)
{
	edge *e;
	size_t ne, *count = NULL;
	int rc;

	if ((rc = collect_edges(&e, &ne, s, ix)) < 0)
		return rc;
	for (size_t a = 0; a < ne;) {
		size_t b = a;
		sup_rel *r;

		while (b < ne && e[b].dim == e[a].dim && e[b].total == e[a].total)
			b++;
		if (!(s->rels = realloc(s->rels, (s->nrels + 1) * sizeof(*s->rels))) ||
		    !(s->rels[s->nrels].parts = dts__arena_alloc(&s->arena,
				(b - a) * sizeof(size_t)))) {
			rc = nomem();
			goto done;
		}
		r = &s->rels[s->nrels++];
		r->total = e[a].total;
		r->nparts = b - a;
		for (size_t k = a; k < b; k++)
			r->parts[k - a] = e[k].part;
		if ((rc = residual(&r->residual, s, r->total, r->parts,
				   r->nparts)) < 0)
			goto done;
		a = b;
	}
	/* each cell's relations, as CSR */
	if (!(count = calloc(s->ncells + 1, sizeof(*count))) ||
	    !(s->rel_off = dts__arena_alloc(&s->arena,
					   (s->ncells + 1) * sizeof(size_t))) ||
	    !(s->rel_idx = dts__arena_alloc(&s->arena,
					   (ne + s->nrels + 1) * sizeof(size_t)))) {
		rc = nomem();
		goto done;
	}
	for (size_t r = 0; r < s->nrels; r++) {
		count[s->rels[r].total]++;
		for (size_t k = 0; k < s->rels[r].nparts; k++)
			count[s->rels[r].parts[k]]++;
	}
	for (size_t i = 0; i < s->ncells; i++)
		s->rel_off[i + 1] = s->rel_off[i] + count[i];
	memset(count, 0, (s->ncells + 1) * sizeof(*count));
	for (size_t r = 0; r < s->nrels; r++) {
		size_t t = s->rels[r].total;

		s->rel_idx[s->rel_off[t] + count[t]++] = r;
		for (size_t k = 0; k < s->rels[r].nparts; k++) {
			size_t p = s->rels[r].parts[k];

			s->rel_idx[s->rel_off[p] + count[p]++] = r;
		}
	}
done:
	free(count);
	free(e);
	return rc;
}

/* ---- primary and secondary suppression ------------------------------------ */

static void primary(dts_suppress *s)
{
	unsigned n = s->opts.threshold;

	for (size_t i = 0; i < s->ncells; i++) {
		sup_cell *c = &s->cells[i];

		if (n > 1 && c->enterprises > 0 && c->enterprises < n)
			c->conf = DTS_CONF_PRIMARY;
		else if (c->dominant)
			c->conf = DTS_CONF_DOMINANCE;
		else
			continue;
		c->need = s->opts.protection / 100.0 * fabs(c->v);
	}
}

/*
 * The complement to suppress for a cell needing `need`: the free cell of
 * smallest |value| >= need, else the free cell of largest |value|; ties go
 * to the lower index. *best is SIZE_MAX when there is none.
 */
typedef struct pick {
	size_t big, small;   /* best above need, best below it */
} pick;

static void pick_init(pick *p)
{
	p->big = p->small = SIZE_MAX;
}

static void pick_offer(pick *p, const dts_suppress *s, size_t i, double need)
{
	double a = fabs(s->cells[i].v);

	if (dts__sup_hidden(&s->cells[i]))
		return;
	if (a >= need) {
		if (p->big == SIZE_MAX || a < fabs(s->cells[p->big].v) ||
		    (a == fabs(s->cells[p->big].v) && i < p->big))
			p->big = i;
	} else if (p->small == SIZE_MAX || a > fabs(s->cells[p->small].v) ||
		   (a == fabs(s->cells[p->small].v) && i < p->small)) {
		p->small = i;
	}
}

static size_t pick_best(const pick *p)
{
	return p->big != SIZE_MAX ? p->big : p->small;
}

static void offer_rel(pick *p, const dts_suppress *s, const sup_rel *r,
		      double need)
{
	pick_offer(p, s, r->total, need);
	for (size_t k = 0; k < r->nparts; k++)
		pick_offer(p, s, r->parts[k], need);
}

static void hide(dts_suppress *s, size_t c, double need)
{
	s->cells[c].conf = DTS_CONF_SECONDARY;
	if (need > s->cells[c].need)
		s->cells[c].need = need;
}

/* No relation may hold exactly one suppressed cell: it would be its
 * total minus the published rest. */
static void close_singletons(dts_suppress *s)
{
	int changed = 1;

	while (changed) {
		changed = 0;
		for (size_t r = 0; r < s->nrels; r++) {
			const sup_rel *rel = &s->rels[r];
			size_t nh = 0, one = rel->total;
			pick p;

			if (dts__sup_hidden(&s->cells[rel->total]))
				nh++;
			for (size_t k = 0; k < rel->nparts && nh < 2; k++)
				if (dts__sup_hidden(&s->cells[rel->parts[k]])) {
					nh++;
					one = rel->parts[k];
				}
			if (nh != 1)
				continue;
			pick_init(&p);
			offer_rel(&p, s, rel, s->cells[one].need);
			if (pick_best(&p) == SIZE_MAX)
				continue;
			hide(s, pick_best(&p), s->cells[one].need);
			changed = 1;
		}
	}
}

/*
 * One more complement for an exposed cell: from its own relations, else
 * from the relations of the suppressed cells it is linked to (breadth
 * first). Returns 1 when a cell was suppressed.
 */
static int protect_more(dts_suppress *s, size_t cell, unsigned char *seen,
			size_t *queue)
{
	size_t head = 0, tail = 0, found = SIZE_MAX;
	double need = s->cells[cell].need;
	int rc = 0;

	memset(seen, 0, s->ncells);
	queue[tail++] = cell;
	seen[cell] = 1;
	while (head < tail && found == SIZE_MAX) {
		size_t level_end = tail;
		pick p;

		pick_init(&p);
		for (; head < level_end; head++) {
			size_t c = queue[head];

			for (size_t k = s->rel_off[c]; k < s->rel_off[c + 1]; k++) {
				const sup_rel *r = &s->rels[s->rel_idx[k]];

				offer_rel(&p, s, r, need);
				for (size_t m = 0; m <= r->nparts; m++) {
					size_t x = m < r->nparts ? r->parts[m] : r->total;

					if (!seen[x] && dts__sup_hidden(&s->cells[x])) {
						seen[x] = 1;
						queue[tail++] = x;
					}
				}
			}
		}
		found = pick_best(&p);
	}
	if (found != SIZE_MAX) {
		hide(s, found, need);
		rc = 1;
	}
	return rc;
}

/*
 * Pruning: the greedy steps may suppress more than needed. Try to publish
 * each secondary cell again, largest |value| first (ties: the earlier),
 * keeping it published when the audit still passes. Each trial is an
 * audit of every primary cell, so pruning is skipped when secondary x
 * primary cells exceed PRUNE_BUDGET (the pattern stays valid, only less
 * economical).
 */
#define PRUNE_BUDGET 20000

static int cmp_prune(const void *x, const void *y, void *payload)
{
	const dts_suppress *s = payload;
	size_t i = *(const size_t *)x, j = *(const size_t *)y;
	double a = fabs(s->cells[i].v), b = fabs(s->cells[j].v);

	if (a != b)
		return a < b ? 1 : -1;
	return (i > j) - (i < j);
}

static int any_exposed(int *out, dts_suppress *s, dts_suppress_interval *iv)
{
	size_t n;
	int rc = dts__suppress_lp(s, 1, iv, &n);

	*out = 0;
	for (size_t k = 0; k < n && rc == 0; k++)
		if (iv[k].exposed)
			*out = 1;
	return rc;
}

static int prune(dts_suppress *s, dts_suppress_interval *iv, size_t *order)
{
	size_t nsec = dts_suppress_count_conf(s, DTS_CONF_SECONDARY), n = 0;
	size_t nprim = s->ncells - nsec - dts_suppress_count_conf(s, DTS_CONF_FREE);
	int rc = 0, bad;

	if (nsec == 0 || nsec * nprim > PRUNE_BUDGET)
		return 0;
	for (size_t i = 0; i < s->ncells; i++)
		if (s->cells[i].conf == DTS_CONF_SECONDARY)
			order[n++] = i;
	qsort_r(order, n, sizeof(*order), cmp_prune, s);
	for (size_t k = 0; k < n && rc == 0; k++) {
		s->cells[order[k]].conf = DTS_CONF_FREE;
		if ((rc = any_exposed(&bad, s, iv)) == 0 && bad)
			s->cells[order[k]].conf = DTS_CONF_SECONDARY;
	}
	return rc;
}

static int secondary(dts_suppress *s)
{
	dts_suppress_interval *iv = malloc((s->ncells + 1) * sizeof(*iv));
	unsigned char *seen = malloc(s->ncells + 1);
	size_t *queue = malloc((s->ncells + 1) * sizeof(*queue));
	int rc = 0;

	if (!iv || !seen || !queue) {
		rc = nomem();
		goto done;
	}
	for (;;) {
		size_t n, added = 0;

		close_singletons(s);
		if ((rc = dts__suppress_lp(s, 1, iv, &n)) < 0)
			goto done;
		for (size_t k = 0; k < n; k++)
			if (iv[k].exposed)
				added += (size_t)protect_more(s, iv[k].cell, seen,
							      queue);
		if (!added)
			break;
	}
	if (s->opts.prune)
		rc = prune(s, iv, queue);
done:
	free(queue);
	free(seen);
	free(iv);
	return rc;
}

/* ---- the object ----------------------------------------------------------- */

static int dominance_setup(builder *b, const dts_cube *cube)
{
	if (!dts_cube_contributions(cube))
		return dts__error(DTS_EINVAL, NULL, 0, 0, "the p%% and (n,k) rules "
				  "need each enterprise's contribution, which the "
				  "cube does not keep (dts_cube_set_contributions; "
				  "dts-aggregate --contributions when making "
				  "partials)");
	b->ntop = b->s->opts.nk_n > 2 ? b->s->opts.nk_n : 2;
	if (!(b->top = dts__arena_alloc(&b->s->arena, b->ntop * sizeof(*b->top))))
		return nomem();
	return 0;
}

static int check_opts(const dts_suppress_options *o)
{
	if (o->version < 1 || o->version > DTS_SUPPRESS_OPTIONS_VERSION)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "unknown suppression options version %u",
				  o->version);
	if (!(o->protection >= 0 && o->protection <= 100))
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "protection level must be 0..100 percent");
	if (o->version >= 2 && (o->p_rule > 100 || o->nk_n > 1000 ||
				o->nk_k > 100 || (o->nk_n && !o->nk_k)))
		return dts__error(DTS_EINVAL, NULL, 0, 0, "the p%% rule's p is "
				  "0..100, the (n,k) rule's n 1..1000 and k "
				  "1..100 percent");
	return 0;
}

/* The caller's options, a version 1 struct (no dominance fields) read as
 * such: the rest keeps its defaults. */
static void copy_opts(dts_suppress_options *to, const dts_suppress_options *o)
{
	static const dts_suppress_options dflt = DTS_SUPPRESS_OPTIONS_INIT;

	*to = dflt;
	memcpy(to, o, o->version == 1 ? offsetof(dts_suppress_options, p_rule) :
		      sizeof(*o));
}

int dts_suppress_new(dts_suppress **out, const dts_cube *cube,
		     const dts_suppress_options *opts)
{
	static const dts_suppress_options dflt = DTS_SUPPRESS_OPTIONS_INIT;
	dts_suppress *s;
	builder b = {0};
	cell_index ix = {0};
	int rc;

	*out = NULL;
	if (!opts)
		opts = &dflt;
	if ((rc = check_opts(opts)) < 0)
		return rc;
	if (!(s = calloc(1, sizeof(*s))))
		return nomem();
	copy_opts(&s->opts, opts);
	s->ndims = dts_cube_ndims(cube);
	rc = DTS_ENOMEM;
	if (!(s->dims = dts__arena_alloc(&s->arena, s->ndims * sizeof(char *))) ||
	    !(s->currency = dts__arena_strdup(&s->arena,
					      dts_cube_currency(cube))))
		goto nomem;
	for (size_t d = 0; d < s->ndims; d++)
		if (!(s->dims[d] = dts__arena_strdup(&s->arena,
						     dts_cube_dim(cube, d))))
			goto nomem;
	b.s = s;
	b.src = cube;
	if ((s->opts.p_rule || s->opts.nk_n) && (rc = dominance_setup(&b, cube)) < 0)
		goto fail;
	if ((rc = dts_cube_foreach(cube, add_cell, &b)) < 0 ||
	    (opts->margins && (rc = add_margins(&b, cube)) < 0))
		goto fail;
	ix.s = s;
	if (!(ix.order = malloc((s->ncells + 1) * sizeof(size_t))))
		goto nomem;
	for (size_t i = 0; i < s->ncells; i++)
		ix.order[i] = i;
	qsort_r(ix.order, s->ncells, sizeof(size_t), cmp_order, s);
	if ((rc = build_relations(s, &ix)) < 0)
		goto fail;
	primary(s);
	if (opts->secondary && (rc = secondary(s)) < 0)
		goto fail;
	s->order = ix.order;
	*out = s;
	return 0;
nomem:
	rc = nomem();
fail:
	free(ix.order);
	dts_suppress_free(s);
	return rc;
}

void dts_suppress_free(dts_suppress *s)
{
	if (!s)
		return;
	free(s->cells);
	free(s->rels);
	free(s->order);
	dts__arena_free(&s->arena);
	free(s);
}

size_t dts_suppress_count(const dts_suppress *s)
{
	return s->ncells;
}

int dts_suppress_cell_at(dts_suppress_cell *out, const dts_suppress *s,
			 size_t i)
{
	const sup_cell *c;

	if (i >= s->ncells)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "cell %zu out of range", i);
	c = &s->cells[i];
	out->keys = c->keys;
	out->nkeys = s->ndims;
	out->value = c->value;
	out->records = c->records;
	out->enterprises = c->enterprises;
	out->conf = c->conf;
	out->margin = c->margin;
	return 0;
}

int dts_suppress_lookup(dts_suppress_cell *out, const dts_suppress *s,
			const char *const *keys)
{
	cell_index ix = {s, s->order};
	size_t i;

	if (!find_cell(&ix, keys, &i))
		return DTS_ENOTFOUND;
	return dts_suppress_cell_at(out, s, i);
}

size_t dts_suppress_count_conf(const dts_suppress *s, int conf)
{
	size_t n = 0;

	for (size_t i = 0; i < s->ncells; i++)
		n += s->cells[i].conf == conf;
	return n;
}

size_t dts_suppress_nrelations(const dts_suppress *s)
{
	return s->nrels;
}

int dts_suppress_set_conf(dts_suppress *s, size_t i, int conf)
{
	if (i >= s->ncells || !dts_conf_code(conf))
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "cell %zu or status %d out of range", i, conf);
	s->cells[i].conf = conf;
	s->cells[i].need = conf == DTS_CONF_PRIMARY || conf == DTS_CONF_DOMINANCE ?
			   s->opts.protection / 100.0 * fabs(s->cells[i].v) : 0;
	return 0;
}

/* ---- the table for the writers -------------------------------------------- */

/* decimals -1: every digit dts_amount_format can give (14), no trailing
 * zeros: dts_agg_table's exact form for SDMX. */
static int format_value(char *buf, size_t size, const dts_amount *a,
			int unit_exp, int decimals)
{
	int n = dts_amount_format(buf, size, a, unit_exp,
				  decimals < 0 ? 14 : decimals);

	if (n < 0 || decimals >= 0 || !strchr(buf, '.'))
		return n;
	while (n > 0 && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == '.')
		buf[--n] = '\0';
	return n;
}

static int add_row(dts_table *t, const dts_suppress *s, const sup_cell *c,
		   int unit_exp, int decimals)
{
	const char *row[16 + 4];
	char value[64], rec[24], ent[24];
	int hidden = dts__sup_hidden(c);

	for (size_t d = 0; d < s->ndims; d++)
		row[d] = c->keys[d];
	if (!hidden && format_value(value, sizeof(value), &c->value, unit_exp,
				    decimals) < 0)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "cannot format a value");
	snprintf(rec, sizeof(rec), "%" PRIu64, c->records);
	snprintf(ent, sizeof(ent), "%" PRIu64, c->enterprises);
	row[s->ndims] = hidden ? "x" : value;
	row[s->ndims + 1] = hidden ? "x" : rec;
	row[s->ndims + 2] = hidden ? "x" : ent;
	row[s->ndims + 3] = dts_conf_code(c->conf);
	return dts_table_add_row(t, row);
}

int dts_suppress_table(dts_table **out, const dts_suppress *s, int unit_exp,
		       int decimals)
{
	const char *names[16 + 4];
	size_t nd = s->ndims;
	dts_table *t;
	int rc;

	*out = NULL;
	if (unit_exp < 0 || unit_exp > 14 || decimals < -1 || decimals > 14)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "unit exponent must be 0..14, decimals -1..14");
	for (size_t i = 0; i < nd; i++)
		names[i] = s->dims[i];
	names[nd] = "value";
	names[nd + 1] = "records";
	names[nd + 2] = "enterprises";
	names[nd + 3] = "CONF_STATUS";
	if ((rc = dts_table_new(&t, names, nd + 4, nd)) < 0)
		return rc;
	dts_table_set_unit_mult(t, unit_exp);
	if ((rc = dts_table_set_numeric(t, nd + 3, 0)) < 0 ||
	    (rc = dts_table_set_dataflow(t, "DTS_CUBE")) < 0 ||
	    (rc = dts_table_set_unit(t, s->currency)) < 0 ||
	    (rc = dts_table_set_title(t, "Digital trade statistics cube "
				      "(suppressed)")) < 0 ||
	    (rc = dts_table_set_missing(t, "x")) < 0 ||
	    (rc = dts_table_set_chart(t, (int)nd, NULL)) < 0)
		goto fail;
	for (size_t i = 0; i < s->ncells; i++)
		if ((rc = add_row(t, s, &s->cells[i], unit_exp, decimals)) < 0)
			goto fail;
	*out = t;
	return 0;
fail:
	dts_table_free(t);
	return rc;
}

int dts_suppress_cube_table(dts_table **out, const dts_cube *cube,
			    const dts_suppress_options *opts, int unit_exp,
			    int decimals)
{
	dts_suppress *s;
	int rc;

	*out = NULL;
	if ((rc = dts_suppress_new(&s, cube, opts)) < 0)
		return rc;
	rc = dts_suppress_table(out, s, unit_exp, decimals);
	dts_suppress_free(s);
	return rc;
}
