/*
 * dts/rules.h — classifier files compiled into an immutable rule set.
 *
 * A classifier is an XML file in the libdts rule language (docs/rule-language.md),
 * validated against classifiers/dts-classifier.rng. dts_rules_compile() reads
 * one or more of them, checks them, and builds the indexes the scanner uses.
 * The result is immutable: any number of threads may share one dts_rules,
 * each with its own dts_scanner (dts/scanner.h).
 */
#ifndef DTS_RULES_H
#define DTS_RULES_H

#include "common.h"
#include "category.h" /* dts_category_info, the fixed top codes */

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dts_rules dts_rules;

/** Options for dts_rules_compile(). Initialise with DTS_RULES_OPTIONS_INIT. */
typedef struct dts_rules_options {
	unsigned version;      /**< DTS_RULES_OPTIONS_VERSION */
	uint32_t match_limit;  /**< PCRE2 match limit per regex run; 0 = default (1,000,000) */
	uint32_t depth_limit;  /**< PCRE2 depth limit; 0 = default (10,000) */
	size_t max_file_size;  /**< largest classifier or list file; 0 = default (64 MiB) */
	unsigned flags;        /**< DTS_RULES_* flags below */
	/**
	 * Directory list files are read from (version 2). NULL: the folder
	 * of the classifier file (for dts_rules_compile_buffer, its
	 * `basedir`). A <list file="..."> must name a file inside it: a
	 * relative path without "..", with no symbolic link at any step, to
	 * a regular file; anything else is refused (DTS_EIO). A service that
	 * checks uploaded classifiers points this at its vetted lists.
	 */
	const char *list_dir;
} dts_rules_options;

#define DTS_RULES_OPTIONS_VERSION 2
#define DTS_RULES_OPTIONS_INIT { DTS_RULES_OPTIONS_VERSION, 0, 0, 0, 0, NULL }

/** Skip RELAX NG validation (the compiler still checks everything it uses). */
#define DTS_RULES_NO_SCHEMA 0x1u
/** Do not JIT-compile regexes (slower; for debugging and differential tests). */
#define DTS_RULES_NO_JIT 0x2u

/**
 * Compile the classifier files `paths[0..npaths-1]` into one rule set.
 * Rules from later files come after rules of earlier files in the
 * "first written" tie-break order. Rule ids must be unique across files;
 * categories may be declared in any of the files.
 *
 * The schema is looked up next to each file (dts-classifier.rng), then in
 * the installed data directory; DTS_RULES_NO_SCHEMA skips it.
 *
 * On success *out owns a new rule set (free with dts_rules_free()).
 * Errors: DTS_EIO (a file cannot be read), DTS_ESYNTAX (malformed XML,
 * schema violation, unknown field or category, bad regex, duplicate rule
 * id, DTD or external entity), DTS_ELIMIT (file too large or too deep),
 * DTS_ENOMEM. The error names file:line:column.
 * Thread-safe (no shared state); opts may be NULL.
 */
DTS_API int dts_rules_compile(dts_rules **out, const char *const *paths,
			      size_t npaths, const dts_rules_options *opts);

/**
 * Compile one classifier held in memory. `name` is used in error messages
 * and `basedir` resolves list files (NULL: the current directory).
 * Same errors as dts_rules_compile().
 */
DTS_API int dts_rules_compile_buffer(dts_rules **out, const char *name,
				     const char *basedir, const char *xml,
				     size_t len, const dts_rules_options *opts);

/** Free a rule set. NULL is a no-op. No scanner may still use it. */
DTS_API void dts_rules_free(dts_rules *rules);

/** Number of rules. Thread-safe. */
DTS_API size_t dts_rules_count(const dts_rules *rules);

/** Facts about one rule; strings are owned by the rule set. */
typedef struct dts_rule_info {
	const char *id;        /**< rule id */
	const char *category;  /**< category code it assigns */
	int priority;          /**< larger wins */
	const char *file;      /**< classifier file */
	unsigned line;         /**< line of the <rule> element */
	const char *source;    /**< the <source> text, or "" */
	int base;              /**< dts_base it sets, or -1 when it sets none */
	int ordered, delivered, platform; /**< 1 yes, 0 no, -1 not set */
	int indexed;           /**< 1 when the prefilter selects it, 0 when it is tried on every record */
} dts_rule_info;

/**
 * Describe rule `index` (0 .. count-1, in winning order: priority
 * descending, then written order). DTS_EINVAL when out of range.
 */
DTS_API int dts_rules_rule(dts_rule_info *out, const dts_rules *rules,
			   size_t index);

/**
 * The review reason of rule `index` (as dts_rules_rule() counts, or a
 * dts_result's rule_index): the rule's review="..." attribute, which says
 * why a result it decides should be checked by hand ("code-only": a
 * deliverable code and nothing on how it was delivered; "enterprise-code":
 * only the reporting enterprise's industry; "no-leaf": digital, the kind
 * unknown), or NULL when its results need no review. Index -1 (no rule
 * matched, category NONE) gives "no-evidence". NULL when `rules` is NULL
 * or the index is out of range. The string is owned by the rule set.
 * Thread-safe.
 */
DTS_API const char *dts_rules_rule_review(const dts_rules *rules, int index);

/**
 * The dimension a rule decides (docs/rule-language.md "Dimensions"): a
 * rule without a dimension attribute decides what was sold, and so the
 * category (DTS_DIM_SOLD); dimension="delivery", "ordered" and
 * "deliverable" rules give evidence on one dimension only, are decided
 * independently of the category contest (the highest-priority match of
 * each dimension wins it) and are combined with the category by the
 * scanner's combining table (dts_scanner_evidence(), dts/scanner.h).
 */
typedef enum dts_dimension {
	DTS_DIM_SOLD = 0,        /**< what was sold: the category rules */
	DTS_DIM_DELIVERY = 1,    /**< how it was delivered (dts_delivery_evidence) */
	DTS_DIM_ORDERED = 2,     /**< how it was ordered (dts_order_evidence) */
	DTS_DIM_DELIVERABLE = 3  /**< whether its code group is digitally deliverable */
} dts_dimension;

/**
 * The dimension of rule `index` (winning order, as dts_rules_rule()), or
 * DTS_EINVAL when `rules` is NULL or the index is out of range.
 * Thread-safe.
 */
DTS_API int dts_rules_rule_dimension(const dts_rules *rules, size_t index);

/** Number of declared categories (including the fixed top codes). */
DTS_API size_t dts_rules_category_count(const dts_rules *rules);

/**
 * Describe category `index` (dts_category_info, dts/category.h): the six
 * top codes come first, in dts_category_top() order, then the declared
 * leaves. DTS_EINVAL when out of range.
 */
DTS_API int dts_rules_category(dts_category_info *out, const dts_rules *rules,
			       size_t index);

/** Index of category `code`, or DTS_ENOTFOUND. */
DTS_API int dts_rules_find_category(const dts_rules *rules, const char *code);

/** Identifier and version of the first classifier file ("cn-digital-trade", "2025.1"). */
DTS_API const char *dts_rules_id(const dts_rules *rules);
DTS_API const char *dts_rules_version(const dts_rules *rules);

/**
 * The canonical fields some rule of `rules` reads, as a bit set: bit f
 * (1 << f) for field f (DTS_F_*, dts/field.h). What a record must carry
 * for the classifier to decide anything; dts_binding_check() compares it
 * with an input's columns. 0 for NULL. Thread-safe.
 */
DTS_API uint64_t dts_rules_fields(const dts_rules *rules);

struct dts_model; /* dts/model.h */

/** The classifier's <model> element (docs/rule-language.md "<model>"). */
typedef struct dts_rules_model_info {
	const char *id;       /**< the model's id, named in results as their rule */
	const char *src;      /**< the model file as written (relative to the classifier) */
	const char *file;     /**< the classifier file holding the element */
	unsigned line;        /**< its line */
	double min_prob;      /**< a decision needs this probability or more */
	const char *when;     /**< the for="..." cases ("no-evidence" by default) */
	const struct dts_model *model; /**< the loaded model, owned by the rule set */
} dts_rules_model_info;

/**
 * The rule set's model. Returns 0 with *out filled; DTS_ENOTFOUND when the
 * classifier declares none (no error is set); DTS_EINVAL for NULL.
 * Strings are owned by the rule set. Thread-safe.
 */
DTS_API int dts_rules_model(dts_rules_model_info *out, const dts_rules *rules);

/** Lint findings (dts_rules_lint). */
typedef enum dts_lint_kind {
	DTS_LINT_UNINDEXED = 1, /**< rule has no selective leaf: tried on every record */
	DTS_LINT_NO_ATOM,       /**< regex with no literal atom */
	DTS_LINT_SHADOWED,      /**< a higher-priority rule always matches first */
	DTS_LINT_NO_EXAMPLE,    /**< rule has no <example> */
	DTS_LINT_UNUSED_CATEGORY, /**< declared category no rule assigns */
	DTS_LINT_REGEX_LIMIT    /**< a regex stops at the PCRE2 limits on one of its rule's examples */
} dts_lint_kind;

/**
 * The short name of a lint kind, as `dts-rules check` prints it in
 * brackets: "unindexed", "no-atom", "shadowed", "no-example",
 * "unused-category", "regex-limit"; "lint" for any other value. A static
 * string; never fails. Thread-safe.
 */
DTS_API const char *dts_lint_kind_name(dts_lint_kind kind);

typedef struct dts_lint {
	dts_lint_kind kind;
	const char *rule;   /**< rule id ("" for category findings) */
	const char *file;
	unsigned line;
	const char *message; /**< readable sentence; valid during the callback */
} dts_lint;

typedef int (*dts_lint_cb)(const dts_lint *finding, void *payload);

/**
 * Report lint findings in rule order. A non-zero return from `cb` stops
 * the walk and is returned. Returns 0 when done. Thread-safe.
 */
DTS_API int dts_rules_lint(const dts_rules *rules, dts_lint_cb cb,
			   void *payload);

/** One failing example (dts_rules_test). */
typedef struct dts_example_failure {
	const char *rule;      /**< rule holding the example */
	const char *file;
	unsigned line;         /**< line of the <example> */
	const char *expected;  /**< expected category */
	const char *got;       /**< category the rule set gave */
	const char *got_rule;  /**< rule that won, or "" */
	const char *record;    /**< the example's fields as "f=v f=v" */
} dts_example_failure;

typedef int (*dts_example_cb)(const dts_example_failure *f, void *payload);

/**
 * Classify every <example> of every rule with the whole rule set and
 * compare with its `expect`. Calls `cb` for each failure (cb may be NULL).
 * *ntotal and *nfailed receive the counts (either may be NULL).
 * Returns 0 when all pass, DTS_ETEST when some failed, or another error.
 * Thread-safe.
 */
DTS_API int dts_rules_test(size_t *ntotal, size_t *nfailed,
			   const dts_rules *rules, dts_example_cb cb,
			   void *payload);

#ifdef __cplusplus
}
#endif
#endif
