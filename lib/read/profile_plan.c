/*
 * profile_plan.c — a profile bound to one input's header: each input row
 * becomes one record in canonical columns (or one per unpivoted cell),
 * values converted, excluded rows rejected with their reason
 * (docs/profiles.md, "From a row to records").
 */
#include <stdlib.h>
#include <string.h>

#include "profile_convert.h"
#include "profile_spec.h"

#define MAX_CELLS 16

enum { OC_COL, OC_CONST, OC_UNPIVOT, OC_CELLVAL, OC_CURRENCY, OC_EBOPS, OC_ID, OC_PASS };

typedef struct ocol {
	int kind;
	int field;            /* canonical field, or -1 for a column passed through */
	int src;              /* input column, or -1 */
	const pspec *sp;      /* the spec that bound it */
	const char *konst;    /* OC_CONST, OC_CURRENCY */
} ocol;

typedef struct cell {
	int src;
	const pspec *sp;
	dts_unit unit;        /* the unit that applies */
	char hdr[128];        /* its header, for messages */
	dts__buf amount;      /* this row's converted amount */
	char stated[DTS_CURRENCY_SIZE]; /* the currency the amount states */
	const char *why;      /* conversion error, or NULL */
	char whybuf[256];
	int has;              /* makes a record */
} cell;

struct dts__plan {
	const dts_profile *p;
	size_t nin, nout;
	ocol *oc;
	char **names;
	cell cells[MAX_CELLS];
	size_t ncells;
	int excl_src[64];
	const pspec *excl[64];
	size_t nexcl;
	int value_src;        /* the value column (no unpivot), or -1 */
	const pspec *value_sp;
	dts_unit value_unit;
	char stated[DTS_CURRENCY_SIZE]; /* the value's stated currency, this record */
	int bop_src;
	/* the row taken */
	const char *const *in;
	const size_t *inlen;
	size_t inn;
	uint64_t line;
	size_t rec_cell[MAX_CELLS]; /* record i -> its cell */
	size_t nrec;
	/* the record built */
	dts__buf text;
	size_t *off;
	const char **cols;
	size_t *lens;
	char why[512];
};

static const char *cell_of(const dts__plan *pl, int src, size_t *len)
{
	if (src < 0 || (size_t)src >= pl->inn) {
		*len = 0;
		return "";
	}
	*len = pl->inlen[src];
	return pl->in[src];
}

/*
 * The unit of a value column or cell: its header's brackets (unit="header":
 * 出口额（万元）), the profile's unit attribute, else the 单位 row's; none is
 * 10^0 in the column's currency. A unit the profile names wrongly is its
 * error (DTS_ESYNTAX).
 */
static int pick_unit(dts_unit *u, const pspec *sp, const char *hdr, const char *row_unit,
		     const dts_profile *p)
{
	size_t nl;

	memset(u, 0, sizeof(*u));
	if (sp->unit && strcmp(sp->unit, "header") == 0) {
		if (dts_unit_find(u, &nl, hdr, strlen(hdr)) == 0)
			return 0;
	} else if (sp->unit) {
		if (dts_unit_parse(u, sp->unit, strlen(sp->unit)) == 0)
			return 0;
		return dts__error(DTS_ESYNTAX, p->file, sp->line, 0, "unit '%s': not a unit "
				  "(元, 万元, 千美元 ...)", sp->unit);
	}
	memset(u, 0, sizeof(*u));
	if (row_unit && dts_unit_find(u, &nl, row_unit, strlen(row_unit)) == 0)
		return 0;
	memset(u, 0, sizeof(*u));
	return 0;
}

static int add_out(dts__plan *pl, size_t *cap, ocol c)
{
	if (pl->nout == *cap && dts__grow((void **)&pl->oc, cap, pl->nout + 1, sizeof(ocol)) < 0)
		return DTS_ENOMEM;
	pl->oc[pl->nout++] = c;
	return 0;
}

/* The first input column a spec matches that no other spec took. */
static int find_src(const pspec *sp, const char *const *hdr, size_t n, const char *used)
{
	for (size_t i = 0; i < n; i++)
		if (!used[i] && dts__spec_matches(sp, hdr[i], strlen(hdr[i])))
			return (int)i;
	return -1;
}

static int build(dts__plan *pl, const char *const *hdr, size_t n, const char *unit)
{
	const dts_profile *p = pl->p;
	int src_of[DTS_F_COUNT];
	const pspec *sp_of[DTS_F_COUNT] = { 0 };
	char *used = calloc(n ? n : 1, 1);
	size_t cap = 0;
	int rc = 0, f;

	if (!used)
		return DTS_ENOMEM;
	for (f = 0; f < DTS_F_COUNT; f++)
		src_of[f] = -1;
	pl->value_src = pl->bop_src = -1;
	/* columns: the first spec of a field that finds its header wins */
	for (size_t s = 0; s < p->nspecs; s++) {
		const pspec *sp = &p->specs[s];
		int c;

		if (sp->kind == SP_COLUMN && src_of[sp->field] >= 0)
			continue;
		if ((c = find_src(sp, hdr, n, used)) < 0)
			continue;
		if (sp->kind == SP_COLUMN) {
			src_of[sp->field] = c;
			sp_of[sp->field] = sp;
			used[c] = 1;
		} else if (sp->kind == SP_CELL && pl->ncells < MAX_CELLS) {
			cell *ce = &pl->cells[pl->ncells++];

			ce->src = c;
			ce->sp = sp;
			if ((rc = pick_unit(&ce->unit, sp, hdr[c], unit, p)) < 0)
				break;
			snprintf(ce->hdr, sizeof(ce->hdr), "%s", hdr[c]);
			used[c] = 1;
		} else if (sp->kind == SP_EXCLUDE && pl->nexcl < 64) {
			pl->excl_src[pl->nexcl] = c;
			pl->excl[pl->nexcl++] = sp;
		}
	}
	if (src_of[DTS_F_VALUE] >= 0) {
		pl->value_src = src_of[DTS_F_VALUE];
		pl->value_sp = sp_of[DTS_F_VALUE];
		if (rc == 0)
			rc = pick_unit(&pl->value_unit, pl->value_sp, hdr[pl->value_src], unit, p);
	}
	pl->bop_src = src_of[DTS_F_BOP_CODE];
	for (f = 0; f < DTS_F_COUNT && rc == 0; f++) {
		ocol c = { OC_CONST, f, -1, NULL, NULL };
		int has_amount = pl->value_sp || pl->ncells;

		if (f == DTS_F_ID && src_of[f] < 0)
			c.kind = OC_ID;
		else if (src_of[f] >= 0 && !(pl->ncells && f == DTS_F_VALUE))
			c.kind = OC_COL, c.src = src_of[f], c.sp = sp_of[f];
		else if (pl->ncells && f == p->unpivot_field)
			c.kind = OC_UNPIVOT;
		else if (pl->ncells && f == DTS_F_VALUE)
			c.kind = OC_CELLVAL;
		else if (p->set_value[f])
			c.konst = p->set_value[f];
		else if (f == DTS_F_CURRENCY && has_amount)
			c.kind = OC_CURRENCY;
		else if (f == DTS_F_EBOPS_CODE && p->derive_ebops && pl->bop_src >= 0)
			c.kind = OC_EBOPS, c.src = pl->bop_src;
		else
			continue;
		rc = add_out(pl, &cap, c);
	}
	for (size_t i = 0; i < n && rc == 0; i++)
		if (!used[i])
			rc = add_out(pl, &cap, (ocol){ OC_PASS, -1, (int)i, NULL, NULL });
	free(used);
	return rc;
}

int dts__plan_new(dts__plan **out, const dts_profile *p, const char *const *hdr,
		  size_t n, const char *unit)
{
	dts__plan *pl = calloc(1, sizeof(*pl));
	int rc;

	*out = NULL;
	if (!pl)
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	pl->p = p;
	pl->nin = n;
	if ((rc = build(pl, hdr, n, unit)) < 0) {
		dts__plan_free(pl);
		return rc == DTS_ENOMEM ? dts__error(rc, NULL, 0, 0, "out of memory") : rc;
	}
	if (!(pl->names = calloc(pl->nout + 1, sizeof(char *))) ||
	    !(pl->off = calloc(pl->nout + 1, sizeof(size_t))) ||
	    !(pl->cols = calloc(pl->nout + 1, sizeof(char *))) ||
	    !(pl->lens = calloc(pl->nout + 1, sizeof(size_t)))) {
		rc = DTS_ENOMEM;
		goto fail;
	}
	for (size_t i = 0; i < pl->nout; i++) {
		const char *nm = pl->oc[i].field >= 0 ? dts_field_name(pl->oc[i].field)
						      : hdr[pl->oc[i].src];

		if (!(pl->names[i] = strdup(nm))) {
			rc = DTS_ENOMEM;
			goto fail;
		}
	}
	*out = pl;
	return 0;
fail:
	dts__plan_free(pl);
	return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
}

void dts__plan_free(dts__plan *pl)
{
	if (!pl)
		return;
	for (size_t i = 0; pl->names && i < pl->nout; i++)
		free(pl->names[i]);
	for (size_t i = 0; i < pl->ncells; i++)
		dts__buf_free(&pl->cells[i].amount);
	free(pl->names);
	free(pl->oc);
	free(pl->off);
	free(pl->cols);
	free(pl->lens);
	dts__buf_free(&pl->text);
	free(pl);
}

size_t dts__plan_header(const dts__plan *pl, const char *const **names)
{
	*names = (const char *const *)pl->names;
	return pl->nout;
}

/* An excluded status: the reason, or NULL. */
static const char *excluded(dts__plan *pl)
{
	for (size_t e = 0; e < pl->nexcl; e++) {
		size_t len;
		const char *v = cell_of(pl, pl->excl_src[e], &len);
		char buf[256];
		size_t n;

		if (len >= sizeof(buf))
			continue;
		dts_field_normalize(buf, sizeof(buf), &n, DTS_F_DESCRIPTION, v, len);
		dts__fold_lower(buf, buf, n);
		for (size_t k = 0; k < pl->excl[e]->nvalues; k++)
			if (strcmp(buf, pl->excl[e]->values[k]) == 0) {
				snprintf(pl->why, sizeof(pl->why), "%s (%s)",
					 pl->excl[e]->reason ? pl->excl[e]->reason : "excluded",
					 v);
				return pl->why;
			}
	}
	return NULL;
}

static int is_zero_amount(const char *s, size_t n)
{
	size_t i = 0;

	if (i < n && (s[i] == '-' || s[i] == '+'))
		i++;
	for (; i < n; i++)
		if (s[i] != '0' && s[i] != '.')
			return 0;
	return 1;
}

int dts__plan_row(dts__plan *pl, const char **why, const char *const *cols,
		  const size_t *lens, size_t n, uint64_t line)
{
	*why = NULL;
	pl->in = cols;
	pl->inlen = lens;
	pl->inn = n;
	pl->line = line;
	pl->nrec = 0;
	if ((*why = excluded(pl)) != NULL)
		return 0;
	if (!pl->ncells) {
		pl->nrec = 1;
		return 1;
	}
	for (size_t c = 0; c < pl->ncells; c++) {
		cell *ce = &pl->cells[c];
		size_t len;
		const char *v = cell_of(pl, ce->src, &len);

		ce->amount.len = 0;
		ce->why = NULL;
		ce->has = 0;
		while (len && (*v == ' ' || v[len - 1] == ' '))
			*v == ' ' ? (v++, len--) : len--;
		if (!len)
			continue;
		ce->why = dts__convert_amount(&ce->amount, ce->stated, v, len, ce->unit.exp,
					      ce->whybuf, sizeof(ce->whybuf));
		if (ce->amount.oom)
			return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
		if (!ce->why && is_zero_amount(ce->amount.p, ce->amount.len))
			continue;
		ce->has = 1;
		pl->rec_cell[pl->nrec++] = c;
	}
	if (pl->nrec == 0) {
		size_t k = (size_t)snprintf(pl->why, sizeof(pl->why), "no amount: ");

		for (size_t c = 0; c < pl->ncells && k < sizeof(pl->why); c++)
			k += (size_t)snprintf(pl->why + k, sizeof(pl->why) - k, "%s%s",
					      c ? ", " : "", pl->cells[c].hdr);
		if (k < sizeof(pl->why))
			snprintf(pl->why + k, sizeof(pl->why) - k, " empty or zero");
		*why = pl->why;
		return 0;
	}
	return (int)pl->nrec;
}

/* The currency a record has when its currency field is empty: its unit's
 * (千美元), else the profile's for the column or cell. */
static const char *currency_hint(const dts__plan *pl, size_t i)
{
	const cell *ce = pl->ncells ? &pl->cells[pl->rec_cell[i]] : NULL;

	if (ce)
		return ce->unit.currency[0] ? ce->unit.currency : ce->sp->currency;
	if (pl->value_sp)
		return pl->value_unit.currency[0] ? pl->value_unit.currency : pl->value_sp->currency;
	return NULL;
}

static const char *convert_col(dts__plan *pl, const ocol *c, const char *v, size_t len,
			       size_t i)
{
	dts__buf *b = &pl->text;

	switch (c->field) {
	case DTS_F_VALUE:
		return dts__convert_amount(b, pl->stated, v, len, pl->value_unit.exp,
					   pl->why, sizeof(pl->why));
	case DTS_F_CURRENCY:
		return dts__convert_currency(b, pl->stated, v, len, currency_hint(pl, i),
					     pl->why, sizeof(pl->why));
	case DTS_F_PERIOD:
		return dts__convert_period(b, v, len, pl->why, sizeof(pl->why));
	case DTS_F_FLOW: {
		int fl = dts_flow_parse(v, len);

		if (fl)
			dts__buf_ch(b, (char)fl);
		else
			dts__buf_add(b, v, len);
		return NULL;
	}
	default:
		(void)i;
		return dts__convert_code(b, c->field, c->sp ? c->sp->scheme : 0, v, len,
					 pl->why, sizeof(pl->why));
	}
}

int dts__plan_record(dts__plan *pl, const char *const **cols, const size_t **lens,
		     size_t *ncols, const char **why, size_t i)
{
	const cell *ce = pl->ncells ? &pl->cells[pl->rec_cell[i]] : NULL;
	const char *err = NULL;

	*why = NULL;
	pl->text.len = 0;
	pl->stated[0] = '\0';
	if (ce)
		memcpy(pl->stated, ce->stated, sizeof(pl->stated));
	if (ce && ce->why) {
		*why = ce->why;
		return 0;
	}
	for (size_t k = 0; k < pl->nout && !err; k++) {
		const ocol *c = &pl->oc[k];
		size_t len;
		const char *v;

		pl->off[k] = pl->text.len;
		switch (c->kind) {
		case OC_COL:
			v = cell_of(pl, c->src, &len);
			err = convert_col(pl, c, v, len, i);
			break;
		case OC_PASS:
			v = cell_of(pl, c->src, &len);
			dts__buf_add(&pl->text, v, len);
			break;
		case OC_CONST:
			dts__buf_str(&pl->text, c->konst);
			break;
		case OC_CURRENCY:
			err = dts__convert_currency(&pl->text, ce ? ce->stated : pl->stated, "", 0,
						    currency_hint(pl, i), pl->why, sizeof(pl->why));
			break;
		case OC_UNPIVOT:
			dts__buf_str(&pl->text, ce && ce->sp->set ? ce->sp->set : "");
			break;
		case OC_CELLVAL:
			dts__buf_add(&pl->text, ce->amount.p, ce->amount.len);
			break;
		case OC_EBOPS:
			v = cell_of(pl, c->src, &len);
			err = dts__convert_ebops(&pl->text, v, len, pl->why, sizeof(pl->why));
			break;
		case OC_ID:
			dts__buf_u64(&pl->text, (unsigned long long)pl->line);
			if (ce && ce->sp->set) {
				dts__buf_ch(&pl->text, '-');
				dts__buf_str(&pl->text, ce->sp->set);
			}
			break;
		}
		dts__buf_ch(&pl->text, '\0'); /* kept: it ends the value */
	}
	if (pl->text.oom)
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	if (err) {
		*why = err;
		return 0;
	}
	if (pl->p->negative_reason && pl->value_src >= 0) {
		for (size_t k = 0; k < pl->nout; k++)
			if (pl->oc[k].field == DTS_F_VALUE && pl->text.p[pl->off[k]] == '-' &&
			    !is_zero_amount(pl->text.p + pl->off[k], strlen(pl->text.p + pl->off[k]))) {
				*why = pl->p->negative_reason;
				return 0;
			}
	}
	for (size_t k = 0; k < pl->nout; k++) {
		size_t end = k + 1 < pl->nout ? pl->off[k + 1] - 1 : pl->text.len - 1;

		pl->cols[k] = pl->text.p + pl->off[k];
		pl->lens[k] = end - pl->off[k];
	}
	*cols = pl->cols;
	*lens = pl->lens;
	*ncols = pl->nout;
	return 1;
}
