/*
 * dts/binding.h — the columns of a table bound to canonical fields.
 *
 * A reader binds the column headers of a file (a CSV header) to fields
 * once, through dts_field_alias() and the caller's overrides; rows are
 * then read by position: checked (dts_record_check), classified
 * (dts_scanner_classify_row) or passed through.
 */
#ifndef DTS_BINDING_H
#define DTS_BINDING_H

#include <stddef.h>

#include "common.h"
#include "field.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dts_binding dts_binding;

/**
 * Bind `ncols` header names. Each header binds to a field through
 * dts_field_alias(); `map` holds overrides as "COLUMN=FIELD" strings
 * (FIELD "-" unbinds a column). Columns bound to no field pass through.
 * When two columns bind to one field the first wins, unless a map entry
 * names the column. The names are read, not kept. On success *out owns
 * a new binding (dts_binding_free). Errors: DTS_EINVAL (the caller's map
 * is wrong: a malformed entry, or one naming a column the header lacks or
 * an unknown field), DTS_ENOMEM. Thread-safe.
 */
DTS_API int dts_binding_new(dts_binding **out, const char *const *header,
			    size_t ncols, const char *const *map, size_t nmap);

/** Free a binding. NULL is a no-op. */
DTS_API void dts_binding_free(dts_binding *binding);

/*
 * A binding is immutable once made: the functions below only read it, so
 * many threads may share one (each with its own scanner).
 */

/** Field bound to column `col`, or -1 when none (or col out of range). */
DTS_API int dts_binding_field(const dts_binding *binding, size_t col);

/** Column bound to `field`, or -1 when none. */
DTS_API int dts_binding_column(const dts_binding *binding, int field);

/**
 * Gather the bound fields of one row into out[0..DTS_F_COUNT-1] as field
 * values (pointing into cols); returns how many. For callers that check or
 * inspect values before classifying (dts_record_check). Thread-safe.
 */
DTS_API size_t dts_binding_values(dts_value *out, const dts_binding *binding,
				  const char *const *cols, const size_t *lens,
				  size_t ncols);

#ifdef __cplusplus
}
#endif
#endif
