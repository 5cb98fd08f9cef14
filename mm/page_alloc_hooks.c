/* SPDX-License-Identifier: MIT */
/*
 * mm/page_alloc_hooks.c - what the page allocator does to a block beyond
 * handing it over or taking it back: init_on_alloc / __GFP_ZERO and
 * init_on_free (the kernel's kernel_init_pages()), page poisoning
 * (mm/page_poison.c), page_owner's records (mm/page_owner.c), and the
 * tools' marks
 * (kasan_unpoison_pages() / kasan_poison_pages(): ASan or memcheck, from
 * mm/sanitizers.c), and debug_pagealloc's unmapping (mm/debug_page_alloc.c).
 * mm/page_alloc.c's fast paths make one test each (page_alloc_hook_gfp,
 * page_free_hooks) and call here only when it hits.
 */
#include <string.h>

#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include "arch/host.h"
#include "mm/internal.h"

static void clear_block(struct page *page, unsigned int order);

/*
 * What allocation and free do to a block beyond handing it over, each
 * behind one test on the fast path (as the slab's alloc_hook_gfp): the gfp
 * bits that send an allocation to prep_new_page_hooks() (__GFP_ZERO;
 * every bit with init_on_alloc or a tool watching), and whether a free
 * takes free_pages_hooks() (init_on_free or a tool).  Derived from those
 * switches by page_alloc_update_hooks(), at boot and once the tools are
 * known; read without a lock by every allocation.
 */
gfp_t page_alloc_hook_gfp = __GFP_ZERO;
static_assert(!(GFP_HOOK_ALWAYS & __GFP_BITS_MASK), "GFP_HOOK_ALWAYS must be no gfp bit");
bool page_free_hooks;

void page_alloc_update_hooks(void)
{
	/* What looks at every page both ways: tools, poisoning, page_owner, debug_pagealloc. */
	bool every = slab_tools_active || page_poisoning || page_owner_enabled ||
		     debug_pagealloc_enabled_static();

	WRITE_ONCE(page_alloc_hook_gfp, init_on_alloc || every ? ~(gfp_t)0 : __GFP_ZERO);
	WRITE_ONCE(page_free_hooks, init_on_free || every);
}

/*
 * ASan in the program, or memcheck (mm/sanitizers.c): a block is open
 * while it is allocated, closed while free.  Highmem pages have no
 * address to mark.
 */
static void tools_pages(struct page *page, unsigned int order, bool alloc, bool zeroed)
{
	void *addr = page_address(page);

	if (!addr || PageHighMem(page))
		return;
	if (alloc)
		tool_pages_alloc(addr, PAGE_SIZE << order, zeroed);
	else
		tool_pages_free(addr, PAGE_SIZE << order);
}

/*
 * Page poisoning (kernel_poison_pages()), init_on_free (the kernel's
 * kernel_init_pages(); off when poisoning is on), then the tools
 * (kasan_poison_pages()), which close the pages last.
 */
noinline void free_pages_hooks(struct page *page, unsigned int order)
{
	if (page_owner_enabled)
		__reset_page_owner(page, order);
	if (page_poisoning)
		kernel_poison_pages(page, 1U << order);
	if (init_on_free)
		clear_block(page, order);
	if (slab_tools_active)
		tools_pages(page, order, false, false);
	debug_pagealloc_unmap_pages(page, 1 << order);	/* last, as free_pages_prepare() */
}

/*
 * A block of this many pages or more asks the host which of its pages it
 * never backed (pagemap): those read as zero already and are left alone.
 * Writing zeroes over them made every page of a block resident: under
 * init_on_alloc=1, python3 calling malloc() for 650 MB it never touched
 * grew to 1 GB of RSS (198 MB without), where the kernel's clearing costs
 * nothing it would not use.  The pages of the shared physical-memory file
 * (vmap'ed) are not shown by pagemap: always written; so are the
 * contiguous ranges above the largest order (page_contig.c), which the
 * bitmap does not cover.  Nor is a highmem block asked about: only its
 * head may have an address (a pkmap entry left by kunmap()), and the
 * addresses after it are other pages' entries or none at all, whose
 * answers say nothing of the block's own pages.
 */
#define CLEAR_QUERY_PAGES	16

static void clear_block(struct page *page, unsigned int order)
{
	unsigned long untouched[BITS_TO_LONGS(MAX_ORDER_NR_PAGES)], i;
	void *first = page_address(page);
	bool known = (1UL << order) >= CLEAR_QUERY_PAGES &&
		     (1UL << order) <= MAX_ORDER_NR_PAGES && first && !PageHighMem(page) &&
		     !linear_map_shared_any(page_to_pfn(page), 1UL << order) &&
		     arch_pages_untouched(first, 1UL << order, untouched);

	for (i = 0; i < (1UL << order); i++) {
		void *addr = page_address(page + i);

		if (known && (untouched[i / BITS_PER_LONG] >> (i % BITS_PER_LONG)) & 1)
			continue;
		if (addr)
			memset(addr, 0, PAGE_SIZE);
		else
			clear_highpage(page + i);	/* highmem: no permanent address */
	}
}

/* The tools (kasan_unpoison_pages(), before the clearing), then want_init_on_alloc(). */
noinline void prep_new_page_hooks(struct page *page, unsigned int order, gfp_t gfp)
{
	bool zero = (gfp & __GFP_ZERO) || init_on_alloc;

	debug_pagealloc_map_pages(page, 1 << order);	/* first, as post_alloc_hook() */
	if (slab_tools_active)
		tools_pages(page, order, true, zero);
	if (page_poisoning)
		kernel_unpoison_pages(page, 1U << order);
	if (zero)
		clear_block(page, order);
	if (page_owner_enabled)
		__set_page_owner(page, order, gfp);
}
