/*
 * out_sdmx_ml.c — an SDMX-ML 2.1 GenericData message with all dimensions
 * at the observation level. Each row is one Obs: ObsKey holds the
 * dimension columns, ObsValue the primary measure, Attributes the other
 * columns plus UNIT_MEASURE and UNIT_MULT. Rows whose primary measure is
 * missing get no ObsValue and OBS_STATUS "M" (missing).
 *
 * The Prepared time is $SOURCE_DATE_EPOCH when set (reproducible output),
 * else now. Validates against the official schemas
 * (tests/data/sdmx-2.1/SDMXMessage.xsd).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "table.h"

static int esc(FILE *f, const char *s)
{
	for (; *s; s++) {
		const char *e = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" :
				*s == '>' ? "&gt;" : *s == '"' ? "&quot;" :
				*s == '\n' ? "&#10;" : *s == '\t' ? "&#9;" :
				*s == '\r' ? "&#13;" : NULL;

		if ((unsigned char)*s < 0x20 && !e)
			return -1;  /* not XML 1.0: out_table checked (never dropped) */
		if (e ? fputs(e, f) < 0 : putc(*s, f) == EOF)
			return -1;
	}
	return 0;
}

static int value(FILE *f, const char *id, const char *v)
{
	return fprintf(f, "<generic:Value id=\"%s\" value=\"", id) < 0 ||
	       esc(f, v) < 0 || fputs("\"/>", f) < 0 ? -1 : 0;
}

static int header(const tbl *t, FILE *f)
{
	const char *flow = t->dataflow ? t->dataflow : "DTS_CUBE";
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	time_t now = sde && *sde ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
	struct tm tm;
	char when[32];

	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return fprintf(f,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<message:GenericData"
		" xmlns:message=\"http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message\""
		" xmlns:common=\"http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common\""
		" xmlns:generic=\"http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic\">\n"
		"<message:Header>\n"
		"<message:ID>%s</message:ID>\n"
		"<message:Test>false</message:Test>\n"
		"<message:Prepared>%s</message:Prepared>\n"
		"<message:Sender id=\"LIBDTS\"/>\n"
		"<message:Structure structureID=\"%s\" dimensionAtObservation=\"AllDimensions\">\n"
		"<common:Structure><Ref agencyID=\"LIBDTS\" id=\"%s\" version=\"1.0\"/></common:Structure>\n"
		"</message:Structure>\n"
		"</message:Header>\n"
		"<message:DataSet structureRef=\"%s\">\n",
		flow, when, flow, flow, flow) < 0 ? -1 : 0;
}

static int obs(const tbl *t, FILE *f, size_t r)
{
	const char *v = tbl_cell(t, r, t->ndims);
	char mult[16];

	if (fputs("<generic:Obs>\n<generic:ObsKey>", f) < 0)
		return -1;
	for (size_t c = 0; c < t->ndims; c++) {
		const char *k = tbl_cell(t, r, c);

		if (value(f, t->cols[c].id, *k ? k : "_Z") < 0)
			return -1;
	}
	if (fputs("</generic:ObsKey>\n", f) < 0)
		return -1;
	if (*v && (fputs("<generic:ObsValue value=\"", f) < 0 || esc(f, v) < 0 ||
		   fputs("\"/>\n", f) < 0))
		return -1;
	if (fputs("<generic:Attributes>", f) < 0)
		return -1;
	for (size_t c = t->ndims + 1; c < t->ncols; c++) {
		const char *a = tbl_cell(t, r, c);

		if (*a && value(f, t->cols[c].id, a) < 0)
			return -1;
	}
	snprintf(mult, sizeof(mult), "%d", t->unit_mult);
	if ((!*v && value(f, "OBS_STATUS", "M") < 0) ||
	    (t->unit && value(f, "UNIT_MEASURE", t->unit) < 0) ||
	    value(f, "UNIT_MULT", mult) < 0)
		return -1;
	return fputs("</generic:Attributes>\n</generic:Obs>\n", f) < 0 ? -1 : 0;
}

int out_sdmx_ml(const tbl *t, FILE *f)
{
	if (header(t, f) < 0)
		return -1;
	for (size_t r = 0; r < t->nrows; r++)
		if (obs(t, f, r) < 0)
			return -1;
	return fputs("</message:DataSet>\n</message:GenericData>\n", f) < 0 ?
	       -1 : 0;
}
