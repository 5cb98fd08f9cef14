// SPDX-License-Identifier: MIT
/*
 * mm/dmapool.c - DMA pools: small fixed-size blocks of coherent DMA memory
 * (the kernel's mm/dmapool.c since its v6.4 rework: one free list across
 * all pages; with the later dma_pool_create_node()).
 *
 * Entry points: dma_pool_create_node() (dma_pool_create() is its inline
 * form), dma_pool_alloc() (and the inline dma_pool_zalloc()),
 * dma_pool_free(), dma_pool_destroy(), the managed dmam_pool_create() and
 * dmam_pool_destroy() (devres), and ukmem_dma_pools_show(), the kernel's
 * per-device sysfs file "pools".
 *
 * 1. A pool.  Blocks of one size (at least 16 bytes, rounded up to the
 *    alignment) come from "pages": coherent allocations of
 *    max(size, PAGE_SIZE) bytes from dma_alloc_coherent() for the pool's
 *    device.  A page is cut into blocks from its start; where the next
 *    block would cross a multiple of the pool's boundary it starts at that
 *    multiple instead, and what is left at the end stays unused.  Pages are
 *    kept until dma_pool_destroy(), as the kernel keeps them.
 *
 * 2. Free blocks.  Every free block of every page is on one LIFO list,
 *    linked through its own first 16 bytes (struct dma_block: the next
 *    block and this block's DMA address); hence the 16-byte minimum size.
 *    A new page's blocks go to the head in address order.  Blocks in use
 *    are not listed; the pool counts them (nr_active) for the report.
 *
 * 3. Finding a block's page.  Every struct page under a pool's page has
 *    mapping = the pool and private = its struct dma_page (the owner's
 *    words of an allocated page, cleared before the page goes back), so
 *    from a block's address to its page is arithmetic and two loads, and
 *    no other owner's page can pass for the pool's: nothing else stores
 *    this pool's address there.
 *
 * 4. Always-on checks.  The kernel checks frees only under
 *    DMAPOOL_DEBUG (CONFIG_SLUB_DEBUG_ON), by walking the pages and the
 *    whole free list; without it a double or foreign free corrupts the
 *    pool silently.  Here they are hardening, on in every build and O(1):
 *    a freed address must be a block of a page of this pool, the DMA
 *    address must be that block's, and the block must be in use.  A page
 *    has one byte per block slot (the block's offset >> ilog2(size), which
 *    no two blocks share): alloc sets it with a plain store under the
 *    lock, free clears it with one atomic exchange and no lock, so two
 *    racing frees of one block report once.  (A byte, not a bit, so that
 *    alloc needs no atomic read-modify-write.)  A bad free is reported
 *    with the kernel's words through dev_err() and changes nothing.  The
 *    block a dma_pool_alloc() takes off the list is checked the same way
 *    before its link is followed: a link overwritten after free (a use
 *    after free) is reported and the rest of the list dropped (those
 *    blocks leak), where the kernel would follow it.  The checks cost
 *    about 6 ns of a 14 ns alloc+free pair (docs/dmapool.md).
 *
 * 5. Poisoning, the kernel's DMAPOOL_DEBUG: on when the boot's slub_debug
 *    poisons every cache (slub_debug, slub_debug=P, =FZPU ...: what the
 *    kernel's CONFIG_SLUB_DEBUG_ON gives), fixed per pool at creation.  A
 *    new page is filled with POOL_POISON_FREED, a freed block too; a block
 *    handed out must still hold it after its first 16 bytes (else the
 *    kernel's "(corrupted)" report and a hex dump), and is then filled
 *    with POOL_POISON_ALLOCATED unless it is to be zeroed.  Without it,
 *    init_on_free=1 zeroes freed blocks.  __GFP_ZERO (dma_pool_zalloc)
 *    and init_on_alloc=1 zero the block handed out.
 *
 * 6. Signal handlers (ukmem's interrupt context) only try pool->lock: a
 *    handler may have interrupted its own thread inside it, where the
 *    kernel would have disabled interrupts.  Busy, dma_pool_alloc()
 *    returns NULL (a GFP_ATOMIC caller must expect it) and dma_pool_free()
 *    pushes the checked block on pool->parked, a lockless stack that the
 *    next holder of the lock empties onto the free list.
 *
 * Lock order: dma_pools' lock (every live pool: the kernel keeps a list
 * per device, dev->dma_pools, which ukmem's struct device lacks) ->
 * pool->lock.  Nothing is allocated, freed or printed under either;
 * dma_alloc_coherent() and kmalloc run with neither held.  Their ranks
 * (kernel/locking.h) come right after the mempools', the list's first.
 * fork() takes both, the list first, at FORK_ORDER_DMAPOOL, next to the
 * mempools; the kernel's pools_reg_lock (sysfs file creation) has no
 * counterpart.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/dmapool.h>
#include <linux/poison.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "kernel/fork.h"
#include "kernel/locking.h"
#include "mm/internal.h"
#include "mm/slab.h"

/* include/linux/poison.h's values. */
/* The kernel's length of a pool's name (longer names are cut). */
#define POOL_NAME_LEN		32

/*
 * The first bytes of a free block.  Packed: a pool with no alignment and an
 * odd size (17 bytes) has blocks at any address, which x86 reads as well
 * as any other and the compiler (and UBSan) must be told about.
 */
struct dma_block {
	struct dma_block *next_block;	/* the next free block, or NULL */
	dma_addr_t dma;			/* this block's DMA address */
} __attribute__((packed));
static_assert(sizeof(struct dma_block) == 16, "the kernel's 16-byte minimum block on 64-bit");

struct dma_pool {
	spinlock_t lock;		/* the free list, the page list, the counts */
	struct dma_block *next_block;	/* free blocks, most recently freed first */
	struct dma_block *parked;	/* freed by handlers that found lock busy */
	size_t nr_blocks;		/* blocks the pages hold, free or not */
	size_t nr_active;		/* blocks handed out (parked ones included) */
	size_t nr_pages;		/* coherent allocations */
	struct list_head page_list;	/* struct dma_page, newest first */
	struct device *dev;
	unsigned int size;		/* block size: aligned, at least 16 */
	unsigned int allocation;	/* bytes per page: max(size, PAGE_SIZE) */
	unsigned int boundary;		/* no block crosses a multiple of it */
	unsigned int slot_shift;	/* ilog2(size): offset >> it = the block's slot */
	unsigned int nr_slots;		/* bytes of a page's in_use[] */
	unsigned long window_mask;	/* offset & it = offset in its boundary window */
	unsigned int size_mask;		/* size - 1 for a power of two, else 0 */
	int node;			/* NUMA node of struct dma_pool and dma_page */
	bool poison;			/* DMAPOOL_DEBUG: slub_debug poisons */
	char name[POOL_NAME_LEN];
	struct list_head pools;		/* on dma_pools */
};

struct dma_page {			/* one coherent allocation of a pool */
	struct list_head page_list;	/* on pool->page_list */
	void *vaddr;
	dma_addr_t dma;
	u8 in_use[];			/* a byte per block slot: 1 = handed out */
};

/* Every live pool, oldest first: fork() holds each pool's lock (kernel/fork.h). */
DEFINE_FORK_LOCK_LIST(dma_pools, "dmapool", FORK_ORDER_DMAPOOL, LOCK_RANK_DMAPOOL_LIST,
		      struct dma_pool, pools, lock);

/* ---- pool->lock, safe in signal handlers ---- */

static inline bool pool_lock(struct dma_pool *pool)
{
	return spin_lock_or_try(&pool->lock);
}

static inline void pool_unlock(struct dma_pool *pool)
{
	spin_unlock(&pool->lock);
}

/* ---- blocks and pages ---- */

/* The kernel's want_init_on_alloc(): zero what is handed out. */
static inline bool zero_on_alloc(gfp_t gfp)
{
	return unlikely(init_on_alloc) || (gfp & __GFP_ZERO);
}

/* The page of @pool that holds @addr, or NULL: no memory of the pool's. */
static inline struct dma_page *pool_page_of(const struct dma_pool *pool, const void *addr)
{
	unsigned long pfn = virt_to_pfn(addr);	/* below PAGE_OFFSET: wraps, invalid */
	struct page *page;

	if (unlikely(!pfn_valid(pfn)))
		return NULL;
	page = pfn_to_page(pfn);
	/* Published after private (pool_mark_page); another owner's word never equals pool. */
	if (unlikely(smp_load_acquire(&page->mapping) != pool))
		return NULL;
	return (struct dma_page *)page_private(page);
}

/* A block starts @off bytes into a page. */
static inline bool block_starts_at(const struct dma_pool *pool, unsigned long off)
{
	unsigned long in_window = off & pool->window_mask;

	if (unlikely(off + pool->size > pool->allocation ||
		     in_window + pool->size > pool->boundary))
		return false;
	if (likely(pool->size_mask))
		return !(in_window & pool->size_mask);
	return in_window % pool->size == 0;
}

/*
 * Mark the block at @off in use; false if it was already.  pool->lock held,
 * so no other alloc writes the byte; a (bad) free racing it only ever
 * writes 0 over the 0 it finds.
 */
static inline bool slot_take(const struct dma_pool *pool, struct dma_page *page, unsigned long off)
{
	u8 *slot = &page->in_use[off >> pool->slot_shift];

	if (unlikely(__atomic_load_n(slot, __ATOMIC_RELAXED)))
		return false;
	__atomic_store_n(slot, 1, __ATOMIC_RELAXED);
	return true;
}

/* Mark the block at @off free; false if it was already.  No lock needed. */
static inline bool slot_give(const struct dma_pool *pool, struct dma_page *page, unsigned long off)
{
	return __atomic_exchange_n(&page->in_use[off >> pool->slot_shift], 0, __ATOMIC_RELAXED);
}

/* Tag (or untag) the struct pages under @page as the pool's (design, 3). */
static void pool_mark_page(struct dma_pool *pool, struct dma_page *page, bool mine)
{
	unsigned long i, n = DIV_ROUND_UP(pool->allocation, PAGE_SIZE);

	for (i = 0; i < n; i++) {
		struct page *p = virt_to_page(page->vaddr + i * PAGE_SIZE);

		if (mine) {
			set_page_private(p, (unsigned long)page);
			smp_store_release(&p->mapping, (void *)pool);
		} else {
			WRITE_ONCE(p->mapping, NULL);	/* the page allocator insists */
			set_page_private(p, 0);
		}
	}
}

/* A new page: its coherent memory and its metadata; no lock held. */
static struct dma_page *pool_alloc_page(struct dma_pool *pool, gfp_t gfp)
{
	struct dma_page *page;

	page = kmalloc_node(sizeof(*page) + pool->nr_slots, gfp | __GFP_ZERO, pool->node);
	if (!page)
		return NULL;
	page->vaddr = dma_alloc_coherent(pool->dev, pool->allocation, &page->dma,
					 gfp & ~__GFP_ZERO);
	if (!page->vaddr) {
		kfree(page);
		return NULL;
	}
	if (pool->poison)
		memset(page->vaddr, POOL_POISON_FREED, pool->allocation);
	pool_mark_page(pool, page, true);
	return page;
}

/* The other way; no lock held. */
static void pool_free_page(struct dma_pool *pool, struct dma_page *page, bool release)
{
	pool_mark_page(pool, page, false);
	if (release)
		dma_free_coherent(pool->dev, pool->allocation, page->vaddr, page->dma);
	kfree(page);
}

/*
 * Cut a new page into blocks and put them at the head of the free list, in
 * address order, window by window between multiples of the boundary.
 * pool->lock held.
 */
static void pool_add_page(struct dma_pool *pool, struct dma_page *page)
{
	struct dma_block *first = NULL, *last = NULL;
	unsigned int start, off;

	for (start = 0; start < pool->allocation; start += pool->boundary) {
		unsigned int end = min(start + pool->boundary, pool->allocation);

		for (off = start; off + pool->size <= end; off += pool->size) {
			struct dma_block *block = page->vaddr + off;

			block->dma = page->dma + off;
			if (last)
				last->next_block = block;
			else
				first = block;
			last = block;
			pool->nr_blocks++;
		}
	}
	/* allocation >= size: there is always a block. */
	last->next_block = pool->next_block;
	pool->next_block = first;
	list_add(&page->page_list, &pool->page_list);
	pool->nr_pages++;
}

/* Handlers' frees onto the free list.  pool->lock held. */
static void pool_take_parked(struct dma_pool *pool)
{
	struct dma_block *block, *next;

	if (likely(!READ_ONCE(pool->parked)))
		return;
	for (block = xchg(&pool->parked, NULL); block; block = next) {
		next = block->next_block;
		block->next_block = pool->next_block;
		pool->next_block = block;
		pool->nr_active--;
	}
}

/*
 * The head of the free list, taken and marked in use, with its page in
 * *@pagep; NULL if the list is empty, or if its head is no block of the
 * pool, in use, or holds another DMA address: a free block's link
 * overwritten.  Then the list is dropped and *@bad says where it led.
 * pool->lock held.
 */
static struct dma_block *pool_take_block(struct dma_pool *pool, struct dma_page **pagep,
					 void **bad)
{
	struct dma_block *block;
	struct dma_page *page;
	unsigned long off;

	pool_take_parked(pool);
	block = pool->next_block;
	if (!block)
		return NULL;
	page = pool_page_of(pool, block);
	off = page ? (unsigned long)((void *)block - page->vaddr) : 0;
	if (unlikely(!page || !block_starts_at(pool, off) || block->dma != page->dma + off ||
		     !slot_take(pool, page, off))) {
		*bad = block;
		pool->next_block = NULL;	/* its blocks leak: nothing there is trusted */
		return NULL;
	}
	pool->next_block = block->next_block;
	pool->nr_active++;
	*pagep = page;
	return block;
}

/* DMAPOOL_DEBUG: the free poison intact after the link, then the allocation poison. */
static void pool_check_block(struct dma_pool *pool, struct dma_block *block, gfp_t gfp)
{
	const u8 *data = (const u8 *)block;
	unsigned int i;

	for (i = sizeof(*block); i < pool->size; i++) {
		if (data[i] == POOL_POISON_FREED)
			continue;
		dev_err(pool->dev, "%s %s, %p (corrupted)\n", __func__, pool->name, block);
		/* The whole block, link included. */
		print_hex_dump(KERN_ERR, "", DUMP_PREFIX_OFFSET, 16, 1, data, pool->size, true);
		break;
	}
	if (!zero_on_alloc(gfp))
		memset(block, POOL_POISON_ALLOCATED, pool->size);
}

/*
 * Is (@vaddr, @dma) a block of @pool in use?  If so it is marked free and
 * false returned; if not, the kernel's report names what is wrong and true
 * is returned.  @page: pool_page_of(@vaddr).  No lock held.
 */
static bool pool_block_err(struct dma_pool *pool, struct dma_page *page, void *vaddr,
			   dma_addr_t dma)
{
	unsigned long off = page ? (unsigned long)(vaddr - page->vaddr) : 0;
	struct dma_page *p;
	bool dma_in_pool = false;

	if (likely(page && block_starts_at(pool, off))) {
		if (unlikely(dma != page->dma + off)) {
			dev_err(pool->dev, "%s %s, %p/%pad (bad dma)\n", __func__, pool->name,
				vaddr, &dma);
			return true;
		}
		if (unlikely(!slot_give(pool, page, off))) {
			dev_err(pool->dev, "%s %s, dma %pad already free\n", __func__, pool->name,
				&dma);
			return true;
		}
		return false;
	}
	/*
	 * No block of ours.  The kernel finds the page by @dma and says "bad
	 * dma" when there is none; with @dma inside the pool it is @vaddr
	 * that is wrong, in the words of the kernel's older check.
	 */
	if (pool_lock(pool)) {
		list_for_each_entry(p, &pool->page_list, page_list)
			if (dma >= p->dma && dma - p->dma < pool->allocation)
				dma_in_pool = true;
		pool_unlock(pool);
	}
	if (dma_in_pool)
		dev_err(pool->dev, "%s %s, %p (bad vaddr)/%pad\n", __func__, pool->name, vaddr,
			&dma);
	else
		dev_err(pool->dev, "%s %s, %p/%pad (bad dma)\n", __func__, pool->name, vaddr,
			&dma);
	return true;
}

/* ---- the API ---- */

/**
 * dma_pool_create_node - make a pool of coherent DMA blocks of one size
 * @name: the pool's name in reports (cut to 31 characters)
 * @dev: the device that will do the DMA; a pool needs one
 * @size: bytes per block (at most INT_MAX); raised to 16, then to a
 *	multiple of @align
 * @align: alignment of every block, a power of two (0 means 1)
 * @boundary: a power of two, at least the block size, whose multiples no
 *	block crosses; 0 means the pool's page size (max(size, PAGE_SIZE))
 * @node: NUMA node for the pool's own structures, or NUMA_NO_NODE; the
 *	blocks' memory comes from the zones @dev's coherent mask reaches
 *
 * Context: process context; may sleep (not from a signal handler).  A first
 * call boots the library.
 *
 * Return: the pool, with no pages yet; or NULL for a NULL @dev, a @size of
 * 0 or above INT_MAX (after alignment too), an @align or @boundary that is
 * not a power of two, a @boundary below the block size, or no memory.
 */
struct dma_pool *dma_pool_create_node(const char *name, struct device *dev, size_t size,
				      size_t align, size_t boundary, int node)
{
	struct dma_pool *pool;
	size_t allocation;

	if (!dev)
		return NULL;
	if (!align)
		align = 1;
	else if (!is_power_of_2(align))
		return NULL;
	if (!size || size > INT_MAX)
		return NULL;
	size = max(size, sizeof(struct dma_block));
	/* The kernel truncates a huge alignment's result into an int; refuse it. */
	if (align > INT_MAX || ALIGN(size, align) > INT_MAX)
		return NULL;
	size = ALIGN(size, align);
	allocation = max_t(size_t, size, PAGE_SIZE);
	if (!boundary)
		boundary = allocation;
	else if (boundary < size || !is_power_of_2(boundary))
		return NULL;
	boundary = min(boundary, allocation);

	pool = kzalloc_node(sizeof(*pool), GFP_KERNEL, node);	/* boots a first caller */
	if (!pool)
		return NULL;
	strscpy(pool->name, name ? name : "(null)", sizeof(pool->name));
	spin_lock_init_ranked(&pool->lock, LOCK_RANK_DMAPOOL);
	INIT_LIST_HEAD(&pool->page_list);
	pool->dev = dev;
	pool->size = (unsigned int)size;
	pool->allocation = (unsigned int)allocation;
	pool->boundary = (unsigned int)boundary;
	pool->slot_shift = (unsigned int)ilog2(size);
	/* Slots 0 .. (allocation - 1) >> slot_shift: the last block starts below allocation. */
	pool->nr_slots = ((pool->allocation - 1) >> pool->slot_shift) + 1;
	/* A boundary that is not a power of two is the whole page: one window. */
	pool->window_mask = is_power_of_2(boundary) ? boundary - 1 : ~0UL;
	pool->size_mask = is_power_of_2(size) ? pool->size - 1 : 0;
	pool->node = node;
	pool->poison = slub_debug_global_flags() & SLAB_POISON;

	fork_lock_list_add(&dma_pools, &pool->pools);
	return pool;
}

/**
 * dma_pool_destroy - free a pool and its pages
 * @pool: the pool, or NULL (nothing is done)
 *
 * The caller has freed every block and uses the pool no more.  A pool with
 * blocks still out is reported ("dma_pool_destroy NAME busy", through
 * dev_err) and all its pages are leaked rather than handed back while a
 * device may still use them, as the kernel does.
 *
 * Context: process context; may sleep (not from a signal handler).
 */
void dma_pool_destroy(struct dma_pool *pool)
{
	struct dma_page *page, *next;
	bool busy;

	if (unlikely(!pool))
		return;
	might_sleep();
	fork_lock_list_del(&dma_pools, &pool->pools);

	spin_lock(&pool->lock);
	pool_take_parked(pool);
	busy = pool->nr_active != 0;
	spin_unlock(&pool->lock);
	if (busy)
		dev_err(pool->dev, "%s %s busy\n", __func__, pool->name);
	list_for_each_entry_safe(page, next, &pool->page_list, page_list) {
		list_del(&page->page_list);
		pool_free_page(pool, page, !busy);
	}
	kfree(pool);
}

/**
 * dma_pool_alloc - take a block from a pool
 * @pool: the pool
 * @mem_flags: GFP flags for a new page when no block is free (and
 *	__GFP_ZERO to get the block zeroed); the zone is the device's to
 *	choose, as in dma_alloc_coherent()
 * @handle: where the block's DMA address goes
 *
 * Context: any, a signal handler included; sleeps only if @mem_flags
 * allows it (GFP_KERNEL), never with GFP_ATOMIC or GFP_NOWAIT.
 *
 * Return: the block's address, @handle set; NULL (@handle untouched) if no
 * block was free and no page could be had, or in a signal handler that
 * interrupted its thread inside the pool's lock.
 */
void *dma_pool_alloc(struct dma_pool *pool, gfp_t mem_flags, dma_addr_t *handle)
{
	struct dma_block *block;
	struct dma_page *page = NULL;
	void *bad = NULL;

	might_sleep_if(gfpflags_allow_blocking(mem_flags));
	if (!pool_lock(pool))
		return NULL;
	block = pool_take_block(pool, &page, &bad);
	pool_unlock(pool);
	if (unlikely(bad))
		dev_err(pool->dev, "%s %s, %p (free list corrupted)\n", __func__, pool->name, bad);
	if (!block) {
		/* No lock held while the page allocator may sleep. */
		struct dma_page *new_page = pool_alloc_page(pool, mem_flags & ~__GFP_ZERO);

		if (!new_page)
			return NULL;
		if (!pool_lock(pool)) {
			pool_free_page(pool, new_page, true);
			return NULL;
		}
		pool_add_page(pool, new_page);
		bad = NULL;
		block = pool_take_block(pool, &page, &bad);
		pool_unlock(pool);
		if (WARN_ON_ONCE(!block))	/* the page's own blocks lead the list */
			return NULL;
	}
	*handle = page->dma + (unsigned long)((void *)block - page->vaddr);
	if (pool->poison)
		pool_check_block(pool, block, mem_flags);
	if (zero_on_alloc(mem_flags))
		memset(block, 0, pool->size);
	return block;
}

/**
 * dma_pool_free - give a block back to its pool
 * @pool: the pool it came from
 * @vaddr: the block's address, as dma_pool_alloc() returned it
 * @dma: the block's DMA address, as dma_pool_alloc() set it
 *
 * Neither the device nor the driver touches the block again unless it is
 * handed out anew.  A pair that is no block of @pool in use (another
 * pool's, a DMA address that is not the block's, a double free) is
 * reported through dev_err() in the kernel's words and left alone.
 *
 * Context: any, a signal handler included; never sleeps.
 */
void dma_pool_free(struct dma_pool *pool, void *vaddr, dma_addr_t dma)
{
	struct dma_block *block = vaddr;

	if (pool_block_err(pool, pool_page_of(pool, vaddr), vaddr, dma))
		return;
	/* The block is the pool's again, though not yet listed. */
	if (pool->poison)
		memset(block, POOL_POISON_FREED, pool->size);
	else if (unlikely(init_on_free))
		memset(block, 0, pool->size);
	block->dma = dma;
	if (unlikely(!pool_lock(pool))) {
		struct dma_block *head = READ_ONCE(pool->parked);

		do {
			block->next_block = head;
		} while (!__atomic_compare_exchange_n(&pool->parked, &head, block, true,
						      __ATOMIC_RELEASE, __ATOMIC_RELAXED));
		return;
	}
	pool_take_parked(pool);
	block->next_block = pool->next_block;
	pool->next_block = block;
	pool->nr_active--;
	pool_unlock(pool);
}

/* ---- managed pools (devres, kernel/devres.c) ---- */

static void dmam_pool_release(struct device *dev, void *res)
{
	dma_pool_destroy(*(struct dma_pool **)res);
}

static int dmam_pool_match(struct device *dev, void *res, void *match_data)
{
	return *(struct dma_pool **)res == match_data;
}

/**
 * dmam_pool_create - dma_pool_create() of a pool @dev owns
 * @name, @dev, @size, @align: as for dma_pool_create()
 * @allocation: the boundary, as for dma_pool_create() (the kernel's name)
 *
 * The pool is destroyed with the device's other managed resources
 * (devres_release_all(): the driver core's step when a driver lets go of
 * @dev), or earlier by dmam_pool_destroy().
 *
 * Context: process context; may sleep.
 *
 * Return: the pool, or NULL where dma_pool_create() gives NULL or the
 * devres entry cannot be had (then nothing is left behind).
 */
struct dma_pool *dmam_pool_create(const char *name, struct device *dev, size_t size,
				  size_t align, size_t allocation)
{
	struct dma_pool **slot, *pool;

	slot = devres_alloc(dmam_pool_release, sizeof(*slot), GFP_KERNEL);
	if (!slot)
		return NULL;
	pool = dma_pool_create(name, dev, size, align, allocation);
	if (!pool) {
		devres_free(slot);
		return NULL;
	}
	*slot = pool;
	devres_add(dev, slot);
	return pool;
}

/**
 * dmam_pool_destroy - destroy a managed pool before its device lets go
 * @pool: a pool from dmam_pool_create(), or NULL (nothing is done)
 *
 * A pool its device does not manage (from dma_pool_create(), or another
 * device's) is the kernel's WARN_ON, and is left as it is.
 *
 * Context: process context; may sleep.
 */
void dmam_pool_destroy(struct dma_pool *pool)
{
	/* The kernel dereferences a NULL pool; a library does nothing, as dma_pool_destroy. */
	if (!pool)
		return;
	WARN_ON(devres_release(pool->dev, dmam_pool_release, dmam_pool_match, pool));
}

ssize_t ukmem_dma_pools_show(struct device *dev, char *buf)
{
	struct dma_pool *pool;
	size_t len;
	bool any = false;

	len = (size_t)scnprintf(buf, PAGE_SIZE, "poolinfo - 0.1\n");
	/* Newest first, as the kernel's dev->dma_pools (list_add) lists them. */
	spin_lock(&dma_pools.lock);
	list_for_each_entry_reverse(pool, &dma_pools.members, pools) {
		size_t active, blocks, pages;

		if (pool->dev != dev)
			continue;
		any = true;
		spin_lock(&pool->lock);
		pool_take_parked(pool);
		active = pool->nr_active;
		blocks = pool->nr_blocks;
		pages = pool->nr_pages;
		spin_unlock(&pool->lock);
		/* The kernel's columns; vsprintf allocates nothing. */
		len += (size_t)scnprintf(buf + len, PAGE_SIZE - len, "%-16s %4zu %4zu %4u %2zu\n",
					 pool->name, active, blocks, pool->size, pages);
	}
	spin_unlock(&dma_pools.lock);
	return any ? (ssize_t)len : -ENOENT;
}

/* tests/test_dmapool.c: the lock, to hold it as the code a handler interrupts would. */
spinlock_t *dma_pool_lock_for_tests(struct dma_pool *pool)
{
	return &pool->lock;
}
