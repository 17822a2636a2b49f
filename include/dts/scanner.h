/*
 * dts/scanner.h — classifying records with a compiled rule set.
 *
 * A scanner holds one thread's scratch: PCRE2 match data, normalised field
 * buffers and candidate lists. Create one per thread; it allocates nothing
 * per record once it has seen the longest field.
 */
#ifndef DTS_SCANNER_H
#define DTS_SCANNER_H

#include <stdio.h>

#include "common.h"
#include "field.h"   /* dts_value */
#include "rules.h"
#include "binding.h" /* dts_binding_*, once declared here */

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dts_scanner dts_scanner;

/** Goods or services trade: the record's base (DESIGN §1). */
typedef enum dts_base {
	DTS_BASE_UNKNOWN = 0,
	DTS_BASE_GOODS = 1,
	DTS_BASE_SERVICES = 2
} dts_base;

/** "goods", "services" or "" for DTS_BASE_UNKNOWN. */
DTS_API const char *dts_base_name(dts_base base);

/** The classification of one record. Strings are owned by the rule set. */
typedef struct dts_result {
	const char *category; /**< winning category code, "NONE" when no rule matched */
	const char *rule;     /**< winning rule id, "" when no rule matched */
	int category_index;   /**< index for dts_rules_category() */
	int rule_index;       /**< index for dts_rules_rule(), -1 when none */
	dts_base base;        /**< set by the rule, else DTS_BASE_UNKNOWN */
	unsigned char ordered, delivered, platform; /**< 0 or 1 */
} dts_result;

/** Scanner flags. */
#define DTS_SCAN_NO_PREFILTER 0x1u /**< try every rule on every record (reference path) */
/**
 * The caller guarantees every value is valid UTF-8 (dts_csv validates every
 * field; libxml2 every XML text), so the scanner skips its own check.
 * Passing invalid UTF-8 with this flag is undefined behaviour.
 */
#define DTS_SCAN_VALID_UTF8 0x2u
/**
 * Do not ask the classifier's <model> (docs/rule-language.md "<model>"):
 * the rules' result alone, as dts_rules_test() checks the examples and
 * scripts/model-cv.py scores "rules". Without it a record no rule decides
 * is given to the model.
 */
#define DTS_SCAN_NO_MODEL 0x4u

/**
 * Create a scanner for `rules`. The rule set must outlive the scanner.
 * Errors: DTS_ENOMEM, DTS_EINVAL. Thread-safe; the scanner itself must be
 * used by one thread at a time.
 */
DTS_API int dts_scanner_new(dts_scanner **out, const dts_rules *rules,
			    unsigned flags);

/** Free a scanner. NULL is a no-op. */
DTS_API void dts_scanner_free(dts_scanner *scanner);

/**
 * Classify one record given as field values. A field given twice takes the
 * later value; fields not given are empty. Each value is checked for valid
 * UTF-8 (unless DTS_SCAN_VALID_UTF8) and normalised (dts_field_normalize)
 * before any rule sees it; fields no rule reads are not normalised.
 *
 * Returns 0 with *out filled; DTS_EINPUT when a value is not valid UTF-8
 * (the error names the field and byte offset; *out is NONE);
 * DTS_ELIMIT when a regex hit its PCRE2 match limit (*out is the result
 * with that regex counted as not matching; the error names the rule);
 * DTS_ENOMEM; DTS_EINVAL for a bad field number.
 */
DTS_API int dts_scanner_classify(dts_result *out, dts_scanner *scanner,
				 const dts_value *values, size_t nvalues);

/** Why one rule matched (dts_scanner_explain). */
typedef struct dts_match {
	int rule_index;
	const char *rule;
	const char *category;
	int priority;
	const char *file;
	unsigned line;
	const char *why;  /**< the leaves that matched, e.g.
			       "prefix(ebops_code \"SI2\") on \"SI22\"; regex(description) found \"云服务\"";
			       valid during the callback */
	int winner;       /**< 1 for the rule that decides the result */
} dts_match;

typedef int (*dts_match_cb)(const dts_match *match, void *payload);

/**
 * Classify like dts_scanner_classify() and call `cb` for every rule that
 * matches the record, in winning order, without the prefilter. A non-zero
 * return from cb stops the walk (and is returned); *out is then the winner's
 * result before the combining step, and dts_scanner_evidence() reads as
 * before any record. Slow: for tools and
 * debugging, not batches.
 */
DTS_API int dts_scanner_explain(dts_result *out, dts_scanner *scanner,
				const dts_value *values, size_t nvalues,
				dts_match_cb cb, void *payload);

/**
 * dts_scanner_explain() as the text `dts-rules explain` prints, to `f`:
 * "record: FIELD=VALUE ..." (canonical field names); for each matching
 * rule, in winning order, "* RULE -> CATEGORY  priority P  FILE:LINE"
 * ('*' the winner, ' ' the others) and the leaves that matched on the
 * next line, indented; "  no rule matches" when none does; then
 * "result: CATEGORY  rule RULE  base BASE  ordered O  delivered D
 * platform P" on one line ("-" for no rule, no base). Lines are written
 * as they come, so a failure leaves those before it.
 *
 * Returns 0; DTS_EIO (a write failed: the system's reason), DTS_ENOMEM,
 * DTS_EINVAL (NULL argument), or dts_scanner_explain()'s errors. The
 * scanner's thread rules (one thread at a time).
 */
DTS_API int dts_scanner_explain_text(dts_scanner *scanner, const dts_value *values,
				     size_t nvalues, FILE *f);

/**
 * Like dts_scanner_explain_text(), handing each line to `cb`; a non-zero
 * return from cb stops and is returned unchanged.
 */
DTS_API int dts_scanner_explain_text_cb(dts_scanner *scanner,
					const dts_value *values, size_t nvalues,
					dts_write_cb cb, void *payload);

/** How a record was delivered, from the delivery-dimension rules. */
typedef enum dts_delivery_evidence {
	DTS_DELIVERY_NONE = 0,     /**< no rule says */
	DTS_DELIVERY_DIGITAL = 1,  /**< over networks: remote, online, files sent */
	DTS_DELIVERY_ONSITE = 2,   /**< in person: the supplier's people or the customer travel */
	DTS_DELIVERY_PHYSICAL = 3, /**< a physical carrier or goods */
	DTS_DELIVERY_MIXED = 4     /**< both: remote and in-person delivery stated */
} dts_delivery_evidence;

/** How a record was ordered, from the ordered-dimension rules. */
typedef enum dts_order_evidence {
	DTS_ORDER_NONE = 0,      /**< no rule says */
	DTS_ORDER_PLATFORM = 1,  /**< through a digital platform */
	DTS_ORDER_ONLINE = 2,    /**< online (web shop, e-mail order), no platform named */
	DTS_ORDER_OFFLINE = 3    /**< offline */
} dts_order_evidence;

#define DTS_EVIDENCE_VERSION 1

/**
 * The three dimensions of the record a scanner classified last and the
 * combining step that turned them into its result (docs/classification.md
 * §2 "Dimensions and the combining table"). Set `version` to
 * DTS_EVIDENCE_VERSION; fields may be added at the end with the version
 * bumped. Rule indexes are as dts_rules_rule() counts, -1 for none.
 * Strings are owned by the rule set (or are static), except a combine
 * text that quotes the record (a fuzzy-term reading), which the scanner
 * owns until its next record.
 */
typedef struct dts_evidence {
	unsigned version;     /**< DTS_EVIDENCE_VERSION, set by the caller */
	int sold_rule;        /**< the category rule that won (= the result's rule_index) */
	int text_rule;        /**< the category rule the text alone gives (the record
				   with its product codes blanked), looked up only when
				   the winner's review is "code-only"; -1 otherwise */
	int delivery_rule;    /**< winning delivery-dimension rule, or -1 */
	int ordered_rule;     /**< winning ordered-dimension rule, or -1 */
	int deliverable_rule; /**< winning deliverable-dimension rule, or -1 */
	int delivery;         /**< dts_delivery_evidence */
	int ordered;          /**< dts_order_evidence */
	unsigned char deliverable; /**< 1: the code group is digitally deliverable
				   (MOFCOM 可数字化交付: EBOPS SF..SK, or a digital
				   category when no code says), 0 not */
	const char *review;   /**< why the result is to be checked by hand after the
				   combining step ("code-only", "code-text-disagree",
				   "delivery-conflict", "flow-mode-conflict",
				   "fuzzy-term": decided by reading a one-character
				   typo of a rule's term, see docs/rule-language.md
				   "Typos", ...), NULL when confident */
	const char *combine;  /**< the combining row that applied, in words ("" when
				   none changed the winner's result) */
} dts_evidence;

/**
 * The dimensions and combining step of the record `scanner` last
 * classified (dts_scanner_classify, _classify_row, _explain), copied to
 * *out. The result of that call already carries the combined flags
 * (ordered, platform); this says why, and gives the final review reason
 * and deliverable. dts_scanner_classify looks a dimension up only when the
 * combining table needs it (delivery: a code-only or digitally delivered
 * result; ordered: goods not yet ordered; deliverable: always), so the
 * others read DTS_*_NONE with rule -1; dts_scanner_explain looks up all
 * three. Before any record, and after a record the scanner refused
 * (invalid UTF-8), rules are -1, the rest 0 / NULL / "".
 * Returns 0, DTS_EINVAL (NULL argument, or out->version not a known
 * DTS_EVIDENCE_VERSION). The scanner's thread rules; strings are owned by
 * the rule set or static, a fuzzy-term combine text by the scanner (valid
 * until its next record).
 */
DTS_API int dts_scanner_evidence(dts_evidence *out, const dts_scanner *scanner);

/** Counters since the scanner was created (for benchmarks and tests). */
typedef struct dts_scanner_stats {
	uint64_t records;     /**< records classified */
	uint64_t candidates;  /**< rules evaluated in full */
	uint64_t regex_runs;  /**< PCRE2 matches run */
	uint64_t limit_hits;  /**< regex runs stopped by the match limit */
} dts_scanner_stats;

DTS_API void dts_scanner_stats_get(dts_scanner_stats *out,
				   const dts_scanner *scanner);

/**
 * Classify one row: cols[i] (lens[i] bytes) is column i. Same results and
 * errors as dts_scanner_classify(). Rows shorter than the header leave the
 * missing columns empty.
 */
DTS_API int dts_scanner_classify_row(dts_result *out, dts_scanner *scanner,
				     const dts_binding *binding,
				     const char *const *cols,
				     const size_t *lens, size_t ncols);

#ifdef __cplusplus
}
#endif
#endif
