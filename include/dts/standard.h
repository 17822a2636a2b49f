/*
 * dts/standard.h — the classification standard as a publication, generated
 * from the compiled rule set (docs/classification.md is its output).
 *
 * A classifier holds, besides its categories and rules, what a published
 * standard says in words: a definition of every category in Chinese and
 * English (the definition-zh and definition-en attributes of <category>), and a trailing
 * <standard> block with the evidence bands, strongest first (<band>), and
 * the boundary decisions (<decision>: question, answer, reason, sources,
 * and where the decision differs from MOFCOM, the Handbook or NBS 2021).
 * dts_rules_compile() reads them; the functions below return them and
 * write the standard: the category tree with codes, names and
 * definitions, the rules that place a record in each category with their
 * sources, concordance tables made by running the classifier on each code
 * alone, the bands, the decisions and the rules' examples.
 *
 * Strings returned are owned by the rule set and live as long as it.
 * Every function only reads the rule set: any number of threads may call
 * them on one rule set at once.
 */
#ifndef DTS_STANDARD_H
#define DTS_STANDARD_H

#include <stdio.h>

#include "common.h"
#include "rules.h"
#include "table.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The definition of category `index` (as dts_rules_category() counts) in
 * language `lang` ("zh" or "en"): the definition-zh or definition-en text, "" when the
 * classifier gives none. NULL when `rules` or `lang` is NULL, `lang` is
 * neither "zh" nor "en", or the index is out of range.
 */
DTS_API const char *dts_rules_category_definition(const dts_rules *rules,
						  size_t index,
						  const char *lang);

/** One evidence band of the standard (<band>). */
typedef struct dts_band_info {
	const char *priority; /**< the band's priorities as written: "1000", "826-848" */
	const char *evidence; /**< what evidence the band's rules read */
	const char *result;   /**< the category they give */
	const char *reason;   /**< why the evidence has this strength */
} dts_band_info;

/** Number of bands (0 when `rules` is NULL or declares none). */
DTS_API size_t dts_rules_band_count(const dts_rules *rules);

/** Band `index`, in written order (strongest first). DTS_EINVAL when out of range. */
DTS_API int dts_rules_band(dts_band_info *out, const dts_rules *rules,
			   size_t index);

/** Where a decision differs from another basis (<differs from="...">). */
typedef struct dts_differs {
	const char *from; /**< "MOFCOM", "Handbook", "NBS 2021" ... */
	const char *text; /**< how it differs, and why */
} dts_differs;

/** One boundary decision of the standard (<decision>). */
typedef struct dts_decision_info {
	const char *id;        /**< "D1" ... */
	const char *question;  /**< the case */
	const char *answer;    /**< the decision */
	const char *reason;    /**< why */
	const char *const *sources; /**< nsources >= 1 source texts */
	size_t nsources;
	const dts_differs *differs; /**< ndiffers differences from other bases */
	size_t ndiffers;
	const char *file;      /**< classifier file */
	unsigned line;         /**< line of the <decision> */
} dts_decision_info;

/** Number of boundary decisions (0 when `rules` is NULL). */
DTS_API size_t dts_rules_decision_count(const dts_rules *rules);

/** Decision `index`, in written order. DTS_EINVAL when out of range. */
DTS_API int dts_rules_decision(dts_decision_info *out, const dts_rules *rules,
			       size_t index);

/** Bits of dts_source_cites(). */
#define DTS_CITE_EDITION 0x1u /**< names an edition or year ("2nd ed.", "Ver. 2.1", "2010", "2020年第75号") */
#define DTS_CITE_PLACE 0x2u   /**< names a place in it (§, ch., Annex, table, row, a code, a plan item 二(一)7) */

/**
 * What a source text names, as DTS_CITE_* bits: a source is a full
 * citation when the result is DTS_CITE_EDITION | DTS_CITE_PLACE. A
 * heuristic on the text (docs/classification.md preface says what
 * counts). 0 for NULL. Allocates nothing; thread-safe.
 */
DTS_API unsigned dts_source_cites(const char *source);

/** Concordance tables (dts_standard_concordance()). Append only. */
typedef enum dts_concordance {
	DTS_CONC_EBOPS = 1,    /**< EBOPS 2010: every code of the BOP list's mapping and every code a rule names */
	DTS_CONC_CPC = 2,      /**< CPC 2.1: the codes the rules name */
	DTS_CONC_INDUSTRY = 3, /**< GB/T 4754-2017 and ISIC Rev.4: the codes the rules name */
	DTS_CONC_CUSTOMS = 4,  /**< customs supervision modes alone, then the modes the rules name x HS chapter (every HS 2022 chapter when the rules name none) */
	DTS_CONC_NBS = 5       /**< NBS 2021 classes the rules' sources cite */
} dts_concordance;

/**
 * Build concordance table `which` by classifying each code alone with
 * the compiled rule set. Columns: system, code, name (the code's name
 * where the library has one), record (the fields classified, "f=v f=v",
 * as dts-rules explain takes them; for DTS_CONC_NBS the rule's first
 * example), category, rule (the winning rule), source (its <source>).
 * Every row is true of the rule set: classifying `record` alone gives
 * `category` (for NBS rows, the cited rule's example does). Rows are in
 * code order. On success *out owns a new table (dts_table_free()).
 * Errors: DTS_EINVAL (unknown `which`, NULL argument), DTS_ENOMEM.
 */
DTS_API int dts_standard_concordance(dts_table **out, const dts_rules *rules,
				     int which);

/** Formats of dts_standard_write(). */
typedef enum dts_standard_format {
	DTS_STANDARD_MD = 1,   /**< Markdown (docs/classification.md) */
	DTS_STANDARD_HTML = 2, /**< one HTML page */
	DTS_STANDARD_CSV = 3,  /**< every concordance table in one CSV, a `system` column apart */
	DTS_STANDARD_XLSX = 4  /**< a workbook: categories, each concordance, decisions (needs a path) */
} dts_standard_format;

/**
 * The format named `name`: "md", "html", "csv" or "xlsx"; DTS_ENOTFOUND
 * with a message listing them.
 */
DTS_API int dts_standard_format_parse(const char *name);

/**
 * Write the standard of `rules` in `format` (MD, HTML or CSV) to cb.
 * Deterministic: the same rule set gives the same bytes. Errors:
 * DTS_EINVAL (unknown format, DTS_STANDARD_XLSX: use
 * dts_standard_write_xlsx()), DTS_ENOMEM, or the callback's non-zero
 * return (writing stops).
 */
DTS_API int dts_standard_write_cb(const dts_rules *rules, int format,
				  dts_write_cb cb, void *payload);
/** As dts_standard_write_cb(), to a stream; DTS_EIO when a write fails. */
DTS_API int dts_standard_write(const dts_rules *rules, int format, FILE *f);

/**
 * The standard as an Excel workbook at `path` (created or replaced):
 * sheets "categories", "ebops", "cpc", "industry", "customs", "nbs",
 * "decisions". Errors as dts_table_write_xlsx() (DTS_EIO, DTS_ERROR
 * without xlsx support), DTS_ENOMEM.
 */
DTS_API int dts_standard_write_xlsx(const dts_rules *rules, const char *path);

#ifdef __cplusplus
}
#endif
#endif
