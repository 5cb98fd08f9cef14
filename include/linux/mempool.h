/* SPDX-License-Identifier: MIT */
/*
 * linux/mempool.h - memory pools: a reserve of preallocated elements that
 * guarantees forward progress when the allocator underneath runs dry
 * (include/linux/mempool.h, mm/mempool.c).
 *
 * A pool wraps an alloc/free pair (a slab cache, kmalloc of one size, pages
 * of one order, or the caller's own) and keeps min_nr elements in reserve.
 * mempool_alloc() asks the allocator first and dips into the reserve only
 * when it fails; a caller that may sleep (__GFP_DIRECT_RECLAIM) then waits
 * for an element to come back, so it never gets NULL.  mempool_free()
 * refills the reserve before it gives anything back to the allocator.
 *
 * Context rules, as in the kernel: mempool_create*(), mempool_init*(),
 * mempool_resize() may sleep; mempool_alloc() sleeps only if its gfp allows
 * it; mempool_free() and mempool_alloc_preallocated() never sleep (unless
 * the pool's own free_fn does).  Behaviour and the details that differ are
 * in docs/mempool.md.
 */
#ifndef _LINUX_MEMPOOL_H
#define _LINUX_MEMPOOL_H

#include <ukmem/kernel_types.h>
#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/spinlock.h>

UKMEM_C_BEGIN

struct kmem_cache;
struct page;

typedef void *(mempool_alloc_t)(gfp_t gfp_mask, void *pool_data);
typedef void (mempool_free_t)(void *element, void *pool_data);

/*
 * What the kernel keeps in a wait_queue_head_t for the pool: a sequence
 * number the sleepers wait on (a futex word) and how many sleep, so that a
 * free wakes only when someone waits (the kernel's wq_has_sleeper()).
 */
struct ukmem_mempool_waitq {
	u32 seq;
	int sleepers;
};

typedef struct mempool_s {
	spinlock_t lock;
	int min_nr;			/* elements the reserve holds when full */
	int curr_nr;			/* elements in elements[] now */
	void **elements;		/* the reserve, a LIFO stack */

	void *pool_data;
	mempool_alloc_t *alloc;
	mempool_free_t *free;
	struct ukmem_mempool_waitq wait;
	/* ukmem: on the list of live pools that fork() locks (not in the kernel) */
	struct list_head ukmem_pools;
} mempool_t;

/* True once mempool_init*() succeeded (and until mempool_exit()). */
static inline bool mempool_initialized(const mempool_t *pool)
{
	return pool->elements != NULL;
}

/* The reserve is full: curr_nr has reached min_nr. */
static inline bool mempool_is_saturated(const mempool_t *pool)
{
	return READ_ONCE(pool->curr_nr) >= pool->min_nr;
}

UKMEM_API_BEGIN
/**
 * mempool_init_node - set up a pool in caller storage
 * @pool: the storage (its contents are overwritten)
 * @min_nr: elements to keep in reserve (0 is allowed; one element is then
 *	kept anyway so that a waiter can be served, as the kernel does)
 * @alloc_fn, @free_fn: the element allocator; called without any lock held
 * @pool_data: passed to both
 * @gfp_mask: for the element array and the preallocation
 * @node_id: NUMA node of the element array, or NUMA_NO_NODE
 *
 * Returns 0, or -ENOMEM with nothing left allocated.  May sleep if
 * @gfp_mask allows.
 */
int mempool_init_node(mempool_t *pool, int min_nr, mempool_alloc_t *alloc_fn,
		      mempool_free_t *free_fn, void *pool_data, gfp_t gfp_mask, int node_id);
/* mempool_init_node() with GFP_KERNEL and NUMA_NO_NODE.  May sleep. */
int mempool_init(mempool_t *pool, int min_nr, mempool_alloc_t *alloc_fn,
		 mempool_free_t *free_fn, void *pool_data);
/**
 * mempool_exit - release a pool set up with mempool_init*()
 * @pool: the pool; a zeroed, never initialised one is accepted
 *
 * Frees the reserved elements with free_fn and the element array.
 * Elements still handed out are the caller's.  Sleeps only if free_fn does.
 */
void mempool_exit(mempool_t *pool);
/**
 * mempool_create_node - allocate and set up a pool
 *
 * As mempool_init_node(), with the pool itself kmalloc'ed; returns it or
 * NULL.  May sleep if @gfp_mask allows.
 */
mempool_t *mempool_create_node(int min_nr, mempool_alloc_t *alloc_fn, mempool_free_t *free_fn,
			       void *pool_data, gfp_t gfp_mask, int node_id);
/* mempool_create_node() with GFP_KERNEL and NUMA_NO_NODE.  May sleep. */
mempool_t *mempool_create(int min_nr, mempool_alloc_t *alloc_fn, mempool_free_t *free_fn,
			  void *pool_data);
/**
 * mempool_destroy - mempool_exit() and free the pool
 * @pool: from mempool_create*(), or NULL (nothing happens)
 */
void mempool_destroy(mempool_t *pool);
/**
 * mempool_resize - change the reserve's size
 * @pool: the pool
 * @new_min_nr: the new size, > 0 (BUG otherwise, as in the kernel)
 *
 * Shrinking frees the surplus reserved elements.  Growing replaces the
 * element array (-ENOMEM if that fails, nothing changed) and then fills the
 * reserve with GFP_KERNEL allocations as far as they succeed; mempool_free()
 * tops it up later.  Returns 0 otherwise.  May sleep.  mempool_alloc() and
 * mempool_free() may run at the same time; mempool_destroy() must not.
 */
int mempool_resize(mempool_t *pool, int new_min_nr);
/**
 * mempool_alloc - take an element
 * @pool: the pool
 * @gfp_mask: GFP_*; __GFP_ZERO is not supported (warned once)
 *
 * Tries alloc_fn without direct reclaim and IO, then the reserve, then
 * alloc_fn with @gfp_mask; a caller that may sleep then waits for a
 * mempool_free() (waking every 5 seconds to try alloc_fn again) and never
 * gets NULL.  Without __GFP_DIRECT_RECLAIM it returns NULL when both are
 * empty, and never sleeps.
 */
void *mempool_alloc(mempool_t *pool, gfp_t gfp_mask) __malloc;
/**
 * mempool_alloc_preallocated - take an element from the reserve only
 *
 * Never calls alloc_fn, never sleeps; NULL if the reserve is empty.
 */
void *mempool_alloc_preallocated(mempool_t *pool) __malloc;
/**
 * mempool_free - give an element back
 * @element: from this pool's mempool_alloc(), or NULL (nothing happens)
 * @pool: the pool
 *
 * Refills the reserve if it is short (waking a waiting mempool_alloc()),
 * otherwise hands the element to free_fn.  Never sleeps unless free_fn
 * does; callable from any thread and from signal handlers installed with
 * ukmem_sigaction().
 */
void mempool_free(void *element, mempool_t *pool);

/* Helpers: pool_data is a kmem_cache (without a constructor). */
void *mempool_alloc_slab(gfp_t gfp_mask, void *pool_data);
void mempool_free_slab(void *element, void *pool_data);
/* pool_data is the size, (void *)(size_t)size. */
void *mempool_kmalloc(gfp_t gfp_mask, void *pool_data);
void mempool_kfree(void *element, void *pool_data);
void *mempool_kvmalloc(gfp_t gfp_mask, void *pool_data);
void mempool_kvfree(void *element, void *pool_data);
/* pool_data is the order, (void *)(long)order; elements are struct page *. */
void *mempool_alloc_pages(gfp_t gfp_mask, void *pool_data);
void mempool_free_pages(void *element, void *pool_data);
UKMEM_API_END

static inline int mempool_init_slab_pool(mempool_t *pool, int min_nr, struct kmem_cache *kc)
{
	return mempool_init(pool, min_nr, mempool_alloc_slab, mempool_free_slab, (void *)kc);
}

static inline mempool_t *mempool_create_slab_pool(int min_nr, struct kmem_cache *kc)
{
	return mempool_create(min_nr, mempool_alloc_slab, mempool_free_slab, (void *)kc);
}

static inline int mempool_init_kmalloc_pool(mempool_t *pool, int min_nr, size_t size)
{
	return mempool_init(pool, min_nr, mempool_kmalloc, mempool_kfree, (void *)size);
}

static inline mempool_t *mempool_create_kmalloc_pool(int min_nr, size_t size)
{
	return mempool_create(min_nr, mempool_kmalloc, mempool_kfree, (void *)size);
}

static inline int mempool_init_kvmalloc_pool(mempool_t *pool, int min_nr, size_t size)
{
	return mempool_init(pool, min_nr, mempool_kvmalloc, mempool_kvfree, (void *)size);
}

static inline mempool_t *mempool_create_kvmalloc_pool(int min_nr, size_t size)
{
	return mempool_create(min_nr, mempool_kvmalloc, mempool_kvfree, (void *)size);
}

static inline int mempool_init_page_pool(mempool_t *pool, int min_nr, int order)
{
	return mempool_init(pool, min_nr, mempool_alloc_pages, mempool_free_pages,
			    (void *)(long)order);
}

static inline mempool_t *mempool_create_page_pool(int min_nr, int order)
{
	return mempool_create(min_nr, mempool_alloc_pages, mempool_free_pages,
			      (void *)(long)order);
}

/* v6.10+ allocation-profiling names. */
#define mempool_alloc_noprof		mempool_alloc
#define mempool_init_noprof		mempool_init
#define mempool_create_node_noprof	mempool_create_node

UKMEM_C_END

#endif /* _LINUX_MEMPOOL_H */
