// SPDX-License-Identifier: MIT
/*
 * mm/page_frag_cache.c - the page fragment allocator (the kernel's
 * mm/page_frag_cache.c, v6.12 and later): page_frag_alloc(),
 * page_frag_alloc_align(), page_frag_free(), page_frag_cache_drain().
 *
 * Design
 * 1. A cache holds one page, preferably a compound page of
 *    PAGE_FRAG_CACHE_MAX_SIZE bytes (order 3, asked for without reclaim,
 *    retries or warnings), else an order-0 page with the caller's gfp.
 *    Fragments are handed out upwards from offset 0.
 * 2. References are taken in bulk: a new page gets PAGE_FRAG_CACHE_MAX_SIZE
 *    extra references at once (more than it can ever have fragments), and
 *    the cache counts down its own share (pagecnt_bias) as it hands out
 *    fragments, so a fragment costs no atomic operation.  A freed fragment
 *    drops one real reference (page_frag_free()).
 * 3. When a fragment does not fit, the cache gives up its remaining share
 *    of references: if that was the last reference, every fragment is
 *    free and the page is reused from offset 0; otherwise the fragments'
 *    owners keep the page alive and the cache takes a new one.  A fragment
 *    larger than a page that does not fit is refused (NULL) without giving
 *    up the page, as the kernel does under memory pressure.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/page_frag_cache.h>

#define FRAG_ORDER_MASK		0xffUL	/* the order, in the page address's low bits */

static void *cache_virt(unsigned long encoded_page)
{
	return (void *)(encoded_page & PAGE_MASK);
}

static struct page *cache_page(unsigned long encoded_page)
{
	return virt_to_page(cache_virt(encoded_page));
}

static unsigned int cache_order(unsigned long encoded_page)
{
	return (unsigned int)(encoded_page & FRAG_ORDER_MASK);
}

/* A new page for @nc (design 1); NULL if none. */
static struct page *page_frag_cache_refill(struct page_frag_cache *nc, gfp_t gfp_mask)
{
	gfp_t big = (gfp_mask & ~__GFP_DIRECT_RECLAIM) | __GFP_COMP | __GFP_NOWARN |
		    __GFP_NORETRY | __GFP_NOMEMALLOC;
	unsigned int order = PAGE_FRAG_CACHE_MAX_ORDER;
	struct page *page = alloc_pages(big, order);

	if (unlikely(!page)) {
		page = alloc_pages(gfp_mask, 0);
		order = 0;
	}
	nc->encoded_page = page ? (unsigned long)page_address(page) | order : 0;
	return page;
}

/** page_frag_cache_drain - give up @nc's page (freed once its fragments are). */
void page_frag_cache_drain(struct page_frag_cache *nc)
{
	if (!nc->encoded_page)
		return;
	__page_frag_cache_drain(cache_page(nc->encoded_page), nc->pagecnt_bias);
	nc->encoded_page = 0;
}

/** __page_frag_cache_drain - drop @count references on @page, freeing it with the last. */
void __page_frag_cache_drain(struct page *page, unsigned int count)
{
	VM_BUG_ON(page_ref_count(page) == 0);
	if (page_ref_sub_and_test(page, (int)count))
		__put_page(page);
}

/**
 * __page_frag_alloc_align - @fragsz bytes from @nc
 * @align_mask: the alignment's mask complemented (-align; ~0U: none)
 *
 * Returns the fragment, or NULL if no page can be had (or a fragment
 * larger than a page does not fit the cache's page).  Free it with
 * page_frag_free().  Context: as @gfp_mask allows; the caller keeps
 * calls on one cache from overlapping.
 */
void *__page_frag_alloc_align(struct page_frag_cache *nc, unsigned int fragsz, gfp_t gfp_mask,
			      unsigned int align_mask)
{
	unsigned long encoded_page = nc->encoded_page;
	unsigned int size, offset;
	struct page *page;

	if (unlikely(!encoded_page)) {
refill:
		page = page_frag_cache_refill(nc, gfp_mask);
		if (!page)
			return NULL;
		encoded_page = nc->encoded_page;
		/* Added, not set: a concurrent get_page_unless_zero() must see it non-zero. */
		page_ref_add(page, PAGE_FRAG_CACHE_MAX_SIZE);
		nc->pagecnt_bias = PAGE_FRAG_CACHE_MAX_SIZE + 1;
		nc->offset = 0;
	}

	size = PAGE_SIZE << cache_order(encoded_page);
	offset = (nc->offset + ~align_mask) & align_mask;
	if (unlikely(offset > size || fragsz > size - offset)) {	/* no wrap for a huge @fragsz */
		if (unlikely(fragsz > PAGE_SIZE))
			return NULL;	/* design 3: keep the page */
		page = cache_page(encoded_page);
		if (!page_ref_sub_and_test(page, (int)nc->pagecnt_bias))
			goto refill;	/* fragments still out: theirs now */
		/* Every fragment came back: start the same page over. */
		set_page_count(page, PAGE_FRAG_CACHE_MAX_SIZE + 1);
		nc->pagecnt_bias = PAGE_FRAG_CACHE_MAX_SIZE + 1;
		offset = 0;
	}

	nc->pagecnt_bias--;
	nc->offset = offset + fragsz;
	return (char *)cache_virt(encoded_page) + offset;
}

/** page_frag_free - free a fragment: one reference off its page. */
void page_frag_free(void *addr)
{
	put_page(virt_to_head_page(addr));
}
