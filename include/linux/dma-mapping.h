/* SPDX-License-Identifier: MIT */
/*
 * linux/dma-mapping.h - the DMA API over ukmem's physical memory
 * (include/linux/dma-mapping.h, kernel/dma/mapping.c, kernel/dma/direct.c,
 * kernel/dma/debug.c).
 *
 * The bus sees physical addresses as they are (x86's direct mapping, no
 * IOMMU): a DMA address is the physical address.
 *
 * Coherent memory: dma_alloc_coherent() takes zeroed pages from the zone
 * the device's coherent_dma_mask can reach, as dma-direct does: a mask of
 * 24 bits (or none set) means GFP_DMA, of 32 bits GFP_DMA32, wider any
 * zone; a block the mask cannot reach is given back and a lower zone
 * tried.  A NULL device is an ISA-style device of 24 bits.  The zone
 * modifiers in @gfp are the kernel's to choose and are ignored.
 *
 * Streaming mappings are the identity (no bounce buffers, no cache to
 * flush), with the kernel's checks: an invalid direction (the kernel's
 * BUG_ON) is reported with a warning and the call fails or does nothing;
 * vmalloc memory is refused; an address the device's dma_mask cannot reach
 * is refused (there is no swiotlb).  As with CONFIG_DMA_API_DEBUG, every
 * mapping is remembered until it is unmapped, and an unmap or sync that
 * does not match it is reported in dma-debug's words ("DMA-API: DRIVER
 * DEVICE: device driver frees DMA memory with different direction ...").
 */
#ifndef _LINUX_DMA_MAPPING_H
#define _LINUX_DMA_MAPPING_H

#include <ukmem/kernel_types.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/string.h>

UKMEM_C_BEGIN

enum dma_data_direction {
	DMA_BIDIRECTIONAL = 0,
	DMA_TO_DEVICE = 1,
	DMA_FROM_DEVICE = 2,
	DMA_NONE = 3,
};

static inline int valid_dma_direction(enum dma_data_direction dir)
{
	return dir == DMA_BIDIRECTIONAL || dir == DMA_TO_DEVICE || dir == DMA_FROM_DEVICE;
}

#define DMA_BIT_MASK(n)		(((n) == 64) ? ~0ULL : ((1ULL << (n)) - 1))
#define DMA_MASK_NONE		0x0ULL
#define DMA_MAPPING_ERROR	(~(dma_addr_t)0)

/* Attributes (accepted; none changes anything here). */
#define DMA_ATTR_WEAK_ORDERING		(1UL << 1)
#define DMA_ATTR_WRITE_COMBINE		(1UL << 2)
#define DMA_ATTR_NO_KERNEL_MAPPING	(1UL << 4)
#define DMA_ATTR_SKIP_CPU_SYNC		(1UL << 5)
#define DMA_ATTR_FORCE_CONTIGUOUS	(1UL << 6)
#define DMA_ATTR_ALLOC_SINGLE_PAGES	(1UL << 7)
#define DMA_ATTR_NO_WARN		(1UL << 8)
#define DMA_ATTR_PRIVILEGED		(1UL << 9)

UKMEM_API_BEGIN
int dma_supported(struct device *dev, u64 mask);
int dma_set_mask(struct device *dev, u64 mask);
int dma_set_coherent_mask(struct device *dev, u64 mask);
void *dma_alloc_attrs(struct device *dev, size_t size, dma_addr_t *dma_handle, gfp_t gfp,
		      unsigned long attrs);
void dma_free_attrs(struct device *dev, size_t size, void *cpu_addr, dma_addr_t dma_handle,
		    unsigned long attrs);
dma_addr_t dma_map_page_attrs(struct device *dev, struct page *page, size_t offset,
			      size_t size, enum dma_data_direction dir, unsigned long attrs);
dma_addr_t dma_map_single_attrs(struct device *dev, void *ptr, size_t size,
				enum dma_data_direction dir, unsigned long attrs);
void dma_unmap_page_attrs(struct device *dev, dma_addr_t addr, size_t size,
			  enum dma_data_direction dir, unsigned long attrs);
void dma_sync_single_for_cpu(struct device *dev, dma_addr_t addr, size_t size,
			     enum dma_data_direction dir);
void dma_sync_single_for_device(struct device *dev, dma_addr_t addr, size_t size,
				enum dma_data_direction dir);
/* DMA-API debugging reports since the start (for tests). */
unsigned long ukmem_dma_debug_errors(void);
/* Managed coherent memory (devres, linux/device.h): freed when @dev lets go. */
void *dmam_alloc_attrs(struct device *dev, size_t size, dma_addr_t *dma_handle, gfp_t gfp,
		       unsigned long attrs);
void dmam_free_coherent(struct device *dev, size_t size, void *vaddr, dma_addr_t dma_handle);
/**
 * dma_alloc_pages - pages for a device, used like a streaming mapping (v5.10+)
 * @dev: the device; its coherent mask says where the pages may lie, as
 *	dma-direct places them (the streaming mask does not widen it)
 * @size: bytes (whole pages are taken)
 * @dma_handle: the device address, out
 * @dir: the direction, for dma_sync_single_for_cpu()/_for_device()
 * @gfp: GFP_KERNEL family, without a zone modifier or __GFP_COMP (those
 *	warn and fail, as in the kernel)
 *
 * Zeroed pages, or NULL.  Free with dma_free_pages(), same @size and @dir.
 * Context: may sleep if @gfp allows.
 */
struct page *dma_alloc_pages(struct device *dev, size_t size, dma_addr_t *dma_handle,
			     enum dma_data_direction dir, gfp_t gfp);
void dma_free_pages(struct device *dev, size_t size, struct page *page, dma_addr_t dma_handle,
		    enum dma_data_direction dir);
UKMEM_API_END

/* dma_alloc_pages() by its kernel address (v5.10+). */
static inline void *dma_alloc_noncoherent(struct device *dev, size_t size,
					  dma_addr_t *dma_handle, enum dma_data_direction dir,
					  gfp_t gfp)
{
	struct page *page = dma_alloc_pages(dev, size, dma_handle, dir, gfp);

	return page ? page_address(page) : NULL;
}

static inline void dma_free_noncoherent(struct device *dev, size_t size, void *vaddr,
					dma_addr_t dma_handle, enum dma_data_direction dir)
{
	if (vaddr)
		dma_free_pages(dev, size, virt_to_page(vaddr), dma_handle, dir);
}

/* Write-combining coherent memory: the kernel's attribute, the same memory here. */
static inline void *dma_alloc_wc(struct device *dev, size_t size, dma_addr_t *dma_addr, gfp_t gfp)
{
	unsigned long attrs = DMA_ATTR_WRITE_COMBINE;

	if (gfp & __GFP_NOWARN)
		attrs |= DMA_ATTR_NO_WARN;
	return dma_alloc_attrs(dev, size, dma_addr, gfp, attrs);
}

static inline void dma_free_wc(struct device *dev, size_t size, void *cpu_addr,
			       dma_addr_t dma_addr)
{
	dma_free_attrs(dev, size, cpu_addr, dma_addr, DMA_ATTR_WRITE_COMBINE);
}

/* No IOMMU and no bounce buffers: a mapping may be as large as memory. */
static inline size_t dma_max_mapping_size(struct device *dev)
{
	(void)dev;
	return SIZE_MAX;
}
static inline size_t dma_opt_mapping_size(struct device *dev)
{
	return dma_max_mapping_size(dev);
}

static inline void *dmam_alloc_coherent(struct device *dev, size_t size, dma_addr_t *dma_handle,
					gfp_t gfp)
{
	return dmam_alloc_attrs(dev, size, dma_handle, gfp,
				(gfp & __GFP_NOWARN) ? DMA_ATTR_NO_WARN : 0);
}

static inline int dma_set_mask_and_coherent(struct device *dev, u64 mask)
{
	int rc = dma_set_mask(dev, mask);

	if (!rc)
		dma_set_coherent_mask(dev, mask);
	return rc;
}

static inline int dma_mapping_error(struct device *dev, dma_addr_t dma_addr)
{
	(void)dev;
	return unlikely(dma_addr == DMA_MAPPING_ERROR) ? -ENOMEM : 0;
}

static inline void *dma_alloc_coherent(struct device *dev, size_t size,
				       dma_addr_t *dma_handle, gfp_t gfp)
{
	return dma_alloc_attrs(dev, size, dma_handle, gfp,
			       (gfp & __GFP_NOWARN) ? DMA_ATTR_NO_WARN : 0);
}

static inline void dma_free_coherent(struct device *dev, size_t size, void *cpu_addr,
				     dma_addr_t dma_handle)
{
	dma_free_attrs(dev, size, cpu_addr, dma_handle, 0);
}

#define dma_map_single(d, a, s, r)	dma_map_single_attrs(d, a, s, r, 0)
#define dma_unmap_single(d, a, s, r)	dma_unmap_page_attrs(d, a, s, r, 0)
#define dma_unmap_single_attrs(d, a, s, r, at) dma_unmap_page_attrs(d, a, s, r, at)
#define dma_map_page(d, p, o, s, r)	dma_map_page_attrs(d, p, o, s, r, 0)
#define dma_unmap_page(d, a, s, r)	dma_unmap_page_attrs(d, a, s, r, 0)

static inline void dma_sync_single_range_for_cpu(struct device *dev, dma_addr_t addr,
						 unsigned long offset, size_t size,
						 enum dma_data_direction dir)
{
	dma_sync_single_for_cpu(dev, addr + offset, size, dir);
}

static inline void dma_sync_single_range_for_device(struct device *dev, dma_addr_t addr,
						    unsigned long offset, size_t size,
						    enum dma_data_direction dir)
{
	dma_sync_single_for_device(dev, addr + offset, size, dir);
}

UKMEM_C_END

#endif /* _LINUX_DMA_MAPPING_H */
