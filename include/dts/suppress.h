/*
 * dts/suppress.h — statistical disclosure control of a cube: primary and
 * secondary cell suppression, the SDMX CONF_STATUS of every cell, and the
 * linear-programming interval audit that proves the pattern protects.
 * docs/confidentiality.md explains the rules and their parameters.
 *
 * The published table is the cube's cells (dts_cube_foreach order) and,
 * unless turned off, its margins: for every subset of the non-category
 * dimensions a total over them, keyed DTS_SUPPRESS_TOTAL ("_T", the SDMX
 * code for a total) in those dimensions and computed exactly with
 * dts_cube_rollup() (distinct enterprises of a total are counted, not
 * summed). The table's linear relations are:
 *
 *   - the category tree of every category dimension (dts_category_parent):
 *     DT = DO + DD, DO = CBEC, DD = TECH + SERV + PROD + DATA, a top code
 *     = the sum of its leaves;
 *   - each margin: the total over a dimension = the sum of its values
 *     (flow: _T = X + M; region: _T = the sum of the districts).
 *
 * A relation whose parts do not add up to the total in the cube (a record
 * keyed "DD" directly, a top code with records that have no leaf) keeps
 * the difference as a constant the intruder is assumed to know: the
 * audit is then, if anything, too strict.
 *
 * Primary suppression (status A) is the threshold rule: a cell with
 * 0 < enterprises < threshold. A cell with no enterprise ids (records that
 * carry none) is not primary by this rule: it identifies no respondent.
 *
 * Dominance (status O) needs each cell's contributions: the exact net
 * value of every enterprise in it, which a cube keeps when asked
 * (dts_cube_set_contributions, dts_agg_set_contributions; per-enterprise
 * sums merge exactly across shards, the top two of each shard would not).
 * With v the cell's value and x1 >= x2 >= ... its largest contributions,
 * a net negative contribution (refunds above sales) counted as 0:
 *
 *   - the p% rule (opts->p_rule = p) marks the cell when x1 > 0 and
 *     100 (v - x1 - x2) < p x1: the second contributor could estimate
 *     the first within p%;
 *   - the (n,k) rule (opts->nk_n = n, opts->nk_k = k) marks it when
 *     S = x1 + ... + xn > 0 and 100 S > k v.
 *
 * Both are computed exactly in 128-bit integers, never in floating
 * point. A negative contribution stays in v, so it lowers the remainder
 * and the rules err towards suppression; records with no enterprise id
 * are in v and protect as a remainder. A cell primary by the threshold
 * rule keeps status A; a cell primary only by dominance gets O, and is
 * protected and audited like an A cell. Margins are tested too, on the
 * contributions summed per enterprise (dts_cube_rollup).
 *
 * Secondary suppression (status D) is a deterministic greedy heuristic
 * driven by the audit: (1) while a relation has exactly one suppressed
 * cell, suppress one more of its cells — the published cell of smallest
 * |value| that is at least the protection the suppressed cell needs, else
 * the largest, ties to the earlier cell; (2) audit every primary cell by
 * LP (below) and, for each one still exposed, suppress one more cell of
 * its relations chosen the same way; repeat (1) and (2) until the audit
 * passes; (3) prune: try to publish each secondary cell again, largest
 * |value| first, keeping it published when the audit still passes
 * (skipped when secondary x primary cells exceed 20000: each trial audits
 * every primary cell). Same cube and options: same pattern, byte for byte.
 *
 * The audit (dts_suppress_audit) fixes every published cell at its value,
 * bounds every cell below by 0 (values are non-negative trade totals; a
 * net negative cell — refunds above sales — has no lower bound), and
 * minimises and maximises each suppressed cell subject to the relations
 * with GLPK's simplex. A primary cell is protected when its interval
 * reaches at least the protection level P = protection% of |value| away
 * from the value on one side: max(value - min, max - value) >= P.
 * The LP works in fen (values rounded to 0.01 yuan) scaled by a power of
 * two, so its data are exact integers; GLPK's exact simplex decides when
 * the double one stalls. Intervals are in yuan, exact to about 1e-7 of
 * the largest cell.
 *
 * Threads: a dts_suppress is read-only after dts_suppress_new(): any
 * number of threads may read it and run dts_suppress_audit() on it (GLPK
 * is reentrant as Debian builds it). The engine never prints.
 */
#ifndef DTS_SUPPRESS_H
#define DTS_SUPPRESS_H

#include "common.h"
#include "cube.h"
#include "table.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The key of a total in a margin row: the SDMX code "_T". */
#define DTS_SUPPRESS_TOTAL "_T"

/**
 * Confidentiality status of a cell: the codes of the SDMX code list
 * CL_CONF_STATUS (1.3) that libdts assigns (dts_conf_code()).
 */
typedef enum dts_conf {
	DTS_CONF_FREE = 1,      /**< F: free, published */
	DTS_CONF_PRIMARY = 2,   /**< A: primary, too few enterprises */
	DTS_CONF_SECONDARY = 3, /**< D: secondary, protects a primary cell */
	DTS_CONF_DOMINANCE = 4  /**< O: primary by dominance (p% or (n,k)
				     rule; not by the threshold rule) */
} dts_conf;

/** The CL_CONF_STATUS code of a dts_conf ("F", "A", "D", "O"), NULL when
 * unknown. Thread-safe. */
DTS_API const char *dts_conf_code(int conf);

#define DTS_SUPPRESS_OPTIONS_VERSION 2

/** Options for dts_suppress_new(); start from DTS_SUPPRESS_OPTIONS_INIT. */
typedef struct dts_suppress_options {
	unsigned version;    /**< DTS_SUPPRESS_OPTIONS_VERSION */
	unsigned threshold;  /**< primary when 0 < enterprises < threshold
				  (default 3; 0 or 1: no primary cell) */
	double protection;   /**< protection level, percent of |value|
				  (default 10; 0..100) */
	int margins;         /**< 1 (default): the table publishes its
				  margins (totals "_T"); 0: the cube alone */
	int secondary;       /**< 1 (default): secondary suppression; 0: only
				  primary (an unsafe pattern, for tests) */
	int prune;           /**< 1 (default): publish again every secondary
				  cell the audit finds unneeded (below) */
	/* version 2 */
	unsigned p_rule;     /**< p of the p% rule, a whole percent 1..100;
				  0 (default): off. Needs contributions */
	unsigned nk_n;       /**< n of the (n,k) rule, 1..1000; 0 (default):
				  off. Needs contributions */
	unsigned nk_k;       /**< k of the (n,k) rule, a whole percent 1..100 */
} dts_suppress_options;

#define DTS_SUPPRESS_OPTIONS_INIT \
	{ DTS_SUPPRESS_OPTIONS_VERSION, 3, 10.0, 1, 1, 1, 0, 0, 0 }

typedef struct dts_suppress dts_suppress;

/**
 * Build the table of `cube` (its cells and, with opts->margins, its
 * margins), apply primary and then secondary suppression, and return the
 * result in *out (free with dts_suppress_free()). `cube` is only read and
 * not kept. opts may be NULL (the defaults); a version 1 struct (no
 * dominance fields) is read as such. Errors: DTS_EINVAL (an unknown
 * options version, protection outside 0..100, p_rule or nk_k above 100,
 * nk_n above 1000 or without nk_k, a dominance rule on a cube without
 * contributions, more than 8 non-category dimensions with margins),
 * DTS_EOVERFLOW, DTS_ENOMEM,
 * DTS_ERROR (the LP solver failed; the message says how). Deterministic.
 */
DTS_API int dts_suppress_new(dts_suppress **out, const dts_cube *cube,
			     const dts_suppress_options *opts);

/** Free a result. NULL is a no-op. */
DTS_API void dts_suppress_free(dts_suppress *s);

/** One cell of the protected table. */
typedef struct dts_suppress_cell {
	const char *const *keys; /**< ndims keys ("_T" in a total), owned by s */
	size_t nkeys;
	dts_amount value;        /**< exact value */
	uint64_t records;
	uint64_t enterprises;
	int conf;                /**< a dts_conf */
	int margin;              /**< 1 for a margin row (not a cube cell) */
} dts_suppress_cell;

/** Number of cells: the cube's, then the margins'. */
DTS_API size_t dts_suppress_count(const dts_suppress *s);

/**
 * Cell i (0-based; the cube's cells in canonical order, then the margin
 * rows, total by total). DTS_EINVAL when out of range.
 */
DTS_API int dts_suppress_cell_at(dts_suppress_cell *out, const dts_suppress *s,
				 size_t i);

/**
 * The cell with exactly these keys (ndims of them; "_T" for a total), for
 * a writer that puts CONF_STATUS into a table of its own: 0, or
 * DTS_ENOTFOUND (nothing recorded). Thread-safe with other readers.
 */
DTS_API int dts_suppress_lookup(dts_suppress_cell *out, const dts_suppress *s,
				const char *const *keys);

/** Number of cells with status `conf` (a dts_conf). */
DTS_API size_t dts_suppress_count_conf(const dts_suppress *s, int conf);

/** Number of linear relations of the table (total = sum of parts). */
DTS_API size_t dts_suppress_nrelations(const dts_suppress *s);

/**
 * Set cell i's status by hand (a manual pattern, as τ-Argus allows); the
 * pattern is not re-balanced, so audit it. DTS_EINVAL (i or conf out of
 * range).
 */
DTS_API int dts_suppress_set_conf(dts_suppress *s, size_t i, int conf);

/** The audit interval of one suppressed cell. */
typedef struct dts_suppress_interval {
	size_t cell;       /**< index as dts_suppress_cell_at() */
	double value;      /**< the true value, as a double (yuan) */
	double lower;      /**< feasible minimum (-HUGE_VAL: unbounded) */
	double upper;      /**< feasible maximum (HUGE_VAL: unbounded) */
	double required;   /**< protection level; 0 for secondary cells */
	int exposed;       /**< 1 when a primary cell's interval is short of
			      `required` on both sides */
} dts_suppress_interval;

/** The result of dts_suppress_audit(). */
typedef struct dts_suppress_audit_result {
	size_t cells;      /**< suppressed cells audited */
	size_t exposed;    /**< primary cells under-protected */
	double min_width;  /**< smallest upper - lower of a primary cell
			      (HUGE_VAL when there is none) */
	double min_ratio;  /**< smallest max(v-lower, upper-v) / required over
			      primary cells with required > 0 (HUGE_VAL: none) */
} dts_suppress_audit_result;

/**
 * The LP interval audit (above). *res gets the summary; when `intervals`
 * is not NULL it gets a malloc'd array of res->cells intervals in cell
 * order (the caller frees it). Returns 0 whether or not a cell is exposed
 * (look at res->exposed); DTS_ENOMEM, DTS_ERROR (GLPK failed). Only reads
 * s: thread-safe with other readers.
 */
DTS_API int dts_suppress_audit(dts_suppress_audit_result *res,
			       dts_suppress_interval **intervals,
			       const dts_suppress *s);

/**
 * The protected table for the writers (dts/table.h): the columns of
 * dts_agg_table() — the dimensions, value (10^unit_exp, `decimals`
 * digits; -1: all 14 digits dts_amount_format gives, trailing zeros
 * dropped, as dts_agg_table's exact form) — records, enterprises — then
 * CONF_STATUS (text: F, A, O or D); a
 * suppressed cell shows "x" for value, records and enterprises (records
 * and enterprises are suppressed with the value: a count below the
 * threshold is itself disclosive). Rows: the cube's cells, then the
 * margin rows. Title "Digital trade statistics cube (suppressed)",
 * dataflow DTS_CUBE, unit the cube's currency. Errors: DTS_EINVAL
 * (unit_exp outside 0..14, decimals outside -1..14), DTS_ENOMEM. The
 * caller frees *out.
 */
DTS_API int dts_suppress_table(dts_table **out, const dts_suppress *s,
			       int unit_exp, int decimals);

/**
 * dts_suppress_new(), dts_suppress_table() and dts_suppress_free() in one
 * call, for a program that only publishes the protected table
 * (dts-aggregate --suppress). Errors of both.
 */
DTS_API int dts_suppress_cube_table(dts_table **out, const dts_cube *cube,
				    const dts_suppress_options *opts,
				    int unit_exp, int decimals);

#ifdef __cplusplus
}
#endif
#endif
