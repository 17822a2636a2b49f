/*
 * classify.c — classifiers compiled once per backend, and dts_classify().
 *
 * A classifier is named "id@version"; the file is found in the directory
 * of dts.classifier_path (id@version.xml, then id.xml) and compiled the
 * first time a backend asks for it. Its version must be the one asked for:
 * dts_classify is IMMUTABLE, which is only true of a pinned classifier.
 */
#include "dts_pg.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "access/htup_details.h"
#include "funcapi.h"
#include "utils/builtins.h"

static dtspg_classifier_entry *cache;

static int file_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

const dtspg_classifier_entry *dtspg_classifier(const char *key)
{
	const char *at = strrchr(key, '@');
	const char *dir = dtspg_classifier_path ? dtspg_classifier_path : "";
	dtspg_classifier_entry *e;
	dts_rules *rules = NULL;
	dts_scanner *scanner = NULL;
	char id[256], path[MAXPGPATH], got[600];
	const char *paths[1];
	int rc;

	for (e = cache; e; e = e->next)
		if (strcmp(e->key, key) == 0)
			return e;
	if (!at || at == key || !at[1] || (size_t)(at - key) >= sizeof(id) ||
	    strchr(key, '/'))
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("dts: classifier \"%s\" must be named id@version, e.g. cn-digital-trade@2025.1",
				       key)));
	memcpy(id, key, at - key);
	id[at - key] = '\0';
	snprintf(path, sizeof(path), "%s/%s.xml", dir, key);
	if (!file_exists(path))
		snprintf(path, sizeof(path), "%s/%s.xml", dir, id);
	if (!file_exists(path))
		ereport(ERROR, (errcode(ERRCODE_UNDEFINED_FILE),
				errmsg("dts: classifier %s: neither %s/%s.xml nor %s found (dts.classifier_path)",
				       key, dir, key, path)));
	paths[0] = path;
	if ((rc = dts_rules_compile(&rules, paths, 1, NULL)) < 0)
		dtspg_raise(rc, "dts: compiling the classifier");
	snprintf(got, sizeof(got), "%s@%s", dts_rules_id(rules), dts_rules_version(rules));
	if (strcmp(got, key) != 0) {
		dts_rules_free(rules);
		ereport(ERROR, (errcode(ERRCODE_CONFIG_FILE_ERROR),
				errmsg("dts: %s is classifier %s, not %s", path, got, key),
				errhint("Ask for the version the file holds, or install the one asked for: "
					"a classifier is pinned by its version so that dts_classify stays IMMUTABLE.")));
	}
	if ((rc = dts_scanner_new(&scanner, rules, 0)) < 0) {
		dts_rules_free(rules);
		dtspg_raise(rc, "dts: making a scanner");
	}
	e = calloc(1, sizeof(*e));
	if (!e || !(e->key = strdup(key)) || !(e->path = strdup(path))) {
		if (e)
			free(e->key);
		free(e);
		dts_scanner_free(scanner);
		dts_rules_free(rules);
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	}
	e->rules = rules;
	e->scanner = scanner;
	e->next = cache;
	cache = e;
	return e;
}

/* What dts_classify keeps between calls: the row type's binding. */
typedef struct classify_cache {
	Oid type;
	int32 typmod;
	dts_binding *binding;
	dtspg_guard *guard;
} classify_cache;

static void free_binding(void *p) { dts_binding_free(p); }

/* Classify the row in argument 1 with classifier argument 0. Returns 0,
 * or DTS_EINPUT when the record is rejected (*reject holds why). */
static int classify_row(dts_result *res, const dtspg_classifier_entry **cls,
			char *reject, size_t rsize, FunctionCallInfo fcinfo)
{
	classify_cache *cc = fcinfo->flinfo->fn_extra;
	HeapTupleHeader td = PG_GETARG_HEAPTUPLEHEADER(1);
	dtspg_row row;
	int rc;

	*cls = dtspg_classifier(text_to_cstring(PG_GETARG_TEXT_PP(0)));
	dtspg_row_from_record(&row, fcinfo, 1);
	if (!cc || cc->type != HeapTupleHeaderGetTypeId(td) ||
	    cc->typmod != HeapTupleHeaderGetTypMod(td)) {
		dts_binding *b = NULL;

		if (!cc)
			cc = fcinfo->flinfo->fn_extra =
				MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(*cc));
		if (cc->guard)
			dtspg_guard_release(cc->guard);
		cc->guard = NULL;
		if ((rc = dts_binding_new(&b, row.names, row.ncols, NULL, 0)) < 0)
			dtspg_raise(rc, "dts: binding the columns");
		cc->binding = b;
		cc->guard = dtspg_guard_new(fcinfo->flinfo->fn_mcxt, free_binding, b);
		cc->type = HeapTupleHeaderGetTypeId(td);
		cc->typmod = HeapTupleHeaderGetTypMod(td);
	}
	for (int i = 0; i < row.ncols; i++)
		if (!row.vals[i])
			row.vals[i] = "";
	rc = dts_source_classify(res, (*cls)->scanner, cc->binding, row.vals,
				 row.lens, (size_t)row.ncols);
	if (rc == DTS_EINPUT) {
		const dts_error *e = dts_error_last();

		snprintf(reject, rsize, "%s", e ? e->message : "rejected");
		return rc;
	}
	if (rc < 0)
		dtspg_raise(rc, "dts: classifying");
	return 0;
}

PG_FUNCTION_INFO_V1(dtspg_classify);
Datum dtspg_classify(PG_FUNCTION_ARGS)
{
	const dtspg_classifier_entry *cls;
	dts_result res;
	char reject[1024];

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	if (classify_row(&res, &cls, reject, sizeof(reject), fcinfo) < 0)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(res.category));
}

PG_FUNCTION_INFO_V1(dtspg_classify_result);
Datum dtspg_classify_result(PG_FUNCTION_ARGS)
{
	const dtspg_classifier_entry *cls;
	TupleDesc desc;
	dts_result res;
	char reject[1024];
	Datum v[8];
	bool n[8] = {0};
	const char *review;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				errmsg("dts_classify_result must return a row")));
	desc = BlessTupleDesc(desc);
	if (classify_row(&res, &cls, reject, sizeof(reject), fcinfo) < 0) {
		for (int i = 0; i < 7; i++)
			n[i] = true;
		v[7] = CStringGetTextDatum(reject);
	} else {
		v[0] = CStringGetTextDatum(res.category);
		v[1] = CStringGetTextDatum(res.rule);
		n[1] = res.rule_index < 0;
		v[2] = CStringGetTextDatum(res.base == DTS_BASE_UNKNOWN ? "unknown"
								    : dts_base_name(res.base));
		v[3] = BoolGetDatum(res.ordered != 0);
		v[4] = BoolGetDatum(res.delivered != 0);
		v[5] = BoolGetDatum(res.platform != 0);
		review = dts_rules_rule_review(cls->rules, res.rule_index);
		if (review)
			v[6] = CStringGetTextDatum(review);
		n[6] = review == NULL;
		n[7] = true;
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, v, n)));
}

PG_FUNCTION_INFO_V1(dtspg_version);
Datum dtspg_version(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(dts_version()));
}
