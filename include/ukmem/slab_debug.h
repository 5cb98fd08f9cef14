/* SPDX-License-Identifier: MIT */
/*
 * ukmem/slab_debug.h - slab debugging for programs and tests: the kernel's
 * /sys/kernel/slab/<cache>/validate, alloc_traces and free_traces as calls,
 * and the error count that the kernel's slub_kunit reads.
 *
 * Debugging is switched on per cache by the SLAB_CONSISTENCY_CHECKS,
 * SLAB_RED_ZONE, SLAB_POISON, SLAB_STORE_USER and SLAB_TRACE flags of
 * kmem_cache_create(), or for any cache by the boot option
 * slub_debug=<FZPUTAO->[,<cache>...][;...] (docs/slab_debug.md).
 *
 * Counting: every report the slab allocator makes counts, as slub_kunit
 * counts them: each "BUG <cache> ..." header is one error, each
 * "FIX <cache>: ..." line another, each leaked object listed by
 * kmem_cache_destroy() one.  A red zone found overwritten and restored is
 * two.
 */
#ifndef _UKMEM_SLAB_DEBUG_H
#define _UKMEM_SLAB_DEBUG_H

#include <stdio.h>
#include <ukmem/kernel_types.h>

UKMEM_C_BEGIN

struct kmem_cache;

/* Which owner ukmem_slab_show_traces() lists. */
enum ukmem_slab_trace {
	UKMEM_SLAB_ALLOC_TRACES,	/* where the objects in use were allocated */
	UKMEM_SLAB_FREE_TRACES,		/* where they were last freed before that */
};

UKMEM_API_BEGIN

/**
 * ukmem_slab_validate - check every slab and object of a cache
 * @s: the cache
 *
 * The kernel's validate_slab_cache() (echo 1 > /sys/kernel/slab/<s>/validate):
 * the per-CPU caches are emptied into the slabs, then each slab's counters
 * and freelist and each object's red zones, poison, padding and free
 * pointer are checked; what is found is reported and repaired.  Returns
 * the number of errors this call counted (0: all sound).  May sleep.
 */
int ukmem_slab_validate(struct kmem_cache *s);
/*
 * The same check under the kernel's name (mm/slab.h there, exported for
 * lib/tests/slub_kunit.c): returns the number of slabs it went through;
 * the errors go to the count ukmem_slab_error_count() reads.
 */
long validate_slab_cache(struct kmem_cache *s);
/* ukmem_slab_validate() on every cache; the errors counted in all. */
int ukmem_slab_validate_all(void);
/* Errors counted since the process started or the last reset. */
long ukmem_slab_error_count(void);
void ukmem_slab_error_reset(void);
/**
 * ukmem_slab_show_traces - the kernel's alloc_traces / free_traces file
 * @s: a cache with SLAB_STORE_USER (else "No data" after an error line)
 * @which: UKMEM_SLAB_ALLOC_TRACES or UKMEM_SLAB_FREE_TRACES
 * @out: where the lines go
 *
 * One line per call site, most objects first:
 * "   <count> <caller+off/size> age=<min>/<avg>/<max> pid=<min>-<max> cpus=<list>"
 * followed by the call site's stack.  Returns the number of lines (call
 * sites), or -EINVAL.  May sleep.
 */
int ukmem_slab_show_traces(struct kmem_cache *s, enum ukmem_slab_trace which, FILE *out);
/* The cache called @name (as slabinfo names it), or NULL. */
struct kmem_cache *ukmem_slab_find(const char *name);

UKMEM_API_END
UKMEM_C_END

#endif /* _UKMEM_SLAB_DEBUG_H */
