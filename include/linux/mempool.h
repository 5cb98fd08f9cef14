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

/*
 * struct mempool since v6.19, struct mempool_s before: both names work.
 */
#define mempool_s	mempool
typedef struct mempool {
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
UKMEM_API_END
/*
 * v7.0: an element from the pool's allocator with @gfp as given, never
 * from the reserve and without waiting for one to come back; NULL if the
 * allocator fails.
 */
#define mempool_alloc_noreserve(pool, gfp)	((pool)->alloc((gfp), (pool)->pool_data))
UKMEM_API_BEGIN
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
/**
 * mempool_alloc_bulk - fill an array with elements, never failing (v6.19+)
 * @pool: the pool; @count must not exceed its min_nr (warned once)
 * @elems: the array
 * @count: its slots
 * @allocated: (v6.19 form only) how many of them hold an element already
 *
 * Two forms, as the kernel had them.  v6.19's mempool_alloc_bulk(pool,
 * elems, count, allocated) fills the NULL slots of @elems[0..@count) and
 * leaves the others; the later mempool_alloc_bulk(pool, elems, count)
 * fills all @count slots.  alloc_fn is tried first (with GFP_KERNEL as
 * mempool_alloc() adjusts it); when it fails the reserve gives every
 * missing element at once or none, and if it is short the caller waits
 * for mempool_free() or mempool_free_bulk() (waking every 5 seconds to
 * try alloc_fn again), so that two callers each waiting for several
 * elements cannot deadlock over a half-empty reserve, which calling
 * mempool_alloc() in a loop can.  Returns 0.  May sleep: a NOIO or NOFS
 * caller says so with memalloc_noio_save()/memalloc_nofs_save().
 */
int mempool_alloc_bulk_noprof(mempool_t *pool, void **elems, unsigned int count,
			      unsigned int allocated);
/**
 * mempool_free_bulk - refill the reserve from an array (v6.19+)
 * @pool: the pool
 * @elems: elements of this pool
 * @count: how many
 *
 * Returns how many elements, from the start of @elems, went into the
 * reserve (what it lacked; one for an empty zero-minimum pool), waking
 * waiters; the caller frees @elems[ret..@count) itself (with free_fn, or
 * by handing the array to its allocator's bulk free).  Never sleeps.
 */
unsigned int mempool_free_bulk(mempool_t *pool, void **elems, unsigned int count);

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

/* The later three-argument form fills every slot: clear them, then fill. */
static inline int __mempool_alloc_bulk_all(mempool_t *pool, void **elems, unsigned int count)
{
	unsigned int i;

	for (i = 0; i < count; i++)
		elems[i] = NULL;
	return mempool_alloc_bulk_noprof(pool, elems, count, 0);
}
#define __mempool_alloc_bulk_pick(_1, _2, _3, _4, fn, ...)	fn
#define mempool_alloc_bulk(...)						\
	__mempool_alloc_bulk_pick(__VA_ARGS__, mempool_alloc_bulk_noprof,	\
				  __mempool_alloc_bulk_all, , )(__VA_ARGS__)

/* v6.10+ allocation-profiling names. */
#define mempool_alloc_noprof		mempool_alloc
#define mempool_init_noprof		mempool_init
#define mempool_create_node_noprof	mempool_create_node
#define mempool_init_node_noprof	mempool_init_node

UKMEM_C_END

#endif /* _LINUX_MEMPOOL_H */
