/*
 * rec_table.c — open-addressing key table and string interner for
 * dts-reconcile (see rec_table.h). Keys live in 1 MiB chunks so entry
 * pointers stay valid while the entry array grows.
 */
#include <stdlib.h>
#include <string.h>

#include "rec_table.h"

#define CHUNK ((size_t)1 << 20)

struct rec_chunk {
	rec_chunk *next;
	size_t used, cap;
	char data[];
};

/* 64-bit FNV-1a over 8-byte words, then a final mix: fast and good enough
 * for keys that often differ only in their last digits. */
uint64_t rec_hash(const char *key, size_t len)
{
	uint64_t h = 0xcbf29ce484222325u;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t w;

		memcpy(&w, key + i, 8);
		h = (h ^ w) * 0x100000001b3u;
		h ^= h >> 29;
	}
	for (; i < len; i++)
		h = (h ^ (unsigned char)key[i]) * 0x100000001b3u;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdu;
	h ^= h >> 33;
	return h;
}

static const char *store_key(rec_table *t, const char *key, size_t len)
{
	rec_chunk *c = t->chunks;

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

rec_entry *rec_table_find(const rec_table *t, uint64_t h, const char *key,
			  size_t len)
{
	size_t mask = t->nslots - 1;

	if (!t->nslots)
		return NULL;
	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
		rec_entry *e;

		if (!t->slots[i])
			return NULL;
		e = &t->e[t->slots[i] - 1];
		if (e->hash == h && e->klen == len && !memcmp(e->key, key, len))
			return e;
	}
}

static int grow_slots(rec_table *t)
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

rec_entry *rec_table_add(rec_table *t, uint64_t h, const char *key,
			 size_t len, const rec_info *a)
{
	rec_entry *e;
	size_t i, mask;

	if (t->n >= UINT32_MAX - 1)
		return NULL;
	if ((t->n + 1) * 2 > t->nslots && grow_slots(t) < 0)
		return NULL;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap + t->cap / 2 : 4096;
		rec_entry *ne = realloc(t->e, cap * sizeof(*ne));

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
	e->na = 1;
	e->a = *a;
	mask = t->nslots - 1;
	for (i = (size_t)h & mask; t->slots[i]; i = (i + 1) & mask)
		;
	t->slots[i] = (uint32_t)(++t->n);
	return e;
}

int rec_table_extra(rec_table *t, rec_entry *e, int side, const rec_info *r)
{
	rec_extra *x;

	if (t->nx >= UINT32_MAX - 1)
		return -1;
	if (t->nx == t->xcap) {
		size_t cap = t->xcap ? t->xcap * 2 : 256;
		rec_extra *nx = realloc(t->x, cap * sizeof(*nx));

		if (!nx)
			return -1;
		t->x = nx;
		t->xcap = cap;
	}
	x = &t->x[t->nx];
	x->info = *r;
	x->side = (uint8_t)side;
	/* Append at the tail so duplicates are reported in input order. The
	 * entry keeps the tail: walking the chain made a key with n records
	 * cost n^2 / 2 steps (100k duplicates took 28 s). */
	x->next = 0;
	if (!e->extra)
		e->extra = (uint32_t)(t->nx + 1);
	else
		t->x[e->tail - 1].next = (uint32_t)(t->nx + 1);
	e->tail = (uint32_t)(t->nx + 1);
	t->nx++;
	return 0;
}

void rec_table_free(rec_table *t)
{
	while (t->chunks) {
		rec_chunk *c = t->chunks;

		t->chunks = c->next;
		free(c);
	}
	free(t->e);
	free(t->slots);
	free(t->x);
	memset(t, 0, sizeof(*t));
}

static int strs_grow(rec_strs *st)
{
	size_t n = st->nslots ? st->nslots * 2 : 64, mask = n - 1;
	uint32_t *s = calloc(n, sizeof(*s));

	if (!s)
		return -1;
	for (size_t k = 0; k < st->n; k++) {
		size_t i = (size_t)rec_hash(st->s[k], strlen(st->s[k])) & mask;

		while (s[i])
			i = (i + 1) & mask;
		s[i] = (uint32_t)(k + 1);
	}
	free(st->slots);
	st->slots = s;
	st->nslots = n;
	return 0;
}

int rec_strs_id(rec_strs *st, const char *s, size_t len)
{
	uint64_t h = rec_hash(s, len);
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

void rec_strs_free(rec_strs *st)
{
	for (size_t i = 0; i < st->n; i++)
		free(st->s[i]);
	free(st->s);
	free(st->slots);
	memset(st, 0, sizeof(*st));
}
