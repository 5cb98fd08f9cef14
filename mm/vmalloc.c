/* SPDX-License-Identifier: MIT */
/*
 * mm/vmalloc.c - virtually contiguous memory: vmalloc, vmap, vm_map_ram
 * and the vm_struct API (the kernel's mm/vmalloc.c; /proc/vmallocinfo,
 * vmalloc_to_page() and vmalloc_to_pfn() are in mm/vmalloc_info.c).
 *
 * Entry points: vmalloc() and its variants (all end in
 * __vmalloc_node_range()), vrealloc(), vfree(), vfree_atomic(), vmap(), vunmap(),
 * vm_map_ram(), vm_unmap_ram(), vm_unmap_aliases(),
 * get_vm_area()/find_vm_area()/remove_vm_area().
 *
 * Design
 * 1. Address space.  VMALLOC_START..VMALLOC_END is reserved at boot
 *    (init/main.c) inaccessible.  mm/vmap_area.c hands out ranges of it
 *    from a free tree, lowest fit first, as the kernel's alloc_vmap_area().
 *    Every area ends in a guard page unless VM_NO_GUARD (vm_map_ram areas
 *    have none, as in the kernel).
 * 2. Pages.  vmalloc() takes order-0 pages from the buddy allocator (with
 *    __GFP_HIGHMEM, as the kernel does, unless a DMA zone is asked for), so
 *    meminfo, VmallocUsed and vmalloc_to_page() tell the kernel's story.
 *    From 16 pages on it first tries blocks of up to pageblock_order
 *    quietly and splits them (split_page()): consecutive frames make
 *    linear aliases (point 4) cheaper.  The pages' own memory is not used.
 * 3. The vmalloc file.  A process cannot map its private memory at a second
 *    address, and a host mapping per area (or per page run) would bound
 *    the number of areas by vm.max_map_count (65530 by default).  So the
 *    bytes of vmalloc() areas live in one sparse memfd, the vmalloc file,
 *    at offset = address - VMALLOC_START, and the range maps that file
 *    MAP_SHARED in 2 MiB segments, each mapped the first time an area lies
 *    in it and never unmapped: neighbouring segments are one host mapping,
 *    so any number of areas costs a handful (mm/vmalloc_map.c).  A purged
 *    range is a hole of the file, so a fresh area reads zero and
 *    __GFP_ZERO costs nothing there.  Under strict overcommit the area's file pages are
 *    allocated at vmalloc() time (fallocate), so running out is a NULL
 *    return, not a SIGBUS later.
 * 4. The linear address.  The kernel promises that page_address(page)
 *    shows the bytes of the vmalloc address that maps the page.  A
 *    vmalloc() page's linear address is made a shared mapping of the
 *    vmalloc file at the page's offset when the page is handed out
 *    (vmalloc_to_page(), vmalloc_to_pfn(), kmap()), per run of frames, and
 *    taken down by vfree() before the page returns to the buddy allocator
 *    (mm/vmap_alias.c).  Nothing moves, so a writer loses nothing.  vmap()
 *    and vm_map_ram() map the caller's pages, which the caller reaches at
 *    their linear address: a plain lowmem page moves into the physical
 *    memory file once (arch/mapping.h) and its linear address becomes a
 *    shared mapping of it; the area then maps each page's file (an
 *    overlay, one host mapping per run, plus the split of the segment).
 *    Highmem pages live in the physical memory file anyway (mm/highmem.c).
 * 5. Guard pages.  Where the host has guard regions (Linux 6.15+ on shared
 *    file mappings: MADV_GUARD_INSTALL), guard pages and free ranges carry
 *    guard markers, which fault on access and cost no host mapping.  Else
 *    they are PROT_NONE (mprotect), which splits the segment's mapping
 *    around each live area.  Boot option vmalloc.guard= picks.
 * 6. Freeing.  vfree() takes the aliases down and frees the pages at once
 *    (runs of frames as blocks); the range goes on the lazy list as it is
 *    (the kernel defers its TLB flush the same way): still mapped, its
 *    file pages still there.  A vmalloc() of exactly the same shape takes
 *    such a warm range back with no host call and no page fault on the
 *    first touch (zeroed only if asked).  Other ranges wait for a purge,
 *    which drops the file's pages (hole punching), guards the range and
 *    gives it back to the free tree, one host call per run of neighbours.
 *    Purges run when the list passes lazy_max_pages() (a quarter of the
 *    kernel's), when the address space seems full, at vm_unmap_aliases()
 *    and before fork().  Overlays are taken down at once.  Under strict
 *    overcommit (the charge comes back) and init_on_free (the bytes must
 *    go; a use after free faults at once) a range is purged at once.
 * 7. fork().  Shared mappings would stay shared with a child; vmalloc's
 *    fork step copies both memory files for it before the fork (the step
 *    that may fail the fork), holds the locks below across the fork system
 *    call, and the child maps everything from its copies
 *    (mm/vmalloc_fork.c).
 * 8. Failures.  Every host call that can fail (the map limit, commit
 *    charge) fails cleanly: a segment that cannot be mapped fails the
 *    area (NULL); a data range that cannot be opened fails vmalloc with
 *    "failed to map pages"; an overlay that cannot be mapped fails vmap;
 *    an overlay that cannot be taken down keeps its range off the free
 *    tree (VMAP_STUCK, retried at each purge); an alias that cannot be
 *    taken down keeps its page back (retried at each purge).  None of
 *    these needs a new host mapping, so vfree() always works.
 *
 * Locking, outermost first (ranks in kernel/locking.h):
 *   vmalloc_setup_lock: a mutex, first use only (creates the area cache).
 *   vmap_purge_lock (mm/vmalloc_map.c): one purge at a time.
 *   vmap_seg_lock (mm/vmalloc_map.c): mapping new segments.
 *   vmap_alias_lock (mm/vmap_alias.c): linear aliases, the quarantine;
 *	kmap_lock (mm/highmem.c) nests inside it.
 *   vmap_area_lock (mm/vmap_area.c): both trees, the lazy list, the
 *	vm_struct link and flags of each area.  A leaf: no host call and no
 *	allocation under it.
 * The first three spinlocks are held across host calls (never across an
 * allocation; a purge frees under vmap_purge_lock).  An area's pages and
 * mappings belong to whoever holds the area: the allocating call until it
 * returns, then the caller until vfree().  fork() takes all of them
 * (mm/vmalloc_fork.c), at FORK_ORDER_VMALLOC, before slab and the page
 * allocator, the setup mutex at FORK_ORDER_VMALLOC_SETUP.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/kallsyms.h>
#include <linux/mm.h>
#include <linux/ratelimit.h>
#include <linux/slab.h>
#include <linux/notifier.h>
#include <linux/vmalloc.h>
#include <linux/kmemleak.h>
#include <linux/preempt.h>
#include <ukmem/boot.h>
#include "arch/host.h"
#include "kernel/fork.h"
#include "kernel/locking.h"
#include "mm/internal.h"
#include "mm/proc.h"
#include "mm/vmalloc.h"

/* mm/internal.h of the kernel; repeated here to stay out of mm/slab.h. */
#define VM_GFP_RECLAIM_MASK (__GFP_RECLAIM | __GFP_HIGH | __GFP_IO | __GFP_FS | \
			     __GFP_NOWARN | __GFP_RETRY_MAYFAIL | __GFP_NOFAIL | \
			     __GFP_NORETRY | __GFP_MEMALLOC | __GFP_NOMEMALLOC)

/* vmalloc takes pages in order-4 runs where it can (see __vmalloc_area_node). */
#define VMALLOC_CHUNK_ORDER	4
#define VMALLOC_CHUNK_PAGES	(1U << VMALLOC_CHUNK_ORDER)
#define VMALLOC_MAX_CHUNK_ORDER	pageblock_order

/* x86's SHMLBA: vmalloc_user() areas are aligned to it for user mappings. */
#define SHMLBA	PAGE_SIZE

static struct kmem_cache *vmap_area_cachep;
static atomic_long_t nr_vmalloc_pages;
static bool vmalloc_ready;	/* trees built */
static bool vmalloc_usable;	/* boot set the range up */
static bool vmalloc_setup_slow(void);

/* vfree_atomic() and vfree() from a signal handler: freed later. */
struct vfree_deferred {
	struct vfree_deferred *next;
};
static struct vfree_deferred *deferred_head;

static void drain_deferred(void);

/* ------------------------------------------------------------------ */
/* areas                                                                */

static struct vmap_area *new_va(gfp_t gfp, int node)
{
	return kmem_cache_alloc_node(vmap_area_cachep, gfp & VM_GFP_RECLAIM_MASK, node);
}

void vmap_node_free(struct vmap_area *va)
{
	if (va)
		kmem_cache_free(vmap_area_cachep, va);
}

/*
 * Return a busy range that was never opened (still guarded, a hole of the
 * file) straight to the free tree; anything else goes by vmap_lazy_free().
 */
static void free_vmap_area(struct vmap_area *va)
{
	struct vmap_area *dead[2];
	int nr_dead = 0, i;

	spin_lock(&vmap_area_lock);
	vmap_release_locked(va, dead, &nr_dead);
	spin_unlock(&vmap_area_lock);
	for (i = 0; i < nr_dead; i++)
		vmap_node_free(dead[i]);
}

/*
 * alloc_vmap_area(): a busy range of @size bytes (guard included), with
 * the vmalloc file mapped under it.  @reuse (VMAP_WARM, plus VMAP_NOGUARD
 * for a range without guard page) lets a vmalloc() take a warm lazily
 * freed range of exactly that shape; the result then has VMAP_WARM.  A
 * failed search purges the lazily freed ranges and tries once more, as
 * the kernel's does.
 */
/*
 * The tools (mm/sanitizers.c): a range vfree() closed may come back as
 * any kind of area; it is open again, its bytes defined, until vmalloc()
 * closes the part past the size asked for.
 */
static struct vmap_area *tools_open_area(struct vmap_area *va)
{
	if (unlikely(slab_tools_active))
		tool_pages_alloc((void *)va->va_start, va->va_end - va->va_start, true);
	return va;
}

/*
 * register_vmap_purge_notifier(): called when the range is full even after
 * a purge; a callback adds what it freed to *(unsigned long *)data, and
 * anything freed means one more try (the kernel's vmap_notify_list).
 */
static BLOCKING_NOTIFIER_HEAD(vmap_notify_list);

/* A fork child lets go of a call in progress in a thread it does not have. */
static void vmap_notify_fork_child(void)
{
	blocking_notifier_fork_child(&vmap_notify_list);
}

static const struct fork_step vmap_notify_fork_step = {
	.name = "vmap_notify",
	.order = FORK_ORDER_NOTIFIER,
	.child = vmap_notify_fork_child,
};

int register_vmap_purge_notifier(struct notifier_block *nb)
{
	return blocking_notifier_chain_register(&vmap_notify_list, nb);
}

int unregister_vmap_purge_notifier(struct notifier_block *nb)
{
	return blocking_notifier_chain_unregister(&vmap_notify_list, nb);
}

static struct vmap_area *alloc_vmap_area(unsigned long size, unsigned long align,
					 unsigned long vstart, unsigned long vend,
					 int node, gfp_t gfp, unsigned int reuse)
{
	struct vmap_area *spare[2], *va;
	bool purged = false;

	if (WARN_ON_ONCE(!size || (size & ~PAGE_MASK) || !is_power_of_2(align)))
		return NULL;
	if (reuse) {
		va = vmap_lazy_take(size, align, vstart, vend, reuse, NULL, NULL);
		if (va) {
			vmalloc_fork_note_area(va);
			return tools_open_area(va);
		}
	}
	spare[0] = new_va(gfp, node);
	spare[1] = new_va(gfp, node);
	if (!spare[0] || !spare[1]) {
		vmap_node_free(spare[0]);
		vmap_node_free(spare[1]);
		return NULL;
	}
	for (;;) {
		unsigned long freed = 0;

		spin_lock(&vmap_area_lock);
		va = vmap_carve_locked(size, align, vstart, vend, spare);
		spin_unlock(&vmap_area_lock);
		if (va)
			break;
		if (!purged) {
			vmap_purge();
			purged = true;
			continue;
		}
		/* Still none: the purge notifiers free what they can (i915's vmaps). */
		if (in_hardirq())
			break;
		blocking_notifier_call_chain(&vmap_notify_list, 0, &freed);
		if (!freed)
			break;
		purged = false;
	}
	vmap_node_free(spare[0]);
	vmap_node_free(spare[1]);
	if (!va) {
		if (!(gfp & __GFP_NOWARN))
			pr_warn("vmap allocation for size %lu failed: use vmalloc=<size> to increase size\n",
				size);
		return NULL;
	}
	if (vmap_segments_map(va->va_start, va->va_end)) {
		spin_lock(&vmap_area_lock);
		vmap_unlink_busy_locked(va);
		spin_unlock(&vmap_area_lock);
		free_vmap_area(va);
		return NULL;
	}
	vmalloc_fork_note_area(va);
	return tools_open_area(va);
}

/* Strict overcommit wants the charge back at once, init_on_free the bytes gone. */
static bool purge_now(void)
{
	return init_on_free || arch_strict_overcommit();
}

struct vm_struct *__get_vm_area_node(unsigned long size, unsigned long align,
				     unsigned long flags, unsigned long start,
				     unsigned long end, int node, gfp_t gfp,
				     const void *caller)
{
	struct vm_struct *area;
	struct vmap_area *va;

	ukmem_ensure_booted();
	if (unlikely(!__atomic_load_n(&vmalloc_ready, __ATOMIC_ACQUIRE)) && !vmalloc_setup_slow())
		return NULL;
	size = PAGE_ALIGN(size);
	if (unlikely(!size))
		return NULL;
	/* As the kernel: an ioremap area is aligned to its size's power of two, up to 1 GiB. */
	if (flags & VM_IOREMAP)
		align = 1UL << clamp(get_count_order_long(size), PAGE_SHIFT, IOREMAP_MAX_ORDER);
	if (!(flags & VM_NO_GUARD))
		size += PAGE_SIZE;
	if (size > end - start)
		return NULL;
	area = kzalloc_node(sizeof(*area), gfp & VM_GFP_RECLAIM_MASK, node);
	if (unlikely(!area))
		return NULL;
	/* Only its (untracked) vmap_area points to it: kept, and scanned. */
	if (unlikely(kmemleak_enabled))
		kmemleak_not_leak(area);
	/* A vmalloc() may take a warm range of the same shape (not under purge_now()). */
	va = alloc_vmap_area(size, max(align, PAGE_SIZE), start, end, node, gfp,
			     (flags & VM_ALLOC) && !purge_now() ?
			     VMAP_WARM | ((flags & VM_NO_GUARD) ? VMAP_NOGUARD : 0) : 0);
	if (!va) {
		kfree(area);
		return NULL;
	}
	area->addr = (void *)va->va_start;
	area->size = size;
	area->flags = flags;
	area->caller = caller;
	spin_lock(&vmap_area_lock);
	va->vm = area;
	spin_unlock(&vmap_area_lock);
	return area;
}

/**
 * __get_vm_area_caller - reserve a range of the vmalloc space in [@start, @end)
 * @size: bytes (rounded up to pages; a guard page is added unless VM_NO_GUARD)
 * @flags: VM_* flags of the area
 * @start: lowest address
 * @end: end of the allowed range
 * @caller: shown in vmallocinfo
 *
 * Nothing is mapped (the range faults).  Returns the vm_struct, or NULL.
 * Context: may sleep.
 */
struct vm_struct *__get_vm_area_caller(unsigned long size, unsigned long flags,
				       unsigned long start, unsigned long end,
				       const void *caller)
{
	return __get_vm_area_node(size, 1, flags, start, end, NUMA_NO_NODE, GFP_KERNEL, caller);
}

/**
 * get_vm_area - reserve a range of the vmalloc space
 * @size: bytes (rounded up to pages; a guard page is added unless VM_NO_GUARD)
 * @flags: VM_* flags
 *
 * Returns the vm_struct (unmapped), or NULL.  Context: may sleep.
 */
struct vm_struct *get_vm_area(unsigned long size, unsigned long flags)
{
	return __get_vm_area_node(size, 1, flags, VMALLOC_START, VMALLOC_END, NUMA_NO_NODE,
				  GFP_KERNEL, __builtin_return_address(0));
}

struct vm_struct *get_vm_area_caller(unsigned long size, unsigned long flags,
				     const void *caller)
{
	return __get_vm_area_node(size, 1, flags, VMALLOC_START, VMALLOC_END, NUMA_NO_NODE,
				  GFP_KERNEL, caller);
}

/**
 * find_vm_area - the area that holds @addr
 * @addr: an address in a vmalloc, vmap or ioremap area
 *
 * Returns its vm_struct or NULL (vm_map_ram areas have none).  Any address
 * of the area's range answers, its guard page included, as the kernel's
 * lookup (find_vmap_area) finds the area containing @addr, not only the
 * one starting there.  The caller
 * must keep the area alive.  vm->pages hands out the pages without making
 * their linear addresses show the bytes: vmalloc_to_page() does that.
 * Context: any but a signal handler that interrupted this library.
 */
struct vm_struct *find_vm_area(const void *addr)
{
	struct vmap_area *va;
	struct vm_struct *vm;

	spin_lock(&vmap_area_lock);
	va = vmap_find_containing_locked((unsigned long)addr);
	vm = va ? va->vm : NULL;
	spin_unlock(&vmap_area_lock);
	return vm;
}

/* Unlink the area starting at @addr from the busy tree; NULL if none. */
static struct vmap_area *unlink_area(const void *addr)
{
	struct vmap_area *va;

	spin_lock(&vmap_area_lock);
	va = vmap_find_exact_locked((unsigned long)addr);
	if (va && va->vm && !vm_uninitialized(va->vm))
		vmap_unlink_busy_locked(va);
	else
		va = NULL;
	spin_unlock(&vmap_area_lock);
	return va;
}

/*
 * An unlinked area's range waits for the purge.  A vmalloc() range that was
 * opened stays warm (reusable as it is); the pages of a vmap or vm_map_ram
 * stay mapped over it (the same pages mapped again take it back); anything
 * else (ioremap, nothing mapped, a mapping half made) gives way to the
 * vmalloc file at once.
 */
static void release_area(struct vmap_area *va)
{
	bool vmalloc_range = va->vm && (va->vm->flags & VM_ALLOC);
	unsigned long len = va->vm ? get_vm_area_size(va->vm) : va_size(va);

	if (va->vm && va->vm->ukmem_pfns)	/* vmap_pfn() */
		iomem_release_pfns(va->vm);
	va->flags &= ~(VMAP_NOGUARD | VMAP_DEVICE);
	if (vmalloc_range) {
		if (va->vm->flags & VM_NO_GUARD)
			va->flags |= VMAP_NOGUARD;
	} else if (!(va->flags & VMAP_OVERLAY) || purge_now()) {
		va->flags &= ~(VMAP_WARM | VMAP_OVERLAY);
		if (vmap_overlay_restore(va->va_start, len))
			va->flags |= VMAP_STUCK;
	}
	if (!(va->flags & VMAP_OVERLAY)) {
		struct page **pages = va->map_pages;

		/*
		 * Unhooked before it is freed: a fork from a signal handler
		 * that interrupts us here walks the busy areas' pages in the
		 * child (vmap_map_fork_child) and must not find a freed array.
		 */
		WRITE_ONCE(va->map_pages, NULL);
		if (va->vm && (va->vm->flags & VM_SPARSE))
			vmap_sparse_free_table(va->vm, pages);
		else
			kfree(pages);
	}
	va->vm = NULL;
	vmap_lazy_free(va, purge_now());
}

/**
 * remove_vm_area - unmap an area and free its address range
 * @addr: the area's start address
 *
 * Returns the vm_struct, which the caller frees (with its pages), or NULL
 * if no area starts at @addr (after the kernel's "Trying to vfree() bad
 * address" warning if @addr is not page aligned).  The pages of a vmalloc()
 * area keep its bytes, as in the kernel.  Context: may sleep.
 */
struct vm_struct *remove_vm_area(const void *addr)
{
	struct vm_struct *vm;
	struct vmap_area *va;

	might_sleep();
	if (WARN(!PAGE_ALIGNED(addr), "Trying to vfree() bad address (%p)\n", addr))
		return NULL;
	va = unlink_area(addr);
	if (!va)
		return NULL;
	vm = va->vm;
	if ((vm->flags & VM_ALLOC) && vm->pages) {
		/* The block ends here for the tools; its pages' copy reads all of it. */
		if (unlikely(slab_tools_active)) {
			tool_free_block(vm->addr, get_vm_area_size(vm));
			tool_pages_alloc(vm->addr, get_vm_area_size(vm), true);
		}
		vmap_materialize_pages(va->va_start, vm->pages, vm->nr_pages);
	}
	release_area(va);
	return vm;
}

/**
 * free_vm_area - unmap and free an area from get_vm_area()
 * @area: the area; its pages are not freed.
 * Context: may sleep.
 */
void free_vm_area(struct vm_struct *area)
{
	struct vm_struct *ret = remove_vm_area(area->addr);

	BUG_ON(ret != area);
	kfree(area);
}

/* ------------------------------------------------------------------ */
/* vmalloc                                                              */

/* Pages [@from, @to) of a vmalloc() area back to the buddy allocator, runs as blocks. */
static void free_area_page_range(struct vm_struct *vm, unsigned int from, unsigned int to)
{
	unsigned int i, run = 0;

	vmap_unalias_pages(vm->pages + from, to - from);
	for (i = from; i <= to; i++) {
		struct page *page = i < to ? vm->pages[i] : NULL;

		/* A run ends here: no page (kept back, or the end), or not the next frame. */
		if (run && (!page || page != vm->pages[i - 1] + 1 ||
			    page_to_pfn(page) != page_to_pfn(vm->pages[i - 1]) + 1)) {
			free_pages_unsplit(vm->pages[i - run], run);
			run = 0;
		}
		if (!page)
			continue;	/* kept back: its alias is still up */
		atomic_long_sub(1, &page_pgdat(page)->vm_stat[NR_VMALLOC]);
		ClearPageVmalloc(page);
		page->index = 0;
		kmap_page_moved(page);
		run++;
	}
	atomic_long_sub(to - from, &nr_vmalloc_pages);
}

static void free_area_pages(struct vm_struct *vm)
{
	free_area_page_range(vm, 0, vm->nr_pages);
	kvfree(vm->pages);
}

/*
 * vrealloc()'s shrink across a page boundary (v7.0+): the area keeps its
 * first @keep pages and its address range; the rest of its pages go back
 * to the buddy allocator and their addresses fault, as the kernel unmaps
 * them.  The range is no longer open whole, so once freed it is purged,
 * not reused as it is.  Context: the block's owner; may sleep.
 */
void vmalloc_free_tail(struct vm_struct *vm, unsigned int keep)
{
	unsigned int old = vm->nr_pages;
	unsigned long addr = (unsigned long)vm->addr;
	struct vmap_area *va;

	spin_lock(&vmap_area_lock);	/* vmallocinfo and vmalloc_to_page() read nr_pages */
	va = vmap_find_exact_locked(addr);
	vm->nr_pages = keep;
	va->flags &= ~VMAP_WARM;
	spin_unlock(&vmap_area_lock);
	vmap_close(addr + ((unsigned long)keep << PAGE_SHIFT),
		   (unsigned long)(old - keep) << PAGE_SHIFT);
	free_area_page_range(vm, keep, old);
}

/* The area's teardown once it is unlinked: vfree's body. */
static void vfree_area(struct vmap_area *va)
{
	struct vm_struct *vm = va->vm;

	if (vm->flags & VM_MAP_PUT_PAGES) {
		unsigned int i;

		for (i = 0; i < vm->nr_pages; i++)
			__free_page(vm->pages[i]);
		kvfree(vm->pages);
	} else if ((vm->flags & VM_ALLOC) && vm->pages) {
		if (unlikely(slab_tools_active))
			tool_free_block(vm->addr, get_vm_area_size(vm));
		free_area_pages(vm);
	}
	/* Pages first: the range must not be reused while an alias points there. */
	release_area(va);
	kfree(vm);
}

static void *__vmalloc_area_node(struct vm_struct *area, gfp_t gfp_mask, int node)
{
	unsigned int nr = (unsigned int)(get_vm_area_size(area) >> PAGE_SHIFT), i;
	unsigned long array_size = (unsigned long)nr * sizeof(struct page *);
	unsigned long first = ((unsigned long)area->addr - VMALLOC_START) >> PAGE_SHIFT;
	gfp_t nested_gfp = (gfp_mask & VM_GFP_RECLAIM_MASK) | __GFP_ZERO;
	gfp_t page_gfp = (gfp_mask | __GFP_NOWARN) & ~__GFP_ZERO, run_gfp;
	unsigned int max_order = VMALLOC_MAX_CHUNK_ORDER;
	struct vmap_area *va;

	/* As the kernel: highmem is fine unless a DMA zone was asked for (the reports show it). */
	if (!(gfp_mask & (__GFP_DMA | __GFP_DMA32)))
		gfp_mask |= __GFP_HIGHMEM;
	/* The page array: kmalloc for one page's worth, else vmalloc ("vpages"). */
	if (array_size > PAGE_SIZE)
		area->pages = __vmalloc_node(array_size, 1, nested_gfp, node, area->caller);
	else
		area->pages = kmalloc_node(array_size, nested_gfp, node);
	if (!area->pages) {
		warn_alloc(gfp_mask, NULL,
			   "vmalloc error: size %lu, failed to allocated page array size %lu",
			   (unsigned long)nr * PAGE_SIZE, array_size);
		goto fail;
	}

	page_gfp |= gfp_mask & __GFP_HIGHMEM;
	run_gfp = (page_gfp | __GFP_NORETRY) & ~(__GFP_DIRECT_RECLAIM | __GFP_NOFAIL);
	for (i = 0; i < nr; ) {
		unsigned int order = 0, k;
		struct page *page = NULL;

		/*
		 * Where 16 or more pages are still needed, try a block of up
		 * to pageblock_order first (from the free lists only: no
		 * reclaim for an optimisation) and split it into order-0
		 * pages: consecutive frames make one linear alias for
		 * vmalloc_to_page() users instead of many.  Each page is still
		 * an order-0 page of its own, freed on its own.  A refusal
		 * lowers the order for the rest of the area.
		 */
		while (max_order >= VMALLOC_CHUNK_ORDER && nr - i >= VMALLOC_CHUNK_PAGES) {
			order = min((unsigned int)ilog2(nr - i), max_order);
			page = alloc_pages_node(node == NUMA_NO_NODE ? numa_node_id() : node,
						run_gfp, order);
			if (page) {
				split_page(page, order);
				break;
			}
			max_order = order - 1;
			order = 0;
		}
		if (!page)
			page = node == NUMA_NO_NODE ? alloc_page(page_gfp) :
			       alloc_pages_node(node, page_gfp, 0);
		if (unlikely(!page))
			break;
		for (k = 0; k < (1U << order); k++, i++) {
			/* Its bytes: the vmalloc file under its address (page_backing()). */
			page[k].index = first + i;
			SetPageVmalloc(page + k);
			kmap_page_moved(page + k);
			area->pages[i] = page + k;
			area->nr_pages++;
		}
		atomic_long_add(1L << order, &page_pgdat(page)->vm_stat[NR_VMALLOC]);
	}
	atomic_long_add(area->nr_pages, &nr_vmalloc_pages);
	if (area->nr_pages != nr) {
		warn_alloc(gfp_mask, NULL, "vmalloc error: size %lu, failed to allocate pages",
			   (unsigned long)nr * PAGE_SIZE);
		goto fail;
	}
	spin_lock(&vmap_area_lock);
	va = vmap_find_exact_locked((unsigned long)area->addr);
	spin_unlock(&vmap_area_lock);
	if (va->flags & VMAP_WARM) {
		/* A reused range: open already, with the last owner's bytes. */
		if ((gfp_mask & __GFP_ZERO) || init_on_alloc)
			memset(area->addr, 0, (size_t)nr << PAGE_SHIFT);
		return area->addr;
	}
	/* A fresh range is a hole of the file: it reads zero, __GFP_ZERO is done. */
	if (vmap_open((unsigned long)area->addr, (unsigned long)nr << PAGE_SHIFT)) {
		warn_alloc(gfp_mask, NULL, "vmalloc error: size %lu, failed to map pages",
			   (unsigned long)nr * PAGE_SIZE);
		goto fail;
	}
	spin_lock(&vmap_area_lock);	/* vmallocinfo reads the flags of busy areas */
	va->flags |= VMAP_WARM;		/* open: reusable as it is once freed */
	spin_unlock(&vmap_area_lock);
	return area->addr;

fail:
	/* Still VM_UNINITIALIZED, so vfree() cannot see it: unlink by hand. */
	spin_lock(&vmap_area_lock);
	va = vmap_find_exact_locked((unsigned long)area->addr);
	vmap_unlink_busy_locked(va);
	spin_unlock(&vmap_area_lock);
	if (area->pages)
		free_area_pages(area);
	release_area(va);
	kfree(area);
	return NULL;
}

/**
 * __vmalloc_node_range - allocate virtually contiguous memory in a range
 * @size: bytes
 * @align: alignment of the start (a power of two; at least a page)
 * @start: lowest address of the area
 * @end: end of the range the area must lie in
 * @gfp_mask: flags for the pages (GFP_KERNEL family; __GFP_ZERO zeroes)
 * @prot: ignored (every mapping is read-write)
 * @vm_flags: extra VM_* flags (VM_NO_GUARD, VM_USERMAP)
 * @node: node for the pages, or NUMA_NO_NODE
 * @caller: return address shown in vmallocinfo
 *
 * Size 0 WARNs and returns NULL; more pages than the machine's RAM is
 * refused with "vmalloc error: size N, exceeds total pages", as in the
 * kernel.  __GFP_ZERO zeroes; without it the memory holds what a
 * reused range held (vmalloc never promised zeroes).  Returns the
 * address or NULL; on failure nothing is left behind.
 * Context: may sleep (GFP_KERNEL); not from atomic context.
 */
void *__vmalloc_node_range(unsigned long size, unsigned long align,
			   unsigned long start, unsigned long end, gfp_t gfp_mask,
			   pgprot_t prot, unsigned long vm_flags, int node,
			   const void *caller)
{
	struct vm_struct *area;
	unsigned long real_size = size;

	ukmem_ensure_booted();
	/* The machine did not come up (docs/boot.md): NULL, as every allocation. */
	if (unlikely(ukmem_boot_failed()))
		return NULL;
	if (WARN_ON_ONCE(!size))
		return NULL;
	if ((size >> PAGE_SHIFT) > totalram_pages()) {
		warn_alloc(gfp_mask, NULL, "vmalloc error: size %lu, exceeds total pages",
			   real_size);
		return NULL;
	}
	might_sleep_if(gfpflags_allow_blocking(gfp_mask));
	drain_deferred();
again:
	area = __get_vm_area_node(real_size, align, VM_ALLOC | VM_UNINITIALIZED | vm_flags,
				  start, end, node, gfp_mask, caller);
	if (!area) {
		warn_alloc(gfp_mask, NULL,
			   "vmalloc error: size %lu, vm_struct allocation failed%s",
			   real_size, (gfp_mask & __GFP_NOFAIL) ? ". Retrying." : "");
		/* As the kernel (and as the message says): __GFP_NOFAIL waits and tries again. */
		if (gfp_mask & __GFP_NOFAIL) {
			arch_yield();
			goto again;
		}
		return NULL;
	}
	if (!__vmalloc_area_node(area, gfp_mask, node))
		return NULL;
	area->requested_size = real_size;
	/* Fully set up: vmallocinfo and vfree may see it now. */
	__atomic_fetch_and(&area->flags, ~(unsigned long)VM_UNINITIALIZED, __ATOMIC_RELEASE);
	/* The tools: a block of @size bytes; the rest of its last page is closed. */
	if (unlikely(slab_tools_active))
		tool_alloc_block(area->addr, size, get_vm_area_size(area),
				 (gfp_mask & __GFP_ZERO) || init_on_alloc);
	if (unlikely(kmemleak_enabled))
		kmemleak_vmalloc(area, PAGE_ALIGN(real_size), gfp_mask);	/* as the kernel */
	return area->addr;
}

/**
 * __vmalloc_node - allocate virtually contiguous memory on a node
 * @size: bytes; @align: alignment; @gfp_mask: page flags; @node: node or
 * NUMA_NO_NODE; @caller: shown in vmallocinfo.
 * Context: may sleep.
 */
void *__vmalloc_node(unsigned long size, unsigned long align, gfp_t gfp_mask,
		     int node, const void *caller)
{
	return __vmalloc_node_range(size, align, VMALLOC_START, VMALLOC_END, gfp_mask,
				    PAGE_KERNEL, 0, node, caller);
}

/**
 * __vmalloc - vmalloc with the caller's gfp flags
 * @size: bytes; @gfp_mask: GFP_KERNEL family, __GFP_ZERO zeroes.
 * Context: may sleep when @gfp_mask allows it.
 */

/*
 * v6.19: __vmalloc() and vmalloc_huge_node() drop the bits outside
 * GFP_VMALLOC_SUPPORTED with a one-time warning and allocate anyway.
 */
gfp_t vmalloc_fix_flags(gfp_t flags)
{
	gfp_t invalid = flags & ~GFP_VMALLOC_SUPPORTED;

	flags &= GFP_VMALLOC_SUPPORTED;
	WARN_ONCE(1, "Unexpected gfp: %#x (%pGg). Fixing up to gfp: %#x (%pGg). Fix your code!\n",
		  invalid, &invalid, flags, &flags);
	return flags;
}

void *__vmalloc(unsigned long size, gfp_t gfp_mask)
{
	if (unlikely(gfp_mask & ~GFP_VMALLOC_SUPPORTED))
		gfp_mask = vmalloc_fix_flags(gfp_mask);
	return __vmalloc_node(size, 1, gfp_mask, NUMA_NO_NODE, __builtin_return_address(0));
}

/**
 * vmalloc - allocate virtually contiguous memory
 * @size: bytes
 *
 * Order-0 pages, not physically contiguous, mapped one after the other in
 * the vmalloc range with a guard page behind.  Returns NULL on failure.
 * Context: may sleep.
 */
void *vmalloc(unsigned long size)
{
	return __vmalloc_node(size, 1, GFP_KERNEL, NUMA_NO_NODE, __builtin_return_address(0));
}

/**
 * vzalloc - vmalloc() with the memory zeroed
 * @size: bytes.  Context: may sleep.
 */
void *vzalloc(unsigned long size)
{
	return __vmalloc_node(size, 1, GFP_KERNEL | __GFP_ZERO, NUMA_NO_NODE,
			      __builtin_return_address(0));
}

/**
 * vmalloc_user - zeroed, whole-page memory meant for mapping to user space
 * @size: bytes.  The area is marked VM_USERMAP.  Context: may sleep.
 */
void *vmalloc_user(unsigned long size)
{
	return __vmalloc_node_range(size, SHMLBA, VMALLOC_START, VMALLOC_END,
				    GFP_KERNEL | __GFP_ZERO, PAGE_KERNEL, VM_USERMAP,
				    NUMA_NO_NODE, __builtin_return_address(0));
}

/**
 * vmalloc_node - vmalloc() with pages from node @node
 * @size: bytes; @node: node id.  Context: may sleep.
 */
void *vmalloc_node(unsigned long size, int node)
{
	return __vmalloc_node(size, 1, GFP_KERNEL, node, __builtin_return_address(0));
}

/**
 * vzalloc_node - vzalloc() with pages from node @node
 * @size: bytes; @node: node id.  Context: may sleep.
 */
void *vzalloc_node(unsigned long size, int node)
{
	return __vmalloc_node(size, 1, GFP_KERNEL | __GFP_ZERO, node,
			      __builtin_return_address(0));
}

/*
 * GFP_VMALLOC32: 32-bit addressable pages.  The 64-bit layout takes them
 * from ZONE_DMA32; the i386 layout from lowmem (gfp_zone maps DMA32 to
 * Normal there), as the kernel's #if on CONFIG_64BIT does.
 */
#define GFP_VMALLOC32	(GFP_DMA32 | GFP_KERNEL)

/**
 * vmalloc_32 - vmalloc() with 32-bit addressable pages
 * @size: bytes.  Context: may sleep.
 */
void *vmalloc_32(unsigned long size)
{
	return __vmalloc_node(size, 1, GFP_VMALLOC32, NUMA_NO_NODE,
			      __builtin_return_address(0));
}

/**
 * vmalloc_32_user - zeroed vmalloc_32() memory marked VM_USERMAP
 * @size: bytes.  Context: may sleep.
 */
void *vmalloc_32_user(unsigned long size)
{
	return __vmalloc_node_range(size, SHMLBA, VMALLOC_START, VMALLOC_END,
				    GFP_VMALLOC32 | __GFP_ZERO, PAGE_KERNEL, VM_USERMAP,
				    NUMA_NO_NODE, __builtin_return_address(0));
}

/**
 * vmalloc_huge - vmalloc() that may use huge mappings (never here: 4 KiB pages)
 * @size: bytes; @gfp_mask: page flags.  Context: may sleep.
 * vmalloc_huge_node() (v6.16) takes its pages from @node first.
 */
void *vmalloc_huge(unsigned long size, gfp_t gfp_mask)
{
	if (unlikely(gfp_mask & ~GFP_VMALLOC_SUPPORTED))
		gfp_mask = vmalloc_fix_flags(gfp_mask);
	return __vmalloc_node(size, 1, gfp_mask, NUMA_NO_NODE, __builtin_return_address(0));
}

void *vmalloc_huge_node(unsigned long size, gfp_t gfp_mask, int node)
{
	if (unlikely(gfp_mask & ~GFP_VMALLOC_SUPPORTED))
		gfp_mask = vmalloc_fix_flags(gfp_mask);
	return __vmalloc_node(size, 1, gfp_mask, node, __builtin_return_address(0));
}

/* ------------------------------------------------------------------ */
/* vfree                                                                */

static void defer_vfree(const void *addr)
{
	struct vfree_deferred *node = (struct vfree_deferred *)addr, *head;

	/* The kernel's llist_add(): the freed memory itself is the list node. */
	head = __atomic_load_n(&deferred_head, __ATOMIC_RELAXED);
	do {
		node->next = head;
	} while (!__atomic_compare_exchange_n(&deferred_head, &head, node, true,
					      __ATOMIC_RELEASE, __ATOMIC_RELAXED));
}

static void __vfree(const void *addr);

static void drain_deferred(void)
{
	struct vfree_deferred *node;

	if (likely(!__atomic_load_n(&deferred_head, __ATOMIC_RELAXED)))
		return;
	node = __atomic_exchange_n(&deferred_head, NULL, __ATOMIC_ACQUIRE);
	while (node) {
		struct vfree_deferred *next = node->next;

		__vfree(node);
		node = next;
	}
}

/*
 * vfree() and vunmap() of an address that starts no area: the kernel's
 * remove_vm_area() warns about an unaligned address, then the caller
 * about a nonexistent area (both, since 6.3).
 */
static struct vmap_area *unlink_or_warn(const void *addr, const char *what)
{
	struct vmap_area *va = NULL;

	if (!WARN(!PAGE_ALIGNED(addr), "Trying to vfree() bad address (%p)\n", addr))
		va = unlink_area(addr);
	if (unlikely(!va))
		WARN(1, "Trying to %s() nonexistent vm area (%p)\n", what, addr);
	return va;
}

static void __vfree(const void *addr)
{
	struct vmap_area *va;

	kmemleak_hook_free(addr);
	va = unlink_or_warn(addr, "vfree");
	if (va)
		vfree_area(va);
}

/**
 * vfree_atomic - release vmalloc memory from atomic context
 * @addr: start of the area, or NULL
 *
 * The work is deferred to the next vmalloc()/vfree() from process context,
 * as the kernel defers it to a workqueue.  Context: any.
 */
void vfree_atomic(const void *addr)
{
	if (!addr)
		return;
	/* The area itself becomes the list node: never write through a bad address. */
	if (!PAGE_ALIGNED(addr) || !is_vmalloc_addr(addr)) {
		WARN(!PAGE_ALIGNED(addr), "Trying to vfree() bad address (%p)\n", addr);
		WARN(1, "Trying to vfree() nonexistent vm area (%p)\n", addr);
		return;
	}
	defer_vfree(addr);
}

/**
 * vfree - release memory from vmalloc() and friends
 * @addr: start of the area, or NULL (nothing happens)
 *
 * Frees the pages at once; the range stays mapped on the lazy list (a
 * vmalloc() of the same size may take it back as it is) until a purge
 * makes it fault (docs/vmalloc.md).  An address that does not start
 * an area gets the kernel's "Trying to vfree() nonexistent vm area"
 * warning (after "Trying to vfree() bad address" if unaligned) and
 * nothing changes (the kernel of 6.x would also accept any address inside
 * an area; ukmem insists on the start, as 2.6 did).  From interrupt
 * context (a signal handler entered with ukmem_irq_enter) it defers, as the
 * kernel does.  Context: may sleep otherwise.
 */
void vfree(const void *addr)
{
	if (unlikely(in_interrupt())) {
		vfree_atomic(addr);
		return;
	}
	if (!addr)
		return;
	might_sleep();
	drain_deferred();
	__vfree(addr);
}

/* ------------------------------------------------------------------ */
/* vmap and vm_map_ram                                                  */

/*
 * Map @pages at @va: plain lowmem pages move into the physical memory file
 * first (their linear address keeps showing them), then every page's file
 * is mapped at its place (the area is then VMAP_OVERLAY).  -errno on
 * failure; releasing the area undoes what was done.
 */
static int map_pages_at(struct vmap_area *va, struct page **pages, unsigned int n)
{
	int ret = vmap_share_pages(pages, n);

	if (!ret)
		ret = vmap_overlay_pages(va->va_start, pages, n);
	if (!ret) {
		spin_lock(&vmap_area_lock);	/* vmallocinfo reads the flags of busy areas */
		va->flags |= VMAP_OVERLAY;
		spin_unlock(&vmap_area_lock);
	}
	return ret;
}

/* Our own copy of the caller's page array: vmalloc_to_page() and fork need it. */
static struct page **copy_pages(struct page **pages, unsigned int count)
{
	struct page **copy = kmalloc_array(count, sizeof(*copy), GFP_KERNEL);

	if (copy)
		memcpy(copy, pages, count * sizeof(*copy));
	return copy;
}

struct same_pages {
	struct page **pages;
	unsigned int count;
};

/* An old overlay of the very same plain pages (their file offset is their address). */
static bool same_plain_pages(const struct vmap_area *va, void *arg)
{
	const struct same_pages *want = arg;
	unsigned int i;

	for (i = 0; i < want->count; i++)
		if (va->map_pages[i] != want->pages[i] || PageVmalloc(want->pages[i]))
			return false;
	return true;
}

/*
 * vmap() and vm_map_ram() of pages that a lazily freed area still maps:
 * that area again, with no host call (the pages' linear addresses are
 * made file-backed again if page reporting took the file's copy back).
 */
static struct vmap_area *take_old_overlay(struct page **pages, unsigned int count,
					  unsigned long size, unsigned int want)
{
	struct same_pages key = { pages, count };
	struct vmap_area *va;

	va = vmap_lazy_take(size, PAGE_SIZE, VMALLOC_START, VMALLOC_END, want,
			    same_plain_pages, &key);
	if (va && vmap_share_pages(pages, count)) {
		spin_lock(&vmap_area_lock);
		vmap_unlink_busy_locked(va);
		va->flags &= ~VMAP_OVERLAY;	/* half remapped: take it down now */
		spin_unlock(&vmap_area_lock);
		release_area(va);
		va = NULL;
	}
	return va;
}

/**
 * vmap - map an array of pages into virtually contiguous space
 * @pages: the pages (order-0 or any pages of a compound page)
 * @count: how many
 * @flags: VM_* flags (VM_MAP is usual; VM_MAP_PUT_PAGES hands the array and
 *	the pages to vfree/vunmap)
 * @prot: ignored (read-write)
 *
 * The pages keep their contents and stay reachable at their linear
 * address; both addresses see the same bytes.  Returns the address or NULL.
 * Context: may sleep.
 */
void *vmap(struct page **pages, unsigned int count, unsigned long flags, pgprot_t prot)
{
	struct vm_struct *area;
	struct vmap_area *va;
	struct page **copy;

	might_sleep();
	if (WARN_ON_ONCE(flags & VM_FLUSH_RESET_PERMS))
		return NULL;
	/* A guard is the next area's too: warned, and mapped with one (v6.13+). */
	if (WARN_ON_ONCE(flags & VM_NO_GUARD))
		flags &= ~VM_NO_GUARD;
	if (count > totalram_pages() || !count)
		return NULL;
	drain_deferred();
	va = take_old_overlay(pages, count, ((unsigned long)count + 1) << PAGE_SHIFT,
			      VMAP_OVERLAY);
	if (va) {
		area = kzalloc(sizeof(*area), GFP_KERNEL);
		if (area && unlikely(kmemleak_enabled))
			kmemleak_not_leak(area);
		if (!area) {
			spin_lock(&vmap_area_lock);
			vmap_unlink_busy_locked(va);
			spin_unlock(&vmap_area_lock);
			release_area(va);
			return NULL;
		}
		area->addr = (void *)va->va_start;
		area->size = va_size(va);
		area->flags = flags | VM_MAP;
		area->caller = __builtin_return_address(0);
		spin_lock(&vmap_area_lock);
		va->vm = area;
		spin_unlock(&vmap_area_lock);
		goto out;
	}
	copy = copy_pages(pages, count);
	if (!copy)
		return NULL;
	area = get_vm_area_caller((unsigned long)count << PAGE_SHIFT, flags | VM_MAP,
				  __builtin_return_address(0));
	if (!area) {
		kfree(copy);
		return NULL;
	}
	spin_lock(&vmap_area_lock);
	va = vmap_find_exact_locked((unsigned long)area->addr);
	va->map_pages = copy;
	spin_unlock(&vmap_area_lock);
	if (map_pages_at(va, copy, count)) {
		spin_lock(&vmap_area_lock);
		vmap_unlink_busy_locked(va);
		spin_unlock(&vmap_area_lock);
		release_area(va);
		kfree(area);
		return NULL;
	}
out:
	if (flags & VM_MAP_PUT_PAGES) {
		area->pages = pages;
		area->nr_pages = count;
	}
	return area->addr;
}

/**
 * vunmap - release a mapping made by vmap()
 * @addr: its start address
 *
 * The pages are not freed (unless vmap() had VM_MAP_PUT_PAGES) and keep the
 * bytes written through the mapping.  A bad address gets the kernel's
 * "Trying to vunmap() nonexistent vm area" warning.  Context: may sleep.
 */
void vunmap(const void *addr)
{
	struct vmap_area *va;

	BUG_ON(in_interrupt());
	might_sleep();
	if (!addr)
		return;
	va = unlink_or_warn(addr, "vunmap");
	if (va) {
		struct vm_struct *vm = va->vm;

		release_area(va);
		kfree(vm);
	}
}

/**
 * vm_map_ram - map pages into the vmalloc range, quickly, without a vm_struct
 * @pages: the pages
 * @count: how many
 * @node: node for the bookkeeping, or NUMA_NO_NODE
 *
 * As vmap(), but the area has no guard page and no vm_struct
 * (find_vm_area() does not know it; vmallocinfo shows "vm_map_ram").  The
 * kernel packs mappings of up to 64 pages into per-CPU blocks; here each
 * call is an area of its own.  Release with vm_unmap_ram(@count).
 * Returns the address or NULL; no pages (@count 0) is a caller bug the
 * kernel's vb_alloc() warns about before it answers NULL.  Context: may
 * sleep.
 */
void *vm_map_ram(struct page **pages, unsigned int count, int node)
{
	struct vmap_area *va;
	struct page **copy;

	ukmem_ensure_booted();
	might_sleep();
	if (WARN_ON(!count) || count > totalram_pages())
		return NULL;
	if (unlikely(!__atomic_load_n(&vmalloc_ready, __ATOMIC_ACQUIRE)) && !vmalloc_setup_slow())
		return NULL;
	drain_deferred();
	va = take_old_overlay(pages, count, (unsigned long)count << PAGE_SHIFT,
			      VMAP_OVERLAY | VMAP_RAM);
	if (va)
		return (void *)va->va_start;
	copy = copy_pages(pages, count);
	if (!copy)
		return NULL;
	va = alloc_vmap_area((unsigned long)count << PAGE_SHIFT, PAGE_SIZE, VMALLOC_START,
			     VMALLOC_END, node, GFP_KERNEL, 0);
	if (!va) {
		kfree(copy);
		return NULL;
	}
	spin_lock(&vmap_area_lock);
	va->flags |= VMAP_RAM;
	va->map_pages = copy;
	spin_unlock(&vmap_area_lock);
	if (map_pages_at(va, copy, count)) {
		spin_lock(&vmap_area_lock);
		vmap_unlink_busy_locked(va);
		spin_unlock(&vmap_area_lock);
		release_area(va);
		return NULL;
	}
	return (void *)va->va_start;
}

/**
 * vm_unmap_ram - release a mapping made by vm_map_ram()
 * @mem: what vm_map_ram() returned
 * @count: the count given to vm_map_ram()
 *
 * The pages are not freed.  An address outside the vmalloc range or not
 * page aligned (the kernel's BUG_ON) and an address or count that matches
 * no vm_map_ram() area (its WARN_ON_ONCE) are reported and ignored.
 * Context: may sleep.
 */
void vm_unmap_ram(const void *mem, unsigned int count)
{
	unsigned long addr = (unsigned long)mem;
	struct vmap_area *va;

	might_sleep();
	if (WARN(!addr || addr < VMALLOC_START || addr > VMALLOC_END || !PAGE_ALIGNED(addr),
		 "vm_unmap_ram: bad address %p\n", mem))
		return;
	spin_lock(&vmap_area_lock);
	va = vmap_find_exact_locked(addr);
	if (va && (va->flags & VMAP_RAM) && va_size(va) == (unsigned long)count << PAGE_SHIFT)
		vmap_unlink_busy_locked(va);
	else
		va = NULL;
	spin_unlock(&vmap_area_lock);
	if (WARN_ON_ONCE(!va))
		return;
	release_area(va);
}

/**
 * vm_unmap_aliases - purge every lazily freed range now
 *
 * In the kernel this flushes the TLB of all lazily unmapped areas; here it
 * purges them (their file pages dropped, their range reusable).
 * Context: may sleep.
 */
void vm_unmap_aliases(void)
{
	might_sleep();
	drain_deferred();
	vmap_purge();
}

/* ------------------------------------------------------------------ */
/* counts                                                               */

/**
 * vmalloc_nr_pages - pages currently backing vmalloc areas
 * (the kernel's VmallocUsed in pages).  Context: any.
 */
unsigned long vmalloc_nr_pages(void)
{
	return (unsigned long)atomic_long_read(&nr_vmalloc_pages);
}

/* ------------------------------------------------------------------ */
/* boot                                                                 */


/*
 * The area cache and the free tree need the slab allocator, which creates
 * caches only once the machine runs: built on first use, as are the
 * vmalloc file and the alias bitmap (a process that never vmallocs, the
 * malloc front end, has no extra descriptor).  Cache creation may sleep,
 * so the lock is a mutex.  The kernel sets all this up at boot, and since
 * v6.17 vmalloc(GFP_ATOMIC/GFP_NOWAIT) works with preemption or
 * interrupts off (lib/test_vmalloc.c's no_block_alloc_test): a first use
 * there spins for the mutex (another thread's setup, as for the boot) and
 * runs the setup as process context would (nothing it takes can be one of
 * the caller's spinlocks).  In interrupt context (a signal handler) the
 * interrupted code may hold the setup's locks: refused.
 */
static DEFINE_MUTEX_RANKED(vmalloc_setup_lock, LOCK_RANK_VMALLOC_SETUP);

/* The setup itself, vmalloc_setup_lock held. */
static void vmalloc_setup_locked(void)
{
	struct vmap_area *whole;
	int err;

	if (vmalloc_ready || !vmalloc_usable)
		return;
	err = vmap_alias_init();
	if (!err)
		err = vmap_map_init(VMALLOC_START, VMALLOC_END);
	if (err) {
		/* The host's answer, and the usual reasons for it. */
		pr_err_ratelimited("vmalloc: no vmalloc file (%s); vmalloc fails\n",
		       err == -EFBIG ? "the file-size limit, ulimit -f, is below the vmalloc range" :
		       err == -EMFILE || err == -ENFILE ? "no file descriptor left" :
		       err == -ENOMEM ? "no memory or no mapping left (vm.max_map_count)" :
		       "the host refused it");
		return;
	}
	/*
	 * Not tracked by kmemleak, so not scanned: a vmap_area's va_start and
	 * its neighbour's va_end would count as references to every area.
	 */
	vmap_area_cachep = KMEM_CACHE(vmap_area, SLAB_NOLEAKTRACE);
	if (!vmap_area_cachep)
		return;
	whole = kmem_cache_zalloc(vmap_area_cachep, GFP_KERNEL);
	if (!whole)
		return;
	whole->va_start = VMALLOC_START;
	whole->va_end = VMALLOC_END;
	spin_lock(&vmap_area_lock);
	vmap_trees_init(whole);
	spin_unlock(&vmap_area_lock);
	__atomic_store_n(&vmalloc_ready, true, __ATOMIC_RELEASE);
}

static bool vmalloc_setup_slow(void)
{
	unsigned int preempt = ukmem_preempt_count, irqs = ukmem_irqs_disabled_depth;

	if (preemptible()) {
		mutex_lock(&vmalloc_setup_lock);
	} else {
		if (in_interrupt())
			return false;
		/* Another thread setting up: wait for it as for the boot, by spinning. */
		while (!mutex_trylock(&vmalloc_setup_lock)) {
			if (__atomic_load_n(&vmalloc_ready, __ATOMIC_ACQUIRE))
				return true;
			arch_cpu_relax();
		}
		/* The setup's own sleeping locks would report the caller's atomic context. */
		ukmem_preempt_count = 0;
		ukmem_irqs_disabled_depth = 0;
	}
	/*
	 * The kernel's vmalloc_init() at boot: no caller's request, so no
	 * fault injected here may fail one (a __GFP_NOFAIL caller, whose own
	 * allocations are exempt, retried a setup that failed for ever).
	 */
	fault_inject_off++;
	vmalloc_setup_locked();
	fault_inject_off--;
	mutex_unlock(&vmalloc_setup_lock);
	ukmem_preempt_count = preempt;
	ukmem_irqs_disabled_depth = irqs;
	return __atomic_load_n(&vmalloc_ready, __ATOMIC_ACQUIRE);
}

/* fork(): a first use in progress ends before the fork (it takes slab_mutex meanwhile). */
static const struct fork_step vmalloc_setup_fork_step = {
	.name = "vmalloc_setup",
	.order = FORK_ORDER_VMALLOC_SETUP,
	.mutex = &vmalloc_setup_lock,
};

/**
 * vmalloc_init - set up the vmalloc allocator (init/main.c, after slab)
 *
 * Carves the kmap windows from the top of the range in the i386 layout,
 * registers vmallocinfo and the fork step.  The trees and the vmalloc file
 * are made on first use.  Context: boot only.
 */
void vmalloc_init(void)
{
	unsigned long end = ukmem_vmalloc_reserved_end;

	if (!end)
		return;
	end = kmap_init(end);
	/* From now on VMALLOC_END needs no boot (ukmem_vmalloc_bound). */
	__atomic_store_n(&ukmem_vmalloc_end, end, __ATOMIC_RELEASE);
	WRITE_ONCE(ukmem_vmalloc_total_bytes, end - ukmem_vmalloc_start);
	ukmem_register_report("vmallocinfo", show_vmallocinfo);
	fork_register_step(&vmalloc_setup_fork_step);
	fork_register_step(&vmap_notify_fork_step);
	vmalloc_fork_init();
	vmalloc_usable = true;
}
