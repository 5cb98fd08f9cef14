// SPDX-License-Identifier: MIT
/*
 * lib/genalloc.c - general-purpose special-memory pools (the kernel's
 * lib/genalloc.c; Documentation/core-api/genalloc.rst).
 *
 * Entry points: gen_pool_create(), gen_pool_add*(), gen_pool_alloc*() and
 * gen_pool_dma_*alloc*(), gen_pool_free*(), gen_pool_destroy(), the
 * allocation algorithms, the queries, devm_gen_pool_create()/gen_pool_get().
 *
 * Design
 * 1. A pool is a list of chunks, each a range of the caller's memory and a
 *    bitmap with one bit per 2^min_alloc_order bytes.  An allocation of n
 *    bytes takes ceil(n / unit) bits in a row of one chunk; the newest
 *    chunk is tried first, and a chunk with fewer free bytes than asked
 *    is skipped without a search.
 * 2. No lock on the allocation path, as in the kernel: the algorithm picks
 *    a candidate run of clear bits from a relaxed read of the bitmap, and
 *    the run is claimed one word at a time with compare-and-swap.  If
 *    another thread took a bit first, what was claimed is given back and
 *    the search resumes.  A free clears its bits the same way.  So a
 *    signal handler may allocate from a pool whose allocation it
 *    interrupted (the kernel's NMI safety).
 * 3. Chunks are only ever added (under the pool's lock, published as an
 *    RCU list) and all freed together by gen_pool_destroy(); readers walk
 *    the list under rcu_read_lock().
 * 4. The kernel BUG()s on a free of memory no chunk holds, on a free
 *    of bits not in use and on destroying a pool with memory out.  A
 *    library must not kill its program for a caller's mistake: these
 *    WARN and change nothing (the pool is destroyed leaving the memory in
 *    use alone, which was never the pool's to free anyway).
 * 5. fork() takes every live pool's lock (the list of them first,
 *    FORK_ORDER_GENPOOL), as for mempools: a child never inherits a pool
 *    locked by a gen_pool_add() of a thread it does not have (its own
 *    gen_pool_add() on that pool would spin for ever).
 */
#include <errno.h>
#include <string.h>

#include <linux/bug.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/genalloc.h>
#include <linux/log2.h>
#include <linux/rculist.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include "kernel/fork.h"
#include "kernel/locking.h"

/* ---- the list of live pools, for fork() (design 5) ---- */

DEFINE_FORK_LOCK_LIST(gen_pools, "genalloc", FORK_ORDER_GENPOOL, LOCK_RANK_GENPOOL_LIST,
		      struct gen_pool, ukmem_pools, lock);

/* The first pool registers the step: gen_pool_create() has booted. */
static void gen_pool_register(struct gen_pool *pool)
{
	fork_lock_list_add(&gen_pools, &pool->ukmem_pools);
}

static void gen_pool_unregister(struct gen_pool *pool)
{
	fork_lock_list_del(&gen_pools, &pool->ukmem_pools);
}

static inline size_t chunk_size(const struct gen_pool_chunk *chunk)
{
	return chunk->end_addr - chunk->start_addr + 1;
}

/* Set @mask's bits in *@word if all are clear: 0, or -EBUSY (another thread has one). */
static int set_bits_ll(unsigned long *word, unsigned long mask)
{
	unsigned long val = __atomic_load_n(word, __ATOMIC_RELAXED);

	do {
		if (val & mask)
			return -EBUSY;
	} while (!__atomic_compare_exchange_n(word, &val, val | mask, false, __ATOMIC_ACQ_REL,
					      __ATOMIC_RELAXED));
	return 0;
}

/* Clear @mask's bits in *@word if all are set: 0, or -EBUSY. */
static int clear_bits_ll(unsigned long *word, unsigned long mask)
{
	unsigned long val = __atomic_load_n(word, __ATOMIC_RELAXED);

	do {
		if ((val & mask) != mask)
			return -EBUSY;
	} while (!__atomic_compare_exchange_n(word, &val, val & ~mask, false, __ATOMIC_ACQ_REL,
					      __ATOMIC_RELAXED));
	return 0;
}

/*
 * Set (or clear) @nr bits from @start, a word at a time, each word only if
 * none (all) of its bits in the range were already set.  Returns 0, or the
 * number of bits left undone when a word was found taken (or free): the
 * caller undoes the nr - left it did.
 */
static unsigned int bitmap_update_ll(unsigned long *map, unsigned long start, unsigned int nr,
				     bool set)
{
	unsigned long *word = map + BIT_WORD(start);
	unsigned long end = start + nr;
	unsigned long mask = BITMAP_FIRST_WORD_MASK(start);
	unsigned int in_word = BITS_PER_LONG - start % BITS_PER_LONG;

	while (nr >= in_word) {
		if (set ? set_bits_ll(word, mask) : clear_bits_ll(word, mask))
			return nr;
		nr -= in_word;
		in_word = BITS_PER_LONG;
		mask = ~0UL;
		word++;
	}
	if (nr) {
		mask &= BITMAP_LAST_WORD_MASK(end);
		if (set ? set_bits_ll(word, mask) : clear_bits_ll(word, mask))
			return nr;
	}
	return 0;
}

/**
 * gen_pool_create - a new, empty pool
 * @min_alloc_order: log2 of the bytes each bitmap bit tracks (3: 8-byte units)
 * @nid: node for the pool's own structure, or -1
 *
 * Returns the pool, or NULL if memory ran out.  Context: may sleep.
 */
struct gen_pool *gen_pool_create(int min_alloc_order, int nid)
{
	struct gen_pool *pool = kmalloc_node(sizeof(*pool), GFP_KERNEL, nid);

	if (!pool)
		return NULL;
	spin_lock_init_ranked(&pool->lock, LOCK_RANK_GENPOOL);
	INIT_LIST_HEAD(&pool->chunks);
	pool->min_alloc_order = min_alloc_order;
	pool->algo = gen_pool_first_fit;
	pool->data = NULL;
	pool->name = NULL;
	gen_pool_register(pool);
	return pool;
}

/**
 * gen_pool_add_owner - add @size bytes at @virt to @pool
 * @phys: their physical address, or -1; @nid: node for the chunk's bitmap
 * @owner: a cookie gen_pool_alloc_owner() and gen_pool_free_owner() report
 *
 * Returns 0, or -ENOMEM.  Context: may sleep.
 */
int gen_pool_add_owner(struct gen_pool *pool, unsigned long virt, phys_addr_t phys, size_t size,
		       int nid, void *owner)
{
	unsigned long nbits = size >> pool->min_alloc_order;
	struct gen_pool_chunk *chunk;

	chunk = kzalloc_node(sizeof(*chunk) + BITS_TO_LONGS(nbits) * sizeof(long), GFP_KERNEL,
			     nid);
	if (unlikely(!chunk))
		return -ENOMEM;
	chunk->phys_addr = phys;
	chunk->owner = owner;
	chunk->start_addr = virt;
	chunk->end_addr = virt + size - 1;
	atomic_long_set(&chunk->avail, (long)size);

	spin_lock(&pool->lock);
	list_add_rcu(&chunk->next_chunk, &pool->chunks);
	spin_unlock(&pool->lock);
	return 0;
}

/** gen_pool_virt_to_phys - the physical address of @addr in @pool, or -1. */
phys_addr_t gen_pool_virt_to_phys(struct gen_pool *pool, unsigned long addr)
{
	struct gen_pool_chunk *chunk;
	phys_addr_t paddr = (phys_addr_t)-1;

	rcu_read_lock();
	list_for_each_entry_rcu(chunk, &pool->chunks, next_chunk) {
		if (addr >= chunk->start_addr && addr <= chunk->end_addr) {
			paddr = chunk->phys_addr + (addr - chunk->start_addr);
			break;
		}
	}
	rcu_read_unlock();
	return paddr;
}

/**
 * gen_pool_destroy - free @pool and its bookkeeping (not the memory added)
 *
 * Memory still allocated from it is the caller's mistake: a warning naming
 * the first unit in use (the kernel's BUG).  Context: may sleep.
 */
void gen_pool_destroy(struct gen_pool *pool)
{
	struct gen_pool_chunk *chunk, *next;
	int order = pool->min_alloc_order;

	gen_pool_unregister(pool);
	list_for_each_entry_safe(chunk, next, &pool->chunks, next_chunk) {
		unsigned long end_bit = chunk_size(chunk) >> order;
		unsigned long bit = find_next_bit(chunk->bits, end_bit, 0);

		WARN(bit < end_bit, "gen_pool_destroy: %s: memory at 0x%lx still allocated\n",
		     pool->name ? pool->name : "pool", chunk->start_addr + (bit << order));
		list_del(&chunk->next_chunk);
		kfree(chunk);
	}
	kfree_const(pool->name);
	kfree(pool);
}

/**
 * gen_pool_alloc_algo_owner - @size bytes from @pool chosen by @algo
 * @data: @algo's argument; @owner: where to store the chunk's owner, or NULL
 *
 * Returns the address, or 0 (also for @size 0).  Never sleeps; safe from
 * a signal handler (design 2).
 */
unsigned long gen_pool_alloc_algo_owner(struct gen_pool *pool, size_t size, genpool_algo_t algo,
					void *data, void **owner)
{
	struct gen_pool_chunk *chunk;
	unsigned long addr = 0;
	int order = pool->min_alloc_order;
	unsigned int nbits;

	if (owner)
		*owner = NULL;
	if (size == 0)
		return 0;
	nbits = (unsigned int)((size + (1UL << order) - 1) >> order);

	rcu_read_lock();
	list_for_each_entry_rcu(chunk, &pool->chunks, next_chunk) {
		unsigned long end_bit, start_bit = 0;
		unsigned int left;

		if (size > (size_t)atomic_long_read(&chunk->avail))
			continue;
		end_bit = chunk_size(chunk) >> order;
		for (;;) {
			start_bit = algo(chunk->bits, end_bit, start_bit, nbits, data, pool,
					 chunk->start_addr);
			if (start_bit >= end_bit)
				break;
			left = bitmap_update_ll(chunk->bits, start_bit, nbits, true);
			if (!left)
				break;
			/* Someone took a bit of this run: give back ours, search again. */
			WARN_ON(bitmap_update_ll(chunk->bits, start_bit, nbits - left, false));
		}
		if (start_bit >= end_bit)
			continue;
		addr = chunk->start_addr + (start_bit << order);
		atomic_long_sub((long)nbits << order, &chunk->avail);
		if (owner)
			*owner = chunk->owner;
		break;
	}
	rcu_read_unlock();
	return addr;
}

/**
 * gen_pool_dma_alloc_algo - gen_pool_alloc_algo() as a pointer, with its
 * physical address in *@dma (if @dma); NULL on failure or a NULL @pool.
 */
void *gen_pool_dma_alloc_algo(struct gen_pool *pool, size_t size, dma_addr_t *dma,
			      genpool_algo_t algo, void *data)
{
	unsigned long vaddr;

	if (!pool)
		return NULL;
	vaddr = gen_pool_alloc_algo(pool, size, algo, data);
	if (!vaddr)
		return NULL;
	if (dma)
		*dma = gen_pool_virt_to_phys(pool, vaddr);
	return (void *)vaddr;
}

/** gen_pool_dma_alloc - by the pool's own algorithm. */
void *gen_pool_dma_alloc(struct gen_pool *pool, size_t size, dma_addr_t *dma)
{
	return pool ? gen_pool_dma_alloc_algo(pool, size, dma, pool->algo, pool->data) : NULL;
}

/** gen_pool_dma_alloc_align - aligned to @align bytes (a power of two). */
void *gen_pool_dma_alloc_align(struct gen_pool *pool, size_t size, dma_addr_t *dma, int align)
{
	struct genpool_data_align data = { .align = align };

	return gen_pool_dma_alloc_algo(pool, size, dma, gen_pool_first_fit_align, &data);
}

/** gen_pool_dma_zalloc_algo - gen_pool_dma_alloc_algo(), zeroed. */
void *gen_pool_dma_zalloc_algo(struct gen_pool *pool, size_t size, dma_addr_t *dma,
			       genpool_algo_t algo, void *data)
{
	void *vaddr = gen_pool_dma_alloc_algo(pool, size, dma, algo, data);

	if (vaddr)
		memset(vaddr, 0, size);
	return vaddr;
}

void *gen_pool_dma_zalloc(struct gen_pool *pool, size_t size, dma_addr_t *dma)
{
	return pool ? gen_pool_dma_zalloc_algo(pool, size, dma, pool->algo, pool->data) : NULL;
}

void *gen_pool_dma_zalloc_align(struct gen_pool *pool, size_t size, dma_addr_t *dma, int align)
{
	struct genpool_data_align data = { .align = align };

	return gen_pool_dma_zalloc_algo(pool, size, dma, gen_pool_first_fit_align, &data);
}

/**
 * gen_pool_free_owner - give back @size bytes at @addr
 * @owner: where to store the chunk's owner, or NULL
 *
 * A range no chunk holds whole, or that is not all in use, gets a warning
 * and nothing is freed (the kernel's BUG; design 4).  Never sleeps.
 */
void gen_pool_free_owner(struct gen_pool *pool, unsigned long addr, size_t size, void **owner)
{
	struct gen_pool_chunk *chunk;
	int order = pool->min_alloc_order;
	unsigned int nbits = (unsigned int)((size + (1UL << order) - 1) >> order);

	if (owner)
		*owner = NULL;
	rcu_read_lock();
	list_for_each_entry_rcu(chunk, &pool->chunks, next_chunk) {
		unsigned long start_bit;
		unsigned int left;

		if (addr < chunk->start_addr || addr > chunk->end_addr)
			continue;
		rcu_read_unlock();
		if (WARN(addr + size - 1 > chunk->end_addr,
			 "gen_pool_free: 0x%lx + %zu ends past its chunk\n", addr, size))
			return;
		start_bit = (addr - chunk->start_addr) >> order;
		left = bitmap_update_ll(chunk->bits, start_bit, nbits, false);
		if (WARN(left, "gen_pool_free: 0x%lx + %zu was not allocated\n", addr, size)) {
			/* Put back what was cleared: the range is as it was. */
			bitmap_update_ll(chunk->bits, start_bit, nbits - left, true);
			return;
		}
		atomic_long_add((long)nbits << order, &chunk->avail);
		if (owner)
			*owner = chunk->owner;
		return;
	}
	rcu_read_unlock();
	WARN(1, "gen_pool_free: 0x%lx is not in the pool\n", addr);
}

/**
 * gen_pool_for_each_chunk - call @func for each chunk, newest first, under
 * rcu_read_lock() (it must not sleep).
 */
void gen_pool_for_each_chunk(struct gen_pool *pool,
			     void (*func)(struct gen_pool *pool, struct gen_pool_chunk *chunk,
					  void *data),
			     void *data)
{
	struct gen_pool_chunk *chunk;

	rcu_read_lock();
	list_for_each_entry_rcu(chunk, &pool->chunks, next_chunk)
		func(pool, chunk, data);
	rcu_read_unlock();
}

/** gen_pool_has_addr - does one chunk hold all of [@start, @start + @size)? */
bool gen_pool_has_addr(struct gen_pool *pool, unsigned long start, size_t size)
{
	unsigned long end = start + size - 1;
	struct gen_pool_chunk *chunk;
	bool found = false;

	rcu_read_lock();
	list_for_each_entry_rcu(chunk, &pool->chunks, next_chunk) {
		if (start >= chunk->start_addr && start <= chunk->end_addr) {
			found = end <= chunk->end_addr;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}

/* The sum over @pool's chunks of their free bytes (@free) or of their sizes. */
static size_t sum_chunks(struct gen_pool *pool, bool free)
{
	struct gen_pool_chunk *chunk;
	size_t total = 0;

	rcu_read_lock();
	list_for_each_entry_rcu(chunk, &pool->chunks, next_chunk)
		total += free ? (size_t)atomic_long_read(&chunk->avail) : chunk_size(chunk);
	rcu_read_unlock();
	return total;
}

/** gen_pool_avail - free bytes in @pool. */
size_t gen_pool_avail(struct gen_pool *pool)
{
	return sum_chunks(pool, true);
}

/** gen_pool_size - bytes @pool manages. */
size_t gen_pool_size(struct gen_pool *pool)
{
	return sum_chunks(pool, false);
}

/** gen_pool_set_algo - the pool's algorithm from now on (NULL: first fit) and its data. */
void gen_pool_set_algo(struct gen_pool *pool, genpool_algo_t algo, void *data)
{
	WRITE_ONCE(pool->algo, algo ? algo : gen_pool_first_fit);
	WRITE_ONCE(pool->data, data);
}

/* ---- algorithms ---- */

/** gen_pool_first_fit - the lowest run of clear bits that fits. */
unsigned long gen_pool_first_fit(unsigned long *map, unsigned long size, unsigned long start,
				 unsigned int nr, void *data, struct gen_pool *pool,
				 unsigned long start_addr)
{
	return bitmap_find_next_zero_area(map, size, start, nr, 0);
}

/**
 * gen_pool_first_fit_align - the lowest fitting run whose address is a
 * multiple of ((struct genpool_data_align *)@data)->align.
 */
unsigned long gen_pool_first_fit_align(unsigned long *map, unsigned long size,
				       unsigned long start, unsigned int nr, void *data,
				       struct gen_pool *pool, unsigned long start_addr)
{
	const struct genpool_data_align *alignment = data;
	int order = pool->min_alloc_order;
	unsigned long align = (unsigned long)alignment->align;
	unsigned long align_mask = ((align + (1UL << order) - 1) >> order) - 1;
	unsigned long align_off = (start_addr & (align - 1)) >> order;

	return bitmap_find_next_zero_area_off(map, size, start, nr, align_mask, align_off);
}

/**
 * gen_pool_fixed_alloc - exactly at ((struct genpool_data_fixed *)@data)->
 * offset bytes into the chunk, or nothing (an offset that is not a whole
 * number of units warns).
 */
unsigned long gen_pool_fixed_alloc(unsigned long *map, unsigned long size, unsigned long start,
				   unsigned int nr, void *data, struct gen_pool *pool,
				   unsigned long start_addr)
{
	const struct genpool_data_fixed *fixed = data;
	int order = pool->min_alloc_order;
	unsigned long offset_bit = fixed->offset >> order;
	unsigned long found;

	if (WARN_ON(fixed->offset & ((1UL << order) - 1)))
		return size;
	found = bitmap_find_next_zero_area(map, size, start + offset_bit, nr, 0);
	return found == offset_bit ? found : size;
}

/** gen_pool_first_fit_order_align - the lowest fitting run aligned to its own size rounded up. */
unsigned long gen_pool_first_fit_order_align(unsigned long *map, unsigned long size,
					     unsigned long start, unsigned int nr, void *data,
					     struct gen_pool *pool, unsigned long start_addr)
{
	return bitmap_find_next_zero_area(map, size, start, nr, roundup_pow_of_two(nr) - 1);
}

/** gen_pool_best_fit - the smallest run of clear bits that fits (the lowest of equals). */
unsigned long gen_pool_best_fit(unsigned long *map, unsigned long size, unsigned long start,
				unsigned int nr, void *data, struct gen_pool *pool,
				unsigned long start_addr)
{
	unsigned long best = size, best_len = size + 1;
	unsigned long index = bitmap_find_next_zero_area(map, size, start, nr, 0);

	while (index < size) {
		unsigned long next_busy = find_next_bit(map, size, index + nr);
		unsigned long len = next_busy - index;

		if (len < best_len) {
			best_len = len;
			best = index;
			if (len == nr)
				break;
		}
		index = bitmap_find_next_zero_area(map, size, next_busy + 1, nr, 0);
	}
	return best;
}

/* ---- managed pools ---- */

static void devm_gen_pool_release(struct device *dev, void *res)
{
	gen_pool_destroy(*(struct gen_pool **)res);
}

/* A pool of @dev named @data (NULL matches the unnamed pool). */
static int devm_gen_pool_match(struct device *dev, void *res, void *data)
{
	const char *name = (*(struct gen_pool **)res)->name;

	if (!data || !name)
		return !data && !name;
	return !strcmp(name, data);
}

/** gen_pool_get - @dev's pool named @name (NULL: its unnamed one), or NULL. */
struct gen_pool *gen_pool_get(struct device *dev, const char *name)
{
	struct gen_pool **p = devres_find(dev, devm_gen_pool_release, devm_gen_pool_match,
					  (void *)name);

	return p ? *p : NULL;
}

/**
 * devm_gen_pool_create - a pool destroyed with @dev's resources
 * @name: unique among @dev's pools (NULL: the unnamed one)
 *
 * Returns the pool, ERR_PTR(-EINVAL) if @dev has a pool of that name
 * already, or ERR_PTR(-ENOMEM).  Context: may sleep.
 */
struct gen_pool *devm_gen_pool_create(struct device *dev, int min_alloc_order, int nid,
				      const char *name)
{
	struct gen_pool **ptr, *pool;
	const char *pool_name = NULL;

	if (gen_pool_get(dev, name))
		return ERR_PTR(-EINVAL);
	ptr = devres_alloc(devm_gen_pool_release, sizeof(*ptr), GFP_KERNEL);
	if (!ptr)
		return ERR_PTR(-ENOMEM);
	if (name) {
		pool_name = kstrdup_const(name, GFP_KERNEL);
		if (!pool_name)
			goto fail;
	}
	pool = gen_pool_create(min_alloc_order, nid);
	if (!pool)
		goto fail;
	pool->name = pool_name;
	*ptr = pool;
	devres_add(dev, ptr);
	return pool;

fail:
	kfree_const(pool_name);
	devres_free(ptr);
	return ERR_PTR(-ENOMEM);
}
