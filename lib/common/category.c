/*
 * category.c — the fixed top of the category tree (dts/category.h): the
 * one list of top codes and aggregates, their canonical order and names.
 * The rule compiler (rules/rules.c), the cube (stats/cube.c) and every
 * tool read it from here.
 */
#include <string.h>

#include "internal.h"

/*
 * Canonical order (the rank); `top` is the index among the top codes, -1
 * for an aggregate; `parent` the rank of the code one level up, -1 none.
 */
static const struct fixed {
	const char *code, *zh, *en;
	int top, parent;
} fixed[DTS_CATEGORY_FIXED] = {
	{"DT", "数字贸易", "Digital trade", -1, -1},
	{"DO", "数字订购贸易", "Digitally ordered trade", -1, 0},
	{"CBEC", "跨境电商", "Cross-border e-commerce", 0, 1},
	{"DD", "数字交付贸易", "Digitally delivered trade", -1, 0},
	{"TECH", "数字技术贸易", "Digital technology trade", 1, 3},
	{"SERV", "数字服务贸易", "Digital services trade", 2, 3},
	{"PROD", "数字产品贸易", "Digital products trade", 3, 3},
	{"DATA", "数据贸易", "Data trade", 4, 3},
	{"NONE", "非数字贸易", "Not digital trade", 5, -1},
};

/* Ranks of the top codes, in top order; of the aggregates. */
static const unsigned char top_rank[DTS_CATEGORY_TOPS] = {2, 4, 5, 6, 7, 8};
static const unsigned char agg_rank[DTS_CATEGORY_AGGREGATES] = {0, 1, 3};

const char *dts_category_top(size_t i)
{
	return i < DTS_CATEGORY_TOPS ? fixed[top_rank[i]].code : NULL;
}

const char *dts_category_aggregate(size_t i)
{
	return i < DTS_CATEGORY_AGGREGATES ? fixed[agg_rank[i]].code : NULL;
}

const char *dts_category_fixed(size_t i)
{
	return i < DTS_CATEGORY_FIXED ? fixed[i].code : NULL;
}

/* Rank of the len bytes at code, DTS_CATEGORY_FIXED when not fixed. */
static int rank_of(const char *code, size_t len)
{
	for (int i = 0; i < DTS_CATEGORY_FIXED; i++)
		if (strlen(fixed[i].code) == len &&
		    memcmp(fixed[i].code, code, len) == 0)
			return i;
	return DTS_CATEGORY_FIXED;
}

int dts_category_rank(const char *code)
{
	return rank_of(code, strcspn(code, "."));
}

int dts_category_is_aggregate(const char *code)
{
	int r = rank_of(code, strlen(code));

	return r < DTS_CATEGORY_FIXED && fixed[r].top < 0;
}

int dts_category_top_index(const char *code)
{
	int r = dts_category_rank(code);

	return r < DTS_CATEGORY_FIXED && fixed[r].top >= 0 ? fixed[r].top :
							       DTS_ENOTFOUND;
}

const char *dts_category_parent(const char *code)
{
	size_t top = strcspn(code, ".");
	int r = rank_of(code, top);

	if (r == DTS_CATEGORY_FIXED)
		return NULL;
	if (code[top] == '.')
		return fixed[r].top >= 0 ? fixed[r].code : NULL;
	return fixed[r].parent >= 0 ? fixed[fixed[r].parent].code : NULL;
}

const char *dts_category_name_zh(const char *code)
{
	int r = rank_of(code, strlen(code));

	return r < DTS_CATEGORY_FIXED ? fixed[r].zh : NULL;
}

const char *dts_category_name_en(const char *code)
{
	int r = rank_of(code, strlen(code));

	return r < DTS_CATEGORY_FIXED ? fixed[r].en : NULL;
}
