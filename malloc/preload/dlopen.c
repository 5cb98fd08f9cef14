/* SPDX-License-Identifier: MIT */
/*
 * malloc/preload/dlopen.c - dlopen() without RTLD_DEEPBIND, in the preload
 * library only (not in libukmem-malloc.a, whose programs keep their own).
 *
 * A library opened with RTLD_DEEPBIND resolves its symbols in itself and
 * its dependencies first, so its malloc() and free() are libc's, not the
 * preloaded ones: a block the program allocated on the front end and the
 * library frees goes to glibc's free(), which aborts or corrupts its heap
 * (PHP opens every extension so: `php -r 'echo 1;'` died at startup, as
 * it does under jemalloc and tcmalloc).  The flag is dropped, so the
 * library uses the front end like everything else; what DEEPBIND also
 * gives, a library's own copies of symbols the program defines too, is
 * lost for such libraries.
 *
 * The wrapper ends in a tail call: the next dlopen() sees the caller's
 * return address, as glibc's uses it to find the calling object, whose
 * RUNPATH and namespace a relative name is looked up in.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>

typedef void *(*dlopen_fn)(const char *file, int mode);

static dlopen_fn next_dlopen;

__attribute__((visibility("default"))) void *dlopen(const char *file, int mode)
{
	dlopen_fn next = __atomic_load_n(&next_dlopen, __ATOMIC_RELAXED);

	if (__builtin_expect(!next, 0)) {
		next = (dlopen_fn)dlsym(RTLD_NEXT, "dlopen");
		if (!next)
			return NULL;
		__atomic_store_n(&next_dlopen, next, __ATOMIC_RELAXED);
	}
	return next(file, mode & ~RTLD_DEEPBIND);
}
