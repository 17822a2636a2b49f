/* input.c — the tools' wrappers over dts_source (see input.h). */
#include <string.h>

#include "input.h"

/* Print the error (it names the input when it is about it). Returns -2
 * for the user's mistakes (exit 2), -1 for the rest. */
static int report(void)
{
	const dts_error *e = dts_error_last();
	int code = e ? e->code : DTS_ERROR;

	tool_lib_error(NULL);
	return code == DTS_EINVAL || code == DTS_ENOTFOUND ? -2 : -1;
}

int input_open(input **out, const char *path, const input_options *o)
{
	dts_source_options so = DTS_SOURCE_OPTIONS_INIT;

	so.format = (dts_format)o->format;
	so.separator = o->separator;
	so.encoding = o->encoding;
	so.map = o->map;
	so.nmap = o->nmap;
	if (dts_source_open(out, path, &so) < 0)
		return report();
	return 0;
}

void input_free(input *in) { dts_source_free(in); }
const char *input_path(const input *in) { return dts_source_name(in); }
const dts_binding *input_binding(const input *in) { return dts_source_binding(in); }
int64_t input_size(const input *in) { return dts_source_size(in); }
int input_is_xml(const input *in) { return dts_source_format(in) == DTS_FORMAT_CEB_XML; }
const dts_ceb_record *input_xml_record(const input *in) { return dts_source_ceb_record(in); }

size_t input_header(const input *in, const char *const **names)
{
	return dts_source_header(in, names);
}

int input_next(input *in, input_row *row)
{
	int rc = dts_source_next(row, in);

	if (rc < 0 && rc != DTS_EINPUT)
		tool_lib_error(input_path(in));
	return rc;
}

int input_classify(dts_result *res, char *why, size_t whylen,
		   dts_scanner *sc, const dts_binding *b,
		   const char *const *cols, const size_t *lens, size_t ncols)
{
	int rc = dts_source_classify(res, sc, b, cols, lens, ncols);

	if (rc == DTS_EINPUT)
		snprintf(why, whylen, "%s", dts_error_last()->message);
	return rc;
}
