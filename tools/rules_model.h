/*
 * rules_model.h — dts-rules train and dts-rules predict (rules_model.c).
 */
#ifndef DTS_RULES_MODEL_H
#define DTS_RULES_MODEL_H

typedef struct model_opts {
	const char *output;   /* train: -o */
	const char *model;    /* predict: -m */
	const char *label;    /* --label COLUMN; NULL: expect_leaf, else expect_top */
	int kind;             /* --kind: dts_model_kind, 0 default */
	unsigned min_count;   /* --min-count */
	unsigned alpha_milli; /* --alpha */
} model_opts;

int cmd_train(const model_opts *o, char **files, int n);
int cmd_predict(const model_opts *o, char **files, int n);

#endif
