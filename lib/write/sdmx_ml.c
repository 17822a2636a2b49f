/*
 * sdmx_ml.c — an SDMX-ML 2.1 GenericData message with all dimensions at
 * the observation level (see dts/table.h), written with libxml2's
 * xmlTextWriter: it escapes attribute values (& < > " and tab, CR, LF as
 * character references) so no text is escaped by hand. UTF-8 passes
 * through as it is (the document declares UTF-8). Line breaks between
 * elements keep the file readable and diffable.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/xmlwriter.h>

#include "hash.h"
#include "internal.h"
#include "write_int.h"
#include "dts/cube.h"

#define NS_MESSAGE "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
#define NS_COMMON "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"
#define NS_GENERIC "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic"
#define NS_STRUCTURE "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure"
#define AGENCY "LIBDTS"

typedef struct out {
	dts_write_cb cb;
	void *payload;
	int rc;       /* the callback's first non-zero return */
} out;

static int io_write(void *ctx, const char *buf, int len)
{
	out *o = ctx;

	if (o->rc)
		return -1;
	if (len > 0 && (o->rc = o->cb(buf, (size_t)len, o->payload)) != 0)
		return -1;
	return len;
}

static int io_close(void *ctx)
{
	(void)ctx;
	return 0;
}

#define X(s) ((const xmlChar *)(s))

/* ---- what the data and structure messages share ------------------------- */

static int id_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '@' || c == '$' ||
	       c == '-';
}

/* IDType: [A-Za-z0-9_@$-]+ */
static int is_id(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!id_char((unsigned char)*s))
			return 0;
	return 1;
}

const char *dts__sdmx_code(const dts_table *t, size_t col, const char *v,
			   char *buf, size_t n)
{
	size_t i = 0;

	if (!*v)
		return "_Z";   /* not applicable */
	/* never cut a value short (two values would become one): one too
	 * long for buf stays as it is */
	if (!t->cols[col].ncodes || strlen(v) >= n)
		return v;
	for (; v[i] && i + 1 < n; i++)
		buf[i] = id_char((unsigned char)v[i]) ? v[i] : '_';
	buf[i] = '\0';
	return buf;
}

static int digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

const char *dts__sdmx_freq(const char *p)
{
	size_t n = strlen(p);

	if (n < 4 || !digits(p, 4))
		return "_Z";
	if (n == 4)
		return "A";
	if (n == 7 && p[4] == '-' && p[5] == 'S' && (p[6] == '1' || p[6] == '2'))
		return "S";
	if (n == 7 && p[4] == '-' && p[5] == 'Q' && p[6] >= '1' && p[6] <= '4')
		return "Q";
	if (n == 7 && p[4] == '-' && digits(p + 5, 2))
		return "M";
	if (n == 10 && p[4] == '-' && digits(p + 5, 2) && p[7] == '-' &&
	    digits(p + 8, 2))
		return "D";
	/* A year's not-allocated cell (written as the year's time range,
	 * dts__sdmx_time) and 1-N月 cumulative ranges "2025-01-01/P3M":
	 * an annual figure, a monthly series (docs/statistics.md). */
	if (n == 7 && !strcmp(p + 4, "-" DTS_PERIOD_NA))
		return "A";
	if (n >= 15 && !strncmp(p + 4, "-01-01/P", 8))
		return p[n - 1] == 'Y' ? "A" : p[n - 1] == 'M' ? "M" : "_Z";
	return "_Z";
}

const char *dts__sdmx_time(const char *p, char *buf, size_t size)
{
	if (strlen(p) == 7 && !strcmp(p + 4, "-" DTS_PERIOD_NA) && size > 14) {
		snprintf(buf, size, "%.4s-01-01/P1Y", p);
		return buf;
	}
	return p;
}

const char *dts__sdmx_obs_status(const dts_table *t, size_t r)
{
	if (t->ndims >= t->ncols || !*dts__cell(t, r, t->ndims))
		return "M";
	return dts_status_obs(t->status);
}

/* The writer and whether a step failed: after a failure nothing more is
 * tried, so the steps read as the document they write. */
typedef struct xw {
	xmlTextWriterPtr w;
	int fail;
} xw;

static void step(xw *x, int r)
{
	if (r < 0)
		x->fail = 1;
}

static void start(xw *x, const char *name)
{
	if (!x->fail)
		step(x, xmlTextWriterStartElement(x->w, X(name)));
}

static void attr(xw *x, const char *name, const char *v)
{
	if (!x->fail)
		step(x, xmlTextWriterWriteAttribute(x->w, X(name), X(v)));
}

static void end(xw *x)
{
	if (!x->fail)
		step(x, xmlTextWriterEndElement(x->w));
}

static void elem(xw *x, const char *name, const char *text)
{
	if (!x->fail)
		step(x, xmlTextWriterWriteElement(x->w, X(name), X(text)));
}

static void nl(xw *x)
{
	if (!x->fail)
		step(x, xmlTextWriterWriteRaw(x->w, X("\n")));
}

static void value(xw *x, const char *id, const char *v)
{
	start(x, "generic:Value");
	attr(x, "id", id);
	attr(x, "value", v);
	end(x);
}

/* The document, its root element and the message header up to the
 * sender: the same in a data and a structure message. Prepared is the
 * table's time when it has one (reproducible output), else now. */
static void prologue(xw *x, const dts_table *t, const char *root,
		     const char *ns, const char *ns_uri, const char *id)
{
	time_t now = t->has_prepared ? (time_t)t->prepared : time(NULL);
	char when[32] = "1970-01-01T00:00:00Z";
	struct tm tm;

	if (gmtime_r(&now, &tm))
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	step(x, xmlTextWriterStartDocument(x->w, NULL, "UTF-8", NULL));
	start(x, root);
	attr(x, "xmlns:message", NS_MESSAGE);
	attr(x, "xmlns:common", NS_COMMON);
	attr(x, ns, ns_uri);
	nl(x);
	start(x, "message:Header");
	nl(x);
	elem(x, "message:ID", id);
	nl(x);
	elem(x, "message:Test", "false");
	nl(x);
	elem(x, "message:Prepared", when);
	nl(x);
	start(x, "message:Sender");
	attr(x, "id", AGENCY);
	end(x);
	nl(x);
}

static void header(const dts_table *t, xw *x)
{
	const char *flow = t->dataflow ? t->dataflow : "DTS_CUBE";

	prologue(x, t, "message:GenericData", "xmlns:generic", NS_GENERIC, flow);
	start(x, "message:Structure");
	attr(x, "structureID", flow);
	attr(x, "dimensionAtObservation", "AllDimensions");
	nl(x);
	start(x, "common:Structure");
	start(x, "Ref");
	attr(x, "agencyID", "LIBDTS");
	attr(x, "id", flow);
	attr(x, "version", "1.0");
	end(x);
	end(x);
	nl(x);
	end(x);   /* message:Structure */
	nl(x);
	end(x);   /* message:Header */
	nl(x);
	start(x, "message:DataSet");
	if (t->status == DTS_STATUS_REVISED)
		attr(x, "action", "Replace");
	attr(x, "structureRef", flow);
	nl(x);
}

static void obs(const dts_table *t, xw *x, size_t r)
{
	/* A table of dimensions only has no measure: every value missing. */
	const char *v = t->ndims < t->ncols ? dts__cell(t, r, t->ndims) : "";
	const char *os = dts__sdmx_obs_status(t, r), *unit = dts__row_unit_of(t, r);
	char mult[16], code[256];

	start(x, "generic:Obs");
	nl(x);
	start(x, "generic:ObsKey");
	if (t->time_col >= 0)
		value(x, "FREQ", dts__sdmx_freq(dts__cell(t, r, (size_t)t->time_col)));
	for (size_t c = 0; c < t->ndims; c++) {
		const char *k = dts__cell(t, r, c);

		if ((int)c == t->time_col)
			value(x, "TIME_PERIOD", *k ? dts__sdmx_time(k, code,
								sizeof(code)) :
			      "_Z");
		else
			value(x, t->cols[c].id,
			      dts__sdmx_code(t, c, k, code, sizeof(code)));
	}
	end(x);
	nl(x);
	if (*v) {
		start(x, "generic:ObsValue");
		attr(x, "value", v);
		end(x);
		nl(x);
	}
	start(x, "generic:Attributes");
	for (size_t c = t->ndims + 1; c < t->ncols; c++) {
		const char *a = dts__cell(t, r, c);

		if (*a)
			value(x, t->cols[c].id, a);
	}
	snprintf(mult, sizeof(mult), "%d", dts__row_mult_of(t, r));
	if (os)
		value(x, "OBS_STATUS", os);
	if (unit)
		value(x, "UNIT_MEASURE", unit);
	value(x, "UNIT_MULT", mult);
	end(x);   /* generic:Attributes */
	nl(x);
	end(x);   /* generic:Obs */
	nl(x);
}

static void body(const dts_table *t, xw *x)
{
	header(t, x);
	for (size_t r = 0; r < t->nrows && !x->fail; r++)
		obs(t, x, r);
	end(x);   /* message:DataSet */
	nl(x);
	end(x);   /* message:GenericData */
	if (!x->fail)   /* writes the final newline */
		step(x, xmlTextWriterEndDocument(x->w));
	if (!x->fail)
		step(x, xmlTextWriterFlush(x->w));
}

/*
 * libxml2 2.9's writer does not always fail a step that ran out of memory:
 * xmlTextWriterWriteString drops the text when it cannot escape it, and a
 * flush that cannot convert leaves only the buffer's error set. Both are
 * reported as XML_ERR_NO_MEMORY through the structured error handler,
 * which the writing installs (libxml2 keeps it per thread).
 */
static void on_xml_error(void *ctx, xmlErrorPtr e)
{
	int *nomem = ctx;

	if (e && e->code == XML_ERR_NO_MEMORY)
		*nomem = 1;
}

/* Run `body` on a writer that sends its bytes to cb. */
static int run(const dts_table *t, dts_write_cb cb, void *payload,
	       void (*fn)(const dts_table *, xw *))
{
	out o = {cb, payload, 0};
	xmlOutputBufferPtr ob;
	dts_xml_saved saved;
	xmlStructuredErrorFunc sfunc = xmlStructuredError;
	void *sctx = xmlStructuredErrorContext;
	xw x = {NULL, 0};
	int rc, nomem = 0;

	if ((rc = dts_table_check_text(t)) < 0)
		return rc;
	dts__xml_init();
	dts__xml_quiet(&saved);
	if (!(ob = xmlOutputBufferCreateIO(io_write, io_close, &o, NULL))) {
		dts__xml_restore(&saved);
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	}
	if (!(x.w = xmlNewTextWriter(ob))) {
		xmlOutputBufferClose(ob);
		dts__xml_restore(&saved);
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	}
	xmlSetStructuredErrorFunc(&nomem, on_xml_error);
	fn(t, &x);
	if (ob->error)
		x.fail = 1;
	xmlFreeTextWriter(x.w);   /* closes ob */
	xmlSetStructuredErrorFunc(sctx, sfunc);
	dts__xml_restore(&saved);
	if (o.rc)
		return o.rc;
	if (x.fail || nomem)
		return dts__error(DTS_ENOMEM, NULL, 0, 0,
				  "SDMX-ML: the XML writer failed (out of memory)");
	return 0;
}

int dts_table_write_sdmx_ml_cb(const dts_table *t, dts_write_cb cb,
			       void *payload)
{
	return run(t, cb, payload, body);
}

/* ---- the structure message ------------------------------------------------ */

#define VERSION "1.0"

/* One code or concept: id and names (NULL: none in that language). */
typedef struct item {
	const char *id, *zh, *en;
} item;

static const item freq_codes[] = {
	{"A", "年", "Annual"}, {"S", "半年", "Half-yearly"},
	{"Q", "季", "Quarterly"}, {"M", "月", "Monthly"}, {"D", "日", "Daily"}};
/* SDMX CL_OBS_STATUS 2.2: the codes libdts writes. */
static const item obs_codes[] = {
	{"A", "正常值", "Normal value"}, {"P", "初步值", "Provisional value"},
	{"M", "缺失值：数据不存在", "Missing value; data cannot exist"}};
/* SDMX CL_CONF_STATUS 1.3: declared for the suppression still to come. */
static const item conf_codes[] = {
	{"F", "可公开", "Free"},
	{"A", "主保密：单位数过少", "Primary confidentiality due to small counts"},
	{"O", "主保密：少数单位占优", "Primary confidentiality due to dominance "
	 "by one or two units"},
	{"D", "次保密", "Secondary confidentiality set by the sender, not for "
	 "publication"},
	{"C", "保密", "Confidential statistical information"}};
static const item units[] = {
	{"CNY", "人民币", "Yuan renminbi"}, {"USD", "美元", "US dollar"},
	{"EUR", "欧元", "Euro"}, {"HKD", "港元", "Hong Kong dollar"},
	{"JPY", "日元", "Yen"}, {"PC", "百分比", "Percent"},
	{"ENT", "企业数（家）", "Enterprises"}, {"NUM", "个数", "Number"},
	{"T", "吨", "Tonnes"}};
static const item fixed_concepts[] = {
	{"FREQ", "频率", "Frequency"}, {"TIME_PERIOD", "时间", "Time period"},
	{"OBS_STATUS", "观测状态", "Observation status"},
	{"CONF_STATUS", "保密状态", "Confidentiality status"},
	{"UNIT_MEASURE", "计量单位", "Unit of measure"},
	{"UNIT_MULT", "单位倍数", "Unit multiplier"}};

static void name(xw *x, const char *lang, const char *text)
{
	if (!text || !*text)
		return;
	start(x, "common:Name");
	attr(x, "xml:lang", lang);
	if (!x->fail)
		step(x, xmlTextWriterWriteString(x->w, X(text)));
	end(x);
}

static void names(xw *x, const char *zh, const char *en, const char *dflt)
{
	if (!(zh && *zh) && !(en && *en))
		en = dflt;
	name(x, "en", en);
	name(x, "zh", zh);
}

static void open_scheme(xw *x, const char *el, const char *id, const char *zh,
			const char *en)
{
	start(x, el);
	attr(x, "id", id);
	attr(x, "agencyID", AGENCY);
	attr(x, "version", VERSION);
	nl(x);
	names(x, zh, en, id);
	nl(x);
}

static void code(xw *x, const char *el, const item *it)
{
	start(x, el);
	attr(x, "id", it->id);
	names(x, it->zh, it->en, it->id);
	end(x);
	nl(x);
}

static void codelist(xw *x, const char *id, const char *zh, const char *en,
		     const item *codes, size_t n)
{
	open_scheme(x, "structure:Codelist", id, zh, en);
	for (size_t i = 0; i < n; i++)
		code(x, "structure:Code", &codes[i]);
	end(x);
	nl(x);
}

/* A code list being built: codes in order, each id once (an
 * open-addressing set of indexes + 1 by FNV-1a, load <= 1/2, so a
 * dimension of many values costs linear time). */
typedef struct codes {
	item *v;
	char **own;
	size_t n, cap;
	uint32_t *set;
	size_t setcap;
} codes;

static void free_codes(codes *k)
{
	for (size_t i = 0; i < k->n; i++)
		free(k->own[i]);
	free(k->v);
	free(k->own);
	free(k->set);
	memset(k, 0, sizeof(*k));
}

/* The set slot of id: where it is, or the empty slot it would go to. */
static size_t code_slot(const codes *k, const char *id)
{
	size_t i = (size_t)dts__fnv(id, strlen(id)) & (k->setcap - 1);

	while (k->set[i] && strcmp(k->v[k->set[i] - 1].id, id))
		i = (i + 1) & (k->setcap - 1);
	return i;
}

static int grow_set(codes *k)
{
	size_t cap = k->setcap ? 2 * k->setcap : 64;
	uint32_t *old = k->set;
	size_t oldcap = k->setcap;

	if (!(k->set = calloc(cap, sizeof(*k->set)))) {
		k->set = old;
		return -1;
	}
	k->setcap = cap;
	for (size_t i = 0; i < oldcap; i++)
		if (old[i])
			k->set[code_slot(k, k->v[old[i] - 1].id)] = old[i];
	free(old);
	return 0;
}

static int add_code(codes *k, const char *id, const char *zh, const char *en)
{
	if ((2 * (k->n + 1) > k->setcap && grow_set(k) < 0))
		return -1;
	if (k->set[code_slot(k, id)])
		return 0;
	if (k->n == k->cap) {
		size_t cap = k->cap ? 2 * k->cap : 16;
		item *v = realloc(k->v, cap * sizeof(*v));
		char **o;

		if (!v)
			return -1;
		k->v = v;
		if (!(o = realloc(k->own, cap * sizeof(*o))))
			return -1;
		k->own = o;
		k->cap = cap;
	}
	if (!(k->own[k->n] = strdup(id)))
		return -1;
	k->v[k->n].id = k->own[k->n];
	k->v[k->n].zh = zh;
	k->v[k->n].en = en;
	k->n++;
	k->set[code_slot(k, id)] = (uint32_t)k->n;
	return 0;
}

/* 1: coded (k filled), 0: free text, -1: out of memory. */
static int dim_codes(codes *k, const dts_table *t, size_t c)
{
	const dts__col *col = &t->cols[c];
	char buf[256];

	memset(k, 0, sizeof(*k));
	if (!col->ncodes)
		for (size_t r = 0; r < t->nrows; r++) {
			const char *v = dts__cell(t, r, c);

			if (*v && (!is_id(v) || strlen(v) >= sizeof(buf)))
				return 0;
		}
	for (size_t i = 0; i < col->ncodes; i++)
		if (add_code(k, dts__sdmx_code(t, c, col->codes[i].code, buf,
					       sizeof(buf)),
			     col->codes[i].zh, col->codes[i].en ?
			     col->codes[i].en : col->codes[i].code) < 0)
			return -1;
	for (size_t r = 0; r < t->nrows; r++) {
		const char *v = dts__cell(t, r, c);
		const char *id = dts__sdmx_code(t, c, v, buf, sizeof(buf));

		if (add_code(k, id, NULL, *v ? NULL : "Not applicable") < 0)
			return -1;
	}
	/* a value's own name: the value as written */
	for (size_t i = 0; i < k->n; i++)
		if (!k->v[i].zh && !k->v[i].en)
			k->v[i].en = k->v[i].id;
	return 1;
}

static const char *unit_name(const char *u, int zh)
{
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(units[i].id, u))
			return zh ? units[i].zh : units[i].en;
	return zh ? NULL : u;
}

/* CL_UNIT and CL_UNIT_MULT: the units and multipliers the rows use. */
static int unit_codes(codes *u, codes *m, const dts_table *t)
{
	static const char *const mz[] = {"个", "十", "百", "千", "万", "十万",
		"百万", "千万", "亿"};
	static const char *const me[] = {"Units", "Tens", "Hundreds",
		"Thousands", "Tens of thousands", "Hundreds of thousands",
		"Millions", "Tens of millions", "Hundreds of millions"};

	memset(u, 0, sizeof(*u));
	memset(m, 0, sizeof(*m));
	for (size_t r = 0; r <= t->nrows; r++) {
		const char *un = r < t->nrows ? dts__row_unit_of(t, r) : t->unit;
		int mu = r < t->nrows ? dts__row_mult_of(t, r) : t->unit_mult;
		char ms[16];

		if (un && is_id(un) &&
		    add_code(u, un, unit_name(un, 1), unit_name(un, 0)) < 0)
			return -1;
		snprintf(ms, sizeof(ms), "%d", mu);
		if (add_code(m, ms, mu >= 0 && mu <= 8 ? mz[mu] : NULL,
			     mu >= 0 && mu <= 8 ? me[mu] : NULL) < 0)
			return -1;
	}
	for (size_t i = 0; i < m->n; i++)
		if (!m->v[i].en)
			m->v[i].en = m->v[i].id;
	return 0;
}

/* A further column that is itself a fixed attribute (the CONF_STATUS of a
 * suppressed table): declared once, with its code list. */
static int fixed_attr(const char *id)
{
	return !strcmp(id, "CONF_STATUS") || !strcmp(id, "OBS_STATUS") ||
	       !strcmp(id, "UNIT_MEASURE") || !strcmp(id, "UNIT_MULT");
}

static const char *concept_id(const dts_table *t, size_t c)
{
	return (int)c == t->time_col ? "TIME_PERIOD" :
	       c == t->ndims ? "OBS_VALUE" : t->cols[c].id;
}

static void concept_ref(xw *x, const char *cs, const char *id)
{
	start(x, "structure:ConceptIdentity");
	start(x, "Ref");
	attr(x, "agencyID", AGENCY);
	attr(x, "maintainableParentID", cs);
	attr(x, "maintainableParentVersion", VERSION);
	attr(x, "id", id);
	end(x);
	end(x);
}

static void enumeration(xw *x, const char *cl)
{
	start(x, "structure:LocalRepresentation");
	start(x, "structure:Enumeration");
	start(x, "Ref");
	attr(x, "agencyID", AGENCY);
	attr(x, "id", cl);
	attr(x, "version", VERSION);
	end(x);
	end(x);
	end(x);
}

static void text_format(xw *x, const char *type)
{
	start(x, "structure:LocalRepresentation");
	start(x, "structure:TextFormat");
	attr(x, "textType", type);
	end(x);
	end(x);
}

typedef struct sctx {
	const dts_table *t;
	char cs[128], flow[100];
	int *coded;     /* per dimension: 1 with a code list */
} sctx;

static void concepts(xw *x, const sctx *s)
{
	const dts_table *t = s->t;

	start(x, "structure:Concepts");
	nl(x);
	open_scheme(x, "structure:ConceptScheme", s->cs, "数字贸易统计概念",
		    "Digital trade statistics concepts");
	for (size_t i = 0; i < sizeof(fixed_concepts) / sizeof(*fixed_concepts); i++)
		if (i != 0 && i != 1 ? 1 : t->time_col >= 0)
			code(x, "structure:Concept", &fixed_concepts[i]);
	for (size_t c = 0; c < t->ncols; c++) {
		item it = {concept_id(t, c), t->cols[c].zh,
			   t->cols[c].en ? t->cols[c].en : t->cols[c].name};

		if ((int)c == t->time_col || (c > t->ndims && fixed_attr(it.id)))
			continue;   /* a fixed concept */
		code(x, "structure:Concept", &it);
	}
	end(x);
	nl(x);
	end(x);
	nl(x);
}

static int codelists(xw *x, const sctx *s)
{
	const dts_table *t = s->t;
	codes k, u, m;
	char id[160];
	int rc = 0;

	start(x, "structure:Codelists");
	nl(x);
	if (t->time_col >= 0)
		codelist(x, "CL_FREQ", "频率", "Frequency", freq_codes, 5);
	for (size_t c = 0; c < t->ndims && rc == 0; c++) {
		if (!s->coded[c])
			continue;
		if (dim_codes(&k, t, c) < 0) {
			free_codes(&k);
			return -1;
		}
		snprintf(id, sizeof(id), "CL_%s", t->cols[c].id);
		codelist(x, id, t->cols[c].zh, t->cols[c].en ? t->cols[c].en :
			 t->cols[c].name, k.v, k.n);
		free_codes(&k);
	}
	codelist(x, "CL_OBS_STATUS", "观测状态", "Observation status", obs_codes,
		 sizeof(obs_codes) / sizeof(*obs_codes));
	codelist(x, "CL_CONF_STATUS", "保密状态", "Confidentiality status",
		 conf_codes, sizeof(conf_codes) / sizeof(*conf_codes));
	if ((rc = unit_codes(&u, &m, t)) == 0) {
		if (u.n)
			codelist(x, "CL_UNIT", "计量单位", "Unit of measure", u.v, u.n);
		codelist(x, "CL_UNIT_MULT", "单位倍数", "Unit multiplier", m.v, m.n);
	}
	free_codes(&u);
	free_codes(&m);
	end(x);
	nl(x);
	return rc;
}

static void dimension(xw *x, const sctx *s, const char *el, const char *id,
		      int pos, const char *cl, const char *text)
{
	char ps[16];

	snprintf(ps, sizeof(ps), "%d", pos);
	start(x, el);
	attr(x, "id", id);
	attr(x, "position", ps);
	concept_ref(x, s->cs, id);
	if (cl)
		enumeration(x, cl);
	else
		text_format(x, text);
	end(x);
	nl(x);
}

static void attribute(xw *x, const sctx *s, const char *id, const char *cl,
		      const char *status)
{
	start(x, "structure:Attribute");
	attr(x, "id", id);
	attr(x, "assignmentStatus", status);
	concept_ref(x, s->cs, id);
	if (cl)
		enumeration(x, cl);
	else
		text_format(x, "String");
	start(x, "structure:AttributeRelationship");
	start(x, "structure:PrimaryMeasure");
	start(x, "Ref");
	attr(x, "id", "OBS_VALUE");
	end(x);
	end(x);
	end(x);
	end(x);
	nl(x);
}

static void dsd(xw *x, const sctx *s)
{
	const dts_table *t = s->t;
	char cl[160];
	int pos = 1;
	int has_units = 0;

	for (size_t r = 0; r <= t->nrows && !has_units; r++) {
		const char *un = r < t->nrows ? dts__row_unit_of(t, r) : t->unit;

		has_units = un && is_id(un);
	}
	start(x, "structure:DataStructures");
	nl(x);
	open_scheme(x, "structure:DataStructure", s->flow, t->title, t->title);
	start(x, "structure:DataStructureComponents");
	nl(x);
	start(x, "structure:DimensionList");
	attr(x, "id", "DimensionDescriptor");
	nl(x);
	if (t->time_col >= 0)
		dimension(x, s, "structure:Dimension", "FREQ", pos++, "CL_FREQ",
			  NULL);
	for (size_t c = 0; c < t->ndims; c++) {
		if ((int)c == t->time_col)
			continue;
		snprintf(cl, sizeof(cl), "CL_%s", t->cols[c].id);
		dimension(x, s, "structure:Dimension", t->cols[c].id, pos++,
			  s->coded[c] ? cl : NULL, "String");
	}
	if (t->time_col >= 0)
		dimension(x, s, "structure:TimeDimension", "TIME_PERIOD", pos++,
			  NULL, "ObservationalTimePeriod");
	end(x);   /* DimensionList */
	nl(x);
	start(x, "structure:AttributeList");
	attr(x, "id", "AttributeDescriptor");
	nl(x);
	for (size_t c = t->ndims + 1; c < t->ncols; c++)
		if (!fixed_attr(t->cols[c].id))
			attribute(x, s, t->cols[c].id, NULL, "Conditional");
	attribute(x, s, "OBS_STATUS", "CL_OBS_STATUS", "Conditional");
	attribute(x, s, "CONF_STATUS", "CL_CONF_STATUS", "Conditional");
	attribute(x, s, "UNIT_MEASURE", has_units ? "CL_UNIT" : NULL,
		  "Conditional");
	attribute(x, s, "UNIT_MULT", "CL_UNIT_MULT", "Mandatory");
	end(x);   /* AttributeList */
	nl(x);
	start(x, "structure:MeasureList");
	attr(x, "id", "MeasureDescriptor");
	nl(x);
	start(x, "structure:PrimaryMeasure");
	attr(x, "id", "OBS_VALUE");
	concept_ref(x, s->cs, "OBS_VALUE");
	end(x);
	nl(x);
	end(x);   /* MeasureList */
	nl(x);
	end(x);   /* DataStructureComponents */
	nl(x);
	end(x);   /* DataStructure */
	nl(x);
	end(x);   /* DataStructures */
	nl(x);
}

/* The dataflow SDMX-CSV names (STRUCTURE dataflow, LIBDTS:<flow>(1.0)),
 * over the DSD of the same id. */
static void dataflow(xw *x, const sctx *s)
{
	start(x, "structure:Dataflows");
	nl(x);
	open_scheme(x, "structure:Dataflow", s->flow, s->t->title, s->t->title);
	start(x, "structure:Structure");
	start(x, "Ref");
	attr(x, "agencyID", AGENCY);
	attr(x, "id", s->flow);
	attr(x, "version", VERSION);
	end(x);
	end(x);
	nl(x);
	end(x);   /* Dataflow */
	nl(x);
	end(x);   /* Dataflows */
	nl(x);
}

static void structure_body(const dts_table *t, xw *x)
{
	const char *flow = t->dataflow ? t->dataflow : "DTS_CUBE";
	int coded[16 + 64] = {0};
	sctx s = {t, "", "", coded};
	int *heap = NULL;

	if (t->ndims > sizeof(coded) / sizeof(*coded) &&
	    !(s.coded = heap = calloc(t->ndims, sizeof(int)))) {
		x->fail = 1;
		return;
	}
	snprintf(s.flow, sizeof(s.flow), "%s", flow);
	snprintf(s.cs, sizeof(s.cs), "CS_%s", flow);
	for (size_t c = 0; c < t->ndims; c++) {
		codes k;
		int r = (int)c == t->time_col ? 0 : dim_codes(&k, t, c);

		if (r < 0)
			x->fail = 1;
		s.coded[c] = r > 0;
		if ((int)c != t->time_col)
			free_codes(&k);
	}
	prologue(x, t, "message:Structure", "xmlns:structure", NS_STRUCTURE, s.cs);
	end(x);   /* message:Header */
	nl(x);
	start(x, "message:Structures");
	nl(x);
	dataflow(x, &s);
	if (codelists(x, &s) < 0)
		x->fail = 1;
	concepts(x, &s);
	dsd(x, &s);
	end(x);   /* message:Structures */
	nl(x);
	end(x);   /* message:Structure */
	if (!x->fail)
		step(x, xmlTextWriterEndDocument(x->w));
	if (!x->fail)
		step(x, xmlTextWriterFlush(x->w));
	free(heap);
}

int dts_table_write_sdmx_structure_cb(const dts_table *t, dts_write_cb cb,
				      void *payload)
{
	return run(t, cb, payload, structure_body);
}

int dts_table_write_sdmx_structure(const dts_table *t, FILE *f)
{
	return dts_table_write_sdmx_structure_cb(t, dts__write_file, f);
}

int dts_table_write_sdmx_ml(const dts_table *t, FILE *f)
{
	return dts_table_write_sdmx_ml_cb(t, dts__write_file, f);
}
