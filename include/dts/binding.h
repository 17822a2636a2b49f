/*
 * dts/binding.h — the columns of a table bound to canonical fields.
 *
 * A reader binds the column headers of a file (a CSV header) to fields
 * once, through dts_field_alias() and the caller's overrides; rows are
 * then read by position: checked (dts_record_check), classified
 * (dts_scanner_classify_row) or passed through.
 *
 * A binding also says what it did, for the run's report: which column
 * binds which field and which columns none (dts_binding_describe for
 * people, dts_binding_json for the summary), and whether the input gives
 * a classifier anything to read (dts_binding_check against
 * dts_rules_fields): a file none of whose columns binds a field the
 * classifier reads would come out all NONE, and is refused instead.
 */
#ifndef DTS_BINDING_H
#define DTS_BINDING_H

#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "field.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dts_binding dts_binding;

/**
 * Bind `ncols` header names. Each header binds to a field through
 * dts_field_alias(); `map` holds overrides as "COLUMN=FIELD" strings
 * (FIELD "-" unbinds a column). Columns bound to no field pass through.
 * When two columns bind to one field the first wins, unless a map entry
 * names the column. The names are read, not kept. On success *out owns
 * a new binding (dts_binding_free). Errors: DTS_EINVAL (the caller's map
 * is wrong: a malformed entry, or one naming a column the header lacks or
 * an unknown field), DTS_ENOMEM. Thread-safe.
 */
DTS_API int dts_binding_new(dts_binding **out, const char *const *header,
			    size_t ncols, const char *const *map, size_t nmap);

/** Free a binding. NULL is a no-op. */
DTS_API void dts_binding_free(dts_binding *binding);

/*
 * A binding is immutable once made: the functions below only read it, so
 * many threads may share one (each with its own scanner).
 */

/** Field bound to column `col`, or -1 when none (or col out of range). */
DTS_API int dts_binding_field(const dts_binding *binding, size_t col);

/** Column bound to `field`, or -1 when none. */
DTS_API int dts_binding_column(const dts_binding *binding, int field);

/**
 * Gather the bound fields of one row into out[0..DTS_F_COUNT-1] as field
 * values (pointing into cols); returns how many. For callers that check or
 * inspect values before classifying (dts_record_check). Thread-safe.
 */
DTS_API size_t dts_binding_values(dts_value *out, const dts_binding *binding,
				  const char *const *cols, const size_t *lens,
				  size_t ncols);

/**
 * The fields that decide a category when a classifier reads them: the
 * description and the codes (hs_code, ebops_code, bop_code, cpc_code,
 * industry_code, trade_mode), as a bit set of DTS_F_* (1 << f). An input
 * that leaves one of these unbound while the classifier reads it is
 * classified on less evidence than the classifier expects:
 * dts_binding_check() reports it.
 */
#define DTS_BINDING_DECISIVE                                                     \
	((UINT64_C(1) << DTS_F_DESCRIPTION) | (UINT64_C(1) << DTS_F_HS_CODE) |    \
	 (UINT64_C(1) << DTS_F_EBOPS_CODE) | (UINT64_C(1) << DTS_F_BOP_CODE) |    \
	 (UINT64_C(1) << DTS_F_CPC_CODE) | (UINT64_C(1) << DTS_F_INDUSTRY_CODE) | \
	 (UINT64_C(1) << DTS_F_TRADE_MODE))

/** Number of columns the binding was made for (0 for NULL). */
DTS_API size_t dts_binding_ncols(const dts_binding *binding);

/**
 * Name of column `col` as the header gave it (copied by
 * dts_binding_new(), owned by the binding), or NULL when col is out of
 * range or binding is NULL.
 */
DTS_API const char *dts_binding_column_name(const dts_binding *binding,
					    size_t col);

/** The fields bound to some column, as a bit set (1 << DTS_F_*). */
DTS_API uint64_t dts_binding_fields(const dts_binding *binding);

/**
 * The binding for people, one line, columns in header order:
 *   "商品编码→hs_code, 监管方式→trade_mode; unbound: 备注"
 * ("none" when no column binds, then the unbound; "; unbound: ..." is left out
 * when every column binds). A column name is written as it is, except
 * that control characters become '?'. On success *out owns a
 * NUL-terminated string (free() it). Errors: DTS_EINVAL (NULL out or
 * binding), DTS_ENOMEM. Thread-safe.
 */
DTS_API int dts_binding_describe(char **out, const dts_binding *binding);

/**
 * The binding as a JSON object, columns in header order:
 *   {"bound":{"商品编码":"hs_code","监管方式":"trade_mode"},"unbound":["备注"]}
 * (strings escaped as JSON; no white space). *out owns the string
 * (free() it). Errors as dts_binding_describe().
 */
DTS_API int dts_binding_json(char **out, const dts_binding *binding);

/**
 * Does this input give a classifier that reads `fields`
 * (dts_rules_fields()) anything to decide on? Returns 0 when at least
 * one column binds to one of `fields`, with *missing (may be NULL) set to
 * the decisive evidence (DTS_BINDING_DECISIVE) among `fields` the input
 * lacks: the description when no column binds it, and the codes (hs_code,
 * ebops_code, bop_code, cpc_code, industry_code, trade_mode) when none of
 * them binds — a goods file with HS codes lacks no EBOPS code. The caller
 * warns about those. DTS_EINPUT when no column
 * binds to any of `fields` — every record would be NONE for want of
 * evidence — with the message naming the input (`name`, may be NULL) and
 * listing its columns: "no column binds to a field the classifier reads
 * (columns: 订单号, 金额)". DTS_EINVAL for a NULL binding. Thread-safe.
 */
DTS_API int dts_binding_check(uint64_t *missing, const dts_binding *binding,
			      uint64_t fields, const char *name);

#ifdef __cplusplus
}
#endif
#endif
