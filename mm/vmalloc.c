/* SPDX-License-Identifier: MIT */
/*
 * mm/vmalloc.c - virtually contiguous memory: vmalloc, vmap, the vm_struct
 * API and /proc/vmallocinfo (the kernel's mm/vmalloc.c).
 *
 * Entry points: vmalloc() and its variants (all end in
 * __vmalloc_node_range()), vfree(), vfree_atomic(), vmap(), vunmap(),
 * vmalloc_to_page(), get_vm_area()/find_vm_area()/remove_vm_area().
 *
 * Design
 * 1. Address space.  VMALLOC_START..VMALLOC_END is reserved at boot
 *    (init/main.c) inaccessible.  mm/vmap_area.c hands out ranges of it
 *    from a free tree, lowest fit first, as the kernel's alloc_vmap_area().
 *    Every area ends in an unmapped guard page unless VM_NO_GUARD.
 * 2. Pages.  vmalloc() takes order-0 pages from the buddy allocator (with
 *    __GFP_HIGHMEM, as the kernel does, unless a DMA zone is asked for).
 *    Below 16 pages they come one at a time, so they are scattered
 *    physically; from 16 pages on, it first tries blocks of up to
 *    pageblock_order quietly and splits them (split_page()) into order-0
 *    pages, because a run of consecutive frames costs one host call.
 * 3. The second mapping.  A kernel maps a page at its vmalloc address by a
 *    page-table entry and the page stays reachable at its linear address.
 *    Here RAM is private anonymous memory, which the host cannot map twice.
 *    So the first time a lowmem page gets a vmalloc (or vmap) address, its
 *    bytes move into the physical memory file (arch/mapping.h: a memfd,
 *    offset = physical address) and its linear address becomes a shared
 *    mapping of the file; the vmalloc address is a second one.  Writes
 *    through either are read through the other, as in the kernel.  The
 *    linear address stays file-backed after vfree() (a bit per pfn,
 *    linear_shared_map), so reusing the page costs only the new alias; page
 *    reporting drops the file's copy when it hands the block back to the
 *    host (vmalloc_linear_decommit).  Physically consecutive pages are one
 *    host call.  Highmem pages live in the file anyway (mm/highmem.c).
 * 4. fork().  Shared mappings would stay shared with a child; a fork hook
 *    gives the child its own copy of the file, before the parent may write
 *    again (the parent waits for the child), and maps everything again.
 *
 * Locking: vmap_area_lock (mm/vmap_area.c) guards both trees and the
 * vm_struct link of each area; host calls and allocations happen outside
 * it.  An area's pages and mappings belong to whoever holds the area: the
 * allocating call until it returns, then the caller until vfree().
 * Fork hook order FORK_ORDER_VMALLOC: before slab and the page allocator.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/preempt.h>
#include <ukmem/boot.h>
#include "arch/host.h"
#include "arch/mapping.h"
#include "kernel/fork.h"
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
/* the second mapping                                                   */

/*
 * One bit per pfn: the page's linear address maps the physical memory
 * file.  Once set, it stays set while the page is reused (freed, allocated
 * again by anyone): the bytes are in the file and both kinds of mapping
 * see them, so the next vmalloc or vmap of the page needs only its alias.
 * The bit is cleared when page reporting hands the block back to the host
 * (vmalloc_linear_decommit), which drops the file pages too.
 */
static unsigned long *linear_shared_map;
static atomic_long_t nr_linear_shared;

static bool pfn_linear_shared(unsigned long pfn)
{
	return (__atomic_load_n(&linear_shared_map[pfn / BITS_PER_LONG], __ATOMIC_ACQUIRE) >>
		(pfn % BITS_PER_LONG)) & 1;
}

static bool test_and_set_linear_shared(unsigned long pfn)
{
	unsigned long bit = 1UL << (pfn % BITS_PER_LONG);

	return __atomic_fetch_or(&linear_shared_map[pfn / BITS_PER_LONG], bit,
				 __ATOMIC_ACQ_REL) & bit;
}

static void clear_linear_shared(unsigned long pfn)
{
	__atomic_fetch_and(&linear_shared_map[pfn / BITS_PER_LONG],
			   ~(1UL << (pfn % BITS_PER_LONG)), __ATOMIC_RELEASE);
}

/* Pages i.. that are physically consecutive and all lowmem or all highmem. */
static unsigned int phys_run(struct page **pages, unsigned int i, unsigned int n)
{
	unsigned int j = i + 1;
	bool high = PageHighMem(pages[i]);

	while (j < n && page_to_pfn(pages[j]) == page_to_pfn(pages[j - 1]) + 1 &&
	       PageHighMem(pages[j]) == high)
		j++;
	return j - i;
}

/*
 * Give @nr lowmem pages from @first a private anonymous linear mapping
 * again, with their bytes, and drop their file pages: the way back when
 * making them file-backed failed half way.
 */
static void linear_unshare(struct page *first, unsigned int nr)
{
	void *linear = lowmem_page_address(first);
	u64 phys = page_to_phys(first);
	size_t len = (size_t)nr << PAGE_SHIFT;

	if (arch_remap_anon(linear, len)) {
		/* No memory for a private copy: stay file-backed if at all possible. */
		if (!arch_map_phys(linear, phys, len))
			return;
		pr_warn_once("vmalloc: pfn %#lx lost its linear mapping\n", page_to_pfn(first));
		return;
	}
	arch_phys_read(phys, linear, len);
	arch_phys_release(phys, len);
}

/* Move @nr lowmem pages from @first into the file, mapped at their linear address. */
static int linear_share(struct page *first, unsigned int nr)
{
	void *linear = lowmem_page_address(first);
	u64 phys = page_to_phys(first);
	size_t len = (size_t)nr << PAGE_SHIFT;
	int ret;

	ret = arch_phys_populate(phys, len);
	if (ret)
		return ret;
	/* The bytes go along: vmap()'s pages keep their contents, and so does any page. */
	if (arch_phys_write(phys, linear, len)) {
		arch_phys_release(phys, len);
		return -ENOMEM;
	}
	ret = arch_map_phys(linear, phys, len);
	if (ret) {
		linear_unshare(first, nr);
		return ret;
	}
	atomic_long_add(nr, &nr_linear_shared);
	return 0;
}

/*
 * Map @n pages at the area's start: first make the linear address of each
 * lowmem page that is still private file-backed (runs of consecutive
 * frames at once), then map every physical run at its place in the area.
 * On failure the alias is unmapped; pages already made file-backed stay so,
 * which is a valid state for any page.
 */
static int map_area_pages(struct vmap_area *va, struct page **pages, unsigned int n)
{
	unsigned int i = 0, len, k;
	int ret = 0;

	while (i < n) {
		unsigned long pfn = page_to_pfn(pages[i]);

		if (PageHighMem(pages[i]) || test_and_set_linear_shared(pfn)) {
			i++;
			continue;
		}
		/* Claim the run of consecutive private frames that follows. */
		for (len = 1; i + len < n && !PageHighMem(pages[i + len]) &&
			      page_to_pfn(pages[i + len]) == pfn + len &&
			      !test_and_set_linear_shared(pfn + len); len++)
			;
		ret = linear_share(pages[i], len);
		if (ret) {
			for (k = 0; k < len; k++)
				clear_linear_shared(pfn + k);
			return ret;
		}
		i += len;
	}
	for (i = 0; i < n; i += len) {
		len = phys_run(pages, i, n);
		ret = arch_map_phys((void *)(va->va_start + ((unsigned long)i << PAGE_SHIFT)),
				    page_to_phys(pages[i]), (size_t)len << PAGE_SHIFT);
		if (ret) {
			arch_unmap_to_reserved((void *)va->va_start, va_size(va));
			return ret;
		}
	}
	return 0;
}

/**
 * vmalloc_linear_decommit - page reporting hands [pfn, pfn+nr) back to the
 * host: drop the file's copies of its pages.  Returns whether any page had
 * one (then the linear mapping there is shared and must be replaced).
 * Context: zone->lock held, or the block isolated; never sleeps, never
 * allocates.
 */
bool vmalloc_linear_decommit(unsigned long pfn, unsigned long nr)
{
	unsigned long i, any = 0;

	if (!linear_shared_map)
		return false;
	/* Word by word; a block below 64 pages owns only some bits of its word. */
	for (i = pfn; i < pfn + nr; i = (i | (BITS_PER_LONG - 1)) + 1) {
		unsigned long *w = &linear_shared_map[i / BITS_PER_LONG];
		unsigned long first = i % BITS_PER_LONG;
		unsigned long last = min(pfn + nr - (i - first), (unsigned long)BITS_PER_LONG);
		unsigned long mask = (last == BITS_PER_LONG ? ~0UL : (1UL << last) - 1) &
				     ~((1UL << first) - 1);

		if (__atomic_load_n(w, __ATOMIC_RELAXED) & mask)
			any += (unsigned long)__builtin_popcountl(
				__atomic_fetch_and(w, ~mask, __ATOMIC_ACQ_REL) & mask);
	}
	if (!any)
		return false;
	atomic_long_sub(any, &nr_linear_shared);
	arch_phys_release(PFN_PHYS(pfn), nr << PAGE_SHIFT);
	return true;
}

/* The pages behind an area, for vmalloc and vmap alike. */
static struct page **area_pages(const struct vmap_area *va, unsigned int *nr)
{
	if (va->map_pages) {
		*nr = (unsigned int)(get_vm_area_size(va->vm) >> PAGE_SHIFT);
		return va->map_pages;
	}
	*nr = va->vm ? va->vm->nr_pages : 0;
	return va->vm ? va->vm->pages : NULL;
}

/* ------------------------------------------------------------------ */
/* areas                                                                */

static struct vmap_area *new_va(gfp_t gfp, int node)
{
	return kmem_cache_alloc_node(vmap_area_cachep, gfp & VM_GFP_RECLAIM_MASK, node);
}

static void vmap_cache_free(struct vmap_area *va)
{
	if (va)
		kmem_cache_free(vmap_area_cachep, va);
}

/* alloc_vmap_area(): a busy range of @size bytes (guard included). */
static struct vmap_area *alloc_vmap_area(unsigned long size, unsigned long align,
					 unsigned long vstart, unsigned long vend,
					 int node, gfp_t gfp)
{
	struct vmap_area *spare[2], *va;

	if (WARN_ON_ONCE(!size || (size & ~PAGE_MASK) || !is_power_of_2(align)))
		return NULL;
	spare[0] = new_va(gfp, node);
	spare[1] = new_va(gfp, node);
	if (!spare[0] || !spare[1]) {
		vmap_cache_free(spare[0]);
		vmap_cache_free(spare[1]);
		return NULL;
	}
	spin_lock(&vmap_area_lock);
	va = vmap_carve_locked(size, align, vstart, vend, spare);
	spin_unlock(&vmap_area_lock);
	vmap_cache_free(spare[0]);
	vmap_cache_free(spare[1]);
	if (!va && !(gfp & __GFP_NOWARN))
		pr_warn("vmap allocation for size %lu failed: use vmalloc=<size> to increase size\n",
			size);
	return va;
}

/* Return a busy range (already unlinked, unmapped) to the free tree. */
static void free_vmap_area(struct vmap_area *va)
{
	struct vmap_area *dead[2];
	int nr_dead = 0, i;

	spin_lock(&vmap_area_lock);
	vmap_release_locked(va, dead, &nr_dead);
	spin_unlock(&vmap_area_lock);
	for (i = 0; i < nr_dead; i++)
		kmem_cache_free(vmap_area_cachep, dead[i]);
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
	if (!(flags & VM_NO_GUARD))
		size += PAGE_SIZE;
	if (size > end - start)
		return NULL;
	area = kzalloc_node(sizeof(*area), gfp & VM_GFP_RECLAIM_MASK, node);
	if (unlikely(!area))
		return NULL;
	va = alloc_vmap_area(size, max(align, PAGE_SIZE), start, end, node, gfp);
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
 * Nothing is mapped.  Returns the vm_struct, or NULL.  Context: may sleep.
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
 * find_vm_area - the area that starts at @addr
 * @addr: start address of a vmalloc, vmap or ioremap area
 *
 * Returns its vm_struct or NULL.  The caller must keep the area alive.
 * Context: any but a signal handler that interrupted this library.
 */
struct vm_struct *find_vm_area(const void *addr)
{
	struct vmap_area *va;
	struct vm_struct *vm;

	spin_lock(&vmap_area_lock);
	va = vmap_find_exact_locked((unsigned long)addr);
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
	if (va && va->vm && !(va->vm->flags & VM_UNINITIALIZED))
		vmap_unlink_busy_locked(va);
	else
		va = NULL;
	spin_unlock(&vmap_area_lock);
	return va;
}

/* Unmap an unlinked area and give its range back; returns its vm_struct. */
static struct vm_struct *teardown_area(struct vmap_area *va)
{
	struct vm_struct *vm = va->vm;

	/* Only the alias goes: the pages' linear addresses stay file-backed. */
	arch_unmap_to_reserved((void *)va->va_start, va_size(va));
	kfree(va->map_pages);
	free_vmap_area(va);
	return vm;
}

/**
 * remove_vm_area - unmap an area and free its address range
 * @addr: the area's start address
 *
 * Returns the vm_struct, which the caller frees (with its pages), or NULL
 * if no area starts at @addr.  Context: may sleep.
 */
struct vm_struct *remove_vm_area(const void *addr)
{
	struct vmap_area *va;

	might_sleep();
	if (WARN(!PAGE_ALIGNED(addr), "Trying to vfree() bad address (%p)\n", addr))
		return NULL;
	va = unlink_area(addr);
	return va ? teardown_area(va) : NULL;
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

static void free_area_pages(struct vm_struct *vm)
{
	unsigned int i;

	for (i = 0; i < vm->nr_pages; i++) {
		struct page *page = vm->pages[i];

		if (!page)
			continue;
		atomic_long_sub(1, &page_pgdat(page)->vm_stat[NR_VMALLOC]);
		__free_page(page);
	}
	atomic_long_sub(vm->nr_pages, &nr_vmalloc_pages);
	kvfree(vm->pages);
}

/* The areas's teardown once it is unlinked: vfree's body. */
static void vfree_area(struct vmap_area *va)
{
	struct vm_struct *vm = teardown_area(va);

	if (vm->flags & VM_MAP_PUT_PAGES) {
		unsigned int i;

		for (i = 0; i < vm->nr_pages; i++)
			__free_page(vm->pages[i]);
		kvfree(vm->pages);
	} else if (vm->pages) {
		free_area_pages(vm);
	}
	kfree(vm);
}

static void *__vmalloc_area_node(struct vm_struct *area, gfp_t gfp_mask, int node)
{
	unsigned int nr = (unsigned int)(get_vm_area_size(area) >> PAGE_SHIFT), i;
	unsigned long array_size = (unsigned long)nr * sizeof(struct page *);
	gfp_t nested_gfp = (gfp_mask & VM_GFP_RECLAIM_MASK) | __GFP_ZERO;
	gfp_t page_gfp = (gfp_mask | __GFP_NOWARN) & ~__GFP_ZERO;
	struct vmap_area *va;
	int ret;

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

	/* As the kernel: highmem is fine unless a DMA zone was asked for. */
	if (!(page_gfp & (__GFP_DMA | __GFP_DMA32)))
		page_gfp |= __GFP_HIGHMEM;
	for (i = 0; i < nr; ) {
		unsigned int order = 0, k;
		struct page *page = NULL;

		/*
		 * Where 16 or more pages are still needed, try an order-4 block
		 * first (quietly, without hard reclaim) and split it into
		 * order-0 pages: a run of 16 consecutive frames costs one host
		 * call instead of sixteen.  The kernel's bulk allocator hands
		 * out runs from the pcp lists for a similar reason.  Each page
		 * is still an order-0 page of its own, freed on its own.
		 */
		if (nr - i >= VMALLOC_CHUNK_PAGES) {
			order = min((unsigned int)ilog2(nr - i), (unsigned int)VMALLOC_MAX_CHUNK_ORDER);
			page = alloc_pages_node(node == NUMA_NO_NODE ? numa_node_id() : node,
						(page_gfp | __GFP_NORETRY) & ~__GFP_NOFAIL, order);
			if (page)
				split_page(page, order);
			else
				order = 0;
		}
		if (!page)
			page = node == NUMA_NO_NODE ? alloc_page(page_gfp) :
			       alloc_pages_node(node, page_gfp, 0);
		if (unlikely(!page))
			break;
		for (k = 0; k < (1U << order); k++, i++) {
			area->pages[i] = page + k;
			area->nr_pages++;
		}
		atomic_long_add(1L << order, &page_pgdat(page)->vm_stat[NR_VMALLOC]);
	}
	atomic_long_add(area->nr_pages, &nr_vmalloc_pages);
	if (area->nr_pages != nr) {
		warn_alloc(gfp_mask, NULL, "vmalloc error: size %lu, failed to allocate pages",
			   (unsigned long)area->nr_pages * PAGE_SIZE);
		goto fail;
	}

	spin_lock(&vmap_area_lock);
	va = vmap_find_exact_locked((unsigned long)area->addr);
	spin_unlock(&vmap_area_lock);
	ret = map_area_pages(va, area->pages, nr);
	if (ret) {
		warn_alloc(gfp_mask, NULL, "vmalloc error: size %lu, failed to map pages",
			   (unsigned long)area->nr_pages * PAGE_SIZE);
		goto fail;
	}
	/* __GFP_ZERO, cleared through the new mapping (the pages were not). */
	if (gfp_mask & __GFP_ZERO)
		memset(area->addr, 0, (size_t)nr << PAGE_SHIFT);
	return area->addr;

fail:
	{
		struct vmap_area *dead;

		/* Still VM_UNINITIALIZED, so vfree() cannot see it: unlink by hand. */
		spin_lock(&vmap_area_lock);
		dead = vmap_find_exact_locked((unsigned long)area->addr);
		vmap_unlink_busy_locked(dead);
		spin_unlock(&vmap_area_lock);
		/* Nothing is mapped any more on the failure paths above. */
		if (area->pages)
			free_area_pages(area);
		dead->vm = NULL;
		kfree(area);
		free_vmap_area(dead);
	}
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
 * kernel.  Returns the address or NULL; on failure nothing is left behind.
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
	if (WARN_ON_ONCE(!size))
		return NULL;
	if ((size >> PAGE_SHIFT) > totalram_pages()) {
		warn_alloc(gfp_mask, NULL, "vmalloc error: size %lu, exceeds total pages",
			   real_size);
		return NULL;
	}
	might_sleep_if(gfpflags_allow_blocking(gfp_mask));
	drain_deferred();
	vmalloc_install_atfork();
	area = __get_vm_area_node(real_size, align, VM_ALLOC | VM_UNINITIALIZED | vm_flags,
				  start, end, node, gfp_mask, caller);
	if (!area) {
		warn_alloc(gfp_mask, NULL,
			   "vmalloc error: size %lu, vm_struct allocation failed%s",
			   real_size, (gfp_mask & __GFP_NOFAIL) ? ". Retrying." : "");
		return NULL;
	}
	if (!__vmalloc_area_node(area, gfp_mask, node))
		return NULL;
	/* Fully set up: vmallocinfo and vfree may see it now. */
	__atomic_fetch_and(&area->flags, ~(unsigned long)VM_UNINITIALIZED, __ATOMIC_RELEASE);
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
void *__vmalloc(unsigned long size, gfp_t gfp_mask)
{
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
 */
void *vmalloc_huge(unsigned long size, gfp_t gfp_mask)
{
	return __vmalloc_node(size, 1, gfp_mask, NUMA_NO_NODE, __builtin_return_address(0));
}

/**
 * vmalloc_array - vmalloc() of @n elements of @size bytes, overflow-checked
 * Context: may sleep.
 */
void *vmalloc_array(size_t n, size_t size)
{
	size_t bytes;

	if (unlikely(__builtin_mul_overflow(n, size, &bytes)))
		return NULL;
	return __vmalloc_node(bytes, 1, GFP_KERNEL, NUMA_NO_NODE, __builtin_return_address(0));
}

/**
 * vcalloc - zeroed vmalloc_array()
 * Context: may sleep.
 */
void *vcalloc(size_t n, size_t size)
{
	size_t bytes;

	if (unlikely(__builtin_mul_overflow(n, size, &bytes)))
		return NULL;
	return __vmalloc_node(bytes, 1, GFP_KERNEL | __GFP_ZERO, NUMA_NO_NODE,
			      __builtin_return_address(0));
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

static void __vfree(const void *addr)
{
	struct vmap_area *va;

	if (WARN(!PAGE_ALIGNED(addr), "Trying to vfree() bad address (%p)\n", addr))
		return;
	va = unlink_area(addr);
	if (unlikely(!va)) {
		WARN(1, "Trying to vfree() nonexistent vm area (%p)\n", addr);
		return;
	}
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
	if (WARN(!PAGE_ALIGNED(addr), "Trying to vfree() bad address (%p)\n", addr))
		return;
	defer_vfree(addr);
}

/**
 * vfree - release memory from vmalloc() and friends
 * @addr: start of the area, or NULL (nothing happens)
 *
 * Unmaps the area and frees its pages.  An address that does not start an
 * area gets the kernel's "Trying to vfree() nonexistent vm area" warning and
 * nothing changes (the kernel of 6.x would also accept any address inside an
 * area; ukmem insists on the start, as 2.6 did).  From interrupt context
 * (a signal handler entered with ukmem_irq_enter) it defers, as the kernel
 * does.  Context: may sleep otherwise.
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
/* vmap                                                                 */

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
	if (WARN_ON_ONCE(flags & VM_NO_GUARD))
		return NULL;
	if (count > totalram_pages() || !count)
		return NULL;
	drain_deferred();
	vmalloc_install_atfork();
	/* The kernel keeps no page list for vmap; vmalloc_to_page() here needs one. */
	copy = kmalloc_array(count, sizeof(*copy), GFP_KERNEL);
	if (!copy)
		return NULL;
	memcpy(copy, pages, count * sizeof(*copy));
	area = get_vm_area_caller((unsigned long)count << PAGE_SHIFT, flags | VM_MAP,
				  __builtin_return_address(0));
	if (!area)
		goto nomem;
	spin_lock(&vmap_area_lock);
	va = vmap_find_exact_locked((unsigned long)area->addr);
	va->map_pages = copy;
	spin_unlock(&vmap_area_lock);
	if (map_area_pages(va, copy, count)) {
		spin_lock(&vmap_area_lock);
		vmap_unlink_busy_locked(va);
		va->map_pages = NULL;
		spin_unlock(&vmap_area_lock);
		free_vmap_area(va);
		kfree(area);
		goto nomem;
	}
	if (flags & VM_MAP_PUT_PAGES) {
		area->pages = pages;
		area->nr_pages = count;
	}
	return area->addr;

nomem:
	kfree(copy);
	return NULL;
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
	if (WARN(!PAGE_ALIGNED(addr), "Trying to vfree() bad address (%p)\n", addr))
		return;
	va = unlink_area(addr);
	if (unlikely(!va)) {
		WARN(1, "Trying to vunmap() nonexistent vm area (%p)\n", addr);
		return;
	}
	kfree(teardown_area(va));
}

/* ------------------------------------------------------------------ */
/* lookups                                                              */

/**
 * vmalloc_to_page - the struct page mapped at a vmalloc or vmap address
 * @vmalloc_addr: any address inside an area
 *
 * Returns the page the buddy allocator (or the vmap caller) provided, or
 * NULL for a guard page, an ioremap area or an address in no area.
 * Context: any but a signal handler that interrupted this library.
 */
struct page *vmalloc_to_page(const void *vmalloc_addr)
{
	unsigned long addr = (unsigned long)vmalloc_addr;
	struct page *page = NULL;
	struct vmap_area *va;

	if (!is_vmalloc_addr(vmalloc_addr))
		return NULL;
	spin_lock(&vmap_area_lock);
	va = vmap_find_containing_locked(addr);
	if (va && va->vm) {
		unsigned long idx = (addr - va->va_start) >> PAGE_SHIFT;
		struct page **pages = va->map_pages ? va->map_pages : va->vm->pages;
		unsigned long nr = va->map_pages ? get_vm_area_size(va->vm) >> PAGE_SHIFT :
				   va->vm->nr_pages;

		if (pages && idx < nr && !(va->vm->flags & VM_UNINITIALIZED))
			page = pages[idx];
	}
	spin_unlock(&vmap_area_lock);
	return page;
}

/**
 * vmalloc_to_pfn - the page frame behind a vmalloc, vmap or ioremap address
 * @vmalloc_addr: any address inside an area
 *
 * For ioremap areas, the device's frame.  0 where nothing is mapped.
 * Context: as vmalloc_to_page().
 */
unsigned long vmalloc_to_pfn(const void *vmalloc_addr)
{
	struct page *page = vmalloc_to_page(vmalloc_addr);
	unsigned long addr = (unsigned long)vmalloc_addr, pfn = 0;
	struct vmap_area *va;

	if (page)
		return page_to_pfn(page);
	if (!is_vmalloc_addr(vmalloc_addr))
		return 0;
	spin_lock(&vmap_area_lock);
	va = vmap_find_containing_locked(addr);
	if (va && va->vm && (va->vm->flags & VM_IOREMAP) &&
	    addr - va->va_start < get_vm_area_size(va->vm))
		pfn = PHYS_PFN(va->vm->phys_addr + (addr - va->va_start));
	spin_unlock(&vmap_area_lock);
	return pfn;
}

/**
 * vmalloc_nr_pages - pages currently backing vmalloc areas
 * (the kernel's VmallocUsed in pages).  Context: any.
 */
unsigned long vmalloc_nr_pages(void)
{
	return (unsigned long)atomic_long_read(&nr_vmalloc_pages);
}

/* ------------------------------------------------------------------ */
/* /proc/vmallocinfo                                                    */

#define VMI_BATCH	16

struct vmi_entry {
	unsigned long start, end, flags;
	const void *caller;
	phys_addr_t phys;
	unsigned int nr_pages;
	bool vpages;
	unsigned int nodes[MAX_NUMNODES];
};

/*
 * s_show(): "0x<start>-0x<end> <size> <caller> pages=N phys=... ioremap
 * vmalloc vmap user vpages N0=..".  Entries are copied 16 at a time under
 * the lock and printed with no lock held (stdio may allocate).
 */
static void show_vmallocinfo(FILE *m)
{
	static struct vmi_entry batch[VMI_BATCH];	/* reports are serialised by mm/proc.c */
	unsigned long next = 0;
	char sym[160];
	int n, i;

	do {
		struct vmap_area *va;

		n = 0;
		spin_lock(&vmap_area_lock);
		for (va = vmap_next_busy_locked(next); va && n < VMI_BATCH;
		     va = vmap_next_busy_locked(va->va_end)) {
			struct vm_struct *v = va->vm;
			struct vmi_entry *e = &batch[n];
			unsigned int k;

			next = va->va_end;
			if (!v || (v->flags & VM_UNINITIALIZED))
				continue;
			e->start = va->va_start;
			e->end = va->va_end;
			e->flags = v->flags;
			e->caller = v->caller;
			e->phys = v->phys_addr;
			e->nr_pages = v->nr_pages;
			e->vpages = is_vmalloc_addr(v->pages);
			memset(e->nodes, 0, sizeof(e->nodes));
			for (k = 0; k < v->nr_pages; k++)
				if (v->pages[k])
					e->nodes[page_to_nid(v->pages[k])]++;
			n++;
		}
		spin_unlock(&vmap_area_lock);

		for (i = 0; i < n; i++) {
			struct vmi_entry *e = &batch[i];
			int nid;

			fprintf(m, "0x%016lx-0x%016lx %7ld", e->start, e->end,
				(long)(e->end - e->start));
			if (e->caller) {
				arch_symbolize((unsigned long)e->caller, sym, sizeof(sym), true);
				fprintf(m, " %s", sym);
			}
			if (e->nr_pages)
				fprintf(m, " pages=%u", e->nr_pages);
			if (e->phys)
				fprintf(m, " phys=0x%016llx", (unsigned long long)e->phys);
			if (e->flags & VM_IOREMAP)
				fputs(" ioremap", m);
			if (e->flags & VM_SPARSE)
				fputs(" sparse", m);
			if (e->flags & VM_ALLOC)
				fputs(" vmalloc", m);
			if (e->flags & VM_MAP)
				fputs(" vmap", m);
			if (e->flags & VM_USERMAP)
				fputs(" user", m);
			if (e->flags & VM_DMA_COHERENT)
				fputs(" dma-coherent", m);
			if (e->vpages)
				fputs(" vpages", m);
			for_each_online_node(nid)
				if (e->nodes[nid])
					fprintf(m, " N%d=%u", nid, e->nodes[nid]);
			fputc('\n', m);
		}
	} while (n == VMI_BATCH);
}

/* ------------------------------------------------------------------ */
/* fork                                                                 */

static int fork_parent_pid;
static bool fork_sync;

static void vmalloc_fork_lock(void)
{
	u32 *word = arch_fork_sync_word();

	spin_lock(&vmap_area_lock);
	fork_parent_pid = arch_getpid();
	fork_sync = arch_physmem_ready() && word;
	if (fork_sync)
		__atomic_store_n(word, 0, __ATOMIC_RELEASE);
}

/* In the child: map every file-backed range again, now from the child's copy. */
static void remap_all_locked(void)
{
	unsigned long pfn = 0, end;
	struct vmap_area *va;

	/* Linear addresses, in runs of set bits. */
	while (linear_shared_map && pfn < ukmem_ram_pfns) {
		if (!linear_shared_map[pfn / BITS_PER_LONG]) {
			pfn = ALIGN(pfn + 1, BITS_PER_LONG);
			continue;
		}
		if (!pfn_linear_shared(pfn)) {
			pfn++;
			continue;
		}
		for (end = pfn + 1; end < ukmem_ram_pfns && pfn_linear_shared(end); end++)
			;
		arch_map_phys(pfn_to_virt(pfn), PFN_PHYS(pfn), (end - pfn) << PAGE_SHIFT);
		pfn = end;
	}
	/* vmalloc and vmap aliases. */
	for (va = vmap_next_busy_locked(0); va; va = vmap_next_busy_locked(va->va_end)) {
		struct page **pages;
		unsigned int nr, i, len;

		if (!va->vm || (va->vm->flags & VM_IOREMAP))
			continue;
		pages = area_pages(va, &nr);
		for (i = 0; pages && i < nr; i += len) {
			len = 1;
			if (!pages[i])
				continue;
			len = phys_run(pages, i, nr);
			arch_map_phys((void *)(va->va_start + ((unsigned long)i << PAGE_SHIFT)),
				      page_to_phys(pages[i]), (size_t)len << PAGE_SHIFT);
		}
	}
	kmap_fork_remap();
}

static void vmalloc_fork_unlock(void)
{
	u32 *word = arch_fork_sync_word();

	if (fork_sync && arch_getpid() != fork_parent_pid) {
		/* Child: stop sharing with the parent, then let it go on. */
		if (arch_physmem_fork_private() == 0)
			remap_all_locked();
		else
			pr_warn("vmalloc: fork child could not copy vmalloc memory; it stays shared\n");
		__atomic_store_n(word, 1, __ATOMIC_RELEASE);
		arch_wake_shared(word);
	} else if (fork_sync) {
		/*
		 * Parent: wait until the child has its copy, so that nothing it
		 * writes from now on shows in the child.  If fork() failed there
		 * is no child: give up after two seconds.
		 */
		u64 deadline = arch_clock_ns() + 2000000000ull;

		while (!__atomic_load_n(word, __ATOMIC_ACQUIRE) && arch_clock_ns() < deadline)
			arch_wait_shared(word, 0, 100000000L);
	}
	spin_unlock(&vmap_area_lock);
}

void vmalloc_install_atfork(void)
{
	static bool done;

	/* Shared mappings make fork hooks a must, not an option. */
	if (likely(__atomic_load_n(&done, __ATOMIC_RELAXED)))
		return;
	__atomic_store_n(&done, true, __ATOMIC_RELAXED);
	ukmem_install_atfork();
}

/* ------------------------------------------------------------------ */
/* boot                                                                 */

/*
 * The area cache and the free tree need the slab allocator, which creates
 * caches only once the machine runs: built on first use.
 */
static DEFINE_SPINLOCK(vmalloc_setup_lock);

static bool vmalloc_setup_slow(void)
{
	struct vmap_area *whole;

	arch_spin_lock(&vmalloc_setup_lock);	/* not spin_lock: cache creation may sleep */
	if (vmalloc_ready || !vmalloc_usable)
		goto out;
	/*
	 * Made on first use, not at boot, so that a process that never
	 * vmallocs (the malloc front end) has no extra descriptor.  The bitmap
	 * is host memory, one bit per pfn, touched only where pages are shared.
	 */
	if (!linear_shared_map)
		linear_shared_map = arch_map_anon(BITS_TO_LONGS(ukmem_ram_pfns) * sizeof(long));
	if (!linear_shared_map || arch_physmem_init(ukmem_ram_size)) {
		pr_err("vmalloc: no physical memory file; vmalloc fails\n");
		goto out;
	}
	vmap_area_cachep = KMEM_CACHE(vmap_area, 0);
	if (!vmap_area_cachep)
		goto out;
	whole = kmem_cache_zalloc(vmap_area_cachep, GFP_KERNEL);
	if (!whole)
		goto out;
	whole->va_start = VMALLOC_START;
	whole->va_end = VMALLOC_END;
	spin_lock(&vmap_area_lock);
	vmap_trees_init(whole);
	spin_unlock(&vmap_area_lock);
	__atomic_store_n(&vmalloc_ready, true, __ATOMIC_RELEASE);
out:
	arch_spin_unlock(&vmalloc_setup_lock);
	return vmalloc_ready;
}

/**
 * vmalloc_init - set up the vmalloc allocator (init/main.c, after slab)
 *
 * Carves the kmap windows from the top of
 * the range in the i386 layout, registers vmallocinfo and the fork hook.
 * The trees are built on first use.  Context: boot only.
 */
void vmalloc_init(void)
{
	if (!VMALLOC_END)
		return;
	ukmem_vmalloc_end = kmap_init(VMALLOC_END);
	WRITE_ONCE(ukmem_vmalloc_total_bytes, VMALLOC_END - VMALLOC_START);
	ukmem_register_report("vmallocinfo", show_vmallocinfo);
	ukmem_register_fork_hook(FORK_ORDER_VMALLOC, vmalloc_fork_lock, vmalloc_fork_unlock);
	vmalloc_usable = true;
}
