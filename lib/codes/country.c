/*
 * country.c — countries and territories to ISO 3166-1 alpha-2, from ISO
 * codes, English and Chinese names, and China Customs' 3-digit codes.
 *
 * Digits are the one ambiguity: customs 116 is Japan, ISO 116 Cambodia.
 * The caller names the scheme; without one, digits that both schemes know
 * as different countries are refused rather than guessed.
 */
#include <string.h>

#include "internal.h"
#include "codes_int.h"

/* The alpha-2 of customs row c, or DTS_ENOTFOUND for the customs codes
 * that name no ISO country (199 亚洲其他国家(地区), 701 国(地)别不详的 ...). */
static int customs_result(const char **out, int c)
{
	const dts__code_row *r = &dts__codes_customs_country[c];

	if (r->aux < 0)
		return dts__error(DTS_ENOTFOUND, NULL, 0, 0,
				  "country: customs %s %s has no ISO 3166-1 code",
				  r->code, r->name);
	*out = dts__codes_country[r->aux].code;
	return 0;
}

static int by_digits(const char **out, dts_code_scheme scheme,
		     const char *key, size_t n)
{
	char pad[4] = "000";
	int c = -1, i = -1;

	if (n <= 3 && scheme != DTS_SCHEME_CUSTOMS) {
		memcpy(pad + 3 - n, key, n);
		i = dts__code_find(dts__codes_country_iso_num,
				   dts__codes_country_iso_num_n, pad);
	}
	if (n == 3 && scheme != DTS_SCHEME_ISO)
		c = dts__code_row_of(dts__codes_customs_country,
				     dts__codes_customs_country_n, key);
	if (c >= 0 && i >= 0 && dts__codes_customs_country[c].aux != i) {
		const char *a = dts__codes_customs_country[c].a;

		return dts__error(DTS_EINPUT, NULL, 0, 0,
				  "country: '%s' is customs %s but ISO 3166 %s; "
				  "name the scheme", key, a ? a : "(none)",
				  dts__codes_country[i].code);
	}
	if (i >= 0) {
		*out = dts__codes_country[i].code;
		return 0;
	}
	if (c >= 0)
		return customs_result(out, c);
	return dts__code_notfound("country", key);
}

int dts_code_country(const char **out, dts_code_scheme scheme, const char *in,
		     size_t len)
{
	char key[DTS__CODE_MAX];
	size_t n;
	int rc, row;

	if (!out || (unsigned)scheme > DTS_SCHEME_CUSTOMS)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "country: %s", out ? "scheme out of range"
						     : "no out");
	if ((rc = dts__code_key_of(key, &n, "country", in, len)) < 0)
		return rc;
	if (dts__code_digits(key, n))
		return by_digits(out, scheme, key, n);
	/* "N/A" is a missing value, not Namibia (NA once '/' is gone). */
	if (n == 2 && memchr(in, '/', len))
		return dts__code_notfound("country", key);
	if ((row = dts__code_find(dts__codes_country_keys,
				  dts__codes_country_keys_n, key)) >= 0) {
		*out = dts__codes_country[row].code;
		return 0;
	}
	if ((row = dts__code_find(dts__codes_customs_country_keys,
				  dts__codes_customs_country_keys_n, key)) >= 0)
		return customs_result(out, row);
	return dts__code_notfound("country", key);
}
