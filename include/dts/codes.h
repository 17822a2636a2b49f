/*
 * dts/codes.h — code lists: customs trade modes, statistical trade modes,
 * SAFE BOP transaction codes, countries, Hangzhou districts.
 *
 * Bureau files write the same thing in several schemes: a trade mode as
 * 1210 or 保税电商, a partner as 502 (customs), US, USA or 美国, a district
 * as 330104 (before 2021), 上城区 or the customs area code 33019. These
 * functions map each to one canonical code, from code lists kept as CSV
 * files in data/codes/ and compiled into the library at build time (no
 * file is read at run time). docs/codes.md gives each list's source and
 * edition, and what is mapped and what is not.
 *
 * Input: `len` bytes at `in` (need not be NUL-terminated), normalised the
 * way code fields are (dts_field_normalize() with a code field: full-width
 * ASCII and the ideographic space fold, blanks, '.', '-', '_', '/' go,
 * ASCII upper-cased), so "ｕｓ", " us " and "U.S" look up the same; names
 * compare after the same folding ("保税电商", "United States").
 *
 * Output: *out is set to a static string (never freed, valid for the
 * life of the program); on failure *out is left untouched.
 *
 * Errors: DTS_EINVAL when out (or another out-parameter) is NULL or
 * in is NULL with len > 0; DTS_ENOTFOUND when the input is not in the
 * list (message: "LIST: 'INPUT' not found"); DTS_EINPUT when the input
 * is ambiguous (said below where it can be). Nothing is allocated; every
 * function is thread-safe (const tables, bsearch).
 */
#ifndef DTS_CODES_H
#define DTS_CODES_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The code lists, for dts_code_at(), dts_code_name(), dts_code_source().
 * The numbering is part of the ABI: append only. */
typedef enum dts_code_list {
	DTS_CODES_TRADE_MODE = 0, /**< customs supervision modes (监管方式), 4 digits */
	DTS_CODES_TRADE_MODE_STAT, /**< customs statistical trade modes (贸易方式), 2 digits */
	DTS_CODES_BOP,            /**< SAFE 国际收支交易编码, services (2xxxxx) */
	DTS_CODES_COUNTRY,        /**< ISO 3166-1 alpha-2 countries and territories */
	DTS_CODES_CUSTOMS_COUNTRY, /**< customs 国别（地区）代码, 3 digits */
	DTS_CODES_REGION,         /**< canonical Hangzhou regions (districts, 3301, OUTSIDE) */
	DTS_CODES_CUSTOMS_AREA,   /**< customs 境内目的地/货源地 area codes, 5 digits (Hangzhou) */
	DTS_CODES_LISTS           /**< number of lists */
} dts_code_list;

/**
 * Entry i of a list, in code order: *code and *name (the official Chinese
 * name; either out-parameter may be NULL) set to static strings. Returns
 * 0, DTS_ENOTFOUND when i is past the end (so `for (i = 0;
 * dts_code_at(&c, &n, list, i) == 0; i++)` walks a list), DTS_EINVAL for
 * a list out of range. Thread-safe.
 */
DTS_API int dts_code_at(const char **code, const char **name,
			dts_code_list list, size_t i);

/**
 * The official Chinese name of the canonical code `code` (exactly as
 * dts_code_at() or a lookup returns it: "1210", "10", "227000", "US",
 * "502", "330102", "3301", "OUTSIDE", "33019") in `list`, or NULL when
 * it is not in the list. Static; thread-safe.
 */
DTS_API const char *dts_code_name(dts_code_list list, const char *code);

/**
 * The source of a list, one line: document, edition, table ("海关总署
 * 监管方式代码表 (…), as of …"). NULL for a list out of range. Static.
 */
DTS_API const char *dts_code_source(dts_code_list list);

/* ---- trade modes -------------------------------------------------------- */

/**
 * A customs supervision mode (监管方式代码, the 4-digit code of the
 * declaration's 监管方式 box) from its code ("1210"), its official name
 * (保税跨境贸易电子商务) or a common short name (保税电商, 跨境电商 = 9610,
 * 一般贸易 = 0110) -> *out = the 4-digit code. Three digits are read with
 * the leading zero a spreadsheet drops ("110" = "0110"). Source: GACC
 * 监管方式代码表 (docs/codes.md). A 2-digit statistical code is NOT
 * accepted here (it names a group of modes, see
 * dts_code_trade_mode_stat()). Errors as above.
 */
DTS_API int dts_code_trade_mode(const char **out, const char *in,
				size_t len);

/**
 * A customs statistical trade mode (海关统计 贸易方式, 2 digits, the scheme
 * of customs statistics exports: 10 一般贸易, 14 来料加工装配贸易, 15 进料加工
 * 贸易, 33 保税监管场所进出境货物, 39 其他 …) from its code or name ->
 * *out = the 2-digit code. The statistical code of a supervision mode is
 * its last two digits (0110, 1210, 9610, 9710, 9810 -> 10; 1039, 1239 ->
 * 39): one statistical mode aggregates several supervision modes, so
 * cross-border e-commerce cannot be told apart from other trade in this
 * scheme (see dts_code_trade_mode_stat_cbec(), docs/codes.md). Errors as
 * above.
 */
DTS_API int dts_code_trade_mode_stat(const char **out, const char *in,
				     size_t len);

/**
 * The statistical trade mode a supervision mode (code or name, as
 * dts_code_trade_mode() accepts) is counted under -> *out = the 2-digit
 * code ("9610" -> "10"). Errors as dts_code_trade_mode().
 */
DTS_API int dts_code_trade_mode_stat_of(const char **out, const char *in,
					size_t len);

/**
 * Can records of the statistical trade mode `code` (2 digits, canonical)
 * include cross-border e-commerce (the supervision modes 9610 9710 9810
 * 1210 1239, docs/codes.md)? Returns 1 (some of its
 * supervision modes are e-commerce: 10 and 39; such records may or may
 * not be e-commerce and cannot be split), 0 (none are), or DTS_ENOTFOUND
 * when `code` is not a statistical trade mode. Thread-safe.
 */
DTS_API int dts_code_trade_mode_stat_cbec(const char *code);

/* ---- balance of payments ------------------------------------------------ */

/**
 * A SAFE 国际收支交易编码 (the 6-digit transaction code of the 涉外收付款
 * 申报单; services are 2xxxxx) -> *out = its EBOPS 2010 code ("SI2"), as in
 * ../shared ebops2010.csv, from the concordance in data/codes/ (source in
 * docs/codes.md). DTS_ENOTFOUND when the code is not a services code of
 * the list, or when it is but no EBOPS item corresponds to it (the
 * message says which; dts_code_name(DTS_CODES_BOP, code) tells the two
 * apart). Nothing is guessed from the code's digits.
 */
DTS_API int dts_code_bop_ebops(const char **out, const char *in, size_t len);

/* ---- countries ---------------------------------------------------------- */

/** Which scheme a numeric country code is read in. */
typedef enum dts_code_scheme {
	DTS_SCHEME_ANY = 0,  /**< letters and names; digits in the scheme where they are unambiguous */
	DTS_SCHEME_ISO,      /**< digits are ISO 3166-1 numeric ("840", "36" = "036") */
	DTS_SCHEME_CUSTOMS   /**< digits are China Customs 国别（地区）代码 ("502") */
} dts_code_scheme;

/**
 * A country or territory -> *out = its ISO 3166-1 alpha-2 code ("US").
 * Accepted in every scheme: alpha-2, alpha-3 ("USA"), English names
 * (official and short: "United States of America", "United States"),
 * Chinese names (official and common short: 美国, 美利坚合众国, 英国,
 * 韩国, 香港, 中国香港, 台湾, 中国台湾 …). Digits: with DTS_SCHEME_ISO an ISO
 * numeric code, with DTS_SCHEME_CUSTOMS a customs 3-digit code (110 HK,
 * 116 JP, 133 KR, 142 CN, 303 GB, 304 DE, 305 FR, 502 US, 601 AU …),
 * with DTS_SCHEME_ANY whichever of the two knows the code — and
 * DTS_EINPUT ("country: '116' is customs JP but ISO KH; name the scheme")
 * when both know it as different countries. Sources: datasets/country-
 * codes (ISO 3166-1, UNTERM Chinese names) and the GACC country table
 * (docs/codes.md). A scheme out of range is DTS_EINVAL.
 */
DTS_API int dts_code_country(const char **out, dts_code_scheme scheme,
			     const char *in, size_t len);

/* ---- domestic regions (Hangzhou) ---------------------------------------- */

/** The three outcomes of a region lookup, kept apart. */
typedef enum dts_region_kind {
	DTS_REGION_DISTRICT = 0, /**< a current Hangzhou district: "330102" … */
	DTS_REGION_HANGZHOU,     /**< Hangzhou, district unknown: "3301" 杭州市（区县不详） */
	DTS_REGION_OUTSIDE       /**< outside Hangzhou: "OUTSIDE" 杭州市以外 */
} dts_region_kind;

/**
 * A domestic region -> *out = its canonical region code and *kind
 * (either out-parameter may be NULL, not both):
 *   - a current county-level code (NBS 2023) or name of a Hangzhou
 *     district or county ("330102", "上城区", "上城") -> that district;
 *   - a pre-2021 Hangzhou code or name (国务院 2021 re-division: 330103
 *     下城区 -> 330105 拱墅区, 330104 江干区 -> 330102 上城区; 余杭区 330110
 *     keeps its code although 临平区 330113 was split from it; 杭州经济技术
 *     开发区/大江东 -> 330114 钱塘区; docs/codes.md says how each is mapped);
 *   - a customs 5-digit domestic area code (境内目的地/境内货源地, 33011 …)
 *     -> the district it names, or 3301 when it names none (33019 杭州其他);
 *   - 3301, 330100, 杭州, 杭州市 -> 3301 (DTS_REGION_HANGZHOU);
 *   - another unlisted 6-digit 3301xx or 5-digit 3301x code -> 3301;
 *   - a county-level code (NBS 2023, by its first four digits) or city
 *     code of another city, a customs area code of another province or
 *     Zhejiang city, a county name of another city -> "OUTSIDE";
 *   - a customs area code 33xxx whose first four digits are no city (a
 *     county-level city's own code, 33179 江山) is DTS_ENOTFOUND: it can
 *     not be placed.
 * Names are read as Hangzhou's first (西湖区 is also a district of
 * 南昌): a county name of another city maps to OUTSIDE only when no
 * Hangzhou district has it. Unknown input is DTS_ENOTFOUND.
 */
DTS_API int dts_code_region(const char **out, dts_region_kind *kind,
			    const char *in, size_t len);

#ifdef __cplusplus
}
#endif

#endif
