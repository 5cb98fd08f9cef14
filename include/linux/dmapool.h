/* SPDX-License-Identifier: MIT */
/*
 * linux/dmapool.h - pools of small, fixed-size blocks of coherent DMA
 * memory (include/linux/dmapool.h, mm/dmapool.c).
 *
 * A driver that hands a device many small descriptors (USB transfer
 * descriptors, NVMe PRP lists, ...) makes one pool per block size:
 * dma_pool_create() fixes the size, the alignment and a boundary no block
 * may cross; dma_pool_alloc() then returns a block and its DMA address,
 * carved from pages that dma_alloc_coherent() gave the pool for the
 * device; dma_pool_free() takes both back.  Pages stay with the pool until
 * dma_pool_destroy().
 *
 * Context rules, as in the kernel: dma_pool_create*() and
 * dma_pool_destroy() may sleep (not from a signal handler, ukmem's
 * interrupt context); dma_pool_alloc() sleeps only if its gfp allows it;
 * dma_pool_free() never sleeps.  Both may run in a signal handler with
 * GFP_ATOMIC.  dmam_pool_create() makes a pool the device owns
 * (devres, linux/device.h): devres_release_all() destroys it, or
 * dmam_pool_destroy() earlier.  docs/dmapool.md says what differs from the
 * kernel and why.
 */
#ifndef _LINUX_DMAPOOL_H
#define _LINUX_DMAPOOL_H

#include <sys/types.h>
#include <ukmem/kernel_types.h>
#include <linux/gfp.h>

UKMEM_C_BEGIN

struct device;
struct dma_pool;

UKMEM_API_BEGIN
struct dma_pool *dma_pool_create_node(const char *name, struct device *dev, size_t size,
				      size_t align, size_t boundary, int node);
void dma_pool_destroy(struct dma_pool *pool);
void *dma_pool_alloc(struct dma_pool *pool, gfp_t mem_flags, dma_addr_t *handle);
void dma_pool_free(struct dma_pool *pool, void *vaddr, dma_addr_t dma);
struct dma_pool *dmam_pool_create(const char *name, struct device *dev, size_t size,
				  size_t align, size_t allocation);
void dmam_pool_destroy(struct dma_pool *pool);
/*
 * ukmem: what reading the kernel's sysfs attribute "pools" of @dev gives
 * (/sys/devices/.../pools, which exists while @dev has a pool): the line
 * "poolinfo - 0.1", then one line per pool, newest first, of name, blocks
 * in use, blocks in all, block size and pages.  Written to @buf, which
 * holds PAGE_SIZE bytes as a sysfs buffer does (a longer report is cut
 * there, NUL-terminated); returns its length, or -ENOENT when @dev has no
 * pool (the attribute does not exist).  Never sleeps; not from a signal
 * handler.
 */
ssize_t ukmem_dma_pools_show(struct device *dev, char *buf);
UKMEM_API_END

/* A pool whose metadata may live on any node. */
static inline struct dma_pool *dma_pool_create(const char *name, struct device *dev,
					       size_t size, size_t align, size_t boundary)
{
	return dma_pool_create_node(name, dev, size, align, boundary, NUMA_NO_NODE);
}

/* dma_pool_alloc() of a block filled with zeroes. */
static inline void *dma_pool_zalloc(struct dma_pool *pool, gfp_t mem_flags, dma_addr_t *handle)
{
	return dma_pool_alloc(pool, mem_flags | __GFP_ZERO, handle);
}

UKMEM_C_END

#endif /* _LINUX_DMAPOOL_H */
