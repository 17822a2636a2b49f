/*
 * lib/stats/suppress_int.h — the protected table shared by the engine
 * (suppress.c: table, relations, primary and secondary suppression,
 * output) and the LP audit (audit.c, GLPK).
 */
#ifndef DTS_SUPPRESS_INT_H
#define DTS_SUPPRESS_INT_H

#include "dts/suppress.h"
#include "internal.h"

typedef struct sup_cell {
	const char **keys;   /* ndims keys, in the arena */
	dts_amount value;
	int64_t fen;         /* value rounded to fen (0.01): the LP's unit */
	double v;            /* fen / 100: yuan, for the heuristics */
	uint64_t records, enterprises;
	int conf;
	int margin;
	double need;         /* protection this cell must give (or have) */
	int dominant;        /* sensitive by the p% or (n,k) rule */
} sup_cell;

/* total = sum(parts) + residual (the residual as the intruder knows it). */
typedef struct sup_rel {
	size_t total;
	size_t *parts;
	size_t nparts;
	/*
	 * In fen, from the cells' rounded values: so the LP's data are
	 * integers a double holds exactly and the relations hold exactly in
	 * them (exact amounts rounded to double one by one leave redundant
	 * equalities, such as the margins' two ways to the grand total,
	 * inconsistent by 1e-8 and the LP infeasible).
	 */
	int64_t residual;
} sup_rel;

struct dts_suppress {
	dts_arena arena;
	dts_suppress_options opts;
	size_t ndims;
	const char **dims;
	const char *currency;
	sup_cell *cells;
	size_t ncells;
	sup_rel *rels;
	size_t nrels;
	size_t *order;       /* cell indices sorted by keys (lookups) */
	/* relations of each cell: rel_idx[rel_off[i] .. rel_off[i + 1]) */
	size_t *rel_off, *rel_idx;
};

/*
 * Audit the current pattern of s: intervals of every suppressed cell (or
 * only the primary ones when primaries_only) into out (room for
 * s->ncells), their number into *n. 0, DTS_ENOMEM or DTS_ERROR.
 */
int dts__suppress_lp(const dts_suppress *s, int primaries_only,
		     dts_suppress_interval *out, size_t *n);

/* Is a cell suppressed (any status but free)? */
static inline int dts__sup_hidden(const sup_cell *c)
{
	return c->conf != DTS_CONF_FREE;
}

#endif
