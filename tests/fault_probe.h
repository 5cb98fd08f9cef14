/* SPDX-License-Identifier: MIT */
/*
 * tests/fault_probe.h - does touching an address fault in this process?
 * A SIGSEGV/SIGBUS handler of the probe's own, installed for the one
 * access and then put back, jumps out of the faulting access.  For guard
 * pages, freed vmalloc ranges and unmapped holes.  And memory that faults
 * where a test wants it to (ktest_two_pages).
 */
#ifndef _TESTS_FAULT_PROBE_H
#define _TESTS_FAULT_PROBE_H

#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>

#include <linux/mm.h>

static sigjmp_buf fault_probe_env;

static void fault_probe_handler(int sig)
{
	siglongjmp(fault_probe_env, sig);
}

/* A read (or, with @write, a read and a write back) of @addr faults? */
static inline bool ktest_faults_here(volatile char *addr, bool write)
{
	struct sigaction sa, old_segv, old_bus;
	bool hit = false;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fault_probe_handler;
	sigaction(SIGSEGV, &sa, &old_segv);
	sigaction(SIGBUS, &sa, &old_bus);
	if (sigsetjmp(fault_probe_env, 1) == 0) {
		if (write)
			*addr = *addr;
		else
			(void)*addr;
	} else {
		hit = true;
	}
	sigaction(SIGSEGV, &old_segv, NULL);
	sigaction(SIGBUS, &old_bus, NULL);
	return hit;
}

/* Two pages, the second inaccessible: *@edge is its first byte.  NULL if none. */
static inline char *ktest_two_pages(char **edge)
{
	char *m = mmap(NULL, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED)
		return NULL;
	mprotect(m + PAGE_SIZE, PAGE_SIZE, PROT_NONE);
	*edge = m + PAGE_SIZE;
	return m;
}

#endif /* _TESTS_FAULT_PROBE_H */
