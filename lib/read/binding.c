/*
 * binding.c — input columns bound to canonical fields, once per file,
 * so rows are classified by position without looking names up again.
 */
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"

struct dts_binding {
	int *field_of;          /* per column: field or -1 */
	size_t ncols;
	int column_of[DTS_F_COUNT];
};

static int find_column(const char *const *header, size_t ncols,
		       const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < ncols; i++)
		if (strlen(header[i]) == len && memcmp(header[i], name, len) == 0)
			return (int)i;
	return -1;
}

/* Apply one "COLUMN=FIELD" override; FIELD "-" unbinds the column. */
static int apply_map(dts_binding *b, const char *const *header,
		     const char *entry)
{
	const char *eq = strrchr(entry, '=');
	int col, field = -1;

	if (!eq || eq == entry)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "mapping '%s' is not COLUMN=FIELD", entry);
	col = find_column(header, b->ncols, entry, (size_t)(eq - entry));
	if (col < 0)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "mapping '%s': no column '%.*s' in the header",
				  entry, (int)(eq - entry), entry);
	if (strcmp(eq + 1, "-") != 0 && (field = dts_field_lookup(eq + 1)) < 0)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "mapping '%s': unknown field '%s'", entry, eq + 1);
	if (field >= 0 && b->column_of[field] >= 0)
		b->field_of[b->column_of[field]] = -1;
	if (b->field_of[col] >= 0)
		b->column_of[b->field_of[col]] = -1;
	b->field_of[col] = field;
	if (field >= 0)
		b->column_of[field] = col;
	return 0;
}

int dts_binding_new(dts_binding **out, const char *const *header,
		    size_t ncols, const char *const *map, size_t nmap)
{
	dts_binding *b;
	size_t i;
	int error = 0, f;

	if (!out || (!header && ncols) || (!map && nmap))
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_binding_new: NULL argument");
	*out = NULL;
	b = calloc(1, sizeof(*b));
	if (!b || !(b->field_of = malloc((ncols ? ncols : 1) * sizeof(int)))) {
		dts_binding_free(b);
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	}
	b->ncols = ncols;
	for (f = 0; f < DTS_F_COUNT; f++)
		b->column_of[f] = -1;
	for (i = 0; i < ncols; i++) {
		f = dts_field_alias(header[i], strlen(header[i]));
		b->field_of[i] = -1;
		if (f >= 0 && b->column_of[f] < 0) { /* the first column wins */
			b->field_of[i] = f;
			b->column_of[f] = (int)i;
		}
	}
	for (i = 0; i < nmap && !error; i++)
		error = apply_map(b, header, map[i]);
	if (error) {
		dts_binding_free(b);
		return error;
	}
	*out = b;
	return 0;
}

void dts_binding_free(dts_binding *b)
{
	if (!b)
		return;
	free(b->field_of);
	free(b);
}

int dts_binding_field(const dts_binding *b, size_t col)
{
	return b && col < b->ncols ? b->field_of[col] : -1;
}

int dts_binding_column(const dts_binding *b, int field)
{
	return b && field >= 0 && field < DTS_F_COUNT ? b->column_of[field] : -1;
}

size_t dts_binding_values(dts_value *out, const dts_binding *b,
			  const char *const *cols, const size_t *lens,
			  size_t ncols)
{
	size_t n = 0;
	int f;

	for (f = 0; f < DTS_F_COUNT; f++) {
		int c = b->column_of[f];

		if (c < 0 || (size_t)c >= ncols)
			continue;
		out[n].field = f;
		out[n].data = cols[c];
		out[n].len = lens[c];
		n++;
	}
	return n;
}

int dts_scanner_classify_row(dts_result *out, dts_scanner *s,
			     const dts_binding *b, const char *const *cols,
			     const size_t *lens, size_t ncols)
{
	dts_value values[DTS_F_COUNT]; /* on the stack: the binding is shared */

	if (!b || (!cols && ncols) || (!lens && ncols))
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts_scanner_classify_row: NULL argument");
	return dts_scanner_classify(out, s, values,
				    dts_binding_values(values, b, cols, lens,
						       ncols));
}
