/*
 * dts_pg.h — what the files of the dts extension share.
 *
 * Rules of the extension (docs/postgresql.md): everything libdts allocates
 * is owned by a guard or a state whose memory-context reset callback frees
 * it, so an ERROR anywhere leaks nothing; no PostgreSQL function that can
 * ereport is called while a libdts frame is on the stack (callbacks handed
 * to libdts only touch malloc'd memory), and a libdts error becomes an
 * ereport once the call has returned (dtspg_raise).
 */
#ifndef DTS_PG_H
#define DTS_PG_H

#include "postgres.h"
#include "fmgr.h"

#include <dts.h>

/* The GUC dts.classifier_path: where dtspg_classifier() looks. */
extern char *dtspg_classifier_path;
/* The GUC dts.id_key_file: enterprise ids as keyed hashes (NULL/"": in clear). */
extern char *dtspg_id_key_file;
/* The GUC dts.ids_in_clear: a cube may leave an aggregate with ids in clear. */
extern bool dtspg_ids_in_clear;

/* ereport(ERROR) with libdts's last error for code rc (< 0), prefixed by
 * what was being done. Call it after the libdts call has returned. */
pg_attribute_noreturn() void dtspg_raise(int rc, const char *what);

/* A compiled classifier, cached for the backend's life. */
typedef struct dtspg_classifier_entry {
	char *key;               /* "id@version" as asked */
	char *path;              /* the file it was compiled from */
	dts_rules *rules;
	dts_scanner *scanner;    /* one backend = one thread */
	struct dtspg_classifier_entry *next;
} dtspg_classifier_entry;

/* The classifier "id@version" from dts.classifier_path, compiled once per
 * backend; ERROR when missing, or when the file is of another version. */
const dtspg_classifier_entry *dtspg_classifier(const char *id_at_version);

/* A row as CSV columns: its attribute names and values as text. */
typedef struct dtspg_row {
	int ncols;
	const char **names;      /* palloc'd in the caller's context */
	const char **vals;       /* NULL for SQL NULL */
	size_t *lens;
} dtspg_row;

/* The columns of a composite Datum (names from its row type, values by
 * the types' output functions), allocated in CurrentMemoryContext.
 * ERROR when the argument is not of a composite type. */
void dtspg_row_from_record(dtspg_row *out, FunctionCallInfo fcinfo, int argno);

/* Free `p` with `fn` when the memory context `cxt` is reset or deleted
 * (also on ERROR), unless dtspg_guard_release() ran first. */
typedef struct dtspg_guard dtspg_guard;
dtspg_guard *dtspg_guard_new(MemoryContext cxt, void (*fn)(void *), void *p);
void dtspg_guard_release(dtspg_guard *g);

#endif
