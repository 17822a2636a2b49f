/* tool_out.c — output files written whole or not at all (see tool_out.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tool.h"

/* ---- temporary files removed on a fatal signal ---------------------------- */

#define LIVE_MAX 32
/* Read by the signal handler: each slot is a complete string or NULL. */
static char *_Atomic live[LIVE_MAX];
static const int fatal_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGXFSZ};
static int handlers_installed;

static void on_fatal_signal(int sig)
{
	int saved = errno, i;

	for (i = 0; i < LIVE_MAX; i++) {
		char *p = atomic_load(&live[i]);

		if (p)
			unlink(p);
	}
	errno = saved;
	/* SA_RESETHAND restored the default; the signal is blocked until we
	 * return, so this kills us with the same signal as it should have. */
	raise(sig);
}

static void install_handlers(void)
{
	size_t i;

	if (handlers_installed)
		return;
	handlers_installed = 1;
	for (i = 0; i < sizeof(fatal_signals) / sizeof(fatal_signals[0]); i++) {
		struct sigaction sa, old;

		/* A signal ignored when we started (nohup, a shell's trap) stays ignored. */
		if (sigaction(fatal_signals[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_fatal_signal;
		sa.sa_flags = SA_RESETHAND;
		sigfillset(&sa.sa_mask);
		sigaction(fatal_signals[i], &sa, NULL);
	}
}

/* mkstemp and register with every signal blocked, so no signal can come
 * between the file appearing and its name being known to the handler. */
static int make_registered_temp(char *tmpl)
{
	sigset_t all, old;
	int fd, i, saved;

	install_handlers();
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	fd = mkstemp(tmpl);
	saved = errno;
	if (fd >= 0) {
		for (i = 0; i < LIVE_MAX; i++) {
			char *expected = NULL;

			if (atomic_compare_exchange_strong(&live[i], &expected, tmpl))
				break;
		}
		if (i == LIVE_MAX) { /* more outputs than any tool opens */
			close(fd);
			unlink(tmpl);
			fd = -1;
			saved = EMFILE;
		}
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	errno = saved;
	return fd;
}

static void unregister_temp(const char *tmpl)
{
	int i;

	for (i = 0; i < LIVE_MAX; i++) {
		char *expected = (char *)tmpl;

		if (atomic_compare_exchange_strong(&live[i], &expected, NULL))
			return;
	}
}

/* ---- opening ----------------------------------------------------------------- */

/* "PATH" or "standard output", for messages. */
static const char *tool_out_name(const tool_out *o)
{
	return o->path ? o->path : "standard output";
}

int tool_out_write_failed(const tool_out *o)
{
	tool_warn("%s: write failed: %s", tool_out_name(o),
		  errno ? strerror(errno) : "I/O error");
	return -1;
}

static void out_free(tool_out *o)
{
	free(o->path);
	free(o->target);
	free(o->tmp);
	memset(o, 0, sizeof(*o));
}

static int open_fail(tool_out *o, const char *what)
{
	tool_warn("%s: %s: %s", o->path, what, strerror(errno));
	if (o->tmp) {
		unregister_temp(o->tmp);
		unlink(o->tmp);
	}
	out_free(o);
	return -1;
}

/* A device, FIFO, socket or dangling symlink: written in place. */
static int open_direct(tool_out *o)
{
	int fd = open(o->path, O_WRONLY | O_CREAT | O_NOCTTY | O_CLOEXEC, 0666);

	if (fd < 0)
		return open_fail(o, "cannot open");
	if (!(o->f = fdopen(fd, "w"))) {
		close(fd);
		return open_fail(o, "cannot open");
	}
	return 0;
}

/* o->tmp = PREFIX.XXXXXX, created and registered: its descriptor, or -1
 * with o->tmp NULL and errno set. */
static int new_temp(tool_out *o, const char *prefix)
{
	size_t n = strlen(prefix);
	int fd;

	if (!(o->tmp = malloc(n + 8)))
		return -1;
	memcpy(o->tmp, prefix, n);
	memcpy(o->tmp + n, ".XXXXXX", 8);
	if ((fd = make_registered_temp(o->tmp)) < 0) {
		free(o->tmp);
		o->tmp = NULL;
	}
	return fd;
}

/* The temporary file beside PREFIX; mode as the old file's. */
static int open_temp(tool_out *o, const char *prefix, const struct stat *old)
{
	mode_t mask;
	int fd;

	if ((fd = new_temp(o, prefix)) < 0)
		return open_fail(o, "cannot create");
	mask = umask(0); /* mkstemp makes 0600; give the file the usual mode */
	umask(mask);
	if (fchmod(fd, old ? (old->st_mode & 07777) : (0666 & ~mask)) < 0 ||
	    !(o->f = fdopen(fd, "w"))) {
		close(fd);
		return open_fail(o, "cannot create");
	}
	return 0;
}

int tool_out_open(tool_out *o, const char *path)
{
	struct stat st;

	memset(o, 0, sizeof(*o));
	if (!path || strcmp(path, "-") == 0) {
		o->f = stdout;
		return 0;
	}
	if (!(o->path = strdup(path))) {
		tool_warn("out of memory");
		return -1;
	}
	if (stat(path, &st) == 0) {
		if (!S_ISREG(st.st_mode))
			return open_direct(o);
		/* Through any symlinks to the file itself, so the link stays. */
		if (!(o->target = realpath(path, NULL)))
			return open_fail(o, "cannot resolve");
		return open_temp(o, o->target, &st);
	}
	if (errno != ENOENT)
		return open_fail(o, "cannot use");
	if (lstat(path, &st) == 0) /* a symlink to nothing yet */
		return open_direct(o);
	if (!(o->target = strdup(path)))
		return open_fail(o, "cannot create");
	return open_temp(o, o->target, NULL);
}

int tool_out_open_path(tool_out *o, const char *path)
{
	const char *dir;
	char prefix[PATH_MAX];
	struct stat st;
	int fd, n;

	if (path && strcmp(path, "-") != 0 &&
	    !(stat(path, &st) == 0 && !S_ISREG(st.st_mode))) {
		if (tool_out_open(o, path) < 0)
			return -1;
		fclose(o->f); /* keep the name, let the writer reopen it */
		o->f = NULL;
		return 0;
	}
	/* Standard output or a device: the writer needs a seekable file, so
	 * it writes a private temporary one that commit copies over. */
	memset(o, 0, sizeof(*o));
	if (path && strcmp(path, "-") != 0 && !(o->path = strdup(path))) {
		tool_warn("out of memory");
		return -1;
	}
	dir = getenv("TMPDIR");
	n = snprintf(prefix, sizeof(prefix), "%s/dts-out", dir && *dir ? dir : "/tmp");
	if (n < 0 || (size_t)n >= sizeof(prefix)) {
		tool_warn("%s: temporary folder name too long", tool_out_name(o));
		out_free(o);
		return -1;
	}
	if ((fd = new_temp(o, prefix)) < 0) {
		tool_warn("%s: cannot create a temporary file in %s: %s", tool_out_name(o),
			  dir && *dir ? dir : "/tmp", strerror(errno));
		out_free(o);
		return -1;
	}
	close(fd);
	o->copy = 1;
	return 0;
}

/* ---- finishing ---------------------------------------------------------------- */

/* Flush, check for write errors (a full disk), fsync and close, but do
 * not yet rename. */
static int tool_out_finish(tool_out *o)
{
	int rc = 0;

	if (o->done || !o->f)
		return 0;
	errno = 0;
	if (fflush(o->f) != 0 || ferror(o->f))
		rc = tool_out_write_failed(o);
	/* fsync only a file we rename: its data must be on disk before its
	 * name is; devices and pipes refuse fsync (EINVAL). */
	if (rc == 0 && o->tmp && fsync(fileno(o->f)) != 0)
		rc = tool_out_write_failed(o);
	if (o->f != stdout && fclose(o->f) != 0 && rc == 0)
		rc = tool_out_write_failed(o);
	o->f = NULL;
	o->done = 1;
	return rc;
}

/* Copy the private temporary file to the device, pipe or stdout. */
static int copy_out(tool_out *o)
{
	char b[65536];
	int in = open(o->tmp, O_RDONLY | O_CLOEXEC), out = STDOUT_FILENO, rc = 0;
	ssize_t n;

	if (in < 0) {
		tool_warn("%s: cannot read back %s: %s", tool_out_name(o), o->tmp, strerror(errno));
		return -1;
	}
	if (o->path && (out = open(o->path, O_WRONLY | O_CREAT | O_NOCTTY | O_CLOEXEC, 0666)) < 0) {
		tool_warn("%s: cannot open: %s", o->path, strerror(errno));
		close(in);
		return -1;
	}
	fflush(stdout);
	while (rc == 0 && (n = read(in, b, sizeof(b))) != 0) {
		ssize_t off = 0, w;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = tool_out_write_failed(o);
			break;
		}
		while (off < n) {
			if ((w = write(out, b + off, (size_t)(n - off))) < 0) {
				if (errno == EINTR)
					continue;
				rc = tool_out_write_failed(o);
				break;
			}
			off += w;
		}
	}
	close(in);
	if (out != STDOUT_FILENO && close(out) != 0 && rc == 0)
		rc = tool_out_write_failed(o);
	return rc;
}

/* The last step: the finished file takes its final name. */
static int publish(tool_out *o)
{
	int rc = 0;

	if (o->copy) {
		rc = copy_out(o);
	} else if (o->tmp && rename(o->tmp, o->target) != 0) {
		tool_warn("%s: cannot rename into place: %s", o->path, strerror(errno));
		rc = -1;
	}
	if (o->tmp) {
		unregister_temp(o->tmp);
		if (rc < 0 || o->copy)
			unlink(o->tmp);
	}
	out_free(o);
	return rc;
}

int tool_out_commit(tool_out *o)
{
	tool_out *one = o;

	return tool_out_commit_all(&one, 1);
}

int tool_out_commit_all(tool_out *const *outs, size_t n)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < n; i++)
		if (outs[i] && tool_out_finish(outs[i]) < 0)
			rc = -1;
	for (i = 0; i < n; i++) {
		if (!outs[i])
			continue;
		if (rc < 0)
			tool_out_abort(outs[i]);
		else if (publish(outs[i]) < 0)
			rc = -1;
	}
	return rc;
}

void tool_out_abort(tool_out *o)
{
	if (o->f && o->f != stdout)
		fclose(o->f);
	else if (o->f)
		fflush(o->f);
	if (o->tmp) {
		unregister_temp(o->tmp);
		unlink(o->tmp);
	}
	out_free(o);
}

/* ---- two names for one file ------------------------------------------------- */

typedef struct file_id {
	const char *shown;
	int kind;   /* 0 not comparable (device, pipe …), 1 existing regular, 2 not there yet */
	dev_t dev;
	ino_t ino;
	char *name; /* kind 2: the real folder + the last component */
} file_id;

static void identify(file_id *id, const char *path, int std_fd)
{
	struct stat st;
	int ok;

	memset(id, 0, sizeof(*id));
	id->shown = path && strcmp(path, "-") != 0 ? path :
		    std_fd == STDIN_FILENO ? "standard input" : "standard output";
	ok = path && strcmp(path, "-") != 0 ? stat(path, &st) : fstat(std_fd, &st);
	if (ok == 0) {
		if (S_ISREG(st.st_mode)) {
			id->kind = 1;
			id->dev = st.st_dev;
			id->ino = st.st_ino;
		}
		return;
	}
	if (!path || strcmp(path, "-") == 0 || errno != ENOENT)
		return;
	{
		const char *slash = strrchr(path, '/');
		char *dir = slash ? strndup(path, (size_t)(slash - path) + (slash == path)) : strdup(".");
		char *real = dir ? realpath(dir, NULL) : NULL;
		const char *base = slash ? slash + 1 : path;
		size_t n = real ? strlen(real) + strlen(base) + 2 : 0;

		if (real && (id->name = malloc(n))) {
			snprintf(id->name, n, "%s/%s", real, base);
			id->kind = 2;
		}
		free(real);
		free(dir);
	}
}

static int same_file(const file_id *a, const file_id *b)
{
	if (a->kind != b->kind || a->kind == 0)
		return 0;
	if (a->kind == 1)
		return a->dev == b->dev && a->ino == b->ino;
	return strcmp(a->name, b->name) == 0;
}

static int is_stdout(const char *p)
{
	return !p || strcmp(p, "-") == 0;
}

int tool_check_paths(const char *const *outs, size_t nout, char *const *inputs,
		     int ninputs, const char *const *extra, size_t nextra)
{
	size_t max = nout + (size_t)ninputs + nextra + 1, no = 0, n, i, j;
	const char **p = calloc(max, sizeof(*p));
	file_id *id = calloc(max, sizeof(*id));
	int rc = 0;

	if (!p || !id) {
		tool_warn("out of memory");
		free(p);
		free(id);
		return -1;
	}
	for (i = 0; i < nout; i++)
		if (i == 0 || outs[i]) /* the first is the main output, NULL = stdout */
			p[no++] = outs[i];
	n = no;
	for (i = 0; i < (size_t)ninputs; i++)
		p[n++] = inputs[i];
	if (ninputs == 0)
		p[n++] = "-";
	for (i = 0; i < nextra; i++)
		if (extra[i])
			p[n++] = extra[i];
	for (i = 0; i < n; i++)
		identify(&id[i], p[i], i < no ? STDOUT_FILENO : STDIN_FILENO);
	for (i = 0; i < no && rc == 0; i++) {
		for (j = i + 1; j < n && rc == 0; j++) {
			int both_stdout = j < no && is_stdout(p[i]) && is_stdout(p[j]);

			if (!both_stdout && !same_file(&id[i], &id[j]))
				continue;
			if (both_stdout)
				tool_warn("two outputs on standard output would be mixed; give one a file name");
			else if (j < no)
				tool_warn("%s and %s are the same file: two outputs would overwrite each other",
					  id[i].shown, id[j].shown);
			else
				tool_warn("output %s is the input %s: it would be overwritten",
					  id[i].shown, id[j].shown);
			rc = -1;
		}
	}
	for (i = 0; i < n; i++)
		free(id[i].name);
	free(id);
	free(p);
	return rc;
}
