/*
 * profile_spec.h — a loaded profile's parts, shared by profile.c (loading,
 * scoring) and profile_plan.c (rewriting rows).
 */
#ifndef DTS_PROFILE_SPEC_H
#define DTS_PROFILE_SPEC_H

#include "profile_int.h"

enum { SP_COLUMN, SP_CELL, SP_EXCLUDE };

/* One <column>, unpivot <cell> or <exclude> of a profile. */
typedef struct pspec {
	int kind;             /* SP_* */
	int field;            /* column: its field; cell: DTS_F_VALUE; exclude: -1 */
	int scheme;           /* DTS__SCH_* */
	int required;         /* required="yes": the profile needs this header */
	const char *currency; /* value column or cell: the amount's currency */
	const char *unit;     /* value: a unit word, "header" (from the header's
				 brackets), or NULL (the unit row's, else none) */
	const char *set;      /* cell: the unpivot field's value ("X") */
	const char *reason;   /* exclude: the reject reason */
	char **headers;       /* header keys (dts__header_key) */
	size_t nheaders;
	pcre2_code **pats;    /* patterns, matched against the header key */
	size_t npats;
	char **values;        /* exclude: status values, folded, lower-cased */
	size_t nvalues;
	unsigned line;
} pspec;

struct dts_profile {
	dts_arena arena;
	const char *file, *name, *title;
	int canonical;                    /* <canonical/>: columns as they are */
	pspec *specs;
	size_t nspecs;
	const char *set_value[DTS_F_COUNT]; /* <set field=...>: constants */
	int unpivot_field;                /* -1, or the field <cell>s set */
	const char *negative_reason;      /* <exclude-negative>: reason, or NULL */
	int derive_ebops;                 /* <derive ebops_code from bop_code> */
	int has_currency_col;
};

/* Does header h (len bytes) match the spec's headers or patterns? */
int dts__spec_matches(const pspec *sp, const char *h, size_t len);

#endif
