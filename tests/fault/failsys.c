/*
 * failsys.c — an LD_PRELOAD shim for fault-injection tests: makes the Nth
 * call of fsync, rename, mkstemp or open-for-writing fail, so the tests can
 * check that every tool then leaves no temporary file, no half output, a
 * message and exit status 3.
 *
 *   DTS_FAULT=fsync:N | rename:N | mkstemp:N | wopen:N   (N counts from 1)
 *   DTS_FAULT_ERRNO=28 (default ENOSPC for fsync, EIO otherwise)
 *
 * stdio's own write()s go through glibc-internal calls a shim cannot see;
 * full-disk writes are tested with small tmpfs mounts and a full device
 * instead (tests/fault/test_fault.py).
 */
/* Define open and mkstemp themselves (meson's _FILE_OFFSET_BITS=64 would
 * rename them to the *64 names, which are defined as aliases below). */
#undef _FILE_OFFSET_BITS
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int fault_now(const char *name)
{
	static long counts[4];
	static const char *const names[] = {"fsync", "rename", "mkstemp", "wopen"};
	const char *spec = getenv("DTS_FAULT"), *colon;
	size_t i;

	if (!spec || !(colon = strchr(spec, ':')))
		return 0;
	for (i = 0; i < 4; i++)
		if (strcmp(names[i], name) == 0)
			break;
	if (i == 4 || (size_t)(colon - spec) != strlen(name) ||
	    strncmp(spec, name, strlen(name)) != 0)
		return 0;
	return ++counts[i] == strtol(colon + 1, NULL, 10);
}

static int fault_errno(int dflt)
{
	const char *e = getenv("DTS_FAULT_ERRNO");

	return e ? (int)strtol(e, NULL, 10) : dflt;
}

int fsync(int fd)
{
	static int (*real)(int);

	if (fault_now("fsync")) {
		errno = fault_errno(ENOSPC);
		return -1;
	}
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "fsync");
	return real(fd);
}

int rename(const char *from, const char *to)
{
	static int (*real)(const char *, const char *);

	if (fault_now("rename")) {
		errno = fault_errno(EIO);
		return -1;
	}
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "rename");
	return real(from, to);
}

int mkstemp(char *tmpl)
{
	static int (*real)(char *);

	if (fault_now("mkstemp")) {
		errno = fault_errno(EIO);
		return -1;
	}
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "mkstemp");
	return real(tmpl);
}

int open(const char *path, int flags, ...)
{
	static int (*real)(const char *, int, ...);
	mode_t mode = 0;
	va_list ap;

	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	if ((flags & O_ACCMODE) != O_RDONLY && fault_now("wopen")) {
		errno = fault_errno(EIO);
		return -1;
	}
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "open");
	return real(path, flags, mode);
}

/* With _FILE_OFFSET_BITS=64 the tools call these names. */
int open64(const char *path, int flags, ...) __attribute__((alias("open")));
int mkstemp64(char *tmpl) __attribute__((alias("mkstemp")));
