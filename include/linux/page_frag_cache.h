/* SPDX-License-Identifier: MIT */
/*
 * linux/page_frag_cache.h - page fragments (include/linux/page_frag_cache.h,
 * mm/page_frag_cache.c): pieces of any length carved one after the other
 * from a 32 KiB compound page (an order-0 page when none can be had), each
 * holding a reference on the page, which goes back to the page allocator
 * when the cache has moved on and the last fragment is freed.  The
 * network stack's skb heads and frags come from these.
 *
 * A cache belongs to one context at a time (the kernel keeps one per CPU
 * or per queue and uses it with preemption or bottom halves off): the
 * caller serialises calls on one cache; page_frag_free() may be called
 * from anywhere.
 */
#ifndef _LINUX_PAGE_FRAG_CACHE_H
#define _LINUX_PAGE_FRAG_CACHE_H

#include <ukmem/kernel_types.h>
#include <linux/bug.h>
#include <linux/gfp.h>
#include <linux/log2.h>
#include <linux/mm.h>

UKMEM_C_BEGIN

#define PAGE_FRAG_CACHE_MAX_SIZE	32768U
#define PAGE_FRAG_CACHE_MAX_ORDER	3	/* get_order(PAGE_FRAG_CACHE_MAX_SIZE) */

struct page_frag_cache {
	/* The page's address, with its order in the low bits; 0: no page yet. */
	unsigned long encoded_page;
	u32 offset;		/* where the next fragment starts */
	u32 pagecnt_bias;	/* references the cache still holds on the page */
};

UKMEM_API_BEGIN
void *__page_frag_alloc_align(struct page_frag_cache *nc, unsigned int fragsz, gfp_t gfp_mask,
			      unsigned int align_mask);
void page_frag_cache_drain(struct page_frag_cache *nc);
void __page_frag_cache_drain(struct page *page, unsigned int count);
void page_frag_free(void *addr);
UKMEM_API_END

static inline void page_frag_cache_init(struct page_frag_cache *nc)
{
	nc->encoded_page = 0;
}

/* Whether the page came from the emergency reserves: never, here (no pfmemalloc). */
static inline bool page_frag_cache_is_pfmemalloc(struct page_frag_cache *nc)
{
	(void)nc;
	return false;
}

/* @fragsz bytes at a multiple of @align (a power of two) from @nc, or NULL. */
static inline void *page_frag_alloc_align(struct page_frag_cache *nc, unsigned int fragsz,
					  gfp_t gfp_mask, unsigned int align)
{
	WARN_ON_ONCE(!is_power_of_2(align));
	return __page_frag_alloc_align(nc, fragsz, gfp_mask, -align);
}

/* @fragsz bytes from @nc, right after the previous fragment; NULL on failure. */
static inline void *page_frag_alloc(struct page_frag_cache *nc, unsigned int fragsz,
				    gfp_t gfp_mask)
{
	return __page_frag_alloc_align(nc, fragsz, gfp_mask, ~0U);
}

UKMEM_C_END

#endif /* _LINUX_PAGE_FRAG_CACHE_H */
