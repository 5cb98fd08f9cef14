/* SPDX-License-Identifier: MIT */
/*
 * linux/io.h - device memory for drivers (include/linux/io.h): ioremap()
 * and the MMIO accessors of asm/io.h, and device regions
 * (ukmem/iomem.h), under the name drivers include.
 */
#ifndef _LINUX_IO_H
#define _LINUX_IO_H

#include <linux/types.h>
#include <linux/err.h>
#include <asm/io.h>
#include <ukmem/iomem.h>

struct device;

UKMEM_C_BEGIN

/* memremap() flags (include/linux/io.h): the mapping types to try, in this order. */
enum {
	MEMREMAP_WB = 1 << 0,	/* write-back: RAM from the linear map, else a cached mapping */
	MEMREMAP_WT = 1 << 1,	/* write-through */
	MEMREMAP_WC = 1 << 2,	/* write-combining */
	MEMREMAP_ENC = 1 << 3,
	MEMREMAP_DEC = 1 << 4,
};

UKMEM_API_BEGIN
/*
 * memremap - map memory without I/O side effects: RAM (MEMREMAP_WB) is its
 * linear-map address, a device region gets a mapping (ioremap_cache/wt/wc
 * by the flags).  NULL for no flags, a range part RAM and part not, RAM
 * asked for without MEMREMAP_WB, or nothing that maps.  memunmap() undoes it.
 */
void *memremap(resource_size_t offset, size_t size, unsigned long flags);
void memunmap(void *addr);
void *devm_memremap(struct device *dev, resource_size_t offset, size_t size, unsigned long flags);
void devm_memunmap(struct device *dev, void *addr);
/* Managed mappings (devres, linux/device.h): unmapped when @dev lets go. */
void __iomem *devm_ioremap(struct device *dev, resource_size_t offset, resource_size_t size);
void __iomem *devm_ioremap_wc(struct device *dev, resource_size_t offset, resource_size_t size);
void __iomem *devm_ioremap_uc(struct device *dev, resource_size_t offset, resource_size_t size);
void devm_iounmap(struct device *dev, void __iomem *addr);
UKMEM_API_END
UKMEM_C_END

#endif /* _LINUX_IO_H */
