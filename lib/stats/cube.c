/*
 * cube.c — the statistics cube: cells keyed by dimension values, with
 * exact record counts, exact converted values and exact distinct
 * enterprise sets, mergeable across shards.
 *
 * Values are kept as 128-bit integers at 10^-14 (money 10^-4 times rate
 * 10^-10), so conversion never rounds; rounding happens once, when a
 * value is formatted (the arithmetic is amount.c's, dts/amount.h).
 * Enterprise ids are interned once per cube and each cell keeps an
 * open-addressing set of 32-bit id numbers; a merge maps the other cube's
 * numbers to its own once per enterprise, then works with numbers.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "internal.h"
#include "dts/cube.h"

typedef dts__i128 i128;

#define MAX_DIMS 16

/* Re-raise the last error with a file and line (copy: the message is the source). */
static int at_line(int code, const char *file, unsigned line)
{
	char msg[1024];

	snprintf(msg, sizeof(msg), "%s",
		 dts_error_last() ? dts_error_last()->message : "error");
	return dts__error(code, file, line, 0, "%s", msg);
}

/* ---- text every output can carry ------------------------------------------ */

/* Length of the UTF-8 sequence at s (n bytes left) and its code point, or
 * 0 when it is not valid UTF-8 (overlong, surrogate, past U+10FFFF). */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 :
		     (s[0] & 0xF0) == 0xE0 ? 3 : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
	static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
	uint32_t c;

	if (!len || len > n)
		return 0;
	c = len == 1 ? s[0] : s[0] & (0x7Fu >> len);
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3Fu);
	}
	if (c < min[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

int dts_text_check(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;

	for (size_t i = 0; i < len;) {
		uint32_t c = 0;
		size_t n = utf8_next(u + i, len - i, &c);

		if (!n)
			return dts__error(DTS_EINPUT, NULL, 0, 0,
					  "invalid UTF-8 at byte %zu", i + 1);
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
		    c == 0xFFFE || c == 0xFFFF)
			return dts__error(DTS_EINPUT, NULL, 0, 0,
					  "U+%04X at byte %zu cannot be written "
					  "in XML (SDMX-ML, xlsx)", (unsigned)c,
					  i + 1);
		i += n;
	}
	return 0;
}

/* ---- categories ----------------------------------------------------------- */

/*
 * The keys a category counts under: itself, its top code, then up the
 * fixed tree (dts_category_parent: DO or DD, DT). For a "top" dimension a
 * leaf is cut to its top code. Returns the count.
 */
static size_t category_keys(const char **out, char *topbuf, size_t topcap,
			    const char *code, int top_only)
{
	size_t n = 0, toplen = strcspn(code, ".");

	if (toplen >= topcap)
		toplen = topcap - 1;
	memcpy(topbuf, code, toplen);
	topbuf[toplen] = '\0';
	if (top_only) {
		out[n++] = topbuf;
	} else {
		out[n++] = code;
		if (code[toplen] == '.')
			out[n++] = topbuf;
	}
	/* Only a top code rolls up: a key "DO" or "DD" counts only there. */
	if (dts_category_top_index(topbuf) >= 0)
		for (const char *up = dts_category_parent(topbuf); up;
		     up = dts_category_parent(up))
			out[n++] = up;
	return n;
}

/* ---- the cube ------------------------------------------------------------- */

struct cell {
	i128 value;
	uint64_t records;
	uint64_t hash;
	char *joined;           /* keys, each NUL-terminated, back to back */
	size_t joinlen;
	const char **keys;      /* ndims pointers into joined */
	/*
	 * Distinct enterprises, exact: a hash set of interned ids (id + 1,
	 * 0 empty) while few, a bitmap over all interned ids once that is
	 * smaller. Memory per cell is then at most (enterprises seen)/8 bytes,
	 * so a cube's memory levels off at cells x enterprises / 8 however
	 * long the input is.
	 */
	uint32_t *ents;
	uint64_t *bits;         /* bitmap mode: bit id - 1 */
	uint32_t ent_len, ent_cap, nwords;
	int loaded;             /* read from a partial (duplicate check) */
	/*
	 * Contributions (dts_cube_set_contributions): the exact net value of
	 * each enterprise in the cell, an open-addressing map (id + 1, 0
	 * empty; load <= 3/4) next to the set and with the same ids. 20 bytes
	 * a slot: only per-enterprise sums merge exactly across shards.
	 */
	uint32_t *con_ids;
	i128 *con_vals;
	uint32_t con_len, con_cap;
};

struct dts_cube {
	size_t ndims;
	char **dims;
	char *currency;
	int catdim[MAX_DIMS];   /* 0 plain, 1 category, 2 category:top */
	int perdim[MAX_DIMS];   /* 1: a period dimension (period_cmp) */
	dts_arena arena;
	struct cell **tab;      /* cells by hash, open addressing */
	size_t tabcap, ncells;
	char **ent_names;       /* interned enterprise ids */
	size_t nent, ent_names_cap;
	/* id + 1 by hash of name, with the hash's low 32 bits: a probe
	 * compares numbers before names, growing never rehashes a name */
	struct ent_slot { uint32_t id, hash; } *ent_tab;
	size_t ent_tabcap;
	/* The vintage (dts_cube_set_classifier ...): malloc'd, NULL unset. */
	char *classifier, *vintage;
	char *ids;              /* enterprise ids: NULL in clear, else keyed */
	int status;             /* dts_status; 0: not set (provisional) */
	struct cube_input { char *name, *digest; } *inputs;
	size_t ninputs, inputs_cap;
	int contributions;      /* 1: cells keep per-enterprise values */
	struct add_memo *memo;  /* dts_cube_add's cells by keys (cells_of) */
};

int dts_cube_new(dts_cube **out, const char *const *dims, size_t ndims,
		 const char *currency)
{
	dts_cube *c;
	int error = DTS_ENOMEM;

	*out = NULL;
	if (ndims == 0 || ndims > MAX_DIMS || !dims)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "a cube needs 1 to %d dimensions", MAX_DIMS);
	if (!(c = calloc(1, sizeof(*c))))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	c->ndims = ndims;
	if (!(c->dims = dts__arena_alloc(&c->arena, ndims * sizeof(char *))) ||
	    !(c->currency = dts__arena_strdup(&c->arena,
					      currency ? currency : "")))
		goto done;
	for (size_t i = 0; i < ndims; i++) {
		if (!dims[i] || !dims[i][0] || strpbrk(dims[i], "\t\n\r\\") ||
		    dts_text_check(dims[i], strlen(dims[i])) < 0) {
			error = dts__error(DTS_EINVAL, NULL, 0, 0,
					   "bad dimension name \"%s\"",
					   dims[i] ? dims[i] : "(null)");
			goto done;
		}
		for (size_t j = 0; j < i; j++)
			if (!strcmp(dims[i], dims[j])) {
				error = dts__error(DTS_EINVAL, NULL, 0, 0,
						   "dimension \"%s\" given twice",
						   dims[i]);
				goto done;
			}
		if (!(c->dims[i] = dts__arena_strdup(&c->arena, dims[i])))
			goto done;
		c->catdim[i] = !strcmp(dims[i], "category:top") ? 2 :
			       !strcmp(dims[i], "category") ||
			       !strcmp(dims[i], "category:leaf");
		c->perdim[i] = !strncmp(dims[i], "period", 6) &&
			       (!dims[i][6] || dims[i][6] == ':');
	}
	*out = c;
	return 0;
done:
	dts_cube_free(c);
	return error == DTS_ENOMEM ?
	       dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory") : error;
}

void dts_cube_free(dts_cube *cube)
{
	if (!cube)
		return;
	for (size_t i = 0; i < cube->tabcap; i++)
		if (cube->tab[i]) {
			free(cube->tab[i]->ents);
			free(cube->tab[i]->bits);
			free(cube->tab[i]->con_ids);
			free(cube->tab[i]->con_vals);
		}
	free(cube->tab);
	free(cube->memo);
	free(cube->ent_names);
	free(cube->ent_tab);
	free(cube->classifier);
	free(cube->ids);
	free(cube->vintage);
	for (size_t i = 0; i < cube->ninputs; i++) {
		free(cube->inputs[i].name);
		free(cube->inputs[i].digest);
	}
	free(cube->inputs);
	dts__arena_free(&cube->arena);
	free(cube);
}

size_t dts_cube_ndims(const dts_cube *cube)
{
	return cube->ndims;
}

const char *dts_cube_dim(const dts_cube *cube, size_t i)
{
	return i < cube->ndims ? cube->dims[i] : NULL;
}

int dts_cube_find_dim(const dts_cube *cube, const char *name)
{
	for (size_t i = 0; i < cube->ndims; i++)
		if (!strcmp(cube->dims[i], name))
			return (int)i;
	return DTS_ENOTFOUND;
}

const char *dts_cube_currency(const dts_cube *cube)
{
	return cube->currency;
}

size_t dts_cube_count(const dts_cube *cube)
{
	return cube->ncells;
}

static int oom(void)
{
	return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
}

static int grow_cells(dts_cube *c)
{
	size_t cap = c->tabcap ? c->tabcap * 2 : 64;
	struct cell **tab = calloc(cap, sizeof(*tab));

	if (!tab)
		return oom();
	for (size_t i = 0; i < c->tabcap; i++) {
		struct cell *x = c->tab[i];
		size_t j;

		if (!x)
			continue;
		for (j = x->hash & (cap - 1); tab[j]; j = (j + 1) & (cap - 1))
			;
		tab[j] = x;
	}
	free(c->tab);
	c->tab = tab;
	c->tabcap = cap;
	return 0;
}

/* Join keys into buf (NUL after each); returns the length or -1 if too long. */
static long join_keys(char *buf, size_t cap, const char *const *keys, size_t n)
{
	size_t len = 0;

	for (size_t i = 0; i < n; i++) {
		size_t k = strlen(keys[i]) + 1;

		if (len + k > cap)
			return -1;
		memcpy(buf + len, keys[i], k);
		len += k;
	}
	return (long)len;
}

/* Re-raise dts_text_check's error naming the dimension. */
static int at_dim(const dts_cube *c, size_t i)
{
	char msg[1024];

	snprintf(msg, sizeof(msg), "%s", dts_error_last()->message);
	return dts__error(DTS_EINPUT, NULL, 0, 0, "dimension %s: %s",
			  c->dims[i], msg);
}

/* The cell with these keys; created when `create`. NULL with *err set. */
static struct cell *cell_get(dts_cube *c, const char *const *keys, int create,
			     int *err)
{
	char buf[8192];
	long len = join_keys(buf, sizeof(buf), keys, c->ndims);
	uint64_t h;
	struct cell *x;
	size_t j;

	*err = 0;
	if (len < 0) {
		*err = dts__error(DTS_ELIMIT, NULL, 0, 0,
				  "cell keys longer than %zu bytes", sizeof(buf));
		return NULL;
	}
	h = dts__fnv(buf, (size_t)len);
	for (j = c->tabcap ? h & (c->tabcap - 1) : 0; c->tabcap && c->tab[j];
	     j = (j + 1) & (c->tabcap - 1)) {
		x = c->tab[j];
		if (x->hash == h && x->joinlen == (size_t)len &&
		    !memcmp(x->joined, buf, (size_t)len))
			return x;
	}
	if (!create) {
		*err = DTS_ENOTFOUND;
		return NULL;
	}
	/* Checked once per new cell: a key that was refused never makes a
	 * cell, so a cell found above has valid keys. */
	for (size_t i = 0; i < c->ndims; i++)
		if (dts_text_check(keys[i], strlen(keys[i])) < 0) {
			*err = at_dim(c, i);
			return NULL;
		}
	if ((c->ncells + 1) * 2 > c->tabcap) {
		if ((*err = grow_cells(c)) < 0)
			return NULL;
		for (j = h & (c->tabcap - 1); c->tab[j];
		     j = (j + 1) & (c->tabcap - 1))
			;
	}
	x = dts__arena_alloc(&c->arena, sizeof(*x));
	if (!x || !(x->joined = dts__arena_strndup(&c->arena, buf, (size_t)len)) ||
	    !(x->keys = dts__arena_alloc(&c->arena, c->ndims * sizeof(char *)))) {
		*err = oom();
		return NULL;
	}
	x->joinlen = (size_t)len;
	x->hash = h;
	for (size_t i = 0, off = 0; i < c->ndims; i++) {
		x->keys[i] = x->joined + off;
		off += strlen(x->keys[i]) + 1;
	}
	c->tab[j] = x;
	c->ncells++;
	return x;
}

static int grow_ent_tab(dts_cube *c)
{
	size_t cap = c->ent_tabcap ? c->ent_tabcap * 2 : 256;
	struct ent_slot *tab = calloc(cap, sizeof(*tab));

	if (!tab)
		return oom();
	for (size_t i = 0; i < c->ent_tabcap; i++) {
		size_t j;

		if (!c->ent_tab[i].id)
			continue;
		for (j = c->ent_tab[i].hash & (cap - 1); tab[j].id;
		     j = (j + 1) & (cap - 1))
			;
		tab[j] = c->ent_tab[i];
	}
	free(c->ent_tab);
	c->ent_tab = tab;
	c->ent_tabcap = cap;
	return 0;
}

/* The slot of the len bytes at name (no NUL among them) in c's table: its
 * own, or the empty one where it would go. The table must have room. */
static size_t ent_slot_of(const dts_cube *c, const char *name, size_t len,
			  uint32_t h)
{
	size_t j;

	for (j = h & (c->ent_tabcap - 1); c->ent_tab[j].id;
	     j = (j + 1) & (c->ent_tabcap - 1)) {
		const char *have = c->ent_names[c->ent_tab[j].id - 1];

		if (c->ent_tab[j].hash == h && !memcmp(have, name, len) &&
		    !have[len])
			break;
	}
	return j;
}

/* Intern the enterprise id of len bytes at name (not NUL-terminated: a
 * partial's line) whose dts__fnv is h (low 32 bits); *id gets its
 * number + 1. */
static int ent_intern_n(dts_cube *c, const char *name, size_t len,
			uint32_t h, uint32_t *id)
{
	size_t j;
	int error;

	if ((c->nent + 1) * 2 > c->ent_tabcap && (error = grow_ent_tab(c)) < 0)
		return error;
	j = ent_slot_of(c, name, len, h);
	if (c->ent_tab[j].id) {
		*id = c->ent_tab[j].id;
		return 0;
	}
	if (c->nent >= UINT32_MAX - 1)
		return dts__error(DTS_ELIMIT, NULL, 0, 0,
				  "more than 4 billion enterprise ids");
	if (c->nent == c->ent_names_cap) {
		size_t cap = c->ent_names_cap ? c->ent_names_cap * 2 : 256;
		char **names = realloc(c->ent_names, cap * sizeof(*names));

		if (!names)
			return oom();
		c->ent_names = names;
		c->ent_names_cap = cap;
	}
	if (!(c->ent_names[c->nent] = dts__arena_strndup(&c->arena, name, len)))
		return oom();
	*id = (uint32_t)++c->nent;
	c->ent_tab[j].id = *id;
	c->ent_tab[j].hash = h;
	return 0;
}

/* Intern an enterprise id; *id gets its number + 1. */
static int ent_intern(dts_cube *c, const char *name, uint32_t *id)
{
	size_t len = strlen(name);

	return ent_intern_n(c, name, len, (uint32_t)dts__fnv(name, len), id);
}

static uint32_t id_hash(uint32_t id)
{
	return id * 2654435761u;
}

static int bits_set(struct cell *x, uint32_t id)
{
	uint32_t w = (id - 1) >> 6;
	uint64_t m = 1ull << ((id - 1) & 63);

	if (w >= x->nwords) {
		uint32_t n = w + 1 > x->nwords * 2 ? w + 1 : x->nwords * 2;
		uint64_t *b = realloc(x->bits, (size_t)n * sizeof(*b));

		if (!b)
			return oom();
		memset(b + x->nwords, 0, (size_t)(n - x->nwords) * sizeof(*b));
		x->bits = b;
		x->nwords = n;
	}
	if (!(x->bits[w] & m)) {
		x->bits[w] |= m;
		x->ent_len++;
	}
	return 0;
}

/* Switch to a bitmap when it would take less memory than the hash set. */
static int maybe_to_bits(struct cell *x, uint32_t nent)
{
	uint32_t i, n = x->ent_len;

	if (x->bits || (uint64_t)x->ent_cap * 32 <= (uint64_t)nent + 64)
		return 0;
	x->ent_len = 0;
	for (i = 0; i < x->ent_cap; i++)
		if (x->ents[i] && bits_set(x, x->ents[i]) < 0)
			return oom();
	if (x->ent_len != n)
		return dts__error(DTS_ERROR, NULL, 0, 0, "enterprise set lost ids");
	free(x->ents);
	x->ents = NULL;
	x->ent_cap = 0;
	return 0;
}

static int set_insert(const dts_cube *c, struct cell *x, uint32_t id)
{
	uint32_t j;

	if (x->bits)
		return bits_set(x, id);
	if ((x->ent_len + 1) * 2 > x->ent_cap) {
		uint32_t cap = x->ent_cap ? x->ent_cap * 2 : 4;
		uint32_t *t = calloc(cap, sizeof(*t));

		if (!t || cap < x->ent_cap) {
			free(t);
			return oom();
		}
		for (uint32_t i = 0; i < x->ent_cap; i++) {
			if (!x->ents[i])
				continue;
			for (j = id_hash(x->ents[i]) & (cap - 1); t[j];
			     j = (j + 1) & (cap - 1))
				;
			t[j] = x->ents[i];
		}
		free(x->ents);
		x->ents = t;
		x->ent_cap = cap;
	}
	for (j = id_hash(id) & (x->ent_cap - 1); x->ents[j];
	     j = (j + 1) & (x->ent_cap - 1))
		if (x->ents[j] == id)
			return 0;
	x->ents[j] = id;
	x->ent_len++;
	return maybe_to_bits(x, (uint32_t)c->nent);
}

/* Room for n ids in x's (empty) set: a partial's cell line gives the
 * count, so reading its ent lines never regrows the set. */
static int set_reserve(struct cell *x, uint64_t n)
{
	uint32_t cap = 4;

	if (x->bits || x->ents || n == 0 || n > UINT32_MAX / 4)
		return 0;
	while ((uint64_t)cap < n * 2)
		cap *= 2;
	if (!(x->ents = calloc(cap, sizeof(*x->ents))))
		return oom();
	x->ent_cap = cap;
	return 0;
}

/* The ids in a cell's set, in any order, into out (ent_len of them). */
static void set_ids(const struct cell *x, uint32_t *out)
{
	uint32_t n = 0;

	if (x->bits) {
		for (uint32_t w = 0; w < x->nwords; w++)
			for (uint64_t b = x->bits[w]; b; b &= b - 1)
				out[n++] = w * 64 + (uint32_t)__builtin_ctzll(b) + 1;
		return;
	}
	for (uint32_t k = 0; k < x->ent_cap; k++)
		if (x->ents[k])
			out[n++] = x->ents[k];
}

/* ---- contributions: per (cell, enterprise) exact values -------------------- */

/* The slot of id in x's contribution map: its own, or the empty one where
 * it would go. The map must have room (con_cap > 0). */
static uint32_t con_slot(const struct cell *x, uint32_t id)
{
	uint32_t j;

	for (j = id_hash(id) & (x->con_cap - 1); x->con_ids[j] && x->con_ids[j] != id;
	     j = (j + 1) & (x->con_cap - 1))
		;
	return j;
}

/* The contribution of enterprise id to x, or NULL when it has none. */
static const i128 *con_find(const struct cell *x, uint32_t id)
{
	uint32_t j;

	if (!x->con_cap)
		return NULL;
	j = con_slot(x, id);
	return x->con_ids[j] ? &x->con_vals[j] : NULL;
}

static int con_grow(struct cell *x)
{
	uint32_t cap = x->con_cap ? x->con_cap * 2 : 4;
	uint32_t *ids = calloc(cap, sizeof(*ids));
	i128 *vals = malloc((size_t)cap * sizeof(*vals));
	struct cell y = {.con_ids = ids, .con_vals = vals, .con_cap = cap};

	if (!ids || !vals || cap < x->con_cap) {
		free(ids);
		free(vals);
		return oom();
	}
	for (uint32_t i = 0; i < x->con_cap; i++)
		if (x->con_ids[i]) {
			uint32_t j = con_slot(&y, x->con_ids[i]);

			ids[j] = x->con_ids[i];
			vals[j] = x->con_vals[i];
		}
	free(x->con_ids);
	free(x->con_vals);
	x->con_ids = ids;
	x->con_vals = vals;
	x->con_cap = cap;
	return 0;
}

/* Would adding v to id's contribution in x overflow? (checked for every
 * cell before any changes: dts_cube_add is all or nothing) */
static int con_overflows(const struct cell *x, uint32_t id, i128 v)
{
	const i128 *have = con_find(x, id);
	i128 r;

	return have && __builtin_add_overflow(*have, v, &r);
}

/* id's contribution to x += v (a new enterprise starts at 0). */
static int con_add(struct cell *x, uint32_t id, i128 v)
{
	uint32_t j;
	int error;

	if ((uint64_t)(x->con_len + 1) * 4 > (uint64_t)x->con_cap * 3 &&
	    (error = con_grow(x)) < 0)
		return error;
	j = con_slot(x, id);
	if (!x->con_ids[j]) {
		x->con_ids[j] = id;
		x->con_vals[j] = 0;
		x->con_len++;
	}
	return dts__add128(&x->con_vals[j], v);
}

/*
 * `from`'s enterprise numbers as `into`'s, for a merge or a roll-up: each
 * name is looked up (hashed) in `into` once, the first time a cell of
 * `from` holds it; every (cell, enterprise) pair after that is a number.
 * ids: one buffer of a cell's ids, reused cell after cell.
 */
struct remap {
	dts_cube *into;
	const dts_cube *from;
	uint32_t *to;           /* from's number - 1 -> into's number, 0 unset */
	uint32_t *ids;          /* from->nent + 1 */
	int same;               /* copy_ents ran: every id keeps its number */
};

static int remap_init(struct remap *m, dts_cube *into, const dts_cube *from)
{
	m->into = into;
	m->from = from;
	m->same = 0;
	m->to = calloc(from->nent + 1, sizeof(*m->to));
	m->ids = malloc((from->nent + 1) * sizeof(*m->ids));
	if (!m->to || !m->ids) {
		free(m->to);
		free(m->ids);
		m->to = m->ids = NULL;
		return oom();
	}
	return 0;
}

static void remap_free(struct remap *m)
{
	free(m->to);
	free(m->ids);
}

/* into's number for from's number id (both + 1). */
static int remap_id(struct remap *m, uint32_t id, uint32_t *out)
{
	uint32_t *to = &m->to[id - 1];

	if (!*to) {
		int error = m->into == m->from ? (*to = id, 0) :
			    ent_intern(m->into, m->from->ent_names[id - 1], to);

		if (error < 0)
			return error;
	}
	*out = *to;
	return 0;
}

/* Add y's contributions (ids of `from`) to x (a cell of `into`). */
static int merge_cons(struct remap *m, struct cell *x, const struct cell *y)
{
	int error = 0;

	for (uint32_t k = 0; k < y->con_cap && !error; k++) {
		uint32_t id;

		if (y->con_ids[k] &&
		    (error = remap_id(m, y->con_ids[k], &id)) == 0)
			error = con_add(x, id, y->con_vals[k]);
	}
	return error;
}

/* The number (+ 1) of an interned enterprise id, 0 when unknown. */
static uint32_t ent_find(const dts_cube *c, const char *name)
{
	size_t len = strlen(name);

	if (!c->ent_tabcap)
		return 0;
	return c->ent_tab[ent_slot_of(c, name, len,
				      (uint32_t)dts__fnv(name, len))].id;
}

int dts_cube_set_contributions(dts_cube *cube, int on)
{
	if (cube->ncells && !cube->contributions != !on)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "contributions are set before the first record "
				  "is added");
	cube->contributions = !!on;
	return 0;
}

int dts_cube_contributions(const dts_cube *cube)
{
	return cube->contributions;
}

/* The cell at keys of a cube with contributions, or NULL with the error. */
static const struct cell *con_cell(const dts_cube *cube,
				   const char *const *keys, int *error)
{
	const struct cell *x;

	if (!cube->contributions) {
		*error = dts__error(DTS_EINVAL, NULL, 0, 0, "the cube keeps no "
				    "per-enterprise contributions "
				    "(dts_cube_set_contributions)");
		return NULL;
	}
	if (!(x = cell_get((dts_cube *)cube, keys, 0, error)) && *error == DTS_ENOTFOUND)
		*error = dts__error(DTS_ENOTFOUND, NULL, 0, 0, "no such cell");
	return x;
}

int dts_cube_contribution(dts_amount *out, const dts_cube *cube,
			  const char *const *keys, const char *enterprise)
{
	const struct cell *x;
	const i128 *v = NULL;
	int error;

	if (!(x = con_cell(cube, keys, &error)))
		return error;
	if (enterprise && *enterprise)
		v = con_find(x, ent_find(cube, enterprise));
	if (!v)
		return dts__error(DTS_ENOTFOUND, NULL, 0, 0, "enterprise %s does "
				  "not contribute to the cell", enterprise ? enterprise : "");
	dts__amount_set(out, *v);
	return 0;
}

int dts_cube_top_contributions(dts_amount *out, size_t *nout, const dts_cube *cube,
			       const char *const *keys, size_t n)
{
	const struct cell *x;
	i128 *top;
	size_t m = 0;
	int error;

	*nout = 0;
	if (!(x = con_cell(cube, keys, &error)))
		return error;
	if (n > x->con_len)
		n = x->con_len;
	if (n == 0)
		return 0;
	if (!(top = malloc(n * sizeof(*top))))
		return oom();
	/* insertion into the n largest, descending: n is small (2 for the p%
	 * rule, the n of an (n,k) rule) */
	for (uint32_t k = 0; k < x->con_cap; k++) {
		size_t i;

		if (!x->con_ids[k] || (m == n && x->con_vals[k] <= top[n - 1]))
			continue;
		i = m < n ? m++ : n - 1;
		for (; i > 0 && top[i - 1] < x->con_vals[k]; i--)
			top[i] = top[i - 1];
		top[i] = x->con_vals[k];
	}
	for (size_t i = 0; i < m; i++)
		dts__amount_set(&out[i], top[i]);
	*nout = m;
	free(top);
	return 0;
}

/*
 * The cells a record's keys count in, found before (cells_of): most
 * records repeat a few key tuples, and expand() costs a category walk and
 * a hash and probe per expanded cell. Direct-mapped on the joined keys'
 * hash, compared in full; cells are never freed or moved before the cube
 * is (the table holds pointers), so an entry stays true. Only short keys
 * and a few cells are kept; the rest goes through expand() every time.
 */
#define ADD_MEMO 1024
#define ADD_MEMO_KEY 64
#define ADD_MEMO_CELLS 8

struct add_memo {
	uint64_t hash;
	uint32_t len, n;        /* n = 0: empty */
	char key[ADD_MEMO_KEY];
	struct cell *cells[ADD_MEMO_CELLS];
};

static int expand(dts_cube *c, const char *const *keys, struct cell **cells,
		  size_t *ncells);

/* The memo's hash of a joined key: 8 bytes a step (the last step the 8
 * that end the key), a multiply and a shift each. Only where an entry
 * sits hangs on it; a hit is still the whole key compared. The final
 * mix is murmur3's. */
static uint64_t memo_hash(const char *p, size_t n)
{
	uint64_t h = n * 0x9e3779b97f4a7c15u, x = 0;
	size_t i = 0;

	if (n < 8) {
		for (; i < n; i++)
			x = x << 8 | (unsigned char)p[i];
		h ^= x;
		goto mix;
	}
	for (; i + 8 < n; i += 8) {
		memcpy(&x, p + i, 8);
		h = (h ^ x) * 0xff51afd7ed558ccdu;
		h ^= h >> 29;
	}
	memcpy(&x, p + n - 8, 8);
	h ^= x;
mix:	/* every bit of h reaches the low ones the memo takes */
	h = (h ^ h >> 33) * 0xff51afd7ed558ccdu;
	h = (h ^ h >> 33) * 0xc4ceb9fe1a85ec53u;
	return h ^ h >> 33;
}

/* expand() through c->memo. */
static int cells_of(dts_cube *c, const char *const *keys, struct cell **cells,
		    size_t *ncells)
{
	char buf[ADD_MEMO_KEY];
	long len = join_keys(buf, sizeof(buf), keys, c->ndims);
	struct add_memo *m;
	uint64_t h;
	int error;

	if (len < 0)   /* too long to keep */
		return expand(c, keys, cells, ncells);
	if (!c->memo && !(c->memo = calloc(ADD_MEMO, sizeof(*c->memo))))
		return oom();
	h = memo_hash(buf, (size_t)len);
	m = &c->memo[h % ADD_MEMO];
	if (m->n && m->hash == h && m->len == (uint32_t)len &&
	    !memcmp(m->key, buf, (size_t)len)) {
		memcpy(cells, m->cells, m->n * sizeof(*cells));
		*ncells = m->n;
		return 0;
	}
	if ((error = expand(c, keys, cells, ncells)) < 0)
		return error;
	if (*ncells <= ADD_MEMO_CELLS) {
		m->hash = h;
		m->len = (uint32_t)len;
		m->n = (uint32_t)*ncells;
		memcpy(m->key, buf, (size_t)len);
		memcpy(m->cells, cells, *ncells * sizeof(*cells));
	}
	return 0;
}

/* Every combination of expanded keys; cells[] gets the cells. */
static int expand(dts_cube *c, const char *const *keys, struct cell **cells,
		  size_t *ncells)
{
	const char *opts[MAX_DIMS][4];
	char tops[MAX_DIMS][64];
	size_t nopt[MAX_DIMS], idx[MAX_DIMS] = {0}, total = 1;
	const char *combo[MAX_DIMS];
	int error;

	for (size_t i = 0; i < c->ndims; i++) {
		if (c->catdim[i])
			nopt[i] = category_keys(opts[i], tops[i], sizeof(tops[i]),
						keys[i], c->catdim[i] == 2);
		else {
			opts[i][0] = keys[i];
			nopt[i] = 1;
		}
		total *= nopt[i];
	}
	if (total > 64)
		return dts__error(DTS_ELIMIT, NULL, 0, 0,
				  "too many category dimensions");
	for (size_t n = 0; n < total; n++) {
		for (size_t i = 0; i < c->ndims; i++)
			combo[i] = opts[i][idx[i]];
		if (!(cells[n] = cell_get(c, combo, 1, &error)))
			return error;
		for (size_t i = c->ndims; i-- > 0;) {
			if (++idx[i] < nopt[i])
				break;
			idx[i] = 0;
		}
	}
	*ncells = total;
	return 0;
}

int dts_cube_add(dts_cube *cube, const char *const *keys, dts_money value,
		 dts_rate rate, const char *enterprise)
{
	struct cell *cells[64];
	size_t n = 0;
	i128 v = (i128)value * rate, r;
	uint32_t id = 0;
	int error;

	for (size_t i = 0; i < cube->ndims; i++)
		if (!keys[i])
			return dts__error(DTS_EINVAL, NULL, 0, 0,
					  "no key for dimension %s",
					  cube->dims[i]);
	if ((error = cells_of(cube, keys, cells, &n)) < 0)
		return error;
	for (size_t i = 0; i < n; i++)
		if (cells[i]->records == UINT64_MAX ||
		    __builtin_add_overflow(cells[i]->value, v, &r))
			return dts__error(DTS_EOVERFLOW, NULL, 0, 0,
					  "value sum overflows in cell %s/...",
					  cells[i]->keys[0]);
	if (enterprise && enterprise[0] &&
	    (error = ent_intern(cube, enterprise, &id)) < 0)
		return error;
	for (size_t i = 0; id && cube->contributions && i < n; i++)
		if (con_overflows(cells[i], id, v))
			return dts__error(DTS_EOVERFLOW, NULL, 0, 0, "an enterprise's "
					  "contribution overflows in cell %s/...",
					  cells[i]->keys[0]);
	for (size_t i = 0; i < n; i++) {
		if (id && (error = set_insert(cube, cells[i], id)) < 0)
			return error;
		if (id && cube->contributions &&
		    (error = con_add(cells[i], id, v)) < 0)
			return error;
		cells[i]->records++;
		cells[i]->value += v;
	}
	return 0;
}

/* Add y's enterprises (ids of `from`) to x (a cell of `into`). */
static int merge_ents(struct remap *m, struct cell *x, const struct cell *y)
{
	int error = 0;

	set_ids(y, m->ids);
	for (uint32_t k = 0; k < y->ent_len && !error; k++) {
		uint32_t id;

		if ((error = remap_id(m, m->ids[k], &id)) == 0)
			error = set_insert(m->into, x, id);
	}
	return error;
}

int dts_cube_check_currency(const dts_cube *a, const dts_cube *b)
{
	if (strcmp(a->currency, b->currency))
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "different reporting currencies: %s and %s",
				  a->currency, b->currency);
	return 0;
}

/* ---- the vintage ------------------------------------------------------------ */

static const char *const status_names[] = {NULL, "provisional", "final",
					   "revised"};

int dts_status_parse(const char *name)
{
	for (int s = DTS_STATUS_PROVISIONAL; name && s <= DTS_STATUS_REVISED; s++)
		if (!strcmp(name, status_names[s]))
			return s;
	return dts__error(DTS_ENOTFOUND, NULL, 0, 0, "unknown status \"%s\" "
			  "(provisional, final, revised)", name ? name : "");
}

const char *dts_status_name(int status)
{
	return status >= DTS_STATUS_PROVISIONAL && status <= DTS_STATUS_REVISED ?
	       status_names[status] : NULL;
}

/* CL_OBS_STATUS 2.2 has P (provisional value) and A (normal value) but no
 * code for a revision: a revised figure is a normal value, and the data
 * message says it replaces the earlier one (dataset action Replace). */
const char *dts_status_obs(int status)
{
	return status == DTS_STATUS_PROVISIONAL ? "P" :
	       status == DTS_STATUS_FINAL || status == DTS_STATUS_REVISED ? "A" :
	       NULL;
}

/* Replace *slot with a copy of s (NULL clears). */
static int set_str(char **slot, const char *s)
{
	char *c = NULL;

	if (s && !(c = strdup(s)))
		return oom();
	free(*slot);
	*slot = c;
	return 0;
}

int dts_cube_set_classifier(dts_cube *cube, const char *id_at_version)
{
	if (id_at_version && (strpbrk(id_at_version, "\t\n\r") ||
			      dts_text_check(id_at_version,
					     strlen(id_at_version)) < 0))
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "bad classifier name \"%s\"", id_at_version);
	return set_str(&cube->classifier, id_at_version && *id_at_version ?
		       id_at_version : NULL);
}

const char *dts_cube_classifier(const dts_cube *cube)
{
	return cube->classifier;
}

int dts_cube_set_ids(dts_cube *cube, const char *scheme)
{
	if (scheme && (strpbrk(scheme, "\t\n\r ") || !strcmp(scheme, "clear") ||
		       dts_text_check(scheme, strlen(scheme)) < 0))
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "bad enterprise-id scheme \"%s\"", scheme);
	return set_str(&cube->ids, scheme && *scheme ? scheme : NULL);
}

const char *dts_cube_ids(const dts_cube *cube)
{
	return cube->ids;
}

int dts_cube_set_status(dts_cube *cube, int status)
{
	if (!dts_status_name(status))
		return dts__error(DTS_EINVAL, NULL, 0, 0, "unknown status %d",
				  status);
	cube->status = status;
	return 0;
}

int dts_cube_status(const dts_cube *cube)
{
	return cube->status ? cube->status : DTS_STATUS_PROVISIONAL;
}

/* YYYY-MM-DD with a real month and day (leap years included). */
static int valid_date(const char *d)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
				    30, 31};
	int y, m, day;

	if (strlen(d) != 10 || d[4] != '-' || d[7] != '-' ||
	    strspn(d, "0123456789") != 4 || strspn(d + 5, "0123456789") != 2 ||
	    strspn(d + 8, "0123456789") != 2)
		return 0;
	y = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 +
	    (d[3] - '0');
	m = (d[5] - '0') * 10 + (d[6] - '0');
	day = (d[8] - '0') * 10 + (d[9] - '0');
	if (m < 1 || m > 12 || day < 1 || day > mdays[m - 1])
		return 0;
	return m != 2 || day < 29 || (y % 4 == 0 && (y % 100 || y % 400 == 0));
}

int dts_cube_set_vintage(dts_cube *cube, const char *date)
{
	if (date && *date && !valid_date(date))
		return dts__error(DTS_EINVAL, NULL, 0, 0, "bad vintage \"%s\": a "
				  "data cut-off date is YYYY-MM-DD", date);
	return set_str(&cube->vintage, date && *date ? date : NULL);
}

const char *dts_cube_vintage(const dts_cube *cube)
{
	return cube->vintage;
}

int dts_cube_add_input(dts_cube *cube, const char *name, const char *digest)
{
	struct cube_input *in;

	if (!name || !*name || strpbrk(name, "\t\n\r") ||
	    dts_text_check(name, strlen(name)) < 0 ||
	    (digest && strpbrk(digest, "\t\n\r\\")))
		return dts__error(DTS_EINVAL, NULL, 0, 0, "bad input name or "
				  "digest");
	if (!digest)
		digest = "";
	for (size_t i = 0; i < cube->ninputs; i++)
		if (!strcmp(cube->inputs[i].name, name) &&
		    !strcmp(cube->inputs[i].digest, digest))
			return 0;   /* listed once */
	if (cube->ninputs == cube->inputs_cap) {
		size_t cap = cube->inputs_cap ? 2 * cube->inputs_cap : 4;

		if (!(in = realloc(cube->inputs, cap * sizeof(*in))))
			return oom();
		cube->inputs = in;
		cube->inputs_cap = cap;
	}
	in = &cube->inputs[cube->ninputs];
	in->name = strdup(name);
	in->digest = strdup(digest);
	if (!in->name || !in->digest) {
		free(in->name);
		free(in->digest);
		return oom();
	}
	cube->ninputs++;
	return 0;
}

size_t dts_cube_ninputs(const dts_cube *cube)
{
	return cube->ninputs;
}

int dts_cube_input(const char **name, const char **digest,
		   const dts_cube *cube, size_t i)
{
	if (i >= cube->ninputs)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "no input %zu", i);
	if (name)
		*name = cube->inputs[i].name;
	if (digest)
		*digest = cube->inputs[i].digest;
	return 0;
}

/* The vintage of `from` copied into `to` (rollup). */
static int copy_vintage(dts_cube *to, const dts_cube *from)
{
	int error;

	if ((error = set_str(&to->classifier, from->classifier)) < 0 ||
	    (error = set_str(&to->ids, from->ids)) < 0 ||
	    (error = set_str(&to->vintage, from->vintage)) < 0)
		return error;
	to->status = from->status;
	for (size_t i = 0; i < from->ninputs; i++)
		if ((error = dts_cube_add_input(to, from->inputs[i].name,
						from->inputs[i].digest)) < 0)
			return error;
	return 0;
}

/* Intern every id of m->from into the empty m->into in the same order,
 * with the hash already computed: numbers stay, m->same is set. */
static int copy_ents(struct remap *m)
{
	dts_cube *c = m->into;
	const dts_cube *f = m->from;
	uint32_t *hash = malloc((f->nent + 1) * sizeof(*hash));
	int error = 0;

	if (!hash)
		return oom();
	for (size_t j = 0; j < f->ent_tabcap; j++)
		if (f->ent_tab[j].id)
			hash[f->ent_tab[j].id - 1] = f->ent_tab[j].hash;
	for (size_t k = 0; k < f->nent && !error; k++) {
		const char *name = f->ent_names[k];

		error = ent_intern_n(c, name, strlen(name), hash[k], &m->to[k]);
		if (!error && m->to[k] != k + 1)
			error = dts__error(DTS_ERROR, NULL, 0, 0, "an enterprise id "
					   "changed its number in a copy");
	}
	free(hash);
	m->same = error == 0;
	return error;
}

static void *memdup(const void *p, size_t n)
{
	void *q = n ? malloc(n) : NULL;

	if (q)
		memcpy(q, p, n);
	return q;
}

/* y's enterprise set and contributions into x (new, empty), when both
 * cubes number the ids alike (copy_ents). */
static int copy_sets(struct cell *x, const struct cell *y)
{
	if (y->bits && !(x->bits = memdup(y->bits, (size_t)y->nwords * sizeof(*y->bits))))
		return oom();
	if (y->ents && !(x->ents = memdup(y->ents, (size_t)y->ent_cap * sizeof(*y->ents))))
		return oom();
	x->nwords = y->bits ? y->nwords : 0;
	x->ent_cap = y->ents ? y->ent_cap : 0;
	x->ent_len = y->ent_len;
	if (y->con_cap) {
		if (!(x->con_ids = memdup(y->con_ids, (size_t)y->con_cap * sizeof(*y->con_ids))) ||
		    !(x->con_vals = memdup(y->con_vals, (size_t)y->con_cap * sizeof(*y->con_vals))))
			return oom();
		x->con_cap = y->con_cap;
		x->con_len = y->con_len;
	}
	return 0;
}

int dts_cube_merge(dts_cube *into, const dts_cube *from)
{
	struct remap m;
	int error;

	if (into->ndims != from->ndims)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "cannot merge cubes with %zu and %zu dimensions",
				  into->ndims, from->ndims);
	for (size_t i = 0; i < into->ndims; i++)
		if (strcmp(into->dims[i], from->dims[i]))
			return dts__error(DTS_EINVAL, NULL, 0, 0,
					  "cannot merge: dimension %zu is %s in "
					  "one cube and %s in the other", i + 1,
					  into->dims[i], from->dims[i]);
	if ((error = dts_cube_check_currency(into, from)) < 0)
		return error;
	if (into->contributions != from->contributions)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "cannot merge: one cube "
				  "keeps per-enterprise contributions and the "
				  "other does not");
	if ((error = remap_init(&m, into, from)) < 0)
		return error;
	/* Into an empty cube (the first partial a parallel leader or a merge
	 * takes): the ids keep their numbers, the sets are copied. */
	if (!into->ncells && !into->nent && into != from &&
	    (error = copy_ents(&m)) < 0) {
		remap_free(&m);
		return error;
	}
	for (size_t i = 0; i < from->tabcap && !error; i++) {
		const struct cell *y = from->tab[i];
		struct cell *x;

		if (!y)
			continue;
		if (!(x = cell_get(into, y->keys, 1, &error)))
			break;
		if (__builtin_add_overflow(x->records, y->records, &x->records))
			error = dts__error(DTS_EOVERFLOW, NULL, 0, 0,
					   "record count overflows while merging");
		else if ((error = dts__add128(&x->value, y->value)) == 0) {
			if (m.same && !x->ent_len && !x->ents && !x->bits && !x->con_cap)
				error = copy_sets(x, y);
			else if ((error = merge_ents(&m, x, y)) == 0 && into->contributions)
				error = merge_cons(&m, x, y);
		}
	}
	remap_free(&m);
	return error;
}

static void fill_cell(dts_cube_cell *out, const dts_cube *c,
		      const struct cell *x)
{
	out->keys = x->keys;
	out->nkeys = c->ndims;
	out->records = x->records;
	dts__amount_set(&out->value, x->value);
	out->enterprises = x->ent_len;
}

int dts_cube_lookup(dts_cube_cell *out, const dts_cube *cube,
		    const char *const *keys)
{
	int error;
	struct cell *x = cell_get((dts_cube *)cube, keys, 0, &error);

	if (!x)
		return error;
	fill_cell(out, cube, x);
	return 0;
}

struct sort_item {
	const struct cell *cell;
	const dts_cube *cube;
};

/* Keys of a period dimension: the year's not-allocated cell "2025-NA"
 * after its months, quarters or halves ("2025-NA" < "2025-Q1" bytewise). */
static int period_cmp(const char *a, const char *b)
{
	int na = strlen(a) == 7 && !strcmp(a + 4, "-" DTS_PERIOD_NA);
	int nb = strlen(b) == 7 && !strcmp(b + 4, "-" DTS_PERIOD_NA);

	if (na != nb && !strncmp(a, b, 4) && strlen(a) > 4 && strlen(b) > 4)
		return na ? 1 : -1;
	return strcmp(a, b);
}

static int key_cmp(const dts_cube *c, size_t dim, const char *a, const char *b)
{
	if (c->perdim[dim])
		return period_cmp(a, b);
	if (c->catdim[dim]) {
		int ra = dts_category_rank(a), rb = dts_category_rank(b);

		if (ra != rb)
			return ra < rb ? -1 : 1;
	}
	return strcmp(a, b);
}

static int item_cmp(const void *pa, const void *pb)
{
	const struct sort_item *a = pa, *b = pb;

	for (size_t i = 0; i < a->cube->ndims; i++) {
		int r = key_cmp(a->cube, i, a->cell->keys[i], b->cell->keys[i]);

		if (r)
			return r;
	}
	return 0;
}

/* The cells in canonical order; caller frees. */
static int sorted_cells(struct sort_item **out, const dts_cube *c)
{
	struct sort_item *items = malloc((c->ncells + 1) * sizeof(*items));
	size_t n = 0;

	if (!items)
		return oom();
	for (size_t i = 0; i < c->tabcap; i++)
		if (c->tab[i]) {
			items[n].cell = c->tab[i];
			items[n++].cube = c;
		}
	if (n > 1)
		qsort(items, n, sizeof(*items), item_cmp);
	*out = items;
	return 0;
}

int dts_cube_foreach(const dts_cube *cube, dts_cube_cell_cb cb, void *payload)
{
	struct sort_item *items;
	dts_cube_cell cell;
	int error;

	if ((error = sorted_cells(&items, cube)) < 0)
		return error;
	for (size_t i = 0; i < cube->ncells && !error; i++) {
		fill_cell(&cell, cube, items[i].cell);
		error = cb(&cell, payload);
	}
	free(items);
	return error;
}

/* ---- the partial format ----------------------------------------------------- */

#define PARTIAL_MAGIC "dts-cube-partial 3\n"
#define PARTIAL_PREFIX "dts-cube-partial "

/* Output that keeps the running checksum of everything written; bytes
 * gather in b and go to cb in pieces of 64 KiB. rc: cb's first non-zero
 * return, or DTS_ENOMEM. */
struct pw {
	dts_write_cb cb;
	void *payload;
	uint64_t h;             /* of every byte before b's first `hashed` */
	dts__buf b;
	int rc;
	size_t hashed;
};

/* The checksum taken over the bytes gathered so far (in one pass over a
 * piece, not call by call). */
static void pw_hash(struct pw *w)
{
	if (!w->b.oom && w->b.len > w->hashed)
		w->h = dts__fnv_more(w->h, w->b.p + w->hashed, w->b.len - w->hashed);
	w->hashed = w->b.len;
}

static int pw_flush(struct pw *w)
{
	pw_hash(w);
	if (w->rc == 0 && w->b.oom)
		w->rc = oom();
	if (w->rc == 0 && w->b.len)
		w->rc = w->cb(w->b.p, w->b.len, w->payload);
	w->b.len = w->hashed = 0;
	return w->rc;
}

static int pw_put(struct pw *w, const char *s, size_t n)
{
	dts__buf_add(&w->b, s, n);
	return w->b.len >= 65536 || w->b.oom ? (pw_flush(w) ? -1 : 0) : 0;
}

static int pw_str(struct pw *w, const char *s)
{
	return pw_put(w, s, strlen(s));
}

/* s with \\ TAB LF CR escaped into b; the bytes between escapes go in
 * one piece. */
static void buf_escaped(dts__buf *b, const char *s)
{
	for (;;) {
		size_t n = strcspn(s, "\\\t\n\r");

		dts__buf_add(b, s, n);
		if (!s[n])
			return;
		s += n;
		dts__buf_add(b, *s == '\\' ? "\\\\" : *s == '\t' ? "\\t" :
			     *s == '\n' ? "\\n" : "\\r", 2);
		s++;
	}
}

static int pw_escaped(struct pw *w, const char *s)
{
	buf_escaped(&w->b, s);
	return pw_put(w, "", 0);
}

/* Two slots of ent_names, by their names (bytewise: strcmp). */
static int cmp_slot(const void *a, const void *b)
{
	return strcmp(**(char *const *const *)a, **(char *const *const *)b);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The partial lists a cell's enterprises by name. The names are sorted
 * once for the whole cube (each id's rank); a cell's ids then sort by
 * rank, numbers only: through a bitmap of ranks when the cell holds many
 * of them, else by qsort.
 */
struct ent_order {
	uint32_t *rank;         /* id - 1 -> rank */
	uint32_t *byrank;       /* rank -> id */
	uint64_t *mark;         /* a bit per rank, all 0 between cells */
	uint32_t *ids;          /* one cell's ids, then their ids in order */
	size_t nwords;
	dts__buf lines;         /* the text writer's ent lines (ent_lines) */
	size_t *line_at;        /* id - 1 -> start in lines; [nent]: the end */
};

static void ent_order_free(struct ent_order *o)
{
	free(o->rank);
	free(o->byrank);
	free(o->mark);
	free(o->ids);
	free(o->line_at);
	dts__buf_free(&o->lines);
}

static int ent_order_init(struct ent_order *o, const dts_cube *c)
{
	char *const **slot = malloc((c->nent + 1) * sizeof(*slot));

	o->nwords = (c->nent + 63) / 64;
	o->rank = malloc((c->nent + 1) * sizeof(*o->rank));
	o->byrank = malloc((c->nent + 1) * sizeof(*o->byrank));
	o->mark = calloc(o->nwords + 1, sizeof(*o->mark));
	o->ids = malloc((c->nent + 1) * sizeof(*o->ids));
	if (!slot || !o->rank || !o->byrank || !o->mark || !o->ids) {
		free(slot);
		ent_order_free(o);
		return oom();
	}
	for (size_t i = 0; i < c->nent; i++)
		slot[i] = &c->ent_names[i];
	if (c->nent > 1)
		qsort(slot, c->nent, sizeof(*slot), cmp_slot);
	for (size_t r = 0; r < c->nent; r++) {
		uint32_t id = (uint32_t)(slot[r] - c->ent_names) + 1;

		o->byrank[r] = id;
		o->rank[id - 1] = (uint32_t)r;
	}
	free(slot);
	return 0;
}

/* x's ids in the order of their names, into o->ids (ent_len of them). */
static void ent_order_cell(struct ent_order *o, const struct cell *x)
{
	uint32_t n = x->ent_len, k = 0;

	set_ids(x, o->ids);
	for (uint32_t i = 0; i < n; i++)
		o->ids[i] = o->rank[o->ids[i] - 1];
	if ((uint64_t)n * 8 < o->nwords) {
		if (n > 1)
			qsort(o->ids, n, sizeof(*o->ids), cmp_u32);
		for (uint32_t i = 0; i < n; i++)
			o->ids[i] = o->byrank[o->ids[i]];
		return;
	}
	for (uint32_t i = 0; i < n; i++)
		o->mark[o->ids[i] >> 6] |= 1ull << (o->ids[i] & 63);
	for (size_t w = 0; w < o->nwords && k < n; w++) {
		for (uint64_t b = o->mark[w]; b; b &= b - 1)
			o->ids[k++] = o->byrank[w * 64 + (uint32_t)__builtin_ctzll(b)];
		o->mark[w] = 0;
	}
}

/* "<TAB>value" of enterprise id in x: exact, as the cell's value. */
static int write_con(struct pw *w, const struct cell *x, uint32_t id)
{
	char num[64];
	dts_amount a;
	const i128 *v = con_find(x, id);

	if (!v)
		return dts__error(DTS_ERROR, NULL, 0, 0, "enterprise number %lu "
				  "of a cell has no contribution", (unsigned long)id);
	dts__amount_set(&a, *v);
	num[0] = '\t';
	dts_amount_format(num + 1, sizeof(num) - 1, &a, 0, DTS_AMOUNT_DECIMALS);
	return pw_str(w, num);
}

static int write_cell(struct pw *w, const dts_cube *c, const struct cell *x,
		      struct ent_order *o)
{
	char num[64], tail[160];
	dts_amount a;

	if (pw_str(w, "cell") < 0)
		return -1;
	for (size_t i = 0; i < c->ndims; i++)
		if (pw_put(w, "\t", 1) < 0 || pw_escaped(w, x->keys[i]) < 0)
			return -1;
	dts__amount_set(&a, x->value);
	dts_amount_format(num, sizeof(num), &a, 0, DTS_AMOUNT_DECIMALS);
	snprintf(tail, sizeof(tail), "\t%llu\t%s\t%lu\n",
		 (unsigned long long)x->records, num, (unsigned long)x->ent_len);
	if (pw_str(w, tail) < 0)
		return -1;
	ent_order_cell(o, x);
	for (uint32_t k = 0; k < x->ent_len; k++) {
		const size_t *at = &o->line_at[o->ids[k] - 1];

		if (pw_put(w, o->lines.p + at[0], at[1] - at[0]) < 0 ||
		    (c->contributions && (write_con(w, x, o->ids[k]) < 0 ||
					  pw_put(w, "\n", 1) < 0)))
			return -1;
	}
	return 0;
}

/* Every id's "ent<TAB>escaped id" (with its LF when the cube keeps no
 * contributions) once, so a cell's ent lines are copies: an id is in
 * many cells. */
static int ent_lines(struct ent_order *o, const dts_cube *c)
{
	if (!(o->line_at = malloc((c->nent + 1) * sizeof(*o->line_at))))
		return oom();
	o->line_at[0] = 0;
	for (size_t i = 0; i < c->nent; i++) {
		dts__buf_add(&o->lines, "ent\t", 4);
		buf_escaped(&o->lines, c->ent_names[i]);
		if (!c->contributions)
			dts__buf_ch(&o->lines, '\n');
		o->line_at[i + 1] = o->lines.len;
	}
	return o->lines.oom ? oom() : 0;
}

/* "end <cells> <checksum of every byte before the checksum>" */
static int write_end(struct pw *w, size_t ncells)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "end\t%zu\t", ncells);
	if (pw_str(w, buf) < 0)
		return -1;
	pw_hash(w);
	snprintf(buf, sizeof(buf), "%016llx\n", (unsigned long long)w->h);
	dts__buf_str(&w->b, buf);
	return pw_flush(w) ? -1 : 0;
}

/* Format 3's vintage lines, always in this order: classifier, status,
 * vintage (empty when unknown), ids (only when the enterprise ids are
 * keyed hashes: dts_agg_set_id_key), contributions (only when the cube
 * keeps them: each ent line then carries the enterprise's value), then
 * one input line per input. */
static int write_vintage(struct pw *w, const dts_cube *c)
{
	if (pw_str(w, "classifier\t") < 0 ||
	    pw_escaped(w, c->classifier ? c->classifier : "") < 0 ||
	    pw_str(w, "\nstatus\t") < 0 ||
	    pw_str(w, dts_status_name(dts_cube_status(c))) < 0 ||
	    pw_str(w, "\nvintage\t") < 0 ||
	    pw_str(w, c->vintage ? c->vintage : "") < 0 || pw_put(w, "\n", 1) < 0)
		return -1;
	/* keyed ids only: a partial in clear reads as it did */
	if (c->ids && (pw_str(w, "ids\t") < 0 || pw_str(w, c->ids) < 0 ||
		       pw_put(w, "\n", 1) < 0))
		return -1;
	/* only when kept: a partial without them reads as it did */
	if (c->contributions && pw_str(w, "contributions\tenterprise\n") < 0)
		return -1;
	for (size_t i = 0; i < c->ninputs; i++)
		if (pw_str(w, "input\t") < 0 || pw_str(w, c->inputs[i].digest) < 0 ||
		    pw_put(w, "\t", 1) < 0 || pw_escaped(w, c->inputs[i].name) < 0 ||
		    pw_put(w, "\n", 1) < 0)
			return -1;
	return 0;
}

static int file_write(const void *data, size_t len, void *payload)
{
	return fwrite(data, 1, len, payload) == len ? 0 :
	       dts__error(DTS_EIO, NULL, 0, 0, "cannot write the partial");
}

int dts_cube_write_partial(const dts_cube *cube, FILE *f)
{
	return dts_cube_write_partial_cb(cube, file_write, f);
}

int dts_cube_write_partial_cb(const dts_cube *cube, dts_write_cb cb,
			      void *payload)
{
	struct sort_item *items = NULL;
	struct ent_order order = {0};
	struct pw w = {cb, payload, DTS__FNV_OFFSET, {0}, 0, 0};
	int error;

	if ((error = sorted_cells(&items, cube)) < 0)
		return error;
	if ((error = ent_order_init(&order, cube)) < 0) {
		free(items);
		return error;
	}
	if ((error = ent_lines(&order, cube)) < 0)
		goto done;
	error = DTS_EIO;
	if (pw_str(&w, PARTIAL_MAGIC "currency\t") < 0 ||
	    pw_escaped(&w, cube->currency) < 0 || pw_str(&w, "\ndims") < 0)
		goto io;
	for (size_t i = 0; i < cube->ndims; i++)
		if (pw_put(&w, "\t", 1) < 0 || pw_str(&w, cube->dims[i]) < 0)
			goto io;
	if (pw_put(&w, "\n", 1) < 0 || write_vintage(&w, cube) < 0)
		goto io;
	for (size_t i = 0; i < cube->ncells; i++) {
		if (write_cell(&w, cube, items[i].cell, &order) < 0)
			goto io;
	}
	if (write_end(&w, cube->ncells) < 0)
		goto io;
	error = 0;
	goto done;
io:
	error = w.rc ? w.rc : oom();   /* a callback's code, or out of memory */
done:
	dts__buf_free(&w.b);
	free(items);
	ent_order_free(&order);
	return error;
}

/* Any version: an old one then gets a clear error, not a CSV reading. */
int dts_cube_is_partial(const char *buf, size_t len)
{
	size_t m = strlen(PARTIAL_PREFIX);

	return len >= m && !memcmp(buf, PARTIAL_PREFIX, m);
}

/* ---- reading partials ---------------------------------------------------- */

struct reader {
	const char *name;
	const char *start;      /* the whole partial: the checksum covers it */
	const char *p, *end;
	const char *raw;        /* the current line as written */
	size_t rawlen;
	unsigned line;
	char *fields[MAX_DIMS + 4];
	size_t nfields;
	char *buf;
	size_t cap;
	int version;            /* 2 or 3 */
	int pending;            /* the current line is the next to parse */
};

static int rd_err(const struct reader *r, const char *what)
{
	return dts__error(DTS_EINPUT, r->name, r->line, 0,
			  "malformed cube partial: %s", what);
}

/* One escape: the four the writer makes, nothing else (a hand-edited
 * "\\q" was taken as "q"). 0 when s[i] does not start a valid one. */
static char unescape(char ch)
{
	return ch == '\\' ? '\\' : ch == 't' ? '\t' : ch == 'n' ? '\n' :
	       ch == 'r' ? '\r' : '\0';
}

/* Next line, unescaped and split on tabs. 0 at end, 1 with a line. */
static int rd_line(struct reader *r)
{
	const char *nl;
	size_t len, o = 0;

	if (r->p >= r->end)
		return 0;
	nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
	len = nl ? (size_t)(nl - r->p) : (size_t)(r->end - r->p);
	if (len + 1 > r->cap) {
		char *b = realloc(r->buf, len + 1);

		if (!b)
			return oom();
		r->buf = b;
		r->cap = len + 1;
	}
	r->line++;
	r->raw = r->p;
	r->rawlen = len;
	r->nfields = 1;
	r->fields[0] = r->buf;
	for (size_t i = 0; i < len; i++) {
		char ch = r->p[i];

		if (ch == '\0')   /* would cut a key or id short */
			return rd_err(r, "NUL byte");
		if (ch == '\t') {
			r->buf[o++] = '\0';
			if (r->nfields == MAX_DIMS + 4)
				return rd_err(r, "too many fields");
			r->fields[r->nfields++] = r->buf + o;
			continue;
		}
		if (ch == '\\' && (i + 1 == len || !(ch = unescape(r->p[++i]))))
			return rd_err(r, "undefined escape (only \\\\ \\t \\n "
				      "\\r are written)");
		r->buf[o++] = ch;
	}
	r->buf[o] = '\0';
	r->p += len + (nl != NULL);
	return 1;
}

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!*s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end || errno)
		return -1;
	*out = v;
	return 0;
}

/* One "key<TAB>value" line of format 3's vintage. */
static int rd_keyed(struct reader *r, const char *key)
{
	int error = rd_line(r);
	char what[64];

	if (error < 0)
		return error;
	if (error == 0 || r->nfields != 2 || strcmp(r->fields[0], key)) {
		snprintf(what, sizeof(what), "expected the %s line", key);
		return rd_err(r, what);
	}
	return 0;
}

/* Format 3: classifier, status, vintage, then input lines up to the first
 * cell (the reader keeps that line: r->pending). */
static int rd_vintage(struct reader *r, dts_cube *c)
{
	int error, st;

	if ((error = rd_keyed(r, "classifier")) < 0 ||
	    (error = dts_cube_set_classifier(c, r->fields[1])) < 0)
		return error == DTS_EINVAL ? rd_err(r, "bad classifier") : error;
	if ((error = rd_keyed(r, "status")) < 0)
		return error;
	if ((st = dts_status_parse(r->fields[1])) < 0)
		return rd_err(r, "unknown status (provisional, final, revised)");
	c->status = st;
	if ((error = rd_keyed(r, "vintage")) < 0 ||
	    (error = dts_cube_set_vintage(c, r->fields[1])) < 0)
		return error == DTS_EINVAL ? rd_err(r, "bad vintage date") : error;
	for (;;) {
		if ((error = rd_line(r)) <= 0)
			return error < 0 ? error : rd_err(r, "missing end line");
		if (!strcmp(r->fields[0], "ids") && r->nfields == 2 && c->ninputs == 0 &&
		    !c->ids) {
			if ((error = dts_cube_set_ids(c, r->fields[1])) < 0)
				return error == DTS_EINVAL ? rd_err(r, "bad ids line") : error;
			continue;
		}
		if (!strcmp(r->fields[0], "contributions") && r->nfields == 2 &&
		    c->ninputs == 0 && !c->contributions) {
			if (strcmp(r->fields[1], "enterprise"))
				return rd_err(r, "unknown contributions (enterprise)");
			c->contributions = 1;
			continue;
		}
		if (strcmp(r->fields[0], "input")) {
			r->pending = 1;
			return 0;
		}
		if (r->nfields != 3 || !r->fields[2][0])
			return rd_err(r, "an input line is input, digest, name");
		if ((error = dts_cube_add_input(c, r->fields[2], r->fields[1])) < 0)
			return error == DTS_EINVAL ? rd_err(r, "bad input line") :
			       error;
	}
}

static int rd_header(struct reader *r, dts_cube **cube)
{
	int error;

	if ((error = rd_line(r)) < 0)
		return error;
	if (error && !strcmp(r->buf, "dts-cube-partial 1"))
		return rd_err(r, "partial format 1 has no checksum and is no "
			      "longer read; write it again with dts-aggregate "
			      "--partial");
	if (error && !strcmp(r->buf, "dts-cube-partial 2"))
		r->version = 2;
	else if (error && !strcmp(r->buf, "dts-cube-partial 3"))
		r->version = 3;
	else
		return rd_err(r, "expected \"dts-cube-partial 3\" (or 2)");
	if ((error = rd_line(r)) <= 0 || r->nfields != 2 ||
	    strcmp(r->fields[0], "currency"))
		return error < 0 ? error : rd_err(r, "expected currency");
	{
		char cur[64];

		snprintf(cur, sizeof(cur), "%s", r->fields[1]);
		if ((error = rd_line(r)) <= 0 || r->nfields < 2 ||
		    strcmp(r->fields[0], "dims"))
			return error < 0 ? error : rd_err(r, "expected dims");
		if ((error = dts_cube_new(cube, (const char *const *)r->fields + 1,
					  r->nfields - 1, cur)) < 0)
			return at_line(error, r->name, r->line);
	}
	return r->version == 3 ? rd_vintage(r, *cube) : 0;
}

/* The contribution on an ent line (its third field), once per id. */
static int rd_con(struct reader *r, struct cell *x, uint32_t id,
		  const char *val, size_t len)
{
	dts_amount a;
	int error;

	if ((error = dts_amount_parse(&a, val, len)) < 0)
		return at_line(error, r->name, r->line);
	if (con_find(x, id))
		return rd_err(r, "duplicate enterprise id in a cell");
	return con_add(x, id, dts__amount_get(&a));
}

/* Does any of the n bytes at s need the general reader (TAB, backslash,
 * NUL)? Eight bytes a step: a byte b of v is 0 exactly when the top bit
 * of (v - 0x01..) & ~v & 0x80.. is set for it (no false positive below
 * the first zero byte, so "any" is exact). */
static int has_special(const char *s, size_t n)
{
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t v, t, b;

		memcpy(&v, s + i, 8);
		t = v ^ (ones * '\t');
		b = v ^ (ones * '\\');
		if (((v - ones) & ~v & highs) | ((t - ones) & ~t & highs) |
		    ((b - ones) & ~b & highs))
			return 1;
	}
	for (; i < n; i++)
		if (s[i] == '\t' || s[i] == '\\' || s[i] == '\0')
			return 1;
	return 0;
}

/*
 * An ent line as the writer makes it for an id with nothing to escape:
 * "ent<TAB>name\n", or "ent<TAB>name<TAB>value\n" when `con`, with no
 * backslash and no NUL. Taken in place (no copy): 1 with *name, *nlen and
 * *val, *vlen set and the reader past the line; 0 when the line is not
 * that simple, the reader untouched (rd_line then reads it, errors
 * included, as it reads every other line).
 */
static int rd_ent_fast(struct reader *r, int con, const char **name,
		       size_t *nlen, const char **val, size_t *vlen)
{
	const char *p = r->p, *nl, *q, *v = NULL;

	if (r->end - p < 6 || memcmp(p, "ent\t", 4) ||
	    !(nl = memchr(p + 4, '\n', (size_t)(r->end - p - 4))))
		return 0;
	if (con) {
		if (!(q = memchr(p + 4, '\t', (size_t)(nl - p - 4))) ||
		    has_special(q + 1, (size_t)(nl - q - 1)))
			return 0;
		v = q + 1;
	} else {
		q = nl;
	}
	if (q == p + 4 || has_special(p + 4, (size_t)(q - p - 4)))
		return 0;
	*name = p + 4;
	*nlen = (size_t)(q - *name);
	*val = v;
	*vlen = v ? (size_t)(nl - v) : 0;
	r->line++;
	r->raw = p;
	r->rawlen = (size_t)(nl - p);
	r->p = nl + 1;
	return 1;
}

static int rd_cell(struct reader *r, dts_cube *c, struct cell **out)
{
	struct cell *x;
	uint64_t recs, nent;
	dts_amount a;
	int error;

	if (r->nfields != c->ndims + 4)
		return rd_err(r, "wrong number of fields on a cell line");
	if (parse_u64(r->fields[c->ndims + 1], &recs) < 0 ||
	    parse_u64(r->fields[c->ndims + 3], &nent) < 0)
		return rd_err(r, "bad record or enterprise count");
	if ((error = dts_amount_parse(&a, r->fields[c->ndims + 2],
				      strlen(r->fields[c->ndims + 2]))) < 0)
		return at_line(error, r->name, r->line);
	if (!(x = cell_get(c, (const char *const *)r->fields + 1, 1, &error)))
		return error == DTS_EINPUT || error == DTS_ELIMIT ?
		       at_line(error, r->name, r->line) : error;
	if (x->loaded)
		return rd_err(r, "duplicate cell");
	x->loaded = 1;
	x->records = recs;
	x->value = dts__amount_get(&a);
	/* the count is the writer's: bounded by the ent lines there can be */
	if (nent <= (uint64_t)(r->end - r->p) / 6 &&
	    (error = set_reserve(x, nent)) < 0)
		return error;
	for (uint64_t k = 0; k < nent; k++) {
		const char *name, *val;
		size_t nlen, vlen;
		uint32_t id, h;

		if (!rd_ent_fast(r, c->contributions, &name, &nlen, &val, &vlen)) {
			if ((error = rd_line(r)) <= 0 ||
			    r->nfields != 2u + c->contributions ||
			    strcmp(r->fields[0], "ent") || !r->fields[1][0])
				return error < 0 ? error : rd_err(r, c->contributions ?
				       "expected an ent line with a contribution" :
				       "expected an ent line");
			name = r->fields[1];
			nlen = strlen(name);
			val = c->contributions ? r->fields[2] : NULL;
			vlen = val ? strlen(val) : 0;
		}
		h = (uint32_t)dts__fnv(name, nlen);
		if ((error = ent_intern_n(c, name, nlen, h, &id)) < 0 ||
		    (error = set_insert(c, x, id)) < 0 ||
		    (c->contributions && (error = rd_con(r, x, id, val, vlen)) < 0))
			return error;
	}
	if (x->ent_len != nent)
		return rd_err(r, "duplicate enterprise id in a cell");
	*out = x;
	return 0;
}

/* The end line's last field: 16 hex digits of the FNV-1a 64 hash of every
 * byte before them. A hand-edited partial fails here, naming the file. */
static int rd_checksum(const struct reader *r)
{
	const char *want = r->fields[2];
	char got[17];
	size_t before;

	if (strlen(want) != 16 || r->rawlen < 16 ||
	    strspn(want, "0123456789abcdef") != 16)
		return rd_err(r, "the end line has no checksum");
	before = (size_t)(r->raw + r->rawlen - 16 - r->start);
	snprintf(got, sizeof(got), "%016llx",
		 (unsigned long long)dts__fnv(r->start, before));
	if (strcmp(got, want))
		return rd_err(r, "checksum mismatch: the file was changed or "
			      "damaged after it was written");
	return 0;
}

static int read_binary(dts_cube **out, const char *name, const char *buf,
		       size_t len);

int dts_cube_read_partial(dts_cube **out, const char *name, const char *buf,
			  size_t len)
{
	struct reader r = {name, buf, buf, buf + len, NULL, 0, 0, {0}, 0, NULL, 0,
			   0, 0};
	dts_cube *c = NULL;
	struct cell *x;
	uint64_t n;
	int error;

	*out = NULL;
	if (dts_cube_is_binary(buf, len))
		return read_binary(out, name, buf, len);
	if ((error = rd_header(&r, &c)) < 0)
		goto done;
	for (;;) {
		if (r.pending)
			r.pending = 0;
		else if ((error = rd_line(&r)) <= 0) {
			error = error < 0 ? error : rd_err(&r, "missing end line");
			goto done;
		}
		if (!strcmp(r.fields[0], "end"))
			break;
		if (strcmp(r.fields[0], "cell")) {
			error = rd_err(&r, "expected a cell or end line");
			goto done;
		}
		if ((error = rd_cell(&r, c, &x)) < 0)
			goto done;
	}
	if (r.nfields != 3 || parse_u64(r.fields[1], &n) < 0 ||
	    n != c->ncells) {
		error = rd_err(&r, "the end line's cell count does not match");
		goto done;
	}
	if ((error = rd_checksum(&r)) < 0)
		goto done;
	if (rd_line(&r) != 0) {
		error = rd_err(&r, "text after the end line");
		goto done;
	}
	*out = c;
	c = NULL;
	error = 0;
done:
	free(r.buf);
	dts_cube_free(c);
	return error;
}

/* Read everything cb gives into one buffer, then parse it. */
int dts_cube_read_partial_cb(dts_cube **out, const char *name,
			     dts_cube_read_cb cb, void *payload)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int error = 0;

	*out = NULL;
	for (;;) {
		size_t got = 0;

		if (cap - len < 65536) {
			char *b = cap > SIZE_MAX / 2 ? NULL :
				  realloc(buf, cap ? cap * 2 : 65536);

			if (!b) {
				error = oom();
				goto done;
			}
			buf = b;
			cap = cap ? cap * 2 : 65536;
		}
		if ((error = cb(buf + len, cap - len, &got, payload)) != 0)
			goto done;
		if (got > cap - len) {
			error = dts__error(DTS_EINVAL, name, 0, 0,
					   "the read callback returned more "
					   "bytes than asked for");
			goto done;
		}
		len += got;
		if (got == 0)
			break;
	}
	error = dts_cube_read_partial(out, name ? name : "partial", buf, len);
done:
	free(buf);
	return error;
}

typedef struct file_src {
	FILE *f;
	const char *name;
} file_src;

static int file_read(void *buf, size_t size, size_t *got, void *payload)
{
	file_src *fs = payload;

	*got = fread(buf, 1, size, fs->f);
	if (*got == 0 && ferror(fs->f))
		return dts__error(DTS_EIO, fs->name, 0, 0, "read error");
	return 0;
}

int dts_cube_read_partial_file(dts_cube **out, FILE *f, const char *name)
{
	file_src fs = {f, name ? name : "partial"};

	return dts_cube_read_partial_cb(out, fs.name, file_read, &fs);
}

int dts_cube_load_partial(dts_cube **out, const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	int error;

	*out = NULL;
	/* The library's one whole-file reader; "-" and pipes are streams. */
	if ((error = dts__read_file(&buf, &len, NULL, path, DTS__READ_STREAM,
				    SIZE_MAX / 4, NULL, 0, 0)) == 0)
		error = dts_cube_read_partial(out, path, buf, len);
	free(buf);
	return error;
}

/* ---- the binary partial ------------------------------------------------------ */

/*
 * Version 1, after the magic (all integers unsigned LEB128 varints, the
 * shortest form; a string is its length then its bytes, no NUL; values
 * are 16 bytes two's complement little-endian):
 *   version (1), flags (bit 0: contributions; no other bit),
 *   currency, ndims, the dimension names, classifier ("" unknown),
 *   status, vintage ("" unset), ids ("" in clear), ninputs and each
 *   input's name and digest,
 *   nent and the enterprise ids every cell uses, each once, bytewise
 *   increasing,
 *   ncells and the cells in canonical order: the keys, records, value,
 *   the number of enterprises n, their numbers in that list (the first,
 *   then each as the gap minus 1 after the one before: increasing), and,
 *   with contributions, n values in the same order,
 *   then 8 bytes little-endian: FNV-1a 64 of every byte before them.
 * The ids' numbers are ranks in the sorted list, so the bytes depend only
 * on the cube's content, as the text's do.
 */
#define BIN_VERSION 1

static int bw_bytes(struct pw *w, const void *p, size_t n)
{
	return pw_put(w, p, n);
}

static int bw_u(struct pw *w, uint64_t v)
{
	unsigned char b[10];
	size_t n = 0;

	do {
		b[n] = (unsigned char)(v & 0x7f);
		v >>= 7;
		if (v)
			b[n] |= 0x80;
		n++;
	} while (v);
	return bw_bytes(w, b, n);
}

static int bw_s(struct pw *w, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	return bw_u(w, n) < 0 || (n && bw_bytes(w, s, n) < 0) ? -1 : 0;
}

static int bw_i128(struct pw *w, i128 v)
{
	unsigned char b[16];
	dts__u128 u = (dts__u128)v;

	for (int i = 0; i < 16; i++, u >>= 8)
		b[i] = (unsigned char)(u & 0xff);
	return bw_bytes(w, b, 16);
}

/* The enterprise ids the cells use, numbered in name order: o's ranks
 * renumbered densely over the used ones (dense[rank]), *nused of them. */
static int bin_dense(uint32_t **dense, uint32_t *nused, const dts_cube *c,
		     const struct ent_order *o)
{
	uint32_t *d = calloc(c->nent + 1, sizeof(*d)), n = 0;

	if (!d)
		return oom();
	for (size_t i = 0; i < c->tabcap; i++) {
		const struct cell *x = c->tab[i];

		if (!x || !x->ent_len)
			continue;
		set_ids(x, o->ids);
		for (uint32_t k = 0; k < x->ent_len; k++)
			d[o->rank[o->ids[k] - 1]] = 1;
	}
	for (size_t r = 0; r < c->nent; r++)
		d[r] = d[r] ? ++n : 0;   /* rank + 1 -> dense number + 1 */
	*dense = d;
	*nused = n;
	return 0;
}

static int bw_header(struct pw *w, const dts_cube *c)
{
	if (bw_bytes(w, DTS_CUBE_BINARY_MAGIC, DTS_CUBE_BINARY_MAGIC_LEN) < 0 ||
	    bw_u(w, BIN_VERSION) < 0 || bw_u(w, c->contributions ? 1 : 0) < 0 ||
	    bw_s(w, c->currency) < 0 || bw_u(w, c->ndims) < 0)
		return -1;
	for (size_t i = 0; i < c->ndims; i++)
		if (bw_s(w, c->dims[i]) < 0)
			return -1;
	if (bw_s(w, c->classifier) < 0 || bw_u(w, (uint64_t)dts_cube_status(c)) < 0 ||
	    bw_s(w, c->vintage) < 0 || bw_s(w, c->ids) < 0 ||
	    bw_u(w, c->ninputs) < 0)
		return -1;
	for (size_t i = 0; i < c->ninputs; i++)
		if (bw_s(w, c->inputs[i].name) < 0 || bw_s(w, c->inputs[i].digest) < 0)
			return -1;
	return 0;
}

static int bw_cell(struct pw *w, const dts_cube *c, const struct cell *x,
		   struct ent_order *o, const uint32_t *dense)
{
	uint32_t prev = 0;

	for (size_t i = 0; i < c->ndims; i++)
		if (bw_s(w, x->keys[i]) < 0)
			return -1;
	if (bw_u(w, x->records) < 0 || bw_i128(w, x->value) < 0 ||
	    bw_u(w, x->ent_len) < 0)
		return -1;
	ent_order_cell(o, x);
	for (uint32_t k = 0; k < x->ent_len; k++) {
		uint32_t d = dense[o->rank[o->ids[k] - 1]];   /* >= 1, increasing */

		if (bw_u(w, k ? d - prev - 1 : d - 1) < 0)
			return -1;
		prev = d;
	}
	for (uint32_t k = 0; c->contributions && k < x->ent_len; k++) {
		const i128 *v = con_find(x, o->ids[k]);

		if (!v) {
			w->rc = dts__error(DTS_ERROR, NULL, 0, 0, "an enterprise "
					   "of a cell has no contribution");
			return -1;
		}
		if (bw_i128(w, *v) < 0)
			return -1;
	}
	return 0;
}

int dts_cube_write_binary_cb(const dts_cube *cube, dts_write_cb cb, void *payload)
{
	struct sort_item *items = NULL;
	struct ent_order order = {0};
	struct pw w = {cb, payload, DTS__FNV_OFFSET, {0}, 0, 0};
	uint32_t *dense = NULL, nused = 0;
	unsigned char sum[8];
	int error;

	if ((error = sorted_cells(&items, cube)) < 0)
		return error;
	if ((error = ent_order_init(&order, cube)) < 0 ||
	    (error = bin_dense(&dense, &nused, cube, &order)) < 0)
		goto done;
	error = DTS_EIO;
	if (bw_header(&w, cube) < 0 || bw_u(&w, nused) < 0)
		goto io;
	for (size_t r = 0; r < cube->nent; r++)
		if (dense[r] && bw_s(&w, cube->ent_names[order.byrank[r] - 1]) < 0)
			goto io;
	if (bw_u(&w, cube->ncells) < 0)
		goto io;
	for (size_t i = 0; i < cube->ncells; i++)
		if (bw_cell(&w, cube, items[i].cell, &order, dense) < 0)
			goto io;
	pw_hash(&w);
	for (int i = 0; i < 8; i++)
		sum[i] = (unsigned char)(w.h >> (8 * i));
	dts__buf_add(&w.b, sum, 8);
	if (pw_flush(&w))
		goto io;
	error = 0;
	goto done;
io:
	error = w.rc ? w.rc : oom();
done:
	dts__buf_free(&w.b);
	free(items);
	free(dense);
	ent_order_free(&order);
	return error;
}

int dts_cube_write_binary(const dts_cube *cube, FILE *f)
{
	return dts_cube_write_binary_cb(cube, file_write, f);
}

int dts_cube_is_binary(const char *buf, size_t len)
{
	return len >= DTS_CUBE_BINARY_MAGIC_LEN &&
	       !memcmp(buf, DTS_CUBE_BINARY_MAGIC, DTS_CUBE_BINARY_MAGIC_LEN);
}

struct binreader {
	const char *name;
	const unsigned char *start, *p, *end;   /* end: before the checksum */
	char *buf;              /* NUL-terminated copies of strings */
	size_t cap, used;
};

static int rb_err(const struct binreader *r, const char *what)
{
	return dts__error(DTS_EINPUT, r->name, 0, 0, "malformed binary cube partial "
			  "at byte %zu: %s", (size_t)(r->p - r->start), what);
}

static int rb_u(struct binreader *r, uint64_t *out)
{
	uint64_t v = 0;

	for (unsigned shift = 0; shift < 64; shift += 7) {
		unsigned char b;

		if (r->p >= r->end)
			return rb_err(r, "truncated");
		b = *r->p++;
		if (shift == 63 && b > 1)
			return rb_err(r, "a number over 64 bits");
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			if (!b && shift)
				return rb_err(r, "a number not in its shortest form");
			*out = v;
			return 0;
		}
	}
	return rb_err(r, "a number over 64 bits");
}

/* A string, copied NUL-terminated into r->buf (kept until rb_reset);
 * *out points at the copy. */
static int rb_s(struct binreader *r, const char **out, size_t *len)
{
	uint64_t n;
	int error;

	if ((error = rb_u(r, &n)) < 0)
		return error;
	if (n > (uint64_t)(r->end - r->p))
		return rb_err(r, "a string runs past the end");
	if (memchr(r->p, '\0', (size_t)n))
		return rb_err(r, "NUL byte in a string");
	if (r->used + n + 1 > r->cap) {
		size_t cap = (r->used + n + 1) * 2;
		char *b = realloc(r->buf, cap);

		if (!b)
			return oom();
		r->buf = b;
		r->cap = cap;
	}
	memcpy(r->buf + r->used, r->p, (size_t)n);
	r->buf[r->used + n] = '\0';
	*out = (const char *)(uintptr_t)r->used;   /* an offset until fixed */
	if (len)
		*len = (size_t)n;
	r->used += n + 1;
	r->p += n;
	return 0;
}

#define RB_STR(r, off) ((r)->buf + (uintptr_t)(off))

static int rb_i128(struct binreader *r, i128 *out)
{
	dts__u128 u = 0;

	if (r->end - r->p < 16)
		return rb_err(r, "truncated");
	for (int i = 15; i >= 0; i--)
		u = (u << 8) | r->p[i];
	r->p += 16;
	*out = (i128)u;
	return 0;
}

/* A value, within what the text partial carries (dts_amount_parse reads
 * |v| up to this): a binary partial always converts to text. */
static int rb_value(struct binreader *r, i128 *out)
{
	const dts__u128 max = (((dts__u128)1 << 127) - 1 - 9) / 10 * 10 + 9;
	int error = rb_i128(r, out);

	if (error == 0 && (*out > (i128)max || *out < -(i128)max))
		return rb_err(r, "a value out of range");
	return error;
}

/* Version, flags, currency, dimensions and vintage: the cube. */
static int rb_header(struct binreader *r, dts_cube **out)
{
	const char *dims[MAX_DIMS], *cur, *cls, *vint, *ids;
	uint64_t v, flags, nd, st, nin;
	int error;

	r->p += DTS_CUBE_BINARY_MAGIC_LEN;
	if ((error = rb_u(r, &v)) < 0)
		return error;
	if (v != BIN_VERSION)
		return rb_err(r, "unknown version (this libdts reads version 1)");
	if ((error = rb_u(r, &flags)) < 0 || (error = rb_s(r, &cur, NULL)) < 0 ||
	    (error = rb_u(r, &nd)) < 0)
		return error;
	if (flags > 1)
		return rb_err(r, "unknown flags");
	if (nd == 0 || nd > MAX_DIMS)
		return rb_err(r, "a cube has 1 to 16 dimensions");
	for (size_t i = 0; i < nd; i++)
		if ((error = rb_s(r, &dims[i], NULL)) < 0)
			return error;
	if ((error = rb_s(r, &cls, NULL)) < 0 || (error = rb_u(r, &st)) < 0 ||
	    (error = rb_s(r, &vint, NULL)) < 0 || (error = rb_s(r, &ids, NULL)) < 0)
		return error;
	for (size_t i = 0; i < nd; i++)
		dims[i] = RB_STR(r, dims[i]);
	if ((error = dts_cube_new(out, dims, (size_t)nd, RB_STR(r, cur))) < 0)
		return error == DTS_EINVAL ? rb_err(r, "bad dimensions") : error;
	if (st < 1 || st > 3 || dts_cube_set_status(*out, (int)st) < 0)
		return rb_err(r, "unknown status");
	if ((error = dts_cube_set_classifier(*out, RB_STR(r, cls))) < 0)
		return error == DTS_EINVAL ? rb_err(r, "bad classifier") : error;
	if ((error = dts_cube_set_vintage(*out, RB_STR(r, vint))) < 0)
		return error == DTS_EINVAL ? rb_err(r, "bad vintage date") : error;
	if ((error = dts_cube_set_ids(*out, RB_STR(r, ids))) < 0)
		return error == DTS_EINVAL ? rb_err(r, "bad ids") : error;
	(*out)->contributions = (int)flags;
	if ((error = rb_u(r, &nin)) < 0)
		return error;
	for (uint64_t i = 0; i < nin; i++) {
		const char *n, *d;
		size_t nlen;

		r->used = 0;
		if ((error = rb_s(r, &n, &nlen)) < 0 || (error = rb_s(r, &d, NULL)) < 0)
			return error;
		if (!nlen)
			return rb_err(r, "an input without a name");
		if ((error = dts_cube_add_input(*out, RB_STR(r, n), RB_STR(r, d))) < 0)
			return error == DTS_EINVAL ? rb_err(r, "bad input") : error;
	}
	return 0;
}

/* The enterprise ids, bytewise increasing: numbered 1.. in the cube. */
static int rb_ents(struct binreader *r, dts_cube *c, uint64_t *nent)
{
	const char *prev = NULL;
	size_t plen = 0;
	int error;

	if ((error = rb_u(r, nent)) < 0)
		return error;
	if (*nent > (uint64_t)(r->end - r->p) / 2)
		return rb_err(r, "more enterprise ids than bytes");
	for (uint64_t k = 0; k < *nent; k++) {
		const unsigned char *s;
		uint64_t n;
		uint32_t id;
		int cmp;

		if ((error = rb_u(r, &n)) < 0)
			return error;
		if (n == 0 || n > (uint64_t)(r->end - r->p))
			return rb_err(r, n ? "a string runs past the end" :
				      "an empty enterprise id");
		s = r->p;
		if (memchr(s, '\0', (size_t)n))
			return rb_err(r, "NUL byte in an enterprise id");
		cmp = prev ? memcmp(prev, s, plen < n ? plen : (size_t)n) : -1;
		if (cmp > 0 || (cmp == 0 && plen >= n))
			return rb_err(r, "enterprise ids not in increasing order");
		if ((error = ent_intern_n(c, (const char *)s, (size_t)n,
					  (uint32_t)dts__fnv(s, (size_t)n), &id)) < 0)
			return error;
		if (id != k + 1)
			return rb_err(r, "an enterprise id listed twice");
		prev = (const char *)s;
		plen = (size_t)n;
		r->p += n;
	}
	return 0;
}

/* Room for the n ids of a cell of a cube with nent ids: a bitmap over
 * them all when a hash set would take more memory, else a hash set. */
static int bin_set_alloc(struct cell *x, uint64_t n, uint64_t nent)
{
	uint64_t cap = 4;

	while (cap < n * 2)
		cap *= 2;
	if (!n || cap * 32 <= nent + 64)
		return set_reserve(x, n);
	x->nwords = (uint32_t)((nent + 63) / 64);
	if (!(x->bits = calloc(x->nwords, sizeof(*x->bits))))
		return oom();
	return 0;
}

static int rb_cell(struct binreader *r, dts_cube *c, uint64_t nent,
		   unsigned char *used, const struct cell **prev)
{
	const char *keys[MAX_DIMS];
	uint64_t recs, n, d = 0;
	struct cell *x;
	i128 v = 0;
	int error;

	r->used = 0;
	for (size_t i = 0; i < c->ndims; i++)
		if ((error = rb_s(r, &keys[i], NULL)) < 0)
			return error;
	for (size_t i = 0; i < c->ndims; i++)
		keys[i] = RB_STR(r, keys[i]);
	if ((error = rb_u(r, &recs)) < 0 || (error = rb_value(r, &v)) < 0 ||
	    (error = rb_u(r, &n)) < 0)
		return error;
	if (n > nent)
		return rb_err(r, "more enterprises in a cell than listed");
	if (!(x = cell_get(c, keys, 1, &error))) {
		char msg[1024];

		if (error != DTS_EINPUT && error != DTS_ELIMIT)
			return error;
		snprintf(msg, sizeof(msg), "%s", dts_error_last()->message);
		return dts__error(error, r->name, 0, 0, "binary cube partial at "
				  "byte %zu: %s", (size_t)(r->p - r->start), msg);
	}
	if (x->loaded)
		return rb_err(r, "duplicate cell");
	if (*prev) {
		struct sort_item a = {*prev, c}, b = {x, c};

		if (item_cmp(&a, &b) >= 0)
			return rb_err(r, "cells not in canonical order");
	}
	*prev = x;
	x->loaded = 1;
	x->records = recs;
	x->value = v;
	/* The set as set_insert would leave it: a bitmap when a hash set of
	 * n ids would be larger (maybe_to_bits), filled directly (the ids
	 * are distinct: increasing). */
	if ((error = bin_set_alloc(x, n, nent)) < 0)
		return error;
	for (uint64_t k = 0; k < n; k++) {
		uint64_t gap;

		if ((error = rb_u(r, &gap)) < 0)
			return error;
		if (gap >= nent || (d += gap + (k > 0)) >= nent)
			return rb_err(r, "an enterprise number past the list");
		used[d] = 1;
		if (x->bits) {
			x->bits[d >> 6] |= 1ull << (d & 63);
			x->ent_len++;
		} else if ((error = set_insert(c, x, (uint32_t)d + 1)) < 0) {
			return error;
		}
	}
	if (c->contributions && n) {
		/* the same ids again, in the same order */
		uint32_t *ids = malloc((size_t)n * sizeof(*ids));

		if (!ids)
			return oom();
		set_ids(x, ids);
		qsort(ids, (size_t)n, sizeof(*ids), cmp_u32);   /* ids are ranks + 1 */
		for (uint64_t k = 0; k < n && !error; k++)
			if ((error = rb_value(r, &v)) == 0)
				error = con_add(x, ids[k], v);
		free(ids);
		if (error < 0)
			return error;
	}
	return 0;
}

static int read_binary(dts_cube **out, const char *name, const char *buf,
		       size_t len)
{
	struct binreader r = {name, (const unsigned char *)buf,
			      (const unsigned char *)buf, NULL, NULL, 0, 0};
	const unsigned char *sum;
	const struct cell *prev = NULL;
	unsigned char *used = NULL;
	uint64_t want = 0, nent, ncells;
	dts_cube *c = NULL;
	int error;

	if (len < DTS_CUBE_BINARY_MAGIC_LEN + 8) {
		r.end = r.start + len;
		r.p = r.end;
		return rb_err(&r, "truncated");
	}
	sum = r.start + len - 8;
	r.end = sum;
	for (int i = 7; i >= 0; i--)
		want = (want << 8) | sum[i];
	if (dts__fnv(buf, len - 8) != want) {
		r.p = sum;
		return rb_err(&r, "checksum mismatch: the file was changed or "
			      "damaged after it was written");
	}
	if ((error = rb_header(&r, &c)) < 0 || (error = rb_ents(&r, c, &nent)) < 0 ||
	    (error = rb_u(&r, &ncells)) < 0)
		goto done;
	if (ncells > (uint64_t)(r.end - r.p) / (c->ndims + 18)) {
		error = rb_err(&r, "more cells than bytes");
		goto done;
	}
	if (!(used = calloc(nent + 1, 1))) {
		error = oom();
		goto done;
	}
	for (uint64_t i = 0; i < ncells; i++)
		if ((error = rb_cell(&r, c, nent, used, &prev)) < 0)
			goto done;
	for (uint64_t k = 0; k < nent; k++)
		if (!used[k]) {
			error = rb_err(&r, "an enterprise id no cell holds");
			goto done;
		}
	if (r.p != r.end) {
		error = rb_err(&r, "bytes after the last cell");
		goto done;
	}
	*out = c;
	c = NULL;
	error = 0;
done:
	free(used);
	free(r.buf);
	dts_cube_free(c);
	return error;
}

/* ---- roll-up ------------------------------------------------------------------ */

/* Does the cell count once when its dimension i is summed out? A category
 * dimension sums only its top codes and NONE: the aggregates (DT DO DD)
 * and the leaves would count a record twice. */
static int counts_once(const dts_cube *c, const struct cell *y,
		       const int *kept)
{
	for (size_t i = 0; i < c->ndims; i++)
		if (!kept[i] && c->catdim[i] &&
		    (dts_category_is_aggregate(y->keys[i]) ||
		     strchr(y->keys[i], '.')))
			return 0;
	return 1;
}

static int rollup_cell(struct remap *m, const struct cell *y, const size_t *map)
{
	dts_cube *into = m->into;
	const char *keys[MAX_DIMS];
	struct cell *x;
	int error;

	for (size_t i = 0; i < into->ndims; i++)
		keys[i] = y->keys[map[i]];
	if (!(x = cell_get(into, keys, 1, &error)))
		return error;
	if (__builtin_add_overflow(x->records, y->records, &x->records))
		return dts__error(DTS_EOVERFLOW, NULL, 0, 0,
				  "record count overflows in the roll-up");
	if ((error = dts__add128(&x->value, y->value)) < 0 ||
	    (error = merge_ents(m, x, y)) < 0)
		return error;
	return into->contributions ? merge_cons(m, x, y) : 0;
}

int dts_cube_rollup(dts_cube **out, const dts_cube *cube,
		    const char *const *dims, size_t ndims)
{
	size_t map[MAX_DIMS];
	int kept[MAX_DIMS] = {0}, error;
	struct remap m;
	dts_cube *r;

	*out = NULL;
	if (!dims || ndims == 0 || ndims > cube->ndims)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "a roll-up keeps 1 to %zu of the cube's "
				  "dimensions", cube->ndims);
	for (size_t i = 0; i < ndims; i++) {
		int d = dims[i] ? dts_cube_find_dim(cube, dims[i]) : -1;

		if (d < 0)
			return dts__error(DTS_ENOTFOUND, NULL, 0, 0,
					  "the cube has no dimension \"%s\"",
					  dims[i] ? dims[i] : "");
		if (kept[d])
			return dts__error(DTS_EINVAL, NULL, 0, 0,
					  "dimension \"%s\" named twice",
					  dims[i]);
		kept[d] = 1;
		map[i] = (size_t)d;
	}
	if ((error = dts_cube_new(&r, dims, ndims, cube->currency)) < 0)
		return error;
	if ((error = copy_vintage(r, cube)) < 0) {
		dts_cube_free(r);
		return error;
	}
	r->contributions = cube->contributions;
	if ((error = remap_init(&m, r, cube)) < 0) {
		dts_cube_free(r);
		return error;
	}
	for (size_t i = 0; i < cube->tabcap && !error; i++) {
		const struct cell *y = cube->tab[i];

		if (y && counts_once(cube, y, kept))
			error = rollup_cell(&m, y, map);
	}
	remap_free(&m);
	if (error < 0) {
		dts_cube_free(r);
		return error;
	}
	*out = r;
	return 0;
}
