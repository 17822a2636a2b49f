/*
 * profile.c — source profiles (dts/profile.h): the XML file of one layout
 * loaded and checked, header rows scored, total and note rows told apart.
 * The plan that rewrites rows is in profile_plan.c.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/tree.h>

#include "profile_int.h"
#include "profile_spec.h"

#define KEY_CAP 256

/* ---- loading ------------------------------------------------------------- */

typedef struct loader {
	dts_profile *p;
	const char *file;
	char err[512];
	unsigned err_line;
	int have_err;
} loader;

static void on_schema_error(void *ctx, const xmlError *e)
{
	loader *ld = ctx;

	if (ld->have_err || !e)
		return;
	ld->have_err = 1;
	ld->err_line = e->line > 0 ? (unsigned)e->line : 0;
	snprintf(ld->err, sizeof(ld->err), "%s", e->message ? e->message : "invalid");
	for (size_t n = strlen(ld->err); n > 0 && ld->err[n - 1] == '\n'; n--)
		ld->err[n - 1] = '\0';
}

/* The profile schema parsed, or NULL (no memory). */
static xmlRelaxNGPtr parse_schema(void)
{
	xmlRelaxNGParserCtxtPtr pc;
	xmlRelaxNGPtr schema = NULL;

	pc = xmlRelaxNGNewMemParserCtxt(dts__profile_rng, (int)dts__profile_rng_len);
	if (pc)
		schema = xmlRelaxNGParse(pc);
	xmlRelaxNGFreeParserCtxt(pc);
	return schema;
}

/* doc against schema (parsed by parse_schema, or NULL: parse it here). */
static int validate(loader *ld, xmlDocPtr doc, xmlRelaxNGPtr schema)
{
	xmlRelaxNGPtr own = schema ? NULL : parse_schema();
	xmlRelaxNGValidCtxtPtr vc = NULL;
	int rc = 0;

	if (!(schema = schema ? schema : own) || !(vc = xmlRelaxNGNewValidCtxt(schema))) {
		rc = dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory (profile schema)");
		goto done;
	}
	xmlRelaxNGSetValidStructuredErrors(vc, (xmlStructuredErrorFunc)on_schema_error, ld);
	if (xmlRelaxNGValidateDoc(vc, doc) != 0)
		rc = dts__error(DTS_ESYNTAX, ld->file, ld->err_line, 0,
				"does not follow the profile schema (profiles/dts-profile.rng): %s",
				ld->have_err ? ld->err : "invalid");
done:
	xmlRelaxNGFreeValidCtxt(vc);
	xmlRelaxNGFree(own);
	return rc;
}

static int is_elem(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* An attribute (or NULL), copied into the profile's arena. */
static const char *attr(loader *ld, const xmlNode *n, const char *name, int *oom)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	char *s;

	if (!v) {
		/* there, yet not read: libxml2 could not get memory */
		if (xmlHasProp(n, (const xmlChar *)name))
			*oom = 1;
		return NULL;
	}
	s = dts__arena_strdup(&ld->p->arena, (const char *)v);
	xmlFree(v);
	if (!s)
		*oom = 1;
	return s;
}

static const char *text_of(loader *ld, const xmlNode *n, int *oom)
{
	xmlChar *v = xmlNodeGetContent(n);
	char *s;

	if (!v)
		return *oom = 1, NULL;
	s = dts__arena_strdup(&ld->p->arena, (const char *)v);
	xmlFree(v);
	if (!s)
		*oom = 1;
	return s;
}

static int push(loader *ld, void *pp, size_t *n, size_t elem)
{
	void **p = pp;
	void *q = dts__arena_alloc(&ld->p->arena, (*n + 1) * elem);

	if (!q)
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	if (*n)
		memcpy(q, *p, *n * elem);
	*p = q;
	(*n)++;
	return 0;
}

static int scheme_of(loader *ld, const xmlNode *n, int field, const char *s, int *out)
{
	static const struct { const char *name; int sch; int field; } tab[] = {
		{"code", DTS__SCH_CODE, DTS_F_TRADE_MODE},
		{"name", DTS__SCH_NAME, DTS_F_TRADE_MODE},
		{"stat", DTS__SCH_STAT, DTS_F_TRADE_MODE},
		{"auto", DTS__SCH_AUTO, DTS_F_TRADE_MODE},
		{"iso", DTS__SCH_ISO, DTS_F_COUNTERPART},
		{"customs", DTS__SCH_CUSTOMS, DTS_F_COUNTERPART},
		{"name", DTS__SCH_NAME, DTS_F_COUNTERPART},
		{"auto", DTS__SCH_AUTO, DTS_F_COUNTERPART},
		{"county", DTS__SCH_COUNTY, DTS_F_REGION},
		{"name", DTS__SCH_NAME, DTS_F_REGION},
		{"area", DTS__SCH_AREA, DTS_F_REGION},
		{"auto", DTS__SCH_AUTO, DTS_F_REGION},
	};

	*out = DTS__SCH_AS_IS;
	if (!s)
		return 0;
	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (tab[i].field == field && strcmp(tab[i].name, s) == 0)
			return *out = tab[i].sch, 0;
	return dts__error(DTS_ESYNTAX, ld->file, (unsigned)xmlGetLineNo(n), 0,
			  "scheme '%s' is not one of %s's schemes (trade_mode: code name "
			  "stat auto; counterpart: iso customs name auto; region: county "
			  "name area auto)", s, dts_field_name(field));
}

static int field_attr(loader *ld, const xmlNode *n, const char *name, int *out, int *oom)
{
	const char *f = attr(ld, n, name, oom);

	if (!f)
		return *out = -1, *oom ? dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory") : 0;
	if ((*out = dts_field_lookup(f)) < 0)
		return dts__error(DTS_ESYNTAX, ld->file, (unsigned)xmlGetLineNo(n), 0,
				  "unknown field '%s' (see dts/field.h)", f);
	return 0;
}

/* <header> and <pattern> children (and <value> of an exclude). */
static int headers_of(loader *ld, const xmlNode *n, pspec *sp, int *oom)
{
	for (const xmlNode *c = n->children; c; c = c->next) {
		const char *t;
		int rc;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!(t = text_of(ld, c, oom)))
			return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
		if (is_elem(c, "header")) {
			char key[KEY_CAP];
			size_t k = dts__header_key(key, sizeof(key), t, strlen(t));
			char *s;

			if (k == 0)
				return dts__error(DTS_ESYNTAX, ld->file, (unsigned)xmlGetLineNo(c), 0,
						  "empty or overlong <header>");
			if (!(s = dts__arena_strndup(&ld->p->arena, key, k)) ||
			    (rc = push(ld, &sp->headers, &sp->nheaders, sizeof(char *))) < 0)
				return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
			sp->headers[sp->nheaders - 1] = s;
		} else if (is_elem(c, "pattern")) {
			int ec;
			PCRE2_SIZE eo;
			pcre2_code *re = pcre2_compile((PCRE2_SPTR)t, PCRE2_ZERO_TERMINATED,
						       PCRE2_UTF | PCRE2_CASELESS, &ec, &eo, NULL);

			if (!re && ec == PCRE2_ERROR_HEAP_FAILED)
				return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
			if (!re) {
				PCRE2_UCHAR msg[128];

				pcre2_get_error_message(ec, msg, sizeof(msg));
				return dts__error(DTS_ESYNTAX, ld->file, (unsigned)xmlGetLineNo(c), 0,
						  "<pattern> '%s' at %zu: %s", t, (size_t)eo, (char *)msg);
			}
			if ((rc = push(ld, &sp->pats, &sp->npats, sizeof(pcre2_code *))) < 0) {
				pcre2_code_free(re);
				return rc;
			}
			sp->pats[sp->npats - 1] = re;
		} else if (is_elem(c, "value")) {
			char *v = dts__arena_alloc(&ld->p->arena, strlen(t) + 1);

			if (!v || (rc = push(ld, &sp->values, &sp->nvalues, sizeof(char *))) < 0)
				return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
			dts_field_normalize(v, strlen(t) + 1, NULL, DTS_F_DESCRIPTION, t, strlen(t));
			dts__fold_lower(v, v, strlen(v));
			sp->values[sp->nvalues - 1] = v;
		}
	}
	return 0;
}

static int spec_of(loader *ld, const xmlNode *n, int kind, int field)
{
	dts_profile *p = ld->p;
	pspec *sp;
	const char *s;
	int oom = 0, rc;

	if ((rc = push(ld, &p->specs, &p->nspecs, sizeof(pspec))) < 0)
		return rc;
	sp = &p->specs[p->nspecs - 1];
	memset(sp, 0, sizeof(*sp));
	sp->kind = kind;
	sp->field = field;
	sp->line = (unsigned)xmlGetLineNo(n);
	if (kind == SP_COLUMN && (rc = field_attr(ld, n, "field", &sp->field, &oom)) < 0)
		return rc;
	if (sp->field < 0 && kind == SP_COLUMN)
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	s = attr(ld, n, "required", &oom);
	sp->required = s && strcmp(s, "yes") == 0;
	sp->currency = attr(ld, n, "currency", &oom);
	sp->unit = attr(ld, n, "unit", &oom);
	sp->set = attr(ld, n, "value", &oom);
	sp->reason = attr(ld, n, "reason", &oom);
	if (kind == SP_COLUMN &&
	    (rc = scheme_of(ld, n, sp->field, attr(ld, n, "scheme", &oom), &sp->scheme)) < 0)
		return rc;
	if ((rc = headers_of(ld, n, sp, &oom)) < 0)
		return rc;
	if (oom)
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	if (kind == SP_COLUMN && sp->field == DTS_F_CURRENCY)
		p->has_currency_col = 1;
	return 0;
}

static int walk(loader *ld, const xmlNode *root)
{
	dts_profile *p = ld->p;
	int oom = 0, rc = 0, f;

	p->name = attr(ld, root, "name", &oom);
	p->title = "";
	p->unpivot_field = -1;
	for (const xmlNode *n = root->children; n && rc == 0; n = n->next) {
		if (is_elem(n, "title")) {
			p->title = text_of(ld, n, &oom);
		} else if (is_elem(n, "set")) {
			if ((rc = field_attr(ld, n, "field", &f, &oom)) < 0)
				break;
			if (f < 0) /* the schema requires it */
				return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
			if (p->set_value[f])
				return dts__error(DTS_ESYNTAX, ld->file, (unsigned)xmlGetLineNo(n), 0,
						  "field %s is set twice", dts_field_name(f));
			p->set_value[f] = text_of(ld, n, &oom);
		} else if (is_elem(n, "column")) {
			rc = spec_of(ld, n, SP_COLUMN, -1);
		} else if (is_elem(n, "unpivot")) {
			if ((rc = field_attr(ld, n, "field", &p->unpivot_field, &oom)) < 0)
				break;
			if (p->unpivot_field < 0)
				return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
			for (const xmlNode *c = n->children; c && rc == 0; c = c->next)
				if (is_elem(c, "cell"))
					rc = spec_of(ld, c, SP_CELL, DTS_F_VALUE);
		} else if (is_elem(n, "exclude")) {
			rc = spec_of(ld, n, SP_EXCLUDE, -1);
		} else if (is_elem(n, "exclude-negative")) {
			p->negative_reason = attr(ld, n, "reason", &oom);
		} else if (is_elem(n, "derive")) {
			int from;

			if ((rc = field_attr(ld, n, "field", &f, &oom)) < 0 ||
			    (rc = field_attr(ld, n, "from", &from, &oom)) < 0)
				break;
			if (f < 0 || from < 0)
				return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
			if (f != DTS_F_EBOPS_CODE || from != DTS_F_BOP_CODE)
				return dts__error(DTS_ESYNTAX, ld->file, (unsigned)xmlGetLineNo(n), 0,
						  "<derive> knows ebops_code from bop_code only");
			p->derive_ebops = 1;
		} else if (is_elem(n, "canonical")) {
			p->canonical = 1;
		}
	}
	if (rc == 0 && oom)
		rc = dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	return rc;
}

/* dts_profile_load_buffer with the schema already parsed (or NULL). */
static int load_buffer(dts_profile **out, const char *xml, size_t len, const char *name,
		       xmlRelaxNGPtr schema)
{
	loader ld = { 0 };
	dts_xml_saved saved;
	xmlDocPtr doc = NULL;
	int rc;

	if (!out || (!xml && len))
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_profile_load_buffer: NULL argument");
	*out = NULL;
	if (len > INT32_MAX)
		return dts__error(DTS_ELIMIT, name, 0, 0, "profile too large");
	if (!(ld.p = calloc(1, sizeof(*ld.p))))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	if (!(ld.file = dts__arena_strdup(&ld.p->arena, name ? name : "(profile)"))) {
		free(ld.p);
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	}
	ld.p->file = ld.file;
	dts__xml_init();
	dts__xml_quiet(&saved);
	doc = xmlReadMemory(xml ? xml : "", (int)len, ld.file, NULL,
			    XML_PARSE_NONET | XML_PARSE_NOBLANKS);
	if (!doc) {
		const xmlError *e = xmlGetLastError();

		rc = dts__error(DTS_ESYNTAX, ld.file, e ? (unsigned)e->line : 0, 0,
				"not well-formed XML: %s", e && e->message ? e->message : "?");
		goto done;
	}
	if ((rc = validate(&ld, doc, schema)) < 0 || (rc = walk(&ld, xmlDocGetRootElement(doc))) < 0)
		goto done;
done:
	xmlFreeDoc(doc);
	dts__xml_restore(&saved);
	if (rc < 0) {
		dts_profile_free(ld.p);
		return rc;
	}
	*out = ld.p;
	return 0;
}

int dts_profile_load_buffer(dts_profile **out, const char *xml, size_t len, const char *name)
{
	return load_buffer(out, xml, len, name, NULL);
}

int dts_profile_load(dts_profile **out, const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	int rc;

	if (!out || !path)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_profile_load: NULL argument");
	*out = NULL;
	if ((rc = dts__read_file(&buf, &len, NULL, path, 0, (size_t)1 << 20, NULL, 0, 0)) < 0)
		return rc;
	rc = dts_profile_load_buffer(out, buf, len, path);
	free(buf);
	return rc;
}

int dts_profile_builtin(dts_profile **out, const char *name)
{
	if (!out || !name)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_profile_builtin: NULL argument");
	*out = NULL;
	for (size_t i = 0; i < dts__builtin_profiles_n; i++)
		if (strcmp(dts__builtin_profiles[i].name, name) == 0)
			return dts_profile_load_buffer(out, dts__builtin_profiles[i].xml,
						       dts__builtin_profiles[i].len,
						       dts__builtin_profiles[i].name);
	return dts__error(DTS_ENOTFOUND, NULL, 0, 0, "no built-in profile '%s'", name);
}

/*
 * The built-in profiles, loaded once per process and shared read-only by
 * every source (a profile is immutable once loaded): sources do not parse
 * and validate seven XML files each. A load that fails (no memory) is not
 * kept, and the next caller tries again.
 */
static pthread_mutex_t builtin_lock = PTHREAD_MUTEX_INITIALIZER;
static dts_profile *builtin_set[64];
static size_t builtin_n;

int dts__profile_builtins(dts_profile *const **out, size_t *n)
{
	int rc = 0;

	pthread_mutex_lock(&builtin_lock);
	if (!builtin_n) {
		size_t k = 0;
		xmlRelaxNGPtr schema;
		dts_xml_saved saved;

		/* One parse of the schema for all of them: it was most of the
		 * cost of loading a profile (7.0 M of 11.5 M instructions). */
		dts__xml_init();
		dts__xml_quiet(&saved);
		schema = parse_schema();
		dts__xml_restore(&saved);
		if (!schema)
			rc = dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory (profile schema)");
		for (; k < dts__builtin_profiles_n && k < 64 && rc == 0; k++)
			rc = load_buffer(&builtin_set[k], dts__builtin_profiles[k].xml,
					 dts__builtin_profiles[k].len,
					 dts__builtin_profiles[k].name, schema);
		xmlRelaxNGFree(schema);
		if (rc < 0)
			while (k > 0)
				dts_profile_free(builtin_set[--k]), builtin_set[k] = NULL;
		else
			builtin_n = k;
	}
	*out = builtin_set;
	*n = builtin_n;
	pthread_mutex_unlock(&builtin_lock);
	return rc;
}

size_t dts_profile_builtin_names(const char *const **names)
{
	static const char *list[64];
	static const size_t n = sizeof(list) / sizeof(list[0]);

	/* Written once from constant data: the same every call. */
	for (size_t i = 0; i < dts__builtin_profiles_n && i < n; i++)
		list[i] = dts__builtin_profiles[i].name;
	if (names)
		*names = list;
	return dts__builtin_profiles_n < n ? dts__builtin_profiles_n : n;
}

void dts_profile_free(dts_profile *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nspecs; i++)
		for (size_t j = 0; j < p->specs[i].npats; j++)
			pcre2_code_free(p->specs[i].pats[j]);
	dts__arena_free(&p->arena);
	free(p);
}

const char *dts_profile_name(const dts_profile *p)
{
	return p && p->name ? p->name : "";
}

const char *dts_profile_title(const dts_profile *p)
{
	return p && p->title ? p->title : "";
}

int dts__profile_is_canonical(const dts_profile *p)
{
	return p && p->canonical;
}

/* ---- matching headers ---------------------------------------------------- */

int dts__spec_matches(const pspec *sp, const char *h, size_t len)
{
	char key[KEY_CAP];
	size_t k = dts__header_key(key, sizeof(key), h, len);
	int hit = 0;

	if (k == 0)
		return 0;
	for (size_t i = 0; i < sp->nheaders && !hit; i++)
		hit = strcmp(sp->headers[i], key) == 0;
	for (size_t i = 0; i < sp->npats && !hit; i++) {
		pcre2_match_data *md = pcre2_match_data_create_from_pattern(sp->pats[i], NULL);

		if (!md)
			return 0;
		hit = pcre2_match(sp->pats[i], (PCRE2_SPTR)key, k, 0, 0, md, NULL) >= 0;
		pcre2_match_data_free(md);
	}
	return hit;
}

int dts_profile_score(const dts_profile *p, const char *const *hdr, size_t n)
{
	int score = 0;

	if (!p || (!hdr && n))
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_profile_score: NULL argument");
	if (p->canonical) {
		int seen[DTS_F_COUNT] = { 0 };

		for (size_t i = 0; i < n; i++) {
			int f = dts_field_alias(hdr[i], strlen(hdr[i]));

			if (f >= 0 && !seen[f])
				seen[f] = 1, score++;
		}
		return score ? score : DTS_ENOTFOUND;
	}
	for (size_t s = 0; s < p->nspecs; s++) {
		size_t i;

		for (i = 0; i < n; i++)
			if (dts__spec_matches(&p->specs[s], hdr[i], strlen(hdr[i])))
				break;
		if (i < n)
			score++;
		else if (p->specs[s].required)
			return DTS_ENOTFOUND;
	}
	return score ? score : DTS_ENOTFOUND;
}

/* ---- rows that are not records -------------------------------------------- */

static size_t trimmed(const char **s, size_t len)
{
	while (len && (**s == ' ' || **s == '\t')) {
		(*s)++;
		len--;
	}
	while (len && ((*s)[len - 1] == ' ' || (*s)[len - 1] == '\t'))
		len--;
	return len;
}

static int starts(const char *s, size_t len, const char *w)
{
	size_t n = strlen(w);

	return len >= n && memcmp(s, w, n) == 0;
}

int dts__profile_row_kind(const char *const *cols, const size_t *lens, size_t n)
{
	static const char *const totals[] = {"合计", "总计", "小计", "总额", "Total", "TOTAL",
					     "total", "Grand total", "Subtotal"};
	static const char *const notes[] = {"注：", "注:", "注 ", "说明", "资料来源", "数据来源",
					    "备注：", "Note", "NOTE", "Source:", "Sources:"};
	size_t i;

	for (i = 0; i < n; i++) {
		const char *s = cols[i];
		size_t len = trimmed(&s, lens[i]);

		if (len == 0)
			continue;
		for (size_t t = 0; t < sizeof(totals) / sizeof(totals[0]); t++)
			if (len == strlen(totals[t]) && memcmp(s, totals[t], len) == 0)
				return 1;
		for (size_t t = 0; t < sizeof(notes) / sizeof(notes[0]); t++)
			if (starts(s, len, notes[t]))
				return 2;
		/* 注 alone, or "注1：" */
		if (len == 3 && memcmp(s, "注", 3) == 0)
			return 2;
		return 0;
	}
	return 3;
}

int dts__profile_unit_row(char *unit, size_t cap, const char *const *cols,
			  const size_t *lens, size_t n)
{
	const char *cell = NULL;
	size_t len = 0, nl = 1;
	dts_unit u;

	for (size_t i = 0; i < n; i++) {
		const char *s = cols[i];
		size_t l = trimmed(&s, lens[i]);

		if (!l)
			continue;
		if (cell)
			return 0;
		cell = s;
		len = l;
	}
	/* dts_unit_find reads the row ("单位：万元", "Unit: USD thousand") */
	if (!cell || len >= cap || dts_unit_find(&u, &nl, cell, len) != 0 || nl != 0)
		return 0;
	memcpy(unit, cell, len);
	unit[len] = '\0';
	return 1;
}
