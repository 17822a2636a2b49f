/*
 * arena.c — bump allocation for the rule AST: a rule set is built once and
 * freed at once, so per-node frees would only add error paths.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct dts_arena_block {
	struct dts_arena_block *next;
	size_t used, cap;
	_Alignas(16) unsigned char data[];
};

#define ARENA_BLOCK 65536u

void *dts__arena_alloc(dts_arena *a, size_t size)
{
	struct dts_arena_block *b = a->head;
	size_t need = (size + 15u) & ~(size_t)15u;
	void *p;

	if (need < size)
		return NULL;
	if (!b || b->cap - b->used < need) {
		size_t cap = need > ARENA_BLOCK ? need : ARENA_BLOCK;

		b = malloc(sizeof(*b) + cap);
		if (!b)
			return NULL;
		b->used = 0;
		b->cap = cap;
		b->next = a->head;
		a->head = b;
	}
	p = b->data + b->used;
	b->used += need;
	memset(p, 0, size);
	return p;
}

char *dts__arena_strndup(dts_arena *a, const char *s, size_t len)
{
	char *p = dts__arena_alloc(a, len + 1);

	if (p) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

char *dts__arena_strdup(dts_arena *a, const char *s)
{
	return dts__arena_strndup(a, s, strlen(s));
}

void dts__arena_free(dts_arena *a)
{
	struct dts_arena_block *b = a->head, *next;

	for (; b; b = next) {
		next = b->next;
		free(b);
	}
	a->head = NULL;
}

int dts__vec_push(dts_vec *v, void *item)
{
	if (v->len == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 16;
		void **items = realloc(v->items, cap * sizeof(*items));

		if (!items)
			return DTS_ENOMEM;
		v->items = items;
		v->cap = cap;
	}
	v->items[v->len++] = item;
	return 0;
}

void dts__vec_free(dts_vec *v)
{
	free(v->items);
	v->items = NULL;
	v->len = v->cap = 0;
}

int dts__grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap ? *cap : 16;
	void *q;

	if (need <= *cap)
		return 0;
	while (n < need) {
		if (n > SIZE_MAX / 2 / elem)
			return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
		n *= 2;
	}
	if (!(q = realloc(*p, n * elem)))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	*p = q;
	*cap = n;
	return 0;
}
