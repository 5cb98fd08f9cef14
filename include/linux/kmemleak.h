/* SPDX-License-Identifier: MIT */
/*
 * linux/kmemleak.h - the kernel memory leak detector's API
 * (include/linux/kmemleak.h, mm/kmemleak.c).
 *
 * With `kmemleak=on` on the boot command line every slab object, large
 * kmalloc block, vmalloc area, per-CPU allocation and malloc front-end
 * block is tracked with its allocation stack; a scan finds the objects no
 * pointer in the data and bss sections, the thread stacks or another
 * referenced object points to, and reports them as the kernel does.  The
 * calls below are what code that manages memory the hooks cannot see (or
 * that hides its pointers) tells kmemleak, as in the kernel.  Without
 * `kmemleak=on` every call returns after one test of a flag the boot sets.
 *
 * Context: every call may be made from any context, a signal handler
 * included; none sleeps.  min_count: 0 never reports the object (it is
 * still scanned), -1 neither reports nor scans it, n > 0 reports it with
 * fewer than n references.  docs/kmemleak.md has the rest.
 */
#ifndef _LINUX_KMEMLEAK_H
#define _LINUX_KMEMLEAK_H

#include <ukmem/kernel_types.h>
#include <linux/gfp.h>
#include <linux/slab.h>

UKMEM_C_BEGIN

struct vm_struct;

UKMEM_API_BEGIN
void kmemleak_alloc(const void *ptr, size_t size, int min_count, gfp_t gfp);
void kmemleak_alloc_percpu(const void __percpu *ptr, size_t size, gfp_t gfp);
void kmemleak_vmalloc(const struct vm_struct *area, size_t size, gfp_t gfp);
void kmemleak_free(const void *ptr);
void kmemleak_free_part(const void *ptr, size_t size);
void kmemleak_free_percpu(const void __percpu *ptr);
void kmemleak_update_trace(const void *ptr);
void kmemleak_not_leak(const void *ptr);
void kmemleak_transient_leak(const void *ptr);
void kmemleak_ignore(const void *ptr);
void kmemleak_ignore_percpu(const void __percpu *ptr);
void kmemleak_scan_area(const void *ptr, size_t size, gfp_t gfp);
void kmemleak_no_scan(const void *ptr);
void kmemleak_alloc_phys(phys_addr_t phys, size_t size, gfp_t gfp);
void kmemleak_free_part_phys(phys_addr_t phys, size_t size);
void kmemleak_ignore_phys(phys_addr_t phys);
UKMEM_API_END

/* The slab allocator's forms: nothing for a cache made with SLAB_NOLEAKTRACE. */
static inline void kmemleak_alloc_recursive(const void *ptr, size_t size, int min_count,
					    slab_flags_t flags, gfp_t gfp)
{
	if (!(flags & SLAB_NOLEAKTRACE))
		kmemleak_alloc(ptr, size, min_count, gfp);
}

static inline void kmemleak_free_recursive(const void *ptr, slab_flags_t flags)
{
	if (!(flags & SLAB_NOLEAKTRACE))
		kmemleak_free(ptr);
}

/* A pointer that must not count as a reference any more. */
static inline void kmemleak_erase(void **ptr)
{
	*ptr = NULL;
}

UKMEM_C_END

#endif /* _LINUX_KMEMLEAK_H */
