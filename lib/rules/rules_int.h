/*
 * rules_int.h — the compiled rule set, shared by rules.c (which builds it),
 * scanner.c (which reads it) and lint.c. Never installed.
 *
 * The prefilter (DESIGN §4): every rule gets a set of "triggers" such that
 * the rule can only match a record on which one of its triggers fires.
 * Equality and prefix triggers live in one hash table keyed by
 * (kind, field, bytes); literal triggers (from <contains> and from the
 * literal atoms of regexes) live in one Aho-Corasick automaton per field.
 * A record's candidates are the rules posted under the triggers that fire,
 * plus the few rules without triggers, tried in winning order.
 */
#ifndef DTS_RULES_INT_H
#define DTS_RULES_INT_H

#include "internal.h"

typedef enum dts_trig_kind {
	DTS_T_EQ = 1,   /* normalised field (lower-cased for text) equals key */
	DTS_T_PREFIX,   /* normalised field starts with key */
	DTS_T_LIT       /* folded-lower field contains key */
} dts_trig_kind;

/* A key of the equality/prefix hash table and its postings. */
typedef struct dts_key {
	uint64_t hash;
	const char *bytes;      /* arena */
	uint32_t len;
	uint8_t kind;           /* dts_trig_kind */
	uint8_t field;
	uint32_t post;          /* first posting in rules->postings */
	uint32_t npost;
} dts_key;

struct dts_rules {
	dts_rulebook book;

	dts_rule **rules;        /* winning order: priority desc, written asc */
	size_t nrules;
	dts_category **cats;     /* the six top codes first, then declared */
	size_t ncats;
	uint32_t *cat_slots;     /* hash of codes: cats index + 1, 0 empty */
	size_t cat_mask;
	int none_index;

	/* prefilter */
	dts_key *keys;           /* open addressing, power-of-two capacity */
	size_t keycap;
	uint32_t *postings;      /* rule indices, ascending per key */
	size_t npostings;
	uint64_t prefix_lens[DTS_F_COUNT]; /* bit L set: some prefix key of length L (1..63) */
	uint32_t eq_fields;      /* bit f: some EQ key on field f */
	dts_aho *aho[DTS_F_COUNT];        /* literal automaton per field, or NULL */
	uint32_t lit_fields;     /* bit f: aho[f] is set */
	uint32_t *lit_post;      /* per literal id: first posting */
	uint32_t *lit_npost;     /* per literal id: count */
	size_t nlits;
	uint32_t *always;        /* rules without triggers, ascending */
	size_t nalways;
	uint8_t *indexed;        /* per rule: 1 when it has triggers */
	uint32_t fields_used;    /* bit f: some rule reads field f */
	uint32_t lit_min_rank[DTS_F_COUNT]; /* best rank a literal on field f can select, or UINT32_MAX */
	size_t max_regex_atoms;  /* for lint */
	char *none_str;          /* "NONE" */
	size_t ndimrules;        /* rules with a dimension (evidence rules) */
	unsigned dims_present;   /* bit d: some rule of dimension d */
	uint8_t lit_dims[DTS_F_COUNT]; /* bit d: a rule of dimension d has a literal on field f */
	uint32_t dim_fields[4];  /* per dimension: the fields its rules' triggers
				    read; none of them set: no rule of it can match */

	/*
	 * <contains> answered by the literal scan (docs/engine.md): each
	 * caseless <contains> without except terms on a field that has an
	 * automaton has all its values in it (check-only literals carry no
	 * postings). Open addressing by node address: the literal id of each
	 * value, DTS_NO_LIT for an empty value.
	 */
	struct dts_check {
		const dts_node *node;
		uint32_t *ids;
	} *checks;
	size_t checkmask;        /* capacity - 1; 0 with checks NULL: none */
};

#define DTS_NO_LIT UINT32_MAX


/*
 * Key hash: FNV-1a (hash.h) seeded with kind and field, so equal bytes in
 * two fields differ. Byte-incremental, so the scanner hashes a code once and
 * looks up each of its prefixes on the way (dts__hash_step / _final).
 */
static inline uint64_t dts__hash_init(uint32_t kind, uint32_t field)
{
	return DTS__FNV_OFFSET ^ (kind * 0x9E3779B97F4A7C15ull) ^
	       ((uint64_t)field << 32);
}

static inline uint64_t dts__hash_step(uint64_t h, unsigned char c)
{
	return dts__fnv_step(h, c);
}

static inline uint64_t dts__hash_final(uint64_t h)
{
	return h ^ (h >> 29);
}

static inline size_t dts__check_slot(const dts_node *n)
{
	return (size_t)(((uintptr_t)n * 0x9E3779B97F4A7C15ull) >> 32);
}

uint64_t dts__hash(uint32_t kind, uint32_t field, const char *s, size_t len);

/* The key slot for (kind, field, s) whose dts__hash is `hash`, or NULL. */
const dts_key *dts__key_find(const dts_rules *r, uint64_t hash, uint32_t kind,
			     uint32_t field, const char *s, size_t len);

/* Evaluate a node against the scanner's current record (scanner.c). */
struct dts_scanner;

/* The literal ids of a <contains> node's values, or NULL: careful path. */
static inline const uint32_t *dts__check_ids(const dts_rules *r,
					     const dts_node *n)
{
	size_t i;

	if (!r->checks)
		return NULL;
	for (i = dts__check_slot(n) & r->checkmask; r->checks[i].node;
	     i = (i + 1) & r->checkmask)
		if (r->checks[i].node == n)
			return r->checks[i].ids;
	return NULL;
}

#endif
