/*
 * dts/common.h — versions, result codes, errors and export macros.
 *
 * Every public function returns 0 on success or a negative DTS_E* code,
 * except the ones listed below. When a call fails, the details (message
 * and, for rule files, file:line:column) are kept per thread and read with
 * dts_error_last(). Nothing in the library prints or exits.
 *
 * Exceptions: functions whose result is not "0 or a negative DTS_E*".
 * This is the one list (docs/abi.md repeats it; the `returns` test keeps
 * both equal and complete). Those marked (0.1.0) are in the released ABI
 * and keep their meaning until a soname bump; the others came later, and
 * a name not declared yet is one a branch in progress adds.
 *
 *   1 with a record, 0 at the end, else a negative DTS_E* code:
 *     dts_csv_next (0.1.0), dts_ceb_next (0.1.0), dts_source_next,
 *     dts_xlsx_next
 *   an index, a level or an enum value (>= 0), else a negative DTS_E*
 *   code:
 *     dts_field_lookup (0.1.0), dts_field_alias (0.1.0),
 *     dts_rules_find_category (0.1.0), dts_cube_find_dim (0.1.0),
 *     dts_period_level_parse (0.1.0), dts_category_top_index,
 *     dts_report_find, dts_table_format_parse, dts_agg_unit_parse,
 *     dts_status_parse, dts_cube_status, dts_table_status,
 *     dts_period_grain_parse, dts_period_cell_parse, dts_report_by_parse,
 *     dts_code_trade_mode_stat_cbec (1 or 0), dts_rules_rule_dimension
 *   a length written (>= 0), else a negative DTS_E* code:
 *     dts_money_format (0.1.0), dts_amount_format (0.1.0), dts_period_key
 *     (0.1.0), dts_amount_percent, dts_recon_amount_format,
 *     dts_recon_money_format, dts_period_span_key, dts_period_cell_key
 *   a column or field index, or -1 for "none" (not an error; nothing is
 *   recorded):
 *     dts_binding_field (0.1.0), dts_binding_column (0.1.0)
 *   1 or 0 (true or false):
 *     dts_utf8_valid (0.1.0), dts_category_is_aggregate (0.1.0),
 *     dts_cube_is_partial (0.1.0), dts_table_col_numeric,
 *     dts_recon_tolerance_within, dts_source_same_columns,
 *     dts_report_targets_compared, dts_report_comparable, dts_cube_contributions,
 *     dts_cube_is_binary
 *   a value that is never an error:
 *     dts_amount_cmp (0.1.0): -1, 0 or 1; dts_flow_parse (0.1.0): 'X', 'M'
 *     or 0; dts_category_rank (0.1.0): 0..9; dts_version_number: the
 *     version as a number; dts_table_unit_mult: a power of ten
 *   not an int: counts and sizes (size_t, uint64_t; int64_t with -1 for
 *   unknown):
 *     dts_csv_header (0.1.0), dts_csv_input_size (0.1.0), dts_cube_ndims
 *     (0.1.0), dts_cube_count (0.1.0), dts_rates_count (0.1.0),
 *     dts_rules_count (0.1.0), dts_rules_category_count (0.1.0),
 *     dts_binding_values (0.1.0), dts_source_header, dts_source_size,
 *     dts_xlsx_sheets,
 *     dts_agg_records, dts_agg_rejects, dts_agg_classified,
 *     dts_recon_category_count, dts_recon_cbec_columns,
 *     dts_recon_key_count, dts_recon_totals_dims, dts_report_count, dts_report_years,
 *     dts_table_nrows, dts_table_ncols, dts_table_ndims, dts_cube_ninputs,
 *     dts_binding_ncols, dts_binding_fields, dts_rules_fields,
 *     dts_profile_builtin_names, dts_source_skipped,
 *     dts_suppress_count, dts_suppress_count_conf, dts_suppress_nrelations,
 *     dts_report_overlap_count, dts_rules_band_count, dts_rules_decision_count,
 *     dts_model_class_count, dts_model_feature_count
 *   not an int: names and pointers owned by the library (NULL or "" when
 *   there is none, as each function says):
 *     dts_error_last (0.1.0), dts_error_format (0.1.0), dts_version
 *     (0.1.0), dts_strerror (0.1.0), dts_ceb_get (0.1.0), dts_cube_dim
 *     (0.1.0), dts_cube_currency (0.1.0), dts_field_name (0.1.0),
 *     dts_rules_id (0.1.0), dts_rules_version (0.1.0), dts_rules_rule_review, dts_model_class, dts_base_name
 *     (0.1.0), dts_gen_kind_name, dts_lint_kind_name, dts_source_name, dts_source_binding,
 *     dts_source_ceb_record, dts_xlsx_sheet, dts_agg_cube,
 *     dts_category_top, dts_category_aggregate, dts_category_fixed,
 *     dts_category_parent, dts_category_name_zh, dts_category_name_en,
 *     dts_recon_bucket_name, dts_recon_cbec_check_name, dts_recon_key,
 *     dts_cube_classifier, dts_cube_vintage, dts_cube_ids, dts_status_name,
 *     dts_status_obs,
 *     dts_report_indicator, dts_table_cell, dts_table_col_name,
 *     dts_table_col_id, dts_table_title, dts_table_dataflow,
 *     dts_table_unit, dts_code_name, dts_code_source,
 *     dts_binding_column_name, dts_csv_encoding, dts_source_encoding,
 *     dts_profile_name, dts_profile_title, dts_source_profile,
 *     dts_rules_category_definition, dts_report_indicator_text,
 *     dts_conf_code, dts_report_basis
 *   not an int: other values:
 *     dts_amount_to_double (0.1.0): a double, for display only;
 *     dts_field_kind_of (0.1.0): a dts_field_kind; dts_source_format: a
 *     dts_format; dts_source_separator: a char; dts_recon_bucket_compare,
 *     dts_recon_compare, dts_source_cites: an unsigned bit mask
 *
 * Functions returning void never fail (or are destructors).
 */
#ifndef DTS_COMMON_H
#define DTS_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "dts/version.h" /* generated: DTS_VERSION_* and DTS_VERSION_CHECK */

#ifdef __cplusplus
extern "C" {
#endif

#if defined(DTS_BUILDING) && defined(__GNUC__)
#define DTS_API __attribute__((visibility("default")))
#else
#define DTS_API
#endif

/** Result codes. 0 is success; every error is negative. */
enum dts_code {
	DTS_OK = 0,
	DTS_ERROR = -1,     /**< generic failure (see the message) */
	DTS_ENOMEM = -2,    /**< out of memory */
	DTS_EINVAL = -3,    /**< invalid argument from the caller */
	DTS_ENOTFOUND = -4, /**< a name, field, category or rule not found */
	DTS_EIO = -5,       /**< a file could not be opened, read or written */
	DTS_ESYNTAX = -6,   /**< a rule file is malformed (file:line:col set) */
	DTS_EINPUT = -7,    /**< an input record or value is malformed */
	DTS_ELIMIT = -8,    /**< a size, depth or PCRE2 match limit was hit */
	DTS_EOVERFLOW = -9, /**< an exact sum or product would overflow */
	DTS_EEXISTS = -10,  /**< a duplicate (rule id, key, category) */
	DTS_ETEST = -11,    /**< a classifier example failed */
	/**
	 * Reserved for callbacks: a callback that wants a walk, a batch or a
	 * reconciliation to stop returns DTS_EUSER (or any value of its own
	 * below it), and the library returns that value unchanged. No libdts
	 * function ever returns DTS_EUSER or anything below it by itself, so a
	 * caller can tell "my callback stopped it" from a library error.
	 */
	DTS_EUSER = -1000
};

/**
 * Where a writer sends its bytes when not to a FILE *: called with `len`
 * bytes at `data` (valid during the call only) and the caller's payload.
 * Return 0 to go on; any other value stops the writer, which returns that
 * value unchanged (use DTS_EUSER or below for your own codes).
 */
typedef int (*dts_write_cb)(const void *data, size_t len, void *payload);

/** Details of the last failure in the calling thread. */
typedef struct dts_error {
	int code;           /**< the DTS_E* code returned */
	char message[1024]; /**< what is wrong, in words */
	char file[512];     /**< file the error is about, or "" */
	unsigned line;      /**< 1-based line in file, or 0 */
	unsigned column;    /**< 1-based column in file, or 0 */
} dts_error;

/**
 * The last error recorded in this thread, or NULL when there is none.
 * The pointer stays valid in this thread until the next libdts call that
 * fails or until dts_error_clear(). Thread-safe: each thread has its own.
 */
DTS_API const dts_error *dts_error_last(void);

/** Forget the calling thread's last error. Thread-safe. */
DTS_API void dts_error_clear(void);

/**
 * Format the last error as "file:line:col: message" (or just the message
 * when no file is known) into buf, truncating to size. Returns buf, or ""
 * when there is no error. Thread-safe.
 */
DTS_API const char *dts_error_format(char *buf, size_t size);

/**
 * The version of the library the program runs with, e.g. "0.1.0"; the
 * headers' is DTS_VERSION_STRING (dts/version.h). Static storage.
 * Thread-safe.
 */
DTS_API const char *dts_version(void);

/**
 * The running library's version as one number, major << 16 | minor << 8 |
 * patch (0x000100 for 0.1.0), to compare with DTS_VERSION_NUMBER: a program
 * built against newer headers than the library it runs with can refuse to
 * go on. Thread-safe. Never fails; one of the non-negative results listed
 * at the top of this header.
 */
DTS_API int dts_version_number(void);

/** A short English name for a DTS_E* code ("out of memory"). */
DTS_API const char *dts_strerror(int code);

#ifdef __cplusplus
}
#endif
#endif
