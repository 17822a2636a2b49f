/*
 * model_use.h — a classifier's <model> element (docs/rule-language.md
 * "<model>"): the model file it names, when the scanner consults it, and
 * what a class of the model means in the classifier's terms. Shared by
 * rules_xml.c (which reads the element), rules.c (which binds it to the
 * categories) and scanner.c (which uses it). Never installed.
 */
#ifndef DTS_MODEL_USE_H
#define DTS_MODEL_USE_H

#include "internal.h"

struct dts_rules;
struct dts_model;

/* When the scanner asks the model: the sold dimension's state. */
#define DTS__MODEL_NO_EVIDENCE 0x1u  /* no category rule matched */
#define DTS__MODEL_GENERIC 0x2u      /* the winner's review is generic-word */
#define DTS__MODEL_NO_LEAF 0x4u      /* the winner's review is no-leaf */

typedef struct dts__model_flags {
	int cat;                  /* category index of the class */
	signed char base, ordered, delivered, platform;
} dts__model_flags;

typedef struct dts__model_use {
	struct dts_model *model;
	const char *id, *src, *file; /* arena */
	unsigned line;
	double min_prob;
	unsigned when;            /* DTS__MODEL_* */
	const char *when_text;    /* as written, or "no-evidence" */
	const char *review;       /* review="..." of a decision at min-prob: the
				     record is still referred, NULL: not (arena) */
	double disagree;          /* disagree="P": a confident rule decision the
				     model contradicts at P or above is referred
				     (model-disagrees); -1 when absent */
	dts__model_flags *cls;    /* per model class (rules.c) */
} dts__model_use;

/* The attributes of a <model> element as written (NULL when absent). */
typedef struct dts__model_attrs {
	const char *id, *src, *min_prob, *when, *review, *disagree;
} dts__model_attrs;

/* The element at file:line; the model file read from dir (relative, beneath). */
int dts__model_declare(dts_rulebook *book, const char *file, unsigned line,
		       const dts__model_attrs *a, const char *dir, size_t max_file);

/* After the categories and rules are compiled: each class's category and
 * flags. DTS_ESYNTAX (at the element) for a class the classifier lacks. */
int dts__model_bind(struct dts_rules *r);

void dts__model_use_free(dts__model_use *u);

#endif
