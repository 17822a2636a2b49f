/*
 * dts/category.h — the fixed top of the category tree (DESIGN §1,
 * docs/classification.md §1).
 *
 * Every classifier shares the same top: six top codes, which every
 * declared leaf starts with ("TECH.CLOUD" is a leaf of TECH), and three
 * aggregates that sum top codes:
 *
 *   DT  数字贸易      = DO + DD
 *   DO  数字订购贸易  = CBEC
 *   DD  数字交付贸易  = TECH + SERV + PROD + DATA
 *   NONE 非数字贸易 is in no aggregate.
 *
 * A record is classified into a top code or a leaf, never into an
 * aggregate; the cube counts it in the aggregates above it too (dts/cube.h).
 * The canonical order of the nine fixed codes, used by every output, is
 * DT DO CBEC DD TECH SERV PROD DATA NONE (each aggregate before its parts,
 * each top code followed by its leaves). The strings returned here are
 * static: never freed, valid for the life of the program. Every function
 * is thread-safe and allocates nothing.
 */
#ifndef DTS_CATEGORY_H
#define DTS_CATEGORY_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Facts about one category of a rule set (dts_rules_category()): a fixed
 * top code or a leaf the classifier declares. The strings are owned by
 * the rule set and live as long as it.
 */
typedef struct dts_category_info {
	const char *code; /**< "TECH.CLOUD", "NONE" */
	const char *top;  /**< "TECH" */
	const char *zh;   /**< Chinese name, or "" */
	const char *en;   /**< English name, or "" */
} dts_category_info;

/** Number of top codes: CBEC TECH SERV PROD DATA NONE. */
#define DTS_CATEGORY_TOPS 6
/** Number of aggregates: DT DO DD. */
#define DTS_CATEGORY_AGGREGATES 3
/** Number of fixed codes (tops and aggregates), the ranks 0..8. */
#define DTS_CATEGORY_FIXED 9

/**
 * The i-th top code in the classifier's order: CBEC, TECH, SERV, PROD,
 * DATA, NONE for i = 0..5; NULL when i >= DTS_CATEGORY_TOPS, so
 * `for (i = 0; (c = dts_category_top(i)); i++)` walks them. This is also
 * their order in the canonical order (and in dts_rules_category()).
 */
DTS_API const char *dts_category_top(size_t i);

/**
 * The i-th aggregate: DT, DO, DD for i = 0..2; NULL when
 * i >= DTS_CATEGORY_AGGREGATES.
 */
DTS_API const char *dts_category_aggregate(size_t i);

/**
 * The fixed code of rank i in the canonical order: DT, DO, CBEC, DD, TECH,
 * SERV, PROD, DATA, NONE for i = 0..8; NULL when i >= DTS_CATEGORY_FIXED.
 * dts_category_rank(dts_category_fixed(i)) == i.
 */
DTS_API const char *dts_category_fixed(size_t i);

/**
 * Sort rank of a category code in the canonical order, as used by
 * dts_cube_foreach(): DT 0, DO 1, CBEC 2, DD 3, TECH 4, SERV 5, PROD 6,
 * DATA 7, NONE 8, anything else 9. A leaf ranks as the code before its
 * first '.' ("TECH.CLOUD" is 4). `code` must not be NULL.
 */
DTS_API int dts_category_rank(const char *code);

/**
 * Is `code` an aggregate (DT, DO, DD)? Returns 1 or 0. Summing a category
 * dimension over every key double counts; sum the five top codes and
 * NONE, or use DT + NONE.
 */
DTS_API int dts_category_is_aggregate(const char *code);

/**
 * The index (0..5, as dts_category_top()) of the top code that `code`
 * starts with: the code itself when it is a top code, the part before the
 * first '.' for a leaf ("SERV.IP" is 2). DTS_ENOTFOUND for anything else
 * (aggregates, "", "TECHX", "cloud"). Checks only the top: whether a leaf
 * is declared is a question for the rule set (dts_rules_find_category()).
 * `code` must not be NULL.
 */
DTS_API int dts_category_top_index(const char *code);

/**
 * The code a fixed code or leaf is counted under, one level up: CBEC -> DO;
 * TECH, SERV, PROD, DATA -> DD; DO, DD -> DT; a leaf -> its top code
 * ("TECH.CLOUD" -> "TECH"); NULL for DT, NONE and codes that start with no
 * top code. Following it to NULL lists every row a record of that code is
 * counted in (the cube's roll-up). `code` must not be NULL.
 */
DTS_API const char *dts_category_parent(const char *code);

/**
 * The Chinese name of a fixed code ("TECH" -> "数字技术贸易", "DT" ->
 * "数字贸易"), UTF-8, or NULL when `code` is not one of the nine (leaf
 * names come from the classifier: dts_rules_category()).
 */
DTS_API const char *dts_category_name_zh(const char *code);

/**
 * The English name of a fixed code ("TECH" -> "Digital technology trade",
 * "DD" -> "Digitally delivered trade"), or NULL when `code` is not one of
 * the nine.
 */
DTS_API const char *dts_category_name_en(const char *code);

#ifdef __cplusplus
}
#endif
#endif
