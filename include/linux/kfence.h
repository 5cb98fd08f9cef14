/* SPDX-License-Identifier: MIT */
/*
 * include/linux/kfence.h - KFENCE, the sampled guard-page allocator
 * (mm/kfence.c; the kernel's include/linux/kfence.h and mm/kfence/).
 *
 * Every kfence.sample_interval milliseconds one slab allocation is served
 * from a pool of pages instead of a slab: the object alone on its page,
 * between two inaccessible guard pages, its page inaccessible once it is
 * freed.  An access out of bounds or after the free faults, and the fault
 * handler prints the kernel's KFENCE report.  See docs/kfence.md.
 *
 * The slab allocator asks is_kfence_address() on its slow paths only: the
 * pool's pages are RAM but no slab pages, so every free fast path's
 * PageSlab test sends a KFENCE pointer to a slow path already.
 */
#ifndef _LINUX_KFENCE_H
#define _LINUX_KFENCE_H

#include <linux/types.h>
#include <ukmem/compiler.h>
#include <linux/gfp.h>

struct kmem_cache;

UKMEM_API_BEGIN
/* The pool's start and size in bytes (0 while KFENCE is off: nothing matches). */
extern char *__kfence_pool;
extern unsigned long kfence_pool_size;
/*
 * The sampling interval in ms (kfence.sample_interval=, 0: off), as the
 * boot set it; read it only (there is no sysfs file to change it here,
 * and a store would not re-arm the sampling).
 */
extern unsigned long kfence_sample_interval;

/*
 * is_kfence_address - does @addr lie in the KFENCE pool (objects, guard
 * pages)?  One subtraction and one comparison; false while KFENCE is off.
 */
static __always_inline bool is_kfence_address(const void *addr)
{
	return unlikely((unsigned long)((const char *)addr - __kfence_pool) <
			READ_ONCE(kfence_pool_size));
}

/* Set while the next allocation is to come from the pool (mm/kfence.c). */
extern int kfence_allocation_gate;

void *__kfence_alloc(struct kmem_cache *s, size_t size, gfp_t flags);

/*
 * kfence_alloc - an object of @s for @size bytes from the pool if the
 * sampling gate is open (and this caller is the one to take it), else
 * NULL: the caller allocates as usual.  Any context; in a signal handler
 * it never waits (a busy pool is skipped).
 */
static __always_inline void *kfence_alloc(struct kmem_cache *s, size_t size, gfp_t flags)
{
	if (likely(!READ_ONCE(kfence_allocation_gate)))
		return NULL;
	return __kfence_alloc(s, size, flags);
}

/* The size a KFENCE object was allocated with (its ksize()); 0 if @addr is no live object. */
size_t kfence_ksize(const void *addr);
/* The start of the KFENCE object @addr points into, or NULL. */
void *kfence_object_start(const void *addr);
/* The cache a live KFENCE object was allocated from, or NULL. */
struct kmem_cache *kfence_object_cache(const void *addr);

/*
 * __kfence_free - free @addr, which is_kfence_address().  An invalid or
 * double free and a corrupted canary are reported as the kernel reports
 * them; returns 0, or -EINVAL (invalid free: nothing was freed) or
 * -EFAULT (the canary was corrupt: reported, then freed).  Any context.
 */
int __kfence_free(void *addr);

/* kfence_free - free @addr if it is a KFENCE object; false if it is not one. */
static __always_inline bool kfence_free(void *addr)
{
	if (!is_kfence_address(addr))
		return false;
	__kfence_free(addr);
	return true;
}

/*
 * kfence_handle_page_fault - a fault at @addr (a write if @is_write) by
 * the instruction at @ip: true if it was KFENCE's (reported; the page is
 * made accessible and the access goes on, as in the kernel), false if the
 * address is not in the pool.  For an object of the malloc front end the
 * report is followed by its stop (malloc.abort_on_corruption).
 */
bool kfence_handle_page_fault(unsigned long addr, bool is_write, unsigned long ip);

/* kfence_shutdown_cache - @s is being destroyed: its live objects become zombies. */
void kfence_shutdown_cache(struct kmem_cache *s);
UKMEM_API_END

#endif /* _LINUX_KFENCE_H */
