/*
 * dts/model.h — a statistical classifier behind the rules (issue 14).
 *
 * A naive Bayes text-and-code model learnt from labelled records
 * (docs/classification.md "The model behind the rules"). It decides a
 * leaf category from the features of a record as the scanner sees it
 * after normalisation (traditional to simplified, NFKC-style folding,
 * lower case): CJK character bigrams and trigrams of the description,
 * Latin words and word pairs, code prefixes (EBOPS 2 and 3 characters,
 * HS chapter and heading, customs mode, GB/T 4754 division), source,
 * flow, channel and delivery words.
 *
 * The model file is text (docs/rule-language.md "The model file"):
 * counts, not weights, so that training writes the same bytes from the
 * same inputs on every machine; the loader turns them into weights. A
 * classifier uses it through <model src="..."/> (the scanner consults it
 * only for records the rules leave undecided). A loaded model is
 * immutable: any number of threads may share it.
 */
#ifndef DTS_MODEL_H
#define DTS_MODEL_H

#include "common.h"
#include "field.h" /* dts_value */

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dts_model dts_model;
typedef struct dts_model_trainer dts_model_trainer;

/** The most classes a model may have. */
#define DTS_MODEL_MAX_CLASSES 64

/** Naive Bayes variants (the model file's "kind" line). */
typedef enum dts_model_kind {
	DTS_MODEL_MNB = 1, /**< multinomial naive Bayes */
	DTS_MODEL_CNB = 2  /**< complement naive Bayes (Rennie et al. 2003) */
} dts_model_kind;

/** Training options. Initialise with DTS_MODEL_TRAIN_OPTIONS_INIT. */
typedef struct dts_model_train_options {
	unsigned version;     /**< DTS_MODEL_TRAIN_OPTIONS_VERSION */
	int kind;             /**< dts_model_kind; 0 = DTS_MODEL_CNB (the better by
				   cross-validation, docs/evaluation.md §17) */
	unsigned min_count;   /**< keep features seen at least this often; 0 = 2 */
	unsigned min_records; /**< ... in at least this many records; 0 = 2 */
	unsigned alpha_milli; /**< additive smoothing in thousandths; 0 = 300 */
} dts_model_train_options;

#define DTS_MODEL_TRAIN_OPTIONS_VERSION 1
#define DTS_MODEL_TRAIN_OPTIONS_INIT { DTS_MODEL_TRAIN_OPTIONS_VERSION, 0, 0, 0, 0 }

/**
 * A new trainer. Errors: DTS_EINVAL (bad options), DTS_ENOMEM. opts may
 * be NULL. Thread-safe; the trainer is used by one thread at a time.
 */
DTS_API int dts_model_trainer_new(dts_model_trainer **out,
				  const dts_model_train_options *opts);

/** Free a trainer. NULL is a no-op. */
DTS_API void dts_model_trainer_free(dts_model_trainer *t);

/**
 * Add one labelled record: its field values (normalised here as the
 * scanner normalises them) and its category `label` (a leaf such as
 * "TECH.SOFTWARE", or a top code). Errors: DTS_EINVAL (NULL argument, an
 * empty label or one with blanks, a bad field number), DTS_EINPUT
 * (invalid UTF-8; the error names the field), DTS_ELIMIT (more than
 * DTS_MODEL_MAX_CLASSES labels), DTS_ENOMEM.
 */
DTS_API int dts_model_trainer_add(dts_model_trainer *t, const dts_value *values,
				  size_t nvalues, const char *label);

/**
 * Write the model learnt so far (docs/rule-language.md "The model file")
 * to `cb`. The same records, in any order, give the same bytes.
 * Returns 0; DTS_EINVAL (no record added), DTS_ENOMEM, or a non-zero
 * return of cb unchanged.
 */
DTS_API int dts_model_trainer_write(dts_model_trainer *t, dts_write_cb cb,
				    void *payload);

/**
 * Load a model file. Errors name path:line: DTS_EIO (unreadable),
 * DTS_ESYNTAX (not a model file, a bad line, an unknown version, counts
 * out of range, features out of order or repeated), DTS_ELIMIT (too many
 * classes, a file over 256 MiB), DTS_ENOMEM. Thread-safe.
 */
DTS_API int dts_model_load(dts_model **out, const char *path);

/** Load a model held in memory; `name` is used in errors. Same errors. */
DTS_API int dts_model_load_buffer(dts_model **out, const char *name,
				  const char *text, size_t len);

/** Free a model. NULL is a no-op. No scanner may still use it. */
DTS_API void dts_model_free(dts_model *m);

/** Number of classes, and class `i`'s code (NULL when out of range). */
DTS_API size_t dts_model_class_count(const dts_model *m);
DTS_API const char *dts_model_class(const dts_model *m, size_t i);

/** Number of features the model keeps. */
DTS_API size_t dts_model_feature_count(const dts_model *m);

/** How many ranked classes and weighing features a prediction carries. */
#define DTS_MODEL_TOP 3
#define DTS_MODEL_WHY 5

/** One prediction (dts_model_predict). Strings are owned by the model. */
typedef struct dts_model_prediction {
	size_t nclasses;                   /**< ranked classes given (<= DTS_MODEL_TOP) */
	const char *cls[DTS_MODEL_TOP];    /**< best first; ties: the class code
					        first in byte order */
	double prob[DTS_MODEL_TOP];        /**< posterior probability, 0..1 */
	size_t nwhy;                       /**< features given (<= DTS_MODEL_WHY) */
	const char *why[DTS_MODEL_WHY];    /**< the features that weighed most for
					        the best class against the second */
	double weight[DTS_MODEL_WHY];      /**< their log-odds contribution */
	size_t nfeatures;                  /**< the record's features the model knows */
} dts_model_prediction;

/**
 * Predict the class of one record given as field values (normalised as
 * the scanner normalises them). A record with no known feature gets the
 * class prior. Errors: DTS_EINVAL (NULL argument, bad field number),
 * DTS_EINPUT (invalid UTF-8), DTS_ENOMEM. Thread-safe: the model is only
 * read.
 */
DTS_API int dts_model_predict(dts_model_prediction *out, const dts_model *m,
			      const dts_value *values, size_t nvalues);

#ifdef __cplusplus
}
#endif
#endif
