/*
 * module.c — the extension's entry points: the GUC, libdts errors as
 * ereport, guards that free libdts objects with a memory context, rows
 * of composite values as text columns.
 */
#include "dts_pg.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/typcache.h"

PG_MODULE_MAGIC;

#ifndef DTS_PG_CLASSIFIER_DIR
#define DTS_PG_CLASSIFIER_DIR "/usr/share/libdts/classifiers"
#endif

char *dtspg_classifier_path = NULL;
char *dtspg_id_key_file = NULL;
bool dtspg_ids_in_clear = false;

void _PG_init(void);

void _PG_init(void)
{
	DefineCustomStringVariable("dts.classifier_path",
				   "Directory of the classifier files dts_classify and dts_cube read.",
				   "A classifier id@version is looked for as id@version.xml, then id.xml; "
				   "its version must be the one asked for.",
				   &dtspg_classifier_path, DTS_PG_CLASSIFIER_DIR,
				   PGC_SUSET, 0, NULL, NULL, NULL);
	DefineCustomStringVariable("dts.id_key_file",
				   "Key file for enterprise ids: dts_cube keeps them only as keyed hashes.",
				   "As dts-aggregate --id-key: HMAC-SHA256 with the key in this file (16 to 64 bytes), "
				   "so no partial a worker or a shard sends holds an id in clear. Empty: ids in clear.",
				   &dtspg_id_key_file, "", PGC_SUSET, 0, NULL, NULL, NULL);
	DefineCustomBoolVariable("dts.ids_in_clear",
				 "Let dts_cube and dts_merge return partials with enterprise ids in clear.",
				 "Off (the default): a cube whose cells count enterprises in clear is refused; "
				 "set dts.id_key_file, or this for a partial that stays on this server.",
				 &dtspg_ids_in_clear, false, PGC_USERSET, 0, NULL, NULL, NULL);
	MarkGUCPrefixReserved("dts");
}

void dtspg_raise(int rc, const char *what)
{
	const dts_error *e = dts_error_last();
	int code = ERRCODE_INTERNAL_ERROR;

	switch (rc) {
	case DTS_ENOMEM: code = ERRCODE_OUT_OF_MEMORY; break;
	case DTS_EINVAL: code = ERRCODE_INVALID_PARAMETER_VALUE; break;
	case DTS_ENOTFOUND:
	case DTS_EIO: code = ERRCODE_UNDEFINED_FILE; break;
	case DTS_ESYNTAX:
	case DTS_ETEST: code = ERRCODE_CONFIG_FILE_ERROR; break;
	case DTS_EINPUT: code = ERRCODE_INVALID_TEXT_REPRESENTATION; break;
	case DTS_ELIMIT: code = ERRCODE_PROGRAM_LIMIT_EXCEEDED; break;
	case DTS_EOVERFLOW: code = ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE; break;
	default: break;
	}
	ereport(ERROR, (errcode(code),
			errmsg("%s: %s", what,
			       e && e->code == rc && e->message[0] ? e->message
								   : dts_strerror(rc))));
	pg_unreachable();
}

struct dtspg_guard {
	MemoryContextCallback cb;
	void (*fn)(void *);
	void *p;
};

static void guard_fire(void *arg)
{
	dtspg_guard *g = arg;

	if (g->p)
		g->fn(g->p);
	g->p = NULL;
}

dtspg_guard *dtspg_guard_new(MemoryContext cxt, void (*fn)(void *), void *p)
{
	dtspg_guard *g = MemoryContextAllocZero(cxt, sizeof(*g));

	g->fn = fn;
	g->p = p;
	g->cb.func = guard_fire;
	g->cb.arg = g;
	MemoryContextRegisterResetCallback(cxt, &g->cb);
	return g;
}

void dtspg_guard_release(dtspg_guard *g)
{
	guard_fire(g);
}

void dtspg_row_from_record(dtspg_row *out, FunctionCallInfo fcinfo, int argno)
{
	Oid argtype = get_fn_expr_argtype(fcinfo->flinfo, argno);
	HeapTupleHeader td;
	TupleDesc desc;
	HeapTupleData tuple;
	Datum *values;
	bool *nulls;
	int n = 0;

	if (!OidIsValid(argtype) || !type_is_rowtype(argtype))
		ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH),
				errmsg("dts: argument %d must be a row (a table's row, as in dts_classify(cls, t) FROM t)",
				       argno + 1)));
	td = PG_GETARG_HEAPTUPLEHEADER(argno);
	desc = lookup_rowtype_tupdesc(HeapTupleHeaderGetTypeId(td),
				      HeapTupleHeaderGetTypMod(td));
	tuple.t_len = HeapTupleHeaderGetDatumLength(td);
	ItemPointerSetInvalid(&tuple.t_self);
	tuple.t_tableOid = InvalidOid;
	tuple.t_data = td;
	values = palloc(desc->natts * sizeof(Datum));
	nulls = palloc(desc->natts * sizeof(bool));
	heap_deform_tuple(&tuple, desc, values, nulls);
	out->names = palloc(desc->natts * sizeof(char *));
	out->vals = palloc(desc->natts * sizeof(char *));
	out->lens = palloc(desc->natts * sizeof(size_t));
	for (int i = 0; i < desc->natts; i++) {
		Form_pg_attribute att = TupleDescAttr(desc, i);
		Oid outfn;
		bool varlena;

		if (att->attisdropped)
			continue;
		out->names[n] = pstrdup(NameStr(att->attname));
		if (nulls[i]) {
			out->vals[n] = NULL;
			out->lens[n] = 0;
		} else {
			if (att->atttypid == TEXTOID || att->atttypid == VARCHAROID ||
			    att->atttypid == BPCHAROID) {
				out->vals[n] = TextDatumGetCString(values[i]);
			} else {
				getTypeOutputInfo(att->atttypid, &outfn, &varlena);
				out->vals[n] = OidOutputFunctionCall(outfn, values[i]);
			}
			out->lens[n] = strlen(out->vals[n]);
		}
		n++;
	}
	out->ncols = n;
	ReleaseTupleDesc(desc);
}
