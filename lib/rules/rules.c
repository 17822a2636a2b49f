/*
 * rules.c — from the loaded rule AST to an immutable, indexed rule set.
 *
 * Compiling checks what spans files (category declarations, unique rule
 * ids), puts the rules in winning order, and builds the prefilter that
 * lets the scanner try only the rules a record can match (rules_int.h).
 */
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"
#include "model_use.h"

uint64_t dts__hash(uint32_t kind, uint32_t field, const char *s, size_t len)
{
	uint64_t h = dts__hash_init(kind, field);
	size_t i;

	for (i = 0; i < len; i++)
		h = dts__hash_step(h, (unsigned char)s[i]);
	return dts__hash_final(h);
}

const dts_key *dts__key_find(const dts_rules *r, uint64_t h, uint32_t kind,
			     uint32_t field, const char *s, size_t len)
{
	size_t mask, i;

	if (!r->keycap)
		return NULL;
	mask = r->keycap - 1;
	for (i = h & mask;; i = (i + 1) & mask) {
		const dts_key *k = &r->keys[i];

		if (!k->bytes)
			return NULL;
		if (k->hash == h && k->kind == kind && k->field == field &&
		    k->len == len && memcmp(k->bytes, s, len) == 0)
			return k;
	}
}

/* ---- categories -------------------------------------------------------- */

/*
 * Category codes are looked up by hash: once per declaration and once per
 * rule, so a linear search made compiling quadratic in categories x rules.
 */
static int find_cat(const dts_rules *r, const char *code)
{
	size_t i;

	if (!r->cat_slots)
		return -1;
	for (i = dts__hash(0, 0, code, strlen(code)) & r->cat_mask;
	     r->cat_slots[i]; i = (i + 1) & r->cat_mask)
		if (strcmp(r->cats[r->cat_slots[i] - 1]->code, code) == 0)
			return (int)r->cat_slots[i] - 1;
	return -1;
}

/* Append c to r->cats and to the code table (sized for all, up front). */
static void add_cat(dts_rules *r, dts_category *c)
{
	size_t i = dts__hash(0, 0, c->code, strlen(c->code)) & r->cat_mask;

	while (r->cat_slots[i])
		i = (i + 1) & r->cat_mask;
	r->cats[r->ncats++] = c;
	r->cat_slots[i] = (uint32_t)r->ncats;
}

static int check_category_code(const dts_category *c)
{
	const char *dot = strchr(c->code, '.');

	if (dts_category_top_index(c->code) < 0)
		return dts__error(DTS_ESYNTAX, c->file, c->line, 0,
				  "category '%s' must start with one of the top codes CBEC, TECH, SERV, PROD, DATA, NONE (DT, DO and DD are aggregates)",
				  c->code);
	if (dot && (dot[1] == '\0' || dot[strlen(dot) - 1] == '.'))
		return dts__error(DTS_ESYNTAX, c->file, c->line, 0,
				  "category '%s' has an empty part", c->code);
	return 0;
}

static int build_categories(dts_rules *r)
{
	dts_vec *decl = &r->book.categories;
	size_t i, n = DTS_CATEGORY_TOPS + decl->len;
	size_t cap = 16;

	while (cap < 2 * n)
		cap *= 2;
	r->cats = calloc(n, sizeof(*r->cats));
	r->cat_slots = calloc(cap, sizeof(*r->cat_slots));
	if (!r->cats || !r->cat_slots)
		return DTS_ENOMEM;
	r->cat_mask = cap - 1;
	/* The fixed top codes first (dts/category.h): their index is their
	 * dts_category_top_index(). */
	for (i = 0; i < DTS_CATEGORY_TOPS; i++) {
		dts_category *c = dts__arena_alloc(&r->book.arena, sizeof(*c));

		if (!c)
			return DTS_ENOMEM;
		c->code = c->top = dts_category_top(i);
		c->zh = dts_category_name_zh(c->code);
		c->en = dts_category_name_en(c->code);
		c->file = "";
		add_cat(r, c);
	}
	for (i = 0; i < decl->len; i++) {
		dts_category *c = decl->items[i];
		int at, error;

		if (!c->zh)
			c->zh = "";
		if (!c->en)
			c->en = "";
		if (!c->top) {
			const char *dot = strchr(c->code, '.');

			c->top = dot ? dts__arena_strndup(&r->book.arena, c->code,
							  (size_t)(dot - c->code)) :
				       c->code;
			if (!c->top)
				return DTS_ENOMEM;
		}
		if ((error = check_category_code(c)) < 0)
			return error;
		at = find_cat(r, c->code);
		if (at >= DTS_CATEGORY_TOPS) {
			const dts_category *o = r->cats[at];

			if (strcmp(o->zh, c->zh) || strcmp(o->en, c->en))
				return dts__error(DTS_EEXISTS, c->file, c->line, 0,
						  "category '%s' declared again with other names (first at %s:%u)",
						  c->code, o->file, o->line);
			continue;
		}
		if (at >= 0) { /* a top code given names by the classifier */
			if (c->zh[0])
				r->cats[at]->zh = c->zh;
			if (c->en[0])
				r->cats[at]->en = c->en;
			if (c->def_zh)
				r->cats[at]->def_zh = c->def_zh;
			if (c->def_en)
				r->cats[at]->def_en = c->def_en;
			continue;
		}
		add_cat(r, c);
	}
	r->none_index = find_cat(r, "NONE");
	return 0;
}

/* ---- rules --------------------------------------------------------------- */

static int cmp_id(const void *a, const void *b)
{
	const dts_rule *x = *(dts_rule *const *)a, *y = *(dts_rule *const *)b;
	int c = strcmp(x->id, y->id);

	return c ? c : (x->written < y->written ? -1 : 1);
}

static int check_unique_ids(dts_rules *r)
{
	size_t i, n = r->book.rules.len;
	dts_rule **byid = malloc((n ? n : 1) * sizeof(*byid));
	int error = 0;

	if (!byid)
		return DTS_ENOMEM;
	if (n) {
		memcpy(byid, r->book.rules.items, n * sizeof(*byid));
		qsort(byid, n, sizeof(*byid), cmp_id);
	}
	for (i = 1; i < n && !error; i++)
		if (strcmp(byid[i - 1]->id, byid[i]->id) == 0)
			error = dts__error(DTS_ESYNTAX, byid[i]->file,
					   byid[i]->line, 0,
					   "duplicate rule id '%s' (first at %s:%u); rule ids must be unique across all classifier files",
					   byid[i]->id, byid[i - 1]->file,
					   byid[i - 1]->line);
	free(byid);
	return error;
}

static int cmp_winning(const void *a, const void *b)
{
	const dts_rule *x = *(dts_rule *const *)a, *y = *(dts_rule *const *)b;

	if (x->priority != y->priority)
		return x->priority > y->priority ? -1 : 1;
	return x->written < y->written ? -1 : (x->written > y->written);
}

static int order_rules(dts_rules *r)
{
	size_t i, n = r->book.rules.len;

	r->rules = malloc((n ? n : 1) * sizeof(*r->rules));
	if (!r->rules)
		return DTS_ENOMEM;
	if (n) {
		memcpy(r->rules, r->book.rules.items, n * sizeof(*r->rules));
		qsort(r->rules, n, sizeof(*r->rules), cmp_winning);
	}
	r->nrules = n;
	for (i = 0; i < n; i++) {
		dts_rule *rule = r->rules[i];
		int at;

		if (rule->dimension != DTS_DIM_SOLD) { /* evidence, no category */
			rule->category_index = r->none_index;
			r->ndimrules++;
			continue;
		}
		at = find_cat(r, rule->category);
		if (at < 0)
			return dts__error(DTS_ESYNTAX, rule->file, rule->line, 0,
					  "rule '%s' assigns category '%s', which no classifier declares; add <category code=\"%s\" .../>",
					  rule->id, rule->category, rule->category);
		rule->category_index = at;
	}
	return 0;
}

/* ---- triggers ------------------------------------------------------------ */

typedef struct trig {
	uint8_t kind, field;
	uint32_t len;
	const char *s;
	uint32_t rule;          /* NO_RULE: a check-only literal */
	uint32_t *slot;         /* check-only: where its literal id goes */
} trig;

#define NO_RULE UINT32_MAX

typedef struct trigset {
	trig *t;
	size_t n, cap;
	int weak; /* the weakest trigger's weakness: lower is more selective */
} trigset;

static int weakness(const trig *t)
{
	int ascii = 1;
	uint32_t i;

	if (t->kind == DTS_T_EQ)
		return 1;
	if (t->kind == DTS_T_PREFIX)
		return t->len >= 4 ? 1 : t->len >= 2 ? 2 : 4;
	for (i = 0; i < t->len; i++)
		if ((unsigned char)t->s[i] >= 0x80)
			ascii = 0;
	if (!ascii)
		return t->len >= 6 ? 2 : 3;
	return t->len >= 4 ? 2 : t->len >= 3 ? 3 : 4;
}

static int ts_push(trigset *ts, uint8_t kind, uint8_t field, const char *s,
		   size_t len)
{
	trig *t;

	if (ts->n == ts->cap) {
		size_t cap = ts->cap ? ts->cap * 2 : 8;
		trig *nt = realloc(ts->t, cap * sizeof(*nt));

		if (!nt)
			return DTS_ENOMEM;
		ts->t = nt;
		ts->cap = cap;
	}
	t = &ts->t[ts->n++];
	t->kind = kind;
	t->field = field;
	t->s = s;
	t->len = (uint32_t)len;
	t->rule = 0;
	t->slot = NULL;
	if (weakness(t) > ts->weak)
		ts->weak = weakness(t);
	return 0;
}

static int ts_append(trigset *to, const trigset *from)
{
	size_t i;
	int error;

	for (i = 0; i < from->n; i++)
		if ((error = ts_push(to, from->t[i].kind, from->t[i].field,
				     from->t[i].s, from->t[i].len)) < 0)
			return error;
	return 0;
}

static int node_triggers(trigset *out, dts_rules *r, const dts_node *n);

static int leaf_triggers(trigset *out, dts_rules *r, const dts_node *n)
{
	size_t i;
	int error, count;
	char **atoms;

	switch (n->kind) {
	case DTS_N_IN:
	case DTS_N_PREFIX:
	case DTS_N_CONTAINS:
		for (i = 0; i < n->nvalues; i++) {
			uint8_t kind = n->kind == DTS_N_IN ? DTS_T_EQ :
				       n->kind == DTS_N_PREFIX ? DTS_T_PREFIX : DTS_T_LIT;
			const char *s = n->values[i];
			size_t len = n->lens[i];

			if (kind == DTS_T_PREFIX && len == 0)
				return 0; /* an empty prefix matches everything */
			if (kind == DTS_T_PREFIX && len > 63)
				len = 63; /* a shorter prefix is still necessary */
			if (kind == DTS_T_LIT) {
				char *low = dts__arena_alloc(&r->book.arena, len + 1);

				if (!low)
					return DTS_ENOMEM;
				len = dts__fold_lower(low, s, len);
				s = low;
				if (len == 0)
					return 0;
			}
			if ((error = ts_push(out, kind, (uint8_t)n->field, s, len)) < 0)
				return error;
		}
		return out->n > 0;
	case DTS_N_REGEX:
		count = dts__regex_atoms(&atoms, &r->book.arena, n->pattern,
					 n->caseless);
		if (count <= 0)
			return count;
		for (i = 0; i < (size_t)count; i++)
			if ((error = ts_push(out, DTS_T_LIT, (uint8_t)n->field,
					     atoms[i], strlen(atoms[i]))) < 0)
				return error;
		return 1;
	default:
		return 0; /* RANGE, PRESENT, EMPTY, AMOUNT: not selective */
	}
}

/* Best trigger set among the kids of an ALL: any one of them is necessary. */
static int all_triggers(trigset *out, dts_rules *r, const dts_node *n)
{
	trigset best = {0}, cur = {0};
	size_t i;
	int found = 0, error = 0, has;

	for (i = 0; i < n->nkids; i++) {
		cur.n = 0;
		cur.weak = 0;
		if ((has = node_triggers(&cur, r, n->kids[i])) < 0) {
			error = has;
			goto done;
		}
		if (!has)
			continue;
		if (!found || cur.weak < best.weak ||
		    (cur.weak == best.weak && cur.n < best.n)) {
			trigset tmp = best;

			best = cur;
			cur = tmp;
			found = 1;
		}
	}
	if (found && (error = ts_append(out, &best)) < 0)
		goto done;
done:
	free(best.t);
	free(cur.t);
	return error < 0 ? error : found;
}

/* Union over the kids of an ANY; none when one kid has none. */
static int any_triggers(trigset *out, dts_rules *r, const dts_node *n)
{
	size_t i;
	int has;

	for (i = 0; i < n->nkids; i++)
		if ((has = node_triggers(out, r, n->kids[i])) <= 0)
			return has;
	return n->nkids > 0;
}

static int node_triggers(trigset *out, dts_rules *r, const dts_node *n)
{
	switch (n->kind) {
	case DTS_N_ALL:
		return all_triggers(out, r, n);
	case DTS_N_ANY:
		return any_triggers(out, r, n);
	case DTS_N_NOT:
		return 0;
	default:
		return leaf_triggers(out, r, n);
	}
}

/* ---- index construction -------------------------------------------------- */

static int cmp_trig(const void *a, const void *b)
{
	const trig *x = a, *y = b;
	int c;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->field != y->field)
		return x->field < y->field ? -1 : 1;
	if (x->len != y->len && x->kind != DTS_T_LIT)
		return x->len < y->len ? -1 : 1;
	c = memcmp(x->s, y->s, x->len < y->len ? x->len : y->len);
	if (c)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->rule < y->rule ? -1 : (x->rule > y->rule);
}

static int same_key(const trig *a, const trig *b)
{
	return a->kind == b->kind && a->field == b->field &&
	       a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
}

static int add_key(dts_rules *r, const trig *t, uint32_t post, uint32_t npost)
{
	uint64_t h = dts__hash(t->kind, t->field, t->s, t->len);
	size_t mask = r->keycap - 1, i;

	for (i = h & mask; r->keys[i].bytes; i = (i + 1) & mask)
		;
	r->keys[i].hash = h;
	r->keys[i].bytes = t->s;
	r->keys[i].len = t->len;
	r->keys[i].kind = t->kind;
	r->keys[i].field = t->field;
	r->keys[i].post = post;
	r->keys[i].npost = npost;
	if (t->kind == DTS_T_EQ)
		r->eq_fields |= 1u << t->field;
	else
		r->prefix_lens[t->field] |= 1ull << t->len;
	return 0;
}

static int build_automata(dts_rules *r, const trig *all, size_t n,
			  const uint32_t *lit_of_group, size_t ngroups,
			  const size_t *group_start)
{
	int field, error = 0;
	const char **pats = malloc((ngroups ? ngroups : 1) * sizeof(*pats));
	size_t *lens = malloc((ngroups ? ngroups : 1) * sizeof(*lens));
	uint32_t *ids = malloc((ngroups ? ngroups : 1) * sizeof(*ids));

	(void)n;
	if (!pats || !lens || !ids) {
		error = DTS_ENOMEM;
		goto done;
	}
	for (field = 0; field < DTS_F_COUNT; field++) {
		size_t g, np = 0;

		for (g = 0; g < ngroups; g++) {
			const trig *t = &all[group_start[g]];

			if (t->kind != DTS_T_LIT || t->field != field)
				continue;
			pats[np] = t->s;
			lens[np] = t->len;
			ids[np] = lit_of_group[g];
			np++;
		}
		if (np && (error = dts__aho_build(&r->aho[field], pats, lens,
						  ids, np)) < 0)
			goto done;
		if (r->aho[field])
			r->lit_fields |= 1u << field;
	}
done:
	free(pats);
	free(lens);
	free(ids);
	return error;
}

static int build_postings(dts_rules *r, trig *all, size_t n)
{
	size_t i, ngroups = 0, nkeys = 0, g;
	size_t *group_start = NULL;
	uint32_t *lit_of_group = NULL;
	int error = 0;

	if (n)
		qsort(all, n, sizeof(*all), cmp_trig);
	r->postings = malloc((n ? n : 1) * sizeof(*r->postings));
	group_start = malloc((n + 1) * sizeof(*group_start));
	lit_of_group = malloc((n ? n : 1) * sizeof(*lit_of_group));
	r->lit_post = malloc((n ? n : 1) * sizeof(*r->lit_post));
	r->lit_npost = malloc((n ? n : 1) * sizeof(*r->lit_npost));
	if (!r->postings || !group_start || !lit_of_group || !r->lit_post ||
	    !r->lit_npost) {
		error = DTS_ENOMEM;
		goto done;
	}
	for (i = 0; i < n; i++) {
		if (i == 0 || !same_key(&all[i - 1], &all[i])) {
			group_start[ngroups++] = i;
			if (all[i].kind != DTS_T_LIT)
				nkeys++;
		} else if (all[i - 1].rule == all[i].rule) {
			continue; /* the same rule twice under one key */
		}
		if (all[i].rule != NO_RULE)
			r->postings[r->npostings++] = all[i].rule;
	}
	group_start[ngroups] = n;

	for (r->keycap = 16; r->keycap < nkeys * 2; r->keycap *= 2)
		;
	r->keys = calloc(r->keycap, sizeof(*r->keys));
	if (!r->keys) {
		error = DTS_ENOMEM;
		goto done;
	}
	/* Walk groups again to find each one's span of postings. */
	{
		size_t p = 0;

		for (g = 0; g < ngroups; g++) {
			size_t start = p, j;

			for (j = group_start[g]; j < group_start[g + 1]; j++) {
				if (all[j].rule != NO_RULE &&
				    (j == group_start[g] || all[j - 1].rule != all[j].rule))
					p++;
				if (all[j].slot)
					*all[j].slot = (uint32_t)r->nlits;
			}
			if (all[group_start[g]].kind == DTS_T_LIT) {
				lit_of_group[g] = (uint32_t)r->nlits;
				r->lit_post[r->nlits] = (uint32_t)start;
				r->lit_npost[r->nlits] = (uint32_t)(p - start);
				r->nlits++;
			} else {
				add_key(r, &all[group_start[g]], (uint32_t)start,
					(uint32_t)(p - start));
			}
		}
	}
	error = build_automata(r, all, n, lit_of_group, ngroups, group_start);
done:
	free(group_start);
	free(lit_of_group);
	return error;
}

static uint32_t fields_of(const dts_node *n)
{
	uint32_t m = n->field >= 0 ? 1u << n->field : 0;
	size_t i;

	for (i = 0; i < n->nkids; i++)
		m |= fields_of(n->kids[i]);
	return m;
}

/* The fields n tests for a value (not under <not>, not <empty>). */
static uint32_t positive_fields_of(const dts_node *n)
{
	uint32_t m = n->field >= 0 && n->kind != DTS_N_EMPTY ? 1u << n->field : 0;
	size_t i;

	if (n->kind == DTS_N_NOT)
		return 0;
	for (i = 0; i < n->nkids; i++)
		m |= positive_fields_of(n->kids[i]);
	return m;
}

/* ---- <contains> answered by the literal scan ------------------------------ */

/* 1 when the scan can answer n: memmem on the folded field of each value
 * is then exactly "the value's literal fired" (rules_int.h). */
static int checkable(const dts_rules *r, const dts_node *n)
{
	size_t i;

	if (n->kind != DTS_N_CONTAINS || !n->caseless || n->nexcept ||
	    n->field < 0 || n->field >= DTS_F_COUNT ||
	    r->lit_min_rank[n->field] == UINT32_MAX || !n->nvalues)
		return 0;
	for (i = 0; i < n->nvalues; i++) {
		char *low;
		size_t len;
		int same;

		if (!n->lens[i])
			continue;
		if (!(low = malloc(n->lens[i] + 1)))
			return -1;
		len = dts__fold_lower(low, n->values[i], n->lens[i]);
		same = len == n->lens[i] && !memcmp(low, n->values[i], len);
		free(low);
		if (!same)
			return 0;
	}
	return 1;
}

static int check_add(dts_rules *r, trigset *all, const dts_node *n)
{
	uint32_t *ids = dts__arena_alloc(&r->book.arena,
					 n->nvalues * sizeof(*ids));
	size_t i;
	int error;

	if (!ids)
		return DTS_ENOMEM;
	for (i = 0; i < n->nvalues; i++) {
		ids[i] = DTS_NO_LIT;
		if (!n->lens[i])
			continue;
		if ((error = ts_push(all, DTS_T_LIT, (uint8_t)n->field,
				     n->values[i], n->lens[i])) < 0)
			return error;
		all->t[all->n - 1].rule = NO_RULE;
		all->t[all->n - 1].slot = &ids[i];
	}
	for (i = dts__check_slot(n) & r->checkmask; r->checks[i].node;
	     i = (i + 1) & r->checkmask)
		if (r->checks[i].node == n)
			return 0; /* a node shared by two rules */
	r->checks[i].node = n;
	r->checks[i].ids = ids;
	return 0;
}

/* Counts (r->checks NULL) or adds the checkable nodes under n. */
static int check_walk(dts_rules *r, trigset *all, const dts_node *n,
		      size_t *count)
{
	size_t i;
	int ok, error;

	for (i = 0; i < n->nkids; i++)
		if ((error = check_walk(r, all, n->kids[i], count)) < 0)
			return error;
	if ((ok = checkable(r, n)) <= 0)
		return ok < 0 ? DTS_ENOMEM : 0;
	(*count)++;
	return r->checks ? check_add(r, all, n) : 0;
}

static int build_checks(dts_rules *r, trigset *all)
{
	size_t i, count = 0, cap = 16;
	int error;

	for (i = 0; i < r->nrules; i++)
		if ((error = check_walk(r, all, r->rules[i]->cond, &count)) < 0)
			return error;
	if (!count)
		return 0;
	while (cap < 2 * count)
		cap *= 2;
	if (!(r->checks = calloc(cap, sizeof(*r->checks))))
		return DTS_ENOMEM;
	r->checkmask = cap - 1;
	for (i = 0; i < r->nrules; i++)
		if ((error = check_walk(r, all, r->rules[i]->cond, &count)) < 0)
			return error;
	return 0;
}

static int build_index(dts_rules *r)
{
	trigset all = {0}, one = {0};
	size_t i, j;
	int error = 0, has;

	for (i = 0; i < DTS_F_COUNT; i++)
		r->lit_min_rank[i] = UINT32_MAX;
	r->indexed = calloc(r->nrules ? r->nrules : 1, 1);
	r->always = malloc((r->nrules ? r->nrules : 1) * sizeof(*r->always));
	if (!r->indexed || !r->always)
		return DTS_ENOMEM;
	for (i = 0; i < r->nrules; i++) {
		r->rules[i]->fields = positive_fields_of(r->rules[i]->cond);
		r->fields_used |= fields_of(r->rules[i]->cond);
		if (r->rules[i]->dimension != DTS_DIM_SOLD)
			r->dims_present |= 1u << r->rules[i]->dimension;
		one.n = 0;
		one.weak = 0;
		if ((has = node_triggers(&one, r, r->rules[i]->cond)) < 0) {
			error = has;
			goto done;
		}
		if (!has) {
			r->always[r->nalways++] = (uint32_t)i;
			r->dim_fields[r->rules[i]->dimension] = UINT32_MAX;
			continue;
		}
		for (j = 0; j < one.n; j++)
			r->dim_fields[r->rules[i]->dimension] |= 1u << one.t[j].field;
		r->indexed[i] = 1;
		for (j = 0; j < one.n; j++) {
			if (one.t[j].kind == DTS_T_LIT &&
			    r->lit_min_rank[one.t[j].field] > i)
				r->lit_min_rank[one.t[j].field] = (uint32_t)i;
			if (one.t[j].kind == DTS_T_LIT &&
			    r->rules[i]->dimension != DTS_DIM_SOLD)
				r->lit_dims[one.t[j].field] |=
					(uint8_t)(1u << r->rules[i]->dimension);
		}
		if ((error = ts_append(&all, &one)) < 0)
			goto done;
		for (j = all.n - one.n; j < all.n; j++)
			all.t[j].rule = (uint32_t)i;
	}
	if ((error = build_checks(r, &all)) < 0)
		goto done;
	error = build_postings(r, all.t, all.n);
done:
	free(all.t);
	free(one.t);
	return error;
}

/* ---- public API ----------------------------------------------------------- */

static int finish(dts_rules *r)
{
	int error;

	if ((error = build_categories(r)) < 0 ||
	    (error = check_unique_ids(r)) < 0 ||
	    (error = order_rules(r)) < 0 || (error = build_index(r)) < 0 ||
	    (error = dts__model_bind(r)) < 0)
		return error == DTS_ENOMEM ?
		       dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory") : error;
	return 0;
}

/* After loading: compile and hand *out the rule set, or free it. */
static int complete(dts_rules **out, dts_rules *r, int error)
{
	if (!error)
		error = finish(r);
	if (error < 0) {
		dts_rules_free(r);
		return error;
	}
	*out = r;
	return 0;
}

static dts_rules *rules_new(void)
{
	return calloc(1, sizeof(dts_rules));
}

int dts_rules_compile(dts_rules **out, const char *const *paths,
		      size_t npaths, const dts_rules_options *opts)
{
	dts_rules *r = NULL;
	size_t i;
	int error = 0;

	if (!out || (!paths && npaths))
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_rules_compile: NULL argument");
	*out = NULL;
	if (npaths == 0)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "no classifier file given");
	if (!(r = rules_new()))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	for (i = 0; i < npaths && !error; i++)
		error = dts__load_file(&r->book, paths[i], opts);
	return complete(out, r, error);
}

int dts_rules_compile_buffer(dts_rules **out, const char *name,
			     const char *basedir, const char *xml, size_t len,
			     const dts_rules_options *opts)
{
	dts_rules *r;
	int error;

	if (!out || !xml)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_rules_compile_buffer: NULL argument");
	*out = NULL;
	if (!(r = rules_new()))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	error = dts__load_buffer(&r->book, name ? name : "<buffer>", basedir,
				 xml, len, opts);
	return complete(out, r, error);
}

void dts_rules_free(dts_rules *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->book.regexes.len; i++)
		pcre2_code_free(r->book.regexes.items[i]);
	dts__model_use_free(r->book.model);
	for (i = 0; i < DTS_F_COUNT; i++)
		dts__aho_free(r->aho[i]);
	pcre2_match_context_free(r->book.mctx);
	dts__vec_free(&r->book.rules);
	dts__vec_free(&r->book.categories);
	dts__vec_free(&r->book.regexes);
	dts__vec_free(&r->book.files);
	dts__vec_free(&r->book.bands);
	dts__vec_free(&r->book.decisions);
	dts__arena_free(&r->book.arena);
	free(r->rules);
	free(r->cats);
	free(r->cat_slots);
	free(r->keys);
	free(r->postings);
	free(r->lit_post);
	free(r->lit_npost);
	free(r->always);
	free(r->indexed);
	free(r->checks);
	free(r);
}

size_t dts_rules_count(const dts_rules *r)
{
	return r ? r->nrules : 0;
}

int dts_rules_rule(dts_rule_info *out, const dts_rules *r, size_t index)
{
	const dts_rule *rule;

	if (!out || !r || index >= r->nrules)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "rule index %zu out of range", index);
	rule = r->rules[index];
	out->id = rule->id;
	out->category = rule->category;
	out->priority = rule->priority;
	out->file = rule->file;
	out->line = rule->line;
	out->source = rule->source ? rule->source : "";
	out->base = rule->base;
	out->ordered = rule->ordered;
	out->delivered = rule->delivered;
	out->platform = rule->platform;
	out->indexed = r->indexed[index];
	return 0;
}

const char *dts_rules_rule_review(const dts_rules *r, int index)
{
	if (!r || index < -1 || (index >= 0 && (size_t)index >= r->nrules))
		return NULL;
	if (index == -1)
		return "no-evidence";
	return r->rules[index]->review;
}

int dts_rules_rule_dimension(const dts_rules *r, size_t index)
{
	if (!r || index >= r->nrules)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "rule index %zu out of range", index);
	return r->rules[index]->dimension;
}

size_t dts_rules_category_count(const dts_rules *r)
{
	return r ? r->ncats : 0;
}

int dts_rules_category(dts_category_info *out, const dts_rules *r,
		       size_t index)
{
	const dts_category *c;

	if (!out || !r || index >= r->ncats)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "category index %zu out of range", index);
	c = r->cats[index];
	out->code = c->code;
	out->top = c->top;
	out->zh = c->zh ? c->zh : "";
	out->en = c->en ? c->en : "";
	return 0;
}

int dts_rules_find_category(const dts_rules *r, const char *code)
{
	int at;

	if (!r || !code)
		return DTS_EINVAL;
	at = find_cat(r, code);
	return at >= 0 ? at : DTS_ENOTFOUND;
}

const char *dts_rules_id(const dts_rules *r)
{
	return r && r->book.id ? r->book.id : "";
}

const char *dts_rules_version(const dts_rules *r)
{
	return r && r->book.version ? r->book.version : "";
}
