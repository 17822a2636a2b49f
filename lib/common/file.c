/*
 * file.c — the one way the library reads a whole file (classifiers, list
 * files, exchange rates, cube partials).
 *
 * Why one helper: every reader used to fopen() first and check the file
 * type after, and opening a FIFO with no writer blocks for ever. Here the
 * open never blocks (O_NONBLOCK), the type is checked on the descriptor
 * that is then read (fstat, so no name can be swapped in between), and
 * only regular files are read. DTS__READ_BENEATH keeps a path named by a
 * classifier inside one directory: relative, no "..", no symlink at any
 * step, each component opened from its parent's descriptor.
 * DTS__READ_STREAM is for inputs a user pipes in (cube partials): "-" is
 * standard input, and FIFOs and devices are read to their end.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

/* Where errors are reported: the naming element, or the file itself. */
typedef struct where {
	const char *file;
	unsigned line, col;
} where;

static const char *type_name(mode_t m)
{
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "a device";
	if (S_ISSOCK(m))
		return "a socket";
	return "not a regular file";
}

static int open_error(const where *w, const char *path, int err, int beneath)
{
	if (beneath && (err == ELOOP || err == EMLINK))
		return dts__error(DTS_EIO, w->file, w->line, w->col,
				  "cannot read '%s': it is or goes through a "
				  "symbolic link, and list files must be real "
				  "files inside the list directory",
				  path);
	return dts__error(DTS_EIO, w->file, w->line, w->col,
			  "cannot read '%s': %s", path,
			  strerror(err));
}

/* Read fd to its end, at most max bytes, into a NUL-terminated buffer. */
static int read_all(char **out, size_t *outlen, int fd, const char *path,
		    size_t max, const where *w)
{
	size_t len = 0, cap = 0;
	char *buf = NULL;

	for (;;) {
		ssize_t k;

		if (cap - len < 2) {
			size_t ncap = cap ? cap * 2 : 65536;
			char *nb;

			if (ncap > max + 2)
				ncap = max + 2; /* one byte over tells "too big" */
			if (ncap <= cap || !(nb = realloc(buf, ncap))) {
				free(buf);
				return dts__error(DTS_ENOMEM, NULL, 0, 0,
						  "out of memory");
			}
			buf = nb;
			cap = ncap;
		}
		k = read(fd, buf + len, cap - len - 1);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			int err = errno;

			free(buf);
			return dts__error(DTS_EIO, w->file, w->line, w->col,
					  "cannot read '%s': %s",
					  path,
					  strerror(err));
		}
		if (k == 0)
			break;
		len += (size_t)k;
		if (len > max) {
			free(buf);
			return dts__error(DTS_ELIMIT, w->file, w->line, w->col,
					  "'%s' is over the size limit of %zu "
					  "bytes", path, max);
		}
	}
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	return 0;
}

/* The checked descriptor of a regular file (or, with DTS__READ_STREAM,
 * of anything but a directory): fstat, type, size. */
static int check_fd(int fd, const char *path, size_t max, unsigned flags,
		    const where *w)
{
	struct stat sb;
	if (fstat(fd, &sb) != 0)
		return open_error(w, path, errno, 0);
	if ((flags & DTS__READ_STREAM) && !S_ISREG(sb.st_mode) &&
	    !S_ISDIR(sb.st_mode))
		return 0;
	if (!S_ISREG(sb.st_mode))
		return dts__error(DTS_EIO, w->file, w->line, w->col,
				  "cannot read '%s': it is %s, not a regular "
				  "file", path,
				  type_name(sb.st_mode));
	if ((uintmax_t)sb.st_size > max)
		return dts__error(DTS_ELIMIT, w->file, w->line, w->col,
				  "'%s' is %jd bytes, over the limit of %zu",
				  path, (intmax_t)sb.st_size, max);
	return 0;
}

static int bad_beneath(const where *w, const char *path, const char *why)
{
	return dts__error(DTS_EIO, w->file, w->line, w->col,
			  "cannot read '%s': %s", path,
			  why);
}

/*
 * Open rel beneath dirfd one component at a time, never following a
 * symlink; returns the descriptor of the last component, or an error.
 */
static int open_beneath(int dirfd, const char *rel, const where *w)
{
	int fd = dirfd, flags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY;
	int next;
	const char *s = rel;

	if (!*rel)
		return bad_beneath(w, rel, "empty path");
	if (*rel == '/')
		return bad_beneath(w, rel, "absolute paths are not allowed: "
				   "name a file inside the list directory");
	for (;;) {
		const char *slash = strchr(s, '/');
		size_t n = slash ? (size_t)(slash - s) : strlen(s);
		char comp[256];

		if (n == 2 && s[0] == '.' && s[1] == '.') {
			next = bad_beneath(w, rel, "'..' is not allowed: name "
					   "a file inside the list directory");
			goto fail;
		}
		if (n >= sizeof(comp)) {
			next = bad_beneath(w, rel, "a path component is too long");
			goto fail;
		}
		memcpy(comp, s, n);
		comp[n] = '\0';
		if (slash && (n == 0 || (n == 1 && s[0] == '.'))) {
			s = slash + 1; /* "a//b", "./a": no step */
			continue;
		}
		next = openat(fd, comp, flags | (slash ? O_DIRECTORY :
						 O_NONBLOCK));
		if (next < 0) {
			int err = errno;
			struct stat sb;

			/* O_DIRECTORY on a symlink says ENOTDIR: say why. */
			if (err == ENOTDIR && slash &&
			    fstatat(fd, comp, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
			    S_ISLNK(sb.st_mode))
				err = ELOOP;
			next = open_error(w, rel, err, 1);
			goto fail;
		}
		if (fd != dirfd)
			close(fd);
		fd = next;
		if (!slash)
			return fd;
		s = slash + 1;
	}
fail:
	if (fd != dirfd)
		close(fd);
	return next;
}

static int open_dir(int *out, const char *dir, const where *w)
{
	if (!dir || !*dir) {
		*out = AT_FDCWD;
		return 0;
	}
	*out = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (*out < 0)
		return dts__error(DTS_EIO, w->file, w->line, w->col,
				  "cannot open directory '%s': %s", dir,
				  strerror(errno));
	return 0;
}

int dts__read_file(char **out, size_t *outlen, const char *dir,
		   const char *path, unsigned flags, size_t max,
		   const char *efile, unsigned eline, unsigned ecol)
{
	where w = { efile ? efile : path, eline, ecol };
	int dirfd = AT_FDCWD, fd, error;

	*out = NULL;
	*outlen = 0;
	if ((flags & DTS__READ_STREAM) && !(flags & DTS__READ_BENEATH) &&
	    strcmp(path, "-") == 0) {
		/* Standard input: read, never closed. */
		if ((error = check_fd(STDIN_FILENO, path, max, flags, &w)) == 0)
			error = read_all(out, outlen, STDIN_FILENO, path, max, &w);
		return error;
	}
	if (flags & DTS__READ_BENEATH) {
		if ((error = open_dir(&dirfd, dir, &w)) < 0)
			return error;
		fd = open_beneath(dirfd, path, &w);
		if (dirfd != AT_FDCWD)
			close(dirfd);
	} else {
		/* O_NONBLOCK: opening a FIFO must not wait for a writer. A
		 * stream is opened like any reader of a pipe: it waits. */
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY |
				(flags & DTS__READ_STREAM ? 0 : O_NONBLOCK));
		if (fd < 0)
			fd = open_error(&w, path, errno, 0);
	}
	if (fd < 0)
		return fd;
	if ((error = check_fd(fd, path, max, flags, &w)) == 0)
		error = read_all(out, outlen, fd, path, max, &w);
	close(fd);
	return error;
}
