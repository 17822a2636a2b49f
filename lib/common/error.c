/* error.c — the per-thread last error (libgit2's model: code + message). */
#include <stdio.h>
#include <string.h>

#include "internal.h"

static _Thread_local dts_error last_error;
static _Thread_local int have_error;

int dts__error(int code, const char *file, unsigned line, unsigned col,
	       const char *fmt, ...)
{
	va_list ap;

	last_error.code = code;
	last_error.line = line;
	last_error.column = col;
	snprintf(last_error.file, sizeof(last_error.file), "%s",
		 file ? file : "");
	va_start(ap, fmt);
	vsnprintf(last_error.message, sizeof(last_error.message), fmt, ap);
	va_end(ap);
	have_error = 1;
	return code;
}

const dts_error *dts_error_last(void)
{
	return have_error ? &last_error : NULL;
}

void dts_error_clear(void)
{
	have_error = 0;
	memset(&last_error, 0, sizeof(last_error));
}

const char *dts_error_format(char *buf, size_t size)
{
	const dts_error *e = dts_error_last();

	if (size == 0)
		return buf;
	buf[0] = '\0';
	if (!e)
		return buf;
	if (e->file[0] && e->line && e->column)
		snprintf(buf, size, "%s:%u:%u: %s", e->file, e->line,
			 e->column, e->message);
	else if (e->file[0] && e->line)
		snprintf(buf, size, "%s:%u: %s", e->file, e->line, e->message);
	else if (e->file[0])
		snprintf(buf, size, "%s: %s", e->file, e->message);
	else
		snprintf(buf, size, "%s", e->message);
	return buf;
}

const char *dts_strerror(int code)
{
	switch (code) {
	case DTS_OK: return "success";
	case DTS_ERROR: return "error";
	case DTS_ENOMEM: return "out of memory";
	case DTS_EINVAL: return "invalid argument";
	case DTS_ENOTFOUND: return "not found";
	case DTS_EIO: return "input/output error";
	case DTS_ESYNTAX: return "syntax error in rule file";
	case DTS_EINPUT: return "malformed input";
	case DTS_ELIMIT: return "limit exceeded";
	case DTS_EOVERFLOW: return "arithmetic overflow";
	case DTS_EEXISTS: return "duplicate";
	case DTS_ETEST: return "example failed";
	default:
		if (code <= DTS_EUSER)
			return "stopped by a callback";
		return "unknown error";
	}
}
