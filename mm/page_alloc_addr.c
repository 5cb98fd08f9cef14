/* SPDX-License-Identifier: MIT */
/*
 * mm/page_alloc_addr.c - the page allocator by address: __get_free_pages,
 * get_zeroed_page, free_pages, and alloc_pages_exact / free_pages_exact
 * (the kernel keeps these in mm/page_alloc.c; here they sit apart from
 * the buddy and pcp machinery, which they only call), and splitting an
 * allocated block: split_page(), and split_page_run()/free_pages_run()
 * for a block as aligned parts, and free_pages_unsplit() to free split
 * pages as blocks again.
 *
 * Addresses are linear-map addresses: never highmem (__GFP_HIGHMEM is
 * dropped, as the kernel's __get_free_pages drops it).  alloc_pages_exact
 * splits its block and gives the pages beyond the size back one by one.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/bug.h>
#include <linux/folio_batch.h>
#include <linux/highmem.h>
#include <ukmem/context.h>
#include "mm/internal.h"

/*
 * The kernel's alloc_pages_bulk_noprof(): one order-0 page per empty slot,
 * in order, stopping at the first that cannot be filled.  Like the
 * kernel's, it asks fault injection once for the whole call
 * (prepare_alloc_pages()) and then takes its pages without asking again;
 * with one slot left to fill it is the single page allocator's call,
 * which asks for itself.  A @nodemask limits every page to its nodes'
 * zones, as the kernel's walk for the bulk pages and its single-page
 * fallback do; with NUMA_NO_NODE the walk then starts at this CPU's node
 * (the kernel's callers pass numa_mem_id()).  Not a helper by address,
 * but one that, like those here, only calls the buddy and pcp machinery.
 */
unsigned long __alloc_pages_bulk(gfp_t gfp, int preferred_nid, nodemask_t *nodemask,
				 unsigned long nr_pages, struct page **page_array)
{
	unsigned long i = 0;
	bool asked = false;

	while (i < nr_pages && page_array[i])
		i++;
	if (preferred_nid == NUMA_NO_NODE && nodemask)
		preferred_nid = likely(READ_ONCE(nr_online_nodes) <= 1) ? 0 : numa_mem_id();
	if (nr_pages - i > 1) {
		if (should_fail_alloc_page(gfp, 0))
			return i;
		asked = true;
		fault_inject_off++;	/* the pages below are no sites of their own */
	}
	for (; i < nr_pages; i++) {
		if (page_array[i])
			continue;
		page_array[i] = preferred_nid == NUMA_NO_NODE ? alloc_pages(gfp, 0) :
				__alloc_pages(gfp, 0, preferred_nid, nodemask);
		if (!page_array[i])
			break;
	}
	if (asked)
		fault_inject_off--;
	return i;
}

unsigned long __get_free_pages(gfp_t gfp_mask, unsigned int order)
{
	struct page *page = alloc_pages(gfp_mask & ~__GFP_HIGHMEM, order);

	return page ? (unsigned long)page_address(page) : 0;
}

unsigned long get_zeroed_page(gfp_t gfp_mask)
{
	return __get_free_pages(gfp_mask | __GFP_ZERO, 0);
}

void free_pages(unsigned long addr, unsigned int order)
{
	if (!addr)
		return;
	if (unlikely(addr < PAGE_OFFSET || addr >= (unsigned long)high_memory ||
		     (addr & ~PAGE_MASK))) {
		WARN(1, "free_pages: %#lx is not the address of a page of this allocator\n", addr);
		return;
	}
	__free_pages(virt_to_page((void *)addr), order);
}

static void *make_alloc_exact(unsigned long addr, unsigned int order, size_t size)
{
	if (addr) {
		unsigned long nr = DIV_ROUND_UP(size, PAGE_SIZE);
		struct page *page = virt_to_page((void *)addr);
		struct page *last = page + nr;

		split_page(page, order);
		/* Give the pages beyond size back, one by one. */
		for (; last < page + (1UL << order); last++)
			__free_pages(last, 0);
	}
	return (void *)addr;
}

void *alloc_pages_exact(size_t size, gfp_t gfp_mask)
{
	unsigned int order = (unsigned int)get_order(size);
	unsigned long addr;

	/*
	 * No test for size 0, as in the kernel: get_order(0) is past
	 * MAX_PAGE_ORDER, so the page allocator's order check answers
	 * (NULL, and its one-time warning unless __GFP_NOWARN).
	 */
	if (WARN_ON_ONCE(gfp_mask & (__GFP_COMP | __GFP_HIGHMEM)))
		gfp_mask &= ~(__GFP_COMP | __GFP_HIGHMEM);
	addr = __get_free_pages(gfp_mask, order);
	return make_alloc_exact(addr, order, size);
}

void *alloc_pages_exact_nid(int nid, size_t size, gfp_t gfp_mask)
{
	unsigned int order = (unsigned int)get_order(size);
	struct page *p;

	/* Size 0: the order check's NULL and warning, as above. */
	if (WARN_ON_ONCE(gfp_mask & (__GFP_COMP | __GFP_HIGHMEM)))
		gfp_mask &= ~(__GFP_COMP | __GFP_HIGHMEM);
	p = alloc_pages_node(nid, gfp_mask, order);
	if (!p)
		return NULL;
	return make_alloc_exact((unsigned long)page_address(p), order, size);
}

/*
 * alloc_pages_nolock()/free_pages_nolock() (v6.15; the gfp argument and
 * the compound pages v6.18): pages from any context, never waiting for a
 * lock.  As for kmalloc_nolock() (mm/slab_common.c), that is what ukmem's
 * interrupt context does already: every allocator lock is only tried, a
 * busy one fails the allocation or defers the free.  The kernel's request:
 * zeroed, compound, no warning, no reserves, no reclaim and no kswapd
 * wakeup, only the per-CPU list orders, and of the caller's flags only
 * __GFP_ACCOUNT.  Failures are not reported.
 */
struct page *alloc_pages_nolock(gfp_t gfp_flags, int nid, unsigned int order)
{
	gfp_t gfp = __GFP_NOWARN | __GFP_ZERO | __GFP_NOMEMALLOC | __GFP_COMP |
		    (gfp_flags & __GFP_ACCOUNT);
	struct page *page;

	VM_WARN_ON_ONCE(gfp_flags & ~__GFP_ACCOUNT);
	if (order > PAGE_ALLOC_COSTLY_ORDER && order != pageblock_order)
		return NULL;
	/* A process's first call boots first; inside an interrupt the boot is refused. */
	if (!in_hardirq())
		ukmem_ensure_booted();
	ukmem_irq_enter();
	page = alloc_pages_node(nid, gfp, order);
	ukmem_irq_exit();
	return page;
}

void free_pages_nolock(struct page *page, unsigned int order)
{
	ukmem_irq_enter();
	__free_pages(page, order);
	ukmem_irq_exit();
}

void free_pages_exact(void *virt, size_t size)
{
	unsigned long addr = (unsigned long)virt;
	unsigned long end = addr + PAGE_ALIGN(size);

	while (addr < end) {
		free_page(addr);
		addr += PAGE_SIZE;
	}
}

/* ---- splitting allocated blocks ---- */

void split_page(struct page *page, unsigned int order)
{
	unsigned long i;

	if (WARN_ON_ONCE(PageCompound(page)) || WARN_ON_ONCE(!page_ref_count(page)))
		return;
	for (i = 1; i < (1UL << order); i++) {
		set_page_count(page + i, 1);
		set_page_alloc_order_rec(page + i, 1);
	}
	set_page_alloc_order_rec(page, 1);
	if (page_owner_enabled)
		split_page_owner(page, 1UL << order, 0);
}

/*
 * ukmem: split_page() into aligned parts rather than single pages.  The
 * @nr pages from @page on, pages of one plain (non-compound) allocated
 * block, become the aligned power-of-two blocks they decompose into, each
 * one as if allocated alone: one reference, its order recorded.  Any of
 * them can then be freed with __free_pages(part, its order), or a run of
 * them with free_pages_run(): log2(nr) frees where alloc_pages_exact()
 * makes one per page.  Splitting a run again at a page inside it only
 * refines its parts, so the heads recorded before stay heads.  The malloc
 * front end makes a block of n pages cost n pages this way, not the next
 * power of two.
 */
void split_page_run(struct page *page, unsigned long nr)
{
	unsigned long pfn = page_to_pfn(page);

	while (nr) {
		unsigned int order = aligned_run_order(pfn, nr);

		set_page_count(page, 1);
		set_page_alloc_order_rec(page, order + 1);
		if (page_owner_enabled)
			split_page_owner(page, 1UL << order, order);
		page += 1UL << order;
		pfn += 1UL << order;
		nr -= 1UL << order;
	}
}

/* Free a run that split_page_run() made, part by part. */
void free_pages_run(struct page *page, unsigned long nr)
{
	unsigned long pfn = page_to_pfn(page);

	while (nr) {
		unsigned int order = aligned_run_order(pfn, nr);

		__free_pages(page, order);
		page += 1UL << order;
		pfn += 1UL << order;
		nr -= 1UL << order;
	}
}

/*
 * ukmem: the reverse of split_page() for freeing.  @nr order-0 pages from
 * @page on, physically consecutive (vmalloc's runs), go back as the
 * aligned blocks they form, up to pageblock_order: one free per block
 * instead of one per page.  A page that is not a plain order-0 page with
 * one reference (someone took another) is freed on its own, as
 * __free_page() does.
 */
void free_pages_unsplit(struct page *page, unsigned long nr)
{
	unsigned long pfn = page_to_pfn(page);

	while (nr) {
		unsigned int order = min(aligned_run_order(pfn, nr), (unsigned int)pageblock_order);
		unsigned long i, n = 1UL << order;

		for (i = 0; i < n; i++)
			if (page_ref_count(page + i) != 1 || page_alloc_order_rec(page + i) != 1 ||
			    PageCompound(page + i))
				break;
		if (i < n) {
			__free_page(page);
			n = 1;
		} else {
			for (i = 1; i < n; i++) {
				set_page_count(page + i, 0);
				set_page_alloc_order_rec(page + i, 0);
			}
			set_page_alloc_order_rec(page, order + 1);
			__free_pages(page, order);
		}
		page += n;
		pfn += n;
		nr -= n;
	}
}

void free_pages_bulk(struct page **page_array, unsigned long nr_pages)
{
	unsigned long i;

	might_sleep();
	for (i = 0; i < nr_pages; i++)
		__free_pages(page_array[i], 0);
}

/* Page by page: each through a mapping of its own where either is in highmem. */
void folio_copy(struct folio *dst, struct folio *src)
{
	long i, nr = folio_nr_pages(src);

	for (i = 0; i < nr; i++)
		copy_highpage(folio_page(dst, i), folio_page(src, i));
}

void folios_put_refs(struct folio_batch *folios, unsigned int *refs)
{
	unsigned int i;

	for (i = 0; i < folios->nr; i++)
		folio_put_refs(folios->folios[i], refs ? (int)refs[i] : 1);
	folio_batch_reinit(folios);
}
