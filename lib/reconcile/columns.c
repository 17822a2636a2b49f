/*
 * columns.c — columns of a record source found by name (recon_int.h),
 * and the 三单对碰 documents read from a source.
 */
#include <string.h>

#include "recon_int.h"

/* The canonical field a name stands for: exact canonical name or alias. */
static int field_of(const char *name)
{
	int f = dts_field_lookup(name);

	return f >= 0 ? f : dts_field_alias(name, strlen(name));
}

int dts__rcol_find(dts__rcol *c, const dts_source *src, const char *name)
{
	const char *const *hdr;
	size_t n = dts_source_header(src, &hdr);
	int f = field_of(name);

	c->name = name;
	c->field = f;
	if (dts_source_format(src) == DTS_FORMAT_CEB_XML) {
		c->col = -2;
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		if (!strcmp(hdr[i], name)) {
			c->col = (int)i;
			return 0;
		}
	c->col = f >= 0 ? dts_binding_column(dts_source_binding(src), f) : -1;
	if (c->col < 0)
		c->col = -1;
	return c->col >= 0 ? 0 : DTS_ENOTFOUND;
}

const char *dts__rcol_get(const dts__rcol *c, const dts_source *src,
			  const dts_source_row *row, size_t *len)
{
	int col = c->col;

	*len = 0;
	if (col == -2) {
		const dts_ceb_record *rec = dts_source_ceb_record(src);
		const char *v;

		/* A leaf by its own name, else the field the reader mapped. */
		if (rec && (v = dts_ceb_get(rec, c->name, -1, len)))
			return v;
		*len = 0;
		col = c->field >= 0 ?
		      dts_binding_column(dts_source_binding(src), c->field) : -1;
	}
	if (col < 0 || (size_t)col >= row->ncols)
		return "";
	*len = row->lens[col];
	return row->cols[col];
}

int dts_recon_cbec_add_source(dts_recon_cbec *c, int kind, dts_source *src)
{
	const char *const *names, *v[16];
	size_t n = dts_recon_cbec_columns(&names, kind), lens[16];
	const char *name;
	dts__rcol cols[16];
	dts_source_row row;
	int rc;

	if (!c || !src || !n)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_recon_cbec_add_source: "
				  "NULL handle or source, or bad document");
	name = dts_source_name(src);
	for (size_t i = 0; i < n; i++)
		if (dts__rcol_find(&cols[i], src, names[i]) < 0 && i == 0)
			return dts__error(DTS_ENOTFOUND, name, 0, 0, "no %s column",
					  names[0]);
	while ((rc = dts_source_next(&row, src)) != 0) {
		if (rc == DTS_EINPUT)   /* a document that cannot be read is an error */
			return dts__error(DTS_EINPUT, name, (unsigned)row.line, 0,
					  "%s", row.error ? row.error : "malformed record");
		if (rc < 0)
			return rc;
		for (size_t i = 0; i < n; i++)
			v[i] = dts__rcol_get(&cols[i], src, &row, &lens[i]);
		if ((rc = dts_recon_cbec_add(c, kind, row.line, v, lens)) < 0)
			return rc;
	}
	return 0;
}

int dts_recon_cbec_load(dts_recon_cbec *c, int kind, const char *path)
{
	dts_source *src = NULL;
	int rc = dts_source_open(&src, path, NULL);

	if (rc == 0)
		rc = dts_recon_cbec_add_source(c, kind, src);
	dts_source_free(src);
	return rc;
}
