/*
 * recon_int.h — what the reconciliation sources share (lib/reconcile):
 * an open-addressing key table with per-key duplicate chains, a string
 * interner, and injective joined keys. Hashing is the library's one hash,
 * dts__fnv (lib/common/hash.h). Never installed.
 */
#ifndef DTS_RECON_INT_H
#define DTS_RECON_INT_H

#include <stdint.h>

#include "internal.h"

/* One record, compact. period packs level:3 year:14 quarter:3 month:4 day:5. */
typedef struct dts__rinfo {
	dts_money value;
	uint64_t line;
	uint32_t period;
	uint16_t cat;     /* interned category */
	uint8_t flow;     /* 'X', 'M' or 0 */
} dts__rinfo;

/*
 * One entry per distinct key: the first record of each side, how many
 * records each side had, and a chain of the further ones (duplicates) so
 * each can still be reported on its own. About 90 bytes per key plus the
 * key bytes; appending a duplicate is O(1) (the entry keeps the tail).
 */
typedef struct dts__rentry {
	uint64_t hash;
	const char *key;
	uint32_t klen;
	uint32_t extra;   /* first duplicate in the chain + 1; 0 = none */
	uint32_t tail;    /* last duplicate in the chain + 1 */
	uint32_t n[2];    /* records with this key per side */
	dts__rinfo first[2];
} dts__rentry;

typedef struct dts__rextra {
	dts__rinfo info;
	uint32_t next;    /* next + 1; 0 = end */
	uint8_t side;
} dts__rextra;

typedef struct dts__rchunk dts__rchunk;

typedef struct dts__rtab {
	dts__rentry *e;
	size_t n, cap;
	uint32_t *slots;  /* entry index + 1; 0 = free */
	size_t nslots;
	dts__rextra *x;
	size_t nx, xcap;
	dts__rchunk *chunks;  /* key bytes, 1 MiB chunks: pointers stay valid */
} dts__rtab;

/* The entry for key, or NULL. */
dts__rentry *dts__rtab_find(const dts__rtab *t, uint64_t h, const char *key,
			    size_t len);
/* Add a new key with no record (n[] zero). NULL on out of memory or past
 * 2^32 - 1 keys. */
dts__rentry *dts__rtab_add(dts__rtab *t, uint64_t h, const char *key,
			   size_t len);
/* Chain a further record of `side` to e. -1 on out of memory. */
int dts__rtab_extra(dts__rtab *t, dts__rentry *e, int side, const dts__rinfo *r);
void dts__rtab_free(dts__rtab *t);

/* Interned strings: id for s, -1 on out of memory or past 65535. */
typedef struct dts__rstrs {
	char **s;
	size_t n, cap;
	uint32_t *slots;
	size_t nslots;
} dts__rstrs;

int dts__rstrs_id(dts__rstrs *st, const char *s, size_t len);
void dts__rstrs_free(dts__rstrs *st);

/*
 * A key of several parts as one byte string that is injective: parts are
 * joined with '|', and a '|' or '\' inside a part is written "\|" or
 * "\\", so two different part lists never give the same key (a bare
 * separator let ("A<sep>B", "C") match ("A", "B<sep>C")).
 */
typedef struct dts__rkey {
	char *p;        /* NUL-terminated; NULL before the first part */
	size_t len, cap;
	size_t nparts;
} dts__rkey;

void dts__rkey_reset(dts__rkey *k);
int dts__rkey_part(dts__rkey *k, const char *s, size_t len); /* -1: ENOMEM */
void dts__rkey_free(dts__rkey *k);

/*
 * A column of a record source found by name: a CSV header name, else the
 * column bound to the canonical field the name stands for (name or
 * alias). In customs XML every name is accepted: a message leaf of that
 * name, else the bound field's column, else "" (a leaf absent from a
 * record is empty). `name` must outlive the column.
 */
typedef struct dts__rcol {
	int col;          /* CSV column, or -1: none; -2: XML, by name */
	int field;        /* XML: the canonical field of name, or -1 */
	const char *name;
} dts__rcol;

/* 0 with *c set, DTS_ENOTFOUND (nothing recorded) when a CSV source has
 * no such column. */
int dts__rcol_find(dts__rcol *c, const dts_source *src, const char *name);
/* The column's value in the row dts_source_next() just returned. */
const char *dts__rcol_get(const dts__rcol *c, const dts_source *src,
			  const dts_source_row *row, size_t *len);

#endif
