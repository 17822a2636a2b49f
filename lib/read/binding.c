/*
 * binding.c — input columns bound to canonical fields, once per file,
 * so rows are classified by position without looking names up again.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "rules_int.h"

struct dts_binding {
	int *field_of;          /* per column: field or -1 */
	size_t ncols;
	int column_of[DTS_F_COUNT];
	char **names;           /* the header, copied: ncols pointers, then the bytes */
	/* The bound fields in field order and their columns, made once
	 * (dts_binding_values runs on every row); a row of at least `need`
	 * columns has them all. */
	size_t nbound, need;
	int bound_field[DTS_F_COUNT];
	size_t bound_col[DTS_F_COUNT];
};

static void list_bound(dts_binding *b)
{
	b->nbound = b->need = 0;
	for (int f = 0; f < DTS_F_COUNT; f++) {
		if (b->column_of[f] < 0)
			continue;
		b->bound_field[b->nbound] = f;
		b->bound_col[b->nbound++] = (size_t)b->column_of[f];
		if ((size_t)b->column_of[f] + 1 > b->need)
			b->need = (size_t)b->column_of[f] + 1;
	}
}

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

static int copy_names(dts_binding *b, const char *const *header)
{
	size_t i, total = 0, len;
	char *p;

	for (i = 0; i < b->ncols; i++)
		total += strlen(header[i]) + 1;
	if (!(b->names = malloc(b->ncols * sizeof(char *) + total + 1)))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	p = (char *)(b->names + b->ncols);
	for (i = 0; i < b->ncols; i++) {
		len = strlen(header[i]) + 1;
		b->names[i] = memcpy(p, header[i], len);
		p += len;
	}
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
	if ((error = copy_names(b, header)) < 0) {
		dts_binding_free(b);
		return error;
	}
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
	list_bound(b);
	*out = b;
	return 0;
}

void dts_binding_free(dts_binding *b)
{
	if (!b)
		return;
	free(b->field_of);
	free(b->names);
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
	size_t n = 0, i;

	if (ncols >= b->need) {   /* a whole row: every bound column */
		for (i = 0; i < b->nbound; i++) {
			out[i].field = b->bound_field[i];
			out[i].data = cols[b->bound_col[i]];
			out[i].len = lens[b->bound_col[i]];
		}
		return b->nbound;
	}
	for (i = 0; i < b->nbound; i++) {
		size_t c = b->bound_col[i];

		if (c >= ncols)
			continue;
		out[n].field = b->bound_field[i];
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

/* ---- the binding report ------------------------------------------------------ */

size_t dts_binding_ncols(const dts_binding *b)
{
	return b ? b->ncols : 0;
}

const char *dts_binding_column_name(const dts_binding *b, size_t col)
{
	return b && col < b->ncols ? b->names[col] : NULL;
}

uint64_t dts_binding_fields(const dts_binding *b)
{
	uint64_t set = 0;

	for (int f = 0; b && f < DTS_F_COUNT; f++)
		if (b->column_of[f] >= 0)
			set |= UINT64_C(1) << f;
	return set;
}

uint64_t dts_rules_fields(const dts_rules *rules)
{
	return rules ? rules->fields_used : 0;
}

/* A column name for a message line: as written, control characters '?'. */
static void add_name(dts__buf *b, const char *s)
{
	for (; *s; s++)
		dts__buf_ch(b, (unsigned char)*s < 0x20 || *s == 0x7F ? '?' : *s);
}

/* The unbound columns, ", "-separated, into b; how many. */
static size_t add_unbound(dts__buf *b, const dts_binding *bd)
{
	size_t i, n = 0;

	for (i = 0; i < bd->ncols; i++) {
		if (bd->field_of[i] >= 0)
			continue;
		if (n++)
			dts__buf_str(b, ", ");
		add_name(b, bd->names[i]);
	}
	return n;
}

static int take(char **out, dts__buf *b)
{
	dts__buf_ch(b, '\0');
	if (b->oom) {
		dts__buf_free(b);
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	}
	*out = b->p;
	return 0;
}

int dts_binding_describe(char **out, const dts_binding *bd)
{
	dts__buf b = {0};
	size_t i, n = 0;

	if (!out || !bd)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_binding_describe: NULL argument");
	for (i = 0; i < bd->ncols; i++) {
		if (bd->field_of[i] < 0)
			continue;
		dts__buf_str(&b, n++ ? ", " : "");
		add_name(&b, bd->names[i]);
		dts__buf_str(&b, "\xE2\x86\x92");   /* U+2192 RIGHTWARDS ARROW */
		dts__buf_str(&b, dts_field_name(bd->field_of[i]));
	}
	if (n == 0)
		dts__buf_str(&b, "none");
	if (n < bd->ncols) {
		dts__buf_str(&b, "; unbound: ");
		add_unbound(&b, bd);
	}
	return take(out, &b);
}

int dts_binding_json(char **out, const dts_binding *bd)
{
	dts__buf b = {0};
	size_t i, n = 0;

	if (!out || !bd)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_binding_json: NULL argument");
	dts__buf_str(&b, "{\"bound\":{");
	for (i = 0; i < bd->ncols; i++) {
		const char *f = dts_field_name(bd->field_of[i]);

		if (bd->field_of[i] < 0)
			continue;
		if (n++)
			dts__buf_ch(&b, ',');
		dts__buf_json(&b, bd->names[i], strlen(bd->names[i]));
		dts__buf_ch(&b, ':');
		dts__buf_json(&b, f, strlen(f));
	}
	dts__buf_str(&b, "},\"unbound\":[");
	for (i = 0, n = 0; i < bd->ncols; i++) {
		if (bd->field_of[i] >= 0)
			continue;
		if (n++)
			dts__buf_ch(&b, ',');
		dts__buf_json(&b, bd->names[i], strlen(bd->names[i]));
	}
	dts__buf_str(&b, "]}");
	return take(out, &b);
}

int dts_binding_check(uint64_t *missing, const dts_binding *bd, uint64_t fields,
		      const char *name)
{
	uint64_t bound;
	dts__buf b = {0};
	int rc;

	if (missing)
		*missing = 0;
	if (!bd)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_binding_check: NULL binding");
	bound = dts_binding_fields(bd);
	/* The description, and the codes when none of them binds: a file
	 * with HS codes and no EBOPS codes is a goods file, not a gap. */
	if (missing) {
		const uint64_t desc = UINT64_C(1) << DTS_F_DESCRIPTION;
		const uint64_t codes = DTS_BINDING_DECISIVE & ~desc & fields;

		*missing = fields & desc & ~bound;
		if (!(bound & codes))
			*missing |= codes;
	}
	if ((bound & fields) || fields == 0)
		return 0;
	/* Every record would be NONE for want of evidence: refuse. */
	dts__buf_str(&b, "no column binds to a field the classifier reads (columns: ");
	for (size_t i = 0; i < bd->ncols; i++) {
		if (i)
			dts__buf_str(&b, ", ");
		add_name(&b, bd->names[i]);
	}
	dts__buf_ch(&b, ')');
	dts__buf_ch(&b, '\0');
	rc = b.oom ? dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory")
		   : dts__error(DTS_EINPUT, name, 0, 0, "%s", b.p);
	dts__buf_free(&b);
	return rc;
}
