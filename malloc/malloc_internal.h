/* SPDX-License-Identifier: MIT */
/*
 * malloc/malloc_internal.h - what crosses files inside the malloc front end.
 */
#ifndef _MALLOC_INTERNAL_H
#define _MALLOC_INTERNAL_H

#include <ukmem/kernel_types.h>
#include <linux/atomic.h>

struct malloc_stats_counters {
	atomic_long_t foreign_frees;	/* free() of pointers we never made */
};
extern struct malloc_stats_counters ukmem_malloc_stats;

/* ---- malloc/host.c: blocks above the mmap threshold, straight from the host ---- */
/* Register the registry lock for fork() (at load). */
void host_init(void);
void *host_alloc(size_t size, size_t align, bool zero);
/* False if @p is not one of ours. */
bool host_free(void *p);
bool host_owns(const void *p);
size_t host_usable_size(const void *p);
void *host_realloc(void *p, size_t size);

/* ---- malloc/malloc.c ---- */
/* Bytes in blocks above the slab classes taken from the buddy allocator. */
unsigned long malloc_large_block_bytes(void);

/* ---- malloc/usage.c: the numbers behind mallinfo and malloc_stats ---- */
struct ukmem_malloc_usage {
	unsigned long system_bytes;	/* pages the slab and large paths hold */
	unsigned long in_use_bytes;	/* of which handed out */
	unsigned long host_blocks, host_bytes;
	unsigned long max_host_blocks, max_host_bytes;
};
void ukmem_malloc_usage(struct ukmem_malloc_usage *u);
void host_usage(unsigned long *blocks, unsigned long *bytes,
		unsigned long *max_blocks, unsigned long *max_bytes);

/* ---- malloc/report.c: load and exit ---- */
void malloc_frontend_init(void);
void malloc_frontend_exit_report(void);

#endif /* _MALLOC_INTERNAL_H */
