/*
 * dts/field.h — the canonical record fields and their normalisation.
 *
 * A record is a set of named text fields (DESIGN §2). Rules and tools name
 * fields by these canonical names; input files may use aliases (English and
 * Chinese headers), resolved by dts_field_alias().
 */
#ifndef DTS_FIELD_H
#define DTS_FIELD_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Canonical fields. The numbering is part of the ABI: append only. */
typedef enum dts_field {
	DTS_F_ID = 0,        /**< record identifier                     text */
	DTS_F_SOURCE,        /**< customs, cbec, bop, contract, survey   text */
	DTS_F_FLOW,          /**< X export, M import (aliases folded)    flow */
	DTS_F_PERIOD,        /**< date or month                          text */
	DTS_F_HS_CODE,       /**< HS commodity code                      code */
	DTS_F_EBOPS_CODE,    /**< EBOPS 2010 code                        code */
	DTS_F_BOP_CODE,      /**< national BOP transaction code          code */
	DTS_F_CPC_CODE,      /**< CPC 2.1                                code */
	DTS_F_INDUSTRY_CODE, /**< GB/T 4754 or ISIC                      code */
	DTS_F_TRADE_MODE,    /**< customs supervision mode (监管方式)    code */
	DTS_F_DESCRIPTION,   /**< goods or service description           text */
	DTS_F_COUNTERPART,   /**< partner country or region              code */
	DTS_F_REGION,        /**< domestic region code                   code */
	DTS_F_ENTERPRISE_ID, /**< unified social credit code             code */
	DTS_F_PLATFORM,      /**< platform code                          code */
	DTS_F_CHANNEL,       /**< online, platform, offline              text */
	DTS_F_DELIVERY,      /**< digital, physical                      text */
	DTS_F_VALUE,         /**< amount, decimal string                 amount */
	DTS_F_CURRENCY,      /**< ISO 4217 or customs code (142 = CNY)   code */
	DTS_F_COUNT          /**< number of canonical fields */
} dts_field;

/** How a field is normalised before matching. */
typedef enum dts_field_kind {
	DTS_KIND_TEXT = 0, /**< full-width folded, trimmed */
	DTS_KIND_CODE,     /**< folded, '.' '-' '_' '/' blanks removed, upper-cased */
	DTS_KIND_FLOW,     /**< folded to "X" or "M" when an alias is known */
	DTS_KIND_AMOUNT    /**< decimal amount; folded and trimmed as text */
} dts_field_kind;

/**
 * The field whose canonical name is `name` ("hs_code"), or DTS_ENOTFOUND.
 * Case-sensitive; aliases are not accepted here (rules use canonical names).
 */
DTS_API int dts_field_lookup(const char *name);

/**
 * The field an input column header stands for: a canonical name, or a
 * built-in alias such as "商品编码", "监管方式", "HS code", "Trade mode",
 * "进出口", "币制", "金额". Leading/trailing spaces and a UTF-8 BOM are
 * ignored; full-width ASCII folds; ASCII letters compare caseless; a run
 * of ' ', '_', '-' counts as one '_' ("HS Code" == "hs_code").
 * Reads exactly `len` bytes. DTS_ENOTFOUND when unknown. Thread-safe.
 */
DTS_API int dts_field_alias(const char *header, size_t len);

/** Canonical name of a field ("hs_code"), or NULL when out of range. */
DTS_API const char *dts_field_name(int field);

/** Normalisation kind of a field; DTS_KIND_TEXT when out of range. */
DTS_API dts_field_kind dts_field_kind_of(int field);

/**
 * Normalise `len` bytes of `in` as a value of `field` into `out` (capacity
 * `cap`, NUL-terminated). Writes the normalised length to *outlen (which
 * may be NULL). Full-width ASCII (U+FF01..U+FF5E) and the ideographic space
 * fold to ASCII, then ASCII blanks are trimmed at both ends; code fields
 * also drop '.', '-', '_', '/' and every ASCII blank, and upper-case ASCII;
 * a flow that is a known alias (see dts_flow_parse()) becomes "X"/"M",
 * any other flow stays as folded text. A field out of range is treated
 * as text. The output is never longer than the input. Bytes that are not
 * valid UTF-8 are copied as they are (see dts_utf8_valid()).
 * Returns 0, or DTS_EINVAL when cap < len + 1. Thread-safe.
 */
DTS_API int dts_field_normalize(char *out, size_t cap, size_t *outlen,
				int field, const char *in, size_t len);

/**
 * Fold a flow value to 'X' (export) or 'M' (import), or 0 when it is not
 * a known flow alias. After folding and trimming, caseless:
 * X for x e export exports exp credit receipt receipts 出口 出 收入 收;
 * M for m i import imports imp debit payment payments 进口 进 進口 進 (traditional) 支出 支.
 * Digits are never guessed (UN Comtrade's 1 = import, 2 = export; other
 * sources differ): a reader that knows its source maps them. Thread-safe.
 */
DTS_API int dts_flow_parse(const char *in, size_t len);

/**
 * Check that `len` bytes are valid UTF-8 (no overlongs, no surrogates,
 * nothing above U+10FFFF, no truncated sequence). Returns 1 when valid
 * (*bad_at untouched); 0 otherwise, with the byte offset where the first
 * ill-formed sequence starts in *bad_at when bad_at is not NULL ("ab\xC3"
 * gives 2). NUL bytes are valid. Thread-safe.
 */
DTS_API int dts_utf8_valid(const char *s, size_t len, size_t *bad_at);

/**
 * One field value of a record, as the scanner, the checks and the
 * readers pass it. The bytes are borrowed, never owned; they need not be
 * NUL-terminated.
 */
typedef struct dts_value {
	int field;        /**< a dts_field */
	const char *data; /**< bytes, UTF-8 */
	size_t len;
} dts_value;

/**
 * One value written FIELD=VALUE (`dts-rules explain hs_code=8471`): FIELD
 * is a canonical name or an alias (dts_field_alias), VALUE everything
 * after the first '='. out->data points into `arg`, which must outlive
 * it. Errors: DTS_EINVAL "'ARG' is not FIELD=VALUE" (no '='), DTS_ENOTFOUND
 * "unknown field 'FIELD'", DTS_ENOMEM; *out is untouched then.
 * Thread-safe.
 */
DTS_API int dts_value_parse(dts_value *out, const char *arg);

#ifdef __cplusplus
}
#endif

#include "record.h" /* dts_record_check, once declared here */
#endif
