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

#include "internal.h"
#include "write_int.h"

#define NS_MESSAGE "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
#define NS_COMMON "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"
#define NS_GENERIC "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic"

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

static void header(const dts_table *t, xw *x)
{
	const char *flow = t->dataflow ? t->dataflow : "DTS_CUBE";
	time_t now = t->has_prepared ? (time_t)t->prepared : time(NULL);
	struct tm tm;
	char when[32] = "1970-01-01T00:00:00Z";

	if (gmtime_r(&now, &tm))
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	step(x, xmlTextWriterStartDocument(x->w, NULL, "UTF-8", NULL));
	start(x, "message:GenericData");
	attr(x, "xmlns:message", NS_MESSAGE);
	attr(x, "xmlns:common", NS_COMMON);
	attr(x, "xmlns:generic", NS_GENERIC);
	nl(x);
	start(x, "message:Header");
	nl(x);
	elem(x, "message:ID", flow);
	nl(x);
	elem(x, "message:Test", "false");
	nl(x);
	elem(x, "message:Prepared", when);
	nl(x);
	start(x, "message:Sender");
	attr(x, "id", "LIBDTS");
	end(x);
	nl(x);
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
	attr(x, "structureRef", flow);
	nl(x);
}

static void obs(const dts_table *t, xw *x, size_t r)
{
	/* A table of dimensions only has no measure: every value missing. */
	const char *v = t->ndims < t->ncols ? dts__cell(t, r, t->ndims) : "";
	char mult[16];

	start(x, "generic:Obs");
	nl(x);
	start(x, "generic:ObsKey");
	for (size_t c = 0; c < t->ndims; c++) {
		const char *k = dts__cell(t, r, c);

		value(x, t->cols[c].id, *k ? k : "_Z");
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
	snprintf(mult, sizeof(mult), "%d", t->unit_mult);
	if (!*v)
		value(x, "OBS_STATUS", "M");
	if (t->unit)
		value(x, "UNIT_MEASURE", t->unit);
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

int dts_table_write_sdmx_ml_cb(const dts_table *t, dts_write_cb cb,
			       void *payload)
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
	body(t, &x);
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

int dts_table_write_sdmx_ml(const dts_table *t, FILE *f)
{
	return dts_table_write_sdmx_ml_cb(t, dts__write_file, f);
}
