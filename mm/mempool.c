// SPDX-License-Identifier: MIT
/*
 * mm/mempool.c - memory pools (the kernel's mm/mempool.c).
 *
 * A pool keeps up to min_nr elements of some allocator in reserve so that
 * an allocation made under memory pressure (typically on the way to freeing
 * memory: block IO, writeback) still makes progress.  Entry points:
 * mempool_init_node/mempool_create_node (and their short forms),
 * mempool_alloc, mempool_free, mempool_resize, mempool_exit/destroy, and
 * the slab, kmalloc and page helpers.
 *
 * The algorithm is the kernel's of late v6.x (mempool_alloc_noprof as in
 * v6.10-v6.18, mempool_free with the zero-minimum-pool fix; the bulk calls
 * of v6.19 below them):
 *
 *  alloc: force __GFP_NOMEMALLOC (leave the emergency reserves to others:
 *	the pool is our reserve), __GFP_NORETRY (do not loop in the page
 *	allocator: the pool is the fallback) and __GFP_NOWARN (failure is
 *	expected).  Try the allocator without __GFP_DIRECT_RECLAIM and
 *	__GFP_IO first; then the reserve; then the allocator again with the
 *	caller's full mask; then, only if the caller may sleep, wait for an
 *	element to be freed - at most 5 * HZ (5 s, the kernel's timeout, kept
 *	since 2.6.18 so that waiters also notice the allocator recovering) -
 *	and start over with the full mask.  A sleeping caller never fails.
 *  free: if the reserve is short, refill it and wake a waiter; otherwise
 *	hand the element to the allocator.  The short-reserve test runs
 *	without the lock; see mempool_free() for why that is enough.
 *
 * Waiting: the kernel's wait queue becomes a futex word (pool->wait.seq)
 * with a sleeper count; a waiter samples seq under pool->lock, so a free
 * that adds an element after the waiter looked bumps seq before waking
 * and the waiter's arch_wait() returns at once.
 *
 * Signal handlers (ukmem's interrupt context, in_hardirq()) take
 * pool->lock only with a trylock: the handler may have interrupted its own
 * thread inside the lock, where the kernel would have disabled interrupts.
 * A handler that finds it busy treats the reserve as unavailable: its
 * (non-sleeping) mempool_alloc may return NULL, its mempool_free gives the
 * element to free_fn.
 *
 * Lock order: mempool_list's lock -> pool->lock.  alloc_fn and free_fn are
 * never called with either held, and nothing is allocated under them.
 * fork() takes both (FORK_ORDER_MEMPOOL), so a child never inherits a pool
 * locked by a thread that does not exist there.
 */
#include <errno.h>
#include <string.h>

#include <linux/mempool.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/atomic.h>
#include "arch/host.h"
#include "kernel/fork.h"
#include "kernel/locking.h"
#include "mm/internal.h"
#include "mm/slab.h"

/* The kernel's io_schedule_timeout(5*HZ) in mempool_alloc(). */
#define MEMPOOL_WAIT_JIFFIES	(5 * HZ)
#define NSEC_PER_JIFFY		(1000000000L / HZ)

/* ---- the list of live pools, for fork() ---- */

DEFINE_FORK_LOCK_LIST(mempool_list, "mempool", FORK_ORDER_MEMPOOL, LOCK_RANK_MEMPOOL_LIST,
		      mempool_t, ukmem_pools, lock);

static void mempool_register(mempool_t *pool)
{
	fork_lock_list_add(&mempool_list, &pool->ukmem_pools);
}

/* A zeroed pool that mempool_init never saw is on no list. */
static void mempool_unregister(mempool_t *pool)
{
	fork_lock_list_del(&mempool_list, &pool->ukmem_pools);
}

/* ---- pool->lock, safe in signal handlers ---- */

static inline bool pool_lock(mempool_t *pool)
{
	return spin_lock_or_try(&pool->lock);
}

static inline void pool_unlock(mempool_t *pool)
{
	spin_unlock(&pool->lock);
}

/* ---- the reserve: a LIFO stack of elements; pool->lock held ---- */

/*
 * The tools (mm/sanitizers.c): an element in the reserve is off limits, as
 * the kernel's kasan_poison_element() makes it, for the pools whose element
 * size is known; taken out, the bytes it had are open (and defined) again.
 */
static void *element_span(const mempool_t *pool, void *element, size_t *size)
{
	if (pool->alloc == mempool_alloc_slab) {
		*size = ((struct kmem_cache *)pool->pool_data)->object_size;
	} else if (pool->alloc == mempool_kmalloc) {
		*size = (size_t)pool->pool_data;
	} else if (pool->alloc == mempool_alloc_pages) {
		*size = PAGE_SIZE << (unsigned int)(long)pool->pool_data;
		return PageHighMem((struct page *)element) ? NULL : page_address(element);
	} else {
		return NULL;
	}
	return element;
}

static void tools_element(const mempool_t *pool, void *element, bool open)
{
	size_t size;
	void *p = element_span(pool, element, &size);

	if (!p)
		return;
	if (open)
		tool_pages_alloc(p, size, true);
	else
		tool_pages_free(p, size);
}

/*
 * The kernel's kasan_mempool_poison_object()/_pages() checks, under a tool:
 * an element given back must be a block the tools see open, from its
 * start.  One already closed (back in the reserve or freed) is a double
 * free; a pointer into an object, or into a large kmalloc, an invalid
 * free.  Either is reported and the element is not taken (add_element).
 */
static bool tools_element_ok(const mempool_t *pool, void *element)
{
	size_t size;
	void *p = element_span(pool, element, &size);
	struct page *head;

	if (!p)
		return true;
	if (pool->alloc != mempool_alloc_pages) {
		struct slab *slab = virt_to_slab(p);

		if (slab) {
			if (!slab_valid_pointer_unlocked(slab->slab_cache, slab, p)) {
				tool_report_bad_pointer(p, "invalid-free", "mempool_free");
				return false;
			}
		} else {
			head = virt_to_head_page(p);
			if (p != page_address(head)) {
				tool_report_bad_pointer(p, "invalid-free", "mempool_free");
				return false;
			}
		}
	}
	if (!tool_block_size(p, 1)) {
		tool_report_bad_pointer(p, "double-free", "mempool_free");
		return false;
	}
	return true;
}

/*
 * Into the reserve.  Under a tool an element that fails its check is
 * dropped, as the kernel's add_element() drops one KASAN reported: it is
 * neither kept nor freed.
 */
static void add_element(mempool_t *pool, void *element)
{
	/* A zero-minimum pool may hold one element (see mempool_free). */
	BUG_ON(pool->min_nr != 0 && pool->curr_nr >= pool->min_nr);
	if (unlikely(slab_tools_active)) {
		if (!tools_element_ok(pool, element))
			return;
		tools_element(pool, element, false);
	}
	pool->elements[pool->curr_nr] = element;
	WRITE_ONCE(pool->curr_nr, pool->curr_nr + 1);	/* mempool_free peeks without the lock */
}

static void *remove_element(mempool_t *pool)
{
	void *element;

	WRITE_ONCE(pool->curr_nr, pool->curr_nr - 1);
	element = pool->elements[pool->curr_nr];

	BUG_ON(pool->curr_nr < 0);
	if (unlikely(slab_tools_active))
		tools_element(pool, element, true);
	return element;
}

/* ---- the wait queue ---- */

static void mempool_wake_waiters(mempool_t *pool)
{
	/* wq_has_sleeper(): order the element store before the sleeper test. */
	smp_mb();
	if (__atomic_load_n(&pool->wait.sleepers, __ATOMIC_RELAXED)) {
		__atomic_add_fetch(&pool->wait.seq, 1, __ATOMIC_RELEASE);
		arch_wake_all(&pool->wait.seq);
	}
}

/*
 * Under the pool's lock, found it short: become a sleeper and sample seq
 * before the lock goes (prepare_to_wait()), so that a free adding an
 * element after this point changes seq and the wait does not sleep; then
 * sleep until such a free or MEMPOOL_WAIT_JIFFIES (finish_wait()).
 */
static void mempool_wait_unlock(mempool_t *pool)
{
	u32 seq;

	__atomic_add_fetch(&pool->wait.sleepers, 1, __ATOMIC_RELAXED);
	seq = __atomic_load_n(&pool->wait.seq, __ATOMIC_RELAXED);
	pool_unlock(pool);
	arch_wait(&pool->wait.seq, seq, MEMPOOL_WAIT_JIFFIES * NSEC_PER_JIFFY);
	__atomic_sub_fetch(&pool->wait.sleepers, 1, __ATOMIC_RELAXED);
}

/* ---- setting up and tearing down ---- */

void mempool_exit(mempool_t *pool)
{
	while (pool->curr_nr) {
		void *element = remove_element(pool);

		pool->free(element, pool->pool_data);
	}
	kfree(pool->elements);
	pool->elements = NULL;
	mempool_unregister(pool);
}

void mempool_destroy(mempool_t *pool)
{
	if (unlikely(!pool))
		return;
	mempool_exit(pool);
	kfree(pool);
}

int mempool_init_node(mempool_t *pool, int min_nr, mempool_alloc_t *alloc_fn,
		      mempool_free_t *free_fn, void *pool_data, gfp_t gfp_mask, int node_id)
{
	memset(pool, 0, sizeof(*pool));
	spin_lock_init_ranked(&pool->lock, LOCK_RANK_MEMPOOL);
	pool->min_nr = min_nr;
	pool->pool_data = pool_data;
	pool->alloc = alloc_fn;
	pool->free = free_fn;

	/* Room for one element at least: a zero-minimum pool keeps one. */
	pool->elements = kmalloc_array_node(max(1, min_nr), sizeof(void *), gfp_mask, node_id);
	if (!pool->elements)
		return -ENOMEM;

	while (pool->curr_nr < max(1, pool->min_nr)) {
		void *element = pool->alloc(gfp_mask, pool->pool_data);

		if (unlikely(!element)) {
			mempool_exit(pool);
			return -ENOMEM;
		}
		add_element(pool, element);
	}
	mempool_register(pool);
	return 0;
}

int mempool_init(mempool_t *pool, int min_nr, mempool_alloc_t *alloc_fn,
		 mempool_free_t *free_fn, void *pool_data)
{
	return mempool_init_node(pool, min_nr, alloc_fn, free_fn, pool_data, GFP_KERNEL,
				 NUMA_NO_NODE);
}

mempool_t *mempool_create_node(int min_nr, mempool_alloc_t *alloc_fn, mempool_free_t *free_fn,
			       void *pool_data, gfp_t gfp_mask, int node_id)
{
	mempool_t *pool = kzalloc_node(sizeof(*pool), gfp_mask, node_id);

	if (!pool)
		return NULL;
	if (mempool_init_node(pool, min_nr, alloc_fn, free_fn, pool_data, gfp_mask, node_id)) {
		kfree(pool);
		return NULL;
	}
	return pool;
}

mempool_t *mempool_create(int min_nr, mempool_alloc_t *alloc_fn, mempool_free_t *free_fn,
			  void *pool_data)
{
	return mempool_create_node(min_nr, alloc_fn, free_fn, pool_data, GFP_KERNEL, NUMA_NO_NODE);
}

int mempool_resize(mempool_t *pool, int new_min_nr)
{
	void **new_elements;
	void *element;

	BUG_ON(new_min_nr <= 0);
	might_sleep();

	spin_lock(&pool->lock);
	if (new_min_nr <= pool->min_nr) {
		/* Shrink: free the surplus, never with the lock held. */
		while (new_min_nr < pool->curr_nr) {
			element = remove_element(pool);
			spin_unlock(&pool->lock);
			pool->free(element, pool->pool_data);
			spin_lock(&pool->lock);
		}
		WRITE_ONCE(pool->min_nr, new_min_nr);	/* the frees' unlocked test reads it */
		spin_unlock(&pool->lock);
		return 0;
	}
	spin_unlock(&pool->lock);

	/* Grow: a new array first; on failure nothing has changed. */
	new_elements = kmalloc_array(new_min_nr, sizeof(*new_elements), GFP_KERNEL);
	if (!new_elements)
		return -ENOMEM;

	spin_lock(&pool->lock);
	if (unlikely(new_min_nr <= pool->min_nr)) {
		/* A concurrent resize grew it at least as far. */
		spin_unlock(&pool->lock);
		kfree(new_elements);
		return 0;
	}
	memcpy(new_elements, pool->elements, pool->curr_nr * sizeof(*new_elements));
	/* kfree never sleeps and never takes a lock a pool user could hold. */
	kfree(pool->elements);
	pool->elements = new_elements;
	WRITE_ONCE(pool->min_nr, new_min_nr);

	/* Fill as far as the allocator lets us; frees top up the rest. */
	while (pool->curr_nr < pool->min_nr) {
		spin_unlock(&pool->lock);
		element = pool->alloc(GFP_KERNEL, pool->pool_data);
		if (!element)
			return 0;
		spin_lock(&pool->lock);
		if (pool->curr_nr < pool->min_nr) {
			add_element(pool, element);
		} else {
			/* Frees filled it meanwhile. */
			spin_unlock(&pool->lock);
			pool->free(element, pool->pool_data);
			return 0;
		}
	}
	spin_unlock(&pool->lock);
	return 0;
}

/* ---- allocating and freeing ---- */

void *mempool_alloc(mempool_t *pool, gfp_t gfp_mask)
{
	void *element;
	gfp_t gfp_temp;

	VM_WARN_ON_ONCE(gfp_mask & __GFP_ZERO);
	might_sleep_if(gfpflags_allow_blocking(gfp_mask));

	gfp_mask |= __GFP_NOMEMALLOC | __GFP_NORETRY | __GFP_NOWARN;
	/* The first round neither reclaims nor starts IO: the reserve may do. */
	gfp_temp = gfp_mask & ~(__GFP_DIRECT_RECLAIM | __GFP_IO);

	for (;;) {
		element = pool->alloc(gfp_temp, pool->pool_data);
		if (likely(element))
			return element;

		if (likely(pool_lock(pool))) {
			if (likely(pool->curr_nr)) {
				element = remove_element(pool);
				pool_unlock(pool);
				/* Pairs with the smp_rmb() in mempool_free(). */
				smp_wmb();
				return element;
			}
		} else if (gfp_temp != gfp_mask) {
			/* A signal handler that found the lock busy: try harder first. */
			gfp_temp = gfp_mask;
			continue;
		} else {
			return NULL;	/* in_hardirq(): never sleeps */
		}

		/* Reserve empty after a light attempt: retry with the full mask. */
		if (gfp_temp != gfp_mask) {
			pool_unlock(pool);
			gfp_temp = gfp_mask;
			continue;
		}

		/* A caller that may not sleep gets NULL. */
		if (!(gfp_mask & __GFP_DIRECT_RECLAIM)) {
			pool_unlock(pool);
			return NULL;
		}

		mempool_wait_unlock(pool);
	}
}

void *mempool_alloc_preallocated(mempool_t *pool)
{
	void *element = NULL;

	if (!pool_lock(pool))
		return NULL;
	if (likely(pool->curr_nr)) {
		element = remove_element(pool);
		pool_unlock(pool);
		/* Pairs with the smp_rmb() in mempool_free(). */
		smp_wmb();
		return element;
	}
	pool_unlock(pool);
	return NULL;
}

/* ---- bulk allocation and freeing (v6.19) ---- */

/*
 * The kernel's mempool_alloc_from_pool() for several elements: fill every
 * NULL slot of @elems[0..@count) from the reserve if it holds enough for
 * all of them, else none (a reserve split between several bulk callers
 * could leave each short for ever).  Short and @may_wait: sleep until a
 * free adds elements or 5 seconds pass, then let the caller try alloc_fn
 * again.  Returns how many slots hold an element.
 */
static unsigned int take_reserved(mempool_t *pool, void **elems, unsigned int count,
				  unsigned int allocated, bool may_wait)
{
	unsigned int i;

	if (!pool_lock(pool))
		return allocated;
	if (likely(pool->curr_nr >= (int)(count - allocated))) {
		for (i = 0; i < count; i++)
			if (!elems[i])
				elems[i] = remove_element(pool);
		pool_unlock(pool);
		/* Pairs with the smp_rmb() in mempool_free_bulk(). */
		smp_wmb();
		return count;
	}
	if (!may_wait) {
		pool_unlock(pool);
		return allocated;
	}
	mempool_wait_unlock(pool);
	return allocated;
}

int mempool_alloc_bulk_noprof(mempool_t *pool, void **elems, unsigned int count,
			      unsigned int allocated)
{
	/* GFP_KERNEL adjusted as mempool_alloc() adjusts any mask. */
	gfp_t gfp_mask = GFP_KERNEL | __GFP_NOMEMALLOC | __GFP_NORETRY | __GFP_NOWARN;
	gfp_t gfp_temp = gfp_mask & ~(__GFP_DIRECT_RECLAIM | __GFP_IO);
	unsigned int i;

	VM_WARN_ON_ONCE(count > (unsigned int)READ_ONCE(pool->min_nr));
	might_sleep();

	/*
	 * The caller's @allocated is the kernel's contract; counting the
	 * filled slots gives the same number and cannot be wrong.
	 */
	for (allocated = 0, i = 0; i < count; i++)
		allocated += elems[i] != NULL;

	for (;;) {
		for (i = 0; i < count; i++) {
			if (elems[i])
				continue;
			elems[i] = pool->alloc(gfp_temp, pool->pool_data);
			if (unlikely(!elems[i]))
				break;
			allocated++;
		}
		if (i == count)
			return 0;
		/* The first round only looks at the reserve; later ones wait for it. */
		allocated = take_reserved(pool, elems, count, allocated, gfp_temp == gfp_mask);
		if (allocated == count)
			return 0;
		gfp_temp = gfp_mask;
	}
}

unsigned int mempool_free_bulk(mempool_t *pool, void **elems, unsigned int count)
{
	unsigned int freed = 0;

	if (unlikely(!count))
		return 0;
	/* mempool_free() explains the barrier and the unlocked tests. */
	smp_rmb();
	if (unlikely(READ_ONCE(pool->curr_nr) < READ_ONCE(pool->min_nr))) {
		if (pool_lock(pool)) {
			while (pool->curr_nr < pool->min_nr && freed < count)
				add_element(pool, elems[freed++]);
			pool_unlock(pool);
		}
	} else if (unlikely(READ_ONCE(pool->min_nr) == 0 && READ_ONCE(pool->curr_nr) == 0)) {
		if (pool_lock(pool)) {
			if (likely(pool->curr_nr == 0))
				add_element(pool, elems[freed++]);
			pool_unlock(pool);
		}
	}
	if (freed)
		mempool_wake_waiters(pool);
	return freed;
}

void mempool_free(void *element, mempool_t *pool)
{
	bool added = false;

	if (unlikely(!element))
		return;

	/*
	 * Pairs with the smp_wmb() after remove_element(): an element handed
	 * to this thread without any barrier (a pointer another thread
	 * published and this one polled) must not let the load of curr_nr
	 * below see a value from before the element left the reserve.
	 */
	smp_rmb();

	/*
	 * The unlocked test must fire whenever curr_nr plus the elements
	 * handed out equals min_nr, or a waiter could wait for a free that
	 * never refills.  It does: the curr_nr seen here is no older than
	 * this element's allocation, so if the allocation took the reserve
	 * below min_nr the test sees it below min_nr, unless another free
	 * has refilled it since - and then that free carries the guarantee.
	 * Waiters exist only while curr_nr is 0, so frees that refill are
	 * what wakes them.
	 *
	 * A zero-minimum pool never satisfies curr_nr < min_nr; it keeps
	 * one element instead when empty, so its waiters are woken too.
	 */
	if (unlikely(READ_ONCE(pool->curr_nr) < READ_ONCE(pool->min_nr))) {
		if (pool_lock(pool)) {
			if (likely(pool->curr_nr < pool->min_nr)) {
				add_element(pool, element);
				added = true;
			}
			pool_unlock(pool);
		}
	} else if (unlikely(READ_ONCE(pool->min_nr) == 0 && READ_ONCE(pool->curr_nr) == 0)) {
		if (pool_lock(pool)) {
			if (likely(pool->curr_nr == 0)) {
				add_element(pool, element);
				added = true;
			}
			pool_unlock(pool);
		}
	}

	if (added) {
		mempool_wake_waiters(pool);
		return;
	}
	pool->free(element, pool->pool_data);
}

/* ---- the common allocators ---- */

void *mempool_alloc_slab(gfp_t gfp_mask, void *pool_data)
{
	struct kmem_cache *s = pool_data;

	/* A constructed object would lose its state on the way through the pool. */
	VM_BUG_ON(s->ctor);
	return kmem_cache_alloc(s, gfp_mask);
}

void mempool_free_slab(void *element, void *pool_data)
{
	kmem_cache_free(pool_data, element);
}

void *mempool_kmalloc(gfp_t gfp_mask, void *pool_data)
{
	return kmalloc((size_t)pool_data, gfp_mask);
}

void mempool_kfree(void *element, void *pool_data)
{
	kfree(element);
}

void *mempool_kvmalloc(gfp_t gfp_mask, void *pool_data)
{
	return kvmalloc((size_t)pool_data, gfp_mask);
}

void mempool_kvfree(void *element, void *pool_data)
{
	kvfree(element);
}

void *mempool_alloc_pages(gfp_t gfp_mask, void *pool_data)
{
	return alloc_pages(gfp_mask, (unsigned int)(long)pool_data);
}

void mempool_free_pages(void *element, void *pool_data)
{
	__free_pages(element, (unsigned int)(long)pool_data);
}
