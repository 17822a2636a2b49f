/*
 * rec_table.h — the key table of record reconciliation (rec_table.c).
 *
 * One entry per distinct key: the first record seen on the build side (a)
 * and on the probe side (b) in compact form, and how many records each side
 * had with that key. Further records with the same key (duplicates) go to
 * a per-table chain so each can still be reported on its own.
 * Memory: about 90 bytes per distinct key plus the key bytes. Adding a
 * record costs O(1) however many share its key (the chain keeps its tail).
 */
#ifndef DTS_REC_TABLE_H
#define DTS_REC_TABLE_H

#include <stdint.h>

#include "dts/money.h"

/* One record, compact. period packs level:3 year:14 quarter:3 month:4 day:5. */
typedef struct rec_info {
	dts_money value;
	uint64_t line;
	uint32_t period;
	uint16_t cat;     /* interned category */
	uint8_t flow;     /* 'X', 'M' or 0 */
} rec_info;

typedef struct rec_entry {
	uint64_t hash;
	const char *key;
	uint32_t klen;
	uint32_t extra;   /* first duplicate in the chain + 1; 0 = none */
	uint32_t tail;    /* last duplicate in the chain + 1: appending is O(1) */
	uint32_t na, nb;  /* records with this key on side a and side b */
	rec_info a, b;
} rec_entry;

typedef struct rec_extra {
	rec_info info;
	uint32_t next;    /* next + 1; 0 = end */
	uint8_t side;     /* 0 = a, 1 = b */
} rec_extra;

typedef struct rec_chunk rec_chunk;

typedef struct rec_table {
	rec_entry *e;
	size_t n, cap;
	uint32_t *slots;  /* entry index + 1; 0 = free */
	size_t nslots;
	rec_extra *x;
	size_t nx, xcap;
	rec_chunk *chunks;
} rec_table;

uint64_t rec_hash(const char *key, size_t len);

/* The entry for key, or NULL. */
rec_entry *rec_table_find(const rec_table *t, uint64_t h, const char *key,
			  size_t len);
/* Add a new key (not present) with its first record on side a. NULL on
 * out of memory or past 2^32 - 1 keys. */
rec_entry *rec_table_add(rec_table *t, uint64_t h, const char *key,
			 size_t len, const rec_info *a);
/* Chain a duplicate record to e. -1 on out of memory. */
int rec_table_extra(rec_table *t, rec_entry *e, int side, const rec_info *r);
void rec_table_free(rec_table *t);

/* Interned strings (categories): id for s, -1 on out of memory or past 65535. */
typedef struct rec_strs {
	char **s;
	size_t n, cap;
	uint32_t *slots;
	size_t nslots;
} rec_strs;

int rec_strs_id(rec_strs *st, const char *s, size_t len);
void rec_strs_free(rec_strs *st);

#endif
