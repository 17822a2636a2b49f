/*
 * lint.c — checks on a compiled rule set that go beyond "it compiles":
 * rules the prefilter cannot select, regexes without literal atoms, rules
 * a higher-priority rule always shadows; and the classifier's own
 * examples run as test cases.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"

/* ---- implication: whenever b holds, a holds (sound, not complete) ------- */

/*
 * Every test below spends from a budget (`long *bud`: steps left). When it
 * runs out the answer is "not implied": the check stays sound (it never
 * calls a rule shadowed that is not), and a hostile classifier cannot make
 * it run long (issue 11, defect 3).
 */
static int implies(const dts_node *b, const dts_node *a, long *bud);

static int spend(long *bud, long n)
{
	*bud -= n;
	return *bud >= 0;
}

static int has_prefix_of(const dts_node *a, const char *v, size_t len,
			 long *bud)
{
	size_t i;

	if (!spend(bud, (long)a->nvalues))
		return 0;
	for (i = 0; i < a->nvalues; i++)
		if (a->lens[i] <= len && memcmp(a->values[i], v, a->lens[i]) == 0)
			return 1;
	return 0;
}

/* IN values are sorted (strcmp) and unique: binary search. */
static int has_value(const dts_node *a, const char *v, size_t len, long *bud)
{
	size_t lo = 0, hi = a->nvalues;

	(void)len;
	while (lo < hi && spend(bud, 1)) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(v, a->values[mid]);

		if (c == 0)
			return 1;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

static int contains_one_of(const dts_node *a, const char *v, size_t len,
			   long *bud)
{
	size_t i;

	if (!spend(bud, (long)a->nvalues))
		return 0;
	for (i = 0; i < a->nvalues; i++)
		if (a->lens[i] && memmem(v, len, a->values[i], a->lens[i]))
			return 1;
	return 0;
}

static int nonempty(const dts_node *a, const char *v, size_t len, long *bud)
{
	(void)a;
	(void)v;
	(void)bud;
	return len > 0;
}

static int contains_one_of_folded(const dts_node *a, const char *v, size_t len,
				  long *bud)
{
	char buf[512];

	if (len >= sizeof(buf))
		return 0; /* unsure: not implied */
	return contains_one_of(a, buf, dts__fold_lower(buf, v, len), bud);
}

/* Every value of b satisfies test(a, value). */
static int all_values(const dts_node *b, const dts_node *a,
		      int (*test)(const dts_node *, const char *, size_t, long *),
		      long *bud)
{
	size_t i;

	for (i = 0; i < b->nvalues; i++)
		if (!test(a, b->values[i], b->lens[i], bud) || *bud < 0)
			return 0;
	return b->nvalues > 0;
}

static int same_text(const char *x, const char *y)
{
	return x && y && strcmp(x, y) == 0;
}

static int leaf_implies(const dts_node *b, const dts_node *a, long *bud)
{
	if (a->field != b->field)
		return 0;
	switch (a->kind) {
	case DTS_N_PRESENT:
		/* Every positive leaf needs a non-empty field, but a regex
		 * may match the empty string. */
		return b->kind == DTS_N_PRESENT || b->kind == DTS_N_IN ||
		       b->kind == DTS_N_RANGE || b->kind == DTS_N_AMOUNT ||
		       (b->kind == DTS_N_PREFIX && all_values(b, a, nonempty, bud)) ||
		       b->kind == DTS_N_CONTAINS;
	case DTS_N_EMPTY:
		return b->kind == DTS_N_EMPTY;
	case DTS_N_IN:
		return b->kind == DTS_N_IN && all_values(b, a, has_value, bud);
	case DTS_N_PREFIX:
		return (b->kind == DTS_N_IN || b->kind == DTS_N_PREFIX) &&
		       all_values(b, a, has_prefix_of, bud);
	case DTS_N_CONTAINS:
		/* b's values are what the record must contain (CONTAINS) or
		 * be (IN); a caseless a sees them folded. A caseless b says
		 * nothing about case, so only a caseless a can follow. */
		if (b->kind == DTS_N_CONTAINS && b->caseless && !a->caseless)
			return 0;
		if (a->nexcept || (b->kind == DTS_N_CONTAINS && b->nexcept))
			return 0; /* except terms: not analysed, never shadow */
		if (b->kind == DTS_N_IN && dts_field_kind_of(a->field) == DTS_KIND_TEXT &&
		    !a->caseless)
			return 0; /* text IN values are folded: case unknown */
		if (b->kind != DTS_N_CONTAINS && b->kind != DTS_N_IN)
			return 0;
		return all_values(b, a, a->caseless ? contains_one_of_folded :
						      contains_one_of, bud);
	case DTS_N_REGEX:
		return b->kind == DTS_N_REGEX && b->caseless == a->caseless &&
		       same_text(a->pattern, b->pattern);
	case DTS_N_RANGE:
		return b->kind == DTS_N_RANGE && same_text(a->lo, b->lo) &&
		       same_text(a->hi, b->hi);
	case DTS_N_AMOUNT:
		return b->kind == DTS_N_AMOUNT && a->op == b->op &&
		       a->amount == b->amount;
	default:
		return 0;
	}
}

static int implies(const dts_node *b, const dts_node *a, long *bud)
{
	size_t i;

	if (!spend(bud, 1))
		return 0;
	if (a->kind == DTS_N_ALL) {
		for (i = 0; i < a->nkids; i++)
			if (!implies(b, a->kids[i], bud))
				return 0;
		return 1;
	}
	if (b->kind == DTS_N_ANY) {
		for (i = 0; i < b->nkids; i++)
			if (!implies(b->kids[i], a, bud))
				return 0;
		return b->nkids > 0;
	}
	if (a->kind == DTS_N_ANY)
		for (i = 0; i < a->nkids; i++)
			if (implies(b, a->kids[i], bud))
				return 1;
	if (b->kind == DTS_N_ALL) {
		for (i = 0; i < b->nkids; i++)
			if (implies(b->kids[i], a, bud))
				return 1;
		return 0;
	}
	if (a->kind == DTS_N_ANY)
		return 0;
	if (a->kind == DTS_N_NOT || b->kind == DTS_N_NOT)
		return a->kind == DTS_N_NOT && b->kind == DTS_N_NOT &&
		       implies(a->kids[0], b->kids[0], bud);
	return leaf_implies(b, a, bud) && *bud >= 0;
}

/* ---- which earlier rules can shadow a rule: an index ------------------- */

/*
 * Testing every rule against every earlier one was quadratic (100k rules:
 * 512 s). Instead each rule gets *anchors*, keys such that any rule b it
 * shadows must produce one of them among its *probes*; b is then tested
 * only against the earlier rules posted under the keys it probes, in rule
 * order, so the first shadower found is the one the full scan named.
 *
 * The two sets follow implies() case by case, so no shadower is missed:
 *   anchors(ALL) = anchors of one kid (all kids must be implied);
 *   anchors(ANY) = union over kids (one kid implied is enough);
 *   probes(ALL), probes(ANY) = union over kids;
 *   NOT swaps the roles (NOT x => NOT y when y => x), so
 *   anchors(NOT x) = probes(x) and probes(NOT y) = anchors(y), with the
 *   key's `neg` bit flipped so negated keys meet only negated keys;
 *   leaves: IN anchors every value, an IN b probes one of its values (all
 *   must be in a); PREFIX anchors every prefix, b probes every prefix of
 *   one value; CONTAINS anchors its literals (found in b's value by an
 *   Aho-Corasick scan; under NOT by one coarse key per field); PRESENT
 *   anchors (field, present), probed by every positive leaf; EMPTY,
 *   REGEX, RANGE, AMOUNT anchor and probe their own exact key.
 */
enum {
	K_POS = 1, K_EMPTY, K_EQ, K_PFX, K_LIT, K_LITC, K_RE, K_RANGE, K_AMT,
	K_SCAN,           /* probes only: scan the value, raw and folded */
	K_NEG = 0x10      /* or'ed: a key met under an odd number of NOTs */
};

typedef struct lkey {
	uint64_t hash;
	const char *s;
	uint32_t len;
	uint8_t kind, field;
	uint32_t rule;
} lkey;

typedef struct kvec {
	lkey *k;
	size_t n, cap;
} kvec;

/* One distinct key of the index and the rules posted under it, ascending. */
typedef struct group {
	lkey key;
	uint32_t post, npost;
	uint32_t stamp;         /* last rule that probed it, + 1 */
} group;

typedef struct shadow_index {
	const dts_rules *rs;
	dts_arena *scratch;
	group *groups;
	size_t ngroups;
	uint32_t *slots;        /* open addressing: group index + 1, 0 empty */
	size_t mask;
	uint32_t *post;
	dts_aho *aho[DTS_F_COUNT]; /* literals of CONTAINS anchors, per field */
	uint32_t *src;          /* groups a rule's probes hit */
	size_t nsrc, srccap;
	uint32_t probing;       /* the rule being probed, + 1 */
	long *bud;
} shadow_index;

static int kv_push(kvec *v, unsigned kind, int field, const char *s,
		   size_t len)
{
	lkey *k;

	if (dts__grow((void **)&v->k, &v->cap, v->n + 1, sizeof(*v->k)) < 0)
		return DTS_ENOMEM;
	k = &v->k[v->n++];
	k->kind = (uint8_t)kind;
	k->field = (uint8_t)(field < 0 ? 0 : field);
	k->s = s;
	k->len = (uint32_t)len;
	k->rule = 0;
	k->hash = dts__hash(kind, k->field, s, len);
	return 0;
}

/* Exact keys (regex, range, amount) as one byte string in the scratch. */
static int exact_key(kvec *v, dts_arena *a, const dts_node *n, unsigned neg)
{
	char buf[32], *s;
	const char *x = "", *y = "";
	size_t xl, yl;
	unsigned kind = n->kind == DTS_N_REGEX ? K_RE :
			n->kind == DTS_N_RANGE ? K_RANGE : K_AMT;

	if (n->kind == DTS_N_REGEX) {
		x = n->caseless ? "i" : "c";
		y = n->pattern;
	} else if (n->kind == DTS_N_RANGE) {
		x = n->lo;
		y = n->hi;
	} else {
		snprintf(buf, sizeof(buf), "%d:%lld", (int)n->op,
			 (long long)n->amount);
		x = buf;
	}
	xl = strlen(x);
	yl = strlen(y);
	if (!(s = dts__arena_alloc(a, xl + yl + 2)))
		return DTS_ENOMEM;
	memcpy(s, x, xl);
	s[xl] = '\0'; /* the separator: bounds and patterns hold no NUL */
	memcpy(s + xl + 1, y, yl);
	return kv_push(v, kind | neg, n->field, s, xl + yl + 1);
}

static int all_prefixes(kvec *v, unsigned neg, int field, const char *s,
			size_t len)
{
	int error = 0;

	for (size_t l = 1; l <= len && !error; l++)
		error = kv_push(v, K_PFX | neg, field, s, l);
	return error;
}

static int anchors(shadow_index *x, const dts_node *n, unsigned neg, kvec *v);

/* How many records a key may select: lower is more selective. */
static int key_rank(const lkey *k)
{
	switch (k->kind & ~K_NEG) {
	case K_PFX:
		return k->len >= 3 ? 2 : 3;
	case K_POS: case K_EMPTY: case K_LITC:
		return 4;
	default:
		return 1;
	}
}

/* Rank of a key set: its weakest key, then its size. */
static size_t set_rank(const kvec *v, size_t from)
{
	int worst = 0;

	for (size_t i = from; i < v->n; i++)
		if (key_rank(&v->k[i]) > worst)
			worst = key_rank(&v->k[i]);
	return (size_t)worst << 32 | (v->n - from);
}

/* anchors(ALL): any one kid's will do (all must hold); take the best. */
static int anchor_one_kid(shadow_index *x, const dts_node *n, unsigned neg,
			  kvec *v)
{
	kvec best = { 0 }, cur = { 0 };
	size_t br = SIZE_MAX;
	int error = 0;

	for (size_t i = 0; i < n->nkids && !error; i++) {
		cur.n = 0;
		if ((error = anchors(x, n->kids[i], neg, &cur)) < 0)
			break;
		if (set_rank(&cur, 0) < br) {
			kvec t = best;

			br = set_rank(&cur, 0);
			best = cur;
			cur = t;
		}
	}
	for (size_t i = 0; i < best.n && !error; i++)
		if (dts__grow((void **)&v->k, &v->cap, v->n + 1, sizeof(*v->k)) < 0)
			error = DTS_ENOMEM;
		else
			v->k[v->n++] = best.k[i];
	free(best.k);
	free(cur.k);
	return error;
}

static int probes(shadow_index *x, const dts_node *n, unsigned neg, kvec *v);

/* The keys a rule whose condition is n is posted under (see above). */
static int anchors(shadow_index *x, const dts_node *n, unsigned neg, kvec *v)
{
	int error = 0;
	size_t i;

	switch (n->kind) {
	case DTS_N_ALL:
		return anchor_one_kid(x, n, neg, v);
	case DTS_N_ANY:
		for (i = 0; i < n->nkids && !error; i++)
			error = anchors(x, n->kids[i], neg, v);
		return error;
	case DTS_N_NOT:
		return probes(x, n->kids[0], neg ^ K_NEG, v);
	case DTS_N_IN:
		for (i = 0; i < n->nvalues && !error; i++)
			error = kv_push(v, K_EQ | neg, n->field, n->values[i],
					n->lens[i]);
		return error;
	case DTS_N_PREFIX:
		for (i = 0; i < n->nvalues && !error; i++)
			error = kv_push(v, K_PFX | neg, n->field, n->values[i],
					n->lens[i]);
		return error;
	case DTS_N_CONTAINS:
		if (neg)
			return kv_push(v, K_LITC | neg, n->field, "", 0);
		for (i = 0; i < n->nvalues && !error; i++)
			if (n->lens[i])
				error = kv_push(v, K_LIT, n->field, n->values[i],
						n->lens[i]);
		return error;
	case DTS_N_PRESENT:
		return kv_push(v, K_POS | neg, n->field, "", 0);
	case DTS_N_EMPTY:
		return kv_push(v, K_EMPTY | neg, n->field, "", 0);
	default:
		return exact_key(v, x->scratch, n, neg);
	}
}

static const group *find_group(const shadow_index *x, const lkey *k)
{
	size_t i;

	if (!x->slots)
		return NULL;
	for (i = k->hash & x->mask; x->slots[i]; i = (i + 1) & x->mask) {
		const group *g = &x->groups[x->slots[i] - 1];

		if (g->key.hash == k->hash && g->key.kind == k->kind &&
		    g->key.field == k->field && g->key.len == k->len &&
		    memcmp(g->key.s, k->s, k->len) == 0)
			return g;
	}
	return NULL;
}

static size_t posted(const shadow_index *x, unsigned kind, int field,
		     const char *s, size_t len)
{
	lkey k = { dts__hash(kind, (uint32_t)field, s, len), s, (uint32_t)len,
		   (uint8_t)kind, (uint8_t)field, 0 };
	const group *g = find_group(x, &k);

	return g ? g->npost : 0;
}

/* Of n's values, the one the fewest earlier rules anchor as `kind`. */
static size_t rarest(const shadow_index *x, const dts_node *n, unsigned kind)
{
	size_t best = 0, bn = SIZE_MAX;

	for (size_t i = 0; i < n->nvalues && bn && spend(x->bud, 1); i++) {
		size_t c = posted(x, kind, n->field, n->values[i], n->lens[i]);

		if (c < bn) {
			bn = c;
			best = i;
		}
	}
	return best;
}

/* Probes of a leaf that holds values (IN, PREFIX, CONTAINS). */
static int value_probes(shadow_index *x, const dts_node *n, unsigned neg,
			kvec *v)
{
	size_t e = n->kind == DTS_N_IN ? rarest(x, n, K_EQ | neg) : 0;
	int error = 0;

	if (!n->nvalues)
		return 0;
	if (n->kind == DTS_N_IN)
		error = kv_push(v, K_EQ | neg, n->field, n->values[e], n->lens[e]);
	if (!error && n->kind != DTS_N_CONTAINS)
		error = all_prefixes(v, neg, n->field, n->values[0], n->lens[0]);
	if (!error && n->kind != DTS_N_PREFIX)
		error = neg ? kv_push(v, K_LITC | neg, n->field, "", 0) :
			kv_push(v, K_SCAN, n->field, n->values[0], n->lens[0]);
	return error;
}

/* The keys a rule whose condition is n looks its shadowers up by. */
static int probes(shadow_index *x, const dts_node *n, unsigned neg, kvec *v)
{
	int error = 0;
	size_t i;

	switch (n->kind) {
	case DTS_N_ALL:
	case DTS_N_ANY:
		for (i = 0; i < n->nkids && !error; i++)
			error = probes(x, n->kids[i], neg, v);
		return error;
	case DTS_N_NOT:
		return anchors(x, n->kids[0], neg ^ K_NEG, v);
	case DTS_N_EMPTY:
		return kv_push(v, K_EMPTY | neg, n->field, "", 0);
	case DTS_N_REGEX: /* may match "": implies no PRESENT */
		return exact_key(v, x->scratch, n, neg);
	case DTS_N_IN: case DTS_N_PREFIX: case DTS_N_CONTAINS:
		error = value_probes(x, n, neg, v);
		break;
	case DTS_N_RANGE: case DTS_N_AMOUNT:
		error = exact_key(v, x->scratch, n, neg);
		break;
	default:
		break;
	}
	return error ? error : kv_push(v, K_POS | neg, n->field, "", 0);
}

/* ---- building the index ---- */

static int cmp_lkey(const void *pa, const void *pb)
{
	const lkey *p = pa, *q = pb;
	int c;

	if (p->hash != q->hash)
		return p->hash < q->hash ? -1 : 1;
	if (p->kind != q->kind || p->field != q->field || p->len != q->len)
		return p->kind != q->kind ? p->kind - q->kind :
		       p->field != q->field ? p->field - q->field :
		       p->len < q->len ? -1 : 1;
	if ((c = memcmp(p->s, q->s, p->len)) != 0)
		return c;
	return p->rule < q->rule ? -1 : (p->rule > q->rule);
}

static int same_lkey(const lkey *p, const lkey *q)
{
	return p->hash == q->hash && p->kind == q->kind &&
	       p->field == q->field && p->len == q->len &&
	       memcmp(p->s, q->s, p->len) == 0;
}

/* Sorted anchors to groups, postings and the hash table. */
static int make_groups(shadow_index *x, lkey *k, size_t n)
{
	size_t i, cap;

	if (n)
		qsort(k, n, sizeof(*k), cmp_lkey);
	x->groups = calloc(n ? n : 1, sizeof(*x->groups));
	x->post = malloc((n ? n : 1) * sizeof(*x->post));
	for (cap = 16; cap < 2 * n; cap *= 2)
		;
	x->slots = calloc(cap, sizeof(*x->slots));
	x->mask = cap - 1;
	if (!x->groups || !x->post || !x->slots)
		return DTS_ENOMEM;
	for (i = 0; i < n; i++) {
		group *g = x->ngroups ? &x->groups[x->ngroups - 1] : NULL;
		size_t at = x->ngroups ? g->post + g->npost : 0;

		if (!g || !same_lkey(&g->key, &k[i])) {
			size_t h;

			g = &x->groups[x->ngroups++];
			g->key = k[i];
			g->post = (uint32_t)at;
			for (h = k[i].hash & x->mask; x->slots[h]; h = (h + 1) & x->mask)
				;
			x->slots[h] = (uint32_t)x->ngroups;
		} else if (x->post[at - 1] == k[i].rule) {
			continue; /* one rule twice under a key */
		}
		x->post[at] = k[i].rule;
		g->npost++;
	}
	return 0;
}

/* One automaton per field over the literals CONTAINS anchors use. */
static int make_automata(shadow_index *x)
{
	const char **pats = malloc((x->ngroups + 1) * sizeof(*pats));
	size_t *lens = malloc((x->ngroups + 1) * sizeof(*lens));
	uint32_t *ids = malloc((x->ngroups + 1) * sizeof(*ids));
	int error = pats && lens && ids ? 0 : DTS_ENOMEM;

	for (int f = 0; f < DTS_F_COUNT && !error; f++) {
		size_t np = 0;

		for (size_t g = 0; g < x->ngroups; g++) {
			const lkey *k = &x->groups[g].key;

			if (k->kind != K_LIT || k->field != f)
				continue;
			pats[np] = k->s;
			lens[np] = k->len;
			ids[np++] = (uint32_t)g;
		}
		if (np)
			error = dts__aho_build(&x->aho[f], pats, lens, ids, np);
	}
	free(pats);
	free(lens);
	free(ids);
	return error;
}

static int index_build(shadow_index *x, const dts_rules *rs, dts_arena *scratch,
		       long *bud)
{
	kvec all = { 0 };
	int error = 0;

	memset(x, 0, sizeof(*x));
	x->rs = rs;
	x->scratch = scratch;
	x->bud = bud;
	for (size_t j = 0; j < rs->nrules && !error; j++) {
		size_t from = all.n;

		error = anchors(x, rs->rules[j]->cond, 0, &all);
		for (size_t i = from; i < all.n; i++)
			all.k[i].rule = (uint32_t)j;
	}
	if (!error)
		error = make_groups(x, all.k, all.n);
	if (!error)
		error = make_automata(x);
	free(all.k);
	return error;
}

static void index_free(shadow_index *x)
{
	for (int f = 0; f < DTS_F_COUNT; f++)
		dts__aho_free(x->aho[f]);
	free(x->groups);
	free(x->slots);
	free(x->post);
	free(x->src);
}

/* ---- looking shadowers up ---- */

static void add_src(shadow_index *x, uint32_t g)
{
	if (x->groups[g].stamp == x->probing || !spend(x->bud, 1))
		return;
	x->groups[g].stamp = x->probing;
	if (dts__grow((void **)&x->src, &x->srccap, x->nsrc + 1,
		      sizeof(*x->src)) == 0)
		x->src[x->nsrc++] = g;
}

static void on_literal(uint32_t id, void *payload)
{
	add_src(payload, id);
}

/* Postings of every key b probes: x->src. Scans find CONTAINS literals. */
static void gather(shadow_index *x, const kvec *p)
{
	char buf[512];

	x->nsrc = 0;
	for (size_t i = 0; i < p->n; i++) {
		const lkey *k = &p->k[i];
		const group *g;

		if (k->kind == K_SCAN) {
			if (!x->aho[k->field])
				continue;
			dts__aho_scan(x->aho[k->field], k->s, k->len, on_literal, x);
			if (k->len < sizeof(buf))
				dts__aho_scan(x->aho[k->field], buf,
					      dts__fold_lower(buf, k->s, k->len),
					      on_literal, x);
			spend(x->bud, (long)k->len / 16 + 1);
		} else if ((g = find_group(x, k)) != NULL) {
			add_src(x, (uint32_t)(g - x->groups));
		}
	}
}

/* Rule b's size, for its budget: nodes and values. */
static long node_size(const dts_node *n)
{
	long s = 1 + (long)n->nvalues;

	for (size_t i = 0; i < n->nkids; i++)
		s += node_size(n->kids[i]);
	return s;
}

#define SHADOW_BUDGET 8192 /* steps per rule, plus 16 per node or value */

/*
 * The first rule before rule i that shadows it, in rule order, or -1; or
 * an error. Candidates come from the index, merged in ascending order
 * from the postings (each ascending) of the keys rule i probes.
 */
static long find_shadower(shadow_index *x, size_t i, kvec *p, size_t **cur,
			  size_t *curcap)
{
	const dts_node *b = x->rs->rules[i]->cond;
	long bud = SHADOW_BUDGET + 16 * node_size(b);
	int error;

	x->bud = &bud;
	x->probing = (uint32_t)i + 1;
	p->n = 0;
	if ((error = probes(x, b, 0, p)) < 0)
		return error;
	gather(x, p);
	if (dts__grow((void **)cur, curcap, x->nsrc + 1, sizeof(**cur)) < 0)
		return DTS_ENOMEM;
	memset(*cur, 0, (x->nsrc + 1) * sizeof(**cur));
	while (spend(&bud, (long)x->nsrc / 8 + 1)) {
		uint32_t j = UINT32_MAX;

		for (size_t s = 0; s < x->nsrc; s++) {
			const group *g = &x->groups[x->src[s]];

			if ((*cur)[s] < g->npost && x->post[g->post + (*cur)[s]] < j)
				j = x->post[g->post + (*cur)[s]];
		}
		if (j >= i)
			return -1; /* only earlier rules can shadow */
		/* A rule is shadowed only within its own dimension: a category
		 * rule never hides a dimension rule, nor one dimension another. */
		if (x->rs->rules[j]->dimension == x->rs->rules[i]->dimension &&
		    implies(b, x->rs->rules[j]->cond, &bud))
			return j;
		for (size_t s = 0; s < x->nsrc; s++) {
			const group *g = &x->groups[x->src[s]];

			if ((*cur)[s] < g->npost && x->post[g->post + (*cur)[s]] == j)
				(*cur)[s]++;
		}
	}
	return -1; /* budget spent: unsure, so not reported */
}

/* ---- lint ------------------------------------------------------------------ */

typedef struct lint_ctx {
	dts_lint_cb cb;
	void *payload;
	const dts_rules *rs;
	pcre2_match_data *md;   /* for running regexes on the examples */
	char msg[1024];
} lint_ctx;

static int report(lint_ctx *c, dts_lint_kind kind, const char *rule,
		  const char *file, unsigned line)
{
	dts_lint f;

	f.kind = kind;
	f.rule = rule;
	f.file = file;
	f.line = line;
	f.message = c->msg;
	return c->cb ? c->cb(&f, c->payload) : 0;
}

/* The raw value of field f in an example, or "". */
static const dts_value *example_value(const dts_example *ex, int f)
{
	static const dts_value none = { 0, "", 0 };

	for (size_t i = 0; i < ex->nvalues; i++)
		if (ex->values[i].field == f)
			return &ex->values[i];
	return &none;
}

/*
 * Run regex n on the rule's own examples exactly as classification will
 * (normalised field, dts__regex_exec, the rule set's limits): a pattern
 * that stops at a limit there would reject such records later.
 */
static int lint_regex_runs(lint_ctx *c, dts_arena *scratch, const dts_rule *r,
			   const dts_node *n)
{
	for (size_t e = 0; e < r->nexamples; e++) {
		const dts_value *v = example_value(&r->examples[e], n->field);
		char *buf = dts__arena_alloc(scratch, v->len + 1);
		size_t len = 0, tl = 0;
		char *t = NULL;
		int rc;

		if (!buf)
			return DTS_ENOMEM;
		if (dts_field_normalize(buf, v->len + 1, &len, n->field,
					v->data, v->len) < 0)
			continue; /* the example test reports it */
		if (dts_field_kind_of(n->field) == DTS_KIND_TEXT) {
			/* the scanner's text folding (dts__text_t2s) */
			if ((rc = dts__text_t2s(buf, len, &t, &tl)) < 0)
				continue; /* the example test reports it */
			if (rc > 0) {
				if (!(buf = dts__arena_alloc(scratch, tl + 1))) {
					free(t);
					return DTS_ENOMEM;
				}
				memcpy(buf, t, tl + 1);
				free(t);
				len = tl;
			}
			len = dts__text_fold_inplace(buf, len);
			buf[len] = '\0';
		}
		rc = dts__regex_exec(n, buf, len, c->md, c->rs->book.mctx);
		if (rc >= 0 || rc == PCRE2_ERROR_NOMATCH)
			continue;
		if (rc == PCRE2_ERROR_NOMEMORY)
			return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
		snprintf(c->msg, sizeof(c->msg),
			 "rule '%s': regex /%s/ stops at the PCRE2 match or depth limit on the <example> at line %u, so classification would count such records as not matching and report them; simplify the pattern (nested quantifiers)",
			 r->id, n->pattern, r->examples[e].line);
		return report(c, DTS_LINT_REGEX_LIMIT, r->id, r->file, n->line);
	}
	return 0;
}

static int lint_regexes(lint_ctx *c, dts_arena *scratch, const dts_rule *r,
			const dts_node *n)
{
	size_t i;
	char **atoms;
	int rc;

	if (n->kind == DTS_N_REGEX) {
		rc = dts__regex_atoms(&atoms, scratch, n->pattern, n->caseless);
		if (rc < 0)
			return rc;
		if (rc == 0) {
			snprintf(c->msg, sizeof(c->msg),
				 "rule '%s': regex /%s/ has no literal atom, so it is run on every candidate record; add a literal alternative or a selective leaf",
				 r->id, n->pattern);
			if ((rc = report(c, DTS_LINT_NO_ATOM, r->id, r->file,
					 n->line)))
				return rc;
		}
		if ((rc = lint_regex_runs(c, scratch, r, n)))
			return rc;
	}
	for (i = 0; i < n->nkids; i++)
		if ((rc = lint_regexes(c, scratch, r, n->kids[i])) != 0)
			return rc;
	return 0;
}

typedef struct shadow_state {
	shadow_index x;
	kvec probes;
	size_t *cur, curcap;
} shadow_state;

static int lint_shadowed(lint_ctx *c, shadow_state *st, size_t i)
{
	const dts_rule *r = st->x.rs->rules[i], *a;
	long j = find_shadower(&st->x, i, &st->probes, &st->cur, &st->curcap);

	if (j < -1)
		return (int)j;
	if (j < 0)
		return 0;
	a = st->x.rs->rules[j];
	snprintf(c->msg, sizeof(c->msg),
		 "rule '%s' can never win: every record it matches is matched first by rule '%s' (priority %d, %s:%u)",
		 r->id, a->id, a->priority, a->file, a->line);
	return report(c, DTS_LINT_SHADOWED, r->id, r->file, r->line);
}

static int lint_rule(lint_ctx *c, dts_arena *scratch, shadow_state *st,
		     size_t i)
{
	const dts_rules *rs = st->x.rs;
	const dts_rule *r = rs->rules[i];
	int rc;

	if (!rs->indexed[i]) {
		snprintf(c->msg, sizeof(c->msg),
			 "rule '%s' has no selective leaf (eq, in, prefix, contains, or a regex with literal atoms) outside <not>, so it is tried on every record",
			 r->id);
		if ((rc = report(c, DTS_LINT_UNINDEXED, r->id, r->file, r->line)))
			return rc;
	}
	if ((rc = lint_regexes(c, scratch, r, r->cond)) ||
	    (rc = lint_shadowed(c, st, i)))
		return rc;
	if (r->nexamples == 0) {
		snprintf(c->msg, sizeof(c->msg),
			 "rule '%s' has no <example>; examples are its test cases",
			 r->id);
		if ((rc = report(c, DTS_LINT_NO_EXAMPLE, r->id, r->file, r->line)))
			return rc;
	}
	return 0;
}

/* One pass over the rules marks the categories in use (not one per category). */
static int lint_categories(lint_ctx *c, const dts_rules *rs)
{
	unsigned char *used = calloc(rs->ncats ? rs->ncats : 1, 1);
	size_t i;
	int rc = 0;

	if (!used)
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	for (i = 0; i < rs->nrules; i++)
		if (rs->rules[i]->category_index >= 0 &&
		    (size_t)rs->rules[i]->category_index < rs->ncats)
			used[rs->rules[i]->category_index] = 1;
	for (i = 0; i < rs->ncats && rc == 0; i++) {
		const dts_category *cat = rs->cats[i];

		if (!cat->file[0] || used[i])
			continue; /* a fixed top code, or assigned */
		snprintf(c->msg, sizeof(c->msg),
			 "category '%s' is declared but no rule assigns it",
			 cat->code);
		rc = report(c, DTS_LINT_UNUSED_CATEGORY, "", cat->file, cat->line);
	}
	free(used);
	return rc;
}

const char *dts_lint_kind_name(dts_lint_kind k)
{
	switch (k) {
	case DTS_LINT_UNINDEXED: return "unindexed";
	case DTS_LINT_NO_ATOM: return "no-atom";
	case DTS_LINT_SHADOWED: return "shadowed";
	case DTS_LINT_NO_EXAMPLE: return "no-example";
	case DTS_LINT_UNUSED_CATEGORY: return "unused-category";
	case DTS_LINT_REGEX_LIMIT: return "regex-limit";
	}
	return "lint";
}

int dts_rules_lint(const dts_rules *rs, dts_lint_cb cb, void *payload)
{
	lint_ctx c;
	dts_arena scratch = {0};
	shadow_state st = {0};
	long build_budget = LONG_MAX;
	size_t i;
	int rc = 0;

	if (!rs)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_rules_lint: NULL rule set");
	c.cb = cb;
	c.payload = payload;
	c.rs = rs;
	if (!(c.md = pcre2_match_data_create(32, NULL)))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	rc = index_build(&st.x, rs, &scratch, &build_budget);
	for (i = 0; i < rs->nrules && rc == 0; i++)
		rc = lint_rule(&c, &scratch, &st, i);
	if (rc == 0)
		rc = lint_categories(&c, rs);
	index_free(&st.x);
	free(st.probes.k);
	pcre2_match_data_free(c.md);
	free(st.cur);
	dts__arena_free(&scratch);
	if (rc == DTS_ENOMEM)
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	return rc;
}

/* ---- examples as tests --------------------------------------------------------- */

static void record_text(char *buf, size_t size, const dts_example *ex)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < ex->nvalues && used < size; i++) {
		int n = snprintf(buf + used, size - used, "%s%s=%.*s",
				 i ? " " : "", dts_field_name(ex->values[i].field),
				 (int)ex->values[i].len, ex->values[i].data);

		if (n < 0)
			break;
		used += (size_t)n;
	}
}

static int run_example(size_t *nfailed, dts_scanner *s, const dts_rule *r,
		       const dts_example *ex, dts_example_cb cb, void *payload)
{
	dts_result res;
	dts_example_failure f;
	char record[2048], got[1200];
	int rc;

	rc = dts_scanner_classify(&res, s, ex->values, ex->nvalues);
	if (rc == DTS_ENOMEM)
		return rc;
	if (rc == 0 && strcmp(res.category, ex->expect) == 0)
		return 0;
	(*nfailed)++;
	if (rc < 0)
		snprintf(got, sizeof(got), "(error: %s)",
			 dts_error_last() ? dts_error_last()->message : "?");
	else
		snprintf(got, sizeof(got), "%s", res.category);
	record_text(record, sizeof(record), ex);
	f.rule = r->id;
	f.file = r->file;
	f.line = ex->line;
	f.expected = ex->expect;
	f.got = got;
	f.got_rule = rc == 0 ? res.rule : "";
	f.record = record;
	return cb ? cb(&f, payload) : 0;
}

int dts_rules_test(size_t *ntotal, size_t *nfailed, const dts_rules *rs,
		   dts_example_cb cb, void *payload)
{
	dts_scanner *s = NULL;
	size_t i, j, total = 0, failed = 0;
	int rc;

	if (!rs)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_rules_test: NULL rule set");
	/* examples test the rules; the model has its own evaluation */
	if ((rc = dts_scanner_new(&s, rs, DTS_SCAN_NO_MODEL)) < 0)
		return rc;
	for (i = 0; i < rs->book.rules.len && rc == 0; i++) {
		const dts_rule *r = rs->book.rules.items[i];

		for (j = 0; j < r->nexamples && rc == 0; j++) {
			total++;
			rc = run_example(&failed, s, r, &r->examples[j], cb,
					 payload);
		}
	}
	dts_scanner_free(s);
	if (ntotal)
		*ntotal = total;
	if (nfailed)
		*nfailed = failed;
	if (rc != 0)
		return rc;
	return failed ? dts__error(DTS_ETEST, NULL, 0, 0,
				   "%zu of %zu examples failed", failed, total) : 0;
}
