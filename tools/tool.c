/* tool.c — shared command-line plumbing (see tool.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tool.h"

const char *tool_name = "dts";

void tool_warn(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", tool_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int tool_lib_error(const char *context)
{
	char buf[2048];
	const dts_error *e = dts_error_last();

	dts_error_format(buf, sizeof(buf));
	/* The message already starts with the file: do not name it twice. */
	if (context && e && strcmp(context, e->file) == 0)
		context = NULL;
	if (context)
		fprintf(stderr, "%s: %s: %s\n", tool_name, context, buf);
	else
		fprintf(stderr, "%s: %s\n", tool_name, buf);
	return e && e->code == DTS_EINVAL ? EXIT_USAGE : EXIT_IO;
}

void tool_version(void)
{
	printf("%s (libdts) %s\n", tool_name, dts_version());
	exit(EXIT_OK);
}

const char *tool_data_file(const char *name)
{
	static char buf[4096];

	snprintf(buf, sizeof(buf), "%s/%s", DTS_DATADIR, name);
	if (access(buf, R_OK) == 0)
		return buf;
	snprintf(buf, sizeof(buf), "%s/%s", DTS_SRCDIR, name);
	return buf;
}

dts_rules *tool_load_rules(const char *const *paths, size_t n)
{
	dts_rules *rules = NULL;
	const char *def = getenv("DTS_CLASSIFIER");

	if (!def || !*def)
		def = tool_data_file("classifiers/cn-digital-trade.xml");

	if (n == 0) {
		paths = &def;
		n = 1;
	}
	if (dts_rules_compile(&rules, paths, n, NULL) < 0) {
		tool_lib_error(NULL);
		return NULL;
	}
	return rules;
}

/* "profile NAME (N rows above the header skipped; unit U); " for a source
 * read with a profile other than the canonical one, else "". */
static const char *profile_note(char *buf, size_t size, const dts_source *src)
{
	const char *unit = NULL, *p = dts_source_profile(src);
	uint64_t skipped = dts_source_skipped(src, &unit);
	size_t n;

	buf[0] = '\0';
	if (strcmp(p, DTS_PROFILE_CANONICAL) == 0 || strcmp(p, "ceb-xml") == 0)
		return buf;
	n = (size_t)snprintf(buf, size, "profile %s", p);
	if (skipped && n < size)
		n += (size_t)snprintf(buf + n, size - n, " (%llu row%s above the header skipped",
				      (unsigned long long)skipped, skipped == 1 ? "" : "s");
	if (unit && *unit && n < size)
		n += (size_t)snprintf(buf + n, size - n, "%sunit %s", skipped ? "; " : " (", unit);
	if ((skipped || (unit && *unit)) && n < size)
		n += (size_t)snprintf(buf + n, size - n, ")");
	if (n < size)
		snprintf(buf + n, size - n, "; ");
	return buf;
}

int tool_source_open(dts_source **out, const char *path,
		     const dts_source_options *opts)
{
	if (dts_source_open(out, path, opts) == 0)
		return 0;
	return tool_lib_error(NULL) == EXIT_USAGE ? -2 : -1;
}

int tool_parse_separator(char *out, const char *s)
{
	if (strcmp(s, "tab") == 0 || strcmp(s, "\\t") == 0 || strcmp(s, "\t") == 0)
		*out = '\t';
	else if (strlen(s) == 1 && strchr(",;|", s[0]))
		*out = s[0];
	else
		return tool_warn("-d wants ',', tab, ';' or '|', not '%s'", s), -1;
	return 0;
}

int tool_parse_decimals(int *out, const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (*end || n < 0 || n > 14)
		return tool_warn("--decimals must be 0..14"), -1;
	*out = (int)n;
	return 0;
}

int tool_parse_status(int *out, const char *s)
{
	int st = dts_status_parse(s);

	if (st < 0)
		return tool_warn("unknown --status \"%s\" (provisional, final, revised)", s), -1;
	*out = st;
	return 0;
}

int tool_reading_option(tool_reading *r, int c, const char *arg)
{
	static const char *const infmts[] = {"auto", "csv", "xml", "xlsx", "xls"};
	static const dts_format fmts[] = {DTS_FORMAT_UNKNOWN, DTS_FORMAT_CSV,
					  DTS_FORMAT_CEB_XML, DTS_FORMAT_XLSX, DTS_FORMAT_XLS};

	switch (c) {
	case 'r':
	case 'm':
		if (c == 'r' ? r->nrules >= 64 : r->nmap >= 256) {
			tool_warn("too many -%c options", c);
			return -1;
		}
		if (c == 'r')
			r->rules[r->nrules++] = arg;
		else
			r->map[r->nmap++] = arg;
		r->in.map = r->map;
		r->in.nmap = r->nmap;
		return 1;
	case 'd':
		return tool_parse_separator(&r->in.separator, arg) < 0 ? -1 : 1;
	case TOOL_O_ENCODING:
		r->in.encoding = arg;
		return 1;
	case TOOL_O_PROFILE:
		r->in.profile = arg;
		return 1;
	case TOOL_O_PROFILE_DIR:
		r->in.profile_dir = arg;
		return 1;
	case TOOL_O_SHEET:
		r->in.sheet = arg;
		return 1;
	case TOOL_O_REFERENCE:
		r->in.flags |= DTS_SOURCE_REFERENCE;
		return 1;
	case TOOL_O_VERIFY_EVERY: {
		char *end;
		unsigned long long n;

		errno = 0;
		n = strtoull(arg, &end, 10);
		if (*arg < '0' || *arg > '9' || *end || errno || n < 1 || n > SIZE_MAX) {
			tool_warn("--verify-every wants a number of records of at least 1, not '%s'", arg);
			return -1;
		}
		r->in.verify_every = (size_t)n;
		return 1;
	}
	case TOOL_O_INPUT_FORMAT:
		for (size_t i = 0; i < 5; i++)
			if (strcmp(arg, infmts[i]) == 0)
				return r->in.format = fmts[i], 1;
		tool_warn("unknown input format '%s' (auto, csv, xml, xlsx or xls)", arg);
		return -1;
	default:
		return 0;
	}
}

int tool_source_report(const dts_source *src, uint64_t fields, unsigned flags)
{
	/* An XML message's columns are fixed: nothing to rename or map. */
	const char *fix = dts_source_format(src) == DTS_FORMAT_CEB_XML ? "" :
			  flags & TOOL_REPORT_NO_MAP ? "; name its columns after the fields" :
			  "; use --map COLUMN=FIELD";
	const dts_binding *b = dts_source_binding(src);
	const char *name = dts_source_name(src);
	uint64_t missing = 0;
	char *line = NULL, note[256];
	int f, n = 0;

	if (!(flags & TOOL_REPORT_QUIET)) {
		if (dts_binding_describe(&line, b) < 0)
			return tool_lib_error(name), -1;
		fprintf(stderr, "%s: %s: encoding %s; %sbinding: %s\n", tool_name, name,
			dts_source_encoding(src), profile_note(note, sizeof(note), src), line);
		free(line);
	}
	if (dts_binding_check(&missing, b, fields, name) < 0) {
		char buf[2048];

		fprintf(stderr, "%s: %s%s\n", tool_name, dts_error_format(buf, sizeof(buf)), fix);
		return -2;
	}
	if (!missing)
		return 0;
	fprintf(stderr, "%s: %s: warning: no column binds ", tool_name, name);
	for (f = 0; f < DTS_F_COUNT; f++)
		if (missing >> f & 1u)
			fprintf(stderr, "%s%s", n++ ? ", " : "", dts_field_name(f));
	fprintf(stderr, ", which the classifier reads%s\n", fix);
	return 0;
}
