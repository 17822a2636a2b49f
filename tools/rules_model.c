/*
 * rules_model.c — dts-rules train (labelled CSVs -> a model file) and
 * dts-rules predict (a model's decision for each record of CSVs).
 *
 * The label of a row is its --label column, by default expect_leaf (the
 * columns of tests/data/labelled*.csv): the model's classes are the leaves
 * (docs/classification.md §1); a row without a label is skipped.
 */
#include <stdlib.h>
#include <string.h>

#include "rules_model.h"
#include "tool.h"
#include "tool_out.h"

typedef struct csvin {
	dts_csv *csv;
	dts_binding *b;
	long label, leaf, id;
} csvin;

static long column(const char *const *hdr, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(hdr[i], name))
			return (long)i;
	return -1;
}

static int csv_open(csvin *in, const char *path, const char *label)
{
	const char *const *hdr;
	size_t n;

	memset(in, 0, sizeof(*in));
	if (dts_csv_open_file(&in->csv, path, NULL) < 0)
		return tool_lib_error(NULL);
	n = dts_csv_header(in->csv, &hdr);
	if (dts_binding_new(&in->b, hdr, n, NULL, 0) < 0)
		return tool_lib_error(path);
	in->id = column(hdr, n, "id");
	in->leaf = column(hdr, n, "expect_leaf");
	in->label = label ? column(hdr, n, label) : -1;
	if (label && in->label < 0) {
		tool_warn("%s: no column '%s'", path, label);
		return EXIT_USAGE;
	}
	return 0;
}

static void csv_close(csvin *in)
{
	dts_binding_free(in->b);
	dts_csv_free(in->csv);
}

static const char *cell(const dts_csv_row *row, long col)
{
	return col >= 0 && (size_t)col < row->nfields ? row->fields[col] : "";
}

/* The row's label, or NULL when it has none. */
static const char *label_of(const csvin *in, const dts_csv_row *row)
{
	const char *l = cell(row, in->label >= 0 ? in->label : in->leaf);

	return *l ? l : NULL;
}

static int write_out(const void *data, size_t len, void *payload)
{
	return fwrite(data, 1, len, payload) == len ? 0 : DTS_EIO;
}

static int train_file(dts_model_trainer *t, const char *path, const model_opts *o,
		      size_t *nrec)
{
	dts_value vals[DTS_F_COUNT];
	dts_csv_row row;
	csvin in;
	int rc;

	if ((rc = csv_open(&in, path, o->label)) != 0) {
		csv_close(&in);
		return rc;
	}
	while ((rc = dts_csv_next(&row, in.csv)) != 0) {
		const char *label;
		size_t n;

		if (rc < 0) {
			rc = tool_lib_error(path);
			break;
		}
		if (!(label = label_of(&in, &row)))
			continue;
		n = dts_binding_values(vals, in.b, row.fields, row.lens, row.nfields);
		if (dts_model_trainer_add(t, vals, n, label) < 0) {
			tool_warn("%s:%llu: %s", path, (unsigned long long)row.line,
				  dts_error_last()->message);
			rc = EXIT_IO;
			break;
		}
		++*nrec;
	}
	csv_close(&in);
	return rc;
}

int cmd_train(const model_opts *o, char **files, int n)
{
	dts_model_train_options mo = DTS_MODEL_TRAIN_OPTIONS_INIT;
	dts_model_trainer *t = NULL;
	tool_out out = {0};
	size_t nrec = 0;
	int rc = 0, i;

	if (n == 0 || !o->output) {
		tool_warn("train: give -o FILE and one or more labelled CSV files");
		return EXIT_USAGE;
	}
	if (tool_check_paths((const char *[]){o->output}, 1, files, n, NULL, 0) < 0)
		return EXIT_USAGE;
	mo.kind = o->kind;
	mo.min_count = o->min_count;
	mo.alpha_milli = o->alpha_milli;
	if (dts_model_trainer_new(&t, &mo) < 0)
		return tool_lib_error("train");
	for (i = 0; i < n && !rc; i++)
		rc = train_file(t, files[i], o, &nrec);
	if (!rc && !nrec) {
		tool_warn("train: no labelled record in the inputs");
		rc = EXIT_USAGE;
	}
	if (!rc && tool_out_open(&out, o->output) < 0)
		rc = EXIT_IO;
	if (!rc && (dts_model_trainer_write(t, write_out, out.f) != 0 ||
		    ferror(out.f))) {
		tool_out_write_failed(&out);
		rc = EXIT_IO;
	}
	if (!rc && tool_out_commit(&out) < 0)
		rc = EXIT_IO;
	if (rc)
		tool_out_abort(&out);
	dts_model_trainer_free(t);
	return rc;
}

static int predict_file(const dts_model *m, const char *path)
{
	dts_value vals[DTS_F_COUNT];
	dts_model_prediction p;
	dts_csv_row row;
	csvin in;
	int rc;

	if ((rc = csv_open(&in, path, NULL)) != 0) {
		csv_close(&in);
		return rc;
	}
	while ((rc = dts_csv_next(&row, in.csv)) != 0) {
		size_t n;

		if (rc < 0) {
			rc = tool_lib_error(path);
			break;
		}
		n = dts_binding_values(vals, in.b, row.fields, row.lens, row.nfields);
		if (dts_model_predict(&p, m, vals, n) < 0) {
			tool_warn("%s:%llu: %s", path, (unsigned long long)row.line,
				  dts_error_last()->message);
			rc = EXIT_IO;
			break;
		}
		printf("%s,%s,%.4f,%s,%.4f,%zu\n", cell(&row, in.id), p.cls[0], p.prob[0],
		       p.nclasses > 1 ? p.cls[1] : "", p.nclasses > 1 ? p.prob[1] : 0.0,
		       p.nfeatures);
	}
	csv_close(&in);
	return rc;
}

int cmd_predict(const model_opts *o, char **files, int n)
{
	dts_model *m = NULL;
	int rc = 0, i;

	if (n == 0 || !o->model) {
		tool_warn("predict: give -m MODEL and one or more CSV files");
		return EXIT_USAGE;
	}
	if (dts_model_load(&m, o->model) < 0)
		return tool_lib_error(NULL);
	printf("id,model_class,model_prob,model_second,model_second_prob,model_features\n");
	for (i = 0; i < n && !rc; i++)
		rc = predict_file(m, files[i]);
	dts_model_free(m);
	return rc;
}
