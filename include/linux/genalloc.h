/* SPDX-License-Identifier: MIT */
/*
 * linux/genalloc.h - general-purpose allocators for special memory
 * (include/linux/genalloc.h, lib/genalloc.c; Documentation/core-api/
 * genalloc.rst): a pool hands out pieces of memory the caller added to it
 * (device SRAM, a carved-out region, an ioremap'ed window), tracked by a
 * bitmap of 2^min_alloc_order-byte units per chunk.  Addresses are
 * unsigned long, as in the kernel, except the _dma_ calls' void *.
 *
 * Allocation and free are lock-free, as the kernel's: bits are claimed
 * with compare-and-swap, so a pool may be used from a signal handler that
 * interrupted the same pool's allocation.  kernel lib/genalloc.c in
 * lib/genalloc.c here; docs/genalloc.md.
 */
#ifndef _LINUX_GENALLOC_H
#define _LINUX_GENALLOC_H

#include <ukmem/kernel_types.h>
#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/list.h>
#include <linux/spinlock.h>

UKMEM_C_BEGIN

struct device;
struct gen_pool;

/*
 * An allocation algorithm: the first of @nr clear bits in @map (of @size
 * bits) it picks, searching from @start, or a value >= @size for none.
 * @start_addr is the chunk's first address (for alignments of addresses).
 */
typedef unsigned long (*genpool_algo_t)(unsigned long *map, unsigned long size,
					unsigned long start, unsigned int nr, void *data,
					struct gen_pool *pool, unsigned long start_addr);

struct gen_pool {
	spinlock_t lock;		/* taken to add chunks; allocation does not */
	struct list_head chunks;	/* newest first; never shrinks until destroy */
	int min_alloc_order;		/* log2 of the bytes one bit tracks */
	genpool_algo_t algo;		/* gen_pool_first_fit unless set */
	void *data;			/* the algorithm's argument */
	const char *name;		/* devm_gen_pool_create()'s, else NULL */
	struct list_head ukmem_pools;	/* on the list fork() locks (lib/genalloc.c) */
};

struct gen_pool_chunk {
	struct list_head next_chunk;
	atomic_long_t avail;		/* bytes free */
	phys_addr_t phys_addr;		/* of start_addr; -1: none given */
	void *owner;			/* gen_pool_add_owner()'s cookie */
	unsigned long start_addr;	/* first byte */
	unsigned long end_addr;		/* last byte */
	unsigned long bits[];		/* a bit per unit, set when in use */
};

/* gen_pool_first_fit_align()'s data: the alignment, in bytes (a power of two). */
struct genpool_data_align {
	int align;
};

/* gen_pool_fixed_alloc()'s data: the offset in the chunk, in bytes. */
struct genpool_data_fixed {
	unsigned long offset;
};

UKMEM_API_BEGIN
struct gen_pool *gen_pool_create(int min_alloc_order, int nid);
int gen_pool_add_owner(struct gen_pool *pool, unsigned long addr, phys_addr_t phys, size_t size,
		       int nid, void *owner);
phys_addr_t gen_pool_virt_to_phys(struct gen_pool *pool, unsigned long addr);
void gen_pool_destroy(struct gen_pool *pool);
unsigned long gen_pool_alloc_algo_owner(struct gen_pool *pool, size_t size, genpool_algo_t algo,
					void *data, void **owner);
void gen_pool_free_owner(struct gen_pool *pool, unsigned long addr, size_t size, void **owner);
void *gen_pool_dma_alloc(struct gen_pool *pool, size_t size, dma_addr_t *dma);
void *gen_pool_dma_alloc_algo(struct gen_pool *pool, size_t size, dma_addr_t *dma,
			      genpool_algo_t algo, void *data);
void *gen_pool_dma_alloc_align(struct gen_pool *pool, size_t size, dma_addr_t *dma, int align);
void *gen_pool_dma_zalloc(struct gen_pool *pool, size_t size, dma_addr_t *dma);
void *gen_pool_dma_zalloc_algo(struct gen_pool *pool, size_t size, dma_addr_t *dma,
			       genpool_algo_t algo, void *data);
void *gen_pool_dma_zalloc_align(struct gen_pool *pool, size_t size, dma_addr_t *dma, int align);
void gen_pool_for_each_chunk(struct gen_pool *pool,
			     void (*func)(struct gen_pool *pool, struct gen_pool_chunk *chunk,
					  void *data),
			     void *data);
size_t gen_pool_avail(struct gen_pool *pool);
size_t gen_pool_size(struct gen_pool *pool);
void gen_pool_set_algo(struct gen_pool *pool, genpool_algo_t algo, void *data);
bool gen_pool_has_addr(struct gen_pool *pool, unsigned long start, size_t size);

unsigned long gen_pool_first_fit(unsigned long *map, unsigned long size, unsigned long start,
				 unsigned int nr, void *data, struct gen_pool *pool,
				 unsigned long start_addr);
unsigned long gen_pool_fixed_alloc(unsigned long *map, unsigned long size, unsigned long start,
				   unsigned int nr, void *data, struct gen_pool *pool,
				   unsigned long start_addr);
unsigned long gen_pool_first_fit_align(unsigned long *map, unsigned long size,
				       unsigned long start, unsigned int nr, void *data,
				       struct gen_pool *pool, unsigned long start_addr);
unsigned long gen_pool_first_fit_order_align(unsigned long *map, unsigned long size,
					     unsigned long start, unsigned int nr, void *data,
					     struct gen_pool *pool, unsigned long start_addr);
unsigned long gen_pool_best_fit(unsigned long *map, unsigned long size, unsigned long start,
				unsigned int nr, void *data, struct gen_pool *pool,
				unsigned long start_addr);

struct gen_pool *devm_gen_pool_create(struct device *dev, int min_alloc_order, int nid,
				      const char *name);
struct gen_pool *gen_pool_get(struct device *dev, const char *name);
UKMEM_API_END

/* A chunk whose physical address is @phys (for the _dma_ calls). */
static inline int gen_pool_add_virt(struct gen_pool *pool, unsigned long addr, phys_addr_t phys,
				    size_t size, int nid)
{
	return gen_pool_add_owner(pool, addr, phys, size, nid, NULL);
}

/* A chunk of @size bytes at @addr, with no physical address. */
static inline int gen_pool_add(struct gen_pool *pool, unsigned long addr, size_t size, int nid)
{
	return gen_pool_add_virt(pool, addr, (phys_addr_t)-1, size, nid);
}

static inline unsigned long gen_pool_alloc_owner(struct gen_pool *pool, size_t size, void **owner)
{
	return gen_pool_alloc_algo_owner(pool, size, pool->algo, pool->data, owner);
}

static inline unsigned long gen_pool_alloc_algo(struct gen_pool *pool, size_t size,
						genpool_algo_t algo, void *data)
{
	return gen_pool_alloc_algo_owner(pool, size, algo, data, NULL);
}

/* @size bytes from @pool by its algorithm (first fit unless set): the address, or 0. */
static inline unsigned long gen_pool_alloc(struct gen_pool *pool, size_t size)
{
	return gen_pool_alloc_algo(pool, size, pool->algo, pool->data);
}

/* Give back @size bytes at @addr (the size allocated, not less). */
static inline void gen_pool_free(struct gen_pool *pool, unsigned long addr, size_t size)
{
	gen_pool_free_owner(pool, addr, size, NULL);
}

/* Its name before v5.5. */
#define addr_in_gen_pool(pool, start, size)	gen_pool_has_addr(pool, start, size)

UKMEM_C_END

#endif /* _LINUX_GENALLOC_H */
