/*
 * rules_xml.c — classifier XML to the rule AST (internal.h).
 *
 * The order of a load: size limit; parse with libxml2 from memory, with
 * the network off, no DTD loading, no entity substitution, and a SAX hook
 * that stops the parser at the first DOCTYPE so no DTD, entity or external
 * subset is ever read; depth limit; our own walk, which checks everything
 * the AST relies on (it must be safe without the schema) and gives the
 * precise messages; then the RELAX NG schema, which catches what the walk
 * tolerates (unknown attributes, element order). Nothing reaches the book
 * unless all of it passed.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/SAX2.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "internal.h"
#include "model_use.h"

#define NS "urn:libdts:classifier:1"
#define MAX_DEPTH 64
#define DEFAULT_MAX_FILE ((size_t)64 << 20)
#define DEFAULT_MATCH_LIMIT 1000000u
#define DEFAULT_DEPTH_LIMIT 10000u

/* A <list> declaration with its column's raw cells. */
typedef struct list_decl {
	const char *id;
	const char *file;       /* as written in the classifier */
	unsigned line;          /* of the <list> element */
	char **vals;
	unsigned *rows;         /* line of each value in the list file */
	size_t nvals;
} list_decl;

typedef struct loader {
	dts_rulebook *book;
	const char *file;       /* arena copy of the name */
	const char *basedir;
	const char *list_dir;   /* where list files resolve (options), or basedir */
	size_t max_file;
	unsigned flags;
	dts_vec lists;          /* list_decl * */
	dts_vec rules;          /* dts_rule *, moved to the book at the end */
	dts_vec cats;           /* dts_category * */
	dts_vec tmp;            /* scratch for value lists */
	const char *xml;        /* the source, to place errors at a column */
	size_t len;
	pcre2_match_data *md;   /* for trial runs of regexes */
} loader;

/* What the parser hooks and error handlers record. */
typedef struct parse_state {
	int dtd;                /* a DOCTYPE was seen */
	int have_err;
	int nomem;              /* libxml2 ran out of memory */
	unsigned line, col;
	char msg[512];
	const xmlNode *node;    /* schema errors: the node reported */
} parse_state;

static unsigned line_of(const xmlNode *n)
{
	long l = xmlGetLineNo(n);

	return l > 0 && l < (long)UINT_MAX ? (unsigned)l : 0;
}

static const char *fields_list(char *buf, size_t size)
{
	size_t off = 0;

	buf[0] = '\0';
	for (int f = 0; f < DTS_F_COUNT && off < size; f++) {
		int n = snprintf(buf + off, size - off, "%s%s", f ? ", " : "",
				 dts_field_name(f));
		if (n < 0)
			break;
		off += (size_t)n;
	}
	return buf;
}

/* ---- small XML helpers ------------------------------------------------- */

static int is_elem(const xmlNode *n)
{
	return n->type == XML_ELEMENT_NODE;
}

static int in_ns(const xmlNode *n)
{
	return n->ns && n->ns->href && !strcmp((const char *)n->ns->href, NS);
}

static const char *ename(const xmlNode *n)
{
	return (const char *)n->name;
}

/* An attribute in no namespace, copied into the arena; NULL when absent. */
static int attr(const char **out, loader *ld, xmlNode *n, const char *name)
{
	xmlChar *v;

	*out = NULL;
	if (!xmlHasNsProp(n, (const xmlChar *)name, NULL))
		return 0;
	/* present: NULL is memory libxml2 could not get */
	if (!(v = xmlGetNoNsProp(n, (const xmlChar *)name)))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	*out = dts__arena_strdup(&ld->book->arena, (const char *)v);
	xmlFree(v);
	return *out ? 0 : dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
}

static int req_attr(const char **out, loader *ld, xmlNode *n,
		    const char *name)
{
	int error = attr(out, ld, n, name);

	if (error < 0)
		return error;
	if (!*out || !**out)
		return dts__error(DTS_ESYNTAX, ld->file, line_of(n), 0,
				  "<%s> needs a non-empty '%s' attribute",
				  ename(n), name);
	return 0;
}

/*
 * A required identifier or category code: letters, digits, '_', '.', '-'
 * (and ':' for ids), as the schema says; checked here too so that the
 * message is precise and the AST holds no surprises without the schema.
 */
static int req_name(const char **out, loader *ld, xmlNode *n,
		    const char *name, int colon)
{
	int error = req_attr(out, ld, n, name);

	if (error < 0)
		return error;
	for (const char *s = *out; *s; s++) {
		char c = *s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_' ||
		    (s != *out && (c == '.' || c == '-' || (colon && c == ':'))))
			continue;
		return dts__error(DTS_ESYNTAX, ld->file, line_of(n), 0,
				  "bad %s '%s' on <%s>: use letters, digits, "
				  "'_', '.'%s and '-', starting with a letter, "
				  "digit or '_'", name, *out, ename(n),
				  colon ? ", ':'" : "");
	}
	return 0;
}

/* yes/no attribute: 1, 0, or -1 when absent. */
static int yes_no(int *out, loader *ld, xmlNode *n, const char *name)
{
	const char *v;
	int error = attr(&v, ld, n, name);

	if (error < 0)
		return error;
	if (!v)
		*out = -1;
	else if (!strcmp(v, "yes"))
		*out = 1;
	else if (!strcmp(v, "no"))
		*out = 0;
	else
		return dts__error(DTS_ESYNTAX, ld->file, line_of(n), 0,
				  "bad value '%s' for %s on <%s>: write yes or no",
				  v, name, ename(n));
	return 0;
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Text content of a leaf (which must have no child elements), in the arena. */
static int leaf_text(char **out, loader *ld, xmlNode *n)
{
	xmlChar *t;

	for (xmlNode *k = n->children; k; k = k->next)
		if (is_elem(k))
			return dts__error(DTS_ESYNTAX, ld->file, line_of(k), 0,
					  "<%s> takes text, not an element <%s>",
					  ename(n), ename(k));
	/* an element's content is at least "": NULL is out of memory */
	if (!(t = xmlNodeGetContent(n)))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	*out = dts__arena_strdup(&ld->book->arena, (const char *)t);
	xmlFree(t);
	return *out ? 0 : dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
}

static void trim(const char **s, size_t *len)
{
	while (*len && is_space((unsigned char)**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len && is_space((unsigned char)(*s)[*len - 1]))
		(*len)--;
}

/* Text of a leaf element with blanks trimmed at both ends, in the arena. */
static int trimmed_text(char **out, loader *ld, xmlNode *n)
{
	char *text;
	const char *t;
	size_t tl;
	int error;

	if ((error = leaf_text(&text, ld, n)) < 0)
		return error;
	t = text;
	tl = strlen(t);
	trim(&t, &tl);
	memmove(text, t, tl);
	text[tl] = '\0';
	*out = text;
	return 0;
}

/* ---- CSV list files ---------------------------------------------------- */

/*
 * List files are read with the library's one CSV reader (dts/csv.h): the
 * same dialect as data files, rows of any length, '#' rows and blank rows
 * skipped. A row the reader rejects fails the load, named by line.
 */

/* A row that is blank once trimmed, or whose first cell starts with '#'. */
static int blank_row(const dts_csv_row *row)
{
	for (size_t i = 0; i < row->nfields; i++) {
		const char *s = row->fields[i];
		size_t l = row->lens[i];

		trim(&s, &l);
		if (i == 0 && l && *s == '#')
			return 1;
		if (l)
			return 0;
	}
	return 1;
}

/*
 * The index of column `want` in the header. The message names the column
 * and the file but never echoes the header: a list file may be any file
 * (its first line could be /etc/passwd's), so its text stays out of errors.
 */
static int find_column(size_t *col, loader *ld, const char *const *hdr,
		       size_t nhdr, const char *want, const char *path,
		       unsigned line)
{
	if (!want) {
		*col = 0;
		return 0;
	}
	for (size_t i = 0; i < nhdr; i++) {
		const char *h = hdr[i];
		size_t l = strlen(h);

		trim(&h, &l); /* the reader has dropped a UTF-8 BOM */
		if (l == strlen(want) && !memcmp(h, want, l)) {
			*col = i;
			return 0;
		}
	}
	return dts__error(DTS_ESYNTAX, ld->file, line, 0,
			  "column '%s' is not in the header of list file '%s' "
			  "(%zu columns; their names are not shown)", want,
			  path, nhdr);
}

/* The list's values and the line each came from, moved into the arena. */
static int keep_values(list_decl *l, loader *ld, const dts_vec *vals,
		       const unsigned *rows)
{
	dts_arena *a = &ld->book->arena;

	l->nvals = vals->len;
	l->vals = dts__arena_alloc(a, (vals->len + 1) * sizeof(char *));
	l->rows = dts__arena_alloc(a, (vals->len + 1) * sizeof(unsigned));
	if (!l->vals || !l->rows)
		return DTS_ENOMEM;
	if (vals->len) {
		memcpy(l->vals, vals->items, vals->len * sizeof(char *));
		memcpy(l->rows, rows, vals->len * sizeof(unsigned));
	}
	return 0;
}

/*
 * A row the reader refused, as the classifier's error at the <list>
 * element: the list file and its line, the reader's reason (which never
 * quotes the row: a list file may be any file).
 */
static int list_row_error(loader *ld, const char *rel, unsigned line,
			  uint64_t at, const char *why)
{
	return dts__error(DTS_ESYNTAX, ld->file, line, 0,
			  "list file '%s' line %" PRIu64 ": %s", rel, at, why);
}

static int list_cells(list_decl *l, loader *ld, dts_csv *csv, size_t col,
		      const char *rel, unsigned line)
{
	dts_vec vals = { 0 };
	unsigned *rows = NULL;
	size_t rcap = 0;
	dts_csv_row row;
	int error = 0, rc;

	while ((rc = dts_csv_next(&row, csv)) != 0) {
		char *v;

		if (rc == DTS_EINPUT) {
			error = list_row_error(ld, rel, line, row.line, row.error);
			goto done;
		}
		if ((error = rc) < 0)
			goto done;
		if (blank_row(&row) || col >= row.nfields)
			continue;
		if (!(v = dts__arena_strndup(&ld->book->arena, row.fields[col],
					     row.lens[col])) ||
		    (error = dts__vec_push(&vals, v)) < 0 ||
		    (error = dts__grow((void **)&rows, &rcap, vals.len,
				       sizeof(*rows))) < 0) {
			error = DTS_ENOMEM;
			goto done;
		}
		rows[vals.len - 1] = row.line > UINT_MAX ? UINT_MAX :
							   (unsigned)row.line;
	}
	error = keep_values(l, ld, &vals, rows);
done:
	free(rows);
	dts__vec_free(&vals);
	return error;
}

/*
 * Read list file `rel`, resolved beneath the list directory (never outside
 * it: no absolute path, no "..", no symlink), and keep its column's cells.
 * Messages name the file and a line, never its contents.
 */
static int load_list(list_decl *l, loader *ld, const char *rel,
		     const char *column, unsigned line)
{
	dts_csv_options o = DTS_CSV_OPTIONS_INIT;
	const char *const *hdr;
	dts_csv *csv = NULL;
	char *data;
	size_t len, nhdr, col = 0;
	int error;

	if ((error = dts__read_file(&data, &len, ld->list_dir, rel,
				    DTS__READ_BENEATH, ld->max_file, ld->file,
				    line, 0)) < 0)
		return error;
	/* Rows of any length; no cell limit but the file's own size. */
	o.flags = DTS_CSV_RAGGED;
	o.max_field = o.max_record = len + 1;
	if ((error = dts_csv_open_buffer(&csv, data, len, rel, &o)) < 0) {
		if (error == DTS_EINPUT) { /* the header row */
			char why[sizeof(dts_error_last()->message)];
			unsigned at = dts_error_last()->line;

			snprintf(why, sizeof(why), "%s", dts_error_last()->message);
			error = list_row_error(ld, rel, line, at, why);
		}
		goto done;
	}
	if ((nhdr = dts_csv_header(csv, &hdr)) == 0)
		error = dts__error(DTS_ESYNTAX, ld->file, line, 0,
				   "list file '%s' is empty: it needs a header row",
				   rel);
	else if ((error = find_column(&col, ld, hdr, nhdr, column, rel,
				      line)) == 0)
		error = list_cells(l, ld, csv, col, rel, line);
done:
	if (error == DTS_ENOMEM)
		error = dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	dts_csv_free(csv);
	free(data);
	return error;
}

static int cmp_list(const void *a, const void *b)
{
	const list_decl *x = *(list_decl *const *)a, *y = *(list_decl *const *)b;
	int c = strcmp(x->id, y->id);

	return c ? c : (x->line > y->line) - (x->line < y->line);
}

/* Sort the lists by id (for bsearch) and refuse an id declared twice. */
static int index_lists(loader *ld)
{
	list_decl **l = (list_decl **)ld->lists.items;

	if (ld->lists.len > 1)
		qsort(l, ld->lists.len, sizeof(*l), cmp_list);
	for (size_t i = 1; i < ld->lists.len; i++)
		if (!strcmp(l[i - 1]->id, l[i]->id))
			return dts__error(DTS_ESYNTAX, ld->file, l[i]->line, 0,
					  "list '%s' is declared twice (first at "
					  "line %u)", l[i]->id, l[i - 1]->line);
	return 0;
}

static int cmp_id_only(const void *a, const void *b)
{
	return strcmp((*(list_decl *const *)a)->id, (*(list_decl *const *)b)->id);
}

static const list_decl *find_list(const loader *ld, const char *id)
{
	list_decl key = { .id = id }, *kp = &key, **hit;

	if (!ld->lists.len)
		return NULL;
	hit = bsearch(&kp, ld->lists.items, ld->lists.len, sizeof(kp), cmp_id_only);
	return hit ? *hit : NULL;
}

static int declare_list(loader *ld, xmlNode *n)
{
	const char *id, *file, *column;
	list_decl *l;
	int error;

	if ((error = req_name(&id, ld, n, "id", 1)) < 0 ||
	    (error = req_attr(&file, ld, n, "file")) < 0 ||
	    (error = attr(&column, ld, n, "column")) < 0)
		return error;
	if (!(l = dts__arena_alloc(&ld->book->arena, sizeof(*l))))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	l->id = id;
	l->file = file;
	l->line = line_of(n);
	if ((error = load_list(l, ld, file, column, l->line)) < 0)
		return error;
	if (dts__vec_push(&ld->lists, l) < 0)
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	return 0;
}

/* ---- values ------------------------------------------------------------ */

enum { LOWER_NONE, LOWER_FOLD };

/*
 * Normalise one value written in the rule as the record's field would be.
 * `lower`: LOWER_FOLD (dts__fold_lower, the prefilter's folding) for text
 * fields under eq/in/prefix/range, which compare caseless, and for
 * caseless <contains>. `from` is NULL for a value written in the
 * classifier, which messages quote; for a value read from a list file it
 * says where (list and row), and the value itself is never quoted.
 */
static int norm_value(char **out, size_t *outlen, loader *ld, int field,
		      const char *s, size_t len, int lower, xmlNode *n,
		      const char *from)
{
	char *o = dts__arena_alloc(&ld->book->arena, len + 1);
	int error;

	if (!o)
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	if ((error = dts_field_normalize(o, len + 1, outlen, field, s,
					 len)) < 0)
		return from ? dts__error(error, ld->file, line_of(n), 0,
					 "cannot normalise the value at %s", from) :
		       dts__error(error, ld->file, line_of(n), 0,
				  "cannot normalise value '%.*s'", (int)len, s);
	if (dts_field_kind_of(field) == DTS_KIND_TEXT) {
		/* As the scanner folds the record's text (dts__text_t2s). */
		char *t = NULL;
		size_t tl = 0;

		if ((error = dts__text_t2s(o, *outlen, &t, &tl)) < 0)
			return dts__error(error, ld->file, line_of(n), 0, "%s",
					  dts_error_last()->message);
		if (error > 0) {
			o = dts__arena_alloc(&ld->book->arena, tl + 1);
			if (o)
				memcpy(o, t, tl + 1);
			free(t);
			if (!o)
				return dts__error(DTS_ENOMEM, NULL, 0, 0,
						  "out of memory");
			*outlen = tl;
		}
		*outlen = dts__text_fold_inplace(o, *outlen);
	}
	if (lower == LOWER_FOLD)
		*outlen = dts__fold_lower(o, o, *outlen);
	o[*outlen] = '\0';
	if (!*outlen && from)
		return dts__error(DTS_ESYNTAX, ld->file, line_of(n), 0,
				  "the value at %s, used by <%s>, is empty "
				  "once normalised for field %s", from, ename(n),
				  dts_field_name(field));
	if (!*outlen)
		return dts__error(DTS_ESYNTAX, ld->file, line_of(n), 0,
				  "value '%.*s' in <%s> is empty once normalised "
				  "for field %s", (int)len, s, ename(n),
				  dts_field_name(field));
	*out = o;
	return 0;
}

/* eq/in/prefix/range compare text fields ASCII-caseless. */
static int lowers(int field)
{
	/* The scanner folds the record's text fields with dts__fold_lower;
	 * the rule's values must be folded the same way to compare equal. */
	return dts_field_kind_of(field) == DTS_KIND_TEXT ? LOWER_FOLD :
		LOWER_NONE;
}

/* Length of the separator at s: ASCII whitespace or U+3000, else 0. */
static size_t sep_len(const char *s, const char *end)
{
	if (is_space((unsigned char)*s))
		return 1;
	if (end - s >= 3 && !memcmp(s, "\xE3\x80\x80", 3))
		return 3;
	return 0;
}

static int push_value(loader *ld, dts_node *node, const char *s, size_t len,
		      int lower, xmlNode *n, const char *from)
{
	char *v = NULL; /* set on success; gcc -O3 cannot see that */
	size_t vl;
	int error;

	if ((error = norm_value(&v, &vl, ld, node->field, s, len, lower,
				n, from)) < 0)
		return error;
	if (dts__vec_push(&ld->tmp, v) < 0)
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	return 0;
}

static int split_words(loader *ld, dts_node *node, const char *text,
		       int lower, xmlNode *n)
{
	const char *s = text, *end = text + strlen(text);
	int error;

	while (s < end) {
		const char *b;
		size_t k;

		while (s < end && (k = sep_len(s, end)))
			s += k;
		b = s;
		while (s < end && !sep_len(s, end))
			s++;
		if (s > b && (error = push_value(ld, node, b, (size_t)(s - b),
						 lower, n, NULL)) < 0)
			return error;
	}
	return 0;
}

static int split_bars(loader *ld, dts_node *node, const char *text,
		      int lower, xmlNode *n)
{
	const char *s = text;
	int error;

	for (;;) {
		const char *bar = strchr(s, '|');
		size_t len = bar ? (size_t)(bar - s) : strlen(s);
		const char *t = s;
		size_t tl = len;

		trim(&t, &tl);
		if (!tl)
			return dts__error(DTS_ESYNTAX, ld->file, line_of(n), 0,
					  "<contains> has an empty literal: "
					  "remove the extra '|'");
		if ((error = push_value(ld, node, s, len, lower, n, NULL)) < 0)
			return error;
		if (!bar)
			return 0;
		s = bar + 1;
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Move ld->tmp into node->values (sorted and unique when `sort`). */
static int take_values(loader *ld, dts_node *node, int sort, xmlNode *n)
{
	dts_arena *a = &ld->book->arena;
	size_t m = 0;

	if (!ld->tmp.len)
		return dts__error(DTS_ESYNTAX, ld->file, line_of(n), 0,
				  "<%s> has no values", ename(n));
	if (sort)
		qsort(ld->tmp.items, ld->tmp.len, sizeof(void *), cmp_str);
	node->values = dts__arena_alloc(a, ld->tmp.len * sizeof(char *));
	node->lens = dts__arena_alloc(a, ld->tmp.len * sizeof(size_t));
	if (!node->values || !node->lens)
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	for (size_t i = 0; i < ld->tmp.len; i++) {
		char *v = ld->tmp.items[i];

		if (sort && m && !strcmp(node->values[m - 1], v))
			continue;
		node->values[m] = v;
		node->lens[m++] = strlen(v);
	}
	node->nvalues = m;
	ld->tmp.len = 0;
	return 0;
}

/* ---- conditions ---------------------------------------------------------- */

static int build_node(dts_node **out, loader *ld, xmlNode *n);

static int set_field(dts_node *node, loader *ld, xmlNode *n)
{
	const char *f;
	char names[512];
	int error;

	if ((error = req_attr(&f, ld, n, "field")) < 0)
		return error;
	if ((node->field = dts_field_lookup(f)) < 0)
		return dts__error(DTS_ESYNTAX, ld->file, line_of(n), 0,
				  "unknown field '%s' in <%s>; fields are %s",
				  f, ename(n), fields_list(names, sizeof(names)));
	return 0;
}

static int build_kids(dts_node *node, loader *ld, xmlNode *n)
{
	dts_vec kids = { 0 };
	int error = 0;

	for (xmlNode *k = n->children; k; k = k->next) {
		dts_node *kid;

		if (!is_elem(k))
			continue;
		if ((error = build_node(&kid, ld, k)) < 0)
			goto done;
		if ((error = dts__vec_push(&kids, kid)) < 0) {
			error = dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
			goto done;
		}
	}
	if (node->kind == DTS_N_NOT && kids.len != 1) {
		error = dts__error(DTS_ESYNTAX, ld->file, line_of(n), 0,
				   "<not> takes exactly one condition, found %zu; "
				   "wrap several in <all> or <any>", kids.len);
		goto done;
	}
	if (!kids.len) {
		error = dts__error(DTS_ESYNTAX, ld->file, line_of(n), 0,
				   "<%s> needs at least one condition", ename(n));
		goto done;
	}
	node->kids = dts__arena_alloc(&ld->book->arena,
				      kids.len * sizeof(dts_node *));
	if (!node->kids) {
		error = dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	memcpy(node->kids, kids.items, kids.len * sizeof(dts_node *));
	node->nkids = kids.len;
done:
	dts__vec_free(&kids);
	return error;
}

/* The values of list `id` into ld->tmp; messages name rows, not values. */
static int list_values(loader *ld, dts_node *node, const char *id, int lower,
		       xmlNode *n)
{
	const list_decl *l = find_list(ld, id);
	char from[600];
	int error;

	if (!l)
		return dts__error(DTS_ESYNTAX, ld->file, line_of(n), 0,
				  "list '%s' is not declared: add "
				  "<list id=\"%s\" file=\"...\"/>", id, id);
	node->list = l->id;
	for (size_t i = 0; i < l->nvals; i++) {
		const char *v = l->vals[i];
		size_t vl = strlen(v);

		trim(&v, &vl); /* a cell is one value, spaces and all */
		if (!vl)
			continue;
		snprintf(from, sizeof(from), "line %u of list file '%s'",
			 l->rows[i], l->file);
		if ((error = push_value(ld, node, v, vl, lower, n, from)) < 0)
			return error;
	}
	if (!ld->tmp.len)
		return dts__error(DTS_ESYNTAX, ld->file, line_of(n), 0,
				  "list '%s' has no values", id);
	return 0;
}

static int build_set(dts_node *node, loader *ld, xmlNode *n, int sort)
{
	const char *list;
	char *text;
	const char *t;
	size_t tl;
	int error, lower = lowers(node->field);
	int is_eq = !strcmp(ename(n), "eq");

	list = NULL;
	if ((!is_eq && (error = attr(&list, ld, n, "list")) < 0) ||
	    (error = leaf_text(&text, ld, n)) < 0)
		return error;
	t = text;
	tl = strlen(t);
	trim(&t, &tl);
	if (list) {
		if (tl)
			return dts__error(DTS_ESYNTAX, ld->file, line_of(n), 0,
					  "<%s> has both list=\"%s\" and values: "
					  "use one or the other", ename(n), list);
		if ((error = list_values(ld, node, list, lower, n)) < 0)
			return error;
	} else if (is_eq) {
		if (tl && (error = push_value(ld, node, t, tl, lower, n,
					      NULL)) < 0)
			return error;
	} else if ((error = split_words(ld, node, text, lower, n)) < 0) {
		return error;
	}
	return take_values(ld, node, sort, n);
}

static int build_range(dts_node *node, loader *ld, xmlNode *n)
{
	const char *from, *to;
	size_t fl, tl;
	int error, lower = lowers(node->field);

	if ((error = req_attr(&from, ld, n, "from")) < 0 ||
	    (error = req_attr(&to, ld, n, "to")) < 0 ||
	    (error = norm_value(&node->lo, &fl, ld, node->field, from,
				strlen(from), lower, n, NULL)) < 0 ||
	    (error = norm_value(&node->hi, &tl, ld, node->field, to,
				strlen(to), lower, n, NULL)) < 0)
		return error;
	/* Empty only when the bounds differ within their common length. */
	if (memcmp(node->lo, node->hi, fl < tl ? fl : tl) > 0)
		return dts__error(DTS_ESYNTAX, ld->file, line_of(n), 0,
				  "range from '%s' to '%s' is empty: from is "
				  "after to", node->lo, node->hi);
	return 0;
}

/*
 * Where `needle` (text of the element on line `line`) is in the source:
 * its line and column (in characters, from 1), or the element's line and
 * column 0 when it cannot be found (an entity or CDATA in the way).
 * Linear in the source: only called on the way to an error.
 */
static void place(unsigned *oline, unsigned *ocol, const loader *ld,
		  unsigned line, const char *needle)
{
	const char *p = ld->xml, *end = ld->xml + ld->len, *hit, *bol;
	unsigned l = 1, col = 1;

	*oline = line;
	*ocol = 0;
	if (!p)
		return;
	for (; p < end && l < line; p++)
		l += *p == '\n';
	if (!(hit = memmem(p, (size_t)(end - p), needle, strlen(needle))))
		return;
	for (bol = p; p < hit; p++)
		if (*p == '\n') {
			l++;
			bol = p + 1;
		}
	for (p = bol; p < hit; p++)
		col += ((unsigned char)*p & 0xC0) != 0x80;
	*oline = l;
	*ocol = col;
}

/* (*ACCEPT), (*COMMIT) ...: control verbs, part of the pattern proper. */
static int is_backtrack_verb(const char *name, size_t len, char next)
{
	static const char *const v[] = { "ACCEPT", "FAIL", "F", "COMMIT",
					 "PRUNE", "SKIP", "THEN", "MARK" };

	for (size_t i = 0; next == ')' && i < sizeof(v) / sizeof(*v); i++)
		if (strlen(v[i]) == len && !memcmp(v[i], name, len))
			return 1;
	return 0;
}

static int verb_error(loader *ld, const char *verb, size_t len, xmlNode *n)
{
	char text[64];
	unsigned line, col;

	snprintf(text, sizeof(text), "%.*s", (int)(len < 60 ? len : 60), verb);
	place(&line, &col, ld, line_of(n), text);
	return dts__error(DTS_ESYNTAX, ld->file, line, col,
			  "regex starts with %s, which changes how PCRE2 runs "
			  "it (limits, JIT or optimisations): remove it; a "
			  "pattern may start only with (*UTF) (*UCP) (*CR) "
			  "(*LF) (*CRLF) (*ANYCRLF) (*ANY) (*NUL) "
			  "(*BSR_ANYCRLF) (*BSR_UNICODE), and limits come from "
			  "the rule set's options", text);
}

/*
 * Leading (*VERB) options that change limits or how PCRE2 runs a pattern
 * ((*NO_JIT), (*LIMIT_MATCH=1), (*NO_START_OPT) ...) would make the rule
 * behave unlike what check and the prefilter assume: refused. After the
 * verbs that only say how text is read (dts__regex_text_verbs), any
 * (*NAME) or (*NAME=...) is refused, so options PCRE2 adds later are too;
 * control verbs ((*COMMIT), (*MARK:x)) and groups are the pattern proper.
 */
static int check_verbs(loader *ld, const char *pat, xmlNode *n)
{
	const char *p = pat + dts__regex_text_verbs(pat), *q = p + 2, *close;

	if (p[0] != '(' || p[1] != '*')
		return 0;
	while ((*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') || *q == '_')
		q++;
	if (q == p + 2 || (*q != ')' && *q != '=') ||
	    is_backtrack_verb(p + 2, (size_t)(q - p - 2), *q) ||
	    !(close = strchr(q, ')')))
		return 0; /* pattern proper, or pcre2_compile reports it */
	return verb_error(ld, p, (size_t)(close + 1 - p), n);
}

/*
 * The second net behind check_verbs: whatever the text, the compiled
 * pattern may carry no limit of its own and no option beyond UTF, UCP and
 * the anchoring PCRE2 derives itself.
 */
static int check_compiled(loader *ld, const dts_node *node, xmlNode *n)
{
	uint32_t all = 0, arg = 0, v;
	const uint32_t ok = PCRE2_UTF | PCRE2_UCP | PCRE2_ANCHORED;

	pcre2_pattern_info(node->re, PCRE2_INFO_ALLOPTIONS, &all);
	pcre2_pattern_info(node->re, PCRE2_INFO_ARGOPTIONS, &arg);
	if (pcre2_pattern_info(node->re, PCRE2_INFO_MATCHLIMIT, &v) == 0 ||
	    pcre2_pattern_info(node->re, PCRE2_INFO_DEPTHLIMIT, &v) == 0 ||
	    pcre2_pattern_info(node->re, PCRE2_INFO_HEAPLIMIT, &v) == 0 ||
	    (all & ~arg & ~ok) != 0)
		return dts__error(DTS_ESYNTAX, ld->file, line_of(n), 0,
				  "regex '%s' sets its own PCRE2 limits or "
				  "options: remove the leading (*...) verbs",
				  node->pattern);
	return 0;
}

/*
 * JIT-compile unless told not to. node->jit says "JIT code exists", so
 * it is set from the code's size, not from pcre2_jit_compile's result:
 * that returns 0 without compiling for a (*NO_JIT) pattern, and matching
 * such a pattern with pcre2_jit_match fails on every record. A JIT
 * failure only costs speed: the interpreter runs the pattern.
 */
static void set_jit(dts_node *node, unsigned flags)
{
	size_t size = 0;

	node->jit = false;
	if (flags & DTS_RULES_NO_JIT ||
	    pcre2_jit_compile(node->re, PCRE2_JIT_COMPLETE) != 0)
		return;
	node->jit = pcre2_pattern_info(node->re, PCRE2_INFO_JITSIZE,
				       &size) == 0 && size > 0;
}

/*
 * Run the pattern once, on an empty subject, exactly as classification
 * will (dts__regex_exec, the rule set's limits): an engine that refuses
 * the pattern is found here, at load and so by `dts-rules check`, not on
 * every record later.
 */
static int trial_run(loader *ld, const dts_node *node, xmlNode *n)
{
	PCRE2_UCHAR msg[256];
	int rc;

	if (!ld->md && !(ld->md = pcre2_match_data_create(32, NULL)))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	rc = dts__regex_exec(node, "", 0, ld->md, ld->book->mctx);
	if (rc >= 0 || rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc == PCRE2_ERROR_NOMEMORY)
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	pcre2_get_error_message(rc, msg, sizeof(msg));
	return dts__error(DTS_ESYNTAX, ld->file, line_of(n), 0,
			  "regex '%s' cannot be run as classification runs it "
			  "(%s): %s", node->pattern, node->jit ? "JIT" :
			  "interpreter", (char *)msg);
}

static int build_regex(dts_node *node, loader *ld, xmlNode *n)
{
	char *text;
	const char *t;
	size_t tl, off;
	int error, code;
	uint32_t opt = PCRE2_UTF;
	int cl;

	if ((error = yes_no(&cl, ld, n, "caseless")) < 0 ||
	    (error = leaf_text(&text, ld, n)) < 0)
		return error;
	node->caseless = cl == 1;
	t = text;
	tl = strlen(t);
	trim(&t, &tl);
	if (!tl)
		return dts__error(DTS_ESYNTAX, ld->file, line_of(n), 0,
				  "<regex> has an empty pattern");
	if (!(node->pattern = dts__arena_strndup(&ld->book->arena, t, tl)))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	if ((error = check_verbs(ld, node->pattern, n)) < 0)
		return error;
	if (node->caseless)
		opt |= PCRE2_CASELESS;
	node->re = pcre2_compile((PCRE2_SPTR)node->pattern, tl, opt, &code,
				 &off, NULL);
	if (!node->re && code == PCRE2_ERROR_HEAP_FAILED)
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	if (!node->re) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(code, msg, sizeof(msg));
		return dts__error(DTS_ESYNTAX, ld->file, line_of(n), 0,
				  "regex does not compile: %s at offset %zu of "
				  "pattern '%s'", (char *)msg, off, node->pattern);
	}
	if (dts__vec_push(&ld->book->regexes, node->re) < 0) {
		pcre2_code_free(node->re);
		node->re = NULL;
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	}
	if ((error = check_compiled(ld, node, n)) < 0)
		return error;
	set_jit(node, ld->flags);
	return trial_run(ld, node, n);
}

/*
 * <contains except="A|B">: the longer terms inside which a value does not
 * count. Each must contain one of the values (else it can never cover an
 * occurrence and is a mistake); normalised like the values.
 */
static int build_except(dts_node *node, loader *ld, xmlNode *n)
{
	xmlChar *attr = xmlGetProp(n, (const xmlChar *)"except");
	char **vals;
	size_t *lens, nv, i, k;
	int error, found;

	if (!attr)
		return 0;
	vals = node->values;
	lens = node->lens;
	nv = node->nvalues;
	node->values = NULL;
	node->lens = NULL;
	node->nvalues = 0;
	error = split_bars(ld, node, (const char *)attr,
			   node->caseless ? LOWER_FOLD : LOWER_NONE, n);
	xmlFree(attr);
	if (error >= 0)
		error = take_values(ld, node, 0, n);
	node->except = node->values;
	node->except_lens = node->lens;
	node->nexcept = node->nvalues;
	node->values = vals;
	node->lens = lens;
	node->nvalues = nv;
	if (error < 0)
		return error;
	for (k = 0; k < node->nexcept; k++) {
		found = 0;
		for (i = 0; i < nv && !found; i++)
			found = lens[i] < node->except_lens[k] &&
				memmem(node->except[k], node->except_lens[k],
				       vals[i], lens[i]) != NULL;
		if (!found)
			return dts__error(DTS_ESYNTAX, ld->file, line_of(n), 0,
					  "<contains> except term '%s' contains none "
					  "of the element's literals, so it can never "
					  "exclude one: name a longer term that holds one",
					  node->except[k]);
	}
	return 0;
}

static int build_contains(dts_node *node, loader *ld, xmlNode *n)
{
	char *text;
	int error, cl;

	if ((error = yes_no(&cl, ld, n, "caseless")) < 0 ||
	    (error = leaf_text(&text, ld, n)) < 0)
		return error;
	node->caseless = cl == 1;
	if ((error = split_bars(ld, node, text,
				node->caseless ? LOWER_FOLD : LOWER_NONE, n)) < 0)
		return error;
	if ((error = take_values(ld, node, 0, n)) < 0)
		return error;
	return build_except(node, ld, n);
}

static int build_amount(dts_node *node, loader *ld, xmlNode *n)
{
	static const char *const ops[] = { "lt", "le", "gt", "ge", "eq", "ne" };
	const char *op, *value;
	int error;
	size_t i;

	node->field = DTS_F_VALUE;
	if ((error = req_attr(&op, ld, n, "op")) < 0 ||
	    (error = req_attr(&value, ld, n, "value")) < 0)
		return error;
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strcmp(op, ops[i]))
			break;
	if (i == sizeof(ops) / sizeof(ops[0]))
		return dts__error(DTS_ESYNTAX, ld->file, line_of(n), 0,
				  "bad op '%s' on <amount>: write lt, le, gt, "
				  "ge, eq or ne", op);
	node->op = (dts_amount_op)i;
	if (dts_money_parse(&node->amount, value, strlen(value)) < 0)
		return dts__error(DTS_ESYNTAX, ld->file, line_of(n), 0,
				  "bad amount '%s' on <amount>: write a decimal "
				  "number such as 5000 or 1234.56", value);
	return 0;
}

static const struct {
	const char *name;
	dts_node_kind kind;
} kinds[] = {
	{ "all", DTS_N_ALL }, { "any", DTS_N_ANY }, { "not", DTS_N_NOT },
	{ "eq", DTS_N_IN }, { "in", DTS_N_IN }, { "prefix", DTS_N_PREFIX },
	{ "range", DTS_N_RANGE }, { "regex", DTS_N_REGEX },
	{ "contains", DTS_N_CONTAINS }, { "present", DTS_N_PRESENT },
	{ "empty", DTS_N_EMPTY }, { "amount", DTS_N_AMOUNT },
};

#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

static int find_kind(const xmlNode *n)
{
	if (!in_ns(n))
		return -1;
	for (size_t i = 0; i < NKINDS; i++)
		if (!strcmp(ename(n), kinds[i].name))
			return (int)i;
	return -1;
}

static int build_node(dts_node **out, loader *ld, xmlNode *n)
{
	int k = find_kind(n), error;
	dts_node *node;

	if (k < 0)
		return dts__error(DTS_ESYNTAX, ld->file, line_of(n), 0,
				  "<%s> is not a condition; conditions are all, "
				  "any, not, eq, in, prefix, range, regex, "
				  "contains, present, empty, amount", ename(n));
	if (!(node = dts__arena_alloc(&ld->book->arena, sizeof(*node))))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	node->kind = kinds[k].kind;
	node->elem = kinds[k].name;
	node->line = line_of(n);
	node->field = -1;
	switch (node->kind) {
	case DTS_N_ALL: case DTS_N_ANY: case DTS_N_NOT:
		error = build_kids(node, ld, n);
		break;
	case DTS_N_AMOUNT:
		error = build_amount(node, ld, n);
		break;
	default:
		if ((error = set_field(node, ld, n)) < 0)
			break;
		if (node->kind == DTS_N_IN)
			error = build_set(node, ld, n, 1);
		else if (node->kind == DTS_N_PREFIX)
			error = build_set(node, ld, n, 0);
		else if (node->kind == DTS_N_RANGE)
			error = build_range(node, ld, n);
		else if (node->kind == DTS_N_REGEX)
			error = build_regex(node, ld, n);
		else if (node->kind == DTS_N_CONTAINS)
			error = build_contains(node, ld, n);
		else
			error = 0; /* PRESENT, EMPTY: the field is all */
	}
	*out = node;
	return error;
}

/* ---- rules, examples, categories --------------------------------------- */

static int build_example(dts_example *ex, loader *ld, xmlNode *n)
{
	dts_arena *a = &ld->book->arena;
	size_t cnt = 0;
	char names[512];
	int error;

	ex->line = line_of(n);
	if ((error = req_name(&ex->expect, ld, n, "expect", 0)) < 0)
		return error;
	for (xmlAttr *p = n->properties; p; p = p->next)
		cnt++;
	if (!(ex->values = dts__arena_alloc(a, (cnt + 1) * sizeof(dts_value))))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	for (xmlAttr *p = n->properties; p; p = p->next) {
		const char *name = (const char *)p->name;
		dts_value *v = &ex->values[ex->nvalues];
		const char *s;

		if (!strcmp(name, "expect") && !p->ns)
			continue;
		if (p->ns || (v->field = dts_field_lookup(name)) < 0)
			return dts__error(DTS_ESYNTAX, ld->file, ex->line, 0,
					  "<example> attribute '%s' is not a field; "
					  "fields are %s", name,
					  fields_list(names, sizeof(names)));
		if ((error = attr(&s, ld, n, name)) < 0)
			return error;
		v->data = s;
		v->len = strlen(s);
		ex->nvalues++;
	}
	return 0;
}

static int join_source(const char **src, loader *ld, xmlNode *n)
{
	char *t, *joined;
	size_t tl, ol = strlen(*src);
	int error;

	if ((error = trimmed_text(&t, ld, n)) < 0)
		return error;
	if (!(tl = strlen(t)))
		return 0;
	if (!(joined = dts__arena_alloc(&ld->book->arena, ol + tl + 3)))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	memcpy(joined, *src, ol);
	if (ol) {
		memcpy(joined + ol, "; ", 2);
		ol += 2;
	}
	memcpy(joined + ol, t, tl);
	joined[ol + tl] = '\0';
	*src = joined;
	return 0;
}

/*
 * <evidence dimension="delivery|ordered|deliverable" value="...">: a rule
 * that decides one dimension of the record (docs/rule-language.md
 * "Dimensions"), not its category. r->category becomes "DIM:VALUE", what
 * explain prints for it.
 */
static const struct {
	const char *dim;
	int code;
	const char *ev[4];
} dimensions[] = {
	{"delivery", DTS_DIM_DELIVERY, {"digital", "onsite", "physical", "mixed"}},
	{"ordered", DTS_DIM_ORDERED, {"platform", "online", "offline", NULL}},
	{"deliverable", DTS_DIM_DELIVERABLE, {"yes", "no", NULL, NULL}},
};

static int dimension_attrs(dts_rule *r, loader *ld, xmlNode *n, const char *dim,
			   const char *ev)
{
	size_t d, e;
	char *s;

	r->dimension = DTS_DIM_SOLD;
	if (!dim)
		return 0;
	if (xmlHasNsProp(n, (const xmlChar *)"category", NULL) ||
	    xmlHasNsProp(n, (const xmlChar *)"base", NULL) ||
	    xmlHasNsProp(n, (const xmlChar *)"review", NULL))
		return dts__error(DTS_ESYNTAX, ld->file, line_of(n), 0,
				  "<evidence> '%s' gives evidence on one dimension, "
				  "not a category: remove category, base and review",
				  r->id);
	for (d = 0; d < sizeof(dimensions) / sizeof(dimensions[0]); d++)
		if (!strcmp(dim, dimensions[d].dim))
			break;
	if (d == sizeof(dimensions) / sizeof(dimensions[0]))
		return dts__error(DTS_ESYNTAX, ld->file, line_of(n), 0,
				  "bad dimension '%s' on <evidence> '%s': write delivery, "
				  "ordered or deliverable", dim, r->id);
	for (e = 0; e < 4 && dimensions[d].ev[e]; e++)
		if (ev && !strcmp(ev, dimensions[d].ev[e]))
			break;
	if (e == 4 || !dimensions[d].ev[e])
		return dts__error(DTS_ESYNTAX, ld->file, line_of(n), 0,
				  "<evidence> '%s' of dimension %s needs value=\"%s|%s%s%s%s%s\"",
				  r->id, dim, dimensions[d].ev[0], dimensions[d].ev[1],
				  dimensions[d].ev[2] ? "|" : "",
				  dimensions[d].ev[2] ? dimensions[d].ev[2] : "",
				  dimensions[d].ev[3] ? "|" : "",
				  dimensions[d].ev[3] ? dimensions[d].ev[3] : "");
	r->dimension = dimensions[d].code;
	r->evidence = (int)e + 1;
	d = strlen(dim);
	e = strlen(ev);
	if (!(s = dts__arena_alloc(&ld->book->arena, d + e + 2)))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	memcpy(s, dim, d);
	s[d] = ':';
	memcpy(s + d + 1, ev, e + 1);
	r->category = s;
	return 0;
}

static int rule_attrs(dts_rule *r, loader *ld, xmlNode *n)
{
	const char *pri, *base, *dim, *ev;
	int error;

	int is_ev = !strcmp(ename(n), "evidence");

	dim = ev = NULL;
	if ((error = req_name(&r->id, ld, n, "id", 1)) < 0 ||
	    (is_ev && (error = req_attr(&dim, ld, n, "dimension")) < 0) ||
	    (is_ev && (error = req_attr(&ev, ld, n, "value")) < 0) ||
	    (!is_ev && (error = req_name(&r->category, ld, n, "category", 0)) < 0) ||
	    (error = attr(&pri, ld, n, "priority")) < 0 ||
	    (error = attr(&base, ld, n, "base")) < 0 ||
	    (error = yes_no(&r->ordered, ld, n, "ordered")) < 0 ||
	    (error = yes_no(&r->delivered, ld, n, "delivered")) < 0 ||
	    (error = yes_no(&r->platform, ld, n, "platform")) < 0 ||
	    (error = attr(&r->review, ld, n, "review")) < 0 ||
	    (error = dimension_attrs(r, ld, n, dim, ev)) < 0)
		return error;
	if (r->review) {
		const char *c = r->review;

		for (; *c; c++)
			if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
			      (*c == '-' && c != r->review)))
				return dts__error(DTS_ESYNTAX, ld->file, line_of(n), 0,
						  "bad review '%s' on rule '%s': write a "
						  "reason in lower-case letters, digits and "
						  "'-', such as code-only", r->review, r->id);
		if (!*r->review)
			return dts__error(DTS_ESYNTAX, ld->file, line_of(n), 0,
					  "empty review on rule '%s': name a reason "
					  "or remove the attribute", r->id);
	}
	if (pri) {
		char *end;
		long v;

		errno = 0;
		v = strtol(pri, &end, 10);
		if (end == pri || *end || errno || v < INT_MIN || v > INT_MAX)
			return dts__error(DTS_ESYNTAX, ld->file, line_of(n), 0,
					  "bad priority '%s' on rule '%s': write "
					  "an integer such as 600 or -10", pri,
					  r->id);
		r->priority = (int)v;
	}
	r->base = -1;
	if (base && !strcmp(base, "goods"))
		r->base = DTS_BASE_GOODS;
	else if (base && !strcmp(base, "services"))
		r->base = DTS_BASE_SERVICES;
	else if (base)
		return dts__error(DTS_ESYNTAX, ld->file, line_of(n), 0,
				  "bad base '%s' on rule '%s': write goods or "
				  "services", base, r->id);
	return 0;
}

static int wrap_all(dts_rule *r, loader *ld, dts_vec *conds, xmlNode *n)
{
	dts_node *all;

	if (!conds->len)
		return dts__error(DTS_ESYNTAX, ld->file, r->line, 0,
				  "rule '%s' has no condition", r->id);
	if (conds->len == 1) {
		r->cond = conds->items[0];
		return 0;
	}
	all = dts__arena_alloc(&ld->book->arena, sizeof(*all));
	if (all)
		all->kids = dts__arena_alloc(&ld->book->arena,
					     conds->len * sizeof(dts_node *));
	if (!all || !all->kids)
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	all->kind = DTS_N_ALL;
	all->elem = "rule";
	all->line = line_of(n);
	all->field = -1;
	memcpy(all->kids, conds->items, conds->len * sizeof(dts_node *));
	all->nkids = conds->len;
	r->cond = all;
	return 0;
}

static int rule_children(dts_rule *r, loader *ld, xmlNode *n,
			 dts_vec *conds, dts_vec *exs)
{
	int error;

	for (xmlNode *k = n->children; k; k = k->next) {
		const char *name = ename(k);

		if (!is_elem(k))
			continue;
		if (in_ns(k) && !strcmp(name, "source")) {
			if ((error = join_source(&r->source, ld, k)) < 0)
				return error;
		} else if (in_ns(k) && !strcmp(name, "note")) {
			continue;
		} else if (in_ns(k) && !strcmp(name, "example")) {
			dts_example *ex = dts__arena_alloc(&ld->book->arena,
							   sizeof(*ex));

			if (!ex || dts__vec_push(exs, ex) < 0)
				return dts__error(DTS_ENOMEM, NULL, 0, 0,
						  "out of memory");
			if ((error = build_example(ex, ld, k)) < 0)
				return error;
		} else {
			dts_node *c;

			if ((error = build_node(&c, ld, k)) < 0)
				return error;
			if (dts__vec_push(conds, c) < 0)
				return dts__error(DTS_ENOMEM, NULL, 0, 0,
						  "out of memory");
		}
	}
	return 0;
}

static int build_rule(loader *ld, xmlNode *n)
{
	dts_vec conds = { 0 }, exs = { 0 };
	dts_rule *r = dts__arena_alloc(&ld->book->arena, sizeof(*r));
	int error;

	if (!r)
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	r->file = ld->file;
	r->line = line_of(n);
	r->source = "";
	r->category_index = -1;
	if ((error = rule_attrs(r, ld, n)) < 0 ||
	    (error = rule_children(r, ld, n, &conds, &exs)) < 0 ||
	    (error = wrap_all(r, ld, &conds, n)) < 0)
		goto done;
	if (exs.len) {
		r->examples = dts__arena_alloc(&ld->book->arena,
					       exs.len * sizeof(dts_example));
		if (!r->examples) {
			error = dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
			goto done;
		}
		for (size_t i = 0; i < exs.len; i++)
			r->examples[i] = *(dts_example *)exs.items[i];
		r->nexamples = exs.len;
	}
	if (dts__vec_push(&ld->rules, r) < 0)
		error = dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
done:
	dts__vec_free(&conds);
	dts__vec_free(&exs);
	return error;
}

static int build_category(loader *ld, xmlNode *n)
{
	dts_category *c = dts__arena_alloc(&ld->book->arena, sizeof(*c));
	const char *dot;
	int error;

	if (!c)
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	c->file = ld->file;
	c->line = line_of(n);
	if ((error = req_name(&c->code, ld, n, "code", 0)) < 0 ||
	    (error = attr(&c->zh, ld, n, "zh")) < 0 ||
	    (error = attr(&c->en, ld, n, "en")) < 0 ||
	    (error = attr(&c->def_zh, ld, n, "definition-zh")) < 0 ||
	    (error = attr(&c->def_en, ld, n, "definition-en")) < 0)
		return error;
	if (!c->zh)
		c->zh = "";
	if (!c->en)
		c->en = "";
	dot = strchr(c->code, '.');
	c->top = dts__arena_strndup(&ld->book->arena, c->code,
				    dot ? (size_t)(dot - c->code) : strlen(c->code));
	if (!c->top || dts__vec_push(&ld->cats, c) < 0)
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	return 0;
}

/* ---- the standard: bands and boundary decisions -------------------------- */

/* The text of child <name> of n (the first), trimmed, or NULL when absent. */
static int child_text(const char **out, loader *ld, xmlNode *n,
		      const char *name, int required)
{
	char *text;
	int error;

	*out = NULL;
	for (xmlNode *k = n->children; k; k = k->next)
		if (is_elem(k) && in_ns(k) && !strcmp(ename(k), name)) {
			if ((error = trimmed_text(&text, ld, k)) < 0)
				return error;
			*out = text;
			return 0;
		}
	if (required)
		return dts__error(DTS_ESYNTAX, ld->file, line_of(n), 0,
				  "<%s> needs a <%s>", ename(n), name);
	return 0;
}

static int build_band(loader *ld, xmlNode *n)
{
	dts_band_info *b = dts__arena_alloc(&ld->book->arena, sizeof(*b));
	int error;

	if (!b)
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	if ((error = req_attr(&b->priority, ld, n, "priority")) < 0 ||
	    (error = child_text(&b->evidence, ld, n, "evidence", 1)) < 0 ||
	    (error = child_text(&b->result, ld, n, "result", 1)) < 0 ||
	    (error = child_text(&b->reason, ld, n, "reason", 1)) < 0)
		return error;
	if (dts__vec_push(&ld->book->bands, b) < 0)
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	return 0;
}

static int build_decision(loader *ld, xmlNode *n)
{
	dts_arena *a = &ld->book->arena;
	dts_decision_info *d = dts__arena_alloc(a, sizeof(*d));
	size_t ns = 0, nd = 0;
	const char **src;
	dts_differs *dif;
	int error;

	if (!d)
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	memset(d, 0, sizeof(*d));
	d->file = ld->file;
	d->line = line_of(n);
	if ((error = req_name(&d->id, ld, n, "id", 0)) < 0 ||
	    (error = child_text(&d->question, ld, n, "question", 1)) < 0 ||
	    (error = child_text(&d->answer, ld, n, "answer", 1)) < 0 ||
	    (error = child_text(&d->reason, ld, n, "reason", 1)) < 0)
		return error;
	for (xmlNode *k = n->children; k; k = k->next)
		if (is_elem(k) && in_ns(k)) {
			ns += !strcmp(ename(k), "source");
			nd += !strcmp(ename(k), "differs");
		}
	if (!ns)
		return dts__error(DTS_ESYNTAX, ld->file, d->line, 0,
				  "decision '%s' needs a <source>", d->id);
	src = dts__arena_alloc(a, ns * sizeof(*src));
	dif = dts__arena_alloc(a, (nd ? nd : 1) * sizeof(*dif));
	if (!src || !dif)
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	for (xmlNode *k = n->children; k; k = k->next) {
		char *text;

		if (!is_elem(k) || !in_ns(k))
			continue;
		if (!strcmp(ename(k), "source")) {
			if ((error = trimmed_text(&text, ld, k)) < 0)
				return error;
			src[d->nsources++] = text;
		} else if (!strcmp(ename(k), "differs")) {
			dts_differs *f = &dif[d->ndiffers];

			if ((error = req_attr(&f->from, ld, k, "from")) < 0 ||
			    (error = trimmed_text(&text, ld, k)) < 0)
				return error;
			f->text = text;
			d->ndiffers++;
		} else if (strcmp(ename(k), "question") &&
			   strcmp(ename(k), "answer") &&
			   strcmp(ename(k), "reason")) {
			return dts__error(DTS_ESYNTAX, ld->file, line_of(k), 0,
					  "unknown element <%s> in <decision>",
					  ename(k));
		}
	}
	d->sources = src;
	d->differs = dif;
	if (dts__vec_push(&ld->book->decisions, d) < 0)
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	return 0;
}

static int build_standard(loader *ld, xmlNode *n)
{
	int error = 0;

	for (xmlNode *k = n->children; k && error >= 0; k = k->next) {
		if (!is_elem(k))
			continue;
		if (in_ns(k) && !strcmp(ename(k), "band"))
			error = build_band(ld, k);
		else if (in_ns(k) && !strcmp(ename(k), "decision"))
			error = build_decision(ld, k);
		else
			error = dts__error(DTS_ESYNTAX, ld->file, line_of(k), 0,
					   "<standard> holds <band> and <decision>, not <%s>",
					   ename(k));
	}
	return error;
}

/* ---- the document ------------------------------------------------------ */

/* <model id src min-prob [for] [review] [disagree]>: the model file, beside the lists. */
static int build_model(loader *ld, xmlNode *n)
{
	dts__model_attrs a;
	int error;

	if ((error = req_name(&a.id, ld, n, "id", 1)) < 0 ||
	    (error = req_attr(&a.src, ld, n, "src")) < 0 ||
	    (error = req_attr(&a.min_prob, ld, n, "min-prob")) < 0 ||
	    (error = attr(&a.when, ld, n, "for")) < 0 ||
	    (error = attr(&a.review, ld, n, "review")) < 0 ||
	    (error = attr(&a.disagree, ld, n, "disagree")) < 0)
		return error;
	return dts__model_declare(ld->book, ld->file, line_of(n), &a, ld->list_dir,
				  ld->max_file);
}

static int check_depth(loader *ld, xmlNode *root)
{
	xmlNode *n = root;
	unsigned depth = 1;

	/* Iterative pre-order walk: no recursion on hostile input. */
	while (n) {
		if (is_elem(n) && depth > MAX_DEPTH)
			return dts__error(DTS_ELIMIT, ld->file, line_of(n), 0,
					  "elements nested deeper than %d",
					  MAX_DEPTH);
		if (n->children && is_elem(n)) {
			n = n->children;
			depth++;
			continue;
		}
		while (n && !n->next && n != root) {
			n = n->parent;
			depth--;
		}
		if (!n || n == root)
			break;
		n = n->next;
	}
	return 0;
}

static int walk(loader *ld, xmlNode *root, const char **id,
		const char **version)
{
	int error;

	if (!in_ns(root) || strcmp(ename(root), "classifier"))
		return dts__error(DTS_ESYNTAX, ld->file, line_of(root), 0,
				  "the root element must be <classifier "
				  "xmlns=\"" NS "\">, not <%s>", ename(root));
	if ((error = req_name(id, ld, root, "id", 1)) < 0 ||
	    (error = req_attr(version, ld, root, "version")) < 0)
		return error;
	/* Lists first, so rules may use a list declared after them. */
	for (xmlNode *k = root->children; k; k = k->next)
		if (is_elem(k) && in_ns(k) && !strcmp(ename(k), "list") &&
		    (error = declare_list(ld, k)) < 0)
			return error;
	if ((error = index_lists(ld)) < 0)
		return error;
	for (xmlNode *k = root->children; k; k = k->next) {
		const char *name = ename(k);

		if (!is_elem(k))
			continue;
		if (!in_ns(k) || (strcmp(name, "title") && strcmp(name, "list") &&
				  strcmp(name, "category") && strcmp(name, "rule") &&
				  strcmp(name, "evidence") && strcmp(name, "standard") &&
				  strcmp(name, "model")))
			return dts__error(DTS_ESYNTAX, ld->file, line_of(k), 0,
					  "unknown element <%s> in <classifier>; "
					  "expected title, list, model, category, rule, evidence or standard",
					  name);
		if (!strcmp(name, "category"))
			error = build_category(ld, k);
		else if (!strcmp(name, "standard"))
			error = build_standard(ld, k);
		else if (!strcmp(name, "rule") || !strcmp(name, "evidence"))
			error = build_rule(ld, k);
		else if (!strcmp(name, "model"))
			error = build_model(ld, k);
		if (error < 0)
			return error;
	}
	return 0;
}

/* ---- libxml2 plumbing ---------------------------------------------------- */

static void on_error(void *data, xmlErrorPtr e)
{
	parse_state *st = data;
	size_t len;

	if (e && e->code == XML_ERR_NO_MEMORY)
		st->nomem = 1;
	if (st->have_err || !e || e->level < XML_ERR_ERROR)
		return;
	st->have_err = 1;
	st->line = e->line > 0 ? (unsigned)e->line : 0;
	st->col = e->int2 > 0 ? (unsigned)e->int2 : 0;
	snprintf(st->msg, sizeof(st->msg), "%s", e->message ? e->message : "?");
	len = strlen(st->msg);
	while (len && is_space((unsigned char)st->msg[len - 1]))
		st->msg[--len] = '\0';
	if (e->node && ((const xmlNode *)e->node)->type == XML_ELEMENT_NODE) {
		st->node = e->node;
		st->line = line_of(st->node);
	}
}

static void on_parser_error(void *ctx, xmlErrorPtr e)
{
	xmlParserCtxtPtr c = ctx;

	on_error(c->_private, e);
}

/* The first DOCTYPE stops the parser: no DTD, entity or subset is read. */
static void on_subset(void *ctx, const xmlChar *name, const xmlChar *ext,
		      const xmlChar *sys)
{
	xmlParserCtxtPtr c = ctx;
	parse_state *st = c->_private;

	st->dtd = 1;
	st->line = (unsigned)xmlSAX2GetLineNumber(ctx);
	xmlStopParser(c);
}

static int parse(xmlDocPtr *out, loader *ld, const char *xml, size_t len)
{
	xmlParserCtxtPtr c = xmlNewParserCtxt();
	parse_state st = { 0 };
	xmlDocPtr doc = NULL;
	int error = 0;

	*out = NULL;
	if (!c)
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	c->_private = &st;
	c->sax->internalSubset = on_subset;
	c->sax->externalSubset = NULL;
	c->sax->serror = on_parser_error;
	c->sax->initialized = XML_SAX2_MAGIC;
	/* COMPACT keeps short texts inside their nodes (fewer allocations):
	 * the tree is only read, by the loader and the validator. */
	doc = xmlCtxtReadMemory(c, xml, (int)len, ld->file, NULL,
				XML_PARSE_NONET | XML_PARSE_NOERROR |
				XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES | XML_PARSE_COMPACT);
	if (st.nomem || (!doc && !st.have_err && !st.dtd)) {
		/* libxml2 says why a document fails to parse; silence is
		 * memory it could not get */
		error = dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	} else if (st.dtd || (doc && (doc->intSubset || doc->extSubset))) {
		error = dts__error(DTS_ESYNTAX, ld->file, st.line ? st.line : 1,
				   0, "DTD and entities are not allowed in a "
				   "classifier: remove the <!DOCTYPE ...>");
	} else if (!doc || st.have_err || !c->wellFormed) {
		error = dts__error(DTS_ESYNTAX, ld->file, st.line, st.col,
				   "malformed XML: %s", st.have_err ? st.msg :
				   "the document could not be parsed");
	} else if (!xmlDocGetRootElement(doc)) {
		error = dts__error(DTS_ESYNTAX, ld->file, 1, 0,
				   "the document has no root element");
	}
	if (error < 0)
		xmlFreeDoc(doc);
	else
		*out = doc;
	xmlFreeParserCtxt(c);
	return error;
}

/*
 * The element a validator message is about: libxml2 sometimes reports the
 * parent's failure on a child node ("Element rule failed to validate
 * attributes" on the <eq> inside), so trust the name in the message.
 */
static const xmlNode *blamed(const parse_state *st, char *name, size_t size)
{
	const xmlNode *n = st->node;
	const char *m = st->msg, *p;

	name[0] = '\0';
	if ((p = strstr(m, "Element ")) || (p = strstr(m, "element "))) {
		size_t k = 0;

		for (p += 8; *p && *p != ' ' && *p != ',' && k + 1 < size; p++)
			name[k++] = *p;
		name[k] = '\0';
	}
	while (n && name[0] && strcmp((const char *)n->name, name) &&
	       n->parent && n->parent->type == XML_ELEMENT_NODE)
		n = n->parent;
	if (n && name[0] && strcmp((const char *)n->name, name))
		n = st->node;
	if (n)
		snprintf(name, size, "%s", (const char *)n->name);
	else if (!name[0])
		snprintf(name, size, "?");
	return n;
}

/* Say what to fix, not what the validator's automaton expected. */
static int schema_error(loader *ld, const parse_state *st)
{
	const char *m = st->msg;
	char e[128], a[128];
	const xmlNode *n = blamed(st, e, sizeof(e));
	const char *p = n && n->parent && n->parent->type == XML_ELEMENT_NODE ?
		(const char *)n->parent->name : "the document";
	unsigned line = n ? line_of(n) : st->line;

	if (sscanf(m, "Invalid attribute %127s for element", a) == 1)
		return dts__error(DTS_ESYNTAX, ld->file, line, 0,
				  "attribute '%s' is not allowed on <%s>: remove "
				  "it (schema: %s)", a, e, m);
	if (strstr(m, "Did not expect text"))
		return dts__error(DTS_ESYNTAX, ld->file, line, 0,
				  "<%s> cannot hold text here: put free text in "
				  "<source> or <note> (schema: %s)", e, m);
	if (strstr(m, "Did not expect element") || strstr(m, "extra content"))
		return dts__error(DTS_ESYNTAX, ld->file, line, 0,
				  "element <%s> is not allowed at this place in "
				  "<%s>: a <classifier> holds title?, then list, "
				  "category and rule; a <rule> holds source*, "
				  "note?, conditions, example* in that order "
				  "(schema: %s)", e, p, m);
	if (strstr(m, "Expecting an element") || strstr(m, "Expecting element"))
		return dts__error(DTS_ESYNTAX, ld->file, line, 0,
				  "<%s> is missing a required element: a rule "
				  "needs at least one condition (schema: %s)", e, m);
	if (strstr(m, "failed to validate attributes"))
		return dts__error(DTS_ESYNTAX, ld->file, line, 0,
				  "<%s> has a missing or invalid attribute: see "
				  "docs/rule-language.md for its attributes "
				  "(schema: %s)", e, m);
	return dts__error(DTS_ESYNTAX, ld->file, line, 0,
			  "<%s> does not follow the classifier schema: %s", e, m);
}

static int validate(loader *ld, xmlDocPtr doc)
{
	xmlRelaxNGParserCtxtPtr pc = NULL;
	xmlRelaxNGPtr schema = NULL;
	xmlRelaxNGValidCtxtPtr vc = NULL;
	parse_state st = { 0 };
	int error = 0, rc;

	pc = xmlRelaxNGNewMemParserCtxt(dts__schema_rng, (int)dts__schema_rng_len);
	if (!pc) {
		error = dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	xmlRelaxNGSetParserStructuredErrors(pc, on_error, &st);
	/* The embedded schema is fixed and parses (tests/unit): when it does
	 * not, libxml2 could not get memory, whatever it says (RELAX NG
	 * parsing reports a failed allocation as "could not parse schemas"). */
	if (!(schema = xmlRelaxNGParse(pc))) {
		error = dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory "
				   "(parsing the embedded classifier schema: %s)",
				   st.have_err ? st.msg : "no reason given");
		goto done;
	}
	if (!(vc = xmlRelaxNGNewValidCtxt(schema))) {
		error = dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	xmlRelaxNGSetValidStructuredErrors(vc, on_error, &st);
	rc = xmlRelaxNGValidateDoc(vc, doc);
	if (st.nomem)
		error = dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	else if (rc > 0 || st.have_err)
		error = schema_error(ld, &st);
	else if (rc < 0)
		error = dts__error(DTS_ERROR, ld->file, 0, 0,
				   "the schema validator failed internally");
done:
	xmlRelaxNGFreeValidCtxt(vc);
	xmlRelaxNGFree(schema);
	xmlRelaxNGFreeParserCtxt(pc);
	return error;
}

static int ensure_mctx(dts_rulebook *book, const dts_rules_options *opts)
{
	uint32_t ml = opts && opts->match_limit ? opts->match_limit :
		DEFAULT_MATCH_LIMIT;
	uint32_t dl = opts && opts->depth_limit ? opts->depth_limit :
		DEFAULT_DEPTH_LIMIT;

	if (book->mctx)
		return 0;
	if (!(book->mctx = pcre2_match_context_create(NULL)))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	pcre2_set_match_limit(book->mctx, ml);
	pcre2_set_depth_limit(book->mctx, dl);
	return 0;
}

/* Everything passed: hand the rules and categories to the book. */
static int commit(loader *ld, const char *id, const char *version)
{
	dts_rulebook *b = ld->book;

	for (size_t i = 0; i < ld->rules.len; i++) {
		dts_rule *r = ld->rules.items[i];

		r->written = b->rules.len;
		if (dts__vec_push(&b->rules, r) < 0)
			return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	}
	for (size_t i = 0; i < ld->cats.len; i++)
		if (dts__vec_push(&b->categories, ld->cats.items[i]) < 0)
			return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	if (dts__vec_push(&b->files, (void *)ld->file) < 0)
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	if (!b->id) {
		b->id = id;
		b->version = version;
	}
	return 0;
}

int dts__load_buffer(dts_rulebook *book, const char *name,
		     const char *basedir, const char *xml, size_t len,
		     const dts_rules_options *opts)
{
	loader ld = { 0 };
	dts_xml_saved saved;
	xmlDocPtr doc = NULL;
	const char *id = NULL, *version = NULL;
	int error;

	if (!book || (!xml && len))
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts__load_buffer: NULL argument");
	dts__xml_init();
	dts__xml_quiet(&saved); /* libxml2 must not print; restored at done */
	ld.book = book;
	ld.xml = xml;
	ld.len = len;
	ld.basedir = basedir;
	ld.list_dir = opts && opts->version >= 2 && opts->list_dir ?
		opts->list_dir : basedir;
	ld.max_file = opts && opts->max_file_size ? opts->max_file_size :
		DEFAULT_MAX_FILE;
	ld.flags = opts ? opts->flags : 0;
	if (!(ld.file = dts__arena_strdup(&book->arena, name ? name : "<buffer>"))) {
		error = dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	if (len > ld.max_file || len > INT_MAX) {
		error = dts__error(DTS_ELIMIT, ld.file, 0, 0,
				   "classifier is %zu bytes, over the limit of %zu",
				   len, ld.max_file);
		goto done;
	}
	if ((error = ensure_mctx(book, opts)) < 0 ||
	    (error = parse(&doc, &ld, xml ? xml : "", len)) < 0 ||
	    (error = check_depth(&ld, xmlDocGetRootElement(doc))) < 0 ||
	    (error = walk(&ld, xmlDocGetRootElement(doc), &id, &version)) < 0)
		goto done;
	if (!(ld.flags & DTS_RULES_NO_SCHEMA) && (error = validate(&ld, doc)) < 0)
		goto done;
	error = commit(&ld, id, version);
done:
	xmlFreeDoc(doc);
	dts__xml_restore(&saved);
	dts__vec_free(&ld.lists);
	dts__vec_free(&ld.rules);
	dts__vec_free(&ld.cats);
	dts__vec_free(&ld.tmp);
	pcre2_match_data_free(ld.md);
	return error;
}

int dts__load_file(dts_rulebook *book, const char *path,
		   const dts_rules_options *opts)
{
	size_t max = opts && opts->max_file_size ? opts->max_file_size :
		DEFAULT_MAX_FILE;
	const char *slash;
	char *data = NULL, *dir = NULL;
	size_t len = 0;
	int error;

	if (!book || !path)
		return dts__error(DTS_EINVAL, NULL, 0, 0,
				  "dts__load_file: NULL argument");
	if ((error = dts__read_file(&data, &len, NULL, path, 0, max, NULL, 0,
				    0)) < 0)
		return error;
	slash = strrchr(path, '/');
	if (slash && !(dir = dts__arena_strndup(&book->arena, path,
						slash == path ? 1 : (size_t)(slash - path)))) {
		error = dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	error = dts__load_buffer(book, path, dir, data, len, opts);
done:
	free(data);
	return error;
}
