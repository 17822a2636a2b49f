/*
 * keytab.c — the key table, string interner and joined keys of
 * reconciliation (recon_int.h).
 */
#include <stdlib.h>
#include <string.h>

#include "recon_int.h"

#define CHUNK ((size_t)1 << 20)

struct dts__rchunk {
	dts__rchunk *next;
	size_t used, cap;
	char data[];
};

static const char *store_key(dts__rtab *t, const char *key, size_t len)
{
	dts__rchunk *c = t->chunks;

	if (!c || c->cap - c->used < len + 1) {
		size_t cap = len + 1 > CHUNK ? len + 1 : CHUNK;

		if (!(c = malloc(sizeof(*c) + cap)))
			return NULL;
		c->next = t->chunks;
		c->used = 0;
		c->cap = cap;
		t->chunks = c;
	}
	memcpy(c->data + c->used, key, len);
	c->data[c->used + len] = '\0';
	c->used += len + 1;
	return c->data + c->used - len - 1;
}

dts__rentry *dts__rtab_find(const dts__rtab *t, uint64_t h, const char *key,
			    size_t len)
{
	size_t mask = t->nslots - 1;

	if (!t->nslots)
		return NULL;
	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
		dts__rentry *e;

		if (!t->slots[i])
			return NULL;
		e = &t->e[t->slots[i] - 1];
		if (e->hash == h && e->klen == len && !memcmp(e->key, key, len))
			return e;
	}
}

static int grow_slots(dts__rtab *t)
{
	size_t n = t->nslots ? t->nslots * 2 : 1024, mask = n - 1;
	uint32_t *s = calloc(n, sizeof(*s));

	if (!s)
		return -1;
	for (size_t k = 0; k < t->n; k++) {
		size_t i = (size_t)t->e[k].hash & mask;

		while (s[i])
			i = (i + 1) & mask;
		s[i] = (uint32_t)(k + 1);
	}
	free(t->slots);
	t->slots = s;
	t->nslots = n;
	return 0;
}

dts__rentry *dts__rtab_add(dts__rtab *t, uint64_t h, const char *key,
			   size_t len)
{
	dts__rentry *e;
	size_t i, mask;

	if (t->n >= UINT32_MAX - 1 || len > UINT32_MAX)
		return NULL;
	if ((t->n + 1) * 2 > t->nslots && grow_slots(t) < 0)
		return NULL;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap + t->cap / 2 : 4096;
		dts__rentry *ne = realloc(t->e, cap * sizeof(*ne));

		if (!ne)
			return NULL;
		t->e = ne;
		t->cap = cap;
	}
	e = &t->e[t->n];
	memset(e, 0, sizeof(*e));
	if (!(e->key = store_key(t, key, len)))
		return NULL;
	e->hash = h;
	e->klen = (uint32_t)len;
	mask = t->nslots - 1;
	for (i = (size_t)h & mask; t->slots[i]; i = (i + 1) & mask)
		;
	t->slots[i] = (uint32_t)(++t->n);
	return e;
}

int dts__rtab_extra(dts__rtab *t, dts__rentry *e, int side, const dts__rinfo *r)
{
	dts__rextra *x;

	if (t->nx >= UINT32_MAX - 1)
		return -1;
	if (t->nx == t->xcap) {
		size_t cap = t->xcap ? t->xcap * 2 : 256;
		dts__rextra *nx = realloc(t->x, cap * sizeof(*nx));

		if (!nx)
			return -1;
		t->x = nx;
		t->xcap = cap;
	}
	x = &t->x[t->nx];
	x->info = *r;
	x->side = (uint8_t)side;
	/* Append at the tail so duplicates are reported in input order; the
	 * entry keeps the tail (walking the chain made n duplicates n^2). */
	x->next = 0;
	if (!e->extra)
		e->extra = (uint32_t)(t->nx + 1);
	else
		t->x[e->tail - 1].next = (uint32_t)(t->nx + 1);
	e->tail = (uint32_t)(t->nx + 1);
	t->nx++;
	return 0;
}

void dts__rtab_free(dts__rtab *t)
{
	while (t->chunks) {
		dts__rchunk *c = t->chunks;

		t->chunks = c->next;
		free(c);
	}
	free(t->e);
	free(t->slots);
	free(t->x);
	memset(t, 0, sizeof(*t));
}

static int strs_grow(dts__rstrs *st)
{
	size_t n = st->nslots ? st->nslots * 2 : 64, mask = n - 1;
	uint32_t *s = calloc(n, sizeof(*s));

	if (!s)
		return -1;
	for (size_t k = 0; k < st->n; k++) {
		size_t i = (size_t)dts__fnv(st->s[k], strlen(st->s[k])) & mask;

		while (s[i])
			i = (i + 1) & mask;
		s[i] = (uint32_t)(k + 1);
	}
	free(st->slots);
	st->slots = s;
	st->nslots = n;
	return 0;
}

int dts__rstrs_id(dts__rstrs *st, const char *s, size_t len)
{
	uint64_t h = dts__fnv(s, len);
	size_t i, mask;
	char *copy;

	if ((st->n + 1) * 2 > st->nslots && strs_grow(st) < 0)
		return -1;
	mask = st->nslots - 1;
	for (i = (size_t)h & mask; st->slots[i]; i = (i + 1) & mask) {
		const char *o = st->s[st->slots[i] - 1];

		if (strlen(o) == len && !memcmp(o, s, len))
			return (int)st->slots[i] - 1;
	}
	if (st->n >= 65535)
		return -1;
	if (st->n == st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 32;
		char **ns = realloc(st->s, cap * sizeof(*ns));

		if (!ns)
			return -1;
		st->s = ns;
		st->cap = cap;
	}
	if (!(copy = malloc(len + 1)))
		return -1;
	memcpy(copy, s, len);
	copy[len] = '\0';
	st->s[st->n] = copy;
	st->slots[i] = (uint32_t)(++st->n);
	return (int)st->n - 1;
}

void dts__rstrs_free(dts__rstrs *st)
{
	for (size_t i = 0; i < st->n; i++)
		free(st->s[i]);
	free(st->s);
	free(st->slots);
	memset(st, 0, sizeof(*st));
}

void dts__rkey_reset(dts__rkey *k)
{
	k->len = 0;
	k->nparts = 0;
	if (k->p)
		k->p[0] = '\0';
}

int dts__rkey_part(dts__rkey *k, const char *s, size_t len)
{
	size_t need = k->len + 2 * len + 2;   /* worst case: all escaped */

	if (need > k->cap) {
		char *p = realloc(k->p, need * 2);

		if (!p)
			return -1;
		k->p = p;
		k->cap = need * 2;
	}
	if (k->nparts++)
		k->p[k->len++] = '|';
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '|' || s[i] == '\\')
			k->p[k->len++] = '\\';
		k->p[k->len++] = s[i];
	}
	k->p[k->len] = '\0';
	return 0;
}

void dts__rkey_free(dts__rkey *k)
{
	free(k->p);
	memset(k, 0, sizeof(*k));
}
