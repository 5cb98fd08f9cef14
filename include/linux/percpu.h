/* SPDX-License-Identifier: MIT */
/*
 * linux/percpu.h - per-CPU data: static variables (DEFINE_PER_CPU, in
 * linux/percpu-defs.h) and the dynamic allocator alloc_percpu() /
 * free_percpu() (include/linux/percpu.h, mm/percpu.c).
 *
 * Every possible CPU has a copy of every per-CPU variable.  The copies of
 * one allocation are unit_size bytes apart, in chunks of nr_cpu_ids units
 * each: the first chunk comes from memblock at boot and also holds the
 * static variables of the library and of the program; later chunks come
 * from the page allocator when the free areas run out, and a chunk that
 * becomes empty goes back (one spare is kept).  docs/percpu.md has the
 * layout, the costs and what differs from the kernel.
 *
 * Context rules, as in the kernel: alloc_percpu() and __alloc_percpu() may
 * sleep (GFP_KERNEL); alloc_percpu_gfp() with a gfp that lacks any of
 * GFP_KERNEL's bits is "atomic": it never sleeps and only uses space that
 * exists already.  free_percpu() never sleeps.
 */
#ifndef _LINUX_PERCPU_H
#define _LINUX_PERCPU_H

#include <ukmem/kernel_types.h>
#include <linux/cleanup.h>
#include <linux/gfp.h>
#include <linux/smp.h>
#include <linux/percpu-defs.h>
#include <asm/page.h>

UKMEM_C_BEGIN

/* mm/percpu.c's sizes, the kernel's values for 4 KiB pages on 64-bit. */
#define PCPU_MIN_ALLOC_SHIFT		2
#define PCPU_MIN_ALLOC_SIZE		(1 << PCPU_MIN_ALLOC_SHIFT)
#define PCPU_BITMAP_BLOCK_SIZE		PAGE_SIZE
#define PCPU_BITMAP_BLOCK_BITS		(PCPU_BITMAP_BLOCK_SIZE >> PCPU_MIN_ALLOC_SHIFT)
#define PCPU_MIN_UNIT_SIZE		PFN_ALIGN(32 << 10)
#define PERCPU_DYNAMIC_RESERVE		(28 << 10)
#define PERCPU_MODULE_RESERVE		(8 << 10)

UKMEM_API_BEGIN
/**
 * __alloc_percpu_gfp - allocate a zeroed area on every possible CPU
 * @size: bytes, 1 .. PCPU_MIN_UNIT_SIZE
 * @align: a power of two up to PAGE_SIZE (raised to PCPU_MIN_ALLOC_SIZE)
 * @gfp: GFP_KERNEL: may sleep and add a chunk; a gfp without all of
 *	GFP_KERNEL's bits (GFP_NOWAIT, GFP_ATOMIC, GFP_NOFS...): never sleeps
 *	and fails rather than add one; __GFP_NOWARN: no failure warning
 *
 * Returns the per-CPU pointer, or NULL: an illegal size or align is WARNed
 * ("illegal size (%zu) or align (%zu) for percpu allocation"), a failure
 * prints "percpu: allocation failed, size=%zu align=%zu atomic=%d, <why>"
 * (the first 10 times, then "percpu: limit reached, disable warning").
 */
void __percpu *__alloc_percpu_gfp(size_t size, size_t align, gfp_t gfp) __malloc;
/* __alloc_percpu_gfp(size, align, GFP_KERNEL).  May sleep. */
void __percpu *__alloc_percpu(size_t size, size_t align) __malloc;
/*
 * The kernel serves this from the first chunk's reserved part, which
 * exists for modules' static per-CPU variables; ukmem has no modules to
 * load, so it is __alloc_percpu().
 */
#define __alloc_reserved_percpu(size, align)	__alloc_percpu(size, align)
/* Pages the per-CPU allocator holds, every CPU's copy counted (meminfo's Percpu / PAGE_SIZE). */
unsigned long pcpu_nr_pages(void);
/**
 * free_percpu - free a dynamic per-CPU area
 * @ptr: from alloc_percpu*(), or NULL (nothing happens)
 *
 * Never sleeps.  A pointer that is not the start of a live area is WARNed
 * and ignored.  A chunk left empty is given back to the page allocator,
 * except one kept for the next growth.
 */
void free_percpu(void __percpu *ptr);
/* The address the kernel would give: CPU @cpu's copy as a physical address. */
phys_addr_t per_cpu_ptr_to_phys(void *addr);
/* Is @addr inside the static area of the first chunk (any CPU's copy)? */
bool is_kernel_percpu_address(unsigned long addr);

/*
 * ukmem: record an object's "ukmem_percpu" section.  Before boot it gets
 * space in the first chunk; after boot (a dlopen'ed object) space from
 * the dynamic allocator; in both cases every CPU's copy starts as a copy
 * of the section.  Called by the constructor below; idempotent.
 */
void ukmem_percpu_register_section(char *start, char *stop);
/* ukmem: bytes of chunks (all units), the number behind meminfo's Percpu. */
unsigned long ukmem_percpu_populated_bytes(void);
/* ukmem: chunks in use, the first one included. */
unsigned int ukmem_percpu_nr_chunks(void);
/* ukmem: the size of one CPU's unit in every chunk. */
size_t ukmem_percpu_unit_size(void);

/* The library's static per-CPU variables: x86's CPU number of each copy... */
DECLARE_PER_CPU_READ_MOSTLY(int, cpu_number);
/* ...and how often this_cpu_*() took the slow path on each CPU. */
DECLARE_PER_CPU(unsigned long, ukmem_pcpu_slow_ops);
UKMEM_API_END

#define alloc_percpu_gfp(type, gfp)						\
	((__typeof__(type) __percpu *)__alloc_percpu_gfp(sizeof(type),		\
						__alignof__(type), gfp))
#define alloc_percpu(type)							\
	((__typeof__(type) __percpu *)__alloc_percpu(sizeof(type), __alignof__(type)))
#define alloc_percpu_noprof		alloc_percpu
#define __alloc_percpu_noprof		__alloc_percpu
#define __alloc_percpu_gfp_noprof	__alloc_percpu_gfp

/*
 * Each object that includes this header registers its own section: the
 * hidden __start_/__stop_ symbols are that object's bounds (both NULL,
 * being weak, where it defines no per-CPU variable), and every translation
 * unit's copy of the constructor registers the same pair, which the
 * library counts once.
 */
extern char __start_ukmem_percpu[] __attribute__((__weak__, __visibility__("hidden")));
extern char __stop_ukmem_percpu[] __attribute__((__weak__, __visibility__("hidden")));

/*
 * Priority 900: before every initcall and module_init() (1000-1071,
 * linux/init.h), which may use the variables already, as the kernel's do.
 */
__attribute__((__constructor__(900), __unused__)) static void __ukmem_percpu_section_ctor(void)
{
	char *start = __start_ukmem_percpu, *stop = __stop_ukmem_percpu;

	if (start != stop)
		ukmem_percpu_register_section(start, stop);
}

/* __free(free_percpu) (linux/cleanup.h). */
DEFINE_FREE(free_percpu, void __percpu *, free_percpu(_T))

UKMEM_C_END

#endif /* _LINUX_PERCPU_H */
