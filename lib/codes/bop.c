/*
 * bop.c — SAFE 国际收支交易编码 (涉外收支交易分类与代码) to EBOPS 2010.
 *
 * Only codes whose meaning was verified against the SAFE table are
 * listed (data/codes/bop-ebops.csv, docs/codes.md); nothing is inferred
 * from a code's digits, so an unlisted code is not found, never guessed.
 */
#include "internal.h"
#include "codes_int.h"

int dts_code_bop_ebops(const char **out, const char *in, size_t len)
{
	char key[DTS__CODE_MAX];
	const dts__code_row *r;
	size_t n;
	int rc, row;

	if (!out)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "BOP code: no out");
	if ((rc = dts__code_key_of(key, &n, "BOP code", in, len)) < 0)
		return rc;
	row = dts__code_row_of(dts__codes_bop, dts__codes_bop_n, key);
	if (row < 0)
		return dts__code_notfound("BOP code", key);
	r = &dts__codes_bop[row];
	if (!r->a)
		return dts__error(DTS_ENOTFOUND, NULL, 0, 0,
				  "BOP code: %s %s has no EBOPS 2010 concordance",
				  r->code, r->name);
	*out = r->a;
	return 0;
}
