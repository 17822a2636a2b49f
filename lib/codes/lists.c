/*
 * lists.c — the code lists as a whole: walking them, names by code,
 * sources; and the helpers every lookup shares (normalising the input
 * the way code fields are normalised, bsearch over the compiled tables).
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "codes_int.h"

typedef struct code_list {
	const dts__code_row *rows;
	const size_t *n;
	const char *source;
} code_list;

/* Indexed by dts_code_list; docs/codes.md says the same at more length. */
static const code_list lists[DTS_CODES_LISTS] = {
	[DTS_CODES_TRADE_MODE] = {dts__codes_trade_mode, &dts__codes_trade_mode_n,
		"海关总署 监管方式代码表 (customs supervision modes, 简称 and 全称); "
		"CBEC modes from 海关总署公告2014年第12号, 第57号, 2016年第75号, 2020年第75号"},
	[DTS_CODES_TRADE_MODE_STAT] = {dts__codes_stat, &dts__codes_stat_n,
		"海关统计 贸易方式 (customs statistics trade modes), the last two "
		"digits of the supervision mode code; names as published in customs "
		"statistics tables (e.g. 广州统计年鉴 2022, 表15-3)"},
	[DTS_CODES_BOP] = {dts__codes_bop, &dts__codes_bop_n,
		"国家外汇管理局 涉外收支交易分类与代码（2014版） and 附件3 新旧交易代码"
		"对照表; 2010-table codes as named in banks' published guidance; "
		"services codes whose item was verified, to EBOPS 2010 (MSITS 2010 "
		"Annex I)"},
	[DTS_CODES_COUNTRY] = {dts__codes_country, &dts__codes_country_n,
		"ISO 3166-1 via datasets/country-codes (ODC-PDDL-1.0): alpha-2, "
		"alpha-3, numeric, UNTERM Chinese and English names"},
	[DTS_CODES_CUSTOMS_COUNTRY] = {dts__codes_customs_country,
		&dts__codes_customs_country_n,
		"海关总署 国别（地区）代码表 (3-digit customs country codes)"},
	[DTS_CODES_REGION] = {dts__codes_region, &dts__codes_region_n,
		"国家统计局 统计用区划代码 2023 (Hangzhou, city 3301), 国务院 2021 "
		"批复 of the Hangzhou re-division; 3301 and OUTSIDE are libdts's"},
	[DTS_CODES_CUSTOMS_AREA] = {dts__codes_customs_area,
		&dts__codes_customs_area_n,
		"海关总署 国内地区代码表 (境内目的地/境内货源地), Hangzhou's codes"},
};

int dts_code_at(const char **code, const char **name, dts_code_list list,
		size_t i)
{
	const dts__code_row *r;

	if ((unsigned)list >= DTS_CODES_LISTS)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "code list %d out of range", (int)list);
	if (i >= *lists[list].n)
		return DTS_ENOTFOUND; /* the end of a walk, not a failure */
	r = &lists[list].rows[i];
	if (code)
		*code = r->code;
	if (name)
		*name = r->name;
	return 0;
}

const char *dts_code_name(dts_code_list list, const char *code)
{
	int row;

	if ((unsigned)list >= DTS_CODES_LISTS || !code)
		return NULL;
	row = dts__code_row_of(lists[list].rows, *lists[list].n, code);
	return row < 0 ? NULL : lists[list].rows[row].name;
}

const char *dts_code_source(dts_code_list list)
{
	return (unsigned)list < DTS_CODES_LISTS ? lists[list].source : NULL;
}

/* ---- shared by the lookups ------------------------------------------------ */

int dts__code_key_of(char *key, size_t *n, const char *what, const char *in,
		     size_t len)
{
	if (!in && len > 0)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "%s: no input", what);
	if (len >= DTS__CODE_MAX)
		return dts__error(DTS_ENOTFOUND, NULL, 0, 0,
				  "%s: input of %zu bytes is in no list", what,
				  len);
	/* The one normalisation of code fields (lib/record/field.c). */
	return dts_field_normalize(key, DTS__CODE_MAX, n, DTS_F_TRADE_MODE,
				   in ? in : "", len);
}

static int key_cmp(const void *k, const void *e)
{
	return strcmp(k, ((const dts__code_key *)e)->key);
}

int dts__code_find(const dts__code_key *keys, size_t n, const char *key)
{
	const dts__code_key *k = bsearch(key, keys, n, sizeof(*keys), key_cmp);

	return k ? k->row : -1;
}

static int row_cmp(const void *k, const void *e)
{
	return strcmp(k, ((const dts__code_row *)e)->code);
}

int dts__code_row_of(const dts__code_row *rows, size_t n, const char *code)
{
	const dts__code_row *r = bsearch(code, rows, n, sizeof(*rows), row_cmp);

	return r ? (int)(r - rows) : -1;
}

int dts__code_notfound(const char *what, const char *key)
{
	size_t n = strlen(key);

	if (n > 80) { /* cut on a character boundary: messages stay UTF-8 */
		n = 80;
		while (n > 0 && ((unsigned char)key[n] & 0xC0) == 0x80)
			n--;
	}
	return dts__error(DTS_ENOTFOUND, NULL, 0, 0, "%s: '%.*s' not found",
			  what, (int)n, key);
}

int dts__code_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return n > 0;
}
