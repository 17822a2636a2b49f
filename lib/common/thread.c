/*
 * thread.c — the library's one way to start a thread.
 *
 * A thread the library starts never takes a process signal: it starts with
 * every signal blocked, so SIGINT, SIGTERM and the rest reach one of the
 * caller's own threads, where a program's handler runs beside the code it
 * guards. A handler that removes temporary files, say, blocks signals while
 * it creates and registers one; were the signal delivered to a library
 * thread instead, the handler would run there at that very moment and miss
 * the file being registered (the fault test saw such a file left behind
 * with dts-classify -j 2).
 */
#include <signal.h>

#include "internal.h"

int dts__thread_start(pthread_t *th, void *(*fn)(void *), void *arg)
{
	sigset_t all, old;
	int rc;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old); /* the new thread inherits it */
	rc = pthread_create(th, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}
