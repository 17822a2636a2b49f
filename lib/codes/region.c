/*
 * region.c — domestic regions to current Hangzhou districts, with
 * "Hangzhou, district unknown" (3301) and "outside Hangzhou" (OUTSIDE)
 * kept apart. County-level codes (NBS 2023 and the pre-2021 ones), names,
 * and customs 5-digit area codes (境内目的地/境内货源地) are read;
 * docs/codes.md gives the 2021 re-division and how each old code maps.
 */
#include <string.h>

#include "internal.h"
#include "codes_int.h"

#define ZJ "\xE6\xB5\x99\xE6\xB1\x9F\xE7\x9C\x81" /* 浙江省 */
#define HZ "\xE6\x9D\xAD\xE5\xB7\x9E\xE5\xB8\x82" /* 杭州市 */

static int prefix_cmp(const void *k, const void *e)
{
	return strncmp(k, ((const dts__code_key *)e)->key, 2);
}

/* Is a city code of another city (4 digits, exact) or, with n == 2, the
 * province of one, in the NBS 2023 list? */
static int other_city(const char *s, size_t n)
{
	char c[5];

	if (n == 2)
		return bsearch(s, dts__codes_outside_cities,
			       dts__codes_outside_cities_n,
			       sizeof(*dts__codes_outside_cities),
			       prefix_cmp) != NULL;
	memcpy(c, s, 4);
	c[4] = '\0';
	return dts__code_find(dts__codes_outside_cities,
			      dts__codes_outside_cities_n, c) >= 0;
}

static const char *region_code(dts_region_kind k)
{
	return k == DTS_REGION_HANGZHOU ? "3301" : "OUTSIDE";
}

/* A code no row lists: another city's (OUTSIDE), an unlisted Hangzhou
 * code (3301: NBS and customs codes of Hangzhou all start with 3301), or
 * -1. Customs area codes start with the province, then the city; 33
 * followed by no known city may be a county-level city of Zhejiang with a
 * code of its own (33179 江山), which can not be placed. */
static int by_digits(const char *key, size_t n)
{
	if ((n == 6 || n == 5) && !strncmp(key, "3301", 4))
		return DTS_REGION_HANGZHOU;
	if ((n == 6 || n == 4) && other_city(key, 4))
		return DTS_REGION_OUTSIDE;
	if (n == 5 && strncmp(key, "33", 2) && other_city(key, 2))
		return DTS_REGION_OUTSIDE;
	if (n == 5 && other_city(key, 4))
		return DTS_REGION_OUTSIDE;
	return -1;
}

static int find_name(const char *key)
{
	const char *p = key;
	int row = dts__code_find(dts__codes_region_keys,
				 dts__codes_region_keys_n, p);

	/* 浙江省杭州市上城区, 杭州市上城区 -> 上城区 */
	if (row < 0 && !strncmp(p, ZJ, strlen(ZJ)) && p[strlen(ZJ)]) {
		p += strlen(ZJ);
		row = dts__code_find(dts__codes_region_keys,
				     dts__codes_region_keys_n, p);
	}
	if (row < 0 && !strncmp(p, HZ, strlen(HZ)) && p[strlen(HZ)]) {
		p += strlen(HZ);
		row = dts__code_find(dts__codes_region_keys,
				     dts__codes_region_keys_n, p);
	}
	if (row >= 0)
		return row;
	if (dts__code_find(dts__codes_outside_names,
			   dts__codes_outside_names_n, p) >= 0)
		return dts__code_row_of(dts__codes_region, dts__codes_region_n,
					"OUTSIDE");
	return -1;
}

int dts_code_region(const char **out, dts_region_kind *kind, const char *in,
		    size_t len)
{
	char key[DTS__CODE_MAX];
	size_t n;
	int rc, row, k;

	if (!out && !kind)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "region: no out");
	if ((rc = dts__code_key_of(key, &n, "region", in, len)) < 0)
		return rc;
	if (dts__code_digits(key, n)) {
		row = dts__code_find(dts__codes_region_keys,
				     dts__codes_region_keys_n, key);
		if (row < 0) {
			if ((k = by_digits(key, n)) < 0)
				return dts__code_notfound("region", key);
			row = dts__code_row_of(dts__codes_region,
					       dts__codes_region_n,
					       region_code((dts_region_kind)k));
		}
	} else if ((row = find_name(key)) < 0) {
		return dts__code_notfound("region", key);
	}
	if (out)
		*out = dts__codes_region[row].code;
	if (kind)
		*kind = (dts_region_kind)dts__codes_region[row].aux;
	return 0;
}
