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

const char *tool_default_classifier(void)
{
	static const char installed[] = DTS_DATADIR "/classifiers/cn-digital-trade.xml";
	static const char source[] = DTS_SRCDIR "/classifiers/cn-digital-trade.xml";
	const char *env = getenv("DTS_CLASSIFIER");

	if (env && *env)
		return env;
	if (access(installed, R_OK) == 0)
		return installed;
	return source;
}

dts_rules *tool_load_rules(const char *const *paths, size_t n)
{
	dts_rules *rules = NULL;
	const char *def = tool_default_classifier();

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

int tool_out_open(tool_out *o, const char *path)
{
	int fd;
	mode_t mask;

	memset(o, 0, sizeof(*o));
	if (!path || strcmp(path, "-") == 0) {
		o->f = stdout;
		return 0;
	}
	o->path = strdup(path);
	o->tmp = malloc(strlen(path) + 8);
	if (!o->path || !o->tmp) {
		tool_warn("out of memory");
		goto fail;
	}
	memcpy(o->tmp, path, strlen(path));
	memcpy(o->tmp + strlen(path), ".XXXXXX", 8);
	if ((fd = mkstemp(o->tmp)) < 0) {
		tool_warn("%s: cannot create: %s", path, strerror(errno));
		goto fail;
	}
	mask = umask(0); /* mkstemp makes 0600; give the file the usual mode */
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) < 0 || !(o->f = fdopen(fd, "w"))) {
		tool_warn("%s: %s", path, strerror(errno));
		close(fd);
		unlink(o->tmp);
		goto fail;
	}
	return 0;
fail:
	free(o->path);
	free(o->tmp);
	memset(o, 0, sizeof(*o));
	return -1;
}

int tool_out_open_path(tool_out *o, const char *path)
{
	if (tool_out_open(o, path) < 0)
		return -1;
	if (o->path) { /* keep the name, let the writer reopen it */
		fclose(o->f);
		o->f = NULL;
	}
	return 0;
}

int tool_out_commit(tool_out *o)
{
	int rc = 0;

	if (!o->f && o->tmp) { /* written by name (tool_out_open_path) */
		if (rename(o->tmp, o->path) != 0) {
			tool_warn("%s: cannot rename into place: %s", o->path,
				  strerror(errno));
			unlink(o->tmp);
			rc = -1;
		}
		free(o->path);
		free(o->tmp);
		o->path = o->tmp = NULL;
		return rc;
	}
	if (!o->f)
		return 0;
	if (!o->path) {
		if (fflush(o->f) != 0 || ferror(o->f)) {
			tool_warn("standard output: %s", strerror(errno));
			rc = -1;
		}
		o->f = NULL;
		return rc;
	}
	if (fflush(o->f) != 0 || ferror(o->f) || fsync(fileno(o->f)) != 0) {
		tool_warn("%s: write failed: %s", o->path, strerror(errno));
		rc = -1;
	}
	if (fclose(o->f) != 0 && rc == 0) {
		tool_warn("%s: write failed: %s", o->path, strerror(errno));
		rc = -1;
	}
	o->f = NULL;
	if (rc == 0 && rename(o->tmp, o->path) != 0) {
		tool_warn("%s: cannot rename into place: %s", o->path, strerror(errno));
		rc = -1;
	}
	if (rc < 0)
		unlink(o->tmp);
	free(o->path);
	free(o->tmp);
	o->path = o->tmp = NULL;
	return rc;
}

void tool_out_abort(tool_out *o)
{
	if (o->f && o->path)
		fclose(o->f);
	if (o->tmp)
		unlink(o->tmp);
	free(o->path);
	free(o->tmp);
	memset(o, 0, sizeof(*o));
}

int tool_parse_separator(char *out, const char *s)
{
	if (strcmp(s, "tab") == 0 || strcmp(s, "\\t") == 0 || strcmp(s, "\t") == 0)
		*out = '\t';
	else if (strlen(s) == 1 && strchr(",;|", s[0]))
		*out = s[0];
	else
		return -1;
	return 0;
}
