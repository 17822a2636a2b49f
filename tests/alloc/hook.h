/* hook.h — the alloc-fail test's counting allocator (hook.c). */
#ifndef DTS_TEST_HOOK_H
#define DTS_TEST_HOOK_H

#include <stddef.h>

#define HOOK_FRAMES 24

struct hook_state {
	volatile int counting; /* count (and maybe fail) allocations */
	unsigned long count;   /* allocations counted in this run */
	unsigned long fail_at; /* the one to fail, 1-based; 0 = none */
	int hit;               /* the failure happened */
	const char *what;      /* which call failed */
	long live;             /* blocks taken and not given back */
	void *frames[HOOK_FRAMES]; /* where the failure happened */
	int depth;
	/* When set (the reference run of a scenario in distinct mode): the
	 * call stack of allocation i (1-based) is hashed into sites[i - 1],
	 * up to nsites_cap of them. */
	unsigned long *sites;
	unsigned long nsites_cap;
};

extern struct hook_state hook;

/* Call first in main: route libxml2's allocator here too when xml is 1. */
void hook_install(int xml);

#endif
