/* out_csv.c — RFC 4180 CSV with a header row (fields quoted when needed). */
#include <string.h>

#include "table.h"

/* Quote a field when it holds a separator, a quote or a line break. */
int out_csv_field(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\r\n"))
		return fputs(s, f) < 0 ? -1 : 0;
	if (putc('"', f) == EOF)
		return -1;
	for (; *s; s++)
		if ((*s == '"' && putc('"', f) == EOF) || putc(*s, f) == EOF)
			return -1;
	return putc('"', f) == EOF ? -1 : 0;
}

int out_csv(const tbl *t, FILE *f)
{
	for (size_t c = 0; c < t->ncols; c++)
		if ((c && putc(',', f) == EOF) ||
		    out_csv_field(f, t->cols[c].name) < 0)
			return -1;
	if (putc('\n', f) == EOF)
		return -1;
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++)
			if ((c && putc(',', f) == EOF) ||
			    out_csv_field(f, tbl_cell(t, r, c)) < 0)
				return -1;
		if (putc('\n', f) == EOF)
			return -1;
	}
	return 0;
}
