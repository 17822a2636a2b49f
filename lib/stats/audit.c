/*
 * lib/stats/audit.c — the LP interval audit of a suppression pattern
 * (dts/suppress.h) with GLPK's simplex: GLPK (libglpk, Debian's
 * libglpk-dev) rather than a solver of our own, because an audit must be
 * trusted and GLPK's is well-kept and exact enough in double precision
 * for sums of trade values (relative error ~1e-12 against a protection
 * level of percents).
 *
 * The LP: a column per suppressed cell, bounded below by 0 (by -inf when
 * the cell is net negative); a row per relation that holds a suppressed
 * cell: x_total - sum x_parts = residual - (published total) + (published
 * parts). Each suppressed cell's column is minimised and then maximised;
 * the basis of one solve warm-starts the next.
 */
#include <glpk.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "suppress_int.h"

typedef struct lp {
	glp_prob *p;
	int *col;        /* cell -> column (1-based), 0 when published */
	int ncols;
	double scale;    /* a power of two: LP unit = scale fen */
} lp;

/* No libm: the library does not link it for one max. */
static double dmax(double a, double b)
{
	return a > b ? a : b;
}

static int nomem(void)
{
	return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
}

static void add_term(const dts_suppress *s, const lp *l, size_t cell,
		     int sign, int *ind, double *val, int *n, int64_t *rhs)
{
	if (l->col[cell]) {
		++*n;
		ind[*n] = l->col[cell];
		val[*n] = sign;
	} else {
		int64_t v = s->cells[cell].fen;

		/* no overflow: every |fen| < 2^53 and a relation's sum is a
		 * cell too */
		*rhs = sign > 0 ? *rhs - v : *rhs + v;
	}
}

static int add_rows(lp *l, const dts_suppress *s)
{
	size_t maxparts = 0;
	int *ind, rc = 0;
	double *val;

	for (size_t r = 0; r < s->nrels; r++)
		if (s->rels[r].nparts > maxparts)
			maxparts = s->rels[r].nparts;
	ind = malloc((maxparts + 2) * sizeof(*ind));
	val = malloc((maxparts + 2) * sizeof(*val));
	if (!ind || !val) {
		rc = nomem();
		goto done;
	}
	for (size_t r = 0; r < s->nrels; r++) {
		const sup_rel *rel = &s->rels[r];
		int64_t rhs = rel->residual;
		double b;
		int n = 0, row;

		add_term(s, l, rel->total, 1, ind, val, &n, &rhs);
		for (size_t k = 0; k < rel->nparts; k++)
			add_term(s, l, rel->parts[k], -1, ind, val, &n, &rhs);
		if (n == 0)
			continue;
		b = (double)rhs / l->scale;
		row = glp_add_rows(l->p, 1);
		glp_set_row_bnds(l->p, row, GLP_FX, b, b);
		glp_set_mat_row(l->p, row, n, ind, val);
	}
done:
	free(ind);
	free(val);
	return rc;
}

/*
 * The LP's unit: fen times a power of two that brings the largest cell
 * below 2^14, so GLPK's absolute tolerances (1e-7 at a zero bound) sit
 * well above the round-off of sums (a double simplex over 10^11 fen calls
 * feasible problems infeasible). Dividing by a power of two is exact: the
 * data stay exactly consistent, for glp_exact too.
 */
static double unit_scale(const dts_suppress *s)
{
	double top = 0, scale = 1;

	for (size_t i = 0; i < s->ncells; i++) {
		double a = (double)s->cells[i].fen;

		if (a < 0)
			a = -a;
		if (a > top)
			top = a;
	}
	while (top / scale > 16384)
		scale *= 2;
	return scale;
}

static int build(lp *l, const dts_suppress *s)
{
	memset(l, 0, sizeof(*l));
	if (!(l->col = calloc(s->ncells + 1, sizeof(*l->col))))
		return nomem();
	for (size_t i = 0; i < s->ncells; i++)
		if (dts__sup_hidden(&s->cells[i]))
			l->col[i] = ++l->ncols;
	if (!l->ncols)
		return 0;
	l->scale = unit_scale(s);
	l->p = glp_create_prob();
	glp_add_cols(l->p, l->ncols);
	for (size_t i = 0; i < s->ncells; i++)
		if (l->col[i]) {
			if (s->cells[i].v >= 0)
				glp_set_col_bnds(l->p, l->col[i], GLP_LO, 0, 0);
			else
				glp_set_col_bnds(l->p, l->col[i], GLP_FR, 0, 0);
		}
	return add_rows(l, s);
}

static void lp_free(lp *l)
{
	if (l->p)
		glp_delete_prob(l->p);
	free(l->col);
}

/* Optimise column j in direction dir: *out is the optimum, or
 * -/+HUGE_VAL when unbounded. */
static int optimal(const lp *l)
{
	int st = glp_get_status(l->p);

	return st == GLP_OPT || st == GLP_UNBND;
}

/*
 * Optimise column j in direction dir: *out is the optimum in yuan, or
 * -/+HUGE_VAL when unbounded. The double simplex warm-started from the
 * last basis first; when it stalls or calls a feasible problem infeasible
 * (sums of 10^11 fen strain its tolerances), GLPK's exact simplex
 * (rational arithmetic, glp_exact) on the same integer data decides.
 */
static int solve(double *out, lp *l, int j, int dir)
{
	glp_smcp parm;
	int ret;

	glp_init_smcp(&parm);
	parm.msg_lev = GLP_MSG_OFF;
	glp_set_obj_dir(l->p, dir);
	glp_set_obj_coef(l->p, j, 1.0);
	ret = glp_simplex(l->p, &parm);
	if (ret != 0 || !optimal(l)) {
		glp_std_basis(l->p);
		ret = glp_exact(l->p, &parm);
	}
	glp_set_obj_coef(l->p, j, 0.0);
	if (ret != 0)
		return dts__error(DTS_ERROR, NULL, 0, 0,
				  "LP audit: GLPK simplex failed (code %d)", ret);
	if (glp_get_status(l->p) == GLP_UNBND) {
		*out = dir == GLP_MIN ? -HUGE_VAL : HUGE_VAL;
		return 0;
	}
	if (!optimal(l))
		return dts__error(DTS_ERROR, NULL, 0, 0,
				  "LP audit: GLPK found no optimum (status %d): "
				  "the relations do not hold",
				  glp_get_status(l->p));
	*out = glp_get_obj_val(l->p) * l->scale / 100;   /* -> yuan */
	return 0;
}

static int exposed(const dts_suppress_interval *iv)
{
	double slack = 1e-9 * dmax(1.0, fabs(iv->value));
	double room = dmax(iv->value - iv->lower, iv->upper - iv->value);

	return iv->required > 0 && room + slack < iv->required;
}

int dts__suppress_lp(const dts_suppress *s, int primaries_only,
		     dts_suppress_interval *out, size_t *n)
{
	lp l;
	int rc;

	*n = 0;
	if ((rc = build(&l, s)) < 0 || !l.ncols)
		goto done;
	for (size_t i = 0; i < s->ncells && rc == 0; i++) {
		const sup_cell *c = &s->cells[i];
		dts_suppress_interval *iv = &out[*n];
		int primary = c->conf == DTS_CONF_PRIMARY ||
			      c->conf == DTS_CONF_DOMINANCE;

		if (!l.col[i] || (primaries_only && !primary))
			continue;
		iv->cell = i;
		iv->value = c->v;
		iv->required = primary ? s->opts.protection / 100.0 * fabs(c->v) : 0;
		if ((rc = solve(&iv->lower, &l, l.col[i], GLP_MIN)) < 0 ||
		    (rc = solve(&iv->upper, &l, l.col[i], GLP_MAX)) < 0)
			break;
		iv->exposed = exposed(iv);
		++*n;
	}
done:
	lp_free(&l);
	return rc;
}

int dts_suppress_audit(dts_suppress_audit_result *res,
		       dts_suppress_interval **intervals, const dts_suppress *s)
{
	dts_suppress_interval *iv;
	size_t n;
	int rc;

	if (intervals)
		*intervals = NULL;
	memset(res, 0, sizeof(*res));
	res->min_width = res->min_ratio = HUGE_VAL;
	if (!(iv = malloc((s->ncells + 1) * sizeof(*iv))))
		return nomem();
	if ((rc = dts__suppress_lp(s, 0, iv, &n)) < 0) {
		free(iv);
		return rc;
	}
	res->cells = n;
	for (size_t k = 0; k < n; k++) {
		double room = dmax(iv[k].value - iv[k].lower,
				   iv[k].upper - iv[k].value);

		if (iv[k].required <= 0 && s->cells[iv[k].cell].conf ==
		    DTS_CONF_SECONDARY)
			continue;
		res->exposed += (size_t)iv[k].exposed;
		if (iv[k].upper - iv[k].lower < res->min_width)
			res->min_width = iv[k].upper - iv[k].lower;
		if (iv[k].required > 0 && room / iv[k].required < res->min_ratio)
			res->min_ratio = room / iv[k].required;
	}
	if (intervals)
		*intervals = iv;
	else
		free(iv);
	return 0;
}
