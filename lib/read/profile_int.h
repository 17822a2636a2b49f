/*
 * profile_int.h — the profile engine inside the library: a loaded profile
 * (dts/profile.h), bound to one input's header row as a plan that turns
 * each input row into canonical records (lib/read/source.c uses it).
 */
#ifndef DTS_PROFILE_INT_H
#define DTS_PROFILE_INT_H

#include "internal.h"

/* Value schemes of a column (the scheme attribute; docs/profiles.md). */
enum {
	DTS__SCH_AS_IS = 0, /* the field's own normalisation only */
	DTS__SCH_CODE,      /* trade mode: 4-digit supervision code */
	DTS__SCH_NAME,      /* trade mode, partner, region: a name */
	DTS__SCH_STAT,      /* trade mode: 2-digit statistical mode */
	DTS__SCH_CUSTOMS,   /* partner: customs 3-digit country code */
	DTS__SCH_ISO,       /* partner: ISO 3166 alpha-2 */
	DTS__SCH_COUNTY,    /* region: county-level division code */
	DTS__SCH_AREA,      /* region: customs 5-digit area code */
	DTS__SCH_AUTO       /* any of the field's schemes, told by its shape */
};

/* The built-in profiles, loaded once and shared (never freed, read only):
 * *out gets the array, *n its length. Errors: DTS_ENOMEM (try again). */
int dts__profile_builtins(dts_profile *const **out, size_t *n);

/* The canonical profile reads columns as they are (no plan). */
int dts__profile_is_canonical(const dts_profile *p);

/* What kind of row a data row is: 0 a record, 1 a total row (合计, 总计,
 * 小计, Total), 2 a note row (注, 说明, 资料来源, 数据来源, Note, Source),
 * 3 blank (every cell empty). Looks at the first non-empty cell. */
int dts__profile_row_kind(const char *const *cols, const size_t *lens, size_t n);

/* A preamble row (at most one non-empty cell) that states a unit
 * ("单位：万元", "金额单位: 千美元"): the unit word into unit (cap bytes),
 * 1; else 0. */
int dts__profile_unit_row(char *unit, size_t cap, const char *const *cols,
			  const size_t *lens, size_t n);

typedef struct dts__plan dts__plan;

/* Bind profile p to an input header of n names. unit: the unit a unit row
 * above the header stated, or NULL. The plan borrows p (which must
 * outlive it); the names are copied. Errors: DTS_ENOMEM. */
int dts__plan_new(dts__plan **out, const dts_profile *p, const char *const *hdr,
		  size_t n, const char *unit);
void dts__plan_free(dts__plan *pl);

/* The output header: canonical field names, then the columns passed
 * through. Owned by the plan. */
size_t dts__plan_header(const dts__plan *pl, const char *const **names);

/* Take one input row (its bytes must stay valid until the records are
 * read). Returns the number of records it makes (>= 1), or 0 when the
 * row is rejected as a whole: *why says why (owned by the plan). */
int dts__plan_row(dts__plan *pl, const char **why, const char *const *cols,
		  const size_t *lens, size_t n, uint64_t line);

/* Record i (0-based, below what dts__plan_row returned) of the row taken:
 * 1 with cols/lens/ncols set (owned by the plan, valid until the next
 * call), or 0 when that record is rejected (*why says why); DTS_ENOMEM. */
int dts__plan_record(dts__plan *pl, const char *const **cols, const size_t **lens,
		     size_t *ncols, const char **why, size_t i);

/* The embedded built-in profiles (generated from profiles/ at build). */
typedef struct dts__builtin_profile {
	const char *name;
	const char *xml;
	size_t len;
} dts__builtin_profile;
extern const dts__builtin_profile dts__builtin_profiles[];
extern const size_t dts__builtin_profiles_n;
extern const char dts__profile_rng[];
extern const size_t dts__profile_rng_len;

#endif
