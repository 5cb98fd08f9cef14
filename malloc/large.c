/* SPDX-License-Identifier: MIT */
/*
 * malloc/large.c - blocks above the slab classes (8 KiB) up to the mmap
 * threshold: 2^order pages straight from the buddy allocator, each ending
 * in a guard page.
 *
 *   head                                              guard page (last)
 *   |  unused pages  | canary 16 | data ......... |gap| #################
 *                                ^ p               ^ p + size
 *
 * The data is placed against the guard page (its end rounded up to 16
 * bytes, or to a larger alignment asked for): a linear overflow faults on
 * its first byte past the 16-byte granule, and the bytes of that granule
 * past the requested size are canary bytes, checked on free, as are the 16
 * bytes before the data (an underflow).  The state lives in the struct
 * page of the page that holds the data's first byte, so that any pointer
 * finds it by address arithmetic:
 *
 *   flags     PG_private_2: a large block starts on this page (an
 *             owner-private flag the page allocator checks is clear again
 *             at free)
 *   private   pages from the block's head << 20 | the data's offset in the
 *             page << 8 | order << 2 | LARGE_CACHED
 *   index     the size the caller asked for
 *
 * A pointer is a live large block only if it is exactly the recorded data
 * start of a flagged page in a block that is not cached: a pointer inside
 * a block, a second free, a free of a block that went back to the buddy
 * allocator all fail that, by arithmetic on struct pages.
 *
 * Guard pages cost system calls (MADV_GUARD_INSTALL on a page that was in
 * use costs tens of microseconds on a loaded virtual machine), so a freed
 * block keeps its guard and waits in a small per-order cache for the next
 * allocation of its order, which pays nothing: any size of that order
 * fits, the guard being the block's last page whatever the size.  The
 * cache holds at most LARGE_CACHE_BYTES and a few blocks per order; a
 * block that does not fit loses its guard and goes back to the buddy
 * allocator.  A host without guard pages (Linux before 6.13) keeps the
 * canaries only.
 *
 * The block is 2^order pages with order = get_order(size + a page): a size
 * of exactly 2^k pages takes a block twice as large, whose unused first
 * half is never touched.  Counted in malloc_large_bytes for mallinfo
 * (meminfo shows them as used memory, not as Slab).
 */
#include <string.h>

#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/spinlock.h>
#include "arch/host.h"
#include "malloc/malloc_internal.h"
#include "mm/internal.h"

#define LARGE_CACHED		1UL
/*
 * Without the hardening: no guard page, no canary, no cache (the block
 * starts the data).  The canary before the data is longer: nothing else
 * guards that side.
 */
#define LARGE_GUARD		(MALLOC_HARDEN ? PAGE_SIZE : 0)
#define LARGE_CANARY		(MALLOC_HARDEN ? 16 : 0)
#define LARGE_HEAD_CANARY	(MALLOC_HARDEN ? 64 : 0)
#define LARGE_CACHE_SLOTS	4
#define LARGE_CACHE_BYTES	(8UL << 20)
#define LARGE_MIN_ORDER		2

static atomic_long_t malloc_large_bytes;
static int guards_unavailable;		/* the host refused a guard page */

static inline unsigned long pack_state(unsigned long from_head, unsigned long off,
				       unsigned int order)
{
	return from_head << 20 | off << 8 | (unsigned long)order << 2;
}

static inline unsigned int state_order(unsigned long st)
{
	return (unsigned int)(st >> 2) & 0x3f;
}

static inline unsigned long state_off(unsigned long st)
{
	return (st >> 8) & 0xfff;
}

static inline unsigned long state_from_head(unsigned long st)
{
	return st >> 20;
}

/* The guard page (without the hardening: the block's end). */
static inline char *block_guard(struct page *head, unsigned int order)
{
	return (char *)page_address(head) + ((PAGE_SIZE << order) - LARGE_GUARD);
}

/* ---- the cache of guarded free blocks ---- */

static struct {
	spinlock_t lock;
	unsigned long bytes;
	unsigned int nr[MAX_PAGE_ORDER + 1];
	struct page *blocks[MAX_PAGE_ORDER + 1][LARGE_CACHE_SLOTS];
} cache;

static unsigned int cache_slots(unsigned int order)
{
	if (!MALLOC_HARDEN)
		return 0;
	return order <= 6 ? LARGE_CACHE_SLOTS : order <= 8 ? 2 : 1;
}

/*
 * The cache holds the pages that carry the state of blocks freed into it
 * (still flagged, LARGE_CACHED: a second free of the block is a double
 * free).  Only tried: a busy cache (or one a fork left locked in the
 * child) is passed by, never waited for.
 */
static void state_clear(struct page *dpage)
{
	dpage->flags &= ~MALLOC_LARGE_FLAG;
	set_page_private(dpage, 0);
	dpage->index = 0;
}

static struct page *cache_get(unsigned int order)
{
	struct page *dpage = NULL, *head;

	if (!READ_ONCE(cache.nr[order]) || !arch_spin_trylock(&cache.lock))
		return NULL;
	if (cache.nr[order]) {
		dpage = cache.blocks[order][--cache.nr[order]];
		cache.bytes -= PAGE_SIZE << order;
	}
	arch_spin_unlock(&cache.lock);
	if (!dpage)
		return NULL;
	head = dpage - state_from_head(page_private(dpage));
	state_clear(dpage);
	return head;
}

static bool cache_put(struct page *dpage, unsigned int order)
{
	bool done = false;

	if (READ_ONCE(cache.nr[order]) >= cache_slots(order) || !arch_spin_trylock(&cache.lock))
		return false;
	if (cache.nr[order] < cache_slots(order) &&
	    cache.bytes + (PAGE_SIZE << order) <= LARGE_CACHE_BYTES) {
		set_page_private(dpage, page_private(dpage) | LARGE_CACHED);
		cache.blocks[order][cache.nr[order]++] = dpage;
		cache.bytes += PAGE_SIZE << order;
		done = true;
	}
	arch_spin_unlock(&cache.lock);
	return done;
}

/* A block with no live data: its guard goes, its pages go back. */
static void block_release(struct page *head, unsigned int order)
{
	if (MALLOC_HARDEN && !READ_ONCE(guards_unavailable))
		arch_guard_remove(block_guard(head, order), PAGE_SIZE);
	atomic_long_sub((long)(PAGE_SIZE << order), &malloc_large_bytes);
	__free_pages(head, order);
}

void large_cache_drain(void)
{
	unsigned int order;
	struct page *page;

	for (order = 0; order <= MAX_PAGE_ORDER; order++)
		while ((page = cache_get(order)))
			block_release(page, order);
}

/* ---- blocks ---- */

static struct page *block_get(unsigned int order, gfp_t gfp)
{
	struct page *head = cache_get(order);

	if (head)
		return head;
	head = alloc_pages(gfp & ~__GFP_ZERO, order);
	if (!head)
		return NULL;
	atomic_long_add((long)(PAGE_SIZE << order), &malloc_large_bytes);
	if (MALLOC_HARDEN && !READ_ONCE(guards_unavailable) &&
	    arch_guard_install(block_guard(head, order), PAGE_SIZE))
		WRITE_ONCE(guards_unavailable, 1);	/* canaries only from now on */
	return head;
}

static void canary_fill(char *p, size_t n)
{
	memset(p, (int)(malloc_canary64 & 0xff), n);
}

static bool canary_intact(const char *p, size_t n)
{
	u8 cb = (u8)malloc_canary64;
	size_t i;

	for (i = 0; i < n; i++)
		if ((u8)p[i] != cb)
			return false;
	return true;
}

/* Canary bytes before the data: as many of LARGE_HEAD_CANARY as the block has. */
static inline size_t head_canary(struct page *head, const char *p)
{
	return min_t(size_t, LARGE_HEAD_CANARY, (size_t)(p - (char *)page_address(head)));
}

/* Canary bytes from the end of the data to the guard, at most LARGE_CANARY. */
static inline size_t tail_canary(const char *p, size_t size, const char *guard)
{
	return min_t(size_t, LARGE_CANARY, (size_t)(guard - (p + size)));
}

/*
 * @size bytes aligned to @align, placed for @capacity (>= size: realloc
 * grows a block by half at least, so that appends do not copy each time).
 * NULL if the block would pass the largest order: the caller maps it.
 */
void *large_alloc(size_t size, size_t align, size_t capacity, gfp_t gfp)
{
	size_t need, a = max_t(size_t, align, MIN_ALIGN);
	unsigned int order;
	struct page *head, *dpage;
	char *guard, *p;

	capacity = ALIGN(max(capacity, size), a);
	if (MALLOC_HARDEN)
		need = capacity + LARGE_GUARD + LARGE_CANARY + LARGE_HEAD_CANARY + (a > MIN_ALIGN ? a : 0);
	else
		need = max(capacity, a);
	if (need > (PAGE_SIZE << MAX_PAGE_ORDER))
		return NULL;
	order = max((unsigned int)get_order(need), (unsigned int)LARGE_MIN_ORDER);
	head = block_get(order, gfp);
	if (!head)
		return NULL;
	guard = block_guard(head, order);
	p = MALLOC_HARDEN ? (char *)ALIGN_DOWN((unsigned long)guard - capacity, a) :
			    (char *)page_address(head);
	dpage = virt_to_page(p);
	set_page_private(dpage, pack_state((unsigned long)(dpage - head),
					   (unsigned long)p & ~PAGE_MASK, order));
	dpage->index = size;
	dpage->flags |= MALLOC_LARGE_FLAG;
	if (MALLOC_HARDEN) {
		/*
		 * The pages may have held a freed block at this very address,
		 * whose first word is then this block's free tag.
		 */
		*(unsigned long *)p = 0;
		canary_fill(p - head_canary(head, p), head_canary(head, p));
		canary_fill(p + size, tail_canary(p, size, guard));
	}
	/* calloc: clear what was asked for; recycled pages are not zero. */
	if (gfp & __GFP_ZERO)
		memset(p, 0, size);
	return p;
}

int large_check(struct page *page, const void *p, const char *fn, size_t *size)
{
	unsigned long st = page_private(page);
	unsigned int order = state_order(st);
	struct page *head = page - state_from_head(st);
	const char *d = (const char *)page_address(page) + state_off(st);

	if (p != d)
		return MERR_INVALID;
	if (st & LARGE_CACHED)
		return MERR_DOUBLE_FREE;
	*size = page->index;
	if (MALLOC_HARDEN) {
		if (!canary_intact(d - head_canary(head, d), head_canary(head, d)))
			return MERR_UNDERFLOW;
		if (!canary_intact(d + *size, tail_canary(d, *size, block_guard(head, order))))
			return MERR_OVERFLOW;
	}
	return 0;
}

size_t large_capacity(struct page *page, const void *p)
{
	unsigned long st = page_private(page);
	struct page *head = page - state_from_head(st);

	return (size_t)(block_guard(head, state_order(st)) - (const char *)p);
}

void large_resize(struct page *page, void *p, size_t size)
{
	unsigned long st = page_private(page);
	struct page *head = page - state_from_head(st);

	page->index = size;
	if (MALLOC_HARDEN)
		canary_fill((char *)p + size,
			    tail_canary(p, size, block_guard(head, state_order(st))));
}

/* After large_check() passed. */
void large_free(struct page *page, void *p)
{
	unsigned long st = page_private(page);
	unsigned int order = state_order(st);
	struct page *head = page - state_from_head(st);

	if (cache_put(page, order))
		return;
	state_clear(page);
	block_release(head, order);
}

unsigned long malloc_large_cached_bytes(void)
{
	return READ_ONCE(cache.bytes);
}

unsigned long malloc_large_block_bytes(void)
{
	long bytes = atomic_long_read(&malloc_large_bytes);

	return bytes > 0 ? (unsigned long)bytes : 0;
}
